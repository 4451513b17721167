package com.example.customers.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.Parallel;
import com.example.customers.support.RawHttp;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static com.example.customers.support.CustomerClient.uniqueLogins;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool of two connections with a short acquire timeout, and a short body timeout: the limits made easy to reach.
 * Each limit is reached deterministically (the test holds the connections, or sends too little), never by hoping the
 * machine is slow or fast.
 */
@ServiceTest
@TestPropertySource(properties = { "spring.r2dbc.pool.initial-size=1", "spring.r2dbc.pool.max-size=2",
		"spring.r2dbc.pool.max-acquire-time=300ms", "customers.body-timeout=1s" })
class ConstrainedResourcesTest {

	private final CustomerClient client;

	private final RawHttp raw;

	private final ConnectionFactory pool;

	private final Rows rows;

	private final MeterRegistry meters;

	@Autowired
	ConstrainedResourcesTest(WebTestClient http, ConnectionFactory pool, DatabaseClient db, @LocalServerPort int port,
			MeterRegistry meters) {
		this.client = new CustomerClient(http);
		this.raw = new RawHttp(port);
		this.pool = pool;
		this.rows = new Rows(db);
		this.meters = meters;
	}

	@Test
	void aRequestThatGetsNoConnectionInTimeIsAnsweredServiceUnavailable() {
		List<Connection> held = holdEveryConnection();
		String login = uniqueLogin("starved");
		Reply starved;
		try {
			starved = this.client.create(login);
		}
		finally {
			release(held);
		}

		assertThat(starved.status()).isEqualTo(503);
		assertThat(starved.body()).isEqualTo("{\"detail\":\"Service temporarily unavailable.\"}");
		assertThat(this.rows.withLogin(login)).isZero();
		assertThat(this.client.create(login).status()).as("once connections are free again").isEqualTo(201);
	}

	/** Overload made certain: every connection is taken, so each create in the burst waits its acquire limit out. */
	@Test
	void simultaneousRequestsThatGetNoConnectionAreShedWithRetryAfterCountedAndWriteNothing() {
		List<String> logins = uniqueLogins("shed", 20);
		double shedBefore = shedCount();
		List<Connection> held = holdEveryConnection();
		List<Reply> replies;
		try {
			replies = Parallel.run(logins.size(), i -> this.client.create(logins.get(i)));
		}
		finally {
			release(held);
		}

		assertThat(replies).allSatisfy(reply -> {
			assertThat(reply.status()).isEqualTo(503);
			assertThat(reply.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
			assertThat(reply.body()).isEqualTo("{\"detail\":\"Service temporarily unavailable.\"}");
		});
		assertThat(shedCount() - shedBefore).as("customers.requests.shed").isEqualTo(logins.size());
		assertThat(logins).allSatisfy(login -> assertThat(this.rows.withLogin(login)).as(login).isZero());
	}

	private List<Connection> holdEveryConnection() {
		return Flux.range(0, 2).flatMap(i -> Mono.<Connection>from(this.pool.create())).collectList().block();
	}

	private static void release(List<Connection> held) {
		Flux.fromIterable(held).flatMap(Connection::close).then().block();
	}

	private double shedCount() {
		return this.meters.get("customers.requests.shed").counter().count();
	}

	@Test
	void aBodyShorterThanItsContentLengthIsGivenUpOnWithRequestTimeout() {
		String login = uniqueLogin("liar");
		byte[] body = ("{\"login\":\"" + login + "\"}").getBytes(StandardCharsets.UTF_8);
		String request = "POST /api/customer/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + (body.length + 100) + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8);

		Reply reply = this.raw.exchange(request);

		assertThat(reply.status()).isEqualTo(408);
		assertThat(reply.headers().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(reply.headers().getFirst(HttpHeaders.CONNECTION)).isEqualTo("close");
		assertThat(reply.body()).isEqualTo("{\"detail\":\"Request body was not received in time.\"}");
		assertThat(this.rows.withLogin(login)).isZero();
	}

}

package com.example.customers.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.RawHttp;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
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

	@Autowired
	ConstrainedResourcesTest(WebTestClient http, ConnectionFactory pool, DatabaseClient db, @LocalServerPort int port) {
		this.client = new CustomerClient(http);
		this.raw = new RawHttp(port);
		this.pool = pool;
		this.rows = new Rows(db);
	}

	@Test
	void aRequestThatGetsNoConnectionInTimeIsAnsweredServiceUnavailable() {
		List<Connection> held = Flux.range(0, 2).flatMap(i -> Mono.<Connection>from(this.pool.create())).collectList().block();
		String login = uniqueLogin("starved");
		Reply starved;
		try {
			starved = this.client.create(login);
		}
		finally {
			Flux.fromIterable(held).flatMap(Connection::close).then().block();
		}

		assertThat(starved.status()).isEqualTo(503);
		assertThat(starved.body()).isEqualTo("{\"detail\":\"Service temporarily unavailable.\"}");
		assertThat(this.rows.withLogin(login)).isZero();
		assertThat(this.client.create(login).status()).as("once connections are free again").isEqualTo(201);
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

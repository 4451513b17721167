package com.example.customers.customer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.example.customers.api.ApiException;
import com.example.customers.api.RequestBodies;
import com.example.customers.eventloop.EventLoopTimers;
import com.example.customers.idempotency.IdempotentRequests;
import com.example.customers.support.Duplicates;
import com.example.customers.support.Knobs;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.EntityResponse;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The create chain's error paths, step by step, on the real database. To reach the constraint without timing, the
 * existence check is made blind: every request then passes it, as every racer does inside the race window.
 */
@ServiceTest
class CreateChainTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final DatabaseClient db;

	private final RequestBodies bodies;

	private final DuplicateLogin duplicateLogin;

	private final Duplicates duplicates;

	private final Rows rows;

	private final IdempotentRequests idempotent;

	private final EventLoopTimers timers;

	@Autowired
	CreateChainTest(DatabaseClient db, RequestBodies bodies, DuplicateLogin duplicateLogin, MeterRegistry registry,
			IdempotentRequests idempotent, EventLoopTimers timers) {
		this.db = db;
		this.timers = timers;
		this.bodies = bodies;
		this.duplicateLogin = duplicateLogin;
		this.idempotent = idempotent;
		this.duplicates = new Duplicates(registry);
		this.rows = new Rows(db);
	}

	@Test
	void aDuplicateThatPassesTheCheckIsRefusedByTheConstraintWithTheLoginError() {
		String login = uniqueLogin("chain");
		new CustomerRepository(this.db).insert(login).block(TIMEOUT);
		double byConstraintBefore = this.duplicates.caughtBy("constraint");

		StepVerifier.create(handlerWith(blindCheck()).create(post("{\"login\":\"" + login + "\"}")))
			.assertNext(response -> {
				assertThat(response.statusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
				assertThat(entity(response)).isEqualTo(Map.of("login", List.of(LoginField.TAKEN)));
			})
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.duplicates.caughtBy("constraint") - byConstraintBefore).isEqualTo(1);
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	@Test
	void aViolationOfAnotherConstraintIsNotReportedAsALoginError() {
		long takenId = new CustomerRepository(this.db).insert(uniqueLogin("taken-id")).block(TIMEOUT).id();
		String login = uniqueLogin("other-constraint");
		CustomerRepository insertsOnTakenId = new CustomerRepository(this.db) {
			@Override
			public Mono<Boolean> existsByLogin(String ignored) {
				return Mono.just(false);
			}

			@Override
			public Mono<Customer> insert(String newLogin) {
				return CreateChainTest.this.db.sql("INSERT INTO customer (id, login) VALUES ($1, $2) RETURNING id, login")
					.bind(0, takenId)
					.bind(1, newLogin)
					.map(row -> new Customer(row.get(0, Long.class), row.get(1, String.class)))
					.one();
			}
		};

		StepVerifier.create(handlerWith(insertsOnTakenId).create(post("{\"login\":\"" + login + "\"}")))
			.expectErrorSatisfies(error -> {
				assertThat(error).isInstanceOf(DuplicateKeyException.class);
				assertThat(this.duplicateLogin.isViolation(error)).isFalse();
			})
			.verify(TIMEOUT);
		assertThat(this.rows.withLogin(login)).isZero();
	}

	@Test
	void invalidInputEndsTheChainBeforeTheDatabaseWithTheFieldError() {
		StepVerifier.create(handlerWith(blindCheck()).create(post("{\"login\":\"   \"}")))
			.expectErrorSatisfies(error -> {
				assertThat(error).isInstanceOf(ApiException.class);
				assertThat(((ApiException) error).status()).isEqualTo(HttpStatus.BAD_REQUEST);
				assertThat(((ApiException) error).body()).isEqualTo(Map.of("login", List.of("This field may not be blank.")));
			})
			.verify(TIMEOUT);
		assertThat(this.rows.withLogin("")).isZero();
		assertThat(this.rows.withLogin("   ")).isZero();
	}

	private CustomerRepository blindCheck() {
		return new CustomerRepository(this.db) {
			@Override
			public Mono<Boolean> existsByLogin(String login) {
				return Mono.just(false);
			}
		};
	}

	private CustomerHandler handlerWith(CustomerRepository repository) {
		CustomersProperties properties = Knobs.with("race-window", "0");
		return new CustomerHandler(repository, new TakenLogins(repository, this.timers), this.bodies,
				this.duplicateLogin, this.idempotent, properties, this.timers);
	}

	private static ServerRequest post(String json) {
		DataBuffer body = DefaultDataBufferFactory.sharedInstance.wrap(json.getBytes(StandardCharsets.UTF_8));
		// An exchange, because the handler tells the client its phases in the response's Server-Timing header.
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/customer/"));
		return MockServerRequest.builder()
			.exchange(exchange)
			.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
			.body(Flux.just(body));
	}

	private static Object entity(ServerResponse response) {
		return ((EntityResponse<?>) response).entity();
	}

}

package com.example.customers.api;

import java.time.Duration;

import com.example.customers.support.ExpectedLogs;
import io.micrometer.core.instrument.MeterRegistry;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client hears when PostgreSQL itself fails a statement, raised for real by PostgreSQL, through the driver and
 * Spring's wrapping, to the error handler. A statement that was rolled back and may well succeed if sent again
 * (serialization failure and deadlock, which a cluster that fails over also raises; a lock not available; a statement
 * cancelled by its timeout) is a 503 with Retry-After: nothing was written, and a retry is the remedy. Any other
 * failure is the service's own: 500, with nothing of the error in the body.
 */
@ServiceTest
class DatabaseFailureAnswersTest {

	// Logged on purpose: the database failures these tests cause on purpose that are not the client's.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from(ApiErrorHandler.class)
		.expecting(ApiErrorHandler.class, "Unexpected failure on POST /api/customer/")
		.expecting(ApiErrorHandler.class, "Database unavailable: ");

	private static final String UNAVAILABLE = "{\"detail\":\"Service temporarily unavailable.\"}";

	private static final String SERVER_ERROR = "{\"detail\":\"A server error occurred.\"}";

	private final DatabaseClient db;

	private final ApiErrorHandler handler;

	private final MeterRegistry meters;

	@Autowired
	DatabaseFailureAnswersTest(DatabaseClient db, ApiErrorHandler handler, MeterRegistry meters) {
		this.db = db;
		this.handler = handler;
		this.meters = meters;
	}

	@ParameterizedTest(name = "SQLSTATE {0} -> {1}")
	@CsvSource({ "40001, 503", "40P01, 503", "55P03, 503", "57014, 503", "22001, 500", "42501, 500" })
	void aStatementThatPostgresqlFailsIsAnsweredByWhatARetryCanDo(String sqlState, int status) {
		Throwable raised = this.db.sql("DO $$ BEGIN RAISE EXCEPTION 'raised by a test' USING ERRCODE = '" + sqlState
				+ "'; END $$")
			.then()
			.flux()
			.materialize()
			.blockLast(Duration.ofSeconds(10))
			.getThrowable();
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/customer/"));
		double shedBefore = shedCount();

		this.handler.handle(exchange, raised).block(Duration.ofSeconds(10));

		assertThat(exchange.getResponse().getStatusCode().value()).as("status for %s", raised).isEqualTo(status);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(10)))
			.isEqualTo((status == 503) ? UNAVAILABLE : SERVER_ERROR);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
			.isEqualTo((status == 503) ? "1" : null);
		assertThat(shedCount()).as("a failure of PostgreSQL's is not load shed").isEqualTo(shedBefore);
	}

	private double shedCount() {
		return this.meters.get("customers.requests.shed").counter().count();
	}

}

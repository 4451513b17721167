package com.example.customers.api;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.example.customers.db.WriteOutcomeUnknown;
import com.example.customers.support.ExpectedLogs;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Errors the framework raises, as the one error handler answers them: DRF's body, the framework's headers kept. */
class ApiErrorHandlerTest {

	// Logged on purpose: the unexpected failures these tests hand the handler.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from(ApiErrorHandler.class, LoadShedding.class)
		.expecting(ApiErrorHandler.class, "Unexpected failure on POST /actuator/health")
		.expecting(ApiErrorHandler.class, "Database unavailable: ")
		.expecting(ApiErrorHandler.class, "Write outcome unknown: ")
		.expecting(LoadShedding.class, "Shed a request with 503");

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ApiErrorHandler handler = new ApiErrorHandler(JsonMapper.builder().build(),
			new LoadShedding(this.registry));

	static Stream<Arguments> frameworkErrorsAndTheirAnswers() {
		return Stream.of(
				arguments(new ServerWebInputException("bad"), 400, "{\"detail\":\"Malformed request.\"}"),
				arguments(new ResponseStatusException(HttpStatus.NOT_FOUND), 404, "{\"detail\":\"Not found.\"}"),
				arguments(new NotAcceptableStatusException(List.of(MediaType.APPLICATION_JSON)), 406,
						"{\"detail\":\"Could not satisfy the request Accept header.\"}"),
				arguments(new UnsupportedMediaTypeStatusException("text/csv"), 415,
						"{\"detail\":\"Unsupported media type \\\"text/csv\\\" in request.\"}"),
				arguments(new IllegalStateException("reading", new DataBufferLimitException("over 64 KiB")), 413,
						"{\"detail\":\"Request body is too large.\"}"),
				arguments(ApiException.detail(HttpStatus.CONFLICT, "As it is."), 409, "{\"detail\":\"As it is.\"}"));
	}

	@ParameterizedTest
	@MethodSource("frameworkErrorsAndTheirAnswers")
	void eachFrameworkErrorHasItsDrfAnswer(Throwable error, int status, String body) {
		assertAnswer(handle(error), status, body);
	}

	@Test
	void noConnectionWithinTheAcquireLimitIsA503ToRetryAndIsCountedAsShed() {
		MockServerWebExchange exchange = handle(new R2dbcTimeoutException("acquire", new TimeoutException()));

		assertAnswer(exchange, 503, "{\"detail\":\"Service temporarily unavailable.\"}");
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(this.registry.get("customers.requests.shed").counter().count()).isEqualTo(1);
		assertThat(expectedLogs.events()).anySatisfy(logged -> assertThat(logged.getFormattedMessage())
			.startsWith("Shed a request with 503"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "08006", "40001" })
	void aLostConnectionOrARolledBackStatementIsA503ToRetryAndNotCountedAsShed(String sqlState) {
		MockServerWebExchange exchange = handle(new R2dbcTransientResourceException("raised by a test", sqlState));

		assertAnswer(exchange, 503, "{\"detail\":\"Service temporarily unavailable.\"}");
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(this.registry.get("customers.requests.shed").counter().count()).isZero();
	}

	@Test
	void aWriteWhoseOutcomeIsUnknownIsA503ThatSaysSoAndToRetryWithTheKey() {
		MockServerWebExchange exchange = handle(new WriteOutcomeUnknown(new IllegalStateException("Connection closed")));

		assertAnswer(exchange, 503, "{\"detail\":\"The connection to the database was lost after the write was sent:"
				+ " it may have been carried out. A retry with the same Idempotency-Key answers which; without one, read"
				+ " the resource before sending the request again.\"}");
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
	}

	/** An outage fails every request alike: one line per kind of failure, not one per request. */
	@Test
	void failuresOfTheDatabaseAreLoggedOncePerKind() {
		long before = loggedBy(ApiErrorHandler.class);

		for (int i = 0; i < 50; i++) {
			handle(new R2dbcTransientResourceException("connection reset", "08006"));
			handle(new DataAccessResourceFailureException("refused", new ConnectException("Connection refused")));
			handle(new WriteOutcomeUnknown(new IllegalStateException("Connection closed")));
		}

		assertThat(loggedBy(ApiErrorHandler.class) - before).as("lines for three kinds of failure, 150 requests")
			.isEqualTo(3);
	}

	@Test
	void aRequestPastTheBoundOnRequestsInFlightIsA503ToRetry() {
		MockServerWebExchange exchange = handle(
				BulkheadFullException.createBulkheadFullException(Bulkhead.ofDefaults("requests-in-flight")));

		assertAnswer(exchange, 503, "{\"detail\":\"Service temporarily unavailable.\"}");
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(this.registry.get("customers.requests.shed").counter().count()).isZero();
	}

	@Test
	void anErrorAfterTheAnswerWasCommittedIsPassedOn() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/customer/"));
		exchange.getResponse().setComplete().block(Duration.ofSeconds(5));
		IllegalStateException error = new IllegalStateException("too late");

		assertThatThrownBy(() -> this.handler.handle(exchange, error).block(Duration.ofSeconds(5))).isSameAs(error);
	}

	@Test
	void aMethodTheFrameworkDoesNotAllowIsDrfs405WithItsAllowHeader() {
		MockServerWebExchange exchange = handle(new MethodNotAllowedException(HttpMethod.POST,
				Set.of(HttpMethod.GET, HttpMethod.HEAD)));

		assertAnswer(exchange, 405, "{\"detail\":\"Method \\\"POST\\\" not allowed.\"}");
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.ALLOW)).isEqualTo("GET, HEAD");
	}

	@Test
	void aClientErrorKeepsTheHeadersItCameWith() {
		ResponseStatusException tooMany = new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS) {

			@Override
			public HttpHeaders getHeaders() {
				HttpHeaders headers = new HttpHeaders();
				headers.set(HttpHeaders.RETRY_AFTER, "7");
				return headers;
			}

		};

		MockServerWebExchange exchange = handle(tooMany);

		assertAnswer(exchange, 429, "{\"detail\":\"Too Many Requests.\"}");
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
	}

	@Test
	void aCodeThatHttpDoesNotNameIsAnsweredAsItIs() {
		assertAnswer(handle(new ResponseStatusException(HttpStatusCode.valueOf(499))), 499,
				"{\"detail\":\"Client error.\"}");
	}

	@Test
	void anUnexpectedFailureIsA500WithoutItsMessage() {
		assertAnswer(handle(new IllegalStateException("secret internals")), 500,
				"{\"detail\":\"A server error occurred.\"}");
	}

	private static long loggedBy(Class<?> logger) {
		return expectedLogs.events().stream().filter(event -> event.getLoggerName().equals(logger.getName())).count();
	}

	private MockServerWebExchange handle(Throwable error) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.post("/actuator/health").contentType(MediaType.valueOf("text/csv")));
		this.handler.handle(exchange, error).block(Duration.ofSeconds(5));
		return exchange;
	}

	private static void assertAnswer(MockServerWebExchange exchange, int status, String body) {
		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(status);
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo(body);
	}

}

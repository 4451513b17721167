package com.example.customers.api;

import java.time.Duration;
import java.util.Set;

import com.example.customers.support.ExpectedLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors the framework raises, as the one error handler answers them: DRF's body, the framework's headers kept. */
class ApiErrorHandlerTest {

	// Logged on purpose: the unexpected failures these tests hand the handler.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from(ApiErrorHandler.class)
		.expecting(ApiErrorHandler.class, "Unexpected failure on POST /actuator/health");

	private final ApiErrorHandler handler = new ApiErrorHandler(JsonMapper.builder().build(),
			new LoadShedding(new SimpleMeterRegistry()));

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

	private MockServerWebExchange handle(Throwable error) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/actuator/health"));
		this.handler.handle(exchange, error).block(Duration.ofSeconds(5));
		return exchange;
	}

	private static void assertAnswer(MockServerWebExchange exchange, int status, String body) {
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatusCode.valueOf(status));
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo(body);
	}

}

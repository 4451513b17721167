package com.example.customers.api;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Django's APPEND_SLASH against a router with the API's two paths, without a server. */
class AppendSlashTest {

	private final AppendSlash appendSlash = new AppendSlash(List.of(
			RouterFunctions.route(RequestPredicates.path("/api/customer/"), request -> ServerResponse.ok().build()),
			RouterFunctions.route(RequestPredicates.path("/api/customer/{id}/"), request -> ServerResponse.ok().build())));

	@ParameterizedTest(name = "{0} {1} -> {2} {3}")
	@CsvSource({ "GET, /api/customer, 301, /api/customer/", "HEAD, /api/customer/7, 301, /api/customer/7/",
			"GET, /api/customer?x=1&y=%20, 301, /api/customer/?x=1&y=%20", "POST, /api/customer, 308, /api/customer/",
			"PUT, /api/customer/7, 308, /api/customer/7/", "DELETE, /api/customer/7?a=b, 308, /api/customer/7/?a=b" })
	void aPathThatRoutesOnlyWithItsSlashIsRedirectedThereAndNotProcessed(String method, String uri, int status,
			String location) {
		MockServerWebExchange exchange = exchange(method, uri);

		assertThat(passedOn(exchange)).as("passed on to the routes").isFalse();
		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(status);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.LOCATION)).isEqualTo(location);
		assertThat(exchange.getResponse().getHeaders().getContentLength()).isZero();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/api/customer/", "/api/customer/7/", "/api/customers", "/api/customer/7/x", "//api/customer",
			"/api" })
	void anyOtherPathIsPassedOnAsItIs(String uri) {
		MockServerWebExchange exchange = exchange("GET", uri);

		assertThat(passedOn(exchange)).as("passed on to the routes").isTrue();
		assertThat(exchange.getResponse().getStatusCode()).isNull();
	}

	private boolean passedOn(MockServerWebExchange exchange) {
		AtomicBoolean passed = new AtomicBoolean();
		this.appendSlash.filter(exchange, next -> {
			passed.set(true);
			return Mono.empty();
		}).block();
		return passed.get();
	}

	private static MockServerWebExchange exchange(String method, String uri) {
		return MockServerWebExchange.from(MockServerHttpRequest.method(HttpMethod.valueOf(method), URI.create(uri)));
	}

}

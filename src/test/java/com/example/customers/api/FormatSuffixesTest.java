package com.example.customers.api;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DRF's format suffixes, as the filter rewrites paths before routing, and the format a request names. */
class FormatSuffixesTest {

	private final FormatSuffixes suffixes = new FormatSuffixes();

	@ParameterizedTest(name = "{0} -> {1} as {2}")
	@CsvSource({ "/api/customer.json, /api/customer/, json", "/api/customer.json/, /api/customer/, json",
			"/api/customer/12.json, /api/customer/12/, json", "/api/customer/12.api/, /api/customer/12/, api",
			"/api/.json, /api/, json", "/api/.json/, /api/, json" })
	void aSuffixedPathReachesItsViewWithTheSuffixAsTheFormat(String path, String viewPath, String format) {
		ServerWebExchange routed = filter(path);

		assertThat(routed.getRequest().getPath().value()).isEqualTo(viewPath);
		assertThat(FormatSuffixes.requested(request(routed))).contains(format);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/api/customer/", "/api/customer/12/", "/api/", "/actuator/health", "/v3/api-docs.yaml",
			"/api/cus.tomer/1/" })
	void aPathWithoutASuffixPassesAsItIs(String path) {
		ServerWebExchange routed = filter(path);

		assertThat(routed.getRequest().getPath().value()).isEqualTo(path);
		assertThat(FormatSuffixes.suffix(request(routed))).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/api/customer/.json", "/api/customer/1.2.json", "/api/customer.JSON", "/api/customer." })
	void aDotAnywhereElseInTheLastSegmentIsNotFound(String path) {
		assertThatThrownBy(() -> filter(path)).isInstanceOfSatisfying(ApiException.class,
				error -> assertThat(error.status().value()).isEqualTo(404));
	}

	@Test
	void theQueryParameterNamesTheFormatWhenNoSuffixDoesAndItsLastValueCounts() {
		ServerRequest request = request(filter("/api/customer/?format=api&format=json"));

		assertThat(FormatSuffixes.query(request)).contains("json");
		assertThat(FormatSuffixes.requested(request)).contains("json");
	}

	@Test
	void aSuffixWinsOverTheQueryParameter() {
		assertThat(FormatSuffixes.requested(request(filter("/api/customer.json?format=api")))).contains("json");
	}

	@Test
	void anEmptyQueryParameterIsAnEmptyFormatAndNoQueryIsNone() {
		assertThat(FormatSuffixes.query(request(filter("/api/customer/?format=")))).contains("");
		assertThat(FormatSuffixes.requested(request(filter("/api/customer/")))).isEmpty();
	}

	/** The exchange the rest of the chain sees; the filter's error is thrown, if it refuses the path. */
	private ServerWebExchange filter(String uri) {
		AtomicReference<ServerWebExchange> routed = new AtomicReference<>();
		this.suffixes.filter(MockServerWebExchange.from(MockServerHttpRequest.get(uri)), exchange -> {
			routed.set(exchange);
			return Mono.empty();
		}).block();
		return routed.get();
	}

	private static ServerRequest request(ServerWebExchange exchange) {
		return ServerRequest.create(exchange, List.of());
	}

}

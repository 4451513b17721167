package com.example.customers.support;

import java.net.URI;
import java.time.Duration;

import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Which running service an HTTP-only test talks to: by default the one its Spring test context started, or, when
 * {@value #BASE_URL_VARIABLE} is set, an already running one, such as the packaged jar in CI's end-to-end step.
 */
public final class ServiceUnderTest {

	public static final String BASE_URL_VARIABLE = "CUSTOMERS_TEST_BASE_URL";

	private ServiceUnderTest() {
	}

	/** The base URL of the same service, for clients other than WebTestClient. */
	public static String baseUrl(int startedPort) {
		String baseUrl = System.getenv(BASE_URL_VARIABLE);
		return (baseUrl == null || baseUrl.isBlank()) ? "http://127.0.0.1:" + startedPort : baseUrl;
	}

	/** A bare-socket client of the same service. */
	public static RawHttp raw(int startedPort) {
		return new RawHttp(URI.create(baseUrl(startedPort)).getPort());
	}

	/**
	 * A running service's database may hold many customers (a benchmark run leaves hundreds of thousands), and some
	 * tests read the whole list: the client buffers up to 64 MiB rather than WebTestClient's 256 KiB.
	 */
	public static WebTestClient client(WebTestClient started) {
		String baseUrl = System.getenv(BASE_URL_VARIABLE);
		if (baseUrl == null || baseUrl.isBlank()) {
			return started;
		}
		return WebTestClient.bindToServer()
			.baseUrl(baseUrl)
			.responseTimeout(Duration.ofSeconds(60))
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
			.build();
	}

}

package com.example.customers.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;

import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Actuator answers on a port of its own, and the API's port, the one a load balancer publishes, knows nothing of it:
 * health details, metrics and the request histograms are for operators.
 */
@ServiceTest
class ManagementPortTest {

	private final WebTestClient api;

	private final int apiPort;

	private final Environment environment;

	@Autowired
	ManagementPortTest(WebTestClient api, @LocalServerPort int apiPort, Environment environment) {
		this.api = api;
		this.apiPort = apiPort;
		this.environment = environment;
	}

	/** The port actuator listens on; a failed assertion, not an error, when it has none of its own. */
	private int managementPort() {
		String port = this.environment.getProperty("local.management.port");
		assertThat(port).as("actuator's own port (local.management.port)").isNotNull();
		return Integer.parseInt(port);
	}

	private WebTestClient management() {
		// A scrape after the whole suite's requests is larger than WebTestClient's default 256 KiB.
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + managementPort())
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
			.build();
	}

	@Test
	void theApiPortAnswersActuatorPathsWith404() {
		for (String path : new String[] { "/actuator/health", "/actuator/health/readiness", "/actuator/prometheus",
				"/actuator/metrics", "/actuator" }) {
			this.api.get()
				.uri(path)
				.accept(MediaType.APPLICATION_JSON)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectBody()
				.json("{\"detail\":\"Not found.\"}", JsonCompareMode.STRICT);
		}
	}

	/**
	 * 127.0.0.2 is this machine too, but not the address actuator is bound to: a socket on 127.0.0.1 alone refuses it,
	 * where one on every interface (the API's) accepts it, as it would a connection from another machine.
	 */
	@Test
	void theManagementPortListensOnTheLoopbackAddressOnly() throws IOException {
		try (Socket api = new Socket("127.0.0.2", this.apiPort)) {
			assertThat(api.isConnected()).as("the API, on every interface").isTrue();
		}
		assertThatExceptionOfType(ConnectException.class).as("actuator from another address")
			.isThrownBy(() -> new Socket("127.0.0.2", managementPort()).close());
	}

	@Test
	void theManagementPortAnswersReadinessAndPrometheus() {
		WebTestClient management = management();
		management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.status").isEqualTo("UP");
		management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
			.expectBody(String.class).value(body -> assertThat(body)
				.contains("customers_duplicates_total"));
	}

}

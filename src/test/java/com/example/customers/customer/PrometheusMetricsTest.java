package com.example.customers.customer;

import java.util.Arrays;
import java.util.List;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.Parallel;
import com.example.customers.support.Reply;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a Prometheus scraping /actuator/prometheus gets: the duplicate counter by stage, the shed count, and request
 * histograms.
 */
@ServiceTest
@TestPropertySource(properties = "customers.race-window=2s")
class PrometheusMetricsTest {

	private final WebTestClient http;

	private final CustomerClient client;

	@Autowired
	PrometheusMetricsTest(WebTestClient http, @Value("${local.management.port}") int managementPort) {
		// Prometheus scrapes the management port. A scrape after the whole suite's requests is larger than
		// WebTestClient's default 256 KiB.
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + managementPort)
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
			.build();
		this.client = new CustomerClient(http);
	}

	@Test
	void duplicatesCaughtByTheConstraintAndRequestHistogramsAreScraped() {
		String login = uniqueLogin("scraped");
		String before = scrape();

		List<Reply> race = Parallel.run(5, i -> this.client.create(login));
		Reply sequential = this.client.create(login);
		String after = scrape();

		assertThat(race).filteredOn(reply -> reply.status() == 400).hasSize(4);
		assertThat(sequential.status()).isEqualTo(400);
		double byConstraint = increase(before, after, "customers_duplicates_total", "stage=\"constraint\"");
		double byCheck = increase(before, after, "customers_duplicates_total", "stage=\"check\"");
		assertThat(byConstraint).as("duplicates the constraint caught in the race").isPositive();
		assertThat(byCheck).as("duplicates the check caught, the sequential one included").isPositive();
		assertThat(byConstraint + byCheck).as("every duplicate counted once").isEqualTo(5);
		assertThat(increase(before, after, "http_server_requests_seconds_count", "method=\"POST\"", "status=\"400\"",
				"uri=\"/api/customer/\"")).as("400s in the request histogram").isEqualTo(5);
		assertThat(after).containsPattern(
				"(?m)^http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/customer/\"[^}]*le=\"[0-9.]+\"[^}]*}");
	}

	/** Zero until the service sheds a request (ConstrainedResourcesTest makes it shed), but always there to graph. */
	@Test
	void theCountOfShedRequestsIsScraped() {
		assertThat(scrape()).containsPattern("(?m)^customers_requests_shed_total [0-9.E]+$");
	}

	private String scrape() {
		return this.http.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/** How much the samples of a metric with all the given labels grew between two scrapes. */
	private static double increase(String before, String after, String metric, String... labels) {
		return sum(after, metric, labels) - sum(before, metric, labels);
	}

	private static double sum(String scrape, String metric, String... labels) {
		return scrape.lines()
			.filter(line -> line.startsWith(metric + "{"))
			.filter(line -> Arrays.stream(labels).allMatch(label -> line.substring(0, line.lastIndexOf('}')).contains(label)))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

}

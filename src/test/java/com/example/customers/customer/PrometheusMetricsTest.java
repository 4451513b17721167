package com.example.customers.customer;

import java.util.List;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.Parallel;
import com.example.customers.support.Reply;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/** What a Prometheus scraping /actuator/prometheus gets: the duplicate counter by stage, and request histograms. */
@ServiceTest
class PrometheusMetricsTest {

	private final WebTestClient http;

	private final CustomerClient client;

	@Autowired
	PrometheusMetricsTest(WebTestClient http) {
		// A scrape after the whole suite's requests is larger than WebTestClient's default 256 KiB.
		this.http = http.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
		this.client = new CustomerClient(http);
	}

	@Test
	void duplicatesCaughtByTheConstraintAndRequestHistogramsAreScraped() {
		String login = uniqueLogin("scraped");
		List<Reply> race = Parallel.run(5, i -> this.client.create(login));
		this.client.create(login);

		String scraped = this.http.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(race).filteredOn(reply -> reply.status() == 400).hasSize(4);
		assertThat(scraped).containsPattern("(?m)^customers_duplicates_total\\{[^}]*stage=\"constraint\"[^}]*} [1-9]")
			.containsPattern("(?m)^customers_duplicates_total\\{[^}]*stage=\"check\"[^}]*} [1-9]")
			.containsPattern("(?m)^http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/customer/\"[^}]*le=\"[0-9.]+\"[^}]*}");
	}

}

package com.example.customers.customer;

import java.util.List;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.Parallel;
import com.example.customers.support.Reply;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.idOf;
import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every write of a login tells its phases in a Server-Timing header: what the race page draws, and what a browser's
 * developer tools and {@code curl -i} show. The durations are not asserted beyond what the 500 ms window makes
 * certain, so a loaded machine cannot fail them.
 */
@ServiceTest
class ServerTimingTest {

	private static final String MS = "\\d+\\.\\d";

	private static final String WINDOW_OF_AT_LEAST_500_MS = "window;dur=([5-9]\\d\\d|\\d{4,})\\.\\d";

	private final CustomerClient client;

	@Autowired
	ServerTimingTest(WebTestClient http) {
		this.client = new CustomerClient(http);
	}

	@Test
	void aCreateTellsItsCheckWindowAndWrite() {
		Reply created = this.client.create(uniqueLogin("timing"));

		assertThat(created.status()).isEqualTo(201);
		assertThat(serverTiming(created)).matches("check;dur=" + MS + ", " + WINDOW_OF_AT_LEAST_500_MS + ", write;dur=" + MS);
	}

	@Test
	void aDuplicateCaughtByTheCheckSaysSoAndHadNoWindow() {
		String login = uniqueLogin("timing-taken");
		this.client.create(login);

		Reply refused = this.client.create(login);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(serverTiming(refused)).matches("check;dur=" + MS + ", caught;desc=\"check\"");
	}

	@Test
	void theLosersOfARaceSayTheConstraintCaughtThemAfterTheirWrite() {
		String login = uniqueLogin("timing-race");

		List<Reply> replies = Parallel.run(10, i -> this.client.create(login));

		assertThat(replies).filteredOn(reply -> reply.status() == 400)
			.hasSize(9)
			.allSatisfy(refused -> assertThat(serverTiming(refused)).matches("check;dur=" + MS + ", ("
					+ WINDOW_OF_AT_LEAST_500_MS + ", write;dur=" + MS + ", caught;desc=\"constraint\"|caught;desc=\"check\")"))
			.anySatisfy(refused -> assertThat(serverTiming(refused)).endsWith("caught;desc=\"constraint\""));
	}

	@Test
	void aRenameTellsItsPhasesToo() {
		long id = idOf(this.client.create(uniqueLogin("timing-rename")));

		Reply renamed = this.client.send(HttpMethod.PATCH, "/api/customer/" + id + "/", loginJson(uniqueLogin("timing-new")));

		assertThat(renamed.status()).isEqualTo(200);
		assertThat(serverTiming(renamed)).matches("check;dur=" + MS + ", " + WINDOW_OF_AT_LEAST_500_MS + ", write;dur=" + MS);
	}

	@Test
	void aReadHasNoPhasesToTell() {
		assertThat(this.client.get("/api/customer/").headers().get("Server-Timing")).isNull();
	}

	private static String serverTiming(Reply reply) {
		List<String> values = reply.headers().get("Server-Timing");
		assertThat(values).as("Server-Timing headers").hasSize(1);
		return values.get(0);
	}

}

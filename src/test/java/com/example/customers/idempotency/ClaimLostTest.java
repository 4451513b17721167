package com.example.customers.idempotency;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that outlives the claim timeout loses its key to a retry that takes it over. Its insert must roll back
 * and its client hear 409, so that the key still ends with exactly one customer: the retry's. The race window (5 s)
 * is far longer than the claim timeout (1 s), so the retry takes over long before the first request writes, however
 * slow the machine.
 */
@ServiceTest
@TestPropertySource(properties = { "customers.race-window=5s", "customers.idempotency.claim-timeout=1s" })
class ClaimLostTest {

	private final CustomerClient client;

	private final Rows rows;

	@Autowired
	ClaimLostTest(WebTestClient http, DatabaseClient db) {
		this.client = new CustomerClient(http);
		this.rows = new Rows(db);
	}

	@Test
	void aRequestWhoseClaimWasTakenOverRollsBackItsInsertAndGetsConflict() {
		String key = "key-" + UUID.randomUUID();
		String login = uniqueLogin("claim-lost");
		CompletableFuture<Reply> first = CompletableFuture.supplyAsync(() -> post(key, login));

		Reply retry = post(key, login);
		while (retry.status() == 409 && !first.isDone()) {
			retry = post(key, login);
		}
		Reply lost = first.join();

		assertThat(lost.status()).as("the request that lost its claim").isEqualTo(409);
		assertThat(lost.body()).isEqualTo(CustomerClient.KEY_IN_PROGRESS);
		assertThat(retry.status()).as("the retry that took the claim over").isEqualTo(201);
		assertThat(retry.headers().getFirst(IdempotentRequests.REPLAYED)).isNull();
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
		assertThat(CustomerClient.idOf(retry)).as("the one customer is the retry's")
			.isEqualTo(CustomerClient.idOf(post(key, login)));
	}

	private Reply post(String key, String login) {
		return this.client.createWithKey(key, loginJson(login));
	}

}

package com.example.customers.idempotency;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

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

	private final DatabaseClient db;

	@Autowired
	ClaimLostTest(WebTestClient http, DatabaseClient db) {
		this.client = new CustomerClient(http);
		this.rows = new Rows(db);
		this.db = db;
	}

	@Test
	void aRequestWhoseClaimWasTakenOverRollsBackItsInsertAndGetsConflict() {
		String key = "key-" + UUID.randomUUID();
		String login = uniqueLogin("claim-lost");
		CompletableFuture<Answered> first = CompletableFuture.supplyAsync(() -> new Answered(post(key, login)));
		UUID firstClaim = claimOnceTaken(key);

		Answered retry = new Answered(post(key, login));
		while (retry.reply().status() == 409 && !first.isDone()) {
			retry = new Answered(post(key, login));
		}
		Answered lost = first.join();

		assertThat(lost.reply().status()).as("the request that lost its claim").isEqualTo(409);
		assertThat(lost.reply().body()).isEqualTo(CustomerClient.KEY_IN_PROGRESS);
		assertThat(retry.reply().status()).as("the retry that took the claim over").isEqualTo(201);
		assertThat(retry.reply().headers().getFirst(IdempotentRequests.REPLAYED)).isNull();
		assertThat(lost.nanos()).as("the first request's 409 came before the retry's 201").isLessThan(retry.nanos());
		assertThat(claimOf(key)).as("the claim now held").hasValueSatisfying(
				claim -> assertThat(claim).as("the first request's claim, taken over").isNotEqualTo(firstClaim));
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
		assertThat(CustomerClient.idOf(retry.reply())).as("the one customer is the retry's")
			.isEqualTo(CustomerClient.idOf(post(key, login)));
	}

	/** Only once the first request holds the key can a retry take it over; before that, it would simply win it. */
	private UUID claimOnceTaken(String key) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		Optional<UUID> claim = claimOf(key);
		while (claim.isEmpty() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
			claim = claimOf(key);
		}
		return claim.orElseThrow(() -> new AssertionError("the first request never claimed its key"));
	}

	private Optional<UUID> claimOf(String key) {
		return this.db.sql("SELECT claim_token FROM idempotency_key WHERE key = $1")
			.bind(0, key)
			.map(row -> row.get(0, UUID.class))
			.one()
			.blockOptional();
	}

	private Reply post(String key, String login) {
		return this.client.createWithKey(key, loginJson(login));
	}

	/** A reply and when it arrived. */
	private record Answered(Reply reply, long nanos) {

		Answered(Reply reply) {
			this(reply, System.nanoTime());
		}

	}

}

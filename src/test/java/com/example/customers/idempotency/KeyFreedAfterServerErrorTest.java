package com.example.customers.idempotency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.ProxiedDatabase;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.Schemas;
import com.example.customers.support.ServiceInstance;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.ConfigurableApplicationContext;

import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A keyed create that failed for no fault of the request (a 5xx) frees its key at once: the client's retry with the
 * same key, sent right after the 503, runs and gets its 201. The claim-timeout is a minute here, so a key that was
 * not freed shows as a 409 instead. The failure is the statement timeout: another session holds the customer table in
 * SHARE mode, which lets the existence check read and makes the insert wait.
 */
class KeyFreedAfterServerErrorTest {

	// Logged on purpose: the connections the test resets under the create.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from(ExpectedLogs.CUT_CONNECTIONS).expectingCutConnections();

	private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration AWAY = Duration.ofSeconds(10);

	@Test
	void aRetryWithTheSameKeyRightAfterA503RunsAndIsCreated() {
		try (ProxiedDatabase database = ProxiedDatabase.create("key_freed");
				ConfigurableApplicationContext service = ServiceInstance.start(database.throughProxy(),
						"--customers.statement-timeout=1s", "--customers.race-window=0",
						"--customers.idempotency.claim-timeout=60s")) {
			CustomerClient client = ServiceInstance.client(service);
			String key = UUID.randomUUID().toString();
			String login = uniqueLogin("freed-on-5xx");
			String json = loginJson(login);

			Connection locker = Mono.from(ConnectionFactories.get(
					Schemas.in(DatabaseForTests.located().options(), database.schema())).create())
				.block(Duration.ofSeconds(10));
			Reply failed;
			try {
				Mono.from(locker.beginTransaction()).block(Duration.ofSeconds(10));
				Flux.from(locker.createStatement("LOCK TABLE customer IN SHARE MODE").execute())
					.flatMap(Result::getRowsUpdated)
					.blockLast(Duration.ofSeconds(10));
				failed = client.createWithKey(key, json);
				Mono.from(locker.commitTransaction()).block(Duration.ofSeconds(10));
			}
			finally {
				Mono.from(locker.close()).block(Duration.ofSeconds(10));
			}

			assertThat(failed.status()).as("%s", failed).isEqualTo(503);
			Reply retry = client.createWithKey(key, json);
			assertThat(retry.status()).as("the retry right after the 503: %s", retry).isEqualTo(201);
			assertThat(retry.headers().getFirst(IdempotentRequests.REPLAYED)).as("a fresh run, not a replay").isNull();
			assertThat(Rows.inSchema(database.direct(), database.schema()).withLogin(login)).isEqualTo(1);
		}
	}

	/**
	 * The database goes away after a keyed create has claimed its key: the create answers 503, and the release of its
	 * claim fails too. The client retries with the same key, as it should; once the database is back, a retry runs and
	 * gets its 201, well before the claim timeout (a minute here) would have freed the claim: the service frees it as
	 * soon as it can, rather than answering 409 "in progress" for a request that is over.
	 */
	@Test
	void aClaimThatCouldNotBeFreedWhileTheDatabaseWasAwayIsFreedOnceItIsBack() throws Exception {
		try (ProxiedDatabase database = ProxiedDatabase.create("key_freed_later");
				ConfigurableApplicationContext service = ServiceInstance.start(database.throughProxy(),
						"--customers.statement-timeout=1s", "--customers.race-window=2s",
						"--customers.idempotency.claim-timeout=" + CLAIM_TIMEOUT.toSeconds() + "s")) {
			CustomerClient client = ServiceInstance.client(service);
			String key = UUID.randomUUID().toString();
			String login = uniqueLogin("freed-once-back");
			String json = loginJson(login);

			CompletableFuture<Reply> failing = CompletableFuture.supplyAsync(() -> client.createWithKey(key, json),
					Executors.newSingleThreadExecutor());
			awaitClaimOf(database, key);
			database.proxy().blackHole(AWAY);
			database.proxy().resetAll();
			Reply failed = failing.get(30, TimeUnit.SECONDS);
			assertThat(failed.status()).as("%s", failed).isEqualTo(503);

			List<Integer> retries = new ArrayList<>();
			long giveUp = System.nanoTime() + CLAIM_TIMEOUT.minus(AWAY).dividedBy(2).toNanos();
			while (!retries.contains(201) && System.nanoTime() < giveUp) {
				retries.add(client.createWithKey(key, json).status());
				Thread.sleep(250);
			}
			assertThat(retries).as("the retries' answers, well within the claim timeout").endsWith(201);
			assertThat(Rows.inSchema(database.direct(), database.schema()).withLogin(login)).isEqualTo(1);
		}
	}

	private static void awaitClaimOf(ProxiedDatabase database, String key) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			Long claims = database.direct()
				.sql("SELECT count(*) FROM " + database.schema() + ".idempotency_key WHERE key = $1")
				.bind(0, key)
				.map(row -> row.get(0, Long.class))
				.one()
				.block(Duration.ofSeconds(10));
			if (claims != null && claims > 0) {
				return;
			}
			LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
		}
		throw new AssertionError("the create never claimed its key");
	}

}

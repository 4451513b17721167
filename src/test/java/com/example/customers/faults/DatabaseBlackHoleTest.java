package com.example.customers.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.ProxiedDatabase;
import com.example.customers.support.Reply;
import com.example.customers.support.ServiceInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database stops answering without closing anything (a black-holed network, a frozen server): a request gets
 * 503 once its statement has heard nothing for the statement timeout plus a second, not when its client gives up,
 * and the connection that hung is closed, so that the pool heals once the network does.
 */
class DatabaseBlackHoleTest {

	// Logged on purpose: the connections the black hole leaves silent are closed under their statements.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from(ExpectedLogs.CUT_CONNECTIONS).expectingCutConnections();

	private static final Duration BLACK_HOLE = Duration.ofSeconds(30);

	private static final int POOLED = 4;

	@Test
	void aRequestWhoseDatabaseStopsAnsweringGets503AndThePoolHealsAfter() {
		try (ProxiedDatabase database = ProxiedDatabase.create("black_hole");
				ConfigurableApplicationContext service = ServiceInstance.start(database.throughProxy(),
						"--customers.statement-timeout=1s", "--customers.race-window=0")) {
			CustomerClient client = ServiceInstance.client(service);
			assertThat(client.create(uniqueLogin("before-the-black-hole")).status()).isEqualTo(201);

			database.proxy().blackHole(BLACK_HOLE);
			long start = System.nanoTime();
			Reply during = client.create(uniqueLogin("in-the-black-hole"));
			Duration answeredAfter = Duration.ofNanos(System.nanoTime() - start);
			database.proxy().heal();

			assertThat(during.status()).as("%s", during).isEqualTo(503);
			assertThat(during.body()).isEqualTo("{\"detail\":\"Service temporarily unavailable.\"}");
			assertThat(during.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
			assertThat(answeredAfter).as("answered while the database still did not answer").isLessThan(BLACK_HOLE);
			for (int i = 0; i < 5; i++) {
				assertThat(client.create(uniqueLogin("after-the-black-hole")).status()).as("create %d after", i)
					.isEqualTo(201);
			}
		}
	}

	/**
	 * A server that froze while new connections reach one that answers (a primary that stopped, its cluster failed
	 * over): once one pooled connection is found silent, the others opened before its silence are suspect and not lent
	 * again. One client sending one create after another meets one 503, that of the create that found the first
	 * silent connection, not one per pooled connection, each after a deadline.
	 */
	@Test
	void onceOneConnectionIsFoundSilentTheOthersOpenedBeforeItAreNotLentAgain() {
		try (ProxiedDatabase database = ProxiedDatabase.create("frozen");
				ConfigurableApplicationContext service = ServiceInstance.start(database.throughProxy(),
						"--customers.statement-timeout=1s", "--customers.race-window=0",
						"--spring.r2dbc.pool.initial-size=" + POOLED, "--spring.r2dbc.pool.max-size=" + POOLED)) {
			CustomerClient client = ServiceInstance.client(service);
			assertThat(client.create(uniqueLogin("before-the-freeze")).status()).isEqualTo(201);
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (database.proxy().openConnections() < POOLED && System.nanoTime() < deadline) {
				LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
			}
			assertThat(database.proxy().openConnections()).as("pooled connections").isEqualTo(POOLED);

			database.proxy().silenceOpenConnections();
			List<Integer> statuses = new ArrayList<>();
			while (!statuses.contains(201) && statuses.size() < 2 * POOLED) {
				statuses.add(client.create(uniqueLogin("after-the-freeze")).status());
			}

			assertThat(statuses).as("one client's creates, one after another, until the first 201")
				.containsExactly(503, 201);
		}
	}

}

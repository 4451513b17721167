package com.example.customers.faults;

import java.time.Duration;

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

}

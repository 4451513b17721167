package com.example.customers.faults;

import java.util.List;
import java.util.stream.IntStream;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.ProxiedDatabase;
import com.example.customers.support.Reply;
import com.example.customers.support.ServiceInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * While the database refuses connections, every request fails alike: each is answered 503 at once, and the log says
 * so once per kind of failure (every ten seconds at most), not once per request, so that an outage under load does
 * not also flood the log.
 */
class OutageLogTest {

	private static final String ERROR_HANDLER = "com.example.customers.api.ApiErrorHandler";

	private static final int REQUESTS = 30;

	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from(ExpectedLogs.CUT_CONNECTIONS, ERROR_HANDLER)
		.expectingCutConnections()
		.expecting(ERROR_HANDLER, "Database unavailable: ");

	@Test
	void aDatabaseThatRefusesConnectionsIsLoggedOncePerKindOfFailureNotOncePerRequest() {
		try (ProxiedDatabase database = ProxiedDatabase.create("outage_log");
				ConfigurableApplicationContext service = ServiceInstance.start(database.throughProxy(),
						"--customers.race-window=0")) {
			CustomerClient client = ServiceInstance.client(service);
			assertThat(client.create(uniqueLogin("before-outage")).status()).isEqualTo(201);

			database.proxy().close();
			List<Reply> answers = IntStream.range(0, REQUESTS)
				.mapToObj(i -> client.create(uniqueLogin("during-outage")))
				.toList();

			assertThat(answers).extracting(Reply::status).containsOnly(503);
			assertThat(expectedLogs.events()).filteredOn(event -> event.getLoggerName().equals(ERROR_HANDLER))
				.as("lines for %d failed requests: one per kind of failure", REQUESTS)
				.isNotEmpty()
				.hasSizeLessThan(4);
		}
	}

}

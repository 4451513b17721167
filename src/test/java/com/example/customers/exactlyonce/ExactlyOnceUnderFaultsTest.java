package com.example.customers.exactlyonce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.FaultProxy;
import com.example.customers.support.ProxiedDatabase;
import com.example.customers.support.ServiceInstance;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In the manner of a Jepsen test: fifty clients create customers through the 500 ms race window, each retrying the
 * same request with the same Idempotency-Key until a final answer, while a proxy between the service and PostgreSQL
 * resets connections, black-holes traffic, adds latency and cuts connections, some of them just before the reply to
 * a committed write. Then {@link ExactlyOnceChecker} compares every answer with the database. The fault sequence follows the
 * printed seed: {@code -Dexactlyonce.seed=N} replays it, {@code -Dexactlyonce.seconds=600} runs longer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactlyOnceUnderFaultsTest {

	// Logged on purpose: the connections the fault proxy resets or cuts.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from(ExpectedLogs.CUT_CONNECTIONS).expectingCutConnections();

	private static final Log logger = LogFactory.getLog(ExactlyOnceUnderFaultsTest.class);

	private static final int CLIENTS = 50;

	/** The service's sessions name themselves after the test's schema, so that only theirs are inspected. */
	private static final Option<String> APPLICATION_NAME = Option.valueOf("applicationName");

	private final long seed = Long.getLong("exactlyonce.seed", new Random().nextLong());

	private final Duration workload = Duration.ofSeconds(Long.getLong("exactlyonce.seconds", 40));

	/** All kinds by default; {@code -Dexactlyonce.faults=BLACK_HOLE,RESET_ALL} narrows a run down to some. */
	private final List<FaultSchedule.Kind> kinds = Arrays.stream(System.getProperty("exactlyonce.faults",
			Arrays.stream(FaultSchedule.Kind.values()).map(Enum::name).collect(Collectors.joining(","))).split(","))
		.map(String::trim)
		.map(FaultSchedule.Kind::valueOf)
		.toList();

	private ProxiedDatabase database;

	private DatabaseClient db;

	private String schema;

	private FaultProxy proxy;

	private ConfigurableApplicationContext service;

	@BeforeAll
	void startTheServiceBehindTheProxy() {
		this.database = ProxiedDatabase.create("exactly_once");
		this.db = this.database.direct();
		this.schema = this.database.schema();
		this.proxy = this.database.proxy();
		ConnectionFactoryOptions named = this.database.throughProxy()
			.mutate()
			.option(APPLICATION_NAME, this.schema)
			.build();
		this.service = ServiceInstance.start(named, "--customers.idempotency.claim-timeout=3s",
				"--spring.r2dbc.pool.max-acquire-time=2s", "--spring.r2dbc.pool.max-create-connection-time=2s");
	}

	@AfterAll
	void stopEverything() {
		if (this.service != null) {
			this.service.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void everyClientThatRetriesWithItsKeyEndsWithExactlyOneCustomerWhateverTheNetworkDoes() throws Exception {
		logger.info("exactly-once seed " + this.seed + " (replay with -Dexactlyonce.seed=" + this.seed + "), "
				+ this.workload.toSeconds() + " s, faults " + this.kinds);
		String baseUrl = ServiceInstance.baseUrl(this.service);
		Random seeds = new Random(this.seed);
		FaultSchedule faults = new FaultSchedule(this.proxy, seeds.nextLong(), this.workload, this.kinds);
		List<RetryingClient> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			clients.add(new RetryingClient(i, baseUrl, seeds.nextLong(), this.workload, this.workload.plusSeconds(60)));
		}

		ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
		List<Future<?>> running = new ArrayList<>();
		running.add(threads.submit(faults));
		clients.forEach(client -> running.add(threads.submit(client)));
		threads.shutdown();
		assertThat(threads.awaitTermination(this.workload.toSeconds() + 120, TimeUnit.SECONDS))
			.as("the workload ended").isTrue();
		this.proxy.heal();
		// A client that threw would otherwise vanish, its keys counted as given up.
		for (Future<?> each : running) {
			each.get();
		}

		ExactlyOnceChecker checker = new ExactlyOnceChecker().check(
				clients.stream().flatMap(client -> client.keys().stream()).toList(), customers(),
				ServiceSessions.transactionsLeftOpen(this.db, this.schema));
		logger.info("exactly-once seed " + this.seed + ": faults fired " + faults.fired() + " (cuts made "
				+ this.proxy.cutsMade() + "); " + checker.counts()
				+ "; violations " + checker.violations().size());
		assertThat(checker.violations()).as("violations, seed " + this.seed).isEmpty();
		assertThat(sessionsOfTheService()).as("the service's sessions, found by their name").isPositive();
		assertThat(faults.fired().values().stream().mapToInt(Integer::intValue).sum()).as("faults fired").isPositive();
		if (faults.fired().keySet().stream().anyMatch(FaultSchedule.Kind::cuts)) {
			assertThat(this.proxy.cutsMade()).as("connections the armed cuts really cut").isPositive();
		}
		assertThat(checker.counts().getOrDefault("retries", 0)).as("retries the faults caused").isPositive();
	}

	private long sessionsOfTheService() {
		return this.db.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1")
			.bind(0, this.schema)
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	private List<ExactlyOnceChecker.Row> customers() {
		return this.db.sql("SELECT id, login FROM " + this.schema + ".customer")
			.map(row -> new ExactlyOnceChecker.Row(row.get(0, Long.class), row.get(1, String.class)))
			.all()
			.collectList()
			.block();
	}

}

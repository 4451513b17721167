package com.example.customers.exactlyonce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.example.customers.support.ServiceInstance;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database's primary fails under load, three ways, on a real three-member Patroni cluster ({@code ha/cluster.sh},
 * synchronous replication): its postmaster is killed, a planned switchover hands the lead over, and its machine stops
 * answering (Patroni and PostgreSQL frozen, so that TCP still connects but nothing replies, until a standby is
 * promoted; then it is thawed and rejoins). Through each, the exactly-once workload (clients retrying with their
 * Idempotency-Keys), rounds of 20 simultaneous creates of one login, and a probe creating one customer after another run against one
 * instance of the service, which finds the primary by itself ({@code r2dbc:postgresql:failover://...}).
 * <p>
 * Afterwards, on the primary of the day: {@link ExactlyOnceChecker} finds no violation (every 201 has its customer, no
 * customer that no client was told about, no session left in a transaction); no login of a round has two 201s or two
 * rows, and a round's 400 always has its row; every 201 of the probe has its row. Printed for each fault: the time
 * from the fault to the first 201 again, the 503s in between, and the longest any client waited.
 * <p>
 * Tagged {@code ha}: it needs root (Patroni runs as postgres) and the Debian packages that {@code ha/cluster.sh
 * install} brings, so {@code ./mvnw verify} leaves it out and {@code .ci/ha.sh} runs it.
 */
@Tag("ha")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrimaryFailoverTest {

	private static final Log logger = LogFactory.getLog(PrimaryFailoverTest.class);

	private static final String APPLICATION_NAME = "failover-test";

	private static final int CLIENTS = 20;

	private static final int RACERS = 20;

	private static final Duration WORKLOAD = Duration.ofSeconds(30);

	private static final Duration FAULT_AFTER = Duration.ofSeconds(8);

	enum Fault {

		KILL_PRIMARY("kill-primary"), SWITCHOVER("switchover"), FREEZE_PRIMARY("freeze-primary");

		private final String command;

		Fault(String command) {
			this.command = command;
		}

		String prefix() {
			return name().toLowerCase().replace('_', '-') + "-";
		}

	}

	private HaCluster cluster;

	private ConfigurableApplicationContext service;

	private DatabaseClient primary;

	private CustomerRows customers;

	private String baseUrl;

	private Creates creates;

	@BeforeAll
	void startTheClusterAndTheService() throws InterruptedException {
		this.cluster = HaCluster.start();
		this.cluster.awaitHealthy(Duration.ofSeconds(90));
		ConnectionFactoryOptions cluster = ConnectionFactoryOptions.parse(this.cluster.url());
		this.primary = DatabaseClient.create(ConnectionFactories.get(cluster));
		this.customers = new CustomerRows(this.primary);
		// The claim timeout is the default (30 s), as users run it: a retry must not wait it out (see the 409s below).
		this.service = ServiceInstance.start(
				cluster.mutate().option(Option.valueOf("applicationName"), APPLICATION_NAME).build());
		this.baseUrl = ServiceInstance.baseUrl(this.service);
		this.creates = new Creates(this.baseUrl);
	}

	@AfterAll
	void stopEverything() {
		if (this.service != null) {
			this.service.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	/** All three by default; {@code -Dfailover.faults=FREEZE_PRIMARY} narrows a run down to some. */
	static Stream<Fault> faults() {
		return Arrays.stream(System.getProperty("failover.faults", "KILL_PRIMARY,SWITCHOVER,FREEZE_PRIMARY").split(","))
			.map(String::trim)
			.map(Fault::valueOf);
	}

	@ParameterizedTest
	@MethodSource("faults")
	void noAcknowledgedCreateIsLostAndNoLoginIsCreatedTwiceWhenThePrimaryFails(Fault fault) throws Exception {
		if (fault == Fault.FREEZE_PRIMARY) {
			// The first member of the URL: r2dbc-postgresql's own failover connection tries the members in order, and
			// a frozen first member is the one it never gets past.
			this.cluster.leadBy("pg1");
		}
		this.cluster.awaitHealthy(Duration.ofSeconds(90));
		long seed = new Random().nextLong();
		Random seeds = new Random(seed);
		List<RetryingClient> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			clients.add(new RetryingClient(fault.prefix(), i, this.baseUrl, seeds.nextLong(), WORKLOAD,
					WORKLOAD.plusSeconds(60)));
		}
		List<Creates.Exchange> probes = Collections.synchronizedList(new ArrayList<>());
		List<List<Creates.Exchange>> rounds = Collections.synchronizedList(new ArrayList<>());
		long end = System.nanoTime() + WORKLOAD.toNanos();

		ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 2);
		List<Future<?>> running = new ArrayList<>();
		clients.forEach(client -> running.add(threads.submit(client)));
		running.add(threads.submit(() -> probe(fault.prefix() + "probe-", end, probes)));
		running.add(threads.submit(() -> raceRounds(fault.prefix() + "race-", end, rounds)));
		threads.shutdown();

		Thread.sleep(FAULT_AFTER.toMillis());
		long faultNanos = System.nanoTime();
		String faulted = this.cluster.fault(fault.command);
		logger.info(fault + ": faulted " + faulted + " (seed " + seed + ")");
		assertThat(threads.awaitTermination(WORKLOAD.toSeconds() + 120, TimeUnit.SECONDS)).as("the workload ended")
			.isTrue();
		for (Future<?> each : running) {
			each.get();
		}
		this.cluster.thaw();
		this.cluster.awaitHealthy(Duration.ofSeconds(120));

		report(fault, faultNanos, clients, probes, rounds);
		assertThat(ServiceSessions.count(this.primary, APPLICATION_NAME)).as("the service's sessions on the primary")
			.isPositive();
		ExactlyOnceChecker checker = new ExactlyOnceChecker().check(
				clients.stream().flatMap(client -> client.keys().stream()).toList(),
				this.customers.startingWith("exactly-once-" + fault.prefix()),
				ServiceSessions.transactionsLeftOpen(this.primary, APPLICATION_NAME));
		assertThat(checker.violations()).as("exactly-once violations, seed " + seed).isEmpty();
		assertThat(Creates.roundViolations(rounds, this.customers::named)).as("race rounds").isEmpty();
		assertThat(rounds).as("rounds in which a create succeeded")
			.anyMatch(round -> round.stream().anyMatch(exchange -> exchange.status() == 201));
		assertThat(probes.stream().filter(exchange -> exchange.status() == 201)
			.filter(exchange -> this.customers.named(exchange.login()).size() != 1)
			.toList()).as("probes told 201 whose customer is not there").isEmpty();
		assertThat(probes.stream().filter(exchange -> exchange.sentNanos() > faultNanos)
			.anyMatch(exchange -> exchange.status() == 201)).as("the service created again after the fault").isTrue();
		// A request may wait for the pool's acquire limit (1 s), then for the deadline on a silent connection (6 s).
		assertThat(longestWait(clients, probes, rounds)).as("the longest any client waited")
			.isLessThan(Duration.ofSeconds(20));
		assertThat(allStatuses(clients, probes, rounds)).as("no answer but 201, 400 (a round's losers), 409, 503 or none")
			.allMatch(status -> List.of(0, 201, 400, 409, 503).contains(status));
		// A retry of a request answered 503 is not concurrent with it: once the database is back, its claim is freed.
		assertThat(inProgressShare(clients)).as("the share of keyed answers that were 409 'in progress'")
			.isLessThan(0.05);
	}

	private static double inProgressShare(List<RetryingClient> clients) {
		List<Integer> keyed = clients.stream().flatMap(client -> client.keys().stream())
			.flatMap(key -> key.answers().stream())
			.map(KeyHistory.Answer::status)
			.toList();
		return keyed.stream().filter(status -> status == 409).count() / (double) Math.max(1, keyed.size());
	}

	/** Creates of fresh logins one after another (each waits out the race window): when creating stopped, and when it came back. */
	private void probe(String prefix, long end, List<Creates.Exchange> probes) {
		for (int n = 0; System.nanoTime() < end; n++) {
			probes.add(this.creates.create(prefix + n));
			sleep(100);
		}
	}

	/** Rounds of {@value #RACERS} simultaneous creates of one new login each, back to back. */
	private void raceRounds(String prefix, long end, List<List<Creates.Exchange>> rounds) {
		for (int n = 0; System.nanoTime() < end; n++) {
			String login = prefix + n;
			rounds.add(this.creates.round(login, RACERS));
		}
	}

	private void report(Fault fault, long faultNanos, List<RetryingClient> clients, List<Creates.Exchange> probes,
			List<List<Creates.Exchange>> rounds) {
		List<Creates.Exchange> seen = Stream.concat(probes.stream(), rounds.stream().flatMap(List::stream))
			.filter(exchange -> exchange.answeredNanos() > faultNanos)
			.toList();
		long firstFailure = seen.stream().filter(exchange -> exchange.status() != 201 && exchange.status() != 400)
			.mapToLong(Creates.Exchange::answeredNanos).min().orElse(Long.MAX_VALUE);
		String backAfter = (firstFailure == Long.MAX_VALUE) ? "0 s (never stopped)"
				: seen.stream().filter(exchange -> exchange.status() == 201 && exchange.answeredNanos() > firstFailure)
					.mapToLong(Creates.Exchange::answeredNanos).min().stream()
					.mapToObj(nanos -> String.format("%.1f s", (nanos - faultNanos) / 1e9))
					.findFirst().orElse("never");
		long answered503 = allStatuses(clients, probes, rounds).filter(status -> status == 503).count();
		logger.info(String.format("failover %s: first 201 again %s after the fault; %d answers 503; longest wait %.1f s;"
				+ " %d keys, %.1f%% of their answers 409; %d probes, %d rounds", fault, backAfter, answered503,
				longestWait(clients, probes, rounds).toMillis() / 1e3,
				clients.stream().mapToInt(client -> client.keys().size()).sum(), 100 * inProgressShare(clients),
				probes.size(), rounds.size()));
	}

	private Duration longestWait(List<RetryingClient> clients, List<Creates.Exchange> probes,
			List<List<Creates.Exchange>> rounds) {
		return Stream.concat(probes.stream(), rounds.stream().flatMap(List::stream))
			.map(Creates.Exchange::took)
			.reduce(clients.stream().map(RetryingClient::longestWait).reduce(Duration.ZERO, this::longer), this::longer);
	}

	private Duration longer(Duration one, Duration other) {
		return (one.compareTo(other) >= 0) ? one : other;
	}

	private Stream<Integer> allStatuses(List<RetryingClient> clients, List<Creates.Exchange> probes,
			List<List<Creates.Exchange>> rounds) {
		return Stream.of(clients.stream().flatMap(client -> client.keys().stream())
			.flatMap(key -> key.answers().stream())
			.map(KeyHistory.Answer::status), probes.stream().map(Creates.Exchange::status),
				rounds.stream().flatMap(List::stream).map(Creates.Exchange::status))
			.flatMap(each -> each);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

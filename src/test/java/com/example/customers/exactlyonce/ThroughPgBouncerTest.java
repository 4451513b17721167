package com.example.customers.exactlyonce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.ServiceInstance;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service through a real PgBouncer in transaction mode ({@code ha/pgbouncer.sh}), set up as docs/scale-out.md says: the
 * exactly-once workload and rounds of 20 simultaneous creates of one login, at once. A transaction pooler sends
 * consecutive statements of one connection to different server connections, so whatever a connection keeps between
 * statements (a named prepared statement, a session setting) breaks here first: no answer may be a 500, and the
 * constraint must still decide every round.
 * <p>
 * Tagged {@code ha} with {@link PrimaryFailoverTest}: it needs root (PgBouncer runs as postgres) and Debian's package.
 */
@Tag("ha")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThroughPgBouncerTest {

	private static final String DATABASE = "customers_pgbouncer";

	private static final Duration WORKLOAD = Duration.ofSeconds(20);

	private static final int CLIENTS = 20;

	private static final int RACERS = 20;

	private static final String APPLICATION_NAME = "pgbouncer-test";

	/** db.MigrationLock's key: start-up's advisory lock around the migration. */
	private static final long MIGRATION_LOCK = 7_203_511_846_001L;

	/** ha/pgbouncer.ini.template's default_pool_size: the server connections PgBouncer opens for the database. */
	private static final int SERVER_CONNECTIONS = 20;

	// Logged on purpose: the start-up that must give up while a session behind PgBouncer holds the migration lock.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.startsWhereOneFails();

	private String pooled;

	private String direct;

	private CustomerRows customers;

	private DatabaseClient server;

	private ConfigurableApplicationContext service;

	@BeforeAll
	void startPgBouncerAndTheServiceBehindIt() {
		ConnectionFactoryOptions server = DatabaseForTests.located().options();
		String target = server.getRequiredValue(ConnectionFactoryOptions.HOST) + ":"
				+ server.getRequiredValue(ConnectionFactoryOptions.PORT);
		DatabaseClient admin = DatabaseClient.create(ConnectionFactories.get(server));
		this.server = admin;
		admin.sql("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)").then().block(Duration.ofSeconds(30));
		admin.sql("CREATE DATABASE " + DATABASE).then().block(Duration.ofSeconds(30));
		// The run's database may name a schema of its own; the service here migrates its new database's public one.
		this.customers = new CustomerRows(DatabaseClient.create(ConnectionFactories.get(server.mutate()
			.option(ConnectionFactoryOptions.DATABASE, DATABASE)
			.option(Option.valueOf("schema"), "public")
			.build())));
		String pooled = PgBouncer.start(DATABASE, target);
		this.pooled = pooled;
		this.direct = "jdbc:postgresql://" + target + "/" + DATABASE;
		// The migration goes straight to PostgreSQL: its lock is a session's advisory lock, which a transaction
		// pooler cannot keep.
		// PgBouncer hands the client's application_name on to the server connection it lends: the service's sessions
		// are found on the server by it.
		this.service = ServiceInstance.start(ConnectionFactoryOptions.parse(pooled).mutate()
			.option(Option.valueOf("applicationName"), APPLICATION_NAME)
			.build(),
				"--spring.flyway.url=" + this.direct,
				"--spring.flyway.user=" + server.getValue(ConnectionFactoryOptions.USER));
	}

	/**
	 * In transaction pooling, two clients' statements can run on one server session, where an advisory lock is
	 * re-entrant: an instance taking the migration lock through PgBouncer would be let in by a lock another instance
	 * holds. Here every server connection but one is held in an open transaction, and the lock is taken through
	 * PgBouncer on the one left, where every statement an instance sends through PgBouncer lands too. The instance
	 * must find the lock held, wait out its start-up wait and stop, as it would beside any other holder.
	 */
	@Test
	void aMigrationLockHeldBehindThePoolerKeepsAnotherInstanceOutThoughTheyShareOneServerSession() {
		ConnectionFactory throughPgBouncer = ConnectionFactories.get(this.pooled);
		List<Connection> clients = new ArrayList<>();
		try {
			for (int i = 1; i < SERVER_CONNECTIONS; i++) {
				Connection pinning = connect(throughPgBouncer, clients);
				Mono.from(pinning.beginTransaction()).block(Duration.ofSeconds(30));
				first(pinning, "SELECT 1");
			}
			Connection lockHolder = connect(throughPgBouncer, clients);
			assertThat(first(lockHolder, "SELECT pg_try_advisory_lock(" + MIGRATION_LOCK + ")")).isEqualTo(true);

			assertThatThrownBy(() -> ServiceInstance.start(ConnectionFactoryOptions.parse(this.pooled),
					"--spring.flyway.url=" + this.direct, "--spring.flyway.user=postgres",
					"--customers.startup-wait=2s", "--spring.r2dbc.pool.initial-size=1"))
				.rootCause()
				.hasMessageStartingWith("Another session has held the migration lock for over 2s");
		}
		finally {
			clients.forEach(client -> Mono.from(client.close()).block(Duration.ofSeconds(30)));
			// The lock outlives its client in PgBouncer's server session: it ends with that session.
			this.server.sql("""
					SELECT pg_terminate_backend(pid) FROM pg_locks
					WHERE locktype = 'advisory' AND (classid::bigint << 32 | objid::bigint) = $1""")
				.bind(0, MIGRATION_LOCK)
				.then()
				.block(Duration.ofSeconds(30));
		}
	}

	private static Connection connect(ConnectionFactory factory, List<Connection> opened) {
		Connection connection = Mono.from(factory.create()).block(Duration.ofSeconds(30));
		opened.add(connection);
		return connection;
	}

	private static Object first(Connection connection, String sql) {
		return Flux.from(connection.createStatement(sql).execute())
			.concatMap(result -> result.map((row, metadata) -> row.get(0)))
			.blockFirst(Duration.ofSeconds(30));
	}

	@AfterAll
	void stopEverything() {
		if (this.service != null) {
			this.service.close();
		}
		PgBouncer.stop();
	}

	@Test
	void everyKeyEndsWithOneCustomerAndEveryRoundWithOneThroughATransactionPooler() throws Exception {
		String baseUrl = ServiceInstance.baseUrl(this.service);
		Creates creates = new Creates(baseUrl);
		long seed = new Random().nextLong();
		Random seeds = new Random(seed);
		List<RetryingClient> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			clients.add(new RetryingClient("pgbouncer-", i, baseUrl, seeds.nextLong(), WORKLOAD,
					WORKLOAD.plusSeconds(60)));
		}
		List<List<Creates.Exchange>> rounds = Collections.synchronizedList(new ArrayList<>());
		long end = System.nanoTime() + WORKLOAD.toNanos();

		ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
		List<Future<?>> running = new ArrayList<>();
		clients.forEach(client -> running.add(threads.submit(client)));
		running.add(threads.submit(() -> {
			for (int n = 0; System.nanoTime() < end; n++) {
				rounds.add(creates.round("pgbouncer-race-" + n, RACERS));
			}
		}));
		threads.shutdown();
		assertThat(threads.awaitTermination(WORKLOAD.toSeconds() + 120, TimeUnit.SECONDS)).isTrue();
		for (Future<?> each : running) {
			each.get();
		}

		ExactlyOnceChecker checker = new ExactlyOnceChecker().check(
				clients.stream().flatMap(client -> client.keys().stream()).toList(),
				this.customers.startingWith("exactly-once-"),
				ServiceSessions.transactionsLeftOpen(this.server, APPLICATION_NAME));
		assertThat(ServiceSessions.count(this.server, APPLICATION_NAME)).as("the service's sessions on the server")
			.isPositive();
		assertThat(checker.violations()).as("exactly-once violations, seed " + seed).isEmpty();
		assertThat(rounds).as("rounds raced").hasSizeGreaterThan(5);
		assertThat(Creates.roundViolations(rounds, this.customers::named)).as("race rounds").isEmpty();
		assertThat(Stream.concat(
				clients.stream().flatMap(client -> client.keys().stream()).flatMap(key -> key.answers().stream())
					.map(KeyHistory.Answer::status),
				rounds.stream().flatMap(List::stream).map(Creates.Exchange::status)))
			.as("every answer a 201, or a round's 400").allMatch(status -> status == 201 || status == 400);
	}

}

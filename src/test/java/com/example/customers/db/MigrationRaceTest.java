package com.example.customers.db;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.Parallel;
import com.example.customers.support.Schemas;
import com.example.customers.support.ServiceInstance;
import com.example.customers.support.ServiceTest;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight instances start on an empty database: every one comes up, and the schema is migrated exactly once. The test
 * holds the migration's advisory lock (MigrationLock) while they start, and lets go only once all eight are trying to
 * take it, so that they really compete: then the lock, not a retry, makes the others wait for the first. Flyway's own
 * lock comes too late for a database without its history table. And an instance that cannot have the lock within its
 * start-up wait stops, naming the session that holds it.
 */
@ServiceTest
class MigrationRaceTest {

	// Logged on purpose: the start-up that must give up while another instance holds the migration lock.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.startsWhereOneFails();

	private static final int INSTANCES = 8;

	private static final int ROUNDS = 3;

	private static final Duration PATIENCE = Duration.ofSeconds(120);

	private static final Option<String> APPLICATION_NAME = Option.valueOf("applicationName");

	private static final String LOCK_HOLDER = "migration-race-test";

	private final Schemas schemas;

	private final DatabaseClient db;

	private final R2dbcConnectionDetails database;

	@Autowired
	MigrationRaceTest(DatabaseClient db, R2dbcConnectionDetails database) {
		this.db = db;
		this.schemas = new Schemas(db);
		this.database = database;
	}

	@Test
	void eightInstancesStartingAtOnceOnAnEmptyDatabaseAllComeUpAndMigrateItOnce() throws Exception {
		for (int round = 1; round <= ROUNDS; round++) {
			startEightAtOnceOnAnEmptySchema();
		}
	}

	@Test
	void anInstanceThatCannotHaveTheMigrationLockStopsAfterItsStartupWaitAndNamesWhoHoldsIt() throws Exception {
		String schema = this.schemas.create("migration_lock");
		ConnectionFactoryOptions options = Schemas.in(this.database.getConnectionFactoryOptions(), schema);
		Connection lockHolder = Mono.from(ConnectionFactories.get(this.database.getConnectionFactoryOptions()
			.mutate()
			.option(APPLICATION_NAME, "stuck-migration")
			.build()).create()).block(PATIENCE);
		try {
			run(lockHolder, "SELECT pg_advisory_lock(" + MigrationLock.KEY + ")");
			CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture
				.supplyAsync(() -> ServiceInstance.start(options, "--customers.startup-wait=2s"));

			assertThat(starting).failsWithin(PATIENCE)
				.withThrowableThat()
				.havingRootCause()
				.withMessageStartingWith("Another session has held the migration lock for over 2s (customers.startup-wait): pid ")
				.withMessageContaining("(stuck-migration)");
		}
		finally {
			Mono.from(lockHolder.close()).block(PATIENCE);
			this.schemas.drop(schema);
		}
	}

	private void startEightAtOnceOnAnEmptySchema() throws Exception {
		String schema = this.schemas.create("migration_race");
		// The instances' sessions carry the schema's name, so that only theirs are counted below.
		ConnectionFactoryOptions options = Schemas.in(this.database.getConnectionFactoryOptions(), schema)
			.mutate()
			.option(APPLICATION_NAME, schema)
			.build();
		CompletableFuture<List<ConfigurableApplicationContext>> starting = null;
		// A connection of its own, outside any pool: closing it ends the session and so releases the lock.
		Connection lockHolder = Mono.from(ConnectionFactories.get(this.database.getConnectionFactoryOptions()
			.mutate()
			.option(APPLICATION_NAME, LOCK_HOLDER)
			.build()).create()).block(PATIENCE);
		try {
			run(lockHolder, "SELECT pg_advisory_lock(" + MigrationLock.KEY + ")");
			// Small pools: eight instances beside the suite's cached contexts stay within max_connections.
			starting = CompletableFuture.supplyAsync(() -> Parallel.run(INSTANCES, i -> ServiceInstance.start(options,
					"--spring.r2dbc.pool.initial-size=1", "--spring.r2dbc.pool.max-size=2",
					"--customers.startup-wait=" + PATIENCE.toSeconds() + "s")));
			awaitInstancesTryingTheLock(schema, INSTANCES, starting);
			run(lockHolder, "SELECT pg_advisory_unlock(" + MigrationLock.KEY + ")");

			List<ConfigurableApplicationContext> instances = starting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
			assertThat(instances).hasSize(INSTANCES).allMatch(ConfigurableApplicationContext::isActive);
			assertThat(tablesIn(schema)).containsExactly("customer", "flyway_schema_history", "idempotency_key");
			assertThat(loginConstraintsIn(schema)).isEqualTo(1);
			assertThat(this.schemas.migrationsIn(schema)).containsExactly("1 customer and idempotency key");
		}
		finally {
			Mono.from(lockHolder.close()).block(PATIENCE);
			if (starting != null) {
				// On a failure, Parallel has closed the instances that did start.
				starting.handle((instances, failure) -> (instances != null) ? instances : List.<ConfigurableApplicationContext>of())
					.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)
					.forEach(ConfigurableApplicationContext::close);
			}
			this.schemas.drop(schema);
		}
	}

	private void awaitInstancesTryingTheLock(String schema, int expected, CompletableFuture<?> starting) {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		long trying = sessionsTryingTheLock(schema);
		while (trying < expected && !starting.isDone() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
			trying = sessionsTryingTheLock(schema);
		}
		assertThat(trying).as("instances trying to take the migration lock (starting ended: %s)", starting)
			.isEqualTo(expected);
	}

	/**
	 * The instances' sessions whose latest statement is about the lock: start-up tries it again and again (it never
	 * waits on it), and now and then asks who holds it.
	 */
	private long sessionsTryingTheLock(String schema) {
		return this.db.sql("""
				SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND application_name = $1 AND query LIKE $2""")
			.bind(0, schema)
			.bind(1, "%" + MigrationLock.KEY + "%")
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	private static void run(Connection connection, String sql) {
		Flux.from(connection.createStatement(sql).execute())
			.flatMap(result -> result.map((row, metadata) -> 1))
			.then()
			.block(PATIENCE);
	}

	private List<String> tablesIn(String schema) {
		return this.db.sql("SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename")
			.bind(0, schema)
			.map(row -> row.get(0, String.class))
			.all()
			.collectList()
			.block();
	}

	private long loginConstraintsIn(String schema) {
		return this.db.sql("SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
				+ "WHERE n.nspname = $1 AND c.conname = 'customer_login_key' AND c.contype = 'u'")
			.bind(0, schema)
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

}

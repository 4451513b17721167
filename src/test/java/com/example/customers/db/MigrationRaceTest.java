package com.example.customers.db;

import java.util.List;

import com.example.customers.support.Parallel;
import com.example.customers.support.Schemas;
import com.example.customers.support.ServiceInstance;
import com.example.customers.support.ServiceTest;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight instances, released by one barrier, start on an empty database: every one comes up, and the schema is
 * migrated exactly once. The advisory lock that start-up takes around the migration (DatabaseStartup), not a retry,
 * makes the others wait for the first: Flyway's own lock comes too late for a database without its history table.
 */
@ServiceTest
class MigrationRaceTest {

	private static final int INSTANCES = 8;

	private static final int ROUNDS = 3;

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
	void eightInstancesStartingAtOnceOnAnEmptyDatabaseAllComeUpAndMigrateItOnce() {
		for (int round = 1; round <= ROUNDS; round++) {
			startEightAtOnceOnAnEmptySchema();
		}
	}

	private void startEightAtOnceOnAnEmptySchema() {
		String schema = this.schemas.create("migration_race");
		ConnectionFactoryOptions options = Schemas.in(this.database.getConnectionFactoryOptions(), schema);
		List<ConfigurableApplicationContext> instances = List.of();
		try {
			// Small pools: eight instances beside the suite's cached contexts stay within max_connections.
			instances = Parallel.run(INSTANCES, i -> ServiceInstance.start(options, "--spring.r2dbc.pool.initial-size=1",
					"--spring.r2dbc.pool.max-size=2"));

			assertThat(instances).hasSize(INSTANCES).allMatch(ConfigurableApplicationContext::isActive);
			assertThat(tablesIn(schema)).containsExactly("customer", "flyway_schema_history", "idempotency_key");
			assertThat(loginConstraintsIn(schema)).isEqualTo(1);
			assertThat(this.schemas.migrationsIn(schema)).containsExactly("1 customer and idempotency key");
		}
		finally {
			instances.forEach(ConfigurableApplicationContext::close);
			this.schemas.drop(schema);
		}
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

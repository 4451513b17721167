package com.example.customers.db;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import com.example.customers.customer.CustomersProperties;
import com.example.customers.support.Knobs;
import com.example.customers.support.Parallel;
import com.example.customers.support.Schemas;
import com.example.customers.support.ServiceTest;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.r2dbc.connection.SingleConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances rarely reach the table creation in the same millisecond, so only forcing it proves it is safe: eight
 * already-open connections, released by one barrier, create the tables on an empty schema at once.
 */
@ServiceTest
class SchemaRaceTest {

	private static final int CONNECTIONS = 8;

	private static final int ROUNDS = 20;

	private final Schemas schemas;

	private final DatabaseClient db;

	private final R2dbcConnectionDetails database;

	@Autowired
	SchemaRaceTest(DatabaseClient db, R2dbcConnectionDetails database) {
		this.db = db;
		this.schemas = new Schemas(db);
		this.database = database;
	}

	@Test
	void tableCreationFromEightConnectionsAtOnceOnAnEmptyDatabaseNeverFails() {
		for (int round = 1; round <= ROUNDS; round++) {
			String schema = this.schemas.create("schema_race");
			ConnectionFactory factory = ConnectionFactories.get(Schemas.in(this.database.getConnectionFactoryOptions(), schema));
			List<Connection> connections = Flux.range(0, CONNECTIONS).flatMap(i -> Mono.<Connection>from(factory.create())).collectList().block();
			try {
				List<Throwable> failures = Parallel.run(CONNECTIONS, i -> createTableOn(connections.get(i), factory));

				assertThat(failures.stream().filter(Objects::nonNull)).as("failures in round %d", round).isEmpty();
				assertThat(loginConstraintsIn(schema)).as("named unique constraints in round %d", round).isEqualTo(1);
				assertThat(tablesIn(schema)).as("tables in round %d", round).containsExactly("customer", "idempotency_key");
			}
			finally {
				Flux.fromIterable(connections).flatMap(Connection::close).then().block();
				this.schemas.drop(schema);
			}
		}
	}

	private static Throwable createTableOn(Connection connection, ConnectionFactory factory) {
		DatabaseClient client = DatabaseClient.create(new SingleConnectionFactory(connection, factory.getMetadata(), true));
		CustomersProperties properties = Knobs.with("race-window", "0", "startup-wait", "10s");
		try {
			new DatabaseSchema(client, properties).create().block();
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	private java.util.List<String> tablesIn(String schema) {
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

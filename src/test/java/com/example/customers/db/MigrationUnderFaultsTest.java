package com.example.customers.db;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.FaultProxy;
import com.example.customers.support.Schemas;
import com.example.customers.support.ServiceInstance;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up on a network that drops a connection in the middle of Flyway's migration: PostgreSQL rolls the migration
 * back, and start-up runs it again within customers.startup-wait, instead of exiting although it promised to wait.
 */
class MigrationUnderFaultsTest {

	private DatabaseClient db;

	private Schemas schemas;

	private String schema;

	private FaultProxy proxy;

	private ConfigurableApplicationContext service;

	@BeforeEach
	void aProxyInFrontOfAnEmptySchema() {
		ConnectionFactoryOptions database = DatabaseForTests.located().options();
		this.db = DatabaseClient.create(ConnectionFactories.get(database));
		this.schemas = new Schemas(this.db);
		this.schema = this.schemas.create("migration_faults");
		this.proxy = FaultProxy.to((String) database.getRequiredValue(ConnectionFactoryOptions.HOST),
				(Integer) database.getRequiredValue(ConnectionFactoryOptions.PORT));
	}

	@AfterEach
	void stopEverything() {
		if (this.service != null) {
			this.service.close();
		}
		this.proxy.close();
		this.schemas.drop(this.schema);
	}

	/** Start-up's own statements only read until Flyway's: the first write whose reply is cut is the migration's. */
	@Test
	void aMigrationWhoseConnectionIsCutIsRunAgainAndTheServiceComesUp() {
		this.proxy.cutAtNextWriteReply();

		this.service = ServiceInstance.start(Schemas.in(DatabaseForTests.located().options(), this.schema)
			.mutate()
			.option(ConnectionFactoryOptions.HOST, "127.0.0.1")
			.option(ConnectionFactoryOptions.PORT, this.proxy.port())
			.build());

		assertThat(this.proxy.cutsMade()).as("connections cut during start-up").isEqualTo(1);
		assertThat(this.schemas.migrationsIn(this.schema)).containsExactly("1 customer and idempotency key");
		CustomerClient client = ServiceInstance.client(this.service);
		assertThat(client.create(uniqueLogin("after-a-cut")).status()).isEqualTo(201);
	}

}

package com.example.customers.db;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.ProxiedDatabase;
import com.example.customers.support.ServiceInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up on a network that drops a connection in the middle of Flyway's migration: PostgreSQL rolls the migration
 * back, and start-up runs it again within customers.startup-wait, instead of exiting although it promised to wait.
 */
class MigrationUnderFaultsTest {

	// Logged on purpose: Flyway reports the rollback it cannot send over the connection the test cut.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from("org.flywaydb.core.internal.jdbc.TransactionalExecutionTemplate",
			ExpectedLogs.CUT_CONNECTIONS)
		.expecting("org.flywaydb.core.internal.jdbc.TransactionalExecutionTemplate", "Unable to")
		.expectingCutConnections();

	/** Start-up's own statements only read until Flyway's: the first write whose reply is cut is the migration's. */
	@Test
	void aMigrationWhoseConnectionIsCutIsRunAgainAndTheServiceComesUp() {
		try (ProxiedDatabase database = ProxiedDatabase.create("migration_faults")) {
			database.proxy().cutAtNextWriteReply();

			try (ConfigurableApplicationContext service = ServiceInstance.start(database.throughProxy())) {
				assertThat(database.proxy().cutsMade()).as("connections cut during start-up").isEqualTo(1);
				assertThat(database.schemas().migrationsIn(database.schema()))
					.containsExactly("1 customer and idempotency key");
				CustomerClient client = ServiceInstance.client(service);
				assertThat(client.create(uniqueLogin("after-a-cut")).status()).isEqualTo(201);
			}
		}
	}

}

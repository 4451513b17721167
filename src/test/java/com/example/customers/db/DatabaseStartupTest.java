package com.example.customers.db;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.Knobs;
import com.example.customers.support.ServiceInstance;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What start-up does with each kind of database error. The refusals are given a start-up wait of a minute and must
 * still fail at once: had they been retried, the wait would have run out instead, with another message.
 */
class DatabaseStartupTest {

	private static final Duration LONG_WAIT = Duration.ofSeconds(60);

	private final ConnectionFactoryOptions database = DatabaseForTests.located().options();

	@Test
	void aDatabaseThatDoesNotExistStopsStartUpAtOnceWithPostgresReasonAndTheSetting() {
		DatabaseStartup schema = schemaOn(this.database.mutate().option(ConnectionFactoryOptions.DATABASE, "no_such_database_x").build(),
				"60s");

		StepVerifier.create(schema.waitUntilReachable())
			.expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("database \"no_such_database_x\" does not exist")
				.hasMessageContaining("(SQLSTATE 3D000)")
				.hasMessageContaining("Waiting will not fix this; check the database name in SPRING_R2DBC_URL"))
			.verify(LONG_WAIT.dividedBy(2));
	}

	@Test
	void anUnknownRoleStopsStartUpAtOnceWithPostgresReasonAndTheSettings() {
		DatabaseStartup schema = schemaOn(this.database.mutate().option(ConnectionFactoryOptions.USER, "no_such_role_x").build(),
				"60s");

		StepVerifier.create(schema.waitUntilReachable())
			.expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
				.hasMessageStartingWith("The database refused the connection: ")
				.hasMessageContaining("\"no_such_role_x\"")
				.hasMessageContaining("(SQLSTATE 28")
				.hasMessageContaining("check SPRING_R2DBC_USERNAME and SPRING_R2DBC_PASSWORD"))
			.verify(LONG_WAIT.dividedBy(2));
	}

	@Test
	void aClosedPortIsWaitedForAndTheFinalMessageCarriesTheLastCause() throws IOException {
		DatabaseStartup schema = schemaOn(this.database.mutate()
			.option(ConnectionFactoryOptions.HOST, "127.0.0.1")
			.option(ConnectionFactoryOptions.PORT, closedPort())
			.build(), "2s");

		StepVerifier.create(schema.waitUntilReachable())
			.expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
				.hasMessageStartingWith("The database did not become available within 2s (customers.startup-wait); "
						+ "the last attempt failed with: ")
				.hasMessageContaining("Connection refused")
				.hasMessageEndingWith("Check SPRING_R2DBC_URL, SPRING_R2DBC_USERNAME and SPRING_R2DBC_PASSWORD."))
			.verify(LONG_WAIT);
	}

	/**
	 * The Dockerfile's class-data training run starts the service with Flyway switched off: Boot then binds no Flyway
	 * properties, and Flyway's connection details must not need them.
	 */
	@Test
	void theServiceStartsWithFlywaySwitchedOff() {
		try (ConfigurableApplicationContext service = ServiceInstance.start(DatabaseForTests.located().options(),
				"--spring.flyway.enabled=false")) {
			assertThat(service.getBean(FlywayConnection.class).getJdbcUrl()).startsWith("jdbc:postgresql://");
		}
	}

	private static DatabaseStartup schemaOn(ConnectionFactoryOptions options, String startupWait) {
		return new DatabaseStartup(DatabaseClient.create(ConnectionFactories.get(options)),
				Knobs.of(DatabaseProperties.class, "startup-wait", startupWait));
	}

	/** A port nothing listens on: bound for a moment, then freed. */
	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

package com.example.customers.support;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import reactor.core.publisher.Mono;

import org.springframework.core.NestedExceptionUtils;

/**
 * Decides, once per test run, where the tests' database comes from, and leaves it as it was found. With
 * {@value #LOCAL_URL_VARIABLE} set, the tests use that PostgreSQL, inside a schema of their own that is dropped when
 * the run ends, so no test row is left behind. Otherwise one Testcontainers PostgreSQL serves the whole run. With
 * neither, {@link #problem()} says what to do, and {@link NoDatabaseFilter} turns the run into that one failure.
 */
public final class DatabaseForTests {

	public static final String LOCAL_URL_VARIABLE = "CUSTOMERS_TEST_R2DBC_URL";

	/** The same image and tag as the db service of compose.yaml. */
	public static final String POSTGRES_IMAGE = "postgres:15.14-alpine";

	/** A daemon that answers but cannot pull or start the image must not hang the run for minutes. */
	private static final Duration CONTAINER_START_LIMIT = Duration.ofSeconds(30);

	static final String WAYS_OUT = "Point the tests at a PostgreSQL: export " + LOCAL_URL_VARIABLE
			+ "=r2dbc:postgresql://postgres@127.0.0.1:5432/test (see the README), or start Docker for Testcontainers.";

	private static Located located;

	private static String problem;

	private DatabaseForTests() {
	}

	/** Where the database is: an R2DBC URL with user and password. */
	public record Located(String url, String username, String password, Runnable cleanUp) {

		public ConnectionFactoryOptions options() {
			return ConnectionFactoryOptions.parse(this.url)
				.mutate()
				.option(ConnectionFactoryOptions.USER, this.username)
				.option(ConnectionFactoryOptions.PASSWORD, this.password)
				.build();
		}

	}

	/** The run's database; fails with what to do when there is none. */
	public static synchronized Located located() {
		decide();
		if (located == null) {
			throw new IllegalStateException(problem);
		}
		return located;
	}

	/** Why the tests have no database, if they have none. */
	public static synchronized Optional<String> problem() {
		decide();
		return Optional.ofNullable(problem);
	}

	/** Drops the run's schema, or stops its container; called once when the test run ends. */
	static synchronized void cleanUp() {
		if (located != null) {
			located.cleanUp().run();
			located = null;
		}
	}

	private static void decide() {
		if (located != null || problem != null) {
			return;
		}
		String localUrl = System.getenv(LOCAL_URL_VARIABLE);
		try {
			located = (localUrl != null && !localUrl.isBlank()) ? inOwnSchema(localUrl) : inContainer();
		}
		catch (RuntimeException ex) {
			problem = "The tests need PostgreSQL and found none. " + ex.getMessage() + " " + WAYS_OUT;
		}
	}

	private static Located inOwnSchema(String localUrl) {
		String schema = "customers_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		ConnectionFactoryOptions database = ConnectionFactoryOptions.parse(localUrl);
		try {
			run(database, "CREATE SCHEMA " + schema);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException(LOCAL_URL_VARIABLE + " is " + localUrl + ", and it did not answer: "
					+ ex.getMessage() + ".", ex);
		}
		String url = localUrl + (localUrl.contains("?") ? "&" : "?") + "schema=" + schema;
		String username = String.valueOf(database.getValue(ConnectionFactoryOptions.USER));
		Object password = database.getValue(ConnectionFactoryOptions.PASSWORD);
		return new Located(url, username, (password != null) ? password.toString() : "",
				() -> run(database, "DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
	}

	/**
	 * Asking Docker, pulling and starting are bounded together: a daemon that answers but cannot pull (Ryuk's image
	 * or PostgreSQL's) would otherwise retry for minutes before Testcontainers gives up.
	 */
	private static Located inContainer() {
		CompletableFuture<Located> started = CompletableFuture.supplyAsync(DatabaseForTests::startContainer);
		try {
			return started.get(CONTAINER_START_LIMIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof IllegalStateException problem) ? problem : failedToStart(ex.getCause());
		}
		catch (TimeoutException ex) {
			started.thenAccept(late -> late.cleanUp().run());
			throw failedToStart(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failedToStart(ex);
		}
	}

	@SuppressWarnings("resource") // stopped by cleanUp at the end of the run
	private static Located startContainer() {
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			throw new IllegalStateException(LOCAL_URL_VARIABLE + " is not set, and Docker is not available.");
		}
		PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE));
		container.start();
		String url = "r2dbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/"
				+ container.getDatabaseName();
		return new Located(url, container.getUsername(), container.getPassword(), container::stop);
	}

	private static IllegalStateException failedToStart(Throwable error) {
		String why = (error instanceof TimeoutException) ? "it was still trying after " + CONTAINER_START_LIMIT.toSeconds()
				+ " s; on a machine without a registry, set TESTCONTAINERS_RYUK_DISABLED=true" : rootCause(error);
		return new IllegalStateException(LOCAL_URL_VARIABLE + " is not set, and Docker answered, but Testcontainers "
				+ "could not start " + POSTGRES_IMAGE + " (" + why + ").", error);
	}

	private static void run(ConnectionFactoryOptions database, String sql) {
		Mono.usingWhen(Mono.from(ConnectionFactories.get(database).create()),
				connection -> Mono.from(connection.createStatement(sql).execute()).flatMap(result -> Mono.from(result.getRowsUpdated())),
				Connection::close)
			.block(Duration.ofSeconds(15));
	}

	private static String rootCause(Throwable error) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
		return cause.getClass().getSimpleName() + (cause.getMessage() != null ? ": " + cause.getMessage() : "");
	}

}

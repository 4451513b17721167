package com.example.customers.eventloop;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.ServiceInstance;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.resources.LoopResources;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP server and the PostgreSQL driver share the event loops that customers.event-loops sizes. */
class EventLoopsTest {

	// Logged on purpose: the start-up that an invalid setting must stop.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs
		.from("org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", "org.springframework.boot.SpringApplication")
		.expecting("org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", "")
		.expecting("org.springframework.boot.SpringApplication", "Application run failed");

	@Test
	void withOneEventLoopTheDriverAnswersOnTheServersOnlyLoopThread() throws Exception {
		ConfigurableApplicationContext instance = ServiceInstance.start(DatabaseForTests.located().options(),
				"--customers.event-loops=1");
		try {
			Thread serverLoop = instance.getBean(LoopResources.class).onServer(true).next()
				.submit(Thread::currentThread)
				.get();
			Thread answeredOn = instance.getBean(DatabaseClient.class).sql("SELECT 1")
				.map(row -> Thread.currentThread())
				.one()
				.block(Duration.ofSeconds(30));
			assertThat(answeredOn).isSameAs(serverLoop);
		}
		finally {
			instance.close();
		}
	}

	/**
	 * r2dbc-pool would hand every borrowed connection over to the driver's loop in a later task, even when the borrower
	 * is already on it.
	 */
	@Test
	void aConnectionBorrowedOnTheLoopIsReadyWithinTheSameTask() throws Exception {
		ConfigurableApplicationContext instance = ServiceInstance.start(DatabaseForTests.located().options(),
				"--customers.event-loops=1");
		try {
			instance.getBean(DatabaseClient.class).sql("SELECT 1").fetch().rowsUpdated().block(Duration.ofSeconds(30));
			ConnectionFactory pool = instance.getBean(ConnectionFactory.class);
			AtomicReference<Connection> borrowed = new AtomicReference<>();
			boolean readyWithinTheTask = instance.getBean(LoopResources.class).onServer(true).next().submit(() -> {
				Mono.from(pool.create()).subscribe(borrowed::set);
				return borrowed.get() != null;
			}).get(30, TimeUnit.SECONDS);
			assertThat(readyWithinTheTask).isTrue();
			Mono.from(borrowed.get().close()).block(Duration.ofSeconds(30));
		}
		finally {
			instance.close();
		}
	}

	/** LISTEN/NOTIFY or COPY need the driver's own connection: every wrapper lets it through, but the scheduler. */
	@Test
	void aBorrowedConnectionUnwrapsToTheDriversButNotToItsScheduler() {
		ConfigurableApplicationContext instance = ServiceInstance.start(DatabaseForTests.located().options(),
				"--customers.event-loops=1");
		try {
			Connection borrowed = Mono.from(instance.getBean(ConnectionFactory.class).create())
				.block(Duration.ofSeconds(30));
			try {
				assertThat(((Wrapped<?>) borrowed).unwrap(PostgresqlConnection.class)).as("the driver's connection")
					.isNotNull();
				assertThat(((Wrapped<?>) borrowed).unwrap(Scheduler.class)).as("its scheduler").isNull();
				assertThat(((Wrapped<?>) borrowed).unwrap(Executor.class)).as("its executor").isNull();
			}
			finally {
				Mono.from(borrowed.close()).block(Duration.ofSeconds(30));
			}
		}
		finally {
			instance.close();
		}
	}

	@Test
	void anEventLoopCountBelowOneStopsStartUpNamingTheSetting() {
		assertThatThrownBy(() -> ServiceInstance.start(DatabaseForTests.located().options(), "--customers.event-loops=0"))
			.rootCause()
			.hasMessage("customers.event-loops must be at least 1, was 0");
	}

}

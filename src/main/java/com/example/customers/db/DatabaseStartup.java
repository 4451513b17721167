package com.example.customers.db;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Start-up's way to the database: wait until it answers, then let Flyway migrate it, all before the server opens its
 * port. Instances that start together migrate one after the other, under a PostgreSQL advisory lock. The wait is
 * ours, not Flyway's connect retries, for its messages: errors that waiting can fix (refused, unknown host, starting
 * up) are waited out up to {@code customers.startup-wait}, with a line every few seconds; those it cannot
 * (authentication, no such role or database) stop start-up at once with PostgreSQL's own reason.
 */
@Component
public class DatabaseStartup implements FlywayMigrationStrategy {

	private static final Log logger = LogFactory.getLog(DatabaseStartup.class);

	private final DatabaseClient db;

	private final Duration startupWait;

	public DatabaseStartup(DatabaseClient db, DatabaseProperties properties) {
		this.db = db;
		this.startupWait = properties.startupWait();
	}

	@Override
	public void migrate(Flyway flyway) {
		waitUntilReachable().then(migrateWithinTheWait(flyway)).block();
	}

	/**
	 * Flyway's own lock comes too late for a database without its history table: two instances on an empty database
	 * both decide how to start it, and the second fails with "Unable to baseline schema history table ... as it
	 * already exists, and is empty" (MigrationRaceTest caught it). So the whole migration, deciding included, runs
	 * under a PostgreSQL advisory lock, taken on Flyway's own connection and waited for at most the start-up wait.
	 * A connection lost in the middle of the migration (class 08: reset, cut, the server restarting) rolls it back, as
	 * every PostgreSQL migration runs in a transaction: it is run again, from the lock on, for as long as the start-up
	 * wait lasts. Any other failure stops start-up at once.
	 */
	private Mono<Void> migrateWithinTheWait(Flyway flyway) {
		long deadline = System.nanoTime() + this.startupWait.toNanos();
		StartupWaitLog waiting = new StartupWaitLog(logger, "The migration was interrupted; running it again");
		return Mono.fromCallable(() -> {
			MigrationLock.around(flyway.getConfiguration().getDataSource(), this.startupWait, flyway::migrate);
			return true;
		})
			.subscribeOn(Schedulers.boundedElastic())
			.then()
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
				.maxBackoff(Duration.ofSeconds(2))
				.filter(error -> DatabaseErrors.isUnavailable(error) && System.nanoTime() - deadline < 0)
				.doBeforeRetry(signal -> waiting.failedAgain(signal.failure())));
	}

	public Mono<Void> waitUntilReachable() {
		StartupWaitLog waiting = new StartupWaitLog(logger, "Waiting for the database");
		return this.db.sql("SELECT 1")
			.then()
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
				.maxBackoff(Duration.ofSeconds(2))
				.filter(error -> DatabaseErrors.isUnavailable(error) && !DatabaseRefusal.isRefusal(error))
				.doBeforeRetry(signal -> waiting.failedAgain(signal.failure())))
			.onErrorMap(DatabaseRefusal::isRefusal, DatabaseRefusal::explain)
			.timeout(this.startupWait, Mono.error(() -> new IllegalStateException(
					"The database did not become available within " + MigrationLock.readable(this.startupWait) + " (customers.startup-wait); "
							+ "the last attempt failed with: " + waiting.lastCause() + ". "
							+ "Check SPRING_R2DBC_URL, SPRING_R2DBC_USERNAME and SPRING_R2DBC_PASSWORD.")));
	}

}

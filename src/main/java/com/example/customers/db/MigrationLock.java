package com.example.customers.db;

import java.time.Duration;
import java.util.Locale;

import com.example.customers.logging.ThrottledLog;
import io.r2dbc.spi.Connection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The PostgreSQL advisory lock that start-up holds around Flyway's migration, so that instances starting together
 * migrate one after the other. It is tried again and again, never waited on: an instance stuck mid-migration must
 * not block every other one in silence. While another session holds it, a line every few seconds names that session;
 * past the wait it is given, start-up stops and names it again. A crashed instance's session releases it.
 */
final class MigrationLock {

	/** Any fixed number; only this service's start-up takes it. */
	static final long KEY = 7_203_511_846_001L;

	private static final Duration RETRY = Duration.ofMillis(200);

	private static final Duration QUIET_PERIOD = Duration.ofSeconds(3);

	private static final Log logger = LogFactory.getLog(MigrationLock.class);

	private final ThrottledLog waitingLog = new ThrottledLog(logger, QUIET_PERIOD);

	/** Who holds the lock in this database: PostgreSQL splits a bigint advisory key into classid and objid. */
	private static final String HOLDER = """
			SELECT 'pid ' || a.pid || coalesce(' (' || nullif(a.application_name, '') || ')', '')
			    || ' from ' || coalesce(host(a.client_addr), 'a local socket')
			    || ', connected since ' || date_trunc('second', a.backend_start) || ', ' || coalesce(a.state, 'unknown')
			FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
			  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			  AND (l.classid::bigint << 32 | l.objid::bigint) = """ + KEY;

	private final Connection connection;

	private final Duration wait;

	private MigrationLock(Connection connection, Duration wait) {
		this.connection = connection;
		this.wait = wait;
	}

	/** Runs the work holding the lock on this connection, once it is had within the wait; releases it after. */
	static Mono<Void> around(Connection connection, Duration wait, Mono<Void> work) {
		MigrationLock lock = new MigrationLock(connection, wait);
		return Mono.usingWhen(lock.acquire(), locked -> work, locked -> lock.release());
	}

	private Mono<Boolean> acquire() {
		return Mono.defer(() -> {
			long deadline = System.nanoTime() + this.wait.toNanos();
			return tryLock().flatMap(locked -> locked ? Mono.just(true) : heldElsewhere(deadline))
				.repeatWhenEmpty(attempts -> attempts.concatMap(attempt -> Mono.delay(RETRY)));
		});
	}

	/** Empty to try again; an error once the wait is over. The holder is looked up only to be named. */
	private Mono<Boolean> heldElsewhere(long deadline) {
		long now = System.nanoTime();
		if (now - deadline >= 0) {
			return holder().flatMap(holder -> Mono.error(new IllegalStateException(
					"Another session has held the migration lock for over " + readable(this.wait)
							+ " (customers.startup-wait): " + holder + ". An instance stuck in its migration holds it "
							+ "until its connection ends: stop that instance, or start this one later.")));
		}
		return holder().doOnNext(holder -> this.waitingLog.info("waiting",
				() -> "Waiting for the migration lock, which another instance holds: " + holder))
			.then(Mono.empty());
	}

	private Mono<Boolean> tryLock() {
		return first("SELECT pg_try_advisory_lock(" + KEY + ")", Boolean.class);
	}

	private Mono<String> holder() {
		return first(HOLDER, String.class).defaultIfEmpty("a session that has let go of it since");
	}

	private Mono<Void> release() {
		return first("SELECT pg_advisory_unlock(" + KEY + ")", Boolean.class).then();
	}

	private <T> Mono<T> first(String sql, Class<T> type) {
		return Flux.from(this.connection.createStatement(sql).execute())
			.concatMap(result -> result.map((row, metadata) -> row.get(0, type)))
			.next();
	}

	/** PT1M30S as 1m30s. */
	static String readable(Duration duration) {
		return duration.toString().substring(2).toLowerCase(Locale.ROOT);
	}

}

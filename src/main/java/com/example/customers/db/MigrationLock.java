package com.example.customers.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import com.example.customers.logging.ThrottledLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The PostgreSQL advisory lock that start-up holds around Flyway's migration, so that instances starting together
 * migrate one after the other. It is a session's lock, so it is taken on a connection of Flyway's own data source
 * ({@code SPRING_FLYWAY_URL}, straight to PostgreSQL where a transaction pooler stands in front of the service's
 * R2DBC URL): behind PgBouncer the unlock could reach another server session than the lock, and two instances could
 * share one session, where the lock is re-entrant and excludes nobody. It is tried again and again, never waited on:
 * an instance stuck mid-migration must not block every other one in silence. While another session holds it, a line
 * every few seconds names that session; past the wait it is given, start-up stops and names it again. Closing the
 * connection (or a crashed instance's session ending) releases it.
 */
final class MigrationLock {

	/** Any fixed number; only this service's start-up takes it. */
	static final long KEY = 7_203_511_846_001L;

	private static final Duration RETRY = Duration.ofMillis(200);

	private static final Duration QUIET_PERIOD = Duration.ofSeconds(3);

	private static final Log logger = LogFactory.getLog(MigrationLock.class);

	/** Who holds the lock in this database: PostgreSQL splits a bigint advisory key into classid and objid. */
	private static final String HOLDER = """
			SELECT 'pid ' || a.pid || coalesce(' (' || nullif(a.application_name, '') || ')', '')
			    || ' from ' || coalesce(host(a.client_addr), 'a local socket')
			    || ', connected since ' || date_trunc('second', a.backend_start) || ', ' || coalesce(a.state, 'unknown')
			FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
			  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			  AND (l.classid::bigint << 32 | l.objid::bigint) = """ + KEY;

	private final ThrottledLog waitingLog = new ThrottledLog(logger, QUIET_PERIOD);

	private final Connection connection;

	private final Duration wait;

	private MigrationLock(Connection connection, Duration wait) {
		this.connection = connection;
		this.wait = wait;
	}

	/**
	 * Runs the work holding the lock on a connection of its own from {@code dataSource}, once it is had within the
	 * wait; releases it after. Blocks: start-up's migration is JDBC.
	 */
	static void around(DataSource dataSource, Duration wait, Runnable work) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			MigrationLock lock = new MigrationLock(connection, wait);
			lock.acquire();
			try {
				work.run();
			}
			finally {
				lock.release();
			}
		}
	}

	private void acquire() throws SQLException {
		long deadline = System.nanoTime() + this.wait.toNanos();
		while (!first("SELECT pg_try_advisory_lock(" + KEY + ")", Boolean.class)) {
			if (System.nanoTime() - deadline >= 0) {
				throw new IllegalStateException("Another session has held the migration lock for over "
						+ readable(this.wait) + " (customers.startup-wait): " + holder() + ". An instance stuck in "
						+ "its migration holds it until its connection ends: stop that instance, or start this one later.");
			}
			// The holder is looked up only when the line is written, at most once per quiet period.
			this.waitingLog.info("waiting", () -> "Waiting for the migration lock, which another instance holds: "
					+ holderOrWhyNot());
			LockSupport.parkNanos(RETRY.toNanos());
		}
	}

	/**
	 * Unlocked explicitly, should the data source pool its connections; if the connection is broken, its session has
	 * ended, and the lock with it.
	 */
	private void release() {
		try {
			first("SELECT pg_advisory_unlock(" + KEY + ")", Boolean.class);
		}
		catch (SQLException ex) {
			logger.debug("The migration lock's connection failed; its session's end released the lock", ex);
		}
	}

	private String holder() throws SQLException {
		String holder = first(HOLDER, String.class);
		return (holder != null) ? holder : "a session that has let go of it since";
	}

	private String holderOrWhyNot() {
		try {
			return holder();
		}
		catch (SQLException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	private <T> T first(String sql, Class<T> type) throws SQLException {
		try (Statement statement = this.connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			return rows.next() ? rows.getObject(1, type) : null;
		}
	}

	/** PT1M30S as 1m30s. */
	static String readable(Duration duration) {
		return duration.toString().substring(2).toLowerCase(Locale.ROOT);
	}

}

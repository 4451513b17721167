package com.example.customers.db;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.r2dbc.postgresql.api.PostgresqlException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * Reads what the database said from an error chain: SQLSTATE and constraint name, never the message text, which
 * changes with the server's version and language.
 */
public final class DatabaseErrors {

	/**
	 * Connection exceptions (class 08), shutdown, too many connections, cannot connect now, and a read-only transaction:
	 * a member of a cluster that is no longer the primary.
	 */
	private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "25006");

	/**
	 * The statement was rolled back, and the same request may well succeed if sent again: a serialization failure or a
	 * deadlock (which a cluster that fails over raises too), a lock not available, a statement cancelled by its timeout.
	 */
	private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57014");

	/** No connection, or none in time, from the driver, the pool or Spring's translation of them. */
	private static final List<Class<? extends Throwable>> UNAVAILABLE_TYPES = List.of(
			DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
			QueryTimeoutException.class, R2dbcNonTransientResourceException.class,
			R2dbcTransientResourceException.class, R2dbcTimeoutException.class, ConnectException.class,
			TimeoutException.class);

	private DatabaseErrors() {
	}

	/** The SQLSTATE the driver reported: r2dbc-postgresql's for requests, pgjdbc's for Flyway's migration. */
	public static Optional<String> sqlState(Throwable error) {
		return causes(error).flatMap(cause -> (cause instanceof R2dbcException r2dbc) ? Stream.ofNullable(r2dbc.getSqlState())
				: (cause instanceof SQLException jdbc) ? Stream.ofNullable(jdbc.getSQLState()) : Stream.empty())
			.findFirst();
	}

	public static Optional<String> constraintName(Throwable error) {
		return find(error, PostgresqlException.class)
			.flatMap(postgres -> postgres.getErrorDetails().getConstraintName());
	}

	/** True when the database could not be reached or gave no connection in time: worth a 503, not a 500. */
	public static boolean isUnavailable(Throwable error) {
		return causes(error).anyMatch(cause -> UNAVAILABLE_TYPES.stream().anyMatch(type -> type.isInstance(cause)))
				|| sqlState(error).filter(state -> state.startsWith("08") || UNAVAILABLE_STATES.contains(state)).isPresent();
	}

	/**
	 * True when a statement may have run although its answer never came: the connection failed with no word from the
	 * server (no SQLSTATE, or a connection exception of class 08, which the driver reports itself for a broken
	 * connection). Not when the pool gave no connection in time or none could be made (a refused or timed-out
	 * connect): nothing was sent then. Any other error the server reported means the statement failed and was rolled
	 * back.
	 */
	public static boolean isOutcomeUnknown(Throwable error) {
		return isUnavailable(error) && sqlState(error).filter(state -> !state.startsWith("08")).isEmpty()
				&& !isNoConnectionInTime(error) && causes(error).noneMatch(ConnectException.class::isInstance);
	}

	/**
	 * True when the pool gave no connection within {@code spring.r2dbc.pool.max-acquire-time}: r2dbc-pool raises an
	 * R2dbcTimeoutException over the TimeoutException of the acquire's deadline (a statement's own deadline is
	 * PostgreSQL's 57014, and a connect timeout is the driver's). The request waited its turn and got none: more work
	 * than the pool serves in that time, or no connection could be made.
	 */
	public static boolean isNoConnectionInTime(Throwable error) {
		return causes(error).anyMatch(cause -> cause instanceof R2dbcTimeoutException
				&& cause.getCause() instanceof TimeoutException);
	}

	/** True when the database rolled the statement back for a reason a retry may not meet: worth a 503, not a 500. */
	public static boolean isTransient(Throwable error) {
		return sqlState(error).filter(TRANSIENT_STATES::contains).isPresent();
	}

	/** The error and each of its causes, outermost first. */
	public static Stream<Throwable> causes(Throwable error) {
		return Stream.iterate(error, Objects::nonNull, Throwable::getCause);
	}


	private static <T> Optional<T> find(Throwable error, Class<T> type) {
		return causes(error).filter(type::isInstance).map(type::cast).findFirst();
	}

}

package com.example.customers.db;

import java.util.Optional;
import java.util.Set;

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

	/** Connection exceptions (class 08), shutdown, too many connections, cannot connect now. */
	private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

	private DatabaseErrors() {
	}

	public static Optional<String> sqlState(Throwable error) {
		return find(error, R2dbcException.class).map(R2dbcException::getSqlState);
	}

	public static Optional<String> constraintName(Throwable error) {
		return find(error, PostgresqlException.class)
			.flatMap(postgres -> postgres.getErrorDetails().getConstraintName());
	}

	/** True when the database could not be reached or gave no connection in time: worth a 503, not a 500. */
	public static boolean isUnavailable(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessResourceFailureException
					|| cause instanceof TransientDataAccessResourceException
					|| cause instanceof QueryTimeoutException || cause instanceof R2dbcNonTransientResourceException
					|| cause instanceof R2dbcTransientResourceException || cause instanceof R2dbcTimeoutException
					|| cause instanceof java.net.ConnectException || cause instanceof java.util.concurrent.TimeoutException) {
				return true;
			}
		}
		return sqlState(error).filter(state -> state.startsWith("08") || UNAVAILABLE_STATES.contains(state))
			.isPresent();
	}

	private static <T> Optional<T> find(Throwable error, Class<T> type) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return Optional.of(type.cast(cause));
			}
		}
		return Optional.empty();
	}

}

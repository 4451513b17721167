package com.example.customers.db;

import java.util.Optional;

import io.r2dbc.postgresql.api.PostgresqlException;

/**
 * The database answered and refused: wrong password, no such role, no such database. Waiting cannot fix these, so
 * start-up stops at once and names PostgreSQL's reason and the setting to correct.
 */
final class DatabaseRefusal {

	private static final String INVALID_CATALOG_NAME = "3D000";

	/** Class 28: invalid authorization specification (28000: no such role; 28P01: wrong password). */
	private static final String AUTHORIZATION_CLASS = "28";

	private DatabaseRefusal() {
	}

	static boolean isRefusal(Throwable error) {
		return DatabaseErrors.sqlState(error)
			.filter(state -> state.startsWith(AUTHORIZATION_CLASS) || state.equals(INVALID_CATALOG_NAME))
			.isPresent();
	}

	static IllegalStateException explain(Throwable error) {
		String state = DatabaseErrors.sqlState(error).orElseThrow();
		String setting = state.equals(INVALID_CATALOG_NAME) ? "the database name in SPRING_R2DBC_URL"
				: "SPRING_R2DBC_USERNAME and SPRING_R2DBC_PASSWORD (or the user in SPRING_R2DBC_URL)";
		return new IllegalStateException("The database refused the connection: " + reason(error) + " (SQLSTATE "
				+ state + "). Waiting will not fix this; check " + setting + ".", error);
	}

	/** PostgreSQL's own message, which names the role or database; shown to the operator, never matched on. */
	private static String reason(Throwable error) {
		return DatabaseErrors.causes(error)
			.filter(PostgresqlException.class::isInstance)
			.map(PostgresqlException.class::cast)
			.findFirst()
			.map(postgres -> postgres.getErrorDetails().getMessage())
			.or(() -> Optional.ofNullable(error.getMessage()))
			.orElse("no reason given");
	}

}

package com.example.customers.support;

import java.util.List;

import io.r2dbc.postgresql.api.ErrorDetails;
import io.r2dbc.postgresql.api.PostgresqlException;
import io.r2dbc.postgresql.message.backend.Field;
import io.r2dbc.spi.R2dbcException;

/** Errors as r2dbc-postgresql raises them (SQLSTATE, constraint name), for tests of the mapping without a database. */
public final class PostgresErrors {

	private PostgresErrors() {
	}

	public static R2dbcException withState(String sqlState) {
		return new Raised(new ErrorDetails(List.of(new Field(Field.FieldType.CODE, sqlState),
				new Field(Field.FieldType.MESSAGE, "raised by a test"))));
	}

	public static R2dbcException violating(String sqlState, String constraint) {
		return new Raised(new ErrorDetails(List.of(new Field(Field.FieldType.CODE, sqlState),
				new Field(Field.FieldType.MESSAGE, "raised by a test"),
				new Field(Field.FieldType.CONSTRAINT_NAME, constraint))));
	}

	private static final class Raised extends R2dbcException implements PostgresqlException {

		private final ErrorDetails details;

		Raised(ErrorDetails details) {
			super(details.getMessage(), details.getCode());
			this.details = details;
		}

		@Override
		public ErrorDetails getErrorDetails() {
			return this.details;
		}

	}

}

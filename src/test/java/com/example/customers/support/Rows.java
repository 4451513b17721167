package com.example.customers.support;

import org.springframework.r2dbc.core.DatabaseClient;

/** Counts what is really in the customer table, behind the API's back: the test's own, or one in a given schema. */
public record Rows(DatabaseClient db, String table) {

	public Rows(DatabaseClient db) {
		this(db, "customer");
	}

	/** The customer table of another instance's schema (see {@link Schemas}). */
	public static Rows inSchema(DatabaseClient db, String schema) {
		return new Rows(db, schema + ".customer");
	}

	public long withLogin(String login) {
		return this.db.sql("SELECT count(*) FROM " + this.table + " WHERE login = $1")
			.bind(0, login)
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	public long total() {
		return this.db.sql("SELECT count(*) FROM " + this.table).map(row -> row.get(0, Long.class)).one().block();
	}

}

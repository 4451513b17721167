package com.example.customers.support;

import org.springframework.r2dbc.core.DatabaseClient;

/** Counts what is really in the table, behind the API's back. */
public record Rows(DatabaseClient db) {

	public long withLogin(String login) {
		return this.db.sql("SELECT count(*) FROM customer WHERE login = $1")
			.bind(0, login)
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	public long total() {
		return this.db.sql("SELECT count(*) FROM customer").map(row -> row.get(0, Long.class)).one().block();
	}

}

package com.example.customers.exactlyonce;

import java.time.Duration;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;

/** What the customer table holds, read straight from the database, for the checkers. */
final class CustomerRows {

	private final DatabaseClient db;

	CustomerRows(DatabaseClient db) {
		this.db = db;
	}

	List<ExactlyOnceChecker.Row> named(String login) {
		return rows("SELECT id, login FROM customer WHERE login = $1", login);
	}

	List<ExactlyOnceChecker.Row> startingWith(String prefix) {
		return rows("SELECT id, login FROM customer WHERE starts_with(login, $1)", prefix);
	}

	private List<ExactlyOnceChecker.Row> rows(String query, String login) {
		return this.db.sql(query)
			.bind(0, login)
			.map(row -> new ExactlyOnceChecker.Row(row.get(0, Long.class), row.get(1, String.class)))
			.all()
			.collectList()
			.block(Duration.ofSeconds(30));
	}

}

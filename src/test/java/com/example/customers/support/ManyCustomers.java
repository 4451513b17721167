package com.example.customers.support;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Many customers inserted behind the API's back in one statement, their logins under one prefix, and deleted when
 * closed: a long list to read.
 */
public final class ManyCustomers implements AutoCloseable {

	private final DatabaseClient db;

	private final String prefix;

	private ManyCustomers(DatabaseClient db, String prefix) {
		this.db = db;
		this.prefix = prefix;
	}

	public static ManyCustomers insert(DatabaseClient db, String name, int count) {
		ManyCustomers customers = new ManyCustomers(db, name + "-" + System.nanoTime() + "-");
		db.sql("INSERT INTO customer (login) SELECT $1 || n FROM generate_series(1, " + count + ") AS n")
			.bind(0, customers.prefix)
			.then()
			.block();
		return customers;
	}

	/** What every one of their logins starts with. */
	public String prefix() {
		return this.prefix;
	}

	@Override
	public void close() {
		this.db.sql("DELETE FROM customer WHERE login LIKE $1").bind(0, this.prefix + "%").then().block();
	}

}

package com.example.customers.support;

import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Fresh, empty PostgreSQL schemas: each one is an "empty database" for tests that must start from nothing, such as
 * two instances creating the table at once, without disturbing the shared customer table.
 */
public record Schemas(DatabaseClient db) {

	/** r2dbc-postgresql's option that sets the connection's search_path. */
	private static final Option<String> SCHEMA = Option.valueOf("schema");

	public String create(String prefix) {
		String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
		this.db.sql("CREATE SCHEMA " + schema).then().block();
		return schema;
	}

	public void drop(String schema) {
		this.db.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").then().block();
	}

	/** Flyway's successful migrations in the schema, as "version description", in the order they ran. */
	public List<String> migrationsIn(String schema) {
		return this.db.sql("SELECT version || ' ' || description FROM " + schema + ".flyway_schema_history "
				+ "WHERE success ORDER BY installed_rank")
			.map(row -> row.get(0, String.class))
			.all()
			.collectList()
			.block();
	}

	public static ConnectionFactoryOptions in(ConnectionFactoryOptions database, String schema) {
		return database.mutate().option(SCHEMA, schema).build();
	}

}

package com.example.customers.support;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A schema of its own in the tests' database, reached through a {@link FaultProxy}: what a test that breaks the
 * network between a service instance and PostgreSQL starts from. Closing it closes the proxy and drops the schema.
 */
public final class ProxiedDatabase implements AutoCloseable {

	private final DatabaseClient direct;

	private final Schemas schemas;

	private final String schema;

	private final FaultProxy proxy;

	private final ConnectionFactoryOptions throughProxy;

	private ProxiedDatabase(String schemaPrefix) {
		ConnectionFactoryOptions database = DatabaseForTests.located().options();
		this.direct = DatabaseClient.create(ConnectionFactories.get(database));
		this.schemas = new Schemas(this.direct);
		this.schema = this.schemas.create(schemaPrefix);
		this.proxy = FaultProxy.to((String) database.getRequiredValue(ConnectionFactoryOptions.HOST),
				(Integer) database.getRequiredValue(ConnectionFactoryOptions.PORT));
		this.throughProxy = Schemas.in(database, this.schema)
			.mutate()
			.option(ConnectionFactoryOptions.HOST, "127.0.0.1")
			.option(ConnectionFactoryOptions.PORT, this.proxy.port())
			.build();
	}

	public static ProxiedDatabase create(String schemaPrefix) {
		return new ProxiedDatabase(schemaPrefix);
	}

	/** Where a service instance connects: the schema, through the proxy. */
	public ConnectionFactoryOptions throughProxy() {
		return this.throughProxy;
	}

	public FaultProxy proxy() {
		return this.proxy;
	}

	public String schema() {
		return this.schema;
	}

	public Schemas schemas() {
		return this.schemas;
	}

	/** The database itself, past the proxy: for checking what really happened. */
	public DatabaseClient direct() {
		return this.direct;
	}

	@Override
	public void close() {
		this.proxy.close();
		this.schemas.drop(this.schema);
	}

}

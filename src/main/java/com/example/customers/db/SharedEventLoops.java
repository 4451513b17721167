package com.example.customers.db;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;

import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The PostgreSQL driver runs on the HTTP server's event loops instead of a second set of its own. On a machine with
 * few cores, two sets of loop threads (one per core each) compete for the same cores and hand every request's
 * database reply from one thread to another.
 */
@Configuration(proxyBeanMethods = false)
class SharedEventLoops {

	@Bean
	ConnectionFactoryOptionsBuilderCustomizer driverOnServerEventLoops(ReactorResourceFactory resources) {
		return options -> options.option(PostgresqlConnectionFactoryProvider.LOOP_RESOURCES, resources.getLoopResources());
	}

}

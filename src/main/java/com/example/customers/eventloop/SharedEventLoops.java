package com.example.customers.eventloop;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * One set of event loops for the HTTP server and the PostgreSQL driver, and fewer of them than Reactor Netty's default.
 * <p>
 * By default the server runs max(cores, 4) loops and r2dbc-postgresql as many again of its own: eight threads on two
 * cores, each waking for a few events at a time, and every query crossing from a server loop to a driver loop and
 * back. Here a request, its queries and its answer can stay on one thread, which costs less CPU per create (the
 * figures: docs/benchmark.md).
 * <p>
 * The loops are a bean of their own, so that they outlive the connection pool that uses them: the pool closes its
 * connections properly before the loops stop.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventLoopsProperties.class)
class SharedEventLoops {

	@Bean(destroyMethod = "dispose")
	LoopResources eventLoops(EventLoopsProperties properties) {
		return LoopResources.create("reactor-http", properties.count(), true);
	}

	/** Replaces Boot's, which would use Reactor Netty's global loops. */
	@Bean
	ReactorResourceFactory reactorResourceFactory(LoopResources eventLoops) {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		factory.setLoopResources(eventLoops);
		return factory;
	}

	/** Ahead of {@code ClusterConnections.clusterOptionsAsBuilt}, which must see this option to give it to each member. */
	@Bean
	@Order(0)
	ConnectionFactoryOptionsBuilderCustomizer driverOnServerEventLoops(LoopResources eventLoops) {
		return options -> options.option(PostgresqlConnectionFactoryProvider.LOOP_RESOURCES, eventLoops);
	}

	/**
	 * With one loop the borrower already runs on the connection's loop, and skipping the pool's hop was measured to
	 * help; with more, it was not measured, so the pool keeps its hop.
	 */
	/** Outermost: around the statement deadlines and a cluster's connections (decorators apply in order). */
	@Bean
	@Order(100)
	ConnectionFactoryDecorator connectionsWithoutHop(EventLoopsProperties properties) {
		return (properties.count() == 1) ? new ConnectionsWithoutHop() : driver -> driver;
	}

}

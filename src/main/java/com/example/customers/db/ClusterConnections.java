package com.example.customers.db;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;

import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A database that fails over: with {@code r2dbc:postgresql:failover://h1:5432,h2:5432,h3:5432/db?targetServerType=primary}
 * the pool's new connections come from {@link PrimaryOfCluster}, which bounds each member's attempt, instead of from
 * the driver's own failover connection, which does not. Any other URL is left to the driver as it is.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConnections {

	private final AtomicReference<ConnectionFactoryOptions> options = new AtomicReference<>();

	/**
	 * Notes the options as Boot hands them to the driver, every other customizer applied (the statement timeout and
	 * the event loops among them), so that each member's connections are made with exactly those. The others carry
	 * an explicit order ahead of this one: an unordered bean is also LOWEST_PRECEDENCE, and ties go by the order the
	 * beans were found in (ClusterConnectionOptionsTest saw a member's connection without its statement_timeout).
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	ConnectionFactoryOptionsBuilderCustomizer clusterOptionsAsBuilt() {
		return builder -> this.options.set(builder.build());
	}

	/**
	 * The innermost decorator (Boot applies them in order, each around the one before): it sets aside the driver's
	 * factory it is given for the members' own, so anything applied before it would be lost.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	ConnectionFactoryDecorator connectionsToThePrimary(DatabaseProperties properties) {
		return driver -> {
			ConnectionFactoryOptions given = this.options.get();
			return (given != null && wantsThePrimaryOfACluster(given))
					? new PrimaryOfCluster(members(given), properties.memberTimeout()) : driver;
		};
	}

	static boolean wantsThePrimaryOfACluster(ConnectionFactoryOptions options) {
		Object type = options.getValue(PostgresqlConnectionFactoryProvider.TARGET_SERVER_TYPE);
		return PostgresqlConnectionFactoryProvider.FAILOVER_PROTOCOL.equals(options.getValue(ConnectionFactoryOptions.PROTOCOL))
				&& type != null && List.of("primary", "master").contains(type.toString().toLowerCase(Locale.ROOT));
	}

	/** One single-host connection factory per member, in the URL's order, with every other option as given. */
	static List<PrimaryOfCluster.Member> members(ConnectionFactoryOptions options) {
		String hosts = String.valueOf(options.getRequiredValue(ConnectionFactoryOptions.HOST));
		return ClusterHosts.parse(hosts).stream().map(member -> {
			ConnectionFactoryOptions.Builder single = options.mutate()
				// The driver reads the host list only under the failover protocol; any other value means one host.
				.option(ConnectionFactoryOptions.PROTOCOL, "tcp")
				.option(ConnectionFactoryOptions.HOST, member.host());
			if (member.port() != null) {
				single.option(ConnectionFactoryOptions.PORT, member.port());
			}
			return new PrimaryOfCluster.Member(member.address(), ConnectionFactories.get(single.build()));
		}).toList();
	}

}

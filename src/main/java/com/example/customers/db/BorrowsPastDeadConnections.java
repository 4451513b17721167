package com.example.customers.db;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The service's {@link DatabaseClient}, over a pool whose borrows go past every dead connection it holds. The pool
 * checks a connection before lending it and throws it away when the check fails, but tries only twice
 * (r2dbc-pool's {@code acquireRetry}) before failing the borrow, and a request with it (503). After a database
 * restart, or once the watchdog has condemned the connections to a frozen server ({@link StatementDeadlines}), the
 * pool may hold up to its size in dead ones: a borrow that failed on them is tried again, up to that size, as nothing
 * was sent. A borrow that timed out or could not connect is not: that is the database's answer.
 */
@Configuration(proxyBeanMethods = false)
class BorrowsPastDeadConnections {

	/** What r2dbc-pool 1.0 raises when the connections it tried all failed their check. */
	private static final String VALIDATION_FAILED = "Connection validation failed";

	@Bean
	DatabaseClient databaseClient(ConnectionFactory pool, R2dbcProperties properties) {
		return DatabaseClient.builder()
			.connectionFactory(new PastDeadConnections(pool, Math.max(1, properties.getPool().getMaxSize())))
			.build();
	}

	static boolean isDeadConnection(Throwable error) {
		return error instanceof R2dbcNonTransientResourceException && VALIDATION_FAILED.equals(error.getMessage());
	}

	private record PastDeadConnections(ConnectionFactory pool, int retries)
			implements ConnectionFactory, Wrapped<ConnectionFactory> {

		@Override
		public Mono<? extends Connection> create() {
			return Mono.from(this.pool.create())
				.retryWhen(Retry.max(this.retries).filter(BorrowsPastDeadConnections::isDeadConnection));
		}

		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return this.pool.getMetadata();
		}

		@Override
		public ConnectionFactory unwrap() {
			return this.pool;
		}

	}

}

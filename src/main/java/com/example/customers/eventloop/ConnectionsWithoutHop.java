package com.example.customers.eventloop;

import java.util.concurrent.Executor;

import com.example.customers.db.ForwardingConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;

/**
 * Hands the pool connections that do not name the driver's event loop, so that a borrowed connection is not handed
 * over to that loop again before use.
 * <p>
 * r2dbc-pool asks each connection for its {@code Scheduler} and passes every borrow through {@code publishOn} on it:
 * a task queued on the loop, a 256-slot queue allocated, the borrower resumed later. Here the server and the driver
 * share their loops ({@link SharedEventLoops}): with one loop the borrower already runs on it, and with more, the
 * driver's writes reach the connection's loop by themselves, as Netty queues a write from another thread. The hop
 * also kept each borrowed connection idle until the loop came round to the task, so connections stayed borrowed
 * longer and requests queued for them while the CPU idled.
 * <p>
 * Installed only with one event loop, where it was measured to help (less CPU per create, more creates per second;
 * the figures are in docs/benchmark.md, which names the commands that produced them).
 */
class ConnectionsWithoutHop implements ConnectionFactoryDecorator {

	@Override
	public ConnectionFactory decorate(ConnectionFactory driver) {
		return new ConnectionFactory() {

			@Override
			public Publisher<? extends Connection> create() {
				return Mono.from(driver.create()).map(WithoutScheduler::new);
			}

			@Override
			public ConnectionFactoryMetadata getMetadata() {
				return driver.getMetadata();
			}

		};
	}

	/**
	 * The driver's connection as it is, but for the scheduler: the pool asks {@code unwrap(Scheduler.class)}, then
	 * {@code unwrap(Executor.class)} (r2dbc-pool 1.0.2), and hears nothing. Anything else, the driver's own
	 * connection included (for LISTEN/NOTIFY or COPY), unwraps as before.
	 */
	private static final class WithoutScheduler extends ForwardingConnection {

		WithoutScheduler(Connection connection) {
			super(connection);
		}

		@Override
		public <E> @Nullable E unwrap(Class<E> type) {
			return (type == Scheduler.class || type == Executor.class) ? null : super.unwrap(type);
		}

	}

}

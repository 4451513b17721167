package com.example.customers.db;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.ValidationDepth;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Every wait for the database is bounded, so that a request gets its answer (503 at worst) instead of hanging until its
 * client gives up. Two bounds, one behind the other:
 * <ul>
 * <li>PostgreSQL's own {@code statement_timeout}, {@code customers.statement-timeout}: a statement that runs or waits
 * for a lock too long is cancelled and rolled back (SQLSTATE 57014, answered 503), so nothing is written.</li>
 * <li>A watchdog on our side, one second later, for what PostgreSQL cannot see: a connection whose replies stopped
 * coming (a half-open connection, a black-holed network, a server that froze). A connection busy with a statement
 * that has heard nothing for that long is closed: the statement fails (503), and the pool's check of a borrowed
 * connection (is it open?) throws it away, so the pool heals instead of lending it again.</li>
 * </ul>
 * The watchdog times the gap since a statement's last sign of life, not its whole result: the list reads a page at a
 * time (each page whole), so no statement waits for its client. It is one periodic task over the open connections,
 * not a timer per statement: each statement only notes when it last heard from the database.
 * <p>
 * A connection found silent condemns the others opened before its silence began: a server that froze (a primary that
 * stopped, its cluster failing over) froze for all of them, and each would otherwise be found out only when a request
 * borrowed it and waited out the deadline, one request after another (a quiet service stayed down 40 s). They fail the
 * pool's check when next borrowed, and {@link BorrowsPastDeadConnections} borrows again: a request gets a live one.
 */
@Configuration(proxyBeanMethods = false)
class StatementDeadlines {

	private static final Log logger = LogFactory.getLog(StatementDeadlines.class);

	/** How much later than PostgreSQL's own timeout our side gives up on hearing back. */
	private static final Duration NETWORK_GRACE = Duration.ofSeconds(1);

	/** How often the watchdog looks: a silent connection is closed at most this long after its deadline. */
	private static final Duration WATCH_PERIOD = Duration.ofMillis(250);

	/** Ahead of {@code ClusterConnections.clusterOptionsAsBuilt}, which must see this option to give it to each member. */
	@Bean
	@Order(0)
	ConnectionFactoryOptionsBuilderCustomizer postgresStatementTimeout(DatabaseProperties properties) {
		return options -> options.option(PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT,
				properties.statementTimeout());
	}

	@Bean(destroyMethod = "dispose")
	Watchdog statementWatchdog(DatabaseProperties properties) {
		return new Watchdog(properties.statementTimeout().plus(NETWORK_GRACE));
	}

	/** Around the connections to a cluster's primary ({@code ClusterConnections}), which must come first. */
	@Bean
	@Order(0)
	ConnectionFactoryDecorator statementDeadline(Watchdog watchdog) {
		return driver -> new ConnectionFactory() {

			@Override
			public Publisher<? extends Connection> create() {
				return Mono.from(driver.create()).map(watchdog::watch);
			}

			@Override
			public ConnectionFactoryMetadata getMetadata() {
				return driver.getMetadata();
			}

		};
	}

	/** Closes the connections whose statement has heard nothing from the database for longer than the deadline. */
	static final class Watchdog implements Disposable {

		private final Set<Watched> open = ConcurrentHashMap.newKeySet();

		private final long deadlineNanos;

		private final Disposable task;

		Watchdog(Duration deadline) {
			this.deadlineNanos = deadline.toNanos();
			this.task = Schedulers.parallel().schedulePeriodically(this::closeSilentOnes, WATCH_PERIOD.toMillis(),
					WATCH_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
		}

		Connection watch(Connection connection) {
			Watched watched = new Watched(connection, this);
			this.open.add(watched);
			return watched;
		}

		private void closeSilentOnes() {
			long now = System.nanoTime();
			for (Watched watched : this.open) {
				if (watched.silentFor(now) > this.deadlineNanos) {
					long suspects = suspectThoseOpenedBefore(watched);
					logger.warn("No answer from the database for " + Duration.ofNanos(this.deadlineNanos).toMillis()
							+ " ms; closing the connection, so that its statement fails and the pool replaces it, "
							+ "and replacing the " + suspects + " other connections opened before it went silent");
					this.open.remove(watched);
					Mono.from(watched.close())
						.subscribe(null, error -> logger.debug("Closing a silent connection failed", error));
				}
			}
		}

		private long suspectThoseOpenedBefore(Watched silent) {
			long suspects = 0;
			for (Watched other : this.open) {
				if (other != silent && !other.suspect && other.openedNanos - silent.lastHeardNanos < 0) {
					other.suspect = true;
					suspects++;
				}
			}
			return suspects;
		}

		@Override
		public void dispose() {
			this.task.dispose();
		}

	}

	/** A connection that notes when its statements last heard from the database. */
	private static final class Watched extends ForwardingConnection {

		private final Watchdog watchdog;

		private final AtomicInteger waiting = new AtomicInteger();

		private final long openedNanos = System.nanoTime();

		private volatile long lastHeardNanos;

		private volatile boolean closed;

		/** Opened before another connection went silent: not to be lent again. */
		private volatile boolean suspect;

		Watched(Connection connection, Watchdog watchdog) {
			super(connection);
			this.watchdog = watchdog;
		}

		long silentFor(long now) {
			return (this.waiting.get() > 0) ? now - this.lastHeardNanos : 0;
		}

		@Override
		protected <T> Flux<T> around(Publisher<T> signals) {
			return Flux.from(signals)
				.doOnSubscribe(subscription -> {
					this.lastHeardNanos = System.nanoTime();
					this.waiting.incrementAndGet();
				})
				.doOnNext(signal -> this.lastHeardNanos = System.nanoTime())
				.doFinally(signal -> this.waiting.decrementAndGet());
		}

		@Override
		public Statement createStatement(String sql) {
			return new BoundedStatement(this.connection.createStatement(sql), this);
		}

		@Override
		public Publisher<Void> close() {
			this.closed = true;
			this.watchdog.open.remove(this);
			return this.connection.close();
		}

		/**
		 * Invalid from the moment it is closed: the driver's close completes later, and until then its own check still
		 * says valid, so the pool could lend a connection the watchdog had just closed to the next request (seen: the
		 * first create after a black hole answered 503, 'Connection closed', 9 ms after the watchdog's close). Invalid
		 * too once suspect: its socket is open, but the server behind it may have frozen.
		 */
		@Override
		public Publisher<Boolean> validate(ValidationDepth depth) {
			return (this.closed || this.suspect) ? Mono.just(false) : this.connection.validate(depth);
		}

	}

	private record BoundedStatement(Statement statement, Watched connection) implements Statement {

		@Override
		public Statement add() {
			this.statement.add();
			return this;
		}

		@Override
		public Statement bind(int index, Object value) {
			this.statement.bind(index, value);
			return this;
		}

		@Override
		public Statement bind(String name, Object value) {
			this.statement.bind(name, value);
			return this;
		}

		@Override
		public Statement bindNull(int index, Class<?> type) {
			this.statement.bindNull(index, type);
			return this;
		}

		@Override
		public Statement bindNull(String name, Class<?> type) {
			this.statement.bindNull(name, type);
			return this;
		}

		@Override
		public Statement fetchSize(int rows) {
			this.statement.fetchSize(rows);
			return this;
		}

		@Override
		public Statement returnGeneratedValues(String... columns) {
			this.statement.returnGeneratedValues(columns);
			return this;
		}

		@Override
		public Publisher<? extends Result> execute() {
			return this.connection.around(this.statement.execute())
				.map(result -> new BoundedResult(result, this.connection));
		}

	}

	private record BoundedResult(Result result, Watched connection) implements Result {

		@Override
		public Publisher<Long> getRowsUpdated() {
			return this.connection.around(this.result.getRowsUpdated());
		}

		@Override
		public <T> Publisher<T> map(BiFunction<Row, RowMetadata, ? extends T> mapping) {
			return this.connection.around(this.result.map(mapping));
		}

		@Override
		public <T> Publisher<T> map(Function<? super Readable, ? extends T> mapping) {
			return this.connection.around(this.result.map(mapping));
		}

		@Override
		public Result filter(Predicate<Segment> filter) {
			return new BoundedResult(this.result.filter(filter), this.connection);
		}

		@Override
		public <T> Publisher<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mapping) {
			return this.connection.around(this.result.flatMap(mapping));
		}

	}

}

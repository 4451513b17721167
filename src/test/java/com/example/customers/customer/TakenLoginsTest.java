package com.example.customers.customer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.customers.eventloop.EventLoopTimers;
import com.example.customers.support.ServiceTest;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.r2dbc.core.DatabaseClient;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batched existence check: the checks that start in one turn of an event loop get their answers, each its own,
 * from one statement, and that statement probes the unique index whatever the table's size.
 */
@ServiceTest
class TakenLoginsTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final DatabaseClient db;

	private final EventLoopTimers timers;

	private final EventExecutor loop;

	private final ConnectionFactory pool;

	@Autowired
	TakenLoginsTest(DatabaseClient db, EventLoopTimers timers, LoopResources loops, ConnectionFactory pool) {
		this.db = db;
		this.timers = timers;
		this.loop = loops.onServer(true).next();
		this.pool = pool;
	}

	@Test
	void checksStartedInOneTurnOfTheLoopAreAnsweredEachItsOwnByOneStatement() {
		CountingRepository repository = new CountingRepository(this.db);
		TakenLogins takenLogins = new TakenLogins(repository, this.timers);
		Map<String, Boolean> expected = new LinkedHashMap<>();
		for (int i = 0; i < 6; i++) {
			String login = uniqueLogin("batched" + i);
			boolean taken = i % 3 != 1;
			if (taken) {
				repository.insert(login).block(TIMEOUT);
			}
			expected.put(login, taken);
		}
		List<String> logins = new ArrayList<>(expected.keySet());
		logins.add(logins.get(0)); // the same login twice in one turn: both are answered

		Map<Integer, Boolean> answers = Flux.<Map.Entry<Integer, Boolean>>create(sink -> this.loop.execute(() -> {
			for (int i = 0; i < logins.size(); i++) {
				int index = i;
				takenLogins.isTaken(logins.get(i)).subscribe(taken -> sink.next(Map.entry(index, taken)), sink::error);
			}
		})).take(logins.size()).collectMap(Map.Entry::getKey, Map.Entry::getValue).block(TIMEOUT);

		for (int i = 0; i < logins.size(); i++) {
			assertThat(answers.get(i)).as("taken: %s", logins.get(i)).isEqualTo(expected.get(logins.get(i)));
		}
		assertThat(repository.batches.get()).as("statements for the turn's checks").isEqualTo(1);
		assertThat(repository.lone.get()).as("lone checks").isZero();
	}

	@Test
	void checksOfABatchWhoseStatementFailsAreEachTriedAlone() {
		CountingRepository repository = new CountingRepository(this.db, true);
		TakenLogins takenLogins = new TakenLogins(repository, this.timers);
		String taken = uniqueLogin("batch-failed-taken");
		String free = uniqueLogin("batch-failed-free");
		repository.insert(taken).block(TIMEOUT);

		Map<String, Boolean> answers = Flux.<Map.Entry<String, Boolean>>create(sink -> this.loop.execute(() -> {
			for (String login : List.of(taken, free)) {
				takenLogins.isTaken(login).subscribe(answer -> sink.next(Map.entry(login, answer)), sink::error);
			}
		})).take(2).collectMap(Map.Entry::getKey, Map.Entry::getValue).block(TIMEOUT);

		assertThat(answers).containsExactlyInAnyOrderEntriesOf(Map.of(taken, true, free, false));
		assertThat(repository.batches.get()).as("the batch that failed").isEqualTo(1);
		assertThat(repository.lone.get()).as("each check again, alone").isEqualTo(2);
	}

	/**
	 * A loop that is shutting down refuses the task that would send a batch: the check goes alone, and the next check
	 * on that thread is answered too, rather than joining a batch that will never be sent.
	 */
	@Test
	void aLoopThatRefusesTheBatchLeavesNoCheckWaiting() throws Exception {
		CountingRepository repository = new CountingRepository(this.db);
		DefaultEventExecutor stopped = new DefaultEventExecutor();
		stopped.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(TIMEOUT.toMillis());
		EventLoopTimers onTheStoppedLoop = new EventLoopTimers(LoopResources.create("unused")) {

			@Override
			public EventExecutor currentLoop() {
				return stopped;
			}

		};
		TakenLogins takenLogins = new TakenLogins(repository, onTheStoppedLoop);
		String taken = uniqueLogin("refused-loop");
		repository.insert(taken).block(TIMEOUT);

		assertThat(takenLogins.isTaken(taken).block(TIMEOUT)).isTrue();
		assertThat(takenLogins.isTaken(uniqueLogin("refused-loop-free")).block(TIMEOUT)).as("the next check").isFalse();
		assertThat(repository.lone.get()).isEqualTo(2);
	}

	@Test
	void theBatchedStatementUsesTheUniqueIndexEvenInThePlanCachedWhileTheTableWasEmpty() {
		String plan = Mono.usingWhen(Mono.from(this.pool.create()), this::explainCachedPlanOnANewTable, Connection::close)
			.block(TIMEOUT);

		// The index is searched with each login (Index Cond), not the table read whole with the logins as a Filter.
		assertThat(plan).contains("customer_login_key").contains("Index Cond:").doesNotContain("Seq Scan")
			.doesNotContain("Filter:");
	}

	/**
	 * The plan a prepared statement keeps: PostgreSQL caches a generic plan after a few executions and reuses it as the
	 * table grows, so one made while the table was new and small must already be right. A temporary table like
	 * customer, empty and never analyzed, stands for the table on a new deployment (it hides the real one for this
	 * transaction, which is rolled back); force_generic_plan asks for the cached plan at once.
	 */
	private Mono<String> explainCachedPlanOnANewTable(Connection connection) {
		return Mono.from(connection.beginTransaction())
			.thenMany(run(connection, "CREATE TEMPORARY TABLE customer (LIKE customer INCLUDING ALL)"))
			.thenMany(run(connection, "SET LOCAL plan_cache_mode = force_generic_plan"))
			.thenMany(run(connection, "DO $do$ BEGIN EXECUTE 'PREPARE taken_among(text[]) AS "
					+ CustomerRepository.TAKEN_AMONG.replace("'", "''") + "'; END $do$"))
			.thenMany(Flux.from(connection.createStatement("EXPLAIN EXECUTE taken_among('{a,b,c}')").execute())
				.flatMap(result -> result.map(row -> row.get(0, String.class))))
			.collectList()
			.map(lines -> String.join("\n", lines))
			.flatMap(plan -> run(connection, "DEALLOCATE taken_among").then(Mono.from(connection.rollbackTransaction()))
				.thenReturn(plan));
	}

	private static Flux<Long> run(Connection connection, String sql) {
		return Flux.from(connection.createStatement(sql).execute()).flatMap(result -> result.getRowsUpdated());
	}

	/** The real statements, counted. */
	private static final class CountingRepository extends CustomerRepository {

		private final AtomicInteger batches = new AtomicInteger();

		private final AtomicInteger lone = new AtomicInteger();

		private final boolean batchesFail;

		CountingRepository(DatabaseClient db) {
			this(db, false);
		}

		/** With batchesFail, each batch's statement fails as one whose connection was cut. */
		CountingRepository(DatabaseClient db, boolean batchesFail) {
			super(db);
			this.batchesFail = batchesFail;
		}

		@Override
		public Mono<Set<String>> takenAmong(String[] logins) {
			this.batches.incrementAndGet();
			return this.batchesFail ? Mono.error(new DataAccessResourceFailureException("connection cut"))
					: super.takenAmong(logins);
		}

		@Override
		public Mono<Boolean> existsByLogin(String login) {
			this.lone.incrementAndGet();
			return super.existsByLogin(login);
		}

	}

}

package com.example.customers.customer;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.example.customers.idempotency.Claim;
import com.example.customers.idempotency.RecordedAnswer;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The customer table, one plain SQL statement per operation. Each call borrows a pooled connection only for its own
 * statement, so nothing is held while a request waits out its race window.
 */
@Repository
public class CustomerRepository {

	private static final int PAGE_SIZE = 1000;

	/**
	 * One index probe per login, each the plan of {@link #existsByLogin}: a LATERAL subquery with LIMIT cannot be
	 * flattened into a join, so the planner has no other shape to choose. The shorter {@code login = ANY($1)} gets a
	 * sequential scan in the generic plan PostgreSQL caches for a prepared statement while the table is small, and
	 * keeps it as the table grows: a quarter of the throughput in bench/overload.sh.
	 */
	static final String TAKEN_AMONG = "SELECT taken.login FROM unnest($1::text[]) AS wanted(login) CROSS JOIN LATERAL "
			+ "(SELECT login FROM customer WHERE customer.login = wanted.login LIMIT 1) AS taken";

	private final DatabaseClient db;

	public CustomerRepository(DatabaseClient db) {
		this.db = db;
	}

	public Mono<Boolean> existsByLogin(String login) {
		return this.db.sql("SELECT EXISTS (SELECT 1 FROM customer WHERE login = $1)")
			.bind(0, login)
			.map(row -> row.get(0, Boolean.class))
			.one();
	}

	/**
	 * Which of these logins are taken, in one statement ({@link TakenLogins}); the array is cast to text[] in the SQL,
	 * whatever type the driver sends it as (TakenLoginsTest asserts the plan).
	 */
	public Mono<Set<String>> takenAmong(String[] logins) {
		return this.db.sql(TAKEN_AMONG)
			.bind(0, logins)
			.map(row -> row.get(0, String.class))
			.all()
			.collect(Collectors.toSet());
	}

	public Mono<Boolean> existsByLoginOnOtherThan(String login, long id) {
		return this.db.sql("SELECT EXISTS (SELECT 1 FROM customer WHERE login = $1 AND id <> $2)")
			.bind(0, login)
			.bind(1, id)
			.map(row -> row.get(0, Boolean.class))
			.one();
	}

	public Mono<Customer> insert(String login) {
		return this.db.sql("INSERT INTO customer (login) VALUES ($1) RETURNING id, login")
			.bind(0, login)
			.map(CustomerRepository::customer)
			.one();
	}

	/** The id the next customer would get: a keyed create takes it first, to build its 201 before its write. */
	public Mono<Long> nextId() {
		return this.db.sql("SELECT nextval(pg_get_serial_sequence('customer', 'id'))")
			.map(row -> row.get(0, Long.class))
			.one();
	}

	/**
	 * Inserts the customer and records its 201 under the Idempotency-Key's claim in one statement, so that both happen
	 * or neither does, with no transaction held open by the client: a BEGIN, COMMIT or ROLLBACK that a broken network
	 * cuts in flight can leave a pooled connection inside a transaction, which later requests would then run in. Empty
	 * when the claim is no longer this request's (taken over, or finished): then nothing is inserted. The answer
	 * recorded is the one the handler built for this customer and answers with; this statement does not build it.
	 */
	public Mono<Customer> insertRecordingCreated(Customer customer, RecordedAnswer created, Claim claim) {
		DatabaseClient.GenericExecuteSpec statement = this.db.sql("""
				WITH claim AS (
				    SELECT key FROM idempotency_key WHERE key = $3 AND claim_token = $4 AND status IS NULL FOR UPDATE
				), created AS (
				    INSERT INTO customer (id, login) SELECT $1, $2 FROM claim RETURNING id, login
				), recorded AS (
				    UPDATE idempotency_key SET status = $5, body = $6, location = $7
				    FROM created WHERE idempotency_key.key = $3
				)
				SELECT id, login FROM created""")
			.bind(0, customer.id())
			.bind(1, customer.login())
			.bind(2, claim.key())
			.bind(3, claim.token())
			.bind(4, created.status())
			.bind(5, created.body());
		statement = (created.location() != null) ? statement.bind(6, created.location())
				: statement.bindNull(6, String.class);
		return statement.map(CustomerRepository::customer).one();
	}

	public Mono<Customer> findById(long id) {
		return this.db.sql("SELECT id, login FROM customer WHERE id = $1")
			.bind(0, id)
			.map(CustomerRepository::customer)
			.one();
	}

	/**
	 * Every customer by id, a page at a time, each page read whole on a borrow of its own and the next only once the
	 * client has taken most of this one: a client that stops reading holds no connection, memory stays at two pages
	 * whatever the table's size, and each statement is short. Unlike one SELECT, the list is not one snapshot: a row
	 * committed during the read shows if its id comes after the page being read.
	 */
	public Flux<Customer> findAll() {
		return pageAfter(0).expand(page -> (page.size() < PAGE_SIZE) ? Mono.empty()
				: pageAfter(page.get(page.size() - 1).id()))
			.concatMapIterable(page -> page, 1);
	}

	private Mono<List<Customer>> pageAfter(long id) {
		return this.db.sql("SELECT id, login FROM customer WHERE id > $1 ORDER BY id LIMIT " + PAGE_SIZE)
			.bind(0, id)
			.map(CustomerRepository::customer)
			.all()
			.collectList();
	}

	/** Empty when the row is gone, for example deleted by another request during the race window. */
	public Mono<Customer> updateLogin(long id, String login) {
		return this.db.sql("UPDATE customer SET login = $1 WHERE id = $2 RETURNING id, login")
			.bind(0, login)
			.bind(1, id)
			.map(CustomerRepository::customer)
			.one();
	}

	public Mono<Boolean> deleteById(long id) {
		return this.db.sql("DELETE FROM customer WHERE id = $1").bind(0, id).fetch().rowsUpdated().map(rows -> rows > 0);
	}

	private static Customer customer(Readable row) {
		return new Customer(row.get(0, Long.class), row.get(1, String.class));
	}

}

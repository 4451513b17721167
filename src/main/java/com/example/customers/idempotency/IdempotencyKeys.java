package com.example.customers.idempotency;

import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The idempotency_key table. Claims are decided by the database, never in the process: the primary key lets one
 * INSERT win, and a take-over of an expired or stale claim only succeeds against the token it replaces. Times are the
 * database's, so instances with different clocks agree.
 */
@Repository
public class IdempotencyKeys {

	private static final int CLAIM_ATTEMPTS = 5;

	private final DatabaseClient db;

	private final double ttlSeconds;

	private final double claimTimeoutSeconds;

	public IdempotencyKeys(DatabaseClient db, IdempotencyProperties properties) {
		this.db = db;
		this.ttlSeconds = properties.ttl().toMillis() / 1000.0;
		this.claimTimeoutSeconds = properties.claimTimeout().toMillis() / 1000.0;
	}

	/** Claims the key for a request with this body fingerprint, or tells what holds it. */
	Mono<KeyState> claim(String key, String fingerprint) {
		// An attempt is empty when the row changed between its two statements (taken over, released, purged): the
		// next attempt looks again. After that many changes in a row, someone else is busy with the key.
		return Flux.range(0, CLAIM_ATTEMPTS)
			.concatMap(attempt -> insert(key, fingerprint).switchIfEmpty(Mono.defer(() -> inspect(key, fingerprint))))
			.next()
			.defaultIfEmpty(KeyState.inProgress());
	}

	/** Records the answer unless one is recorded; false when the claim was lost to a take-over. */
	Mono<Boolean> record(Claim claim, RecordedAnswer answer) {
		DatabaseClient.GenericExecuteSpec statement = this.db.sql("""
				UPDATE idempotency_key SET status = $3, body = $4, location = $5
				WHERE key = $1 AND claim_token = $2 AND status IS NULL""")
			.bind(0, claim.key())
			.bind(1, claim.token())
			.bind(2, answer.status())
			.bind(3, answer.body());
		statement = (answer.location() != null) ? statement.bind(4, answer.location()) : statement.bindNull(4, String.class);
		return statement.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/** Frees an unfinished claim, so that a retry can run at once. */
	Mono<Void> release(Claim claim) {
		return this.db.sql("DELETE FROM idempotency_key WHERE key = $1 AND claim_token = $2 AND status IS NULL")
			.bind(0, claim.key())
			.bind(1, claim.token())
			.then();
	}

	/** Deletes up to a batch of expired keys, skipping rows other transactions hold; the number deleted. */
	Mono<Long> purgeExpired(int batch) {
		return this.db.sql("""
				DELETE FROM idempotency_key WHERE key IN (
				    SELECT key FROM idempotency_key WHERE expires_at < now() LIMIT $1 FOR UPDATE SKIP LOCKED)""")
			.bind(0, batch)
			.fetch()
			.rowsUpdated();
	}

	private Mono<KeyState> insert(String key, String fingerprint) {
		UUID token = UUID.randomUUID();
		return this.db.sql("""
				INSERT INTO idempotency_key (key, fingerprint, claim_token, claimed_at, expires_at)
				VALUES ($1, $2, $3, now(), now() + make_interval(secs => $4))
				ON CONFLICT (key) DO NOTHING RETURNING claim_token""")
			.bind(0, key)
			.bind(1, fingerprint)
			.bind(2, token)
			.bind(3, this.ttlSeconds)
			.map(row -> KeyState.owned(new Claim(key, token)))
			.one();
	}

	/** The key is taken: by an expired or abandoned claim (take it over), or by a live one (say what it is). */
	private Mono<KeyState> inspect(String key, String fingerprint) {
		return this.db.sql("""
				SELECT fingerprint, claim_token, status, body, location,
				       expires_at < now() AS expired, claimed_at < now() - make_interval(secs => $2) AS stale
				FROM idempotency_key WHERE key = $1""")
			.bind(0, key)
			.bind(1, this.claimTimeoutSeconds)
			.map(row -> new Existing(row.get("fingerprint", String.class), row.get("claim_token", UUID.class),
					row.get("status", Integer.class), row.get("body", String.class), row.get("location", String.class),
					Boolean.TRUE.equals(row.get("expired", Boolean.class)), Boolean.TRUE.equals(row.get("stale", Boolean.class))))
			.one()
			.flatMap(existing -> decide(key, fingerprint, existing));
	}

	private Mono<KeyState> decide(String key, String fingerprint, Existing existing) {
		if (existing.expired()) {
			return takeOver(key, fingerprint, existing.token());
		}
		if (!existing.fingerprint().equals(fingerprint)) {
			return Mono.just(KeyState.mismatch());
		}
		if (existing.status() != null) {
			return Mono.just(KeyState.completed(new RecordedAnswer(existing.status(), existing.body(), existing.location())));
		}
		return existing.stale() ? takeOver(key, fingerprint, existing.token()) : Mono.just(KeyState.inProgress());
	}

	/**
	 * Succeeds only against the token it replaces, so of two requests taking over one claim, one wins. The reason for
	 * the take-over is checked again in the UPDATE itself: a stale claim's request may still be committing, holding the
	 * row, and once it has recorded its answer the key is finished, not abandoned. Without that re-check, the take-over
	 * would wipe the recorded 201 and run the create a second time.
	 */
	Mono<KeyState> takeOver(String key, String fingerprint, UUID replaced) {
		UUID token = UUID.randomUUID();
		return this.db.sql("""
				UPDATE idempotency_key
				SET fingerprint = $2, claim_token = $3, claimed_at = now(),
				    expires_at = now() + make_interval(secs => $5), status = NULL, body = NULL, location = NULL
				WHERE key = $1 AND claim_token = $4
				  AND (expires_at < now() OR (status IS NULL AND claimed_at < now() - make_interval(secs => $6)))
				RETURNING claim_token""")
			.bind(0, key)
			.bind(1, fingerprint)
			.bind(2, token)
			.bind(3, replaced)
			.bind(4, this.ttlSeconds)
			.bind(5, this.claimTimeoutSeconds)
			.map(row -> KeyState.owned(new Claim(key, token)))
			.one();
	}

	private record Existing(String fingerprint, UUID token, Integer status, String body, String location,
			boolean expired, boolean stale) {
	}

}

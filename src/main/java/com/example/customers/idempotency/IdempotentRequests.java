package com.example.customers.idempotency;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import com.example.customers.api.ApiException;
import com.example.customers.api.RequestBodies;
import com.example.customers.logging.ThrottledLog;
import jakarta.annotation.PreDestroy;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.EntityResponse;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Runs a request at most once per Idempotency-Key. The first request with a key claims it in the database and runs;
 * its answer is recorded with a fingerprint of its body. A retry with the same key and body gets that answer again; a
 * request that comes while the first still runs gets 409; the key with another body gets 422. A success is recorded
 * by the very statement that writes it (see {@code CustomerRepository#insertRecordingCreated}), so no crash and no
 * broken connection can leave one without the other; a failure that is no fault of the request (5xx) frees the key
 * for a retry.
 */
@Component
public class IdempotentRequests {

	/** Marks a replayed answer, as Stripe's API does; the draft leaves the name open. */
	public static final String REPLAYED = "Idempotent-Replayed";

	/** Many clients leaving at once, or a database away, fail many releases alike: one line per ten seconds. */
	private final ThrottledLog unreleased = new ThrottledLog(LogFactory.getLog(IdempotentRequests.class),
			Duration.ofSeconds(10));

	/** How often a claim that could not be freed is tried again, at most, while the database is away. */
	private static final Duration RELEASE_RETRY_CEILING = Duration.ofSeconds(2);

	/**
	 * Claims tried again at once, at most: an outage under heavy traffic fails thousands of requests, and their
	 * releases must not crowd the pool when the database returns. Beyond it, the claim timeout frees them.
	 */
	private static final int RELEASES_RETRIED_AT_MOST = 1_000;

	private final AtomicInteger releasesRetried = new AtomicInteger();

	private final IdempotencyKeys keys;

	private final RequestBodies bodies;

	private final JsonMapper json;

	private final Duration claimTimeout;

	/** Ends the releases still being tried when the service stops: the claim timeout frees those claims. */
	private final Sinks.Empty<Void> stopping = Sinks.empty();

	public IdempotentRequests(IdempotencyKeys keys, RequestBodies bodies, JsonMapper json,
			IdempotencyProperties properties) {
		this.keys = keys;
		this.bodies = bodies;
		this.json = json;
		this.claimTimeout = properties.claimTimeout();
	}

	/**
	 * @param work the request's own handling, given its parsed body and the claim; a success must record itself in the
	 * statement of its write, other answers are recorded here
	 */
	public Mono<ServerResponse> run(String key, ServerRequest request,
			BiFunction<JsonNode, Claim, Mono<ServerResponse>> work) {
		String contentType = RequestBodies.contentType(request);
		return this.bodies.readBytes(request)
			.flatMap(bytes -> this.keys.claim(key, Fingerprint.of(contentType, bytes))
				.flatMap(state -> switch (state.outcome()) {
					case OWNED -> runOwned(state.claim(),
							Mono.defer(() -> work.apply(this.bodies.parse(contentType, bytes), state.claim())));
					case COMPLETED -> replay(state.answer());
					case MISMATCH -> Mono.error(ApiException.detail(HttpStatus.UNPROCESSABLE_ENTITY,
							"This Idempotency-Key was used with a different request."));
					case IN_PROGRESS -> Mono.error(inProgress());
				}));
	}

	/** The answer of a request whose claim was taken over before it could write: its write did not happen. */
	public static ApiException claimLost() {
		return inProgress();
	}

	/**
	 * A success was recorded with its write; client errors are answers too and are recorded now; anything else frees
	 * the key for a retry.
	 */
	private Mono<ServerResponse> runOwned(Claim claim, Mono<ServerResponse> work) {
		return work.flatMap(response -> response.statusCode().is2xxSuccessful() ? Mono.just(response)
				: this.keys.record(claim, answerOf(response)).thenReturn(response))
			.onErrorResume(ApiException.class,
					error -> this.keys.record(claim, answerOf(error)).then(Mono.error(error)))
			.onErrorResume(error -> !(error instanceof ApiException),
					error -> releaseAfterFailure(claim).then(Mono.error(error)))
			.doOnCancel(() -> releaseAbandoned(claim));
	}

	/**
	 * The answer stays the failure's own: a release that fails too (the database still away) must not replace it, and
	 * is tried again after the answer ({@link #releaseOnceTheDatabaseIsBack}).
	 */
	private Mono<Void> releaseAfterFailure(Claim claim) {
		return this.keys.release(claim)
			.onErrorResume(error -> {
				this.unreleased.info("failed", () -> "Could not free the claim of a failed request for key "
						+ claim.key() + " yet; trying again until claim-timeout: " + error);
				releaseOnceTheDatabaseIsBack(claim);
				return Mono.empty();
			});
	}

	/**
	 * A request answered 503 because the database was away is over, and its client will retry it: were its claim left
	 * until claim-timeout, every retry in between would hear 409 "in progress" (11% of the answers through a failover).
	 * So the release is tried again, with backoff, until it succeeds or the claim timeout frees the claim anyway. It
	 * is no lock: if this instance stops first, the timeout still frees the claim, and a write still under way and
	 * the release lock the same row, as for an abandoned request.
	 */
	private void releaseOnceTheDatabaseIsBack(Claim claim) {
		if (this.releasesRetried.incrementAndGet() > RELEASES_RETRIED_AT_MOST) {
			this.releasesRetried.decrementAndGet();
			return;
		}
		this.keys.release(claim)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(RELEASE_RETRY_CEILING))
			.take(this.claimTimeout)
			.takeUntilOther(this.stopping.asMono())
			.doFinally(signal -> this.releasesRetried.decrementAndGet())
			.subscribe(null, error -> this.unreleased.info("given up", () -> "Gave up freeing a claim: " + error));
	}

	@PreDestroy
	void stopRetryingReleases() {
		this.stopping.tryEmitEmpty();
	}

	/**
	 * A client that hung up (most often on its own timeout) will send the same request again at once; its claim is
	 * freed now, so the retry runs instead of hearing 409 until claim-timeout. A write under way is safe: its single
	 * statement and the release lock the same row, so either the 201 is recorded first (the release then finds nothing
	 * to free, and the retry is replayed the 201) or the release comes first (and the write inserts nothing).
	 */
	private void releaseAbandoned(Claim claim) {
		this.keys.release(claim).subscribe(null, error -> {
			this.unreleased.info("abandoned", () -> "Could not free the claim of an abandoned request for key "
					+ claim.key() + " yet; trying again until claim-timeout: " + error);
			releaseOnceTheDatabaseIsBack(claim);
		});
	}

	private Mono<ServerResponse> replay(RecordedAnswer answer) {
		ServerResponse.BodyBuilder response = ServerResponse.status(answer.status()).header(REPLAYED, "true");
		if (answer.location() != null) {
			response.header(HttpHeaders.LOCATION, answer.location());
		}
		return response.bodyValue(this.json.readTree(answer.body()));
	}

	/**
	 * The answer as it is recorded and replayed: built from the response itself, so that a replay is the live answer
	 * again whatever the response's body type becomes. A create records its 201 with its write ({@code work}).
	 */
	public RecordedAnswer answerOf(ServerResponse response) {
		Object body = (response instanceof EntityResponse<?> entity) ? entity.entity() : null;
		URI location = response.headers().getLocation();
		return new RecordedAnswer(response.statusCode().value(), this.json.writeValueAsString(body),
				location != null ? location.toString() : null);
	}

	private RecordedAnswer answerOf(ApiException error) {
		return new RecordedAnswer(error.status().value(), this.json.writeValueAsString(error.body()), null);
	}

	private static ApiException inProgress() {
		return ApiException.detail(HttpStatus.CONFLICT, "A request with this Idempotency-Key is already being processed.");
	}

}

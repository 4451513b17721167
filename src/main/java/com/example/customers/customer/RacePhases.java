package com.example.customers.customer;

import java.util.concurrent.TimeUnit;

import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The phases of one write of a login, told to the client in a standard {@code Server-Timing} header: {@code check},
 * {@code window} and {@code write} with their durations in milliseconds, then {@code caught;desc="check"} or
 * {@code caught;desc="constraint"} when the login was taken. The race page draws its timeline from it, and a
 * browser's developer tools and {@code curl -i} show the same figures.
 * <p>
 * The header is set on the response as each phase ends, so an answer that ends in an error (a 500 with the mapping
 * switched off, a 503) still says how far the request got. One instance per request; its phases run one after the
 * other, so it needs no synchronisation.
 */
final class RacePhases {

	static final String HEADER = "Server-Timing";

	private static final long TENTH_OF_A_MILLISECOND = TimeUnit.MICROSECONDS.toNanos(100);

	private final ServerHttpResponse response;

	private final StringBuilder timings = new StringBuilder();

	private RacePhases(ServerHttpResponse response) {
		this.response = response;
	}

	static RacePhases of(ServerRequest request) {
		return new RacePhases(request.exchange().getResponse());
	}

	/** The existence check: the fast path. */
	<T> Mono<T> check(Mono<T> phase) {
		return timed("check", phase);
	}

	/** The deliberately widened pause between check and write. */
	<T> Mono<T> window(Mono<T> phase) {
		return timed("window", phase);
	}

	/** The write, where the unique constraint decides. */
	<T> Mono<T> write(Mono<T> phase) {
		return timed("write", phase);
	}

	/** The answer to a taken login, marked with the stage that caught it: {@code check} or {@code constraint}. */
	<T> Mono<T> caughtBy(String stage, Mono<T> answer) {
		return Mono.defer(() -> {
			add("caught;desc=\"" + stage + "\"");
			return answer;
		});
	}

	private <T> Mono<T> timed(String name, Mono<T> phase) {
		return Mono.defer(() -> {
			long started = System.nanoTime();
			return phase.doOnTerminate(() -> ended(name, started));
		});
	}

	/** Milliseconds to one decimal, as browsers show them; without String.format, which costs more than the rest. */
	private void ended(String name, long started) {
		long tenths = (System.nanoTime() - started + TENTH_OF_A_MILLISECOND / 2) / TENTH_OF_A_MILLISECOND;
		add(name + ";dur=" + tenths / 10 + "." + tenths % 10);
	}

	private void add(String metric) {
		if (!this.timings.isEmpty()) {
			this.timings.append(", ");
		}
		this.timings.append(metric);
		// A phase that ends after the answer left (the client gave up, a deadline answered) has no one to tell.
		if (!this.response.isCommitted()) {
			this.response.getHeaders().set(HEADER, this.timings.toString());
		}
	}

}

package com.example.customers.exactlyonce;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One client of the workload: creates its own customers one after another, each with its own Idempotency-Key, and
 * retries each the same way a careful client would: the same request with the same key, with backoff, on 409, 503,
 * a timeout or a dropped connection, until a final answer (201, 400, 422) or its give-up time.
 */
final class RetryingClient implements Runnable {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private final String name;

	private final URI customers;

	private final HttpClient http;

	private final Random random;

	private final long stopStartingNanos;

	private final long giveUpNanos;

	private final List<KeyHistory> keys = new ArrayList<>();

	private volatile long longestWaitNanos;

	RetryingClient(int id, String baseUrl, long seed, Duration startFor, Duration giveUpAfter) {
		this("", id, baseUrl, seed, startFor, giveUpAfter);
	}

	/** A client whose keys and logins start with {@code prefix}, so that a run's customers can be told apart. */
	RetryingClient(String prefix, int id, String baseUrl, long seed, Duration startFor, Duration giveUpAfter) {
		this.name = prefix + id;
		this.customers = URI.create(baseUrl + "/api/customer/");
		this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
		this.random = new Random(seed);
		long now = System.nanoTime();
		this.stopStartingNanos = now + startFor.toNanos();
		this.giveUpNanos = now + giveUpAfter.toNanos();
	}

	List<KeyHistory> keys() {
		return this.keys;
	}

	/** The longest this client waited for one answer (or for its timeout). */
	Duration longestWait() {
		return Duration.ofNanos(this.longestWaitNanos);
	}

	@Override
	public void run() {
		for (int n = 0; System.nanoTime() < this.stopStartingNanos; n++) {
			KeyHistory key = new KeyHistory("eo-" + this.name + "-" + n + "-" + this.random.nextInt(1_000_000),
					"exactly-once-" + this.name + "-" + n + "-" + this.random.nextInt(1_000_000));
			this.keys.add(key);
			createUntilFinal(key);
		}
	}

	private void createUntilFinal(KeyHistory key) {
		HttpRequest request = HttpRequest.newBuilder(this.customers)
			.timeout(REQUEST_TIMEOUT)
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key.key())
			.POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"" + key.login() + "\"}"))
			.build();
		for (int attempt = 0; key.finalAnswer() == null && System.nanoTime() < this.giveUpNanos; attempt++) {
			if (attempt > 0) {
				backOff(attempt);
			}
			key.add(send(request));
		}
	}

	private KeyHistory.Answer send(HttpRequest request) {
		long start = System.nanoTime();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new KeyHistory.Answer(response.statusCode(), response.body(),
					response.headers().firstValue("Idempotent-Replayed").isPresent());
		}
		catch (IOException ex) {
			return new KeyHistory.Answer(0, ex.getClass().getSimpleName(), false);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new KeyHistory.Answer(0, "interrupted", false);
		}
		finally {
			this.longestWaitNanos = Math.max(this.longestWaitNanos, System.nanoTime() - start);
		}
	}

	/** Exponential with full jitter, 100 ms to 2 s. */
	private void backOff(int attempt) {
		long ceiling = Math.min(2000, 100L << Math.min(attempt, 5));
		try {
			Thread.sleep(1 + this.random.nextInt((int) ceiling));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

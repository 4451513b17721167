package com.example.customers.exactlyonce;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.customers.support.Parallel;

/**
 * Creates over real HTTP without an Idempotency-Key, one at a time or in rounds of simultaneous creates of one login,
 * each kept with when it was sent and answered; and what a round of them must leave in the database.
 */
final class Creates {

	private static final Pattern CREATED_ID = Pattern.compile("\\{\"id\":(\\d+),");

	/** One request and what came of it: its status (0 when none came) and body, and when it was sent and answered. */
	record Exchange(String login, long sentNanos, long answeredNanos, int status, String body) {

		Duration took() {
			return Duration.ofNanos(this.answeredNanos - this.sentNanos);
		}

	}

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI customers;

	Creates(String baseUrl) {
		this.customers = URI.create(baseUrl + "/api/customer/");
	}

	Exchange create(String login) {
		HttpRequest request = HttpRequest.newBuilder(this.customers)
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"" + login + "\"}"))
			.build();
		long sent = System.nanoTime();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Exchange(login, sent, System.nanoTime(), response.statusCode(), response.body());
		}
		catch (IOException ex) {
			return new Exchange(login, sent, System.nanoTime(), 0, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Exchange(login, sent, System.nanoTime(), 0, "interrupted");
		}
	}

	/** {@code racers} simultaneous creates of one login. */
	List<Exchange> round(String login, int racers) {
		return Parallel.run(racers, racer -> create(login));
	}

	/**
	 * Per login of a round: at most one 201 and one row; the 201's id is the row's; a 400 only beside a row (it says
	 * the login exists); and a round that every racer heard back from with a 201 or a 400 had exactly one 201.
	 */
	static List<String> roundViolations(List<List<Exchange>> rounds,
			Function<String, List<ExactlyOnceChecker.Row>> rowsOf) {
		List<String> violations = new ArrayList<>();
		for (List<Exchange> round : rounds) {
			String login = round.get(0).login();
			List<ExactlyOnceChecker.Row> rows = rowsOf.apply(login);
			List<Exchange> created = round.stream().filter(exchange -> exchange.status() == 201).toList();
			if (rows.size() > 1 || created.size() > 1) {
				violations.add(login + ": " + rows.size() + " rows, " + created.size() + " answers 201");
			}
			if (created.size() == 1 && (rows.isEmpty() || rows.get(0).id() != idOf(created.get(0)))) {
				violations.add(login + ": told 201 " + created.get(0).body() + ", rows " + rows);
			}
			if (rows.isEmpty() && round.stream().anyMatch(exchange -> exchange.status() == 400)) {
				violations.add(login + ": told it already exists, but it does not");
			}
			if (created.size() != 1 && round.stream().allMatch(exchange -> exchange.status() == 201 || exchange.status() == 400)) {
				violations.add(login + ": every answer a 201 or a 400, and " + created.size() + " of them 201");
			}
		}
		return violations;
	}

	private static long idOf(Exchange created) {
		Matcher id = CREATED_ID.matcher(created.body());
		return id.find() ? Long.parseLong(id.group(1)) : -1;
	}

}

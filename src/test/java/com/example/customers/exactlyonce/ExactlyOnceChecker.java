package com.example.customers.exactlyonce;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks what every client was told against what the database holds, after the workload and its faults:
 * <ul>
 * <li>a key whose client got 201 has exactly one customer, with the id and login it was told;</li>
 * <li>every 201 a key got, first or replayed, has the same body, and nothing but a 201 is ever replayed (a recorded
 * 409 would answer every retry of that key with 409, for good);</li>
 * <li>no key ends with 400 or 422 (each key has its own login and one body: either would be a lie);</li>
 * <li>no answer is a 5xx other than 503;</li>
 * <li>no customer exists that no client was told about, except for a key whose client gave up (then at most one);</li>
 * <li>once the workload is over, no database session is left inside a transaction;</li>
 * <li>the workload really created: at least {@value #MIN_PERCENT_CREATED}% of the keys ended with 201, so at most 1%
 * were given up. Every fault ends by itself and a client retries for a minute after the last one, so a key that never
 * got its 201 is a service that stopped creating, not bad luck (runs here give up none); without this bound, a service
 * that answered every request 503 would pass.</li>
 * </ul>
 */
final class ExactlyOnceChecker {

	static final int MIN_PERCENT_CREATED = 99;

	private static final Pattern CREATED = Pattern.compile("\\{\"id\":(\\d+),\"login\":\"([^\"]*)\"}");

	record Row(long id, String login) {
	}

	private final List<String> violations = new ArrayList<>();

	private final Map<String, Integer> counts = new TreeMap<>();

	List<String> violations() {
		return this.violations;
	}

	Map<String, Integer> counts() {
		return this.counts;
	}

	ExactlyOnceChecker check(List<KeyHistory> keys, List<Row> rows, List<String> transactionsLeftOpen) {
		transactionsLeftOpen.forEach(session -> this.violations.add("a session was left in a transaction: " + session));
		Map<String, List<Row>> rowsByLogin = new HashMap<>();
		rows.forEach(row -> rowsByLogin.computeIfAbsent(row.login(), login -> new ArrayList<>()).add(row));
		Map<String, KeyHistory> keysByLogin = new HashMap<>();
		for (KeyHistory key : keys) {
			keysByLogin.put(key.login(), key);
			checkKey(key, rowsByLogin.getOrDefault(key.login(), List.of()));
		}
		for (Row row : rows) {
			if (!keysByLogin.containsKey(row.login())) {
				this.violations.add("customer " + row + " belongs to no key of the workload");
			}
		}
		this.counts.put("keys", keys.size());
		this.counts.put("customers", rows.size());
		int created = this.counts.getOrDefault("keys ending 201", 0);
		if (created * 100L < (long) MIN_PERCENT_CREATED * keys.size() || keys.isEmpty()) {
			this.violations.add("only " + created + " of " + keys.size() + " keys ended with 201; at least "
					+ MIN_PERCENT_CREATED + "% must (keys given up: " + this.counts.getOrDefault("keys given up", 0) + ")");
		}
		return this;
	}

	private void checkKey(KeyHistory key, List<Row> rows) {
		List<KeyHistory.Answer> answers = key.answers();
		count("requests", answers.size());
		count("retries", answers.size() - 1);
		answers.forEach(answer -> count("answers " + (answer.status() == 0 ? "none (timeout, dropped)" : answer.status())
				+ (answer.replayed() ? " replayed" : ""), 1));
		answers.stream()
			.filter(answer -> answer.replayed() && answer.status() != 201)
			.forEach(answer -> this.violations.add(key.key() + " was replayed " + answer.status() + " " + answer.body()));
		answers.stream()
			.filter(answer -> answer.status() >= 500 && answer.status() != 503)
			.forEach(answer -> this.violations.add(key.key() + " was answered " + answer.status() + " " + answer.body()));
		if (rows.size() > 1) {
			this.violations.add(key.key() + " has " + rows.size() + " customers: " + rows);
		}
		KeyHistory.Answer last = key.finalAnswer();
		if (last == null) {
			count("keys given up", 1);
			return;
		}
		count("keys ending " + last.status(), 1);
		if (last.status() != 201) {
			this.violations.add(key.key() + " ended with " + last.status() + " " + last.body() + "; customers: " + rows);
			return;
		}
		answers.stream()
			.filter(answer -> answer.status() == 201 && !answer.body().equals(last.body()))
			.forEach(answer -> this.violations.add(key.key() + " was told two different 201s: " + answer.body()
					+ " and " + last.body()));
		Matcher told = CREATED.matcher(last.body());
		if (!told.matches()) {
			this.violations.add(key.key() + " got a 201 that names no customer: " + last.body());
		}
		else if (rows.size() != 1 || rows.get(0).id() != Long.parseLong(told.group(1))
				|| !rows.get(0).login().equals(told.group(2))) {
			this.violations.add(key.key() + " was told " + last.body() + " but the database holds " + rows);
		}
	}

	private void count(String what, int n) {
		this.counts.merge(what, n, Integer::sum);
	}

}

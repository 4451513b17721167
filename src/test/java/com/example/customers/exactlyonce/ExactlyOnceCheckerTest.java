package com.example.customers.exactlyonce;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The checker on histories written by hand: it must flag each way a service can break exactly once, or do nothing. */
class ExactlyOnceCheckerTest {

	private static final String UNAVAILABLE = "{\"detail\":\"Service temporarily unavailable.\"}";

	@Test
	void keysThatEachEndWithTheirCustomerPass() {
		List<KeyHistory> keys = new ArrayList<>();
		List<ExactlyOnceChecker.Row> rows = new ArrayList<>();
		for (int i = 1; i <= 20; i++) {
			keys.add(key(i, answer(503, UNAVAILABLE), answer(201, body(i))));
			rows.add(new ExactlyOnceChecker.Row(i, login(i)));
		}

		assertThat(check(keys, rows).violations()).isEmpty();
	}

	@Test
	void aServiceThatNeverCreatesFailsHoweverHonestItsAnswers() {
		List<KeyHistory> keys = List.of(key(1, answer(503, UNAVAILABLE), answer(503, UNAVAILABLE)),
				key(2, answer(0, "HttpTimeoutException")));

		assertThat(check(keys, List.of()).violations()).singleElement()
			.asString()
			.startsWith("only 0 of 2 keys ended with 201");
	}

	@Test
	void noKeysAtAllIsAFailureToo() {
		assertThat(check(List.of(), List.of()).violations()).singleElement().asString().startsWith("only 0 of 0 keys");
	}

	@Test
	void moreThanTheAllowedShareOfKeysGivenUpFails() {
		List<KeyHistory> keys = new ArrayList<>();
		List<ExactlyOnceChecker.Row> rows = new ArrayList<>();
		for (int i = 1; i <= 19; i++) {
			keys.add(key(i, answer(201, body(i))));
			rows.add(new ExactlyOnceChecker.Row(i, login(i)));
		}
		keys.add(key(20, answer(409, "{}")));

		assertThat(check(keys, rows).violations()).singleElement().asString().startsWith("only 19 of 20 keys");
	}

	@Test
	void aKeyWithTwoCustomersOrACustomerNobodyWasToldAboutFails() {
		List<KeyHistory> keys = List.of(key(1, answer(201, body(1))));
		List<ExactlyOnceChecker.Row> rows = List.of(new ExactlyOnceChecker.Row(1, login(1)),
				new ExactlyOnceChecker.Row(2, login(1)), new ExactlyOnceChecker.Row(3, "nobody"));

		assertThat(check(keys, rows).violations()).hasSize(3);
	}

	@Test
	void aReplayedConflictOrAServerErrorOtherThan503Fails() {
		List<KeyHistory> keys = List.of(key(1, replayed(409, "{}"), answer(500, "{}"), answer(201, body(1))));

		assertThat(check(keys, List.of(new ExactlyOnceChecker.Row(1, login(1)))).violations()).hasSize(2);
	}

	@Test
	void aSessionLeftInATransactionFails() {
		List<KeyHistory> keys = List.of(key(1, answer(201, body(1))));

		assertThat(new ExactlyOnceChecker()
			.check(keys, List.of(new ExactlyOnceChecker.Row(1, login(1))), List.of("42: idle in transaction"))
			.violations()).singleElement().asString().contains("42: idle in transaction");
	}

	private static ExactlyOnceChecker check(List<KeyHistory> keys, List<ExactlyOnceChecker.Row> rows) {
		return new ExactlyOnceChecker().check(keys, rows, List.of());
	}

	private static KeyHistory key(int n, KeyHistory.Answer... answers) {
		KeyHistory key = new KeyHistory("key-" + n, login(n));
		List.of(answers).forEach(key::add);
		return key;
	}

	private static KeyHistory.Answer answer(int status, String body) {
		return new KeyHistory.Answer(status, body, false);
	}

	private static KeyHistory.Answer replayed(int status, String body) {
		return new KeyHistory.Answer(status, body, true);
	}

	private static String login(int n) {
		return "login-" + n;
	}

	private static String body(int n) {
		return "{\"id\":" + n + ",\"login\":\"" + login(n) + "\"}";
	}

}

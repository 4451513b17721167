package com.example.customers.exactlyonce;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one client was told about one Idempotency-Key, in order: each answer's status (0 when no answer came:
 * a timeout or a dropped connection), body and whether it was marked replayed.
 */
final class KeyHistory {

	record Answer(int status, String body, boolean replayed) {

		boolean isFinal() {
			return this.status == 201 || this.status == 400 || this.status == 422;
		}

	}

	private final String key;

	private final String login;

	private final List<Answer> answers = new ArrayList<>();

	KeyHistory(String key, String login) {
		this.key = key;
		this.login = login;
	}

	String key() {
		return this.key;
	}

	String login() {
		return this.login;
	}

	synchronized void add(Answer answer) {
		this.answers.add(answer);
	}

	synchronized List<Answer> answers() {
		return List.copyOf(this.answers);
	}

	/** The final answer, or null when the client gave up before it got one. */
	synchronized Answer finalAnswer() {
		return this.answers.isEmpty() || !this.answers.get(this.answers.size() - 1).isFinal() ? null
				: this.answers.get(this.answers.size() - 1);
	}

}

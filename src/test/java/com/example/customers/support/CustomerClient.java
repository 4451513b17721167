package com.example.customers.support;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import com.example.customers.idempotency.IdempotencyKeyHeader;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The customer API as a client calls it over HTTP, answering {@link Reply}s. Safe to share between threads. */
public record CustomerClient(WebTestClient http) {

	public static final String LOGIN_TAKEN = "{\"login\":[\"customer with this login already exists.\"]}";

	public static final String KEY_IN_PROGRESS = "{\"detail\":\"A request with this Idempotency-Key is already being processed.\"}";

	public static String uniqueLogin(String prefix) {
		return prefix + "-" + UUID.randomUUID();
	}

	/** Distinct logins for many creates at once. */
	public static List<String> uniqueLogins(String prefix, int count) {
		return IntStream.range(0, count).mapToObj(i -> uniqueLogin(prefix + i)).toList();
	}

	public static String loginJson(String login) {
		return "{\"login\":\"" + login + "\"}";
	}

	public Reply create(String login) {
		return send(HttpMethod.POST, "/api/customer/", loginJson(login));
	}

	/** A create with an Idempotency-Key, as a client that may retry it sends it. */
	public Reply createWithKey(String key, String json) {
		return reply(this.http.post().uri("/api/customer/").contentType(MediaType.APPLICATION_JSON)
			.header(IdempotencyKeyHeader.NAME, key)
			.bodyValue(json)
			.exchange()
			.expectBody(String.class)
			.returnResult());
	}

	public Reply send(HttpMethod method, String uri, String json) {
		return reply(this.http.method(method).uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange()
			.expectBody(String.class)
			.returnResult());
	}

	/**
	 * The list's body, its 200 asserted first: a check that something is not listed must not pass on a list that
	 * failed.
	 */
	public String listBody() {
		Reply list = get("/api/customer/");
		assertThat(list.status()).as("GET /api/customer/ answers %s", list.body()).isEqualTo(200);
		return list.body();
	}

	public Reply get(String uri) {
		return reply(this.http.get().uri(uri).exchange().expectBody(String.class).returnResult());
	}

	/** A HEAD: its headers are what a test compares, since no client reads a body that HEAD must not have. */
	public Reply head(String uri) {
		return reply(this.http.head().uri(uri).exchange().expectBody(String.class).returnResult());
	}

	/** The id from a 201 or 200 body such as {"id":42,"login":"..."}. */
	public static long idOf(Reply reply) {
		return idOf(reply.body());
	}

	public static long idOf(String body) {
		int start = body.indexOf("\"id\":") + 5;
		return Long.parseLong(body.substring(start, body.indexOf(',', start)));
	}

	public static Reply reply(EntityExchangeResult<String> result) {
		return new Reply(result.getStatus().value(), result.getResponseHeaders(), result.getResponseBody());
	}

}

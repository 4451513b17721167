package com.example.customers.idempotency;

import java.util.List;
import java.util.Optional;

import com.example.customers.api.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The Idempotency-Key request header (draft-ietf-httpapi-idempotency-key-header): a Structured Field string, sent
 * quoted as the draft shows ({@code "8e03978e-40d5"}) or bare, of 1 to 255 printable ASCII characters.
 */
public final class IdempotencyKeyHeader {

	public static final String NAME = "Idempotency-Key";

	private static final int MAX_LENGTH = 255;

	private IdempotencyKeyHeader() {
	}

	/** The key, if the request carries one; a malformed or repeated header is a 400. */
	public static Optional<String> of(ServerRequest request) {
		List<String> values = request.headers().header(NAME);
		if (values.isEmpty()) {
			return Optional.empty();
		}
		if (values.size() > 1) {
			throw malformed();
		}
		String key = unquoted(values.get(0).strip());
		if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
			throw malformed();
		}
		return Optional.of(key);
	}

	private static String unquoted(String value) {
		boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
		return quoted ? value.substring(1, value.length() - 1) : value;
	}

	private static ApiException malformed() {
		return ApiException.detail(HttpStatus.BAD_REQUEST,
				"Idempotency-Key must be one header of 1 to 255 printable ASCII characters.");
	}

}

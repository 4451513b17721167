package com.example.customers.idempotency;

import java.util.List;
import java.util.Map;

import com.example.customers.api.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Idempotency-Key header as the service reads it, and the fingerprint a retry must match, without a server. */
class IdempotencyKeyHeaderTest {

	private static final String MALFORMED = "Idempotency-Key must be one header of 1 to 255 printable ASCII characters.";

	@ParameterizedTest(name = "[{0}] -> [{1}]")
	@CsvSource(delimiter = '|', value = { "abc|abc", "'\"abc\"'|abc", "'  abc  '|abc", "'\" a b \"'|' a b '", "~|~",
			"'\"\"\"'|'\"'", "x\"|x\"" })
	void aKeyIsReadBareOrQuotedAndStripped(String header, String key) {
		assertThat(IdempotencyKeyHeader.of(withKeys(header))).contains(key);
	}

	@Test
	void aKeyOfExactly255CharactersIsAKey() {
		assertThat(IdempotencyKeyHeader.of(withKeys("k".repeat(255)))).contains("k".repeat(255));
		assertThat(IdempotencyKeyHeader.of(withKeys("\"" + "k".repeat(255) + "\""))).contains("k".repeat(255));
	}

	@Test
	void noHeaderIsNoKey() {
		assertThat(IdempotencyKeyHeader.of(MockServerRequest.builder().build())).isEmpty();
	}

	@ParameterizedTest(name = "[{0}]")
	@ValueSource(strings = { "", "\"\"", "   ", "a\tb", "a\u007fb", "caf\u00e9", "a\u0000b" })
	void anEmptyKeyOrOneWithAnotherCharacterIsMalformed(String header) {
		assertMalformed(header);
	}

	@Test
	void aKeyOver255CharactersIsMalformed() {
		assertMalformed("k".repeat(256));
	}

	@Test
	void twoHeadersAreMalformed() {
		assertMalformed("one", "two");
	}

	private static void assertMalformed(String... headers) {
		assertThatThrownBy(() -> IdempotencyKeyHeader.of(withKeys(headers))).isInstanceOfSatisfying(ApiException.class,
				error -> {
					assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
					assertThat(error.body()).isEqualTo(Map.of("detail", MALFORMED));
				});
	}

	private static MockServerRequest withKeys(String... values) {
		HttpHeaders headers = new HttpHeaders();
		headers.put(IdempotencyKeyHeader.NAME, List.of(values));
		return MockServerRequest.builder().headers(headers).build();
	}

}

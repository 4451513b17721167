package com.example.customers.idempotency;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which two requests are the same request under one Idempotency-Key, without a database. */
class FingerprintTest {

	private static final byte[] BODY = "{\"login\":\"alice\"}".getBytes(StandardCharsets.UTF_8);

	private static final String JSON = Fingerprint.of("application/json", BODY);

	@Test
	void isSha256InHex() {
		assertThat(JSON).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(Fingerprint.of("application/json", BODY.clone()));
	}

	@Test
	void theContentTypeCountsByMeaningNotBySpelling() {
		assertThat(Fingerprint.of("application/json; charset=utf-8", BODY)).isEqualTo(JSON);
		assertThat(Fingerprint.of("Application/JSON;Charset=\"UTF-8\"", BODY)).isEqualTo(JSON);
	}

	@Test
	void anotherMediaTypeCharsetOrBodyIsAnotherRequest() {
		assertThat(Fingerprint.of("application/json; charset=iso-8859-1", BODY)).isNotEqualTo(JSON);
		assertThat(Fingerprint.of("application/x-www-form-urlencoded", BODY)).isNotEqualTo(JSON);
		assertThat(Fingerprint.of(null, BODY)).isNotEqualTo(JSON);
		assertThat(Fingerprint.of("application/json", "{\"login\":\"bob\"}".getBytes(StandardCharsets.UTF_8)))
			.isNotEqualTo(JSON);
		// The separator keeps "a" + "b\n..." apart from "ab" + "\n...".
		assertThat(Fingerprint.of("a", "b".getBytes(StandardCharsets.UTF_8)))
			.isNotEqualTo(Fingerprint.of("ab", new byte[0]));
	}

	@Test
	void aContentTypeThatDoesNotParseCountsAsSpelled() {
		assertThat(Fingerprint.of("not a media type", BODY)).isEqualTo(Fingerprint.of("not a media type", BODY))
			.isNotEqualTo(Fingerprint.of("not a  media type", BODY))
			.isNotEqualTo(JSON);
		assertThat(Fingerprint.of("application/json; charset=no-such-charset", BODY)).isNotEqualTo(JSON)
			.isNotEqualTo(Fingerprint.of("application/json; charset=other-charset", BODY));
	}

}

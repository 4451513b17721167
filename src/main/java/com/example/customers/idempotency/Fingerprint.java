package com.example.customers.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What identifies a request under its Idempotency-Key: SHA-256 of the media type and the body bytes. A retry must send
 * the same request; the same key with another fingerprint is a 422.
 */
final class Fingerprint {

	private Fingerprint() {
	}

	/** 64 hex digits; the media type may be null (no Content-Type), which differs from any media type sent. */
	static String of(String contentType, byte[] body) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(String.valueOf(contentType).getBytes(StandardCharsets.UTF_8));
			sha256.update((byte) '\n');
			return HexFormat.of().formatHex(sha256.digest(body));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}

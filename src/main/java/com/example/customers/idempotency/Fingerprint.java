package com.example.customers.idempotency;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.http.MediaType;

/**
 * What identifies a request under its Idempotency-Key: SHA-256 of what its Content-Type means and of the body bytes.
 * A retry must send the same request; the same key with another fingerprint is a 422. The Content-Type counts by its
 * media type and the body's charset (UTF-8 unless it names one), not by its spelling: {@code application/json} and
 * {@code Application/JSON; charset="utf-8"} are the same request.
 */
final class Fingerprint {

	private Fingerprint() {
	}

	/** 64 hex digits; the media type may be null (no Content-Type), which differs from any media type sent. */
	static String of(String contentType, byte[] body) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(String.valueOf(meaning(contentType)).getBytes(StandardCharsets.UTF_8));
			sha256.update((byte) '\n');
			return HexFormat.of().formatHex(sha256.digest(body));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	/**
	 * "type/subtype;charset=NAME" in canonical form; a Content-Type that does not parse, or none (null), counts as it
	 * is spelled.
	 */
	private static String meaning(String contentType) {
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			Charset charset = (type.getCharset() != null) ? type.getCharset() : StandardCharsets.UTF_8;
			return type.getType() + "/" + type.getSubtype() + ";charset=" + charset.name();
		}
		catch (IllegalArgumentException unparsable) {
			return contentType;
		}
	}

}

package com.example.customers.support;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Random request bodies for fuzzing, reproducible from a seed: random bytes, random JSON documents of any shape, and
 * documents whose {@code login} is a random JSON value. Strings favour what trips validators: white space of every
 * kind, NUL, lone surrogates, quotes, SQL, very long text. Strings are written with \\u escapes, so even a lone
 * surrogate makes valid JSON text.
 */
public final class RandomBodies {

	private static final String[] KEYS = { "login", "login", "id", "LOGIN", "x", "" };

	private static final String TRICKY = " \t\n\r\u000b\u000c\u0085\u00a0\u2003\u3000\u0000\ud800\udc00'\";-%_\\/<>é漢😀aZ09";

	private final Random random;

	public RandomBodies(long seed) {
		this.random = new Random(seed);
	}

	/** A quarter random bytes, a quarter documents with a random login, half random JSON values. */
	public byte[] next() {
		int kind = this.random.nextInt(4);
		if (kind == 0) {
			byte[] bytes = new byte[this.random.nextInt(300)];
			this.random.nextBytes(bytes);
			return bytes;
		}
		StringBuilder json = new StringBuilder();
		if (kind == 1) {
			json.append("{\"login\":");
			value(json, 2);
			json.append('}');
		}
		else {
			value(json, 4);
		}
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

	private void value(StringBuilder json, int depth) {
		switch (this.random.nextInt(depth > 0 ? 9 : 7)) {
			case 0, 1 -> string(json, trickyText());
			case 2 -> string(json, anyText(this.random.nextInt(320)));
			case 3 -> json.append(this.random.nextLong());
			case 4 -> json.append(this.random.nextBoolean() ? Double.toString(this.random.nextGaussian() * 1e6)
					: this.random.nextInt(10) + "e" + (this.random.nextInt(700) - 350));
			case 5 -> json.append(this.random.nextBoolean());
			case 6 -> json.append("null");
			case 7 -> array(json, depth - 1);
			default -> object(json, depth - 1);
		}
	}

	private void array(StringBuilder json, int depth) {
		json.append('[');
		for (int i = this.random.nextInt(4); i > 0; i--) {
			value(json, depth);
			json.append(i > 1 ? "," : "");
		}
		json.append(']');
	}

	private void object(StringBuilder json, int depth) {
		json.append('{');
		for (int i = this.random.nextInt(4); i > 0; i--) {
			string(json, KEYS[this.random.nextInt(KEYS.length)]);
			json.append(':');
			value(json, depth);
			json.append(i > 1 ? "," : "");
		}
		json.append('}');
	}

	private String trickyText() {
		StringBuilder text = new StringBuilder();
		for (int i = this.random.nextInt(12); i > 0; i--) {
			text.append(TRICKY.charAt(this.random.nextInt(TRICKY.length())));
		}
		return text.toString();
	}

	private String anyText(int length) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append((char) (this.random.nextBoolean() ? 0x20 + this.random.nextInt(0x5f) : this.random.nextInt(0x10000)));
		}
		return text.toString();
	}

	private static void string(StringBuilder json, String text) {
		json.append('"');
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20 || c >= 0x7f) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		json.append('"');
	}

}

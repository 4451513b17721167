package com.example.customers.customer;

import java.math.BigDecimal;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * The two pieces of Python that decide what DRF's CharField stores: {@code str(value)}, which it applies to numbers,
 * and {@code str.strip()}, which trims Unicode white space.
 */
final class PythonStr {

	private PythonStr() {
	}

	/** {@code str(value)} for the JSON values a CharField accepts: strings and numbers, not booleans. */
	static Optional<String> of(JsonNode value) {
		if (value.isString()) {
			return Optional.of(value.stringValue());
		}
		if (value.isIntegralNumber()) {
			return Optional.of(value.bigIntegerValue().toString());
		}
		if (value.isNumber()) {
			return Optional.of(repr(value.doubleValue()));
		}
		return Optional.empty();
	}

	/** Python's name for the type of a JSON value, as DRF shows it in "Expected a dictionary, but got list." */
	static String typeName(JsonNode value) {
		if (value.isArray()) {
			return "list";
		}
		if (value.isString()) {
			return "str";
		}
		if (value.isBoolean()) {
			return "bool";
		}
		return value.isIntegralNumber() ? "int" : "float";
	}

	static String strip(String text) {
		int start = 0;
		int end = text.length();
		while (start < end && isPythonSpace(text.charAt(start))) {
			start++;
		}
		while (end > start && isPythonSpace(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(start, end);
	}

	/** {@code str.isspace()}: Java's white space plus the no-break spaces and NEL, which Python also strips. */
	private static boolean isPythonSpace(char c) {
		return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
	}

	/** {@code repr(float)}: shortest round-trip digits, exponent form outside 1e-4 to 1e16. */
	static String repr(double value) {
		if (Double.isNaN(value)) {
			return "nan";
		}
		if (Double.isInfinite(value)) {
			return value > 0 ? "inf" : "-inf";
		}
		if (value == 0) {
			return (1 / value < 0) ? "-0.0" : "0.0";
		}
		BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
		int exponent = shortest.precision() - shortest.scale() - 1;
		if (exponent >= -4 && exponent < 16) {
			String plain = shortest.toPlainString();
			return plain.contains(".") ? plain : plain + ".0";
		}
		String digits = shortest.unscaledValue().abs().toString();
		String mantissa = (digits.length() == 1) ? digits : digits.charAt(0) + "." + digits.substring(1);
		return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
				+ String.format("%02d", Math.abs(exponent));
	}

}

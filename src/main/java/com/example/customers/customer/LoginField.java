package com.example.customers.customer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.example.customers.api.ApiException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code login} field as DRF 3.14 validates it for a ModelSerializer over
 * {@code CharField(max_length=255, unique=True)}: numbers become their {@code str()}, surrounding white space is
 * trimmed, and every format rule that fails is reported at once. Other fields, such as a client-sent {@code id}, are
 * ignored. Uniqueness is not checked here: that is the database's job.
 */
final class LoginField {

	static final String NAME = "login";

	static final String TAKEN = "customer with this login already exists.";

	static final int MAX_LENGTH = 255;

	private LoginField() {
	}

	/** For POST and PUT, where the field must be present. */
	static String required(JsonNode body) {
		return read(body, true).orElseThrow();
	}

	/** For PATCH, where an absent field leaves the login as it is. */
	static Optional<String> optional(JsonNode body) {
		return read(body, false);
	}

	private static Optional<String> read(JsonNode body, boolean required) {
		JsonNode value = requireObject(body).get(NAME);
		if (value == null) {
			if (required) {
				throw error("This field is required.");
			}
			return Optional.empty();
		}
		return Optional.of(validate(value));
	}

	private static JsonNode requireObject(JsonNode body) {
		if (body.isObject()) {
			return body;
		}
		if (body.isNull()) {
			throw ApiException.nonFieldError("No data provided");
		}
		throw ApiException.nonFieldError("Invalid data. Expected a dictionary, but got " + PythonStr.typeName(body) + ".");
	}

	private static String validate(JsonNode value) {
		if (value.isNull()) {
			throw error("This field may not be null.");
		}
		String login = PythonStr.strip(PythonStr.of(value).orElseThrow(() -> error("Not a valid string.")));
		if (login.isEmpty()) {
			throw error("This field may not be blank.");
		}
		List<String> problems = new ArrayList<>();
		if (login.codePointCount(0, login.length()) > MAX_LENGTH) {
			problems.add("Ensure this field has no more than " + MAX_LENGTH + " characters.");
		}
		if (login.indexOf('\0') >= 0) {
			problems.add("Null characters are not allowed.");
		}
		login.codePoints()
			.filter(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)
			.findFirst()
			.ifPresent(c -> problems.add(String.format("Surrogate characters are not allowed: U+%X.", c)));
		if (!problems.isEmpty()) {
			throw ApiException.fieldErrors(NAME, problems);
		}
		return login;
	}

	private static ApiException error(String message) {
		return ApiException.fieldErrors(NAME, List.of(message));
	}

}

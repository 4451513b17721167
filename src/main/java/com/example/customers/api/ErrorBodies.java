package com.example.customers.api;

import java.util.List;
import java.util.Map;

/**
 * The one place that knows the shape of an error body, in Django REST Framework's format:
 * {@code {"field":["message", ...]}} for field errors, {@code {"detail":"message"}} otherwise.
 */
public final class ErrorBodies {

	private static final String NON_FIELD_ERRORS = "non_field_errors";

	private ErrorBodies() {
	}

	public static Map<String, String> detail(String message) {
		return Map.of("detail", message);
	}

	public static Map<String, List<String>> field(String field, List<String> messages) {
		return Map.of(field, List.copyOf(messages));
	}

	public static Map<String, List<String>> nonField(String message) {
		return field(NON_FIELD_ERRORS, List.of(message));
	}

}

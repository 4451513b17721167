package com.example.customers.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (junit-platform.properties): without a database, a class fails before it starts
 * anything, with the line that says what to do, instead of a Spring context error. Never a skip.
 */
public class DatabaseRequired implements BeforeAllCallback {

	@Override
	public void beforeAll(ExtensionContext context) {
		DatabaseForTests.problem().ifPresent(problem -> {
			throw new IllegalStateException(problem);
		});
	}

}

package com.example.customers.support;

import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Points a test's application context at the run's database, wherever {@link DatabaseForTests} found it. Imported by
 * {@link ServiceTest}; deliberately not a {@code @Configuration}, so that {@code ./mvnw spring-boot:test-run}, which
 * scans the test classes too, does not pick it up.
 */
public class TestDatabase {

	@Bean
	DynamicPropertyRegistrar testDatabase() {
		return registry -> {
			DatabaseForTests.Located database = DatabaseForTests.located();
			registry.add("spring.r2dbc.url", database::url);
			registry.add("spring.r2dbc.username", database::username);
			registry.add("spring.r2dbc.password", database::password);
		};
	}

}

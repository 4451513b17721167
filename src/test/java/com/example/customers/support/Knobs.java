package com.example.customers.support;

import java.util.HashMap;
import java.util.Map;

import com.example.customers.customer.CustomersProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The customers.* knobs as the application binds them: its defaults, with the given overrides. */
public final class Knobs {

	private Knobs() {
	}

	/** For example {@code Knobs.with("race-window", "0")}. */
	public static CustomersProperties with(String... namesAndValues) {
		return of(CustomersProperties.class, namesAndValues);
	}

	/** Another package's knobs, for example {@code Knobs.of(DatabaseProperties.class, "startup-wait", "2s")}. */
	public static <T> T of(Class<T> type, String... namesAndValues) {
		Map<String, String> values = new HashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			values.put("customers." + namesAndValues[i], namesAndValues[i + 1]);
		}
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("customers", type);
	}

}

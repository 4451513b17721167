package com.example.customers.support;

import io.micrometer.core.instrument.MeterRegistry;

/** Reads the customers.duplicates counter, which tells which stage caught each duplicate. */
public record Duplicates(MeterRegistry registry) {

	public double caughtBy(String stage) {
		return this.registry.get("customers.duplicates").tag("stage", stage).counter().count();
	}

}

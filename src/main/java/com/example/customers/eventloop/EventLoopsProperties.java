package com.example.customers.eventloop;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param eventLoops how many event-loop threads serve HTTP and the database connections together; unset, half the
 * cores, at least one
 */
@ConfigurationProperties("customers")
public record EventLoopsProperties(@Nullable Integer eventLoops) {

	public EventLoopsProperties {
		if (eventLoops != null && eventLoops < 1) {
			throw new IllegalArgumentException("customers.event-loops must be at least 1, was " + eventLoops);
		}
	}

	/** On a small machine the other half of the cores is for PostgreSQL and the kernel's network work. */
	public int count() {
		return this.eventLoops != null ? this.eventLoops : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
	}

}

package com.example.customers.customer;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The knobs of the customer API.
 *
 * @param raceWindow pause between the existence check and the write; widened on purpose, as in the DRF demo,
 * so that concurrent requests all pass the check and the database constraint has to decide ({@code 0} disables it)
 * @param mapDuplicateKey answer a unique violation with DRF's 400; {@code false} reproduces the demo's 500
 * @param maxBodySize the largest request body accepted; a larger one gets 413 before it is read whole
 * @param bodyTimeout how long a request body may take to arrive; a client that sends less than it announced gets 408
 * @param headerTimeout how long a request's line and headers may take to arrive from its first byte; a client that
 * sends them slower (slowloris) gets 408 and its connection closed
 * @param servedByHeader add {@code Served-By: <host name>} to every answer, so that a client behind a load balancer
 * sees which instance answered
 * @param shutdownDrain on shutdown, how long the service keeps serving after its readiness turns DOWN, before it
 * stops accepting connections: time for a load balancer that polls readiness to take it out of rotation
 */
@ConfigurationProperties("customers")
public record CustomersProperties(
		@DefaultValue("500ms") Duration raceWindow,
		@DefaultValue("true") boolean mapDuplicateKey,
		@DefaultValue("64KB") DataSize maxBodySize,
		@DefaultValue("10s") Duration bodyTimeout,
		@DefaultValue("10s") Duration headerTimeout,
		@DefaultValue("false") boolean servedByHeader,
		@DefaultValue("0s") Duration shutdownDrain) {
}

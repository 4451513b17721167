package com.example.customers.scaleout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The knobs of running as one of several instances behind a load balancer.
 *
 * @param servedByHeader add {@code Served-By: <host name>} to every answer, so that a client behind a load balancer
 * sees which instance answered
 * @param shutdownDrain on shutdown, how long the service keeps serving after its readiness turns DOWN, before it
 * stops accepting connections: time for a load balancer that polls readiness to take it out of rotation
 */
@ConfigurationProperties("customers")
record ScaleOutProperties(
		@DefaultValue("false") boolean servedByHeader,
		@DefaultValue("0s") Duration shutdownDrain) {
}

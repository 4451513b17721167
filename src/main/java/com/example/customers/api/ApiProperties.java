package com.example.customers.api;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The knobs of what a request may cost before the API turns it away.
 *
 * @param maxBodySize the largest request body accepted; a larger one gets 413 before it is read whole
 * @param bodyTimeout how long a request body may take to arrive; a client that sends less than it announced gets 408
 * @param headerTimeout how long a request's line and headers may take to arrive from its first byte; a client that
 * sends them slower (slowloris) gets 408 and its connection closed
 */
@ConfigurationProperties("customers")
public record ApiProperties(
		@DefaultValue("64KB") DataSize maxBodySize,
		@DefaultValue("10s") Duration bodyTimeout,
		@DefaultValue("10s") Duration headerTimeout) {
}

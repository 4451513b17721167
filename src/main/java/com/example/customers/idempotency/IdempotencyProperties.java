package com.example.customers.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The knobs of the Idempotency-Key header.
 *
 * @param ttl how long a key and its recorded answer are kept; after that the key is free again
 * @param claimTimeout how long a claim may stay unfinished before another request may take it over (the instance
 * that held it died, or its client hung up)
 * @param purgeInterval how often expired keys are deleted, in the background
 */
@ConfigurationProperties("customers.idempotency")
public record IdempotencyProperties(
		@DefaultValue("24h") Duration ttl,
		@DefaultValue("30s") Duration claimTimeout,
		@DefaultValue("10m") Duration purgeInterval) {
}

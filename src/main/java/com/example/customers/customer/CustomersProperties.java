package com.example.customers.customer;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The knobs of the customer API's race.
 *
 * @param raceWindow pause between the existence check and the write; widened on purpose, as in the DRF demo,
 * so that concurrent requests all pass the check and the database constraint has to decide ({@code 0} disables it)
 * @param mapDuplicateKey answer a unique violation with DRF's 400; {@code false} reproduces the demo's 500
 */
@ConfigurationProperties("customers")
public record CustomersProperties(
		@DefaultValue("500ms") Duration raceWindow,
		@DefaultValue("true") boolean mapDuplicateKey) {
}

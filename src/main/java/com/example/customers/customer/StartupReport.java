package com.example.customers.customer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** States the two settings that change what a racing client sees, so a log tells which behaviour was running. */
@Component
class StartupReport {

	private static final Log logger = LogFactory.getLog(StartupReport.class);

	private final CustomersProperties properties;

	StartupReport(CustomersProperties properties) {
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void report() {
		logger.info("Customer API ready: race window " + this.properties.raceWindow().toMillis() + " ms, duplicate-key "
				+ "mapping " + (this.properties.mapDuplicateKey() ? "on (duplicates get 400)"
						: "OFF (concurrent duplicates get 500, as in the DRF demo)"));
	}

}

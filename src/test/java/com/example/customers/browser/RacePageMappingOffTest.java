package com.example.customers.browser;

import java.util.regex.Matcher;

import com.example.customers.support.Browser;
import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** With the duplicate mapping off, the race page shows the DRF demo's 500s and says why they happen. */
@ServiceTest
@TestPropertySource(properties = { "customers.race-window=2s", "customers.map-duplicate-key=false" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RacePageMappingOffTest {

	// Logged on purpose: the demo's 500s, logged as unexpected failures, which they are with the mapping off.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from("com.example.customers.api.ApiErrorHandler")
		.expecting("com.example.customers.api.ApiErrorHandler", "Unexpected failure on POST /api/customer/");

	private final int port;

	private Browser browser;

	RacePageMappingOffTest(@LocalServerPort int port) {
		this.port = port;
	}

	@BeforeAll
	void openBrowser() {
		this.browser = Browser.open(this.port);
	}

	@AfterAll
	void closeBrowser() {
		this.browser.close();
	}

	@Test
	void theLosersOfARaceAnswerServerErrorsAndThePageSaysWhy() {
		this.browser.open("/api/customer/");
		assertThat(this.browser.find("#mapping-off").getText()).contains("CUSTOMERS_MAP_DUPLICATE_KEY=false")
			.contains("answers 500");

		Matcher summary = RacePanel.race(this.browser, 6);

		assertThat(summary.group("created")).isEqualTo("1");
		assertThat(Integer.parseInt(summary.group("errors"))).as("5xx").isPositive();
		assertThat(summary.group("byConstraint")).as("400s by the constraint").isEqualTo("0");
		assertThat(this.browser.count("svg.timeline g.outcome-error")).isEqualTo(Integer.parseInt(summary.group("errors")));
		assertThat(expectedLogs.events()).hasSize(Integer.parseInt(summary.group("errors")))
			.allSatisfy(logged -> assertThat(logged.getFormattedMessage()).isEqualTo("Unexpected failure on POST /api/customer/"));
	}

}

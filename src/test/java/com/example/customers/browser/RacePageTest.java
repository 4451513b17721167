package com.example.customers.browser;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.example.customers.support.Browser;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The race page in a real browser: its requests really race (a window of 2 s, so that the browser's first six
 * requests all pass the check together however loaded the machine), and what it draws and sums up is what the
 * service answered and the database holds.
 */
@ServiceTest
@TestPropertySource(properties = "customers.race-window=2s")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RacePageTest {

	private static final Pattern RACED_TOGETHER = Pattern.compile("; (\\d+) raced together, (\\d+) queued in the browser$");

	private static final Pattern ONE_LOGIN = Pattern.compile("\\{\"login\":\"([^\"]+)\"} for all");

	private final Rows rows;

	private final int port;

	private Browser browser;

	@Autowired
	RacePageTest(DatabaseClient db, @LocalServerPort int port) {
		this.rows = new Rows(db);
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
	void twentyRequestsForOneLoginCreateOneCustomerAndTheConstraintCatchesThoseThatPassedTheCheck() {
		this.browser.open("/api/customer/");

		Matcher summary = race(20, false);

		assertThat(summary.group()).startsWith("20 requests: 1 × 201, 19 × 400 (").endsWith(", 0 × 5xx");
		Matcher together = RACED_TOGETHER.matcher(this.browser.find("#race-summary").getText());
		assertThat(together.find()).as(this.browser.find("#race-summary").getText()).isTrue();
		assertThat(Integer.parseInt(together.group(1))).as("in flight at once: a browser's six at most").isBetween(2, 6);
		assertThat(Integer.parseInt(together.group(1)) + Integer.parseInt(together.group(2))).isEqualTo(20);
		assertThat(Integer.parseInt(summary.group("byConstraint"))).as("400s caught by the constraint").isPositive();
		assertThat(this.browser.count("svg.timeline g.row")).isEqualTo(20);
		assertThat(this.browser.count("svg.timeline g.outcome-constraint")).isEqualTo(Integer.parseInt(summary.group("byConstraint")));
		assertThat(this.rows.withLogin(racedLogin())).isEqualTo(1);
		assertThat(this.browser.find("#mapping-off").isDisplayed()).isFalse();
		this.browser.screenshot(Path.of("target", "screenshots", "race-page.png"));
	}

	@Test
	void requestsForDifferentLoginsAreAllCreated() {
		this.browser.open("/api/customer/");
		this.browser.find("input[name=logins][value=each]").click();

		Matcher summary = race(10, false);

		assertThat(this.browser.find("#race-summary").getText()).as("the rows: %s", rowLabels())
			.startsWith("10 requests: 10 × 201, 0 × 400 (0 by the check, 0 by the constraint), 0 × 5xx; ");
	}

	@Test
	void requestsSharingAnIdempotencyKeyCreateOnceAndTheOthersAreRefusedOrReplayed() {
		this.browser.open("/api/customer/");
		this.browser.find("#race-key").click();

		Matcher summary = race(8, true);

		assertThat(summary.group("requests")).isEqualTo("8");
		assertThat(Stream.of("created", "replayed", "refused", "conflicts", "errors")
			.map(summary::group)
			.filter(Objects::nonNull)
			.mapToInt(Integer::parseInt)
			.sum()).as("every request accounted for: %s", summary.group()).isEqualTo(8);
		assertThat(this.browser.count("svg.timeline g.row")).isEqualTo(8);
		assertThat(summary.group("created")).isEqualTo("1");
		assertThat(summary.group("refused")).isEqualTo("0");
		assertThat(summary.group("errors")).isEqualTo("0");
		assertThat(summary.group("conflicts") != null || summary.group("replayed") != null).as(summary.group()).isTrue();
		assertThat(this.rows.withLogin(racedLogin())).isEqualTo(1);
	}

	private Matcher race(int requests, boolean keyed) {
		Matcher summary = RacePanel.race(this.browser, requests);
		assertThat(this.browser.find("#race-request").getText()).contains(keyed ? "Idempotency-Key" : "at once");
		return summary;
	}

	/** Each drawn row's label, "#n status", to say on a failure what each request was answered. */
	@SuppressWarnings("unchecked")
	private List<String> rowLabels() {
		return (List<String>) this.browser.script(
				"return Array.from(document.querySelectorAll('svg.timeline text.row-label')).map(t => t.textContent)");
	}

	private String racedLogin() {
		Matcher login = ONE_LOGIN.matcher(this.browser.find("#race-request").getText());
		assertThat(login.find()).isTrue();
		return login.group(1);
	}

}

package com.example.customers.browser;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.customers.support.Browser;

import static org.assertj.core.api.Assertions.assertThat;

/** The race panel of the list page, as a person uses it: a number of requests, "Race", then the summary it shows. */
final class RacePanel {

	static final Pattern SUMMARY = Pattern.compile("(?<requests>\\d+) requests: (?<created>\\d+) × 201, "
			+ "(?:(?<replayed>\\d+) × 201 replayed, )?(?<refused>\\d+) × 400 \\((?<byCheck>\\d+) by the check, "
			+ "(?<byConstraint>\\d+) by the constraint\\), (?:(?<conflicts>\\d+) × 409, )?(?<errors>\\d+) × 5xx");

	private RacePanel() {
	}

	/** Races that many requests with the form's other choices as they are, and returns the summary's figures. */
	static Matcher race(Browser browser, int requests) {
		browser.find("#race-count").clear();
		browser.find("#race-count").sendKeys(Integer.toString(requests));
		browser.find("#race-button").click();
		String text = browser.textOnceSettled("#race-summary", "Racing");
		Matcher summary = SUMMARY.matcher(text);
		assertThat(summary.find()).as(text).isTrue();
		return summary;
	}

}

package com.example.customers.browser;

import com.example.customers.support.Browser;
import com.example.customers.support.CustomerClient;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.idOf;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browsable API in a real browser: each view's page shows the view and the API's real answer, and its forms
 * send through the API what curl would send.
 */
@ServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowsableApiPageTest {

	private final CustomerClient client;

	private final Rows rows;

	private final int port;

	private Browser browser;

	@Autowired
	BrowsableApiPageTest(WebTestClient http, DatabaseClient db, @LocalServerPort int port) {
		this.client = new CustomerClient(http);
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
	void theListPageNamesTheViewAndShowsTheApisJsonAnswer() {
		this.browser.open("/api/customer/");

		assertThat(this.browser.find("h1").getText()).isEqualTo("Customer Viewset List");
		assertThat(answer()).startsWith("HTTP 200")
			.contains("Allow: GET, POST, HEAD, OPTIONS")
			.contains("Content-Type: application/json");
	}

	@Test
	void theApiRootsPageLinksTheList() {
		this.browser.open("/api/?format=api");

		assertThat(this.browser.find("h1").getText()).isEqualTo("Api Root");
		assertThat(answer()).contains("\"customer\": \"http://127.0.0.1:" + this.port + "/api/customer/\"");
		this.browser.find("#answer a").click();
		String followed = this.browser.waitFor(driver -> driver.getCurrentUrl().endsWith("/api/customer/")
				? driver.getCurrentUrl() : null);
		assertThat(followed).isEqualTo("http://127.0.0.1:" + this.port + "/api/customer/");
	}

	@Test
	void aCustomerCreatedThroughTheFormIsInTheJsonList() {
		String login = uniqueLogin("page-form");
		this.browser.open("/api/customer/");
		answer();

		this.browser.find("#login").sendKeys(login);
		this.browser.find("#login-form button").click();

		assertThat(answerOnceItIs("HTTP 201")).contains("\"login\": \"" + login + "\"");
		assertThat(this.client.get("/api/customer/").body()).contains("\"login\":\"" + login + "\"");
	}

	@Test
	void aDuplicateThroughTheFormShowsTheApisBadRequest() {
		String login = uniqueLogin("page-duplicate");
		this.client.create(login);
		this.browser.open("/api/customer/");
		answer();

		this.browser.find("#login").sendKeys(login);
		this.browser.find("#login-form button").click();

		assertThat(answerOnceItIs("HTTP 400")).contains("\"customer with this login already exists.\"");
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	@Test
	void aPatchAndADeleteThroughTheInstancePageWork() {
		long id = idOf(this.client.create(uniqueLogin("page-instance")));
		String renamed = uniqueLogin("page-renamed");
		this.browser.open("/api/customer/" + id + "/");
		assertThat(answer()).startsWith("HTTP 200");

		this.browser.find("#login").sendKeys(renamed);
		clickButton("PATCH");
		assertThat(answerOnceItContains(renamed)).startsWith("HTTP 200");
		assertThat(this.rows.withLogin(renamed)).isEqualTo(1);

		clickButton("DELETE");
		answerOnceItIs("HTTP 204");
		assertThat(this.client.get("/api/customer/" + id + "/").status()).isEqualTo(404);
	}

	@Test
	void aMissingCustomersPageShowsTheApisNotFound() {
		this.browser.open("/api/customer/999999999/");

		assertThat(answer()).startsWith("HTTP 404").endsWith("{\n    \"detail\": \"Not found.\"\n}");
	}

	@Test
	void theListPageIsReadableFourHundredPixelsWide() {
		this.browser.resize(400, 900);
		try {
			this.browser.open("/api/customer/");
			answer();

			long innerWidth = (Long) this.browser.script("return window.innerWidth;");
			long pageWidth = (Long) this.browser.script("return document.documentElement.scrollWidth;");
			assertThat(pageWidth).isLessThanOrEqualTo(innerWidth);
		}
		finally {
			this.browser.resize(1000, 1400);
		}
	}

	private void clickButton(String label) {
		this.browser.waitFor(driver -> driver.findElements(By.tagName("button"))
			.stream()
			.filter(button -> button.getText().equals(label))
			.findFirst()
			.orElse(null)).click();
	}

	private String answer() {
		return this.browser.textOnceSettled("#answer", "\u0000");
	}

	private String answerOnceItIs(String statusLine) {
		return this.browser.waitFor(driver -> {
			String text = this.browser.find("#answer").getText();
			return text.startsWith(statusLine) ? text : null;
		});
	}

	private String answerOnceItContains(String expected) {
		return this.browser.waitFor(driver -> {
			String text = this.browser.find("#answer").getText();
			return text.contains(expected) ? text : null;
		});
	}

}

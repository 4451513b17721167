package com.example.customers.customer;

import java.util.List;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.Parallel;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With customers.map-duplicate-key=false the service behaves like the DRF demo: the loser of a race gets a 500. This
 * is what the knob is for, and it shows that the 400s of the other tests come from the mapping.
 */
@ServiceTest
@TestPropertySource(properties = { "customers.race-window=2s", "customers.map-duplicate-key=false" })
class DuplicateMappingOffTest {

	// Logged on purpose: the demo's 500, logged as an unexpected failure, which it is with the mapping off.
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from("com.example.customers.api.ApiErrorHandler")
		.expecting("com.example.customers.api.ApiErrorHandler", "Unexpected failure on POST /api/customer/");

	private final CustomerClient client;

	private final Rows rows;

	@Autowired
	DuplicateMappingOffTest(WebTestClient http, DatabaseClient db) {
		this.client = new CustomerClient(http);
		this.rows = new Rows(db);
	}

	@Test
	void withoutTheMappingTheLoserOfARaceGetsTheDemosServerError() {
		String login = uniqueLogin("unmapped");

		List<Reply> replies = Parallel.run(2, i -> this.client.create(login));

		assertThat(replies).extracting(Reply::status).containsExactlyInAnyOrder(201, 500);
		assertThat(replies).filteredOn(Reply::isServerError)
			.singleElement()
			.satisfies(failed -> assertThat(failed.body()).isEqualTo("{\"detail\":\"A server error occurred.\"}"));
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
		assertThat(expectedLogs.events()).anySatisfy(logged -> {
			assertThat(logged.getFormattedMessage()).isEqualTo("Unexpected failure on POST /api/customer/");
			assertThat(logged.getThrowableProxy().getClassName()).isEqualTo(DuplicateKeyException.class.getName());
		});
	}

	@Test
	void withoutTheMappingASequentialDuplicateIsStillCaughtByTheCheck() {
		String login = uniqueLogin("unmapped-sequential");
		this.client.create(login);

		Reply again = this.client.create(login);

		assertThat(again.status()).isEqualTo(400);
		assertThat(again.body()).isEqualTo(CustomerClient.LOGIN_TAKEN);
	}

}

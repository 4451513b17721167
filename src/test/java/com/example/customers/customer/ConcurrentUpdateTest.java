package com.example.customers.customer;

import java.util.List;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.Duplicates;
import com.example.customers.support.Parallel;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.LOGIN_TAKEN;
import static com.example.customers.support.CustomerClient.idOf;
import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/** Renames race exactly as creates do, and the same constraint decides them (DRF answers some of these with 500). */
@ServiceTest
@TestPropertySource(properties = "customers.race-window=2s")
class ConcurrentUpdateTest {

	private static final int CUSTOMERS = 10;

	private final CustomerClient client;

	private final Rows rows;

	private final Duplicates duplicates;

	@Autowired
	ConcurrentUpdateTest(WebTestClient http, DatabaseClient db, MeterRegistry registry) {
		this.client = new CustomerClient(http);
		this.rows = new Rows(db);
		this.duplicates = new Duplicates(registry);
	}

	@Test
	void concurrentPatchesOfTenCustomersToOneLoginYieldOneOkAndNineBadRequest() {
		List<Long> ids = java.util.stream.IntStream.range(0, CUSTOMERS)
			.mapToObj(i -> idOf(this.client.create(uniqueLogin("rename-from"))))
			.toList();
		String login = uniqueLogin("rename-to");
		double byConstraintBefore = this.duplicates.caughtBy("constraint");

		List<Reply> replies = Parallel.run(CUSTOMERS,
				i -> this.client.send(HttpMethod.PATCH, "/api/customer/" + ids.get(i) + "/", loginJson(login)));

		assertThat(replies).noneMatch(Reply::isServerError);
		assertThat(replies).filteredOn(reply -> reply.status() == 200).singleElement()
			.satisfies(renamed -> assertThat(renamed.body()).isEqualTo(
					"{\"id\":" + idOf(renamed) + ",\"login\":\"" + login + "\"}"));
		assertThat(replies).filteredOn(reply -> reply.status() != 200)
			.hasSize(CUSTOMERS - 1)
			.allSatisfy(refused -> {
				assertThat(refused.status()).isEqualTo(400);
				assertThat(refused.body()).isEqualTo(LOGIN_TAKEN);
			});
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
		assertThat(this.duplicates.caughtBy("constraint") - byConstraintBefore)
			.as("renames refused by the unique constraint, past the check").isPositive();
	}

}

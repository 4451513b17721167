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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.LOGIN_TAKEN;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Simultaneous creates over real HTTP and a real database: every request passes the existence check before the first
 * insert lands, so the unique constraint has to refuse the rest. The race window is 2 s rather than the default
 * 500 ms, so that racers started together still meet inside it on a machine loaded by other work.
 */
@ServiceTest
@TestPropertySource(properties = "customers.race-window=2s")
class ConcurrentCreateTest {

	private final CustomerClient client;

	private final Rows rows;

	private final Duplicates duplicates;

	@Autowired
	ConcurrentCreateTest(WebTestClient http, DatabaseClient db, MeterRegistry registry) {
		this.client = new CustomerClient(http);
		this.rows = new Rows(db);
		this.duplicates = new Duplicates(registry);
	}

	@ParameterizedTest(name = "{0} simultaneous creates")
	@ValueSource(ints = { 2, 50 })
	void concurrentCreatesOfOneLoginYieldOneCreatedAndTheRestBadRequest(int concurrency) {
		String login = uniqueLogin("race");
		double byConstraintBefore = this.duplicates.caughtBy("constraint");
		double byCheckBefore = this.duplicates.caughtBy("check");

		List<Reply> replies = Parallel.run(concurrency, i -> this.client.create(login));

		assertThat(replies).noneMatch(Reply::isServerError);
		assertThat(replies).filteredOn(reply -> reply.status() == 201).singleElement()
			.satisfies(created -> assertThat(created.body()).isEqualTo(
					"{\"id\":" + CustomerClient.idOf(created) + ",\"login\":\"" + login + "\"}"));
		assertThat(replies).filteredOn(reply -> reply.status() != 201)
			.hasSize(concurrency - 1)
			.allSatisfy(refused -> {
				assertThat(refused.status()).isEqualTo(400);
				assertThat(refused.body()).isEqualTo(LOGIN_TAKEN);
			});
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
		double byConstraint = this.duplicates.caughtBy("constraint") - byConstraintBefore;
		double byCheck = this.duplicates.caughtBy("check") - byCheckBefore;
		assertThat(byConstraint).as("duplicates refused by the unique constraint, past the check").isPositive();
		assertThat(byConstraint + byCheck).isEqualTo(concurrency - 1);
	}

	@Test
	void concurrentCreatesOfDistinctLoginsAllSucceedOnce() {
		List<String> logins = CustomerClient.uniqueLogins("distinct", 40);

		List<Reply> replies = Parallel.run(logins.size(), i -> this.client.create(logins.get(i)));

		assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).isEqualTo(201));
		assertThat(logins).allSatisfy(login -> assertThat(this.rows.withLogin(login)).isEqualTo(1));
	}

	@Test
	void aSequentialDuplicateIsCaughtByTheExistenceCheck() {
		String login = uniqueLogin("sequential");
		assertThat(this.client.create(login).status()).isEqualTo(201);
		double byCheckBefore = this.duplicates.caughtBy("check");

		Reply again = this.client.create(login);

		assertThat(again.status()).isEqualTo(400);
		assertThat(again.body()).isEqualTo(LOGIN_TAKEN);
		assertThat(this.duplicates.caughtBy("check") - byCheckBefore).isEqualTo(1);
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

}

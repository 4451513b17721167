package com.example.customers.faults;

import java.util.UUID;

import com.example.customers.idempotency.IdempotentRequests;
import com.example.customers.support.CustomerClient;
import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.ProxiedDatabase;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection breaks after the INSERT went out and before its answer came back (the fault proxy resets it at the
 * write's reply): the customer was created, and the client must not be told that nothing was written. It is told
 * the outcome is unknown; with an Idempotency-Key, the retry then answers what happened: the first request's 201.
 */
class WriteOutcomeUnknownTest {

	static final String OUTCOME_UNKNOWN = "{\"detail\":\"The connection to the database was lost after the write was"
			+ " sent: it may have been carried out. A retry with the same Idempotency-Key answers which; without one,"
			+ " read the resource before sending the request again.\"}";

	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs
		.from(ExpectedLogs.CUT_CONNECTIONS, "com.example.customers.api.ApiErrorHandler", IdempotentRequests.class)
		.expectingCutConnections()
		.expecting("com.example.customers.api.ApiErrorHandler", "Write outcome unknown: ")
		.expecting(IdempotentRequests.class, "Could not free the claim of a failed request");

	@Test
	void aCreateWhoseReplyIsLostIsToldTheOutcomeIsUnknownNotThatNothingWasWritten() {
		try (ProxiedDatabase database = ProxiedDatabase.create("outcome_unknown");
				ConfigurableApplicationContext service = ServiceInstance.start(database.throughProxy(),
						"--customers.race-window=0")) {
			CustomerClient client = ServiceInstance.client(service);
			String login = uniqueLogin("reply-lost");

			database.proxy().cutAtNextWriteReply();
			Reply lost = client.create(login);

			assertThat(lost.status()).as("%s", lost).isEqualTo(503);
			assertThat(lost.body()).isEqualTo(OUTCOME_UNKNOWN);
			assertThat(Rows.inSchema(database.direct(), database.schema()).withLogin(login))
				.as("the customer was created all the same").isEqualTo(1);
		}
	}

	@Test
	void aKeyedCreateWhoseReplyIsLostIsAnsweredByItsRetry() {
		try (ProxiedDatabase database = ProxiedDatabase.create("outcome_unknown_keyed");
				ConfigurableApplicationContext service = ServiceInstance.start(database.throughProxy(),
						"--customers.race-window=0")) {
			CustomerClient client = ServiceInstance.client(service);
			String key = UUID.randomUUID().toString();
			String login = uniqueLogin("reply-lost-keyed");

			// The key's claim is a write too: the cut is for the reply that returns the one customer created (the keyed
			// write is a SELECT over a CTE that inserts it and records its answer).
			database.proxy().cutAtNextReplyHolding("login", "SELECT 1\0");
			Reply lost = client.createWithKey(key, loginJson(login));
			Reply retry = client.createWithKey(key, loginJson(login));

			assertThat(lost.status()).as("%s", lost).isEqualTo(503);
			assertThat(lost.body()).isEqualTo(OUTCOME_UNKNOWN);
			assertThat(lost.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
			assertThat(retry.status()).as("the retry: %s", retry).isEqualTo(201);
			assertThat(retry.headers().getFirst(IdempotentRequests.REPLAYED)).as("the first request's 201, replayed")
				.isEqualTo("true");
			assertThat(Rows.inSchema(database.direct(), database.schema()).withLogin(login)).isEqualTo(1);
		}
	}

}

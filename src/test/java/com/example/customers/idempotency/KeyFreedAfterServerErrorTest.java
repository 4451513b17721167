package com.example.customers.idempotency;

import java.time.Duration;
import java.util.UUID;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.ProxiedDatabase;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.Schemas;
import com.example.customers.support.ServiceInstance;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.ConfigurableApplicationContext;

import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A keyed create that failed for no fault of the request (a 5xx) frees its key at once: the client's retry with the
 * same key, sent right after the 503, runs and gets its 201. The claim-timeout is a minute here, so a key that was
 * not freed shows as a 409 instead. The failure is the statement timeout: another session holds the customer table in
 * SHARE mode, which lets the existence check read and makes the insert wait.
 */
class KeyFreedAfterServerErrorTest {

	@Test
	void aRetryWithTheSameKeyRightAfterA503RunsAndIsCreated() {
		try (ProxiedDatabase database = ProxiedDatabase.create("key_freed");
				ConfigurableApplicationContext service = ServiceInstance.start(database.throughProxy(),
						"--customers.statement-timeout=1s", "--customers.race-window=0",
						"--customers.idempotency.claim-timeout=60s")) {
			CustomerClient client = ServiceInstance.client(service);
			String key = UUID.randomUUID().toString();
			String login = uniqueLogin("freed-on-5xx");
			String json = loginJson(login);

			Connection locker = Mono.from(ConnectionFactories.get(
					Schemas.in(DatabaseForTests.located().options(), database.schema())).create())
				.block(Duration.ofSeconds(10));
			Reply failed;
			try {
				Mono.from(locker.beginTransaction()).block(Duration.ofSeconds(10));
				Flux.from(locker.createStatement("LOCK TABLE customer IN SHARE MODE").execute())
					.flatMap(Result::getRowsUpdated)
					.blockLast(Duration.ofSeconds(10));
				failed = client.createWithKey(key, json);
				Mono.from(locker.commitTransaction()).block(Duration.ofSeconds(10));
			}
			finally {
				Mono.from(locker.close()).block(Duration.ofSeconds(10));
			}

			assertThat(failed.status()).as("%s", failed).isEqualTo(503);
			Reply retry = client.createWithKey(key, json);
			assertThat(retry.status()).as("the retry right after the 503: %s", retry).isEqualTo(201);
			assertThat(retry.headers().getFirst(IdempotentRequests.REPLAYED)).as("a fresh run, not a replay").isNull();
			assertThat(Rows.inSchema(database.direct(), database.schema()).withLogin(login)).isEqualTo(1);
		}
	}

}

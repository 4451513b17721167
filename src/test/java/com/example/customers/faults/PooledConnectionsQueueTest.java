package com.example.customers.faults;

import java.util.List;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.Parallel;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.uniqueLogins;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fifty times more creates than connections: they queue for the pool and all complete. The acquire limit is far
 * beyond what the queue needs, so a loaded machine that serves the queue slowly still passes; a 503 here would mean
 * a request was dropped, not that the machine was busy.
 */
@ServiceTest
@TestPropertySource(properties = { "spring.r2dbc.pool.initial-size=1", "spring.r2dbc.pool.max-size=2",
		"spring.r2dbc.pool.max-acquire-time=2m" })
class PooledConnectionsQueueTest {

	private final CustomerClient client;

	private final Rows rows;

	@Autowired
	PooledConnectionsQueueTest(WebTestClient http, DatabaseClient db) {
		this.client = new CustomerClient(http);
		this.rows = new Rows(db);
	}

	@Test
	void moreConcurrentCreatesThanPooledConnectionsQueueAndAllComplete() {
		List<String> logins = uniqueLogins("queued", 100);

		List<Reply> replies = Parallel.run(logins.size(), i -> this.client.create(logins.get(i)));

		assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).isEqualTo(201));
		assertThat(logins).allSatisfy(login -> assertThat(this.rows.withLogin(login)).isEqualTo(1));
	}

}

package com.example.customers.faults;

import java.time.Duration;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.FaultProxy;
import com.example.customers.support.Reply;
import com.example.customers.support.Schemas;
import com.example.customers.support.ServiceInstance;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;

import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database stops answering without closing anything (a black-holed network, a frozen server): a request gets
 * 503 once its statement has heard nothing for the statement timeout plus a second, not when its client gives up,
 * and the connection that hung is closed, so that the pool heals once the network does.
 */
class DatabaseBlackHoleTest {

	private static final Duration BLACK_HOLE = Duration.ofSeconds(30);

	private DatabaseClient db;

	private Schemas schemas;

	private String schema;

	private FaultProxy proxy;

	private ConfigurableApplicationContext service;

	@BeforeEach
	void theServiceBehindAProxy() {
		ConnectionFactoryOptions database = DatabaseForTests.located().options();
		this.db = DatabaseClient.create(ConnectionFactories.get(database));
		this.schemas = new Schemas(this.db);
		this.schema = this.schemas.create("black_hole");
		this.proxy = FaultProxy.to((String) database.getRequiredValue(ConnectionFactoryOptions.HOST),
				(Integer) database.getRequiredValue(ConnectionFactoryOptions.PORT));
		this.service = ServiceInstance.start(Schemas.in(database, this.schema)
			.mutate()
			.option(ConnectionFactoryOptions.HOST, "127.0.0.1")
			.option(ConnectionFactoryOptions.PORT, this.proxy.port())
			.build(), "--customers.statement-timeout=1s", "--customers.race-window=0");
	}

	@AfterEach
	void stopEverything() {
		if (this.service != null) {
			this.service.close();
		}
		this.proxy.close();
		this.schemas.drop(this.schema);
	}

	@Test
	void aRequestWhoseDatabaseStopsAnsweringGets503AndThePoolHealsAfter() {
		CustomerClient client = ServiceInstance.client(this.service);
		assertThat(client.create(uniqueLogin("before-the-black-hole")).status()).isEqualTo(201);

		this.proxy.blackHole(BLACK_HOLE);
		long start = System.nanoTime();
		Reply during = client.create(uniqueLogin("in-the-black-hole"));
		Duration answeredAfter = Duration.ofNanos(System.nanoTime() - start);
		this.proxy.heal();

		assertThat(during.status()).as("%s", during).isEqualTo(503);
		assertThat(during.body()).isEqualTo("{\"detail\":\"Service temporarily unavailable.\"}");
		assertThat(during.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(answeredAfter).as("answered while the database still did not answer").isLessThan(BLACK_HOLE);
		for (int i = 0; i < 5; i++) {
			assertThat(client.create(uniqueLogin("after-the-black-hole")).status()).as("create %d after", i).isEqualTo(201);
		}
	}

}

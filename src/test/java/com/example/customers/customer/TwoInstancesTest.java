package com.example.customers.customer;

import java.util.List;
import java.util.UUID;

import com.example.customers.idempotency.IdempotentRequests;
import com.example.customers.support.CustomerClient;
import com.example.customers.support.Duplicates;
import com.example.customers.support.Parallel;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.Schemas;
import com.example.customers.support.ServiceInstance;
import com.example.customers.support.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static com.example.customers.support.CustomerClient.LOGIN_TAKEN;
import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the service share nothing but the database, as behind a load balancer. No lock in either
 * process can help: only the database's constraint sees both requests.
 */
@ServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesTest {

	private static final int REQUESTS = 20;

	private final Schemas schemas;

	private final DatabaseClient db;

	private final R2dbcConnectionDetails database;

	private String schema;

	private List<ConfigurableApplicationContext> instances;

	private List<CustomerClient> clients;

	private Rows rows;

	@Autowired
	TwoInstancesTest(DatabaseClient db, R2dbcConnectionDetails database) {
		this.db = db;
		this.schemas = new Schemas(db);
		this.database = database;
	}

	@BeforeAll
	void startTwoInstancesTogetherOnAnEmptyDatabase() {
		this.schema = this.schemas.create("two_instances");
		ConnectionFactoryOptions options = Schemas.in(this.database.getConnectionFactoryOptions(), this.schema);
		this.instances = Parallel.run(2, i -> ServiceInstance.start(options));
		this.clients = this.instances.stream().map(ServiceInstance::client).toList();
		this.rows = Rows.inSchema(this.db, this.schema);
	}

	@AfterAll
	void stopThem() {
		if (this.instances != null) {
			this.instances.forEach(ConfigurableApplicationContext::close);
		}
		this.schemas.drop(this.schema);
	}

	@Test
	void simultaneousCreatesOfOneLoginSplitBetweenTwoInstancesYieldOneCreated() {
		String login = uniqueLogin("two-instances");
		double byConstraintBefore = caughtByTheConstraint();

		List<Reply> replies = Parallel.run(REQUESTS, i -> this.clients.get(i % 2).create(login));

		assertThat(replies).noneMatch(Reply::isServerError);
		assertThat(replies).filteredOn(reply -> reply.status() == 201).hasSize(1);
		assertThat(replies).filteredOn(reply -> reply.status() != 201)
			.allSatisfy(refused -> assertThat(refused.body()).isEqualTo(LOGIN_TAKEN))
			.hasSize(REQUESTS - 1);
		assertThat(caughtByTheConstraint() - byConstraintBefore)
			.as("duplicates the constraint refused, past both instances' checks").isPositive();
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	@Test
	void simultaneousRequestsWithOneIdempotencyKeySplitBetweenTwoInstancesCreateOnce() {
		String login = uniqueLogin("two-instances-key");
		String key = "key-" + UUID.randomUUID();

		List<Reply> replies = Parallel.run(REQUESTS, i -> this.clients.get(i % 2).createWithKey(key, loginJson(login)));

		assertThat(replies).noneMatch(Reply::isServerError);
		assertThat(replies).extracting(Reply::status).containsOnly(201, 409);
		assertThat(replies).filteredOn(reply -> reply.status() == 409)
			.as("requests that came while another instance held the key").isNotEmpty();
		assertThat(replies).filteredOn(reply -> reply.status() == 201)
			.filteredOn(reply -> reply.headers().getFirst(IdempotentRequests.REPLAYED) == null)
			.hasSize(1);
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	private double caughtByTheConstraint() {
		return this.instances.stream()
			.mapToDouble(instance -> new Duplicates(instance.getBean(MeterRegistry.class)).caughtBy("constraint"))
			.sum();
	}

}

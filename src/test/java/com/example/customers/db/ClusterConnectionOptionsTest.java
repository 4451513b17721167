package com.example.customers.db;

import java.time.Duration;
import java.util.List;

import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.ServiceInstance;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster URL's connections are made with every option the other customizers add: PostgreSQL's statement timeout
 * and the server's event loops for the driver. Which customizer ran last once depended on the order beans were
 * found in, and the cluster's options were taken before the others had added theirs. The "cluster" is the tests'
 * PostgreSQL named twice: what is checked is how a member's connection is made, not a failover.
 */
class ClusterConnectionOptionsTest {

	@Test
	void aClusterMembersConnectionCarriesTheStatementTimeoutAndAnswersOnTheServersLoop() throws Exception {
		ConnectionFactoryOptions database = DatabaseForTests.located().options();
		String member = database.getRequiredValue(ConnectionFactoryOptions.HOST) + ":"
				+ database.getRequiredValue(ConnectionFactoryOptions.PORT);
		ConnectionFactoryOptions.Builder cluster = ConnectionFactoryOptions
			.parse("r2dbc:postgresql:failover://" + member + "," + member + "/"
					+ database.getRequiredValue(ConnectionFactoryOptions.DATABASE) + "?targetServerType=primary")
			.mutate();
		for (Option<Object> copied : List.<Option<Object>>of(Option.valueOf("user"), Option.valueOf("password"),
				Option.valueOf("schema"))) {
			if (database.hasOption(copied)) {
				cluster.option(copied, database.getRequiredValue(copied));
			}
		}
		ConfigurableApplicationContext instance = ServiceInstance.start(cluster.build(),
				"--customers.statement-timeout=3s", "--customers.event-loops=1");
		try {
			DatabaseClient db = instance.getBean(DatabaseClient.class);
			assertThat(db.sql("SHOW statement_timeout").map(row -> row.get(0, String.class)).one()
				.block(Duration.ofSeconds(30))).as("PostgreSQL's statement_timeout on a member's connection")
				.isEqualTo("3s");
			Thread serverLoop = instance.getBean(LoopResources.class).onServer(true).next()
				.submit(Thread::currentThread)
				.get();
			assertThat(db.sql("SELECT 1").map(row -> Thread.currentThread()).one().block(Duration.ofSeconds(30)))
				.as("the thread a member's connection answers on").isSameAs(serverLoop);
		}
		finally {
			instance.close();
		}
	}

}

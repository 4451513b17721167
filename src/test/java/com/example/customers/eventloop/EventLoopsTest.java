package com.example.customers.eventloop;

import java.time.Duration;

import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.ServiceInstance;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP server and the PostgreSQL driver share the event loops that customers.event-loops sizes. */
class EventLoopsTest {

	@Test
	void withOneEventLoopTheDriverAnswersOnTheServersOnlyLoopThread() throws Exception {
		ConfigurableApplicationContext instance = ServiceInstance.start(DatabaseForTests.located().options(),
				"--customers.event-loops=1");
		try {
			Thread serverLoop = instance.getBean(LoopResources.class).onServer(true).next()
				.submit(Thread::currentThread)
				.get();
			Thread answeredOn = instance.getBean(DatabaseClient.class).sql("SELECT 1")
				.map(row -> Thread.currentThread())
				.one()
				.block(Duration.ofSeconds(30));
			assertThat(answeredOn).isSameAs(serverLoop);
		}
		finally {
			instance.close();
		}
	}

	@Test
	void anEventLoopCountBelowOneStopsStartUpNamingTheSetting() {
		assertThatThrownBy(() -> ServiceInstance.start(DatabaseForTests.located().options(), "--customers.event-loops=0"))
			.rootCause()
			.hasMessage("customers.event-loops must be at least 1, was 0");
	}

}

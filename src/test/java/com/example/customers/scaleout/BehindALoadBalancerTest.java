package com.example.customers.scaleout;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.ServiceInstance;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an instance does for the load balancer in front of it (scale/compose.yaml): it says who answered when asked
 * to, and at shutdown it leaves the balancer (readiness DOWN) while it still serves, before it stops accepting.
 */
class BehindALoadBalancerTest {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Test
	void everyAnswerNamesTheHostThatServedItWhenSwitchedOn() throws Exception {
		ConfigurableApplicationContext instance = ServiceInstance.start(DatabaseForTests.located().options(),
				"--customers.served-by-header=true");
		try {
			String host = InetAddress.getLocalHost().getHostName();
			assertThat(get(instance, "/api/").headers().firstValue(ServedByHeader.NAME)).contains(host);
			assertThat(get(instance, "/api/customers/").statusCode()).isEqualTo(404);
			assertThat(get(instance, "/api/customers/").headers().firstValue(ServedByHeader.NAME)).contains(host);
		}
		finally {
			instance.close();
		}
	}

	@Test
	void noAnswerNamesItsHostByDefault() throws Exception {
		ConfigurableApplicationContext instance = ServiceInstance.start(DatabaseForTests.located().options());
		try {
			assertThat(get(instance, "/api/").headers().firstValue(ServedByHeader.NAME)).isEmpty();
		}
		finally {
			instance.close();
		}
	}

	@Test
	void duringTheShutdownDrainReadinessIsDownAndACreateIsStillServed() throws Exception {
		// Far longer than the test needs, so that a busy machine cannot make it miss the drain.
		ConfigurableApplicationContext instance = ServiceInstance.start(DatabaseForTests.located().options(),
				"--customers.shutdown-drain=20s", "--customers.race-window=0");
		assertThat(readiness(instance).statusCode()).isEqualTo(200);

		CompletableFuture<Void> shutdown = CompletableFuture.runAsync(instance::close);
		int readiness;
		do {
			Thread.sleep(50);
			readiness = readiness(instance).statusCode();
		}
		while (readiness == 200 && !shutdown.isDone());
		HttpResponse<String> created = send(instance, HttpRequest.newBuilder(uri(instance, "/api/customer/"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(loginJson(uniqueLogin("draining")))));

		assertThat(readiness).as("readiness once shutdown began").isEqualTo(503);
		assertThat(shutdown).as("still draining").isNotDone();
		assertThat(created.statusCode()).isEqualTo(201);
		shutdown.get();
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext instance, String path) throws Exception {
		return send(instance, HttpRequest.newBuilder(uri(instance, path)).GET());
	}

	private static HttpResponse<String> readiness(ConfigurableApplicationContext instance) throws Exception {
		return send(instance, HttpRequest.newBuilder(
				URI.create(ServiceInstance.managementUrl(instance) + "/actuator/health/readiness")).GET());
	}

	private static HttpResponse<String> send(ConfigurableApplicationContext instance, HttpRequest.Builder request)
			throws Exception {
		return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(ConfigurableApplicationContext instance, String path) {
		return URI.create(ServiceInstance.baseUrl(instance) + path);
	}

}

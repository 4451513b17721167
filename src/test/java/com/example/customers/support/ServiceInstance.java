package com.example.customers.support;

import java.time.Duration;

import com.example.customers.CustomersApplication;
import io.r2dbc.spi.ConnectionFactoryOptions;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A whole instance of the service, outside the test's own context, on a random port and the database it is given:
 * another instance behind a load balancer, or one that reaches PostgreSQL through a fault proxy.
 */
public final class ServiceInstance {

	private ServiceInstance() {
	}

	public static ConfigurableApplicationContext start(ConnectionFactoryOptions database, String... arguments) {
		R2dbcConnectionDetails connection = () -> database;
		String[] all = new String[arguments.length + 3];
		all[0] = "--server.port=0";
		all[1] = "--management.server.port=0";
		all[2] = "--spring.main.banner-mode=off";
		System.arraycopy(arguments, 0, all, 3, arguments.length);
		SpringApplicationBuilder builder = new SpringApplicationBuilder(CustomersApplication.class)
			.initializers(context -> ((GenericApplicationContext) context).registerBean(R2dbcConnectionDetails.class,
					() -> connection));
		// The test JVM's logging is set up already; instances started together must not each set it up again (eight
		// at once race inside Logback: "Unable to find Spring Environment in logger context").
		builder.application().setListeners(builder.application().getListeners().stream()
			.filter(listener -> !(listener instanceof LoggingApplicationListener))
			.toList());
		return builder.run(all);
	}

	/** A client of the instance, over real HTTP. */
	public static CustomerClient client(ConfigurableApplicationContext instance) {
		return new CustomerClient(WebTestClient.bindToServer()
			.baseUrl(baseUrl(instance))
			.responseTimeout(Duration.ofSeconds(60))
			.build());
	}

	public static String baseUrl(ConfigurableApplicationContext instance) {
		return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
	}

	/** Where the instance's actuator answers: a port of its own. */
	public static String managementUrl(ConfigurableApplicationContext instance) {
		return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.management.port");
	}

}

package com.example.customers.support;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * The one place that decides where the tests' database comes from: the PostgreSQL named by
 * {@value #LOCAL_URL_VARIABLE} when it is set, otherwise a Testcontainers PostgreSQL. With neither, the tests fail
 * and say what to do; they are never skipped.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabase {

	public static final String LOCAL_URL_VARIABLE = "CUSTOMERS_TEST_R2DBC_URL";

	/** The same image and tag as the db service of compose.yaml. */
	public static final String POSTGRES_IMAGE = "postgres:15.14-alpine";

	private static final String NO_DATABASE = "The tests need PostgreSQL and found none: Docker is not available "
			+ "for Testcontainers, and " + LOCAL_URL_VARIABLE + " is not set. Start Docker, or point the tests at a "
			+ "local PostgreSQL: export " + LOCAL_URL_VARIABLE + "=r2dbc:postgresql://postgres@127.0.0.1:5432/test";

	@Bean
	@ServiceConnection
	@Conditional(NoLocalDatabase.class)
	PostgreSQLContainer postgres() {
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			throw new IllegalStateException(NO_DATABASE);
		}
		return new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE));
	}

	@Bean
	@ConditionalOnProperty(LOCAL_URL_VARIABLE)
	DynamicPropertyRegistrar localDatabase(Environment environment) {
		return registry -> registry.add("spring.r2dbc.url", () -> environment.getProperty(LOCAL_URL_VARIABLE));
	}

	static class NoLocalDatabase implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !context.getEnvironment().containsProperty(LOCAL_URL_VARIABLE);
		}

	}

}

package com.example.customers;

import com.example.customers.support.DatabaseForTests;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * The service with a throwaway PostgreSQL, for developers with Docker: {@code ./mvnw spring-boot:test-run}. Spring
 * Boot starts the container before the application and points the application at it.
 */
public class TestCustomersApplication {

	public static void main(String[] args) {
		SpringApplication.from(CustomersApplication::main).with(ContainerDatabase.class).run(args);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ContainerDatabase {

		@Bean
		@ServiceConnection
		PostgreSQLContainer postgres() {
			return new PostgreSQLContainer(DockerImageName.parse(DatabaseForTests.POSTGRES_IMAGE));
		}

	}

}

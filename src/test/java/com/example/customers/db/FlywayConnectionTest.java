package com.example.customers.db;

import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The R2DBC URLs the README shows, and the JDBC URL Flyway gets for each. */
class FlywayConnectionTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			r2dbc:postgresql://127.0.0.1:5432/test                          | jdbc:postgresql://127.0.0.1:5432/test
			r2dbc:postgresql://postgres@127.0.0.1:5432/test                 | jdbc:postgresql://127.0.0.1:5432/test
			r2dbc:postgresql://db:5432/test                                 | jdbc:postgresql://db:5432/test
			r2dbc:postgresql://db.example:5432/shop                         | jdbc:postgresql://db.example:5432/shop
			r2dbc:postgresql://app:secret@db.example/shop                   | jdbc:postgresql://db.example:5432/shop
			r2dbc:postgresql://user@host:5432/db?sslMode=require            | jdbc:postgresql://host:5432/db?sslmode=require
			r2dbc:postgresql://host:5432/db?sslMode=VERIFY_FULL             | jdbc:postgresql://host:5432/db?sslmode=verify-full
			r2dbcs:postgresql://host:6543/db                                | jdbc:postgresql://host:6543/db?sslmode=verify-full
			r2dbc:postgresql://host/db?schema=customers_test_1              | jdbc:postgresql://host:5432/db?currentSchema=customers_test_1
			r2dbc:postgresql://[::1]:5432/test                              | jdbc:postgresql://[::1]:5432/test
			""")
	void keepsHostPortDatabaseSslModeAndSchema(String r2dbcUrl, String jdbcUrl) {
		assertThat(FlywayConnection.jdbcUrl(ConnectionFactoryOptions.parse(r2dbcUrl))).isEqualTo(jdbcUrl);
	}

}

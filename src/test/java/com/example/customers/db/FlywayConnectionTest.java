package com.example.customers.db;

import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The R2DBC URLs a user may give the service, and the JDBC URL Flyway gets for each: whatever both drivers know is
 * carried under pgjdbc's name, so that the migration connects the way the service does, to the schema it queries.
 */
class FlywayConnectionTest {

	private static final String JDK_TRUST = "sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory";

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			r2dbc:postgresql://127.0.0.1:5432/test                          | jdbc:postgresql://127.0.0.1:5432/test
			r2dbc:postgresql://postgres@127.0.0.1:5432/test                 | jdbc:postgresql://127.0.0.1:5432/test
			r2dbc:postgresql://db:5432/test                                 | jdbc:postgresql://db:5432/test
			r2dbc:postgresql://db.example:5432/shop                         | jdbc:postgresql://db.example:5432/shop
			r2dbc:postgresql://app:secret@db.example/shop                   | jdbc:postgresql://db.example:5432/shop
			r2dbc:postgresql://[::1]:5432/test                              | jdbc:postgresql://[::1]:5432/test
			r2dbc:postgresql://host/db?schema=customers_test_1              | jdbc:postgresql://host:5432/db?currentSchema=customers_test_1
			r2dbc:postgresql://host/db?currentSchema=app                    | jdbc:postgresql://host:5432/db?currentSchema=app
			r2dbc:postgresql://host/db?applicationName=orders               | jdbc:postgresql://host:5432/db?ApplicationName=orders
			r2dbc:postgresql://host/db?connectTimeout=PT10S                 | jdbc:postgresql://host:5432/db?connectTimeout=10
			r2dbc:postgresql://host/db?connectTimeout=1500ms                | jdbc:postgresql://host:5432/db?connectTimeout=2
			""")
	void keepsHostPortDatabaseSchemaAndTheSessionsSettings(String r2dbcUrl, String jdbcUrl) {
		assertThat(FlywayConnection.jdbcUrl(ConnectionFactoryOptions.parse(r2dbcUrl))).isEqualTo(jdbcUrl);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			r2dbc:postgresql://user@host:5432/db?sslMode=require            | jdbc:postgresql://host:5432/db?sslmode=require
			r2dbc:postgresql://host:5432/db?sslmode=require                 | jdbc:postgresql://host:5432/db?sslmode=require
			r2dbc:postgresql://host:5432/db?sslMode=VERIFY_FULL             | jdbc:postgresql://host:5432/db?sslmode=verify-full&JDK
			r2dbc:postgresql://host:5432/db?sslmode=verify-full             | jdbc:postgresql://host:5432/db?sslmode=verify-full&JDK
			r2dbc:postgresql://host:5432/db?sslMode=verify-ca               | jdbc:postgresql://host:5432/db?sslmode=verify-ca&JDK
			r2dbcs:postgresql://host:6543/db                                | jdbc:postgresql://host:6543/db?sslmode=verify-full&JDK
			r2dbc:postgresql://host/db?ssl=true                             | jdbc:postgresql://host:5432/db?sslmode=verify-full&JDK
			r2dbc:postgresql://host/db?sslMode=verify-full&sslRootCert=/certs/ca.pem | jdbc:postgresql://host:5432/db?sslmode=verify-full&sslrootcert=%2Fcerts%2Fca.pem
			r2dbc:postgresql://host/db?sslMode=require&sslCert=/c/client.crt&sslKey=/c/client.pk8&sslPassword=pw | jdbc:postgresql://host:5432/db?sslmode=require&sslcert=%2Fc%2Fclient.crt&sslkey=%2Fc%2Fclient.pk8&sslpassword=pw
			""")
	void keepsTheSslModeAndFilesAndTrustsTheJdkStoreWithoutARootCertificate(String r2dbcUrl, String jdbcUrl) {
		assertThat(FlywayConnection.jdbcUrl(ConnectionFactoryOptions.parse(r2dbcUrl)))
			.isEqualTo(jdbcUrl.replace("JDK", JDK_TRUST));
	}

	/**
	 * A cluster that fails over: r2dbc-postgresql's {@code failover} protocol lists the members, and pgjdbc takes the
	 * same list; both then connect to the one that {@code targetServerType} asks for.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			r2dbc:postgresql:failover://h1:5432,h2:5433,h3:5434/db?targetServerType=primary | jdbc:postgresql://h1:5432,h2:5433,h3:5434/db?targetServerType=primary
			r2dbc:postgresql:failover://app@h1,h2:6432/db?targetServerType=PRIMARY          | jdbc:postgresql://h1:5432,h2:6432/db?targetServerType=primary
			r2dbc:postgresql:failover://h1,h2/db?targetServerType=master                    | jdbc:postgresql://h1:5432,h2:5432/db?targetServerType=primary
			r2dbc:postgresql:failover://h1,h2/db?targetServerType=preferSecondary           | jdbc:postgresql://h1:5432,h2:5432/db?targetServerType=preferSecondary
			r2dbc:postgresql:failover://h1,h2/db?targetServerType=PREFER_SECONDARY          | jdbc:postgresql://h1:5432,h2:5432/db?targetServerType=preferSecondary
			r2dbc:postgresql:failover://h1:5432,h2:5433/db                                  | jdbc:postgresql://h1:5432,h2:5433/db
			r2dbc:postgresql:failover://h1,h2/db?targetServerType=primary&schema=app&connectTimeout=2s | jdbc:postgresql://h1:5432,h2:5432/db?currentSchema=app&targetServerType=primary&connectTimeout=2
			""")
	void listsEveryMemberOfAClusterAndAsksForTheSameKindOfServer(String r2dbcUrl, String jdbcUrl) {
		assertThat(FlywayConnection.jdbcUrl(ConnectionFactoryOptions.parse(r2dbcUrl))).isEqualTo(jdbcUrl);
	}

	@Test
	void aUnixSocketCannotBeCarriedAndSaysWhatToSetInstead() {
		assertThatIllegalStateException()
			.isThrownBy(() -> FlywayConnection.jdbcUrl(
					ConnectionFactoryOptions.parse("r2dbc:postgresql://localhost/db?socket=/var/run/postgresql")))
			.withMessageContaining("socket=")
			.withMessageContaining("SPRING_FLYWAY_URL");
	}

}

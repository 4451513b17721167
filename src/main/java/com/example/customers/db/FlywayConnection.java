package com.example.customers.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where Flyway connects: the service's own database, over JDBC, derived from the R2DBC settings, so that a user
 * still sets only {@code SPRING_R2DBC_URL}, {@code _USERNAME} and {@code _PASSWORD}. Host, port, database, user,
 * password, SSL mode and schema carry over. {@code SPRING_FLYWAY_URL} (with {@code SPRING_FLYWAY_USER} and
 * {@code _PASSWORD}) overrides the derivation, for example to migrate as another role.
 * <p>
 * It is also the {@link JdbcConnectionDetails} that tells Spring Boot a JDBC database exists, which is what switches
 * Flyway on; no JDBC pool is created (HikariCP is not on the class path, and Boot creates no DataSource beside
 * R2DBC). {@code @Primary}: under {@code ./mvnw spring-boot:test-run}, Testcontainers registers its own details for
 * the same container.
 */
@Component
@Primary
public class FlywayConnection implements FlywayConnectionDetails, JdbcConnectionDetails {

	/** r2dbc-postgresql's options that have a pgjdbc twin under another name. */
	private static final Option<Object> SSL_MODE = Option.valueOf("sslMode");

	private static final Option<Object> SCHEMA = Option.valueOf("schema");

	private static final int DEFAULT_PORT = 5432;

	private final String jdbcUrl;

	private final @Nullable String username;

	private final @Nullable String password;

	public FlywayConnection(R2dbcConnectionDetails r2dbc, Environment environment) {
		String flywayUrl = environment.getProperty("spring.flyway.url");
		ConnectionFactoryOptions options = r2dbc.getConnectionFactoryOptions();
		this.jdbcUrl = (flywayUrl != null && !flywayUrl.isBlank()) ? flywayUrl : jdbcUrl(options);
		this.username = environment.getProperty("spring.flyway.user", text(options, ConnectionFactoryOptions.USER));
		this.password = environment.getProperty("spring.flyway.password", text(options, ConnectionFactoryOptions.PASSWORD));
	}

	/** {@code r2dbc:postgresql://db:5432/shop?sslMode=require} becomes {@code jdbc:postgresql://db:5432/shop?sslmode=require}. */
	public static String jdbcUrl(ConnectionFactoryOptions options) {
		String host = text(options, ConnectionFactoryOptions.HOST);
		Object port = options.getValue(ConnectionFactoryOptions.PORT);
		String database = text(options, ConnectionFactoryOptions.DATABASE);
		Map<String, String> parameters = new LinkedHashMap<>();
		sslMode(options).ifPresent(mode -> parameters.put("sslmode", mode));
		if (options.getValue(SCHEMA) != null) {
			parameters.put("currentSchema", options.getValue(SCHEMA).toString());
		}
		return "jdbc:postgresql://" + (host != null && host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":"
				+ (port != null ? port : DEFAULT_PORT) + "/" + (database != null ? encode(database) : "")
				+ (parameters.isEmpty() ? "" : "?" + parameters.entrySet()
					.stream()
					.map(parameter -> parameter.getKey() + "=" + encode(parameter.getValue()))
					.collect(Collectors.joining("&")));
	}

	/** sslMode=VERIFY_FULL or verify-full as pgjdbc's verify-full; r2dbcs: or ssl=true, which r2dbc-postgresql verifies fully. */
	private static Optional<String> sslMode(ConnectionFactoryOptions options) {
		Object mode = options.getValue(SSL_MODE);
		if (mode != null) {
			return Optional.of(mode.toString().toLowerCase(Locale.ROOT).replace('_', '-'));
		}
		Object ssl = options.getValue(ConnectionFactoryOptions.SSL);
		return Boolean.parseBoolean(String.valueOf(ssl)) ? Optional.of("verify-full") : Optional.empty();
	}

	private static @Nullable String text(ConnectionFactoryOptions options, Option<?> option) {
		Object value = options.getValue(option);
		return (value != null) ? value.toString() : null;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	@Override
	public String getDriverClassName() {
		return "org.postgresql.Driver";
	}

	@Override
	public String getJdbcUrl() {
		return this.jdbcUrl;
	}

	@Override
	public @Nullable String getUsername() {
		return this.username;
	}

	@Override
	public @Nullable String getPassword() {
		return this.password;
	}

}

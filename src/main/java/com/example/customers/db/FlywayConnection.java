package com.example.customers.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.flyway.autoconfigure.FlywayProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where Flyway connects: the service's own database, over JDBC, derived from the R2DBC settings, so that a user
 * still sets only {@code SPRING_R2DBC_URL}, {@code _USERNAME} and {@code _PASSWORD}. Everything both drivers know
 * carries over under pgjdbc's name: host, port, database, user, password, the SSL mode and files, the schema, the
 * application name, the connect timeout. A verifying SSL mode without a root certificate trusts the JDK's trust store,
 * as r2dbc-postgresql does (pgjdbc would look for {@code ~/.postgresql/root.crt}). What cannot be carried (a Unix
 * socket) stops start-up with a message, rather than migrating somewhere else than the service queries.
 * {@code SPRING_FLYWAY_URL} (with {@code SPRING_FLYWAY_USER} and {@code _PASSWORD}) overrides the derivation, for
 * example to migrate as another role.
 * <p>
 * It is also the {@link JdbcConnectionDetails} that tells Spring Boot a JDBC database exists, which is what switches
 * Flyway on; no JDBC pool is created (HikariCP is not on the class path, and Boot creates no DataSource beside
 * R2DBC). {@code @Primary}: under {@code ./mvnw spring-boot:test-run}, Testcontainers registers its own details for
 * the same container.
 */
@Component
@Primary
public class FlywayConnection implements FlywayConnectionDetails, JdbcConnectionDetails {

	/** pgjdbc's name for each r2dbc-postgresql option that both drivers know, the first of aliases winning. */
	private static final Map<String, List<String>> SHARED = sharedOptions();

	private static final Set<String> VERIFYING = Set.of("verify-ca", "verify-full");

	/** pgjdbc's SSL factory that checks the server's certificate against the JDK's trust store. */
	private static final String JDK_TRUST_STORE = "org.postgresql.ssl.DefaultJavaSSLFactory";

	private final String jdbcUrl;

	private final @Nullable String username;

	private final @Nullable String password;

	/**
	 * Boot's {@link FlywayProperties} are bound here from the environment, not taken as a bean: with
	 * {@code spring.flyway.enabled=false} (the Dockerfile's class-data training run) Boot creates none.
	 */
	public FlywayConnection(R2dbcConnectionDetails r2dbc, Environment environment) {
		FlywayProperties flyway = Binder.get(environment).bind("spring.flyway", FlywayProperties.class)
			.orElseGet(FlywayProperties::new);
		ConnectionFactoryOptions options = r2dbc.getConnectionFactoryOptions();
		this.jdbcUrl = (flyway.getUrl() != null && !flyway.getUrl().isBlank()) ? flyway.getUrl() : jdbcUrl(options);
		this.username = (flyway.getUser() != null) ? flyway.getUser() : text(options, ConnectionFactoryOptions.USER);
		this.password = (flyway.getPassword() != null) ? flyway.getPassword()
				: text(options, ConnectionFactoryOptions.PASSWORD);
	}

	/** {@code r2dbc:postgresql://db:5432/shop?sslMode=require} becomes {@code jdbc:postgresql://db:5432/shop?sslmode=require}. */
	public static String jdbcUrl(ConnectionFactoryOptions options) {
		if (options.getValue(Option.valueOf("socket")) != null) {
			throw new IllegalStateException("Flyway's JDBC connection cannot be derived from an R2DBC URL with socket= "
					+ "(a Unix socket): set SPRING_FLYWAY_URL to a jdbc:postgresql: URL for the same database.");
		}
		String database = text(options, ConnectionFactoryOptions.DATABASE);
		Map<String, String> parameters = parameters(options);
		return "jdbc:postgresql://" + hosts(options) + "/" + (database != null ? encode(database) : "")
				+ (parameters.isEmpty() ? "" : "?" + parameters.entrySet()
					.stream()
					.map(parameter -> parameter.getKey() + "=" + encode(parameter.getValue()))
					.collect(Collectors.joining("&")));
	}

	/**
	 * {@code host:port}, or for a cluster ({@code r2dbc:postgresql:failover://h1,h2:5433/db}) every member in the same
	 * order, each with its port, as pgjdbc lists them.
	 */
	private static String hosts(ConnectionFactoryOptions options) {
		String host = text(options, ConnectionFactoryOptions.HOST);
		if (ClusterHosts.isList(host)) {
			return ClusterHosts.parse(host).stream().map(ClusterHosts.Member::address)
				.collect(Collectors.joining(","));
		}
		Object port = options.getValue(ConnectionFactoryOptions.PORT);
		return (host != null && host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":"
				+ (port != null ? port : ClusterHosts.POSTGRES_PORT);
	}

	private static Map<String, String> parameters(ConnectionFactoryOptions options) {
		Map<String, String> parameters = new LinkedHashMap<>();
		sslMode(options).ifPresent(mode -> parameters.put("sslmode", mode));
		SHARED.forEach((jdbcName, r2dbcNames) -> r2dbcNames.stream()
			.map(name -> text(options, Option.valueOf(name)))
			.filter(value -> value != null && !value.isEmpty())
			.findFirst()
			.ifPresent(value -> parameters.put(jdbcName, value)));
		if (VERIFYING.contains(parameters.getOrDefault("sslmode", "")) && !parameters.containsKey("sslrootcert")) {
			parameters.put("sslfactory", JDK_TRUST_STORE);
		}
		targetServerType(options).ifPresent(type -> parameters.put("targetServerType", type));
		Object connectTimeout = options.getValue(ConnectionFactoryOptions.CONNECT_TIMEOUT);
		if (connectTimeout != null) {
			parameters.put("connectTimeout", String.valueOf(seconds(connectTimeout)));
		}
		return parameters;
	}

	/**
	 * sslMode (or sslmode) as pgjdbc spells it: VERIFY_FULL is verify-full; r2dbcs: or ssl=true, which r2dbc-postgresql
	 * verifies fully.
	 */
	private static Optional<String> sslMode(ConnectionFactoryOptions options) {
		for (String name : List.of("sslMode", "sslmode")) {
			String mode = text(options, Option.valueOf(name));
			if (mode != null) {
				return Optional.of(mode.toLowerCase(Locale.ROOT).replace('_', '-'));
			}
		}
		Object ssl = options.getValue(ConnectionFactoryOptions.SSL);
		return Boolean.parseBoolean(String.valueOf(ssl)) ? Optional.of("verify-full") : Optional.empty();
	}

	/** r2dbc-postgresql takes its enum's names and values (PRIMARY, master, PREFER_SECONDARY); pgjdbc its own. */
	private static Optional<String> targetServerType(ConnectionFactoryOptions options) {
		String type = text(options, Option.valueOf("targetServerType"));
		if (type == null) {
			return Optional.empty();
		}
		return Optional.of(switch (type.toLowerCase(Locale.ROOT).replace("_", "")) {
			case "master", "primary" -> "primary";
			case "prefersecondary" -> "preferSecondary";
			default -> type.toLowerCase(Locale.ROOT);
		});
	}

	private static Map<String, List<String>> sharedOptions() {
		Map<String, List<String>> shared = new LinkedHashMap<>();
		shared.put("sslrootcert", List.of("sslRootCert", "sslrootcert"));
		shared.put("sslcert", List.of("sslCert", "sslcert"));
		shared.put("sslkey", List.of("sslKey", "sslkey"));
		shared.put("sslpassword", List.of("sslPassword", "sslpassword"));
		shared.put("currentSchema", List.of("schema", "currentSchema"));
		shared.put("ApplicationName", List.of("applicationName"));
		return shared;
	}

	/** pgjdbc's connectTimeout is whole seconds; R2DBC's is a Duration, or its text ("PT10S", "10s", "10000ms"). */
	private static long seconds(Object timeout) {
		Duration duration = (timeout instanceof Duration given) ? given
				: DurationStyle.detectAndParse(timeout.toString());
		return Math.max(1, (duration.toMillis() + 999) / 1000);
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

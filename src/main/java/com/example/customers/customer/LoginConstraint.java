package com.example.customers.customer;

import java.util.List;
import java.util.Set;

import com.example.customers.db.DatabaseProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The unique constraint on {@code customer(login)}, the source of truth for a taken login, by the name PostgreSQL
 * reports in a violation. V1 names it {@code customer_login_key}; but V1 leaves a table that existed before it as it
 * is, and such a table may carry the constraint, or a unique index, under another name (every raced duplicate would
 * then be a 500), or none at all (two racing creates would both be written). So once the migration has run, start-up
 * reads the unique indexes on {@code login} alone from the catalog: a violation of any of them is a taken login, and
 * without one the service refuses to start, saying how to add it.
 */
@Component
public class LoginConstraint implements SmartInitializingSingleton {

	static final String CREATED_BY_MIGRATION = "customer_login_key";

	private static final Log logger = LogFactory.getLog(LoginConstraint.class);

	/** Whole-column unique indexes (constraints make one of the same name): no predicate, no expression. */
	private static final String UNIQUE_INDEXES_ON_LOGIN = """
			SELECT i.relname::text FROM pg_index x
			JOIN pg_class i ON i.oid = x.indexrelid
			JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
			WHERE x.indrelid = to_regclass('customer') AND x.indisunique AND x.indisvalid AND x.indnkeyatts = 1
			  AND x.indpred IS NULL AND x.indexprs IS NULL AND a.attname = 'login'
			ORDER BY 1""";

	private final DatabaseClient db;

	private final DatabaseProperties properties;

	private final boolean migrated;

	private volatile Set<String> names = Set.of(CREATED_BY_MIGRATION);

	/**
	 * @param migrated whether Flyway runs at start-up ({@code spring.flyway.enabled}); without it the schema, and its
	 * check, are someone else's (the image's class-data training run starts with neither migration nor database)
	 */
	@Autowired
	public LoginConstraint(DatabaseClient db, DatabaseProperties properties,
			@Value("${spring.flyway.enabled:true}") boolean migrated) {
		this.db = db;
		this.properties = properties;
		this.migrated = migrated;
	}

	/** The constraint V1 creates, as the database-free tests assume. */
	static LoginConstraint asMigrated() {
		return new LoginConstraint(null, null, false);
	}

	boolean isNamed(String constraintName) {
		return this.names.contains(constraintName);
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!this.migrated) {
			return;
		}
		List<String> found = this.db.sql(UNIQUE_INDEXES_ON_LOGIN)
			.map(row -> row.get(0, String.class))
			.all()
			.collectList()
			.block(this.properties.startupWait());
		if (found == null || found.isEmpty()) {
			throw new IllegalStateException("The table customer has no unique constraint on login: two simultaneous "
					+ "creates of one login would both be written. Add one, then start again: ALTER TABLE customer "
					+ "ADD CONSTRAINT " + CREATED_BY_MIGRATION + " UNIQUE (login);");
		}
		this.names = Set.copyOf(found);
		if (!found.contains(CREATED_BY_MIGRATION)) {
			logger.info("A taken login is recognised by the unique constraint on customer(login) named " + found);
		}
	}

}

package com.example.customers.exactlyonce;

import java.time.Duration;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;

/** The service's own database sessions, found by the application name its connections give. */
final class ServiceSessions {

	private ServiceSessions() {
	}

	/** How many sessions the service has open: the query below proves nothing unless it finds some. */
	static long count(DatabaseClient db, String applicationName) {
		return db.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1")
			.bind(0, applicationName)
			.map(row -> row.get(0, Long.class))
			.one()
			.block(Duration.ofSeconds(30));
	}

	/**
	 * Sessions of the service still inside a transaction after the workload went quiet: a pooled connection handed
	 * back mid-transaction would run later requests' statements inside it, holding their locks and their writes.
	 */
	static List<String> transactionsLeftOpen(DatabaseClient db, String applicationName) {
		return db.sql("""
				SELECT pid || ': ' || state || ' since ' || (now() - xact_start) || ': ' || left(query, 80)
				FROM pg_stat_activity
				WHERE application_name = $1 AND xact_start IS NOT NULL
				  AND now() - xact_start > interval '5 seconds'""")
			.bind(0, applicationName)
			.map(row -> row.get(0, String.class))
			.all()
			.collectList()
			.block(Duration.ofSeconds(30));
	}

}

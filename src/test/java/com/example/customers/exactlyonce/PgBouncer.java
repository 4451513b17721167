package com.example.customers.exactlyonce;

import java.time.Duration;
import java.util.Map;

/** {@code ha/pgbouncer.sh}: PgBouncer in transaction mode, started and stopped as a user would. */
final class PgBouncer {

	private PgBouncer() {
	}

	/** Pools {@code database} of the PostgreSQL at {@code target} (host:port); returns the service's R2DBC URL. */
	static String start(String database, String target) {
		return HaScript.run(Duration.ofMinutes(3), Map.of("PGBOUNCER_TARGET", target), "pgbouncer.sh", "start",
				database).strip();
	}

	static void stop() {
		HaScript.run(Duration.ofSeconds(30), "pgbouncer.sh", "stop");
	}

}

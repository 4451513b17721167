package com.example.customers.api;

import java.time.Duration;

import com.example.customers.logging.ThrottledLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Counts the requests shed because no pooled connection came within the acquire limit: each is answered 503 with
 * Retry-After at once instead of waiting its way past the client's timeout, and nothing of it was written. A service
 * shedding thousands a second must not also write thousands of log lines: the counter ({@code customers.requests.shed})
 * says how many, and the log says so at most once every ten seconds ({@link ThrottledLog}).
 */
@Component
class LoadShedding {

	private final ThrottledLog log = new ThrottledLog(LogFactory.getLog(LoadShedding.class), Duration.ofSeconds(10));

	private final Counter shed;

	LoadShedding(MeterRegistry registry) {
		this.shed = Counter.builder("customers.requests.shed")
			.description("Requests answered 503 because no database connection came within the pool's acquire limit")
			.register(registry);
	}

	void shed() {
		this.shed.increment();
		this.log.warn("shed", () -> "Shed a request with 503: no database connection within the pool's acquire limit"
				+ " (spring.r2dbc.pool.max-acquire-time)");
	}

}

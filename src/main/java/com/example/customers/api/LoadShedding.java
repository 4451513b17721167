package com.example.customers.api;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Counts the requests shed because no pooled connection came within the acquire limit: each is answered 503 with
 * Retry-After at once instead of waiting its way past the client's timeout, and nothing of it was written. A service
 * shedding thousands a second must not also write thousands of log lines: the counter ({@code customers.requests.shed})
 * says how many, and the log says so at most once per {@link #LOG_INTERVAL_NANOS}.
 */
@Component
class LoadShedding {

	private static final Log logger = LogFactory.getLog(LoadShedding.class);

	private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final Counter shed;

	private final AtomicLong nextLogAt = new AtomicLong(System.nanoTime());

	private final AtomicLong unlogged = new AtomicLong();

	LoadShedding(MeterRegistry registry) {
		this.shed = Counter.builder("customers.requests.shed")
			.description("Requests answered 503 because no database connection came within the pool's acquire limit")
			.register(registry);
	}

	void shed() {
		this.shed.increment();
		long count = this.unlogged.incrementAndGet();
		long now = System.nanoTime();
		long logAt = this.nextLogAt.get();
		if (now - logAt >= 0 && this.nextLogAt.compareAndSet(logAt, now + LOG_INTERVAL_NANOS)) {
			this.unlogged.addAndGet(-count);
			logger.warn("Shed " + count + " request(s) with 503: no database connection within the pool's acquire"
					+ " limit (spring.r2dbc.pool.max-acquire-time)");
		}
	}

}

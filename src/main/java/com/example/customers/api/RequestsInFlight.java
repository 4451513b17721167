package com.example.customers.api;

import java.time.Duration;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * At most {@code customers.max-requests-in-flight} requests are served at once; one more is refused at once with 503
 * and Retry-After (ApiErrorHandler), before its body is read and with nothing written. Requests waiting out the race
 * window hold no connection, so the pool's acquire limit sees only those queued for one: without this bound, ten
 * thousand simultaneous creates were all taken in, filled the heap, and most were shed only after seconds of waiting.
 * The bound is resilience4j's semaphore bulkhead, which never waits for a permit; its Reactor operator releases the
 * permit however the request ends (answer, error, or a client that hung up).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // after NoSniffHeader, ahead of anything that reads the request
class RequestsInFlight implements WebFilter {

	private final BulkheadOperator<Void> bound;

	private final Counter refused;

	RequestsInFlight(ApiProperties properties, MeterRegistry registry) {
		this.bound = BulkheadOperator.of(Bulkhead.of("requests-in-flight", BulkheadConfig.custom()
			.maxConcurrentCalls(properties.maxRequestsInFlightOrFromHeap(Runtime.getRuntime().maxMemory()))
			.maxWaitDuration(Duration.ZERO)
			.build()));
		this.refused = Counter.builder("customers.requests.refused")
			.description("Requests answered 503 at once because customers.max-requests-in-flight were being served")
			.register(registry);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return chain.filter(exchange)
			.transformDeferred(this.bound)
			.doOnError(RequestsInFlight::isRefusal, refusal -> this.refused.increment());
	}

	static boolean isRefusal(Throwable error) {
		return error instanceof BulkheadFullException;
	}

}

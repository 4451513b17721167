package com.example.customers.api;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The knobs of what a request may cost before the API turns it away.
 *
 * @param maxBodySize the largest request body accepted; a larger one gets 413 before it is read whole
 * @param bodyTimeout how long a request body may take to arrive; a client that sends less than it announced gets 408
 * @param headerTimeout how long a request's line and headers may take to arrive from its first byte; a client that
 * sends them slower (slowloris) gets 408 and its connection closed
 * @param maxRequestsInFlight how many requests are served at once; one more gets 503 at once. 0 (the default) sizes it
 * from the heap: one per {@value #HEAP_PER_REQUEST_IN_FLIGHT} bytes of the maximum heap (8,192 on the shipped 256 MiB)
 */
@ConfigurationProperties("customers")
public record ApiProperties(
		@DefaultValue("64KB") DataSize maxBodySize,
		@DefaultValue("10s") Duration bodyTimeout,
		@DefaultValue("10s") Duration headerTimeout,
		@DefaultValue("0") int maxRequestsInFlight) {

	/**
	 * The heap a request in flight is allowed: about twice what one waiting out the race window was measured to hold
	 * live (13.3 KB, bench/heap.sh, docs/benchmark.md#memory), for the garbage it makes meanwhile.
	 */
	static final long HEAP_PER_REQUEST_IN_FLIGHT = 32 * 1024;

	int maxRequestsInFlightOrFromHeap(long maxHeapBytes) {
		return (this.maxRequestsInFlight > 0) ? this.maxRequestsInFlight
				: (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxHeapBytes / HEAP_PER_REQUEST_IN_FLIGHT));
	}

}

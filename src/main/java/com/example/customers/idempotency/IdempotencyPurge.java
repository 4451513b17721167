package com.example.customers.idempotency;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes expired keys in the background, in small batches that skip rows other transactions hold, so that requests
 * never wait for it. Every instance runs it; they share the work, they do not conflict.
 */
@Component
class IdempotencyPurge implements SmartLifecycle {

	static final int BATCH = 1000;

	private static final Log logger = LogFactory.getLog(IdempotencyPurge.class);

	private final IdempotencyKeys keys;

	private final IdempotencyProperties properties;

	private volatile Disposable running;

	IdempotencyPurge(IdempotencyKeys keys, IdempotencyProperties properties) {
		this.keys = keys;
		this.properties = properties;
	}

	/** Deletes every expired key, batch after batch; the number deleted. */
	Mono<Long> purge() {
		return this.keys.purgeExpired(BATCH)
			.expand(deleted -> deleted == BATCH ? this.keys.purgeExpired(BATCH) : Mono.empty())
			.reduce(0L, Long::sum);
	}

	@Override
	public void start() {
		this.running = Flux.interval(this.properties.purgeInterval())
			.onBackpressureDrop()
			.concatMap(tick -> purge().onErrorResume(error -> {
				logger.warn("Purging expired idempotency keys failed; trying again later: " + error);
				return Mono.empty();
			}))
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
		this.running = null;
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

}

package com.example.customers.exactlyonce;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.example.customers.support.FaultProxy;

/**
 * Fires faults at the proxy at random moments, each kind in turn at random, the same sequence for the same seed.
 * Every fault ends by itself (black hole, latency) or hits one connection (cuts), so the service always recovers.
 */
final class FaultSchedule implements Runnable {

	enum Kind {

		RESET_ALL, BLACK_HOLE, LATENCY, CUT_AT_WRITE_REPLY, CUT_AFTER_SERVER_BYTES;

		/** Arms a cut that waits for traffic: only the proxy's count tells whether it happened. */
		boolean cuts() {
			return this == CUT_AT_WRITE_REPLY || this == CUT_AFTER_SERVER_BYTES;
		}

	}

	private final FaultProxy proxy;

	private final Random random;

	private final long endNanos;

	private final Map<Kind, Integer> fired = new EnumMap<>(Kind.class);

	private final List<Kind> kinds;

	FaultSchedule(FaultProxy proxy, long seed, Duration duration, List<Kind> kinds) {
		this.proxy = proxy;
		this.kinds = kinds;
		this.random = new Random(seed);
		this.endNanos = System.nanoTime() + duration.toNanos();
	}

	synchronized Map<Kind, Integer> fired() {
		return Map.copyOf(this.fired);
	}

	@Override
	public void run() {
		try {
			while (System.nanoTime() < this.endNanos) {
				Thread.sleep(300 + this.random.nextInt(1500));
				fire(this.kinds.get(this.random.nextInt(this.kinds.size())));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.proxy.heal();
		}
	}

	private void fire(Kind kind) throws InterruptedException {
		synchronized (this) {
			this.fired.merge(kind, 1, Integer::sum);
		}
		switch (kind) {
			case RESET_ALL -> this.proxy.resetAll();
			case BLACK_HOLE -> this.proxy.blackHole(Duration.ofMillis(500 + this.random.nextInt(6500)));
			case LATENCY -> {
				this.proxy.latency(Duration.ofMillis(20 + this.random.nextInt(300)));
				Thread.sleep(1000 + this.random.nextInt(2000));
				this.proxy.latency(Duration.ZERO);
			}
			case CUT_AT_WRITE_REPLY -> this.proxy.cutAtNextWriteReply();
			case CUT_AFTER_SERVER_BYTES -> this.proxy.cutAfterServerBytes(this.random.nextInt(20_000));
		}
	}

}

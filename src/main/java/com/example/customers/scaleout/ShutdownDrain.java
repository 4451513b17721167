package com.example.customers.scaleout;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The pause between "leave the load balancer" and "stop accepting connections". When the context starts to close,
 * Spring Boot turns readiness to REFUSING_TRAFFIC; a balancer that polls readiness needs a moment to notice. Without
 * this pause the web server's graceful shutdown closes its listening socket at once, and a connection the balancer
 * opened just before is reset after it sent its request, which for a POST it must not retry: a 502. Stopped first
 * (the highest phase), so the web server still serves during the pause. {@code customers.shutdown-drain}, 0 by default.
 */
@Component
class ShutdownDrain implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ShutdownDrain.class);

	private final Duration drain;

	private volatile boolean running;

	ShutdownDrain(ScaleOutProperties properties) {
		this.drain = properties.shutdownDrain();
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.drain.isZero() || this.drain.isNegative()) {
			return;
		}
		logger.info("Readiness is DOWN; serving " + this.drain.toMillis() + " ms more before shutting down "
				+ "(customers.shutdown-drain), so that the load balancer can take this instance out first");
		try {
			Thread.sleep(this.drain.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}

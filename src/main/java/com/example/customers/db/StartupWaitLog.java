package com.example.customers.db;

import java.time.Duration;

import org.apache.commons.logging.Log;

import org.springframework.core.NestedExceptionUtils;

/**
 * The "waiting for the database" lines of start-up: each says why, at most one every few seconds, however fast the
 * retries run, and the last cause is kept for the final message.
 */
final class StartupWaitLog {

	private static final Duration QUIET_PERIOD = Duration.ofSeconds(3);

	private final Log logger;

	private long lastLoggedNanos;

	private boolean loggedOnce;

	private String lastCause = "no attempt finished";

	private final String waitingFor;

	/** @param waitingFor how each line begins, such as "Waiting for the database" */
	StartupWaitLog(Log logger, String waitingFor) {
		this.logger = logger;
		this.waitingFor = waitingFor;
	}

	synchronized void failedAgain(Throwable error) {
		this.lastCause = describe(error);
		long now = System.nanoTime();
		if (!this.loggedOnce || now - this.lastLoggedNanos >= QUIET_PERIOD.toNanos()) {
			this.logger.info(this.waitingFor + ": " + this.lastCause);
			this.lastLoggedNanos = now;
			this.loggedOnce = true;
		}
	}

	synchronized String lastCause() {
		return this.lastCause;
	}

	private static String describe(Throwable error) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
		String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		return (cause == error) ? message : message + " (" + error.getClass().getSimpleName() + ")";
	}

}

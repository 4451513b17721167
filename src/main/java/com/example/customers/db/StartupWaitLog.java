package com.example.customers.db;

import java.time.Duration;

import com.example.customers.logging.ThrottledLog;
import org.apache.commons.logging.Log;

import org.springframework.core.NestedExceptionUtils;

/**
 * The "waiting for the database" lines of start-up: each says why, at most one every few seconds however fast the
 * retries run ({@link ThrottledLog}), and the last cause is kept for the final message.
 */
final class StartupWaitLog {

	private static final Duration QUIET_PERIOD = Duration.ofSeconds(3);

	private final ThrottledLog log;

	private final String waitingFor;

	private volatile String lastCause = "no attempt finished";

	/** @param waitingFor how each line begins, such as "Waiting for the database" */
	StartupWaitLog(Log logger, String waitingFor) {
		this.log = new ThrottledLog(logger, QUIET_PERIOD);
		this.waitingFor = waitingFor;
	}

	void failedAgain(Throwable error) {
		String cause = describe(error);
		this.lastCause = cause;
		this.log.info("waiting", () -> this.waitingFor + ": " + cause);
	}

	String lastCause() {
		return this.lastCause;
	}

	private static String describe(Throwable error) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
		String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		return (cause == error) ? message : message + " (" + error.getClass().getSimpleName() + ")";
	}

}

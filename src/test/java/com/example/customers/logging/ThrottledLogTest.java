package com.example.customers.logging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle on a clock the test moves: no test here waits, and none depends on the machine's speed. */
class ThrottledLogTest {

	private final AtomicLong now = new AtomicLong(1_000);

	private final List<String> written = new ArrayList<>();

	private final ThrottledLog log = new ThrottledLog(new Recording(this.written), Duration.ofSeconds(10), this.now::get);

	@Test
	void aBurstWritesItsFirstLineAtOnceAndThenOnePerIntervalCountingWhatItStandsFor() {
		for (int i = 0; i < 1000; i++) {
			this.log.warn("unavailable", () -> "Database unavailable");
		}
		advance(9_999);
		this.log.warn("unavailable", () -> "Database unavailable");
		advance(1);
		this.log.warn("unavailable", () -> "Database unavailable");
		advance(10_000);
		this.log.warn("unavailable", () -> "Database unavailable");

		assertThat(this.written).containsExactly("WARN Database unavailable",
				"WARN Database unavailable (1001 times since the last such line)", "WARN Database unavailable");
	}

	@Test
	void eachCauseHasItsOwnInterval() {
		this.log.warn("unavailable", () -> "Database unavailable");
		this.log.warn("unavailable", () -> "Database unavailable");
		this.log.info("abandoned", () -> "Could not free a claim");

		assertThat(this.written).containsExactly("WARN Database unavailable", "INFO Could not free a claim");
	}

	@Test
	void aLineNotWrittenIsNotBuilt() {
		this.log.info("abandoned", () -> "first");
		this.log.info("abandoned", () -> {
			throw new AssertionError("built although the throttle held it back");
		});

		assertThat(this.written).containsExactly("INFO first");
	}

	private void advance(long millis) {
		this.now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
	}

	/** Keeps each line with its level. */
	private static final class Recording extends NoOpLog {

		private final List<String> lines;

		Recording(List<String> lines) {
			this.lines = lines;
		}

		@Override
		public void warn(Object message) {
			this.lines.add("WARN " + message);
		}

		@Override
		public void info(Object message) {
			this.lines.add("INFO " + message);
		}

	}

}

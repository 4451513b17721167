package com.example.customers.logging;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;

/**
 * The service's one throttle for lines that a burst would repeat thousands of times (every request while the database
 * refuses connections, every client of a crowd that hangs up, every retry of a start-up that waits): the first line
 * of each cause is written at once, then at most one per interval, saying how many occurrences it stands for. Causes
 * are a small fixed set of names the callers choose (a kind of failure, an exception class), each with its own
 * interval, so one cause's flood never hides another's first line.
 */
public final class ThrottledLog {

	private final Log logger;

	private final long intervalNanos;

	private final LongSupplier nanoClock;

	private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

	public ThrottledLog(Log logger, Duration interval) {
		this(logger, interval, System::nanoTime);
	}

	ThrottledLog(Log logger, Duration interval, LongSupplier nanoClock) {
		this.logger = logger;
		this.intervalNanos = interval.toNanos();
		this.nanoClock = nanoClock;
	}

	public void warn(String cause, Supplier<String> line) {
		write(cause, line, this.logger::warn);
	}

	public void info(String cause, Supplier<String> line) {
		write(cause, line, this.logger::info);
	}

	private void write(String cause, Supplier<String> line, Consumer<Object> level) {
		long now = this.nanoClock.getAsLong();
		Window window = this.windows.computeIfAbsent(cause, any -> new Window(now));
		long occurrences = window.unwritten.incrementAndGet();
		long due = window.nextLineAt.get();
		if (now - due >= 0 && window.nextLineAt.compareAndSet(due, now + this.intervalNanos)) {
			window.unwritten.addAndGet(-occurrences);
			level.accept((occurrences == 1) ? line.get()
					: line.get() + " (" + occurrences + " times since the last such line)");
		}
	}

	private static final class Window {

		private final AtomicLong nextLineAt;

		private final AtomicLong unwritten = new AtomicLong();

		Window(long now) {
			this.nextLineAt = new AtomicLong(now);
		}

	}

}

package com.example.customers.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The log lines a test class provokes on purpose (the demo's 500 with the mapping off, the driver's connection
 * errors under injected faults, a start-up meant to fail), kept out of the build's output and held for the test to
 * assert. Only the named loggers are captured, and only while the class runs, so an unexpected ERROR anywhere else
 * still reaches the output, where CI fails on it. A green run prints no ERROR line.
 * <p>
 * Test classes run one after the other (no parallel execution is configured), so redirecting a logger for one class
 * hides nothing of another's.
 * <p>
 * A captured logger is not a blanket: each class says, with {@link #expecting}, which lines it provokes there, and
 * when the class ends any captured line that none of those describes fails it, so that a real error or leak in a
 * captured logger still shows.
 */
public final class ExpectedLogs implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, LoggerContextListener {

	/**
	 * What the driver and Netty log when the connection under a statement is cut or reset, as the fault proxy does on
	 * purpose: the driver's "Connection Error", Reactor's report of an error that arrived after its subscriber had
	 * gone, and Netty's leak report for a bound parameter that r2dbc-postgresql encoded into a buffer for a message
	 * that never went out (a driver leak under cut connections, not ours to fix here).
	 */
	public static final List<String> CUT_CONNECTIONS = List.of("io.r2dbc.postgresql.client.ReactorNettyClient",
			"reactor.core.publisher.Operators", "io.netty.util.ResourceLeakDetector");

	private final List<String> loggerNames;

	private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

	private final Map<Logger, Boolean> additivityBefore = new ConcurrentHashMap<>();

	private final List<Expected> expected;

	private ExpectedLogs(List<String> loggerNames, List<Expected> expected) {
		this.loggerNames = loggerNames;
		this.expected = expected;
		this.captured.setName("expected-logs");
	}

	/** A line the class provokes on purpose: from this logger, and its message starting so. */
	private record Expected(String loggerPrefix, String messagePrefix) {

		boolean describes(ILoggingEvent event) {
			return event.getLoggerName().startsWith(this.loggerPrefix)
					&& event.getFormattedMessage().startsWith(this.messagePrefix);
		}

	}

	/**
	 * What {@link #CUT_CONNECTIONS} holds when a connection is cut under its statements: the driver's "Connection
	 * Error", Reactor's dropped error, and Netty's leak report of a message that never went out.
	 */
	public ExpectedLogs expectingCutConnections() {
		return expecting("io.r2dbc.postgresql.client.ReactorNettyClient", "Connection Error")
			.expecting("reactor.core.publisher.Operators", "Operator called default onErrorDropped")
			.expecting("io.netty.util.ResourceLeakDetector", "LEAK: ");
	}

	/**
	 * The same captured loggers, with one more kind of line the class provokes on purpose: from a logger whose name
	 * starts with {@code logger}, with a message that starts with {@code message}.
	 */
	public ExpectedLogs expecting(Object logger, String message) {
		List<Expected> more = new ArrayList<>(this.expected);
		more.add(new Expected(logger instanceof Class<?> type ? type.getName() : logger.toString(), message));
		return new ExpectedLogs(this.loggerNames, List.copyOf(more));
	}

	/** Captures these loggers, by class, by name or by lists of names (a package name captures its loggers too). */
	public static ExpectedLogs from(Object... loggers) {
		return new ExpectedLogs(Stream.of(loggers)
			.flatMap(logger -> logger instanceof List<?> names ? names.stream() : Stream.of(logger))
			.map(logger -> logger instanceof Class<?> type ? type.getName() : logger.toString())
			.toList(), List.of());
	}

	/**
	 * What SpringApplication logs for instances a class starts itself, one of which must fail to start: the usual
	 * lines of a start, and "Application run failed".
	 */
	public static ExpectedLogs startsWhereOneFails() {
		String application = "org.springframework.boot.SpringApplication";
		return from(application).expecting(application, "Starting application")
			.expecting(application, "No active profile set")
			.expecting(application, "Started application")
			.expecting(application, "Application run failed");
	}

	/** Every captured event, oldest first. */
	public List<ILoggingEvent> events() {
		synchronized (this.captured.list) {
			return new ArrayList<>(this.captured.list);
		}
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
		this.captured.setContext(logging);
		logging.addListener(this);
		capture();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		capture();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		((LoggerContext) LoggerFactory.getILoggerFactory()).removeListener(this);
		this.additivityBefore.forEach((logger, additive) -> {
			logger.detachAppender(this.captured);
			logger.setAdditive(additive);
		});
		this.additivityBefore.clear();
		this.captured.stop();
		List<String> unexpected = events().stream()
			.filter(event -> this.expected.stream().noneMatch(expected -> expected.describes(event)))
			.map(event -> event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage())
			.toList();
		if (!unexpected.isEmpty()) {
			throw new AssertionError("Captured log lines that " + context.getDisplayName()
					+ " does not expect (say what it provokes with ExpectedLogs.expecting):\n  "
					+ String.join("\n  ", unexpected));
		}
	}

	/**
	 * Spring Boot configures logging afresh when an application context starts after another was closed, as the
	 * start-up tests do inside a test, and the reset stops and detaches every appender: capture again at once.
	 */
	@Override
	public void onReset(LoggerContext context) {
		capture();
	}

	@Override
	public boolean isResetResistant() {
		return true;
	}

	@Override
	public void onStart(LoggerContext context) {
	}

	@Override
	public void onStop(LoggerContext context) {
	}

	@Override
	public void onLevelChange(Logger logger, Level level) {
	}

	private void capture() {
		if (!this.captured.isStarted()) {
			this.captured.start();
		}
		for (String name : this.loggerNames) {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			this.additivityBefore.putIfAbsent(logger, logger.isAdditive());
			if (!logger.isAttached(this.captured)) {
				logger.addAppender(this.captured);
			}
			logger.setAdditive(false);
		}
	}

}

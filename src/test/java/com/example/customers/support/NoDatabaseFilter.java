package com.example.customers.support;

import java.util.Optional;

import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Without a database, every test class would fail on its own and bury the one useful line twenty times over. When
 * the run includes {@link TheTestsHaveADatabaseTest}, only that test runs, and its failure, in Maven's summary, says
 * what to do. A run of a few chosen classes keeps them: {@link DatabaseRequired} fails each at once with the same line.
 */
public class NoDatabaseFilter implements PostDiscoveryFilter {

	private static final String SENTINEL = TheTestsHaveADatabaseTest.class.getName();

	@Override
	public FilterResult apply(TestDescriptor descriptor) {
		if (!runIncludesSentinel(descriptor) || DatabaseForTests.problem().isEmpty()) {
			// The database is looked for only in a run that includes the sentinel: a run of unit tests (PIT's) needs none.
		return FilterResult.included("the tests have a database, or the run names its classes");
		}
		Optional<String> testClass = descriptor.getSource().flatMap(NoDatabaseFilter::className);
		return FilterResult.includedIf(testClass.isEmpty() || testClass.get().equals(SENTINEL), () -> "reports it",
				() -> "no database: only " + TheTestsHaveADatabaseTest.class.getSimpleName() + " runs");
	}

	private static boolean runIncludesSentinel(TestDescriptor descriptor) {
		TestDescriptor root = descriptor;
		while (root.getParent().isPresent()) {
			root = root.getParent().get();
		}
		return root.getDescendants()
			.stream()
			.anyMatch(any -> any.getSource().flatMap(NoDatabaseFilter::className).filter(SENTINEL::equals).isPresent());
	}

	private static Optional<String> className(TestSource source) {
		return (source instanceof ClassSource type) ? Optional.of(type.getClassName())
				: (source instanceof MethodSource method) ? Optional.of(method.getClassName()) : Optional.empty();
	}

}

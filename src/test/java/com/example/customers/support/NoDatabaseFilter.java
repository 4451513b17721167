package com.example.customers.support;

import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Without a database, a hundred tests would each fail on their application context and bury the one useful line.
 * Instead, only {@link TheTestsHaveADatabaseTest} runs, and its failure, at the end of the output, says what to do.
 */
public class NoDatabaseFilter implements PostDiscoveryFilter {

	@Override
	public FilterResult apply(TestDescriptor descriptor) {
		if (DatabaseForTests.problem().isEmpty()) {
			return FilterResult.included("the tests have a database");
		}
		String testClass = descriptor.getSource()
			.map(source -> (source instanceof ClassSource type) ? type.getClassName()
					: (source instanceof MethodSource method) ? method.getClassName() : null)
			.orElse(null);
		return FilterResult.includedIf(testClass == null || testClass.equals(TheTestsHaveADatabaseTest.class.getName()),
				() -> "runs", () -> "no database: only " + TheTestsHaveADatabaseTest.class.getSimpleName() + " runs");
	}

}

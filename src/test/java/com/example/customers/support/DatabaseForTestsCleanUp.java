package com.example.customers.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** When the test run ends, its schema is dropped (or its container stopped), leaving the database as found. */
public class DatabaseForTestsCleanUp implements LauncherSessionListener {

	@Override
	public void launcherSessionClosed(LauncherSession session) {
		DatabaseForTests.cleanUp();
	}

}

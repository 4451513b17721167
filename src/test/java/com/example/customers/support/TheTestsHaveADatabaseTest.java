package com.example.customers.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The one test that still runs when there is no database: its failure message is the way out. */
class TheTestsHaveADatabaseTest {

	@Test
	void theTestsHaveADatabase() {
		DatabaseForTests.problem().ifPresent(Assertions::fail);
	}

}

package com.example.customers.api;

import com.example.customers.support.ExpectedLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shed request is counted; the log says so once, not once per request (the next line may come ten seconds
 * later at the earliest, far beyond this test's few microseconds).
 */
class LoadSheddingTest {

	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from(LoadShedding.class)
		.expecting(LoadShedding.class, "Shed a request with 503");

	@Test
	void everyShedRequestIsCountedAndABurstLogsOneLine() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		LoadShedding shedding = new LoadShedding(registry);

		for (int i = 0; i < 1000; i++) {
			shedding.shed();
		}

		assertThat(registry.get("customers.requests.shed").counter().count()).isEqualTo(1000);
		assertThat(expectedLogs.events()).singleElement()
			.satisfies(logged -> assertThat(logged.getFormattedMessage()).startsWith("Shed a request with 503"));
	}

}

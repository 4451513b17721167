package com.example.customers.faults;

import java.util.List;
import java.util.function.Supplier;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.DatabaseForTests;
import com.example.customers.support.Parallel;
import com.example.customers.support.Reply;
import com.example.customers.support.ServiceInstance;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

import static com.example.customers.support.CustomerClient.uniqueLogins;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests in flight are bounded (customers.max-requests-in-flight): one past the bound is refused at once with 503
 * and Retry-After, before its body is read and with nothing written, instead of waiting its turn for a pooled
 * connection until it is shed late. Here the bound is 3 and each admitted create waits out a 5 s race window, so of
 * eight simultaneous creates of distinct logins three are created and five refused, and every refusal comes before
 * any 201. Once they are done, the bound admits again.
 */
class RequestsInFlightTest {

	private static final int BOUND = 3;

	private static final int CREATES = 8;

	@Test
	void requestsPastTheBoundAre503AtOnceAndWriteNothing() {
		try (ConfigurableApplicationContext service = ServiceInstance.start(DatabaseForTests.located().options(),
				"--customers.max-requests-in-flight=" + BOUND, "--customers.race-window=5s")) {
			CustomerClient client = ServiceInstance.client(service);
			List<String> logins = uniqueLogins("in-flight", CREATES);

			List<Timed> answers = Parallel.run(CREATES, i -> Timed.of(() -> client.create(logins.get(i))));

			List<Timed> created = answers.stream().filter(answer -> answer.reply().status() == 201).toList();
			List<Timed> refused = answers.stream().filter(answer -> answer.reply().status() != 201).toList();
			assertThat(created).as("admitted and created").hasSize(BOUND);
			assertThat(refused).as("refused").hasSize(CREATES - BOUND).allSatisfy(answer -> {
				assertThat(answer.reply().status()).isEqualTo(503);
				assertThat(answer.reply().body()).isEqualTo("{\"detail\":\"Service temporarily unavailable.\"}");
				assertThat(answer.reply().headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
				assertThat(answer.reply().headers().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
			});
			long firstCreated = created.stream().mapToLong(Timed::answeredNanos).min().orElseThrow();
			assertThat(refused).as("refused before any admitted create was answered")
				.allMatch(answer -> answer.answeredNanos() < firstCreated);
			assertThat(logins.stream().filter(login -> client.listBody().contains("\"" + login + "\"")))
				.as("rows written").hasSize(BOUND);
			assertThat(client.get("/api/").status()).as("admitted again once they are done").isEqualTo(200);
		}
	}

	private record Timed(Reply reply, long answeredNanos) {

		static Timed of(Supplier<Reply> call) {
			Reply reply = call.get();
			return new Timed(reply, System.nanoTime());
		}

	}

}

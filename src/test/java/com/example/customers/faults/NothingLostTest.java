package com.example.customers.faults;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.Parallel;
import com.example.customers.support.RawHttp;
import com.example.customers.support.Reply;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.LOGIN_TAKEN;
import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both sides compared after a concurrent run in which some clients hang up at random moments: every login has its
 * row, every 201 names that row, no login gets two 201s, and every other answer is the duplicate's 400. A row nobody
 * was told about exists only where a client hung up after its insert finished.
 */
@ServiceTest
class NothingLostTest {

	private static final int LOGINS = 20;

	private static final int PATIENT_CLIENTS_PER_LOGIN = 6;

	private static final int IMPATIENT_CLIENTS_PER_LOGIN = 3;

	private final CustomerClient client;

	private final RawHttp raw;

	private final DatabaseClient db;

	@Autowired
	NothingLostTest(WebTestClient http, DatabaseClient db, @LocalServerPort int port) {
		this.client = new CustomerClient(http);
		this.raw = new RawHttp(port);
		this.db = db;
	}

	@Test
	void everyAnswerMatchesTheTableAfterAConcurrentRunWithAbandonedRequests() {
		String prefix = uniqueLogin("lost") + "-";
		List<String> logins = IntStream.range(0, LOGINS).mapToObj(i -> prefix + i).toList();
		int perLogin = PATIENT_CLIENTS_PER_LOGIN + IMPATIENT_CLIENTS_PER_LOGIN;
		Random random = new Random();
		AtomicInteger hungUpUnanswered = new AtomicInteger();

		List<Reply> replies = Parallel.run(LOGINS * perLogin, i -> {
			String login = logins.get(i % LOGINS);
			if (i / LOGINS < IMPATIENT_CLIENTS_PER_LOGIN) {
				if (this.raw.sendAndHangUp(
						RawHttp.post("/api/customer/", "application/json", loginJson(login).getBytes()),
						random.nextInt(1000))) {
					hungUpUnanswered.incrementAndGet();
				}
				return null;
			}
			return this.client.create(login);
		});

		List<Reply> answered = replies.stream().filter(reply -> reply != null).toList();
		assertThat(answered).noneMatch(Reply::isServerError);
		assertThat(answered).filteredOn(reply -> reply.status() != 201)
			.as("every answer but a 201 is the duplicate's 400")
			.allSatisfy(refused -> assertThat(refused).extracting(Reply::status, Reply::body)
				.containsExactly(400, LOGIN_TAKEN));
		Map<String, Long> idsTold = answered.stream()
			.filter(reply -> reply.status() == 201)
			.collect(Collectors.toMap(reply -> reply.body().replaceAll(".*\"login\":\"([^\"]*)\".*", "$1"),
					CustomerClient::idOf, (one, another) -> {
						throw new AssertionError("two 201s for one login: " + one + " and " + another);
					}));
		Map<String, Long> ids = idsPerLogin(prefix);
		assertThat(ids.keySet()).as("every login has its row: six patient clients each").containsExactlyInAnyOrderElementsOf(logins);
		assertThat(ids).as("every 201 names its login's row").containsAllEntriesOf(idsTold);
		// Hang-ups spread over a second, across a 500 ms race window: some must come before their answer, or the run
		// abandoned nothing.
		assertThat(hungUpUnanswered.get()).as("clients that hung up before their answer").isPositive();
		System.out.printf("nothing lost: %d logins, %d answered 201, %d rows for clients that hung up, %d of %d"
				+ " impatient clients hung up before their answer%n", LOGINS, idsTold.size(), ids.size() - idsTold.size(),
				hungUpUnanswered.get(), LOGINS * IMPATIENT_CLIENTS_PER_LOGIN);
	}

	/** Login to id; the unique constraint allows one row per login, so none is overwritten. */
	private Map<String, Long> idsPerLogin(String prefix) {
		return this.db.sql("SELECT login, id FROM customer WHERE login LIKE $1")
			.bind(0, prefix + "%")
			.map(row -> Map.entry(row.get(0, String.class), row.get(1, Long.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.block();
	}

}

package com.example.customers.faults;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.example.customers.customer.CustomerRepository;
import com.example.customers.customer.CustomersProperties;
import com.example.customers.support.CustomerClient;
import com.example.customers.support.ExpectedLogs;
import com.example.customers.support.RawHttp;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;

/**
 * A client that hangs up during the race window has abandoned its request: the cancellation travels up the chain and
 * the insert never runs, so nothing is written that nobody was told about. The repository is watched, not changed,
 * so that the test knows the request passed the existence check, and so is inside its window, before it hangs up.
 */
@ServiceTest
class ClientGivesUpTest {

	/** The error handler's lines, every one of which fails the class. */
	@RegisterExtension
	static final ExpectedLogs expectedLogs = ExpectedLogs.from("com.example.customers.api.ApiErrorHandler");

	/** How long after the hang-up the table is watched, in race windows: a write that ignored it would land in it. */
	private static final int WINDOWS_WATCHED = 6;

	private final RawHttp raw;

	private final Rows rows;

	private final Duration raceWindow;

	@MockitoSpyBean
	private CustomerRepository customers;

	@Autowired
	ClientGivesUpTest(DatabaseClient db, @LocalServerPort int port, CustomersProperties properties) {
		this.raw = new RawHttp(port);
		this.rows = new Rows(db);
		this.raceWindow = properties.raceWindow();
	}

	@Test
	void aClientThatDisconnectsDuringTheRaceWindowCancelsItsCreate() throws Exception {
		String login = uniqueLogin("gave-up");
		CompletableFuture<Boolean> checked = new CompletableFuture<>();
		doAnswer(call -> ((Mono<?>) call.callRealMethod()).doOnNext(taken -> checked.complete((Boolean) taken)))
			.when(this.customers)
			.existsByLogin(eq(login));

		try (Socket client = this.raw.sendAndHold(create(login))) {
			assertThat(checked.get(30, TimeUnit.SECONDS)).as("the login was taken at the check").isFalse();
		}

		long watchUntil = System.nanoTime() + this.raceWindow.multipliedBy(WINDOWS_WATCHED).toNanos();
		while (System.nanoTime() < watchUntil) {
			assertThat(this.rows.withLogin(login)).as("rows for the abandoned create").isZero();
			LockSupport.parkNanos(this.raceWindow.toNanos() / 10);
		}
		assertThat(this.rows.withLogin(login)).as("rows for the abandoned create").isZero();
	}

	/**
	 * A client that hangs up in the middle of its body leaves no one to answer, and is no failure of the service: no
	 * ERROR line (CI fails on one), where the error handler once logged "Unexpected failure" with the stack trace.
	 */
	@Test
	void aClientThatHangsUpInTheMiddleOfItsBodyIsNoServerError() throws Exception {
		long id = CustomerClient.idOf(this.raw.exchange(create(uniqueLogin("updated-by-a-quitter"))));
		String update = "PUT /api/customer/" + id + "/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Content-Length: 1000\r\n\r\n{\"login\":";
		try (Socket client = this.raw.sendAndHold(update)) {
			Thread.sleep(200); // the handler is reading the body
		}

		long watchUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		while (System.nanoTime() < watchUntil && expectedLogs.events().isEmpty()) {
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
		assertThat(expectedLogs.events()).as("lines the error handler logged").isEmpty();
	}

	@Test
	void aClientThatWaitsForItsAnswerGetsItsRow() {
		String login = uniqueLogin("stayed");

		Reply reply = this.raw.exchange(create(login));

		assertThat(reply.status()).isEqualTo(201);
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	private static String create(String login) {
		return RawHttp.post("/api/customer/", "application/json", loginJson(login).getBytes(StandardCharsets.UTF_8));
	}

}

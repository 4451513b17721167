package com.example.customers.faults;

import com.example.customers.support.RawHttp;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;

import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that hangs up during the race window has abandoned its request: the cancellation travels up the chain and
 * the insert never runs, so nothing is written that nobody was told about.
 */
@ServiceTest
class ClientGivesUpTest {

	private static final long RACE_WINDOW_MILLIS = 500;

	private final RawHttp raw;

	private final Rows rows;

	@Autowired
	ClientGivesUpTest(DatabaseClient db, @LocalServerPort int port) {
		this.raw = new RawHttp(port);
		this.rows = new Rows(db);
	}

	@Test
	void aClientThatDisconnectsDuringTheRaceWindowCancelsItsCreate() throws InterruptedException {
		String login = uniqueLogin("gave-up");

		this.raw.sendAndHangUp(create(login), 100);
		Thread.sleep(RACE_WINDOW_MILLIS * 3);

		assertThat(this.rows.withLogin(login)).isZero();
	}

	@Test
	void aClientThatWaitsOutTheRaceWindowGetsItsRow() throws InterruptedException {
		String login = uniqueLogin("stayed");

		this.raw.sendAndHangUp(create(login), RACE_WINDOW_MILLIS * 3);

		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	private static String create(String login) {
		return RawHttp.post("/api/customer/", "application/json",
				loginJson(login).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

}

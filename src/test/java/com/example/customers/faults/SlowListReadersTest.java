package com.example.customers.faults;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.ManyCustomers;
import com.example.customers.support.Parallel;
import com.example.customers.support.RawHttp;
import com.example.customers.support.Reply;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.uniqueLogins;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that start reading a long list and then stop must not hold the pool's connections: with a pool of two and
 * twelve such readers stalled on a 200,000-row list, creates beside them still get their 201.
 */
@ServiceTest
@TestPropertySource(properties = { "spring.r2dbc.pool.initial-size=1", "spring.r2dbc.pool.max-size=2" })
class SlowListReadersTest {

	private static final int ROWS = 200_000;

	private static final int STALLED_READERS = 12;

	private static final int CREATES = 5;

	private final CustomerClient client;

	private final DatabaseClient db;

	private final RawHttp raw;

	@Autowired
	SlowListReadersTest(WebTestClient http, DatabaseClient db, @LocalServerPort int port) {
		this.client = new CustomerClient(http);
		this.db = db;
		this.raw = new RawHttp(port);
	}

	@Test
	void readersThatStopReadingTheListHoldNoConnectionFromTheCreatesBesideThem() throws IOException {
		List<Socket> readers = new ArrayList<>();
		try (ManyCustomers list = ManyCustomers.insert(this.db, "slow-reader", ROWS)) {
			for (int i = 0; i < STALLED_READERS; i++) {
				Socket reader = this.raw.sendAndHold(RawHttp.get("/api/customer/"), 16 * 1024);
				readers.add(reader);
				assertThat(head(reader)).as("the list's answer").startsWith("HTTP/1.1 200 ");
			}

			List<String> logins = uniqueLogins("beside-slow-readers", CREATES);
			List<Reply> creates = Parallel.run(CREATES, i -> this.client.create(logins.get(i)));

			assertThat(creates).extracting(Reply::status).containsOnly(201);
		}
		finally {
			for (Socket reader : readers) {
				reader.close();
			}
		}
	}

	/** The status line and headers, read a byte at a time; nothing of the body. */
	private static String head(Socket socket) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = socket.getInputStream().read();
			if (b < 0) {
				break;
			}
			head.append((char) b);
		}
		return head.toString();
	}

}

package com.example.customers.customer;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doAnswer;

/**
 * The list is streamed from the database a page at a time: its answer begins while the rows are still being read, and
 * a client that stops reading stops the reading, so the table is never held in memory. The repository is watched, not
 * changed, to see when its stream of rows ends. The benchmark gives the memory figure; this shows the mechanism.
 */
@ServiceTest
class ListStreamingTest {

	/** About 11 MB of JSON: more than the kernel's send buffer (at most 4 MB here) and our 16 KB receive buffer hold. */
	private static final int ROWS = 200_000;

	private static final int RECEIVE_BUFFER_BYTES = 16 * 1024;

	private final WebTestClient http;

	private final DatabaseClient db;

	private final int port;

	@MockitoSpyBean
	private CustomerRepository customers;

	@Autowired
	ListStreamingTest(WebTestClient http, DatabaseClient db, @LocalServerPort int port) {
		this.http = http.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024)).build();
		this.db = db;
		this.port = port;
	}

	@Test
	void theListIsSentWhileItsRowsAreReadAndAClientThatStopsReadingStopsTheReading() throws Exception {
		String prefix = "stream-" + System.nanoTime() + "-";
		this.db.sql("INSERT INTO customer (login) SELECT $1 || n FROM generate_series(1, " + ROWS + ") AS n")
			.bind(0, prefix)
			.then()
			.block();
		try {
			CompletableFuture<SignalType> rowsEnded = new CompletableFuture<>();
			doAnswer(call -> ((Flux<?>) call.callRealMethod()).doFinally(rowsEnded::complete)).when(this.customers)
				.findAll();

			try (Socket client = new Socket()) {
				client.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
				client.connect(new InetSocketAddress("127.0.0.1", this.port));
				client.setSoTimeout(30_000);
				client.getOutputStream()
					.write("GET /api/customer/ HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
				String start = firstBytes(client.getInputStream(), RECEIVE_BUFFER_BYTES);

				assertThat(start).startsWith("HTTP/1.1 200 ");
				String head = start.substring(0, start.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
				assertThat(head).contains("transfer-encoding: chunked").doesNotContain("content-length");
				assertThat(rowsEnded).as("the rows, when the answer began").isNotDone();
				// The service fills what the buffers between us hold, then must wait for us.
				Thread.sleep(1000);
				assertThat(rowsEnded).as("the rows, while the client does not read").isNotDone();
			}
			assertThat(rowsEnded.get(30, TimeUnit.SECONDS)).as("how the rows ended when the client left")
				.isEqualTo(SignalType.CANCEL);

			String list = this.http.get().uri("/api/customer/").exchange()
				.expectStatus().isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(list.split("\"login\":\"" + prefix, -1)).as("our rows in the list").hasSize(ROWS + 1);
		}
		finally {
			this.db.sql("DELETE FROM customer WHERE login LIKE $1").bind(0, prefix + "%").then().block();
		}
	}

	private static String firstBytes(InputStream in, int count) throws java.io.IOException {
		return new String(in.readNBytes(count), StandardCharsets.ISO_8859_1);
	}

}

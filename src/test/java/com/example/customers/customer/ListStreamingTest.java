package com.example.customers.customer;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.example.customers.support.ManyCustomers;
import com.example.customers.support.RawHttp;
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

	private final RawHttp raw;

	@MockitoSpyBean
	private CustomerRepository customers;

	@Autowired
	ListStreamingTest(WebTestClient http, DatabaseClient db, @LocalServerPort int port) {
		this.http = http.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024)).build();
		this.db = db;
		this.raw = new RawHttp(port);
	}

	@Test
	void theListIsSentWhileItsRowsAreReadAndAClientThatStopsReadingStopsTheReading() throws Exception {
		try (ManyCustomers many = ManyCustomers.insert(this.db, "stream", ROWS)) {
			CompletableFuture<SignalType> rowsEnded = new CompletableFuture<>();
			doAnswer(call -> ((Flux<?>) call.callRealMethod()).doFinally(rowsEnded::complete)).when(this.customers)
				.findAll();

			try (Socket client = this.raw.sendAndHold(RawHttp.get("/api/customer/"), RECEIVE_BUFFER_BYTES)) {
				String start = new String(client.getInputStream().readNBytes(RECEIVE_BUFFER_BYTES),
						StandardCharsets.ISO_8859_1);

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
			assertThat(list.split("\"login\":\"" + many.prefix(), -1)).as("our rows in the list").hasSize(ROWS + 1);
		}
	}

}

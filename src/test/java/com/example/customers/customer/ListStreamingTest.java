package com.example.customers.customer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list is streamed row by row from the database: it is sent in chunks, with no Content-Length, which a body
 * built in memory first would have. The benchmark gives the memory figure; this shows the shape.
 */
@ServiceTest
class ListStreamingTest {

	private static final int ROWS = 100_000;

	private final WebTestClient http;

	private final DatabaseClient db;

	@Autowired
	ListStreamingTest(WebTestClient http, DatabaseClient db) {
		this.http = http;
		this.db = db;
	}

	@Test
	void aListOfAHundredThousandCustomersIsStreamedInChunks() {
		String prefix = "stream-" + System.nanoTime() + "-";
		this.db.sql("INSERT INTO customer (login) SELECT $1 || n FROM generate_series(1, " + ROWS + ") AS n")
			.bind(0, prefix)
			.then()
			.block();
		try {
			FluxExchangeResult<DataBuffer> result = this.http.get().uri("/api/customer/").exchange()
				.expectStatus().isOk()
				.returnResult(DataBuffer.class);
			AtomicLong chunks = new AtomicLong();
			StringBuilder body = new StringBuilder();
			result.getResponseBody().doOnNext(buffer -> {
				chunks.incrementAndGet();
				body.append(buffer.toString(StandardCharsets.UTF_8));
				DataBufferUtils.release(buffer);
			}).blockLast();

			assertThat(result.getResponseHeaders().getContentLength()).as("Content-Length").isEqualTo(-1);
			assertThat(chunks.get()).as("chunks").isGreaterThan(10);
			assertThat(body.toString().split("\"login\":\"" + prefix, -1)).as("our rows in the list").hasSize(ROWS + 1);
		}
		finally {
			this.db.sql("DELETE FROM customer WHERE login LIKE $1").bind(0, prefix + "%").then().block();
		}
	}

}

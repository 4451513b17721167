package com.example.customers.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Clients that hold connections without finishing anything: headers sent a byte at a time (slowloris), keep-alive
 * connections left idle, a thousand connections that send nothing. Each is answered or closed within its bound, and
 * the service keeps answering everyone else. The bounds are short here (1 s for headers, 2 s idle) so that the test
 * is quick; a read that waits 30 s for them is a failure, whatever the machine's speed.
 */
@ServiceTest
@TestPropertySource(properties = { "customers.header-timeout=1s", "server.netty.idle-timeout=2s" })
class SlowClientsTest {

	private static final int READ_PATIENCE_MILLIS = 30_000;

	private final CustomerClient client;

	private final int port;

	@Autowired
	SlowClientsTest(WebTestClient http, @LocalServerPort int port) {
		this.client = new CustomerClient(http);
		this.port = port;
	}

	@Test
	void headersSentAByteAtATimeGet408AndAClosedConnectionWhileOthersAreServed() throws Exception {
		byte[] head = ("GET /api/customer/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "s".repeat(200) + "\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		// A thread each for the writer and the reader: the common pool may have one thread only (two cores), and the
		// reader must not wait behind the writer's 20 seconds.
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try (Socket slow = connect()) {
			AtomicInteger sent = new AtomicInteger();
			CompletableFuture.runAsync(() -> trickle(slow, head, Duration.ofMillis(100), sent), threads);
			// Read from the start, as a client would: the answer lingers for a bounded time only, and a reader that
			// begins after the service has closed meets a reset, however fast the machine.
			CompletableFuture<String> answered = CompletableFuture.supplyAsync(() -> readUntilClosed(slow), threads);

			assertThat(this.client.get("/api/").status()).as("another client, meanwhile").isEqualTo(200);
			String answer = joinAsserting(answered);

			assertThat(answer).startsWith("HTTP/1.1 408 ")
				.contains("content-type: application/json")
				.endsWith("{\"detail\":\"Request headers were not received in time.\"}");
			assertThat(sent.get()).as("bytes of the headers sent by then, of " + head.length).isLessThan(head.length);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void aKeepAliveConnectionLeftIdleIsClosed() throws Exception {
		try (Socket idle = connect()) {
			idle.getOutputStream()
				.write("GET /api/ HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

			assertThat(readUntilClosed(idle)).as("the answer, then the close")
				.startsWith("HTTP/1.1 200 ");
		}
	}

	@Test
	void aThousandConnectionsThatSendNothingLeaveTheServiceAnswering() throws Exception {
		List<Socket> silent = new ArrayList<>();
		try {
			for (int i = 0; i < 1000; i++) {
				silent.add(connect());
			}

			assertThat(this.client.create(CustomerClient.uniqueLogin("beside-silent")).status()).isEqualTo(201);
		}
		finally {
			for (Socket socket : silent) {
				socket.close();
			}
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket("127.0.0.1", this.port);
		socket.setSoTimeout(READ_PATIENCE_MILLIS);
		return socket;
	}

	/** The reader's answer; its failed assertion stays a failed assertion. */
	private static String joinAsserting(CompletableFuture<String> reader) {
		try {
			return reader.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof AssertionError failed) {
				throw failed;
			}
			throw ex;
		}
	}

	/** Sends the bytes one at a time, never the blank line that would end the headers; stops when cut off. */
	private static void trickle(Socket socket, byte[] bytes, Duration pause, AtomicInteger sent) {
		try {
			OutputStream out = socket.getOutputStream();
			for (byte b : bytes) {
				out.write(b);
				out.flush();
				sent.incrementAndGet();
				LockSupport.parkNanos(pause.toNanos());
			}
		}
		catch (IOException cutOff) {
			// The service closed the connection: what the test waits for.
		}
	}

	/**
	 * Everything until the service closes the connection. A read that times out, or a connection reset before the
	 * answer was read, is what these tests exist to catch: a failed assertion, not an error of the test's own.
	 */
	private static String readUntilClosed(Socket socket) {
		try {
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		catch (SocketTimeoutException ex) {
			return fail("the service neither answered nor closed the connection within %d ms", READ_PATIENCE_MILLIS);
		}
		catch (IOException ex) {
			return fail("the connection failed before its answer was read", ex);
		}
	}

}

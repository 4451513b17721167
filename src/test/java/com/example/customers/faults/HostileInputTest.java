package com.example.customers.faults;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.RawHttp;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.idOf;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/** Hostile input gets a 4xx with a JSON body, and leaves the table as it was. */
@ServiceTest
class HostileInputTest {

	private final CustomerClient client;

	private final RawHttp raw;

	private final Rows rows;

	private long rowsBefore;

	@Autowired
	HostileInputTest(WebTestClient http, DatabaseClient db, @LocalServerPort int port) {
		this.client = new CustomerClient(http);
		this.raw = new RawHttp(port);
		this.rows = new Rows(db);
	}

	@BeforeEach
	void countRows() {
		this.rowsBefore = this.rows.total();
	}

	@AfterEach
	void tableIsUnchanged() {
		assertThat(this.rows.total()).as("rows after hostile input").isEqualTo(this.rowsBefore);
	}

	@Test
	void invalidUtf8InTheBodyIsAParseError() {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes("{\"login\":\"a".getBytes(StandardCharsets.UTF_8));
		body.write(0xFF);
		body.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));

		Reply reply = this.raw.exchange(RawHttp.post("/api/customer/", "application/json", body.toByteArray()));

		assertClientErrorInJson(reply, 400);
		assertThat(reply.body()).startsWith("{\"detail\":\"JSON parse error - ");
	}

	@Test
	void jsonNestedTenThousandLevelsDeepIsAParseError() {
		String nested = "[".repeat(10_000) + "]".repeat(10_000);

		Reply reply = this.client.send(HttpMethod.POST, "/api/customer/", "{\"login\":" + nested + "}");

		assertClientErrorInJson(reply, 400);
		assertThat(reply.body()).startsWith("{\"detail\":\"JSON parse error - Document nesting depth");
	}

	@Test
	void aNumberOfFiveThousandDigitsIsAParseError() {
		Reply reply = this.client.send(HttpMethod.POST, "/api/customer/", "{\"login\":" + "9".repeat(5000) + "}");

		assertClientErrorInJson(reply, 400);
		assertThat(reply.body()).startsWith("{\"detail\":\"JSON parse error - Number value length");
	}

	@Test
	void aNumberOfThreeHundredDigitsIsTooLongALogin() {
		Reply reply = this.client.send(HttpMethod.POST, "/api/customer/", "{\"login\":" + "9".repeat(300) + "}");

		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.body()).isEqualTo("{\"login\":[\"Ensure this field has no more than 255 characters.\"]}");
	}

	@Test
	void aVeryLongPathIsRefusedInJson() {
		Reply reply = this.raw.exchange("GET /api/customer/" + "1".repeat(20_000) + "/ HTTP/1.1\r\nHost: localhost\r\n\r\n");

		assertClientErrorInJson(reply, 414);
		assertThat(reply.body()).isEqualTo("{\"detail\":\"Request line too long.\"}");
	}

	@Test
	void aLongButAcceptablePathIsNotFound() {
		assertThat(this.client.get("/api/customer/" + "1".repeat(3000) + "/").status()).isEqualTo(404);
	}

	@Test
	void headersOverTheLimitAreRefusedInJson() {
		Reply reply = this.raw.exchange("GET /api/ HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");

		assertClientErrorInJson(reply, 431);
		assertThat(reply.body()).isEqualTo("{\"detail\":\"Request header fields too large.\"}");
	}

	@Test
	void aRequestLineThatIsNotHttpIsRefusedInJson() {
		Reply reply = this.raw.exchange("GARBAGE\r\n\r\n");

		assertClientErrorInJson(reply, 400);
		assertThat(reply.body()).isEqualTo("{\"detail\":\"Malformed request.\"}");
	}

	/**
	 * A refusal that closes the connection while more of the client's bytes are on their way (here a pipelined second
	 * request with a body) must still reach the client: closing with unread input makes the kernel send a reset, which
	 * destroys an answer not yet read. The service lingers instead (api/LingeringCloses).
	 */
	@Test
	void aRefusalThatClosesTheConnectionReachesAClientStillSending() {
		String answer;
		try {
			answer = this.raw.exchangeUntilClosed("GET /api/?a=%ZZ HTTP/1.1\r\nHost: localhost\r\n\r\n"
					+ "PUT /api/customer/1/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: 65536\r\n\r\n" + "x".repeat(65_536));
		}
		catch (UncheckedIOException reset) {
			throw new AssertionError("the 400 was lost to " + reset.getCause(), reset);
		}

		assertThat(answer).startsWith("HTTP/1.1 400 ").endsWith("{\"detail\":\"Malformed request.\"}");
	}

	/**
	 * An answer given before the body was read (a PUT to a customer that does not exist is 404 whatever its body says)
	 * on a connection the client asked to close: the service reads the rest of the body before it closes, or the
	 * kernel's reset for those unread bytes destroys the 404 the client has not read yet.
	 */
	@Test
	void anAnswerGivenBeforeTheBodyWasReadReachesAClientThatAskedToClose() {
		String body = "{\"login\":\"" + "x".repeat(2_048) + "\"}";
		String answer;
		try {
			answer = this.raw.exchangeUntilClosed("PUT /api/customer/9223372036854775807/ HTTP/1.1\r\nHost: localhost\r\n"
					+ "Connection: close\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
					+ "\r\n\r\n" + body);
		}
		catch (UncheckedIOException reset) {
			throw new AssertionError("the 404 was lost to " + reset.getCause(), reset);
		}

		assertThat(answer).startsWith("HTTP/1.1 404 ").endsWith("{\"detail\":\"Not found.\"}");
	}

	@Test
	void aNulInThePathIsNotFound() {
		Reply reply = this.raw.exchange("GET /api/customer/%00/ HTTP/1.1\r\nHost: localhost\r\n\r\n");

		assertClientErrorInJson(reply, 404);
		assertThat(reply.body()).isEqualTo("{\"detail\":\"Not found.\"}");
	}

	@Test
	void anInvalidPercentEncodingInThePathIsRefusedInJson() {
		Reply reply = this.raw.exchange("GET /api/customer/%zz/ HTTP/1.1\r\nHost: localhost\r\n\r\n");

		assertClientErrorInJson(reply, 400);
		assertThat(reply.body()).isEqualTo("{\"detail\":\"Malformed request.\"}");
	}

	@Test
	void aLoginThatLooksLikeSqlIsStoredAndReturnedLiterally() {
		String login = "'); DROP TABLE customer; -- " + uniqueLogin("sql");

		Reply created = this.client.create(login);

		assertThat(created.status()).isEqualTo(201);
		assertThat(this.client.get("/api/customer/" + idOf(created) + "/").body())
			.isEqualTo("{\"id\":" + idOf(created) + ",\"login\":\"" + login + "\"}");
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
		this.rowsBefore++;
	}

	private static void assertClientErrorInJson(Reply reply, int status) {
		assertThat(reply.status()).as("status of %s", reply).isEqualTo(status);
		assertThat(reply.headers().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(reply.headers().getFirst("X-Content-Type-Options")).as("a browser must not sniff it")
			.isEqualTo("nosniff");
	}

}

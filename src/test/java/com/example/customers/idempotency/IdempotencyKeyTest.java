package com.example.customers.idempotency;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.Duplicates;
import com.example.customers.support.Parallel;
import com.example.customers.support.RawHttp;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/customer/ with an Idempotency-Key: a retry gets its own answer back, never "already exists". */
@ServiceTest
class IdempotencyKeyTest {

	private final WebTestClient http;

	private final DatabaseClient db;

	private final Rows rows;

	private final Duplicates duplicates;

	private final IdempotencyPurge purge;

	private final IdempotencyKeys keys;

	private final RawHttp raw;

	@Autowired
	IdempotencyKeyTest(WebTestClient http, DatabaseClient db, MeterRegistry registry, IdempotencyPurge purge,
			IdempotencyKeys keys, @LocalServerPort int port) {
		this.raw = new RawHttp(port);
		this.keys = keys;
		this.http = http;
		this.db = db;
		this.rows = new Rows(db);
		this.duplicates = new Duplicates(registry);
		this.purge = purge;
	}

	@Test
	void aRetryAfterSuccessReplaysTheSame201AndBodyWithoutASecondInsert() {
		String key = newKey();
		String login = uniqueLogin("idem");
		Reply first = post(key, loginJson(login));
		double duplicatesBefore = this.duplicates.caughtBy("check") + this.duplicates.caughtBy("constraint");

		Reply retry = post(key, loginJson(login));

		assertThat(first.status()).isEqualTo(201);
		assertThat(first.headers().getFirst(IdempotentRequests.REPLAYED)).isNull();
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(retry.headers().getLocation()).isEqualTo(first.headers().getLocation());
		assertThat(retry.headers().getFirst(IdempotentRequests.REPLAYED)).isEqualTo("true");
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
		assertThat(this.duplicates.caughtBy("check") + this.duplicates.caughtBy("constraint"))
			.as("the retry never reached the existence check or the insert").isEqualTo(duplicatesBefore);
	}

	@Test
	void twentySimultaneousRequestsWithOneKeyCreateOnceAndTheOthersConflictOrReplay() {
		String key = newKey();
		String login = uniqueLogin("idem-race");

		List<Reply> replies = Parallel.run(20, i -> post(key, loginJson(login)));

		assertThat(replies).filteredOn(reply -> reply.status() == 201 && reply.headers().getFirst(IdempotentRequests.REPLAYED) == null)
			.hasSize(1);
		assertThat(replies).filteredOn(reply -> reply.status() == 409)
			.as("requests that came while the first held the key through its race window").isNotEmpty();
		Reply created = replies.stream().filter(reply -> reply.status() == 201).findFirst().orElseThrow();
		assertThat(replies).allSatisfy(reply -> {
			if (reply.status() == 409) {
				assertThat(reply.body()).isEqualTo(CustomerClient.KEY_IN_PROGRESS);
			}
			else {
				assertThat(reply.status()).isEqualTo(201);
				assertThat(reply.body()).isEqualTo(created.body());
			}
		});
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	/**
	 * The commonest retry there is: a client times out inside the race window, hangs up, and sends the same request
	 * again. Its abandoned claim is freed at once, so the retry runs, instead of hearing 409 until claim-timeout.
	 */
	@Test
	void aCreateAbandonedInsideItsWindowFreesItsKeyForTheRetry() throws Exception {
		String key = newKey();
		String login = uniqueLogin("idem-abandoned");

		try (Socket client = this.raw.sendAndHold(RawHttp.post("/api/customer/", "application/json",
				loginJson(login).getBytes(StandardCharsets.UTF_8)).replace("\r\n\r\n",
						"\r\n" + IdempotencyKeyHeader.NAME + ": " + key + "\r\n\r\n"))) {
			awaitKeyRows(key, 1);
		}
		awaitKeyRows(key, 0);
		Reply retry = post(key, loginJson(login));

		assertThat(retry.status()).as("the retry").isEqualTo(201);
		assertThat(retry.headers().getFirst(IdempotentRequests.REPLAYED)).isNull();
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	@Test
	void aKeyReusedWithAnotherBodyIsUnprocessable() {
		String key = newKey();
		post(key, loginJson(uniqueLogin("idem-a")));
		String other = uniqueLogin("idem-b");

		Reply reply = post(key, loginJson(other));

		assertThat(reply.status()).isEqualTo(422);
		assertThat(reply.body()).isEqualTo("{\"detail\":\"This Idempotency-Key was used with a different request.\"}");
		assertThat(this.rows.withLogin(other)).isZero();
	}

	@Test
	void aClientErrorIsAnAnswerTooAndIsReplayed() {
		String key = newKey();
		Reply first = post(key, "{\"login\":\"\"}");

		Reply retry = post(key, "{\"login\":\"\"}");

		assertThat(first.status()).isEqualTo(400);
		assertThat(retry.status()).isEqualTo(400);
		assertThat(retry.body()).isEqualTo("{\"login\":[\"This field may not be blank.\"]}");
		assertThat(retry.headers().getFirst(IdempotentRequests.REPLAYED)).isEqualTo("true");
	}

	@Test
	void aQuotedKeyIsTheSameKeyAsTheBareOne() {
		String key = newKey();
		String login = uniqueLogin("idem-quoted");
		Reply first = post("\"" + key + "\"", loginJson(login));

		Reply retry = post(key, loginJson(login));

		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(retry.headers().getFirst(IdempotentRequests.REPLAYED)).isEqualTo("true");
	}

	/**
	 * What a client means by its Content-Type is the media type and the body's charset: a retry that spells them
	 * otherwise (another case, an explicit charset=utf-8 where UTF-8 is the default) is the same request. Another
	 * media type, or another charset, is not.
	 */
	@Test
	void aRetryWhoseContentTypeIsSpelledOtherwiseIsTheSameRequest() {
		String key = newKey();
		String login = uniqueLogin("idem-type");
		Reply first = postAs(key, "application/json", loginJson(login));

		Reply withCharset = postAs(key, "application/json; charset=utf-8", loginJson(login));
		Reply inCapitals = postAs(key, "Application/JSON;Charset=\"UTF-8\"", loginJson(login));
		Reply otherCharset = postAs(key, "application/json; charset=iso-8859-1", loginJson(login));
		Reply asForm = postAs(key, "application/x-www-form-urlencoded", "login=" + login);

		assertThat(first.status()).isEqualTo(201);
		assertThat(List.of(withCharset, inCapitals)).allSatisfy(retry -> {
			assertThat(retry.body()).isEqualTo(first.body());
			assertThat(retry.headers().getFirst(IdempotentRequests.REPLAYED)).isEqualTo("true");
		});
		assertThat(List.of(otherCharset, asForm)).extracting(Reply::status).containsExactly(422, 422);
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	@Test
	void aClaimThatIsStillFreshMakesARetryConflict() {
		String key = newKey();
		String login = uniqueLogin("idem-fresh");
		insertClaim(key, loginJson(login), "now()", "now() + interval '1 hour'");

		Reply reply = post(key, loginJson(login));

		assertThat(reply.status()).isEqualTo(409);
		assertThat(reply.body()).isEqualTo(CustomerClient.KEY_IN_PROGRESS);
		assertThat(this.rows.withLogin(login)).isZero();
	}

	@Test
	void aClaimThatWentStaleIsClaimableAgain() {
		String key = newKey();
		String login = uniqueLogin("idem-stale");
		insertClaim(key, loginJson(login), "now() - interval '1 hour'", "now() + interval '1 hour'");

		Reply reply = post(key, loginJson(login));

		assertThat(reply.status()).isEqualTo(201);
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	/**
	 * The stale claim's own request may still be committing while a retry decides to take the claim over; once it has
	 * recorded its answer, the take-over must find nothing to take, or the create would run a second time.
	 */
	@Test
	void aTakeOverOfAStaleClaimThatHasSinceRecordedItsAnswerTakesNothing() {
		String key = newKey();
		String json = loginJson(uniqueLogin("idem-late"));
		UUID stale = insertClaim(key, json, "now() - interval '1 hour'", "now() + interval '1 hour'");
		this.db.sql("UPDATE idempotency_key SET status = 201, body = '{}' WHERE key = $1").bind(0, key).then().block();

		KeyState takenOver = this.keys.takeOver(key, fingerprintOf(json), stale).block();

		assertThat(takenOver).as("the take-over").isNull();
		assertThat(this.db.sql("SELECT status FROM idempotency_key WHERE key = $1").bind(0, key)
			.map(row -> row.get(0, Integer.class)).one().block()).as("the recorded status").isEqualTo(201);
	}

	@Test
	void anExpiredKeyIsFreeAgainEvenForAnotherBody() {
		String key = newKey();
		insertClaim(key, loginJson(uniqueLogin("idem-old")), "now() - interval '2 days'", "now() - interval '1 day'");
		String login = uniqueLogin("idem-new");

		Reply reply = post(key, loginJson(login));

		assertThat(reply.status()).isEqualTo(201);
		assertThat(this.rows.withLogin(login)).isEqualTo(1);
	}

	@Test
	void expiredKeysArePurgedAndLiveOnesKept() {
		String expired = newKey();
		String live = newKey();
		insertClaim(expired, "{}", "now() - interval '2 days'", "now() - interval '1 day'");
		insertClaim(live, "{}", "now()", "now() + interval '1 day'");

		Long purged = this.purge.purge().block();

		assertThat(purged).isPositive();
		assertThat(keyRows(expired)).isZero();
		assertThat(keyRows(live)).isEqualTo(1);
	}

	@ParameterizedTest(name = "[{0}]")
	@ValueSource(strings = { "", "\"\"" })
	void anEmptyKeyIsMalformed(String key) {
		assertMalformed(post(key, loginJson(uniqueLogin("idem-bad"))));
	}

	@Test
	void aKeyOver255CharactersIsMalformed() {
		assertMalformed(post("k".repeat(256), loginJson(uniqueLogin("idem-long"))));
	}

	@Test
	void aKeyWithAControlCharacterIsMalformed() {
		assertMalformed(post("a\tb", loginJson(uniqueLogin("idem-tab"))));
	}

	@Test
	void twoKeyHeadersAreMalformed() {
		Reply reply = CustomerClient.reply(this.http.post().uri("/api/customer/").contentType(MediaType.APPLICATION_JSON)
			.header(IdempotencyKeyHeader.NAME, newKey(), newKey())
			.bodyValue(loginJson(uniqueLogin("idem-two")))
			.exchange().expectBody(String.class).returnResult());

		assertMalformed(reply);
	}

	private static void assertMalformed(Reply reply) {
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.body())
			.isEqualTo("{\"detail\":\"Idempotency-Key must be one header of 1 to 255 printable ASCII characters.\"}");
	}

	private Reply post(String key, String json) {
		return new CustomerClient(this.http).createWithKey(key, json);
	}

	private Reply postAs(String key, String contentType, String body) {
		return CustomerClient.reply(this.http.post().uri("/api/customer/")
			.header(HttpHeaders.CONTENT_TYPE, contentType)
			.header(IdempotencyKeyHeader.NAME, key)
			.bodyValue(body)
			.exchange()
			.expectBody(String.class)
			.returnResult());
	}

	/** A claim as an instance that died, or is still running, would have left it. */
	private UUID insertClaim(String key, String json, String claimedAt, String expiresAt) {
		UUID token = UUID.randomUUID();
		this.db.sql("INSERT INTO idempotency_key (key, fingerprint, claim_token, claimed_at, expires_at) VALUES ($1, $2, $3, "
				+ claimedAt + ", " + expiresAt + ")")
			.bind(0, key)
			.bind(1, fingerprintOf(json))
			.bind(2, token)
			.then()
			.block();
		return token;
	}

	private static String fingerprintOf(String json) {
		return Fingerprint.of(MediaType.APPLICATION_JSON_VALUE, json.getBytes(StandardCharsets.UTF_8));
	}

	/** Waits for the key's rows, well within the 30 s claim timeout that would free an abandoned claim anyway. */
	private void awaitKeyRows(String key, long expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (keyRows(key) != expected && System.nanoTime() < deadline) {
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
		assertThat(keyRows(key)).as("rows of key %s", key).isEqualTo(expected);
	}

	private long keyRows(String key) {
		return this.db.sql("SELECT count(*) FROM idempotency_key WHERE key = $1").bind(0, key)
			.map(row -> row.get(0, Long.class)).one().block();
	}

	private static String newKey() {
		return "key-" + UUID.randomUUID();
	}

}

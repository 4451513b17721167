package com.example.customers.customer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.HeadAndGet;
import com.example.customers.support.RawHttp;
import com.example.customers.support.Reply;
import com.example.customers.support.ServiceTest;
import com.example.customers.support.ServiceUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.LOGIN_TAKEN;
import static com.example.customers.support.CustomerClient.idOf;
import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DRF demo's contract, one test per row of its endpoint and error tables, plus what DRF 3.14's ModelSerializer
 * does where those tables are silent. Status and exact body every time. HTTP only, so it also runs against the
 * packaged jar (see {@link ServiceUnderTest}).
 */
@ServiceTest
class CustomerApiContractTest {

	private static final String NOT_FOUND = "{\"detail\":\"Not found.\"}";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebTestClient http;

	private final CustomerClient client;

	private final RawHttp raw;

	@Autowired
	CustomerApiContractTest(WebTestClient started, @LocalServerPort int port) {
		this.http = ServiceUnderTest.client(started);
		this.client = new CustomerClient(this.http);
		this.raw = ServiceUnderTest.raw(port);
	}

	// Endpoints

	@Test
	void apiRootLinksTheCustomerListByAnAbsoluteUrlBuiltFromTheRequest() {
		Reply reply = CustomerClient.reply(this.http.get().uri("/api/").header(HttpHeaders.HOST, "api.example.test:8000")
			.exchange().expectBody(String.class).returnResult());

		assertReply(reply, 200, "{\"customer\":\"http://api.example.test:8000/api/customer/\"}");
	}

	@Test
	void listReturnsEveryCustomerOrderedById() {
		List<Reply> created = List.of(this.client.create(uniqueLogin("list-a")), this.client.create(uniqueLogin("list-b")),
				this.client.create(uniqueLogin("list-c")));

		Reply reply = this.client.get("/api/customer/");

		assertThat(reply.status()).isEqualTo(200);
		JsonNode list = json.readTree(reply.body());
		List<Long> ids = list.valueStream().map(customer -> customer.get("id").longValue()).toList();
		assertThat(ids).isSorted().doesNotHaveDuplicates();
		List<String> ours = list.valueStream().map(JsonNode::toString).filter(created.stream().map(Reply::body).toList()::contains).toList();
		assertThat(ours).containsExactlyElementsOf(created.stream().map(Reply::body).toList());
	}

	@Test
	void createAnswers201WithTheObjectAndItsLocation() {
		String login = uniqueLogin("create");

		Reply reply = this.client.create(login);

		long id = idOf(reply);
		assertReply(reply, 201, "{\"id\":" + id + ",\"login\":\"" + login + "\"}");
		assertThat(reply.headers().getLocation()).hasToString("/api/customer/" + id + "/");
	}

	@Test
	void retrieveAnswersTheObject() {
		Reply created = this.client.create(uniqueLogin("retrieve"));

		assertReply(this.client.get("/api/customer/" + idOf(created) + "/"), 200, created.body());
	}

	@Test
	void putReplacesTheLoginAndAnswersTheUpdatedObject() {
		long id = idOf(this.client.create(uniqueLogin("put")));
		String login = uniqueLogin("put-new");

		assertReply(this.client.send(HttpMethod.PUT, "/api/customer/" + id + "/", loginJson(login)), 200,
				"{\"id\":" + id + ",\"login\":\"" + login + "\"}");
		assertReply(this.client.get("/api/customer/" + id + "/"), 200, "{\"id\":" + id + ",\"login\":\"" + login + "\"}");
	}

	@Test
	void patchChangesTheLogin() {
		long id = idOf(this.client.create(uniqueLogin("patch")));
		String login = uniqueLogin("patch-new");

		assertReply(this.client.send(HttpMethod.PATCH, "/api/customer/" + id + "/", loginJson(login)), 200,
				"{\"id\":" + id + ",\"login\":\"" + login + "\"}");
	}

	@Test
	void patchWithAnEmptyObjectChangesNothingAndAnswersTheObject() {
		Reply created = this.client.create(uniqueLogin("patch-empty"));

		assertReply(this.client.send(HttpMethod.PATCH, "/api/customer/" + idOf(created) + "/", "{}"), 200, created.body());
	}

	@Test
	void deleteAnswers204WithAnEmptyBodyAndTheCustomerIsGone() {
		long id = idOf(this.client.create(uniqueLogin("delete")));

		Reply reply = CustomerClient.reply(this.http.delete().uri("/api/customer/" + id + "/").exchange()
			.expectBody(String.class).returnResult());

		assertReply(reply, 204, null);
		assertReply(this.client.get("/api/customer/" + id + "/"), 404, NOT_FOUND);
	}

	// Errors

	@Test
	void aSequentialDuplicateOnPostIsRefused() {
		String login = uniqueLogin("dup-post");
		this.client.create(login);

		assertReply(this.client.create(login), 400, LOGIN_TAKEN);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "PUT", "PATCH" })
	void aDuplicateOnUpdateIsRefusedAndTheLoginStaysAsItWas(String method) {
		String taken = uniqueLogin("dup-taken");
		this.client.create(taken);
		Reply mine = this.client.create(uniqueLogin("dup-mine"));

		assertReply(this.client.send(HttpMethod.valueOf(method), "/api/customer/" + idOf(mine) + "/", loginJson(taken)),
				400, LOGIN_TAKEN);
		assertReply(this.client.get("/api/customer/" + idOf(mine) + "/"), 200, mine.body());
	}

	@Test
	void updatingALoginToItsOwnValueIsNotADuplicate() {
		String login = uniqueLogin("same");
		Reply created = this.client.create(login);

		assertReply(this.client.send(HttpMethod.PUT, "/api/customer/" + idOf(created) + "/", loginJson(login)), 200,
				created.body());
	}

	@Test
	void aMissingLoginIsRequiredOnPost() {
		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", "{}"), 400,
				"{\"login\":[\"This field is required.\"]}");
	}

	@Test
	void aMissingLoginIsRequiredOnPut() {
		long id = idOf(this.client.create(uniqueLogin("put-missing")));

		assertReply(this.client.send(HttpMethod.PUT, "/api/customer/" + id + "/", "{}"), 400,
				"{\"login\":[\"This field is required.\"]}");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "POST", "PUT", "PATCH" })
	void aBlankLoginIsRefused(String method) {
		assertReply(write(method, "{\"login\":\"\"}"), 400, "{\"login\":[\"This field may not be blank.\"]}");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "POST", "PUT", "PATCH" })
	void aNullLoginIsRefused(String method) {
		assertReply(write(method, "{\"login\":null}"), 400, "{\"login\":[\"This field may not be null.\"]}");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "POST", "PUT", "PATCH" })
	void aLoginOver255CharactersIsRefused(String method) {
		assertReply(write(method, loginJson("x".repeat(256))), 400,
				"{\"login\":[\"Ensure this field has no more than 255 characters.\"]}");
	}

	@Test
	void aLoginOfExactly255CharactersIsAccepted() {
		String login = uniqueLogin("long");
		login = login + "x".repeat(255 - login.length());

		assertThat(this.client.create(login).status()).isEqualTo(201);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "true", "false", "[\"a\"]", "{\"a\":1}" })
	void aLoginThatIsABooleanAListOrAnObjectIsNotAValidString(String value) {
		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", "{\"login\":" + value + "}"), 400,
				"{\"login\":[\"Not a valid string.\"]}");
	}

	@Test
	void aBodyThatIsNotJsonIsAParseError() {
		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", "{\"login\":"), 400,
				"{\"detail\":\"JSON parse error - Unexpected end-of-input within/between Object entries\"}");
	}

	@Test
	void aBodyThatIsAJsonArrayIsNotADictionary() {
		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", "[{\"login\":\"a\"}]"), 400,
				"{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got list.\"]}");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "GET", "PUT", "PATCH", "DELETE" })
	void aMissingIdIsNotFound(String method) {
		assertReply(this.client.send(HttpMethod.valueOf(method), "/api/customer/" + Long.MAX_VALUE + "/",
				loginJson(uniqueLogin("nobody"))), 404, NOT_FOUND);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "abc", "1.5", "-", "99999999999999999999999" })
	void anIdThatIsNotANumberIsNotFound(String id) {
		assertReply(this.client.get("/api/customer/" + id + "/"), 404, NOT_FOUND);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/nothing/", "/api/customers/", "/api/customers", "/api/customer/1/x/", "/api/customer/1/x" })
	void anUnknownPathIsNotFound(String path) {
		assertReply(this.client.get(path), 404, NOT_FOUND);
	}

	@Test
	void deleteOnTheListIsNotAllowedAndSaysWhatIs() {
		Reply reply = CustomerClient.reply(this.http.delete().uri("/api/customer/").exchange()
			.expectBody(String.class).returnResult());

		assertReply(reply, 405, "{\"detail\":\"Method \\\"DELETE\\\" not allowed.\"}");
		assertThat(reply.headers().getFirst(HttpHeaders.ALLOW)).isEqualTo("GET, POST, HEAD, OPTIONS");
	}

	@Test
	void postOnACustomerIsNotAllowedAndSaysWhatIs() {
		long id = idOf(this.client.create(uniqueLogin("post-on-detail")));

		Reply reply = this.client.send(HttpMethod.POST, "/api/customer/" + id + "/", "{}");

		assertReply(reply, 405, "{\"detail\":\"Method \\\"POST\\\" not allowed.\"}");
		assertThat(reply.headers().getFirst(HttpHeaders.ALLOW)).isEqualTo("GET, PUT, PATCH, DELETE, HEAD, OPTIONS");
	}

	@Test
	void aTextBodyIsAnUnsupportedMediaType() {
		Reply reply = CustomerClient.reply(this.http.post().uri("/api/customer/").contentType(MediaType.TEXT_PLAIN)
			.bodyValue("login=x").exchange().expectBody(String.class).returnResult());

		assertReply(reply, 415, "{\"detail\":\"Unsupported media type \\\"text/plain\\\" in request.\"}");
	}

	@Test
	void aClientThatOnlyAcceptsXmlIsNotAcceptable() {
		Reply reply = CustomerClient.reply(this.http.get().uri("/api/customer/").accept(MediaType.APPLICATION_XML)
			.exchange().expectBody(String.class).returnResult());

		assertReply(reply, 406, "{\"detail\":\"Could not satisfy the request Accept header.\"}");
	}

	@Test
	void aBodyLargerThan64KiBIsRefusedAndNothingIsCreated() {
		String login = uniqueLogin("huge");
		String body = "{\"login\":\"" + login + "\",\"padding\":\"" + "x".repeat(70 * 1024) + "\"}";

		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", body), 413,
				"{\"detail\":\"Request body is too large.\"}");
		assertThat(this.client.listBody()).doesNotContain(login);
	}

	/** A gigabyte announced, a few bytes sent: the refusal cannot have waited for the body. */
	@Test
	void aBodyAnnouncedLargerThan64KiBIsRefusedBeforeItArrives() {
		Reply reply = this.raw.exchange("POST /api/customer/ HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"login\":\"");

		assertReply(reply, 413, "{\"detail\":\"Request body is too large.\"}");
	}

	@Test
	void aChunkedBodyLargerThan64KiBIsRefusedToo() {
		byte[] eightKiB = ("{\"login\":\"" + "x".repeat(8 * 1024)).getBytes(StandardCharsets.UTF_8);
		Flux<DataBuffer> chunks = Flux.range(0, 10).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(eightKiB));

		Reply reply = CustomerClient.reply(this.http.post().uri("/api/customer/").contentType(MediaType.APPLICATION_JSON)
			.body(chunks, DataBuffer.class).exchange().expectBody(String.class).returnResult());

		assertReply(reply, 413, "{\"detail\":\"Request body is too large.\"}");
	}

	// Where the tables are silent: DRF 3.14's ModelSerializer over CharField(max_length=255, unique=True)

	@Test
	void surroundingWhiteSpaceIsTrimmedAsDrfDoes() {
		String login = uniqueLogin("trim");

		Reply reply = this.client.send(HttpMethod.POST, "/api/customer/", loginJson(" \\t " + login + " \\n"));

		assertReply(reply, 201, "{\"id\":" + idOf(reply) + ",\"login\":\"" + login + "\"}");
		assertReply(this.client.create(login), 400, LOGIN_TAKEN);
	}

	@Test
	void aLoginOfOnlyWhiteSpaceIsBlank() {
		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", loginJson(" \\t\\u00a0 ")), 400,
				"{\"login\":[\"This field may not be blank.\"]}");
	}

	@Test
	void aNumberIsStoredAsItsDecimalString() {
		long number = ThreadLocalRandom.current().nextLong(1_000_000_000_000L, Long.MAX_VALUE);

		Reply reply = this.client.send(HttpMethod.POST, "/api/customer/", "{\"login\":" + number + "}");

		assertReply(reply, 201, "{\"id\":" + idOf(reply) + ",\"login\":\"" + number + "\"}");
	}

	@Test
	void aClientSentIdAndUnknownFieldsAreIgnored() {
		Reply existing = this.client.create(uniqueLogin("id-taken"));
		String login = uniqueLogin("read-only-id");

		Reply reply = this.client.send(HttpMethod.POST, "/api/customer/",
				"{\"id\":" + idOf(existing) + ",\"login\":\"" + login + "\",\"admin\":true}");

		assertThat(reply.status()).isEqualTo(201);
		assertThat(reply.body()).isEqualTo("{\"id\":" + idOf(reply) + ",\"login\":\"" + login + "\"}");
		assertThat(idOf(reply)).as("the new customer's id").isNotEqualTo(idOf(existing));
		assertThat(this.client.get("/api/customer/" + idOf(existing) + "/").body()).as("the customer whose id was sent")
			.isEqualTo(existing.body());
	}

	@Test
	void aFormEncodedBodyIsParsedAsDrfsFormParserDoes() {
		String login = uniqueLogin("form");

		Reply reply = CustomerClient.reply(this.http.post().uri("/api/customer/")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("login=" + login)
			.exchange()
			.expectBody(String.class)
			.returnResult());

		assertReply(reply, 201, "{\"id\":" + idOf(reply) + ",\"login\":\"" + login + "\"}");
	}

	@Test
	void anEmptyBodyIsAnEmptyObject() {
		Reply reply = CustomerClient.reply(this.http.post().uri("/api/customer/").contentType(MediaType.APPLICATION_JSON)
			.exchange().expectBody(String.class).returnResult());

		assertReply(reply, 400, "{\"login\":[\"This field is required.\"]}");
	}

	@Test
	void aJsonNullBodyIsNoData() {
		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", "null"), 400,
				"{\"non_field_errors\":[\"No data provided\"]}");
	}

	@Test
	void aJsonStringBodyIsNotADictionary() {
		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", "\"alice\""), 400,
				"{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got str.\"]}");
	}

	@Test
	void aNullCharacterIsRefused() {
		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", loginJson("a\\u0000b")), 400,
				"{\"login\":[\"Null characters are not allowed.\"]}");
	}

	@Test
	void aLoneSurrogateIsRefused() {
		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", loginJson("a\\ud800b")), 400,
				"{\"login\":[\"Surrogate characters are not allowed: U+D800.\"]}");
	}

	@Test
	void everyBrokenRuleIsReportedAtOnce() {
		assertReply(this.client.send(HttpMethod.POST, "/api/customer/", loginJson("\\u0000" + "x".repeat(300))), 400,
				"{\"login\":[\"Ensure this field has no more than 255 characters.\",\"Null characters are not allowed.\"]}");
	}

	@Test
	void everyAnswerTellsBrowsersNotToSniffItsType() {
		String login = uniqueLogin("nosniff");
		List<Reply> answers = List.of(this.client.create(login), this.client.create(login), this.client.get("/api/"),
				this.client.get("/api/customer/0/"), this.client.send(HttpMethod.POST, "/api/customer/", "{not json"),
				this.client.send(HttpMethod.DELETE, "/api/customer/", "{}"));

		assertThat(answers).extracting(Reply::status).containsExactly(201, 400, 200, 404, 400, 405);
		assertThat(answers).allSatisfy(answer -> assertThat(answer.headers().getFirst("X-Content-Type-Options"))
			.as("X-Content-Type-Options of %s", answer).isEqualTo("nosniff"));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/api/", "/api/customer/", "/api/customer/{id}/", "/api/customer/0/" })
	void headAnswersWithGetsStatusAndHeaders(String path) {
		String uri = path.replace("{id}", String.valueOf(idOf(this.client.create(uniqueLogin("head")))));

		Reply head = this.client.head(uri);
		Reply get = this.client.get(uri);

		HeadAndGet.assertHeadAnswersAsGet(head, get);
	}

	@Test
	void headSendsNoBody() {
		String answer = this.raw.exchangeUntilClosed("HEAD /api/customer/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

		assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n");
	}

	private Reply write(String method, String body) {
		if (method.equals("POST")) {
			return this.client.send(HttpMethod.POST, "/api/customer/", body);
		}
		long id = idOf(this.client.create(uniqueLogin("write")));
		return this.client.send(HttpMethod.valueOf(method), "/api/customer/" + id + "/", body);
	}

	private static void assertReply(Reply reply, int status, String body) {
		assertThat(reply.status()).as("status of %s", reply).isEqualTo(status);
		assertThat(reply.body()).as("body").isEqualTo(body);
		if (body != null) {
			assertThat(reply.headers().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		}
	}

}

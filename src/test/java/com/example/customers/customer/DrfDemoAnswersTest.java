package com.example.customers.customer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.HeadAndGet;
import com.example.customers.support.Reply;
import com.example.customers.support.ServiceTest;
import com.example.customers.support.ServiceUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.idOf;
import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers recorded from the DRF demo itself (Django 3.2, DRF 3.14, its settings, Django's development server)
 * where they are not in the main tables of docs/api.md: a body without a Content-Type, the missing trailing slash, format
 * suffixes, the headers every view answer carries, and OPTIONS metadata with its "actions". Exact status, body and
 * headers. HTTP only, so it also runs against the packaged jar.
 */
@ServiceTest
class DrfDemoAnswersTest {

	private static final String NOT_FOUND = "{\"detail\":\"Not found.\"}";

	private static final String LIST_ALLOW = "GET, POST, HEAD, OPTIONS";

	private static final String INSTANCE_ALLOW = "GET, PUT, PATCH, DELETE, HEAD, OPTIONS";

	private static final String FIELDS = "{\"id\":{\"type\":\"integer\",\"required\":false,\"read_only\":true,\"label\":\"ID\"},"
			+ "\"login\":{\"type\":\"string\",\"required\":true,\"read_only\":false,\"label\":\"Login\",\"max_length\":255}}";

	private static final String RENDERS_AND_PARSES = "\"renders\":[\"application/json\",\"text/html\"],"
			+ "\"parses\":[\"application/json\",\"application/x-www-form-urlencoded\"]";

	private static final HttpClient plainClient = HttpClient.newHttpClient();

	private final WebTestClient http;

	private final CustomerClient client;

	private final String baseUrl;

	@Autowired
	DrfDemoAnswersTest(WebTestClient started, @LocalServerPort int port) {
		this.http = ServiceUnderTest.client(started);
		this.client = new CustomerClient(this.http);
		this.baseUrl = ServiceUnderTest.baseUrl(port);
	}

	// A body without a Content-Type: the demo's server takes it as text/plain, which DRF cannot parse

	@Test
	void aJsonBodyWithoutAContentTypeIsAnUnsupportedTextPlainAndCreatesNothing() {
		String login = uniqueLogin("no-type");

		Reply reply = postWithoutContentType(HttpRequest.BodyPublishers.ofString(loginJson(login)));

		assertThat(reply.status()).isEqualTo(415);
		assertThat(reply.body()).isEqualTo("{\"detail\":\"Unsupported media type \\\"text/plain\\\" in request.\"}");
		assertThat(this.client.listBody()).doesNotContain(login);
	}

	@Test
	void noBodyAndNoContentTypeIsStillAnEmptyObject() {
		Reply reply = postWithoutContentType(HttpRequest.BodyPublishers.noBody());

		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.body()).isEqualTo("{\"login\":[\"This field is required.\"]}");
	}

	// The missing trailing slash: Django's APPEND_SLASH, with a redirect that keeps the method for writes

	@Test
	void aReadWithoutTheTrailingSlashIsMovedPermanentlyAsDjangoDoes() {
		long id = idOf(this.client.create(uniqueLogin("slash-read")));

		assertReadRedirect("/api", "/api/");
		assertReadRedirect("/api/customer", "/api/customer/");
		assertReadRedirect("/api/customer/" + id + "?x=1&y=2", "/api/customer/" + id + "/?x=1&y=2");
	}

	@Test
	void aPostWithoutTheTrailingSlashIsRedirectedWithItsMethodAndBodyKeptAndNothingIsCreated() {
		String login = uniqueLogin("slash-post");

		Reply reply = this.client.send(HttpMethod.POST, "/api/customer", loginJson(login));

		assertRedirect(reply, 308, "/api/customer/");
		assertThat(this.client.listBody()).doesNotContain(login);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "PUT", "PATCH", "DELETE" })
	void aWriteToACustomerWithoutTheTrailingSlashIsRedirectedAndNotProcessed(String method) {
		Reply created = this.client.create(uniqueLogin("slash-write"));
		long id = idOf(created);

		Reply reply = this.client.send(HttpMethod.valueOf(method), "/api/customer/" + id, loginJson(uniqueLogin("renamed")));

		assertRedirect(reply, 308, "/api/customer/" + id + "/");
		assertThat(this.client.get("/api/customer/" + id + "/").body()).isEqualTo(created.body());
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/api/customers", "/api/customer/1/x", "/apis" })
	void aPathWithoutASlashedTwinIsNotFoundRatherThanRedirected(String path) {
		Reply reply = this.client.get(path);

		assertThat(reply.status()).isEqualTo(404);
		assertThat(reply.body()).isEqualTo(NOT_FOUND);
	}

	// Format suffixes: DRF's format_suffix_patterns on every route; we render JSON only

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/api/customer.json", "/api/customer.json/", "/api/customer/?format=json" })
	void theListAnswersWithTheJsonSuffixOrFormat(String path) {
		Reply reply = this.client.get(path);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body()).startsWith("[");
		assertThat(reply.headers().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { ".json", ".json/", "/?format=json" })
	void aCustomerAnswersWithTheJsonSuffixOrFormat(String suffix) {
		Reply created = this.client.create(uniqueLogin("suffix"));

		Reply reply = this.client.get("/api/customer/" + idOf(created) + suffix);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body()).isEqualTo(created.body());
	}

	@Test
	void theApiRootLinksTheListInTheFormatItWasAskedIn() {
		assertThat(rootFromHost("/api/.json").body()).isEqualTo("{\"customer\":\"http://api.example.test/api/customer.json\"}");
		assertThat(rootFromHost("/api/?format=json").body())
			.isEqualTo("{\"customer\":\"http://api.example.test/api/customer/?format=json\"}");
	}

	@Test
	void aCreateThroughTheJsonSuffixIsACreate() {
		String login = uniqueLogin("suffix-post");

		Reply reply = this.client.send(HttpMethod.POST, "/api/customer.json", loginJson(login));

		assertThat(reply.status()).isEqualTo(201);
		assertThat(reply.body()).isEqualTo("{\"id\":" + idOf(reply) + ",\"login\":\"" + login + "\"}");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/api/customer.xml", "/api/customer/?format=xml", "/api/.html", "/api/customer/.json",
			"/api/customer/?format=html" })
	void aFormatWeDoNotRenderIsNotFoundAndAWriteThroughItHasNoEffect(String path) {
		String login = uniqueLogin("xml");

		Reply read = this.client.get(path);
		Reply write = this.client.send(HttpMethod.POST, path, loginJson(login));

		assertThat(read.status()).isEqualTo(404);
		assertThat(read.body()).isEqualTo(NOT_FOUND);
		assertThat(write.status()).isEqualTo(404);
		assertThat(this.client.listBody()).doesNotContain(login);
	}

	// The browsable API: DRF's "api" format and a browser's Accept get the view's page; the page is for reading only

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/api/customer/?format=api", "/api/customer.api", "/api/customer.api/", "/api/.api",
			"/api/?format=api" })
	void theApiFormatIsTheBrowsablePage(String path) {
		Reply page = this.client.get(path);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.headers().getContentType()).hasToString("text/html;charset=UTF-8");
		assertThat(page.headers().getFirst("Content-Security-Policy")).startsWith("default-src 'none'; script-src 'self';");
		assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("<script src=\"/static/browsable-api/page.js\"");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/api/customer/?format=api", "/api/customer.api" })
	void aWriteInTheApiFormatIsNotFoundAndHasNoEffect(String path) {
		String login = uniqueLogin("page-write");

		Reply write = this.client.send(HttpMethod.POST, path, loginJson(login));

		assertThat(write.status()).isEqualTo(404);
		assertThat(write.body()).isEqualTo(NOT_FOUND);
		assertThat(this.client.listBody()).doesNotContain(login);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html",
			"*/*, text/html", "text/*", "application/json;q=0.5, text/html" })
	void aBrowsersAcceptGetsThePage(String accept) {
		Reply page = CustomerClient.reply(this.http.get().uri("/api/customer/").header("Accept", accept)
			.exchange().expectBody(String.class).returnResult());

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("<h1>Customer Viewset List</h1>");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "*/*", "application/json", "application/json, text/html", "text/html;q=0.5, */*",
			"application/*" })
	void everyOtherAcceptStillGetsJson(String accept) {
		Reply list = CustomerClient.reply(this.http.get().uri("/api/customer/").header("Accept", accept)
			.exchange().expectBody(String.class).returnResult());

		assertThat(list.status()).isEqualTo(200);
		assertThat(list.headers().getContentType()).hasToString("application/json");
	}

	@Test
	void aWriteFromAClientThatOnlyAcceptsHtmlIsNotAcceptableAndHasNoEffect() {
		String login = uniqueLogin("html-write");

		Reply write = CustomerClient.reply(this.http.post().uri("/api/customer/").header("Accept", "text/html")
			.contentType(MediaType.APPLICATION_JSON).bodyValue(loginJson(login))
			.exchange().expectBody(String.class).returnResult());

		assertThat(write.status()).isEqualTo(406);
		assertThat(write.body()).isEqualTo("{\"detail\":\"Could not satisfy the request Accept header.\"}");
		assertThat(this.client.listBody()).doesNotContain(login);
	}

	@Test
	void thePageTellsItsScriptTheRaceWindowAndTheDuplicateMapping() {
		assertThat(this.client.get("/api/customer/?format=api").body())
			.contains("data-map-duplicate-key=\"true\" data-race-window-ms=\"500\"");
	}

	// Allow and Vary: Accept on every answer of a view, errors included; not on a path no view serves

	@Test
	void everyAnswerOfTheListViewCarriesAllowAndVary() {
		String login = uniqueLogin("headers");

		assertViewHeaders(this.client.get("/api/customer/"), 200, LIST_ALLOW);
		assertViewHeaders(this.client.create(login), 201, LIST_ALLOW);
		assertViewHeaders(this.client.create(login), 400, LIST_ALLOW);
		assertViewHeaders(this.client.send(HttpMethod.DELETE, "/api/customer/", "{}"), 405, LIST_ALLOW);
		assertViewHeaders(this.client.get("/api/"), 200, "GET, HEAD, OPTIONS");
	}

	@Test
	void everyAnswerOfTheInstanceViewCarriesAllowAndVary() {
		long id = idOf(this.client.create(uniqueLogin("headers")));

		assertViewHeaders(this.client.get("/api/customer/" + id + "/"), 200, INSTANCE_ALLOW);
		assertViewHeaders(this.client.send(HttpMethod.PUT, "/api/customer/" + id + "/", "{}"), 400, INSTANCE_ALLOW);
		assertViewHeaders(exchange(HttpMethod.DELETE, "/api/customer/" + id + "/"), 204, INSTANCE_ALLOW);
		assertViewHeaders(this.client.get("/api/customer/" + id + "/"), 404, INSTANCE_ALLOW);
	}

	@Test
	void aPathThatNoViewServesHasNeitherHeader() {
		Reply reply = this.client.get("/api/customers/");

		assertThat(reply.status()).isEqualTo(404);
		assertThat(reply.headers().get(HttpHeaders.ALLOW)).isNull();
		assertThat(reply.headers().get(HttpHeaders.VARY)).isNull();
	}

	// OPTIONS: DRF's SimpleMetadata, with the serializer's fields under "actions"

	@Test
	void optionsOnTheListDescribesWhatAPostTakes() {
		Reply reply = exchange(HttpMethod.OPTIONS, "/api/customer/");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body()).isEqualTo("{\"name\":\"Customer Viewset List\",\"description\":\"\"," + RENDERS_AND_PARSES
				+ ",\"actions\":{\"POST\":" + FIELDS + "}}");
		assertViewHeaders(reply, 200, LIST_ALLOW);
	}

	@Test
	void optionsOnACustomerDescribesWhatAPutTakes() {
		long id = idOf(this.client.create(uniqueLogin("options")));

		Reply reply = exchange(HttpMethod.OPTIONS, "/api/customer/" + id + "/");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body()).isEqualTo("{\"name\":\"Customer Viewset Instance\",\"description\":\"\","
				+ RENDERS_AND_PARSES + ",\"actions\":{\"PUT\":" + FIELDS + "}}");
		assertViewHeaders(reply, 200, INSTANCE_ALLOW);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "999999999999", "abc" })
	void optionsOnACustomerThatDoesNotExistDescribesNoActionAsDrfDoes(String id) {
		Reply reply = exchange(HttpMethod.OPTIONS, "/api/customer/" + id + "/");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body())
			.isEqualTo("{\"name\":\"Customer Viewset Instance\",\"description\":\"\"," + RENDERS_AND_PARSES + "}");
	}

	@Test
	void optionsOnTheApiRootShowsItsDocstring() {
		Reply reply = exchange(HttpMethod.OPTIONS, "/api/");

		assertThat(reply.body()).isEqualTo("{\"name\":\"Api Root\","
				+ "\"description\":\"The default basic root view for DefaultRouter\"," + RENDERS_AND_PARSES + "}");
	}

	private Reply exchange(HttpMethod method, String uri) {
		return CustomerClient.reply(this.http.method(method).uri(uri).exchange().expectBody(String.class).returnResult());
	}

	private Reply rootFromHost(String uri) {
		return CustomerClient.reply(this.http.get().uri(uri).header(HttpHeaders.HOST, "api.example.test")
			.exchange()
			.expectBody(String.class)
			.returnResult());
	}

	/** java.net.http sends no Content-Type unless told, unlike WebTestClient's encoders. */
	private Reply postWithoutContentType(HttpRequest.BodyPublisher body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + "/api/customer/"))
			.timeout(Duration.ofSeconds(30))
			.POST(body)
			.build();
		try {
			HttpResponse<String> response = plainClient.send(request, HttpResponse.BodyHandlers.ofString());
			return new Reply(response.statusCode(), HttpHeaders.EMPTY, response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** GET is redirected; HEAD answers with GET's status and headers. */
	private void assertReadRedirect(String uri, String location) {
		Reply get = this.client.get(uri);
		Reply head = this.client.head(uri);

		assertRedirect(get, 301, location);
		HeadAndGet.assertHeadAnswersAsGet(head, get);
	}

	@Test
	void theSiteRootLeadsToTheApiRoot() {
		assertRedirect(this.client.get("/"), 302, "/api/");
		assertRedirect(exchange(HttpMethod.HEAD, "/"), 302, "/api/");
	}

	private static void assertRedirect(Reply reply, int status, String location) {
		assertThat(reply.status()).as("status of %s", reply).isEqualTo(status);
		assertThat(reply.headers().getFirst(HttpHeaders.LOCATION)).isEqualTo(location);
		assertThat(reply.body()).isNull();
	}

	private static void assertViewHeaders(Reply reply, int status, String allow) {
		assertThat(reply.status()).as("status of %s", reply).isEqualTo(status);
		assertThat(reply.headers().get(HttpHeaders.ALLOW)).as("Allow of %s", reply).containsExactly(allow);
		assertThat(reply.headers().get(HttpHeaders.VARY)).as("Vary of %s", reply).containsExactly(HttpHeaders.ACCEPT);
	}

}

package com.example.customers.customer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.example.customers.idempotency.IdempotencyKeyHeader;
import com.example.customers.support.CustomerClient;
import com.example.customers.support.ServiceTest;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static com.example.customers.support.CustomerClient.loginJson;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document cannot drift from the service: every route the routers declare is described, and every body
 * the service answers to the requests below (each status of the tables in docs/api.md) validates against the schema the
 * document gives for that path, method and status.
 */
@ServiceTest
class OpenApiDocumentTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebTestClient http;

	private final List<RouterFunction<?>> routes;

	private final JsonNode document;

	@Autowired
	OpenApiDocumentTest(WebTestClient http, List<RouterFunction<?>> routes) {
		this.http = http;
		this.routes = routes;
		this.document = json.readTree(http.get().uri("/v3/api-docs").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody());
	}

	/**
	 * The document the service serves is the one the build generates a Java client from, after the tests
	 * (openapi-generator in the pom), and drives the service with (GeneratedClientIT): it is saved here, once it is
	 * known to hold the operations that test calls and to be the same on every request (a client generated from one
	 * shape must not be tested against another).
	 */
	@Test
	void theServedDocumentHoldsTheGeneratedClientsOperationsAndIsSavedForIt() throws IOException {
		List<String> operationIds = new ArrayList<>();
		this.document.path("paths").forEach(path -> path.forEach(operation -> {
			if (operation.has("operationId")) {
				operationIds.add(operation.path("operationId").asString());
			}
		}));
		assertThat(operationIds).as("the operations GeneratedClientIT calls").contains("create", "list", "retrieve");
		assertThat(json.readTree(this.http.get().uri("/v3/api-docs").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody())).as("the document served again")
			.isEqualTo(this.document);

		Path saved = Path.of("target", "openapi", "served.json");
		Files.createDirectories(saved.getParent());
		Files.writeString(saved, json.writeValueAsString(this.document));
	}

	@Test
	void swaggerUiIsNotServedUnlessSwitchedOn() {
		this.http.get().uri("/swagger-ui.html").accept(MediaType.APPLICATION_JSON).exchange()
			.expectStatus().isNotFound()
			.expectBody(String.class).isEqualTo("{\"detail\":\"Not found.\"}");
	}

	@Test
	void everyRouteOfTheRoutersIsDescribed() {
		List<String> routes = declaredRoutes();

		assertThat(routes).hasSizeGreaterThan(10);
		assertThat(routes).allSatisfy(route -> {
			String[] methodAndPath = route.split(" ", 2);
			assertThat(this.document.path("paths").path(methodAndPath[1]).has(methodAndPath[0].toLowerCase()))
				.as("%s is in /v3/api-docs", route)
				.isTrue();
		});
	}

	@Test
	void everyBodyTheServiceAnswersMatchesItsDescribedSchema() {
		long id = idOf(send(HttpMethod.POST, "/api/customer/", loginJson(uniqueLogin("doc"))));
		String instance = "/api/customer/" + id + "/";
		List<Answer> answers = new ArrayList<>();
		answers.add(send(HttpMethod.GET, "/api/", null));
		answers.add(send(HttpMethod.OPTIONS, "/api/", null));
		answers.add(send(HttpMethod.GET, "/api/customer/", null));
		answers.add(send(HttpMethod.OPTIONS, "/api/customer/", null));
		answers.add(send(HttpMethod.POST, "/api/customer/", loginJson(uniqueLogin("doc"))));
		answers.add(send(HttpMethod.POST, "/api/customer/", "{}"));
		answers.add(send(HttpMethod.POST, "/api/customer/", "[1]"));
		answers.add(send(HttpMethod.POST, "/api/customer/", "{not json"));
		answers.add(send(HttpMethod.POST, "/api/customer/", "{\"padding\":\"" + "x".repeat(70 * 1024) + "\"}"));
		answers.add(exchange(HttpMethod.POST, "/api/customer/", spec -> spec.contentType(MediaType.TEXT_PLAIN).bodyValue("x")));
		answers.add(exchange(HttpMethod.GET, "/api/customer/", spec -> spec.accept(MediaType.APPLICATION_XML)));
		String key = "doc-" + id;
		answers.add(exchange(HttpMethod.POST, "/api/customer/", spec -> keyed(spec, key, loginJson(uniqueLogin("keyed")))));
		answers.add(exchange(HttpMethod.POST, "/api/customer/", spec -> keyed(spec, key, loginJson(uniqueLogin("other")))));
		answers.add(send(HttpMethod.GET, instance, null));
		answers.add(send(HttpMethod.OPTIONS, instance, null));
		answers.add(send(HttpMethod.PUT, instance, loginJson(uniqueLogin("doc-put"))));
		answers.add(send(HttpMethod.PUT, instance, "{}"));
		answers.add(send(HttpMethod.PATCH, instance, "{}"));
		answers.add(send(HttpMethod.DELETE, instance, null));
		answers.add(send(HttpMethod.GET, instance, null));

		assertThat(answers).extracting(Answer::status).contains(200, 201, 204, 400, 404, 406, 413, 415, 422);
		assertThat(answers).allSatisfy(answer -> assertThat(errorsOf(answer)).as("%s against its schema", answer).isEmpty());
	}

	/** What Swagger UI shows as an example body is a body the service gives, and matches its schema. */
	@Test
	void theExamplesAreRealBodiesAndMatchTheirSchemas() {
		JsonNode create = this.document.path("paths").path("/api/customer/").path("post");

		assertThat(create.path("responses").path("400").path("content").path(MediaType.APPLICATION_JSON_VALUE)
			.path("example").toString()).isEqualTo("{\"login\":[\"customer with this login already exists.\"]}");
		List<JsonNode> examples = new ArrayList<>();
		this.document.path("paths").forEach(path -> path.forEach(operation -> {
			operation.path("responses").forEach(response -> response.path("content").forEach(examples::add));
			operation.path("requestBody").path("content").forEach(examples::add);
		}));
		List<JsonNode> withExample = examples.stream().filter(media -> media.has("example")).toList();
		assertThat(withExample).as("bodies with an example").hasSizeGreaterThan(10);
		assertThat(withExample).allSatisfy(media -> assertThat(schemaErrors(media.path("schema"), media.path("example")))
			.as("%s against its schema", media.path("example"))
			.isEmpty());
	}

	/** The body's schema errors; an answer whose status the document does not list fails too. */
	private List<String> errorsOf(Answer answer) {
		JsonNode response = this.document.path("paths").path(answer.path()).path(answer.method()).path("responses")
			.path(String.valueOf(answer.status()));
		if (response.isMissingNode()) {
			return List.of("status " + answer.status() + " is not described");
		}
		JsonNode schema = response.path("content").path(MediaType.APPLICATION_JSON_VALUE).path("schema");
		if (schema.isMissingNode()) {
			return (answer.body() == null) ? List.of() : List.of("a body where none is described: " + answer.body());
		}
		return schemaErrors(schema, json.readTree(answer.body()));
	}

	private List<String> schemaErrors(JsonNode schema, JsonNode value) {
		ObjectNode withComponents = ((ObjectNode) schema.deepCopy()).set("components", this.document.path("components"));
		List<Error> errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
			.getSchema(json.writeValueAsString(withComponents))
			.validate(value);
		return errors.stream().map(Error::toString).toList();
	}

	/** "GET /api/customer/" for each route, from the routers themselves; a catch-all route answers OPTIONS. */
	private List<String> declaredRoutes() {
		List<String> found = new ArrayList<>();
		for (RouterFunction<?> router : this.routes) {
			router.accept(new RouteCollector(found));
		}
		return found;
	}

	private Answer send(HttpMethod method, String path, String body) {
		return exchange(method, path, spec -> body == null ? spec : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body));
	}

	private Answer exchange(HttpMethod method, String path,
			Function<WebTestClient.RequestBodySpec, WebTestClient.RequestHeadersSpec<?>> request) {
		EntityExchangeResult<String> result = request.apply(this.http.method(method).uri(path))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		String template = path.matches("/api/customer/\\d+/") ? "/api/customer/{id}/" : path;
		return new Answer(method.name().toLowerCase(), template, result.getStatus().value(), result.getResponseBody());
	}

	private static WebTestClient.RequestHeadersSpec<?> keyed(WebTestClient.RequestBodySpec spec, String key, String body) {
		return spec.header(IdempotencyKeyHeader.NAME, key).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
	}

	private static long idOf(Answer created) {
		return CustomerClient.idOf(created.body());
	}

	record Answer(String method, String path, int status, String body) {
	}

	/** Collects method and full path from each route's predicate, nested path prefixes included. */
	private static final class RouteCollector implements RouterFunctions.Visitor, RequestPredicates.Visitor {

		private final List<String> found;

		private final List<String> prefixes = new ArrayList<>();

		private final List<String> methods = new ArrayList<>();

		private String path = "";

		RouteCollector(List<String> found) {
			this.found = found;
		}

		@Override
		public void startNested(RequestPredicate predicate) {
			this.path = "";
			predicate.accept(this);
			this.prefixes.add(this.path);
		}

		@Override
		public void endNested(RequestPredicate predicate) {
			this.prefixes.remove(this.prefixes.size() - 1);
		}

		@Override
		public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
			this.methods.clear();
			this.path = "";
			predicate.accept(this);
			String full = String.join("", this.prefixes) + this.path;
			List<String> answered = this.methods.isEmpty() ? List.of("OPTIONS") : List.copyOf(this.methods);
			answered.forEach(method -> this.found.add(method + " " + full));
		}

		@Override
		public void resources(Function<org.springframework.web.reactive.function.server.ServerRequest, reactor.core.publisher.Mono<org.springframework.core.io.Resource>> lookupFunction) {
		}

		@Override
		public void attributes(java.util.Map<String, Object> attributes) {
		}

		@Override
		public void unknown(RouterFunction<?> routerFunction) {
		}

		@Override
		public void method(Set<HttpMethod> methods) {
			methods.forEach(method -> this.methods.add(method.name()));
		}

		@Override
		public void path(String pattern) {
			this.path = this.path + pattern;
		}

		@Override
		public void pathExtension(String extension) {
		}

		@Override
		public void header(String name, String value) {
		}

		@Override
		public void queryParam(String name, String value) {
		}

		@Override
		public void version(String version) {
		}

		@Override
		public void startAnd() {
		}

		@Override
		public void and() {
		}

		@Override
		public void endAnd() {
		}

		@Override
		public void startOr() {
		}

		@Override
		public void or() {
		}

		@Override
		public void endOr() {
		}

		@Override
		public void startNegate() {
		}

		@Override
		public void endNegate() {
		}

		@Override
		public void unknown(RequestPredicate predicate) {
		}

	}

}

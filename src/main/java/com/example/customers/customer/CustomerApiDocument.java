package com.example.customers.customer;

import java.util.List;
import java.util.Map;

import com.example.customers.idempotency.IdempotencyKeyHeader;
import com.example.customers.idempotency.IdempotentRequests;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document of the API tables in docs/api.md, served at {@code /v3/api-docs} (Swagger UI at
 * {@code /swagger-ui.html}). Functional routes carry no annotations to read, so the document is written here, in
 * code, and {@code OpenApiDocumentTest} holds it to the routes and to the bodies the service really answers: a route
 * missing here, or a body that does not match its schema, fails the build.
 */
@Configuration(proxyBeanMethods = false)
class CustomerApiDocument {

	private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

	private static final String FORM = org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED_VALUE;

	/** Each component's example body, shown wherever an answer is that component. */
	private static final Map<String, Object> EXAMPLES = Map.of(
			"Customer", Map.of("id", 1, "login", "alice"),
			"CustomerList", List.of(Map.of("id", 1, "login", "alice"), Map.of("id", 2, "login", "bob")),
			"ApiRoot", Map.of("customer", "http://127.0.0.1:8080/api/customer/"),
			"ViewMetadata", Map.of("name", "Customer Viewset List", "description", "", "renders",
					List.of("application/json", "text/html"), "parses",
					List.of("application/json", "application/x-www-form-urlencoded")));

	private static final String CUSTOMER_TAG = "customer";

	private static final String ROOT_TAG = "root";

	/** What each operation does, beyond its summary: what linters and generated clients show as its documentation. */
	private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
			Map.entry("siteRoot", "The site's root redirects (302) to the API root, where the links start."),
			Map.entry("siteRootHead", "As GET /, without a body."),
			Map.entry("apiRoot", "DRF's DefaultRouter root: a link to each list, in the format the client asked for."),
			Map.entry("apiRootHead", "As GET /api/, without a body."),
			Map.entry("apiRootOptions", "DRF's SimpleMetadata of the API root view."),
			Map.entry("list", "Every customer, ordered by id, streamed from the database a page at a time."),
			Map.entry("listHead", "As GET /api/customer/, without a body."),
			Map.entry("create", "Creates a customer. The existence check is a fast path; the unique constraint decides, "
					+ "so concurrent creates of one login give exactly one 201 and the same 400 to every other. With an "
					+ "Idempotency-Key, a retry gets the first answer again and creates nothing."),
			Map.entry("listOptions", "DRF's SimpleMetadata of the list view, with the fields a POST takes."),
			Map.entry("retrieve", "One customer by id; 404 when there is none."),
			Map.entry("retrieveHead", "As GET /api/customer/{id}/, without a body."),
			Map.entry("update", "Replaces the login, which is required. A login taken meanwhile, even by a concurrent "
					+ "request, is 400 as for a create."),
			Map.entry("partialUpdate", "Changes the login if the body has one; {} changes nothing. A login taken "
					+ "meanwhile is 400 as for a create."),
			Map.entry("destroy", "Deletes the customer; 404 when there is none."),
			Map.entry("instanceOptions", "DRF's SimpleMetadata of the instance view, with the fields a PUT takes when "
					+ "the customer exists."));

	@Bean
	OpenAPI customerApi() {
		return new OpenAPI().info(new Info().title("Race-safe customers")
			.version("0.1.0")
			.license(new License().name("Apache License 2.0").identifier("Apache-2.0"))
			.contact(new Contact().name("Race-safe customers"))
			.description("""
					The Django REST Framework demo's customer API, where concurrent creates of one login give exactly \
					one 201 and 400 to every other. Paths end with a slash; without it, GET and HEAD are redirected \
					with 301 and other methods with 308. Every path also answers with a .json suffix \
					(/api/customer.json) or ?format=json. A GET from a browser (Accept preferring text/html), or with \
					?format=api or .api, gets the view's browsable HTML page; any other format is 404. A method a \
					path does not list is 405 {"detail":"Method \\"X\\" not allowed."}. Accept headers that accept \
					neither JSON nor, on a GET, HTML get 406. Every write of a login answers with a Server-Timing \
					header: check, window and write durations, and caught;desc="check" or "constraint"."""))
			// No authentication, as the DRF demo: said here, so that no reader or tool has to guess.
			.security(List.of())
			.addTagsItem(new Tag().name(CUSTOMER_TAG).description("The customers: list, create, retrieve, update, delete"))
			.addTagsItem(new Tag().name(ROOT_TAG).description("The site's and the API's roots"));
	}

	@Bean
	OpenApiCustomizer customerPaths() {
		return api -> api.paths(described(paths())).components(components());
	}

	/** Each operation's description and tag, from its id and path. */
	private static Paths described(Paths paths) {
		paths.forEach((path, item) -> item.readOperations().forEach(operation -> operation
			.description(DESCRIPTIONS.get(operation.getOperationId()))
			.addTagsItem(path.startsWith("/api/customer/") ? CUSTOMER_TAG : ROOT_TAG)));
		return paths;
	}

	private static Paths paths() {
		Operation list = operation("list", "Every customer, ordered by id", ok(ref("CustomerList")));
		Operation retrieve = operation("retrieve", "One customer", ok(ref("Customer")).addApiResponse("404", error()));
		ApiResponses toApiRoot = new ApiResponses().addApiResponse("302", new ApiResponse().description("Found")
			.addHeaderObject("Location", new Header().description("/api/").schema(new StringSchema())));
		return new Paths()
			.addPathItem("/", new PathItem()
				.get(new Operation().operationId("siteRoot").summary("Leads to the API root").responses(toApiRoot))
				.head(new Operation().operationId("siteRootHead").summary("GET without a body").responses(toApiRoot)))
			.addPathItem("/api/", new PathItem()
				.get(operation("apiRoot", "Links to the API's lists", ok(ref("ApiRoot"))))
				.head(operation("apiRootHead", "GET without a body", noBody("200")))
				.options(describe("apiRootOptions")))
			.addPathItem("/api/customer/", new PathItem().get(list)
				.head(operation("listHead", "GET without a body", noBody("200")))
				.post(create())
				.options(describe("listOptions")))
			.addPathItem("/api/customer/{id}/", new PathItem().addParametersItem(new PathParameter().name("id")
				.description("The customer's id; anything that is not a 64-bit number names no customer (404)")
				.schema(new StringSchema()))
				.get(retrieve)
				.head(operation("retrieveHead", "GET without a body", noBody("200").addApiResponse("404", noBody("404").get("404"))))
				.put(write("update", "Replace the login (required)", true))
				.patch(write("partialUpdate", "Change the login if given; {} changes nothing", false))
				.delete(operation("destroy", "Delete the customer", noBody("204").addApiResponse("404", error())))
				.options(describe("instanceOptions")));
	}

	private static Operation create() {
		return operation("create", "Create a customer; concurrent duplicates get 400 like sequential ones",
				new ApiResponses()
					.addApiResponse("201", new ApiResponse().description("Created (or, with an Idempotency-Key, replayed)")
						.content(json(ref("Customer")))
						.addHeaderObject("Location", new Header().description("/api/customer/{id}/").schema(new StringSchema()))
						.addHeaderObject(IdempotentRequests.REPLAYED,
								new Header().description("true when this is the first answer to the same key, replayed")
									.schema(new StringSchema())))
					.addApiResponse("400", badRequest())
					.addApiResponse("408", error())
					.addApiResponse("409", error().description("A request with this Idempotency-Key is still being processed"))
					.addApiResponse("413", error())
					.addApiResponse("415", error())
					.addApiResponse("422", error().description("This Idempotency-Key was used with a different request")))
			.addParametersItem(idempotencyKey())
			.requestBody(body(true));
	}

	private static Operation write(String id, String summary, boolean loginRequired) {
		return operation(id, summary, ok(ref("Customer")).addApiResponse("400", badRequest())
			.addApiResponse("404", error())
			.addApiResponse("408", error())
			.addApiResponse("413", error())
			.addApiResponse("415", error())).requestBody(body(loginRequired));
	}

	/** OPTIONS: DRF's SimpleMetadata of the view. */
	private static Operation describe(String id) {
		return operation(id, "The view's name, what it renders and parses, and the fields it takes", ok(ref("ViewMetadata")));
	}

	/** Every operation: 406 when Accept excludes JSON, 503 when the database does not answer. */
	private static Operation operation(String id, String summary, ApiResponses responses) {
		return new Operation().operationId(id)
			.summary(summary)
			.responses(responses.addApiResponse("406", error()).addApiResponse("503", error()));
	}

	private static Parameter idempotencyKey() {
		return new HeaderParameter().name(IdempotencyKeyHeader.NAME)
			.description("1 to 255 printable ASCII characters, bare or as a Structured Field string: a retry with the "
					+ "same key and body gets the first answer again, and creates nothing")
			.schema(new StringSchema().minLength(1).maxLength(255));
	}

	private static RequestBody body(boolean loginRequired) {
		Schema<?> schema = ref(loginRequired ? "LoginRequired" : "LoginOptional");
		return new RequestBody().content(new Content()
			.addMediaType(JSON, new MediaType().schema(schema).example(Map.of("login", "alice")))
			.addMediaType(FORM, new MediaType().schema(schema)));
	}

	private static ApiResponses ok(Schema<?> schema) {
		return new ApiResponses().addApiResponse("200", new ApiResponse().description("OK").content(json(schema)));
	}

	private static ApiResponses noBody(String status) {
		return new ApiResponses().addApiResponse(status, new ApiResponse().description("No body"));
	}

	private static ApiResponse badRequest() {
		return new ApiResponse().description("Field errors, or a body that is not JSON")
			.content(json(new Schema<>().oneOf(List.of(ref("FieldErrors"), ref("Detail"))),
					Map.of("login", List.of(LoginField.TAKEN))));
	}

	private static ApiResponse error() {
		return new ApiResponse().description("{\"detail\": ...}").content(json(ref("Detail")));
	}

	private static Content json(Schema<?> schema) {
		String component = (schema.get$ref() != null) ? schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1)
				: "";
		return json(schema, EXAMPLES.get(component));
	}

	/** What Swagger UI shows for the body: a real one (swagger-core would write a schema's map example as text). */
	private static Content json(Schema<?> schema, Object example) {
		MediaType body = new MediaType().schema(schema);
		return new Content().addMediaType(JSON, (example != null) ? body.example(example) : body);
	}

	private static Schema<?> ref(String name) {
		return new Schema<>().$ref("#/components/schemas/" + name);
	}

	private static Components components() {
		Schema<?> login = new StringSchema().maxLength(LoginField.MAX_LENGTH);
		return new Components().schemas(Map.of(
				"Customer", new ObjectSchema().addProperty("id", new IntegerSchema().format("int64"))
					.addProperty("login", login)
					.required(List.of("id", "login"))
					.additionalProperties(false),
				"CustomerList", new ArraySchema().items(ref("Customer")),
				"LoginRequired", new ObjectSchema().addProperty("login", login).required(List.of("login")),
				"LoginOptional", new ObjectSchema().addProperty("login", login),
				// The only fields that can be in error: a schema of named properties, which generated clients turn
				// into a class (a map of arrays became an alias that openapi-generator's Java client cannot compile).
				"FieldErrors", new ObjectSchema().description("{\"login\": [...]} or {\"non_field_errors\": [...]}")
					.addProperty(LoginField.NAME, new ArraySchema().items(new StringSchema()))
					.addProperty("non_field_errors", new ArraySchema().items(new StringSchema()))
					.minProperties(1)
					.additionalProperties(false),
				"Detail", new ObjectSchema().addProperty("detail", new StringSchema())
					.required(List.of("detail"))
					.additionalProperties(false),
				"ApiRoot", new ObjectSchema().addProperty("customer", new StringSchema().format("uri"))
					.required(List.of("customer")),
				"ViewMetadata", new ObjectSchema().addProperty("name", new StringSchema())
					.addProperty("description", new StringSchema())
					.addProperty("renders", new ArraySchema().items(new StringSchema()))
					.addProperty("parses", new ArraySchema().items(new StringSchema()))
					.addProperty("actions", new ObjectSchema().description("POST or PUT: the serializer's fields"))
					.required(List.of("name", "description", "renders", "parses"))));
	}

}

package com.example.customers.client;

import java.util.List;
import java.util.UUID;

import com.example.customers.client.api.CustomerApi;
import com.example.customers.client.model.Create400Response;
import com.example.customers.client.model.Customer;
import com.example.customers.client.model.Detail;
import com.example.customers.client.model.FieldErrors;
import com.example.customers.client.model.LoginOptional;
import com.example.customers.client.model.LoginRequired;
import com.example.customers.support.ServiceTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The service driven by a Java client that openapi-generator made from the document the service serves (java
 * generator, native library; generated in the build, never committed): what an API user would do with
 * /v3/api-docs. Each operation the client offers works as the document says, errors included, typed.
 */
@ServiceTest
class GeneratedClientIT {

	private final ApiClient client;

	private final CustomerApi customers;

	/**
	 * The client's own mapper, strict about unknown properties, as the document's {@code additionalProperties: false}
	 * allows: the generated oneOf reader does not check required properties (its own TODO says so), so with the
	 * lenient default a {"login": [...]} body also reads as a Detail, and it refuses the body as ambiguous.
	 */
	private final ObjectMapper errors;

	GeneratedClientIT(@LocalServerPort int port) {
		this.client = new ApiClient();
		this.client.updateBaseUri("http://127.0.0.1:" + port);
		this.customers = new CustomerApi(this.client);
		this.errors = this.client.getObjectMapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
	}

	@Test
	void aCustomerIsCreatedListedRetrievedRenamedAndDeleted() throws ApiException {
		String login = uniqueLogin("client");
		String renamed = uniqueLogin("client-renamed");

		Customer created = this.customers.create(null, new LoginRequired().login(login));
		String id = created.getId().toString();

		assertThat(created.getLogin()).isEqualTo(login);
		assertThat(this.customers.callList()).contains(created);
		assertThat(this.customers.retrieve(id)).isEqualTo(created);
		assertThat(this.customers.partialUpdate(id, new LoginOptional().login(renamed)).getLogin()).isEqualTo(renamed);
		this.customers.destroy(id);
		ApiException gone = catchThrowableOfType(ApiException.class, () -> this.customers.retrieve(id));
		assertThat(gone.getCode()).isEqualTo(404);
		assertThat(typed(gone.getResponseBody(), Detail.class).getDetail()).isEqualTo("Not found.");
	}

	@Test
	void aDuplicateIsATypedFieldError() throws ApiException, JsonProcessingException {
		String login = uniqueLogin("client-duplicate");
		this.customers.create(null, new LoginRequired().login(login));

		ApiException refused = catchThrowableOfType(ApiException.class,
				() -> this.customers.create(null, new LoginRequired().login(login)));

		assertThat(refused.getCode()).isEqualTo(400);
		Create400Response body = this.errors.readValue(refused.getResponseBody(), Create400Response.class);
		assertThat(body.getActualInstance()).isInstanceOf(FieldErrors.class);
		assertThat(body.getFieldErrors().getLogin()).containsExactly("customer with this login already exists.");
	}

	@Test
	void aRetriedCreateWithTheSameIdempotencyKeyGetsTheFirstAnswerReplayed() throws ApiException {
		String key = UUID.randomUUID().toString();
		LoginRequired body = new LoginRequired().login(uniqueLogin("client-key"));

		ApiResponse<Customer> first = this.customers.createWithHttpInfo(key, body);
		ApiResponse<Customer> retry = this.customers.createWithHttpInfo(key, body);

		assertThat(first.getStatusCode()).isEqualTo(201);
		assertThat(retry.getStatusCode()).isEqualTo(201);
		assertThat(retry.getData()).isEqualTo(first.getData());
		assertThat(retry.getHeaders().get("Idempotent-Replayed")).isEqualTo(List.of("true"));
		assertThat(first.getHeaders().get("Idempotent-Replayed")).isNull();
	}

	private <T> T typed(String body, Class<T> type) {
		try {
			return this.errors.readValue(body, type);
		}
		catch (JsonProcessingException ex) {
			throw new AssertionError("Not a " + type.getSimpleName() + ": " + body, ex);
		}
	}

	private static String uniqueLogin(String prefix) {
		return prefix + "-" + UUID.randomUUID();
	}

}

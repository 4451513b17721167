package com.example.customers.customer;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.example.customers.api.ApiException;
import com.example.customers.api.RequestBodies;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The customer API, one method per operation of DRF's ModelViewSet. Every write of a login runs the same chain:
 * existence check, race window, write, with the unique constraint deciding whatever the interleaving.
 */
@Component
public class CustomerHandler {

	private final CustomerRepository customers;

	private final RequestBodies bodies;

	private final DuplicateLogin duplicateLogin;

	private final Duration raceWindow;

	public CustomerHandler(CustomerRepository customers, RequestBodies bodies, DuplicateLogin duplicateLogin,
			CustomersProperties properties) {
		this.customers = customers;
		this.bodies = bodies;
		this.duplicateLogin = duplicateLogin;
		this.raceWindow = properties.raceWindow();
	}

	public Mono<ServerResponse> apiRoot(ServerRequest request) {
		String customers = UriComponentsBuilder.fromUri(request.uri())
			.replacePath("/api/customer/")
			.replaceQuery(null)
			.fragment(null)
			.toUriString();
		return ServerResponse.ok().bodyValue(Map.of("customer", customers));
	}

	public Mono<ServerResponse> list(ServerRequest request) {
		return ServerResponse.ok().body(this.customers.findAll(), Customer.class);
	}

	public Mono<ServerResponse> create(ServerRequest request) {
		return this.bodies.read(request)
			.map(LoginField::required)
			.flatMap(login -> claim(login, this.customers.existsByLogin(login), this::insert));
	}

	public Mono<ServerResponse> retrieve(ServerRequest request) {
		return existing(request).flatMap(CustomerHandler::ok);
	}

	public Mono<ServerResponse> update(ServerRequest request) {
		return change(request, body -> Optional.of(LoginField.required(body)));
	}

	public Mono<ServerResponse> partialUpdate(ServerRequest request) {
		return change(request, LoginField::optional);
	}

	public Mono<ServerResponse> destroy(ServerRequest request) {
		return id(request).flatMap(this.customers::deleteById)
			.flatMap(deleted -> deleted ? ServerResponse.noContent().build() : Mono.error(ApiException.notFound()));
	}

	/** As DRF: the object is looked up first, so a missing one is 404 whatever the body says. */
	private Mono<ServerResponse> change(ServerRequest request, Function<JsonNode, Optional<String>> newLogin) {
		return existing(request).flatMap(customer -> this.bodies.read(request)
			.map(newLogin)
			.flatMap(login -> login.isEmpty() ? ok(customer) : claim(login.get(),
					this.customers.existsByLoginOnOtherThan(login.get(), customer.id()),
					free -> rename(customer.id(), free))));
	}

	/**
	 * Writes a login unless it is taken. The check is only a fast path: every request that passes it during the race
	 * window reaches the write, and there the unique constraint lets exactly one succeed. The pause holds no
	 * connection and no transaction, so thousands of requests can wait in it at once.
	 */
	private Mono<ServerResponse> claim(String login, Mono<Boolean> loginTaken,
			Function<String, Mono<ServerResponse>> write) {
		return loginTaken.flatMap(taken -> taken ? this.duplicateLogin.caughtByCheck()
				: afterRaceWindow(login).flatMap(write)
					.onErrorResume(this.duplicateLogin::isViolation, violation -> this.duplicateLogin.caughtByConstraint()));
	}

	private Mono<String> afterRaceWindow(String login) {
		return this.raceWindow.isZero() ? Mono.just(login) : Mono.just(login).delayElement(this.raceWindow);
	}

	private Mono<ServerResponse> insert(String login) {
		return this.customers.insert(login)
			.flatMap(customer -> ServerResponse.created(URI.create("/api/customer/" + customer.id() + "/"))
				.bodyValue(customer));
	}

	/** The row may have been deleted during the race window: then it is 404, as for any missing customer. */
	private Mono<ServerResponse> rename(long id, String login) {
		return this.customers.updateLogin(id, login)
			.switchIfEmpty(Mono.error(ApiException::notFound))
			.flatMap(CustomerHandler::ok);
	}

	private Mono<Customer> existing(ServerRequest request) {
		return id(request).flatMap(this.customers::findById).switchIfEmpty(Mono.error(ApiException::notFound));
	}

	/** An id that is not a 64-bit number names no customer: 404, as Django's lookup answers. */
	private static Mono<Long> id(ServerRequest request) {
		try {
			return Mono.just(Long.parseLong(request.pathVariable("id")));
		}
		catch (NumberFormatException ex) {
			return Mono.error(ApiException.notFound());
		}
	}

	private static Mono<ServerResponse> ok(Customer customer) {
		return ServerResponse.ok().bodyValue(customer);
	}

}

package com.example.customers.customer;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.example.customers.api.ApiException;
import com.example.customers.api.FormatSuffixes;
import com.example.customers.api.RequestBodies;
import com.example.customers.db.DatabaseErrors;
import com.example.customers.db.WriteOutcomeUnknown;
import com.example.customers.eventloop.EventLoopTimers;
import com.example.customers.idempotency.Claim;
import com.example.customers.idempotency.IdempotencyKeyHeader;
import com.example.customers.idempotency.IdempotentRequests;
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

	private final TakenLogins takenLogins;

	private final RequestBodies bodies;

	private final DuplicateLogin duplicateLogin;

	private final IdempotentRequests idempotent;

	private final Duration raceWindow;

	private final EventLoopTimers timers;

	public CustomerHandler(CustomerRepository customers, TakenLogins takenLogins, RequestBodies bodies,
			DuplicateLogin duplicateLogin, IdempotentRequests idempotent, CustomersProperties properties,
			EventLoopTimers timers) {
		this.customers = customers;
		this.takenLogins = takenLogins;
		this.bodies = bodies;
		this.duplicateLogin = duplicateLogin;
		this.idempotent = idempotent;
		this.raceWindow = properties.raceWindow();
		this.timers = timers;
	}

	/** As DRF's APIRootView: the link keeps the format the client named, by suffix or by {@code ?format=}. */
	public Mono<ServerResponse> apiRoot(ServerRequest request) {
		UriComponentsBuilder customers = UriComponentsBuilder.fromUri(request.uri())
			.replacePath(FormatSuffixes.suffix(request).map(format -> "/api/customer." + format).orElse("/api/customer/"))
			.replaceQuery(null)
			.fragment(null);
		FormatSuffixes.query(request).ifPresent(format -> customers.queryParam("format", format));
		return ServerResponse.ok().bodyValue(Map.of("customer", customers.toUriString()));
	}

	public Mono<ServerResponse> list(ServerRequest request) {
		return ServerResponse.ok().body(this.customers.findAll(), Customer.class);
	}

	/** With an Idempotency-Key, a create runs at most once per key, and a retry gets the first answer again. */
	public Mono<ServerResponse> create(ServerRequest request) {
		return Mono.defer(() -> IdempotencyKeyHeader.of(request)
			.map(key -> this.idempotent.run(key, request,
					(body, claim) -> create(request, body, login -> createRecording(login, claim))))
			.orElseGet(() -> this.bodies.read(request).flatMap(body -> create(request, body,
					login -> this.customers.insert(login).flatMap(CustomerHandler::created)))));
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

	/** OPTIONS on the list describes the fields a POST takes. */
	public Mono<Map<String, Object>> createActions(ServerRequest request) {
		return Mono.just(Map.of("POST", SerializerFields.CUSTOMER));
	}

	/** OPTIONS on a customer describes the fields a PUT takes, only if it exists, as DRF's SimpleMetadata does. */
	public Mono<Map<String, Object>> updateActions(ServerRequest request) {
		return existing(request).map(customer -> Map.<String, Object>of("PUT", SerializerFields.CUSTOMER))
			.onErrorResume(ApiException.class, notFound -> Mono.empty());
	}

	public Mono<ServerResponse> destroy(ServerRequest request) {
		return id(request).flatMap(this.customers::deleteById)
			.flatMap(deleted -> deleted ? ServerResponse.noContent().build() : Mono.error(ApiException.notFound()));
	}

	/** As DRF: the object is looked up first, so a missing one is 404 whatever the body says. */
	private Mono<ServerResponse> change(ServerRequest request, Function<JsonNode, Optional<String>> newLogin) {
		return existing(request).flatMap(customer -> this.bodies.read(request)
			.map(newLogin)
			.flatMap(login -> login.isEmpty() ? ok(customer) : writeUnlessTaken(request, login.get(),
					this.customers.existsByLoginOnOtherThan(login.get(), customer.id()),
					free -> rename(customer.id(), free))));
	}

	/**
	 * Writes a login unless it is taken. The check is only a fast path: every request that passes it during the race
	 * window reaches the write, and there the unique constraint lets exactly one succeed. The pause holds no
	 * connection and no transaction, so thousands of requests can wait in it at once. Each phase is timed for the
	 * client ({@link RacePhases}: the Server-Timing header).
	 * <p>
	 * The check's pipeline is detached once it has answered: {@code flatMap} keeps its upstream for as long as the
	 * inner Mono runs, which kept the finished statement (parsed SQL, result, pooled-connection wrapper) reachable
	 * through the whole window, a third of what each waiting request held, copied by every young collection.
	 */
	private Mono<ServerResponse> writeUnlessTaken(ServerRequest request, String login, Mono<Boolean> loginTaken,
			Function<String, Mono<ServerResponse>> write) {
		RacePhases phases = RacePhases.of(request);
		return phases.check(loginTaken).onTerminateDetach().flatMap(taken -> taken
				? phases.caughtBy("check", this.duplicateLogin.caughtByCheck())
				: phases.window(afterRaceWindow(login)).flatMap(free -> phases.write(write.apply(free)
						.onErrorMap(DatabaseErrors::isOutcomeUnknown, WriteOutcomeUnknown::new)))
					.onErrorResume(this.duplicateLogin::isViolation,
							violation -> phases.caughtBy("constraint", this.duplicateLogin.caughtByConstraint())));
	}

	private Mono<String> afterRaceWindow(String login) {
		return this.raceWindow.isZero() ? Mono.just(login) : Mono.just(login).delayElement(this.raceWindow, this.timers);
	}

	private Mono<ServerResponse> create(ServerRequest request, JsonNode body,
			Function<String, Mono<ServerResponse>> insert) {
		String login = LoginField.required(body);
		return writeUnlessTaken(request, login, this.takenLogins.isTaken(login), insert);
	}

	/**
	 * The insert and the record of its 201 under the Idempotency-Key happen together, or neither does. The 201 is
	 * built once, by {@link #created}, before the write (the customer's id is taken from its sequence first), and is
	 * both what is recorded and what this request answers: a replay is this answer again, byte for byte, whatever
	 * {@link Customer} becomes. A request that outlived its claim, which a retry then took over, inserts nothing and
	 * gets 409.
	 */
	private Mono<ServerResponse> createRecording(String login, Claim claim) {
		return this.customers.nextId().map(id -> new Customer(id, login)).flatMap(customer -> created(customer)
			.flatMap(answer -> this.customers.insertRecordingCreated(customer, this.idempotent.answerOf(answer), claim)
				.switchIfEmpty(Mono.error(IdempotentRequests::claimLost))
				.thenReturn(answer)));
	}

	private static Mono<ServerResponse> created(Customer customer) {
		return ServerResponse.created(locationOf(customer)).bodyValue(customer);
	}

	private static URI locationOf(Customer customer) {
		return URI.create("/api/customer/" + customer.id() + "/");
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

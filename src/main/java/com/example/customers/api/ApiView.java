package com.example.customers.api;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * What DRF's APIView adds around one path's handlers: every answer of the view carries {@code Allow} and
 * {@code Vary: Accept} (errors included, as DRF's finalize_response sets them); OPTIONS answers SimpleMetadata's
 * description of the view; any other method gets DRF's 405. Functional routes produce no 405 by themselves; without
 * this the client would get a misleading 404.
 * <p>
 * Immutable; the Allow header is joined once, since every answer of the view carries it.
 */
public final class ApiView implements HandlerFunction<ServerResponse> {

	// What this service really renders and parses: JSON and the browsable page; no multipart (the demo lists it).
	private static final List<String> RENDERS = List.of(MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_HTML_VALUE);

	private static final List<String> PARSES = List.of(MediaType.APPLICATION_JSON_VALUE,
			MediaType.APPLICATION_FORM_URLENCODED_VALUE);

	private final String name;

	private final String description;

	private final String allow;

	private final Function<ServerRequest, Mono<Map<String, Object>>> actions;

	private final Map<String, String> facts;

	private final BrowsablePage page;

	/**
	 * @param name the view name DRF shows, such as "Customer Viewset List"
	 * @param description the view's docstring, as DRF shows it
	 * @param allow the methods the path allows, joined in the order of DRF's Allow header
	 * @param actions the writable methods' serializer fields, as SimpleMetadata's "actions" describes them; empty when
	 * there is nothing to describe
	 * @param facts what the browsable page's script needs to know of the service, such as the race window
	 */
	private ApiView(String name, String description, String allow,
			Function<ServerRequest, Mono<Map<String, Object>>> actions, Map<String, String> facts) {
		this.name = name;
		this.description = description;
		this.allow = allow;
		this.actions = actions;
		this.facts = facts;
		this.page = new BrowsablePage(name, description, allow, facts);
	}

	public static ApiView of(String name, HttpMethod... methods) {
		String allow = Stream.of(methods).map(HttpMethod::name).collect(Collectors.joining(", "));
		return new ApiView(name, "", allow, request -> Mono.empty(), Map.of());
	}

	public ApiView describedAs(String description) {
		return new ApiView(this.name, description, this.allow, this.actions, this.facts);
	}

	public ApiView withActions(Function<ServerRequest, Mono<Map<String, Object>>> actions) {
		return new ApiView(this.name, this.description, this.allow, actions, this.facts);
	}

	public ApiView withPageFacts(Map<String, String> facts) {
		return new ApiView(this.name, this.description, this.allow, this.actions, Map.copyOf(facts));
	}

	/** The browsable API's page of this view (chosen by {@link ContentNegotiation}). */
	Mono<ServerResponse> page(ServerRequest request) {
		return this.page.render(request);
	}

	/** A route filter: the view's headers go on whatever the handler answers, an error as much as a success. */
	public Mono<ServerResponse> addHeaders(ServerRequest request, HandlerFunction<ServerResponse> next) {
		HttpHeaders headers = request.exchange().getResponse().getHeaders();
		headers.set(HttpHeaders.ALLOW, this.allow);
		headers.set(HttpHeaders.VARY, HttpHeaders.ACCEPT);
		return next.handle(request);
	}

	@Override
	public Mono<ServerResponse> handle(ServerRequest request) {
		if (HttpMethod.OPTIONS.equals(request.method())) {
			return this.actions.apply(request)
				.map(this::metadata)
				.defaultIfEmpty(metadata(null))
				.flatMap(metadata -> ServerResponse.ok().bodyValue(metadata));
		}
		return Mono.error(ApiException.methodNotAllowed(request.method().name(), this.allow));
	}

	private Metadata metadata(Map<String, Object> described) {
		return new Metadata(this.name, this.description, RENDERS, PARSES, described);
	}

	/** DRF's SimpleMetadata, whose "actions" key is left out when there are none. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Metadata(String name, String description, List<String> renders, List<String> parses,
			Map<String, Object> actions) {
	}

}

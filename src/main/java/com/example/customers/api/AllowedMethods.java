package com.example.customers.api;

import java.util.List;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The last route of a path: answers OPTIONS with the methods the path allows, and any other method with DRF's 405.
 * Functional routes do not produce a 405 by themselves; without this the client would get a misleading 404.
 *
 * @param name the view name DRF's OPTIONS metadata shows, such as "Customer List"
 * @param methods the methods the path allows, in the order of DRF's Allow header
 */
public record AllowedMethods(String name, List<HttpMethod> methods) implements HandlerFunction<ServerResponse> {

	private static final List<String> RENDERS = List.of(MediaType.APPLICATION_JSON_VALUE);

	private static final List<String> PARSES = List.of(MediaType.APPLICATION_JSON_VALUE,
			MediaType.APPLICATION_FORM_URLENCODED_VALUE);

	public static AllowedMethods of(String name, HttpMethod... methods) {
		return new AllowedMethods(name, List.of(methods));
	}

	@Override
	public Mono<ServerResponse> handle(ServerRequest request) {
		if (HttpMethod.OPTIONS.equals(request.method())) {
			return ServerResponse.ok()
				.header(HttpHeaders.ALLOW, allowHeader())
				.bodyValue(new Metadata(this.name, "", RENDERS, PARSES));
		}
		return Mono.error(ApiException.methodNotAllowed(request.method().name(), allowHeader()));
	}

	/** The part of DRF's SimpleMetadata that describes the view, without the per-field "actions". */
	record Metadata(String name, String description, List<String> renders, List<String> parses) {
	}

	private String allowHeader() {
		return this.methods.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
	}

}

package com.example.customers.api;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * DRF's content negotiation for an API that renders JSON only. As in DRF, it runs before the handler, so a request it
 * refuses has had no effect: a format named by a suffix or {@code ?format=} that is not {@code json} finds no renderer
 * (404, DRF's filter_renderers), and a client whose Accept header excludes JSON gets 406.
 */
public final class ContentNegotiation {

	private static final String JSON_FORMAT = "json";

	private ContentNegotiation() {
	}

	public static Mono<ServerResponse> selectJson(ServerRequest request, HandlerFunction<ServerResponse> next) {
		if (FormatSuffixes.requested(request).filter(format -> !format.isEmpty() && !format.equals(JSON_FORMAT)).isPresent()) {
			return Mono.error(ApiException.notFound());
		}
		return acceptsJson(request) ? next.handle(request) : Mono.error(notAcceptable());
	}

	static ApiException notAcceptable() {
		return ApiException.detail(HttpStatus.NOT_ACCEPTABLE, "Could not satisfy the request Accept header.");
	}

	private static boolean acceptsJson(ServerRequest request) {
		try {
			List<MediaType> accepted = request.headers().accept();
			return accepted.isEmpty() || accepted.stream().anyMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}

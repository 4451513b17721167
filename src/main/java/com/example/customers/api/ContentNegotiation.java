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
 * The API renders JSON only. As in DRF, the Accept header is checked before anything else happens, so a client that
 * cannot take JSON gets 406 without its request having had any effect.
 */
public final class ContentNegotiation {

	private ContentNegotiation() {
	}

	public static Mono<ServerResponse> requireJsonAcceptable(ServerRequest request, HandlerFunction<ServerResponse> next) {
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

package com.example.customers.api;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * DRF's content negotiation between its two renderers, JSON and the browsable API. As in DRF, it runs before the
 * handler, so a request it refuses has had no effect. A format named by a suffix or {@code ?format=} wins: {@code json}
 * is JSON, {@code api} is the browsable page, anything else finds no renderer (404, DRF's filter_renderers). Without
 * one, the Accept header decides: its most preferred type that either renderer serves, the most specific first, so
 * a browser's {@code text/html} gets the page and curl's {@code *}{@code /*} gets JSON; a client that accepts neither
 * gets 406.
 * <p>
 * The page is for reading: GET and HEAD. Every other method answers JSON or nothing, as before the page existed,
 * and the page's own forms send JSON.
 */
public final class ContentNegotiation {

	private static final String JSON_FORMAT = "json";

	private static final String PAGE_FORMAT = "api";

	private enum Renderer {
		JSON, PAGE, NONE
	}

	private ContentNegotiation() {
	}

	public static HandlerFilterFunction<ServerResponse, ServerResponse> forView(ApiView view) {
		return (request, next) -> switch (renderer(request)) {
			case JSON -> next.handle(request);
			case PAGE -> view.page(request);
			case NONE -> Mono.error(FormatSuffixes.requested(request).filter(format -> !format.isEmpty()).isPresent()
					? ApiException.notFound() : notAcceptable());
		};
	}

	static ApiException notAcceptable() {
		return ApiException.detail(HttpStatus.NOT_ACCEPTABLE, "Could not satisfy the request Accept header.");
	}

	private static Renderer renderer(ServerRequest request) {
		Optional<String> format = FormatSuffixes.requested(request).filter(named -> !named.isEmpty());
		Renderer wanted = format.map(ContentNegotiation::byFormat).orElseGet(() -> byAccept(request));
		return wanted == Renderer.PAGE && !reads(request) ? Renderer.NONE : wanted;
	}

	private static Renderer byFormat(String format) {
		return switch (format) {
			case JSON_FORMAT -> Renderer.JSON;
			case PAGE_FORMAT -> Renderer.PAGE;
			default -> Renderer.NONE;
		};
	}

	private static Renderer byAccept(ServerRequest request) {
		List<MediaType> accepted;
		try {
			accepted = request.headers().accept();
		}
		catch (InvalidMediaTypeException ex) {
			return Renderer.NONE;
		}
		if (accepted.isEmpty()) {
			return Renderer.JSON;
		}
		return accepted.stream()
			.filter(type -> type.getQualityValue() > 0)
			.sorted(Comparator.comparingDouble(MediaType::getQualityValue).reversed().thenComparing(ContentNegotiation::specificity))
			.map(ContentNegotiation::rendererFor)
			.filter(renderer -> renderer != Renderer.NONE)
			.findFirst()
			.orElse(Renderer.NONE);
	}

	/** JSON first where both would do, as DRF lists its renderers: a wildcard means JSON. */
	private static Renderer rendererFor(MediaType type) {
		if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
			return Renderer.JSON;
		}
		return type.isCompatibleWith(MediaType.TEXT_HTML) ? Renderer.PAGE : Renderer.NONE;
	}

	/** Lower is more specific: {@code text/html}, then {@code text/*}, then {@code *}{@code /*}. */
	private static int specificity(MediaType type) {
		return type.isWildcardType() ? 2 : type.isWildcardSubtype() ? 1 : 0;
	}

	private static boolean reads(ServerRequest request) {
		return HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
	}

}

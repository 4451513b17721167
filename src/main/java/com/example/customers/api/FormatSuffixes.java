package com.example.customers.api;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * DRF's {@code format_suffix_patterns}, which the demo's DefaultRouter applies to every route: {@code /api/customer.json},
 * {@code /api/customer/1.json} and {@code /api/.json} (each with or without a trailing slash) reach the same view as
 * {@code /api/customer/}, {@code /api/customer/1/} and {@code /api/}, with the suffix as the requested format. Which
 * formats are rendered is content negotiation's business ({@link ContentNegotiation}): any suffix but {@code json}
 * is a 404 there. The path is rewritten before routing, so the router keeps one route per view.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2) // after RequestsInFlight: a refused request costs nothing more
public class FormatSuffixes implements WebFilter {

	private static final String FORMAT = FormatSuffixes.class.getName() + ".format";

	private static final String QUERY_PARAMETER = "format";

	// DRF: the route's regex without its slash, then \.(?P<format>[a-z0-9]+)/?$. Lookups are [^/.]+, and the API
	// root's regex is empty, so only the segment after /api/ may be a bare suffix.
	private static final Pattern SUFFIXED = Pattern.compile("(/api/(?:[^/]+/)*)([^/.]*)\\.([a-z0-9]+)/?");

	private static final Pattern DOTTED_LAST_SEGMENT = Pattern.compile("/api/.*\\.[^/]*/?");

	private static final String API_ROOT = "/api/";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().value();
		if (!DOTTED_LAST_SEGMENT.matcher(path).matches()) {
			return chain.filter(exchange);
		}
		Matcher suffixed = SUFFIXED.matcher(path);
		if (!suffixed.matches() || suffixed.group(2).isEmpty() && !suffixed.group(1).equals(API_ROOT)) {
			// No DRF route has a dot anywhere else in its last segment.
			return Mono.error(ApiException.notFound());
		}
		String viewPath = suffixed.group(2).isEmpty() ? API_ROOT : suffixed.group(1) + suffixed.group(2) + "/";
		ServerWebExchange rewritten = exchange.mutate().request(request -> request.path(viewPath)).build();
		rewritten.getAttributes().put(FORMAT, suffixed.group(3));
		return chain.filter(rewritten);
	}

	/** The format the client named, by a suffix or else by {@code ?format=} (DRF's URL_FORMAT_OVERRIDE). */
	public static Optional<String> requested(ServerRequest request) {
		return suffix(request).or(() -> query(request));
	}

	public static Optional<String> suffix(ServerRequest request) {
		return request.attribute(FORMAT).map(String.class::cast);
	}

	/** Django's QueryDict.get: the last value, which may be empty (DRF then negotiates as if none were named). */
	public static Optional<String> query(ServerRequest request) {
		List<String> values = request.queryParams().get(QUERY_PARAMETER);
		if (values == null || values.isEmpty()) {
			return Optional.empty();
		}
		return Optional.ofNullable(values.get(values.size() - 1));
	}

}

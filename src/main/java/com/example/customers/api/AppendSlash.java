package com.example.customers.api;

import java.net.URI;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Django's APPEND_SLASH, which the demo has on: a path that no route takes, but that a route takes with a slash
 * appended, is redirected there, and the request itself is not processed. Django answers 301, which clients follow
 * with a GET, so a POST's body is lost; here only GET and HEAD get 301, and every other method 308, which keeps the
 * method and the body. The question "would it route with the slash" is put to the routes themselves, so no path is
 * listed twice.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3) // after FormatSuffixes: /api/customer.json is a route, not a missing slash
public class AppendSlash implements WebFilter {

	private final List<RouterFunction<?>> routes;

	public AppendSlash(List<RouterFunction<?>> routes) {
		this.routes = routes;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().value();
		if (path.endsWith("/") || path.startsWith("//")) { // "//host" would be a redirect to another site
			return chain.filter(exchange);
		}
		ServerWebExchange slashed = exchange.mutate().request(request -> request.path(path + "/")).build();
		return routes(exchange).flatMap(routed -> routed ? Mono.just(false) : routes(slashed))
			.flatMap(redirect -> redirect ? redirect(exchange) : chain.filter(exchange));
	}

	private Mono<Boolean> routes(ServerWebExchange exchange) {
		ServerRequest request = ServerRequest.create(exchange, List.of());
		return Flux.fromIterable(this.routes).concatMap(route -> route.route(request)).hasElements();
	}

	private static Mono<Void> redirect(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		String query = request.getURI().getRawQuery();
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(isSafe(request.getMethod()) ? HttpStatus.MOVED_PERMANENTLY : HttpStatus.PERMANENT_REDIRECT);
		response.getHeaders().setContentLength(0);
		response.getHeaders().setLocation(URI.create(request.getPath().value() + "/" + (query != null ? "?" + query : "")));
		return response.setComplete();
	}

	private static boolean isSafe(HttpMethod method) {
		return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
	}

}

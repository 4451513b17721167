package com.example.customers.api;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * {@code X-Content-Type-Options: nosniff} on every answer of the API's port, errors and refusals included: a browser
 * must take a JSON answer for JSON, never guess it is a page or a script from what a client wrote into it (a login
 * echoed in an error body). First of the filters, so that a filter that refuses still answers with it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class NoSniffHeader implements WebFilter {

	static final String NAME = "X-Content-Type-Options";

	static final String VALUE = "nosniff";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		exchange.getResponse().getHeaders().set(NAME, VALUE);
		return chain.filter(exchange);
	}

}

package com.example.customers.scaleout;

import java.net.InetAddress;
import java.net.UnknownHostException;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Behind a load balancer, says which instance answered: {@code Served-By: <host name>} on every answer, errors
 * included, so that a race can be seen crossing instances. Off unless {@code customers.served-by-header} is true: it
 * tells clients something about the deployment they do not otherwise need.
 */
@Component
@ConditionalOnBooleanProperty("customers.served-by-header")
@Order(Ordered.HIGHEST_PRECEDENCE)
class ServedByHeader implements WebFilter {

	static final String NAME = "Served-By";

	private final String hostName;

	ServedByHeader() {
		this.hostName = hostName();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		exchange.getResponse().getHeaders().set(NAME, this.hostName);
		return chain.filter(exchange);
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}

}

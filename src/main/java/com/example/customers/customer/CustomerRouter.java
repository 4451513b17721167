package com.example.customers.customer;

import com.example.customers.api.AllowedMethods;
import com.example.customers.api.ContentNegotiation;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.OPTIONS;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;
import static org.springframework.web.reactive.function.server.RequestPredicates.path;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The paths of the DRF demo, trailing slashes included. HEAD is routed with GET, since functional routes do not
 * imply it. The last route of each path answers OPTIONS, and the methods it does not allow with 405.
 */
@Configuration(proxyBeanMethods = false)
class CustomerRouter {

	@Bean
	RouterFunction<ServerResponse> customerRoutes(CustomerHandler handler) {
		return route().GET("/api/", handler::apiRoot)
			.HEAD("/api/", handler::apiRoot)
			.route(path("/api/"), AllowedMethods.of("Api Root", GET, HEAD, OPTIONS))
			.path("/api/customer", customer -> customer.GET("/", handler::list)
				.HEAD("/", handler::list)
				.POST("/", handler::create)
				.route(path("/"), AllowedMethods.of("Customer List", GET, POST, HEAD, OPTIONS))
				.GET("/{id}/", handler::retrieve)
				.HEAD("/{id}/", handler::retrieve)
				.PUT("/{id}/", handler::update)
				.PATCH("/{id}/", handler::partialUpdate)
				.DELETE("/{id}/", handler::destroy)
				.route(path("/{id}/"),
						AllowedMethods.of("Customer Instance", GET, PUT, PATCH, DELETE, HEAD, OPTIONS)))
			.filter(ContentNegotiation::requireJsonAcceptable)
			.build();
	}

}

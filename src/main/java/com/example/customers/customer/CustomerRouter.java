package com.example.customers.customer;

import java.net.URI;
import java.util.Map;

import com.example.customers.api.ApiView;
import com.example.customers.api.ContentNegotiation;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
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
 * The paths of the DRF demo, trailing slashes included, one group per DRF view. HEAD is routed with GET, since
 * functional routes do not imply it. The last route of each view answers OPTIONS, and the methods it does not allow
 * with 405; its filters give every answer the view's headers, then negotiate the format as DRF does before any
 * handler runs: JSON, or the view's browsable page. Format suffixes ({@code .json}, {@code .api}) and the missing
 * slash are handled before routing, by {@link com.example.customers.api.FormatSuffixes} and
 * {@link com.example.customers.api.AppendSlash}.
 */
@Configuration(proxyBeanMethods = false)
class CustomerRouter {

	@Bean
	RouterFunction<ServerResponse> customerRoutes(CustomerHandler handler, CustomersProperties properties) {
		return siteRoot().and(apiRoot(handler))
			.and(customerList(handler, properties))
			.and(customerInstance(handler));
	}

	/** The address the README gives leads somewhere: to the API root, where its links start (302, as Django's). */
	private static RouterFunction<ServerResponse> siteRoot() {
		HandlerFunction<ServerResponse> toApiRoot = request -> ServerResponse.status(HttpStatus.FOUND)
			.location(URI.create("/api/"))
			.build();
		return route().GET("/", toApiRoot).HEAD("/", toApiRoot).build();
	}

	private static RouterFunction<ServerResponse> apiRoot(CustomerHandler handler) {
		String path = "/api/";
		ApiView view = ApiView.of("Api Root", GET, HEAD, OPTIONS)
			.describedAs("The default basic root view for DefaultRouter");
		return asView(path, view, route().GET(path, handler::apiRoot).HEAD(path, handler::apiRoot));
	}

	/** The list's page draws races: it needs the window and whether a lost race is mapped to 400. */
	private static RouterFunction<ServerResponse> customerList(CustomerHandler handler, CustomersProperties properties) {
		String path = "/api/customer/";
		ApiView view = ApiView.of("Customer Viewset List", GET, POST, HEAD, OPTIONS)
			.withActions(handler::createActions)
			.withPageFacts(Map.of("race-window-ms", Long.toString(properties.raceWindow().toMillis()),
					"map-duplicate-key", Boolean.toString(properties.mapDuplicateKey())));
		return asView(path, view, route().GET(path, handler::list).HEAD(path, handler::list).POST(path, handler::create));
	}

	private static RouterFunction<ServerResponse> customerInstance(CustomerHandler handler) {
		String path = "/api/customer/{id}/";
		ApiView view = ApiView.of("Customer Viewset Instance", GET, PUT, PATCH, DELETE, HEAD, OPTIONS)
			.withActions(handler::updateActions);
		return asView(path, view, route().GET(path, handler::retrieve)
			.HEAD(path, handler::retrieve)
			.PUT(path, handler::update)
			.PATCH(path, handler::partialUpdate)
			.DELETE(path, handler::destroy));
	}

	/**
	 * One DRF view: its handlers, then the view itself for OPTIONS and the methods it does not allow; every answer
	 * gets the view's headers, and DRF's content negotiation runs before any handler.
	 */
	private static RouterFunction<ServerResponse> asView(String path, ApiView view, RouterFunctions.Builder handlers) {
		return handlers.route(path(path), view)
			.filter(view::addHeaders)
			.filter(ContentNegotiation.forView(view))
			.build();
	}

}

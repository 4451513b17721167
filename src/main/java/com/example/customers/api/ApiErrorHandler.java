package com.example.customers.api;

import java.time.Duration;
import java.util.stream.Collectors;

import com.example.customers.db.DatabaseErrors;
import com.example.customers.db.WriteOutcomeUnknown;
import com.example.customers.logging.ThrottledLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Turns every error that leaves a handler, a route or the framework into a status and a DRF-format JSON body. The
 * duplicate-login rule is not here: it stays visible in the handler chain. Nothing below ever writes a stack trace or
 * an exception message the client did not cause.
 */
@Component
@Order(-2) // ahead of Spring Boot's own error handler, which renders a different body
class ApiErrorHandler implements WebExceptionHandler {

	private static final Log logger = LogFactory.getLog(ApiErrorHandler.class);

	/** While the database is away, every request fails alike: one line per kind of failure every ten seconds. */
	private final ThrottledLog outageLog = new ThrottledLog(logger, Duration.ofSeconds(10));

	/** A 503 is a moment's trouble: the pool's acquire limit, a failover, a rolled-back statement. */
	private static final String RETRY_AFTER_SECONDS = "1";

	/** Not "unavailable": that answer promises nothing was written, and here something may have been. */
	private static final String OUTCOME_UNKNOWN = "The connection to the database was lost after the write was sent: it"
			+ " may have been carried out. A retry with the same Idempotency-Key answers which; without one, read the"
			+ " resource before sending the request again.";

	private final JsonMapper json;

	private final LoadShedding shedding;

	ApiErrorHandler(JsonMapper json, LoadShedding shedding) {
		this.json = json;
		this.shedding = shedding;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(error);
		}
		if (DisconnectedClientHelper.isClientDisconnectedException(error)) {
			// The client hung up (in the middle of its body, say): no one to answer, and no failure of ours.
			logger.debug("The client went away: " + error);
			return Mono.empty();
		}
		ApiException answer = toAnswer(error, exchange);
		response.setStatusCode(answer.status());
		response.getHeaders().putAll(answer.headers()); // replaces: a view's Allow is set already
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = this.json.writeValueAsBytes(answer.body());
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	private ApiException toAnswer(Throwable error, ServerWebExchange exchange) {
		if (error instanceof ApiException answer) {
			return answer;
		}
		if (DatabaseErrors.causes(error).anyMatch(DataBufferLimitException.class::isInstance)) {
			return RequestBodies.tooLarge();
		}
		if (error instanceof UnsupportedMediaTypeStatusException) {
			return RequestBodies.unsupported(exchange.getRequest().getHeaders().getFirst(HttpHeaders.CONTENT_TYPE));
		}
		if (error instanceof NotAcceptableStatusException) {
			return ContentNegotiation.notAcceptable();
		}
		if (error instanceof ServerWebInputException) {
			return ApiException.detail(HttpStatus.BAD_REQUEST, "Malformed request.");
		}
		if (error instanceof ResponseStatusException status && status.getStatusCode().value() == 404) {
			return ApiException.notFound();
		}
		if (error instanceof MethodNotAllowedException notAllowed) {
			return ApiException.methodNotAllowed(notAllowed.getHttpMethod(),
					notAllowed.getSupportedMethods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", ")));
		}
		if (error instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()) {
			return ApiException.detail(status.getStatusCode(), reasonOf(status.getStatusCode()))
				.withHeaders(status.getHeaders());
		}
		if (RequestsInFlight.isRefusal(error)) {
			return unavailable();
		}
		if (error instanceof WriteOutcomeUnknown unknown) {
			this.outageLog.warn("outcome unknown " + kindOf(unknown.getCause()),
					() -> "Write outcome unknown: " + unknown.getCause());
			return ApiException.detail(HttpStatus.SERVICE_UNAVAILABLE, OUTCOME_UNKNOWN)
				.withHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		}
		if (DatabaseErrors.isNoConnectionInTime(error)) {
			this.shedding.shed();
			return unavailable();
		}
		if (DatabaseErrors.isUnavailable(error) || DatabaseErrors.isTransient(error)) {
			this.outageLog.warn("unavailable " + kindOf(error), () -> "Database unavailable: " + error);
			return unavailable();
		}
		logger.error("Unexpected failure on " + exchange.getRequest().getMethod() + " "
				+ exchange.getRequest().getPath(), error);
		return ApiException.detail(HttpStatus.INTERNAL_SERVER_ERROR, "A server error occurred.");
	}

	/** The most specific cause's class: what tells one kind of outage from another, whatever wraps it. */
	private static String kindOf(Throwable error) {
		return NestedExceptionUtils.getMostSpecificCause(error).getClass().getName();
	}

	private static ApiException unavailable() {
		return ApiException.detail(HttpStatus.SERVICE_UNAVAILABLE, "Service temporarily unavailable.")
			.withHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
	}

	/** The standard reason phrase ("Payload Too Large."), or a plain one for a code HTTP does not name. */
	private static String reasonOf(HttpStatusCode code) {
		HttpStatus known = HttpStatus.resolve(code.value());
		return (known != null) ? known.getReasonPhrase() + "." : "Client error.";
	}

}

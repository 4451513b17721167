package com.example.customers.api;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * A client error with its status and DRF-format body, raised anywhere in a request's chain and rendered by
 * {@link ApiErrorHandler}. It carries no stack trace: it is an answer, not a fault.
 */
public final class ApiException extends RuntimeException {

	private final HttpStatusCode status;

	private final Object body;

	private final HttpHeaders headers;

	private ApiException(HttpStatusCode status, Object body, HttpHeaders headers) {
		super(status + " " + body, null, false, false);
		this.status = status;
		this.body = body;
		this.headers = headers;
	}

	public static ApiException detail(HttpStatusCode status, String message) {
		return new ApiException(status, ErrorBodies.detail(message), HttpHeaders.EMPTY);
	}

	public static ApiException notFound() {
		return detail(HttpStatus.NOT_FOUND, "Not found.");
	}

	public static ApiException fieldErrors(String field, List<String> messages) {
		return new ApiException(HttpStatus.BAD_REQUEST, ErrorBodies.field(field, messages), HttpHeaders.EMPTY);
	}

	public static ApiException nonFieldError(String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, ErrorBodies.nonField(message), HttpHeaders.EMPTY);
	}

	public static ApiException methodNotAllowed(String method, String allow) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.ALLOW, allow);
		return new ApiException(HttpStatus.METHOD_NOT_ALLOWED,
				ErrorBodies.detail("Method \"" + method + "\" not allowed."), headers);
	}

	/** The same answer with one more response header. */
	public ApiException withHeader(String name, String value) {
		HttpHeaders more = new HttpHeaders();
		more.set(name, value);
		return withHeaders(more);
	}

	/** The same answer with more response headers, replacing those of the same names. */
	public ApiException withHeaders(HttpHeaders headers) {
		HttpHeaders more = new HttpHeaders();
		more.addAll(this.headers);
		headers.forEach(more::put);
		return new ApiException(this.status, this.body, more);
	}

	public HttpStatusCode status() {
		return this.status;
	}

	public Object body() {
		return this.body;
	}

	public HttpHeaders headers() {
		return this.headers;
	}

}

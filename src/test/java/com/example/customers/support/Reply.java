package com.example.customers.support;

import org.springframework.http.HttpHeaders;

/** What a client saw: status, headers and the body as text, so tests can assert the exact bytes of the JSON. */
public record Reply(int status, HttpHeaders headers, String body) {

	public boolean isServerError() {
		return this.status >= 500;
	}

}

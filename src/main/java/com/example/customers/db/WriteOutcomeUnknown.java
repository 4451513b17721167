package com.example.customers.db;

/**
 * A write whose connection failed after the statement was sent, with no word from the server: it may have been
 * committed (its reply lost on the way back) or not. The client must not be told that nothing was written.
 */
public class WriteOutcomeUnknown extends RuntimeException {

	public WriteOutcomeUnknown(Throwable cause) {
		super("The outcome of a write is unknown: " + cause, cause);
	}

}

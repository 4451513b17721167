package com.example.customers.idempotency;

/**
 * What claiming a key found.
 *
 * @param outcome whether this request now owns the key, or what else holds it
 * @param claim the claim, when this request owns the key
 * @param answer the recorded answer, when an earlier request with the same body finished
 */
record KeyState(Outcome outcome, Claim claim, RecordedAnswer answer) {

	enum Outcome {

		/** This request owns the key and runs. */
		OWNED,
		/** An earlier request with the same body finished: replay its answer. */
		COMPLETED,
		/** An earlier request with the same key is still running. */
		IN_PROGRESS,
		/** The key was used with a different body. */
		MISMATCH

	}

	static KeyState owned(Claim claim) {
		return new KeyState(Outcome.OWNED, claim, null);
	}

	static KeyState completed(RecordedAnswer answer) {
		return new KeyState(Outcome.COMPLETED, null, answer);
	}

	static KeyState inProgress() {
		return new KeyState(Outcome.IN_PROGRESS, null, null);
	}

	static KeyState mismatch() {
		return new KeyState(Outcome.MISMATCH, null, null);
	}

}

package com.example.customers.idempotency;

/** What the first request with a key was answered: replayed to every retry with the same key and body. */
public record RecordedAnswer(int status, String body, String location) {
}

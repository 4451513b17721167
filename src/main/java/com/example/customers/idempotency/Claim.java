package com.example.customers.idempotency;

import java.util.UUID;

/**
 * A request's ownership of a key. The token changes with every claim, so a request whose claim went stale and was
 * taken over cannot record its answer over the new owner's.
 */
public record Claim(String key, UUID token) {
}

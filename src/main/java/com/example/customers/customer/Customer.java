package com.example.customers.customer;

/** One row of the {@code customer} table, and the JSON body the API returns for it. */
public record Customer(long id, String login) {
}

package com.example.customers.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;

/**
 * The whole service on a random port, real Netty and a real pool, over the test database. The pool opens its
 * connections as they are wanted (up to its usual 10), not ten at start: Spring keeps the contexts of a run cached,
 * and ten idle connections each took the suite to 99 of PostgreSQL's 100 (spring.properties bounds the cache too).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.r2dbc.pool.initial-size=1")
@AutoConfigureWebTestClient(timeout = "60s")
@Import(TestDatabase.class)
public @interface ServiceTest {

}

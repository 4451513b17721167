package com.example.customers.customer;

import java.util.List;
import java.util.Map;

import com.example.customers.api.ErrorBodies;
import com.example.customers.db.DatabaseErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A login that is already taken, caught either by the existence check (the fast path) or by the unique constraint
 * (the source of truth, which catches every request that raced past the check). Both give DRF's 400, and a counter
 * tagged with the stage shows which one caught it.
 */
@Component
public class DuplicateLogin {

	private static final String UNIQUE_VIOLATION = "23505";

	private static final Map<String, List<String>> BODY = ErrorBodies.field(LoginField.NAME, List.of(LoginField.TAKEN));

	private final boolean mapConstraintViolation;

	private final LoginConstraint constraint;

	private final Counter caughtByCheck;

	private final Counter caughtByConstraint;

	public DuplicateLogin(CustomersProperties properties, LoginConstraint constraint, MeterRegistry registry) {
		this.mapConstraintViolation = properties.mapDuplicateKey();
		this.constraint = constraint;
		this.caughtByCheck = counter(registry, "check");
		this.caughtByConstraint = counter(registry, "constraint");
	}

	/**
	 * True for a unique violation of the login constraint only ({@link LoginConstraint}, whatever its name): a
	 * violation of any other constraint is not a login error. Decided by SQLSTATE and constraint name, never by
	 * message text.
	 */
	public boolean isViolation(Throwable error) {
		return this.mapConstraintViolation
				&& DatabaseErrors.sqlState(error).filter(UNIQUE_VIOLATION::equals).isPresent()
				&& DatabaseErrors.constraintName(error).filter(this.constraint::isNamed).isPresent();
	}

	public Mono<ServerResponse> caughtByCheck() {
		this.caughtByCheck.increment();
		return answer();
	}

	public Mono<ServerResponse> caughtByConstraint() {
		this.caughtByConstraint.increment();
		return answer();
	}

	private static Mono<ServerResponse> answer() {
		return ServerResponse.badRequest().bodyValue(BODY);
	}

	private static Counter counter(MeterRegistry registry, String stage) {
		return Counter.builder("customers.duplicates")
			.description("Requests refused because their login was taken, by the stage that caught it")
			.tag("stage", stage)
			.register(registry);
	}

}

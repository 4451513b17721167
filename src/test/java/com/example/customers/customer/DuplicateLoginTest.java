package com.example.customers.customer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.example.customers.support.Knobs;
import com.example.customers.support.PostgresErrors;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.EntityResponse;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Which errors are a taken login, and what each stage answers and counts, without a database. */
class DuplicateLoginTest {

	private static final Map<String, List<String>> TAKEN = Map.of("login", List.of(LoginField.TAKEN));

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final DuplicateLogin duplicateLogin = new DuplicateLogin(Knobs.with(), LoginConstraint.asMigrated(), this.registry);

	@Test
	void aUniqueViolationOfTheLoginConstraintIsATakenLoginThroughSpringsWrapping() {
		assertThat(this.duplicateLogin.isViolation(new DataIntegrityViolationException("insert",
				PostgresErrors.violating("23505", LoginConstraint.CREATED_BY_MIGRATION)))).isTrue();
	}

	@Test
	void anyOtherConstraintOrStateIsNot() {
		assertThat(this.duplicateLogin.isViolation(PostgresErrors.violating("23505", "customer_pkey"))).isFalse();
		assertThat(this.duplicateLogin.isViolation(PostgresErrors.violating("23514", LoginConstraint.CREATED_BY_MIGRATION))).isFalse();
		assertThat(this.duplicateLogin.isViolation(PostgresErrors.withState("23505"))).isFalse();
		assertThat(this.duplicateLogin.isViolation(new IllegalStateException("customer_login_key"))).isFalse();
	}

	@Test
	void withTheMappingSwitchedOffNothingIsATakenLogin() {
		DuplicateLogin unmapped = new DuplicateLogin(Knobs.with("map-duplicate-key", "false"), LoginConstraint.asMigrated(),
				this.registry);

		assertThat(unmapped.isViolation(PostgresErrors.violating("23505", LoginConstraint.CREATED_BY_MIGRATION))).isFalse();
	}

	@Test
	void eachStageAnswersDrfs400AndCountsOnlyItself() {
		assertTaken(this.duplicateLogin.caughtByCheck().block(Duration.ofSeconds(5)));
		assertTaken(this.duplicateLogin.caughtByConstraint().block(Duration.ofSeconds(5)));
		assertTaken(this.duplicateLogin.caughtByConstraint().block(Duration.ofSeconds(5)));

		assertThat(caughtBy("check")).isEqualTo(1);
		assertThat(caughtBy("constraint")).isEqualTo(2);
	}

	private double caughtBy(String stage) {
		return this.registry.get("customers.duplicates").tag("stage", stage).counter().count();
	}

	private static void assertTaken(ServerResponse response) {
		assertThat(response.statusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(((EntityResponse<?>) response).entity()).isEqualTo(TAKEN);
	}

}

package com.example.customers.db;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;

import com.example.customers.support.PostgresErrors;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;

import static org.assertj.core.api.Assertions.assertThat;

/** What the service reads from an error chain: SQLSTATE, constraint, and whether the database is unavailable. */
class DatabaseErrorsTest {

	@Test
	void theSqlStateAndConstraintAreFoundThroughSpringsWrapping() {
		Throwable wrapped = new DataIntegrityViolationException("insert failed",
				PostgresErrors.violating("23505", "customer_login_key"));

		assertThat(DatabaseErrors.sqlState(wrapped)).contains("23505");
		assertThat(DatabaseErrors.constraintName(wrapped)).contains("customer_login_key");
	}

	@Test
	void anErrorWithoutADatabaseCauseHasNoStateAndNoConstraint() {
		RuntimeException plain = new IllegalStateException("no database here", new RuntimeException("inner"));

		assertThat(DatabaseErrors.sqlState(plain)).isEmpty();
		assertThat(DatabaseErrors.constraintName(plain)).isEmpty();
		assertThat(DatabaseErrors.constraintName(PostgresErrors.withState("23505"))).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "08000", "08001", "08006", "08P01", "57P01", "57P02", "57P03", "53300", "25006" })
	void statesThatMeanNoConnectionAreUnavailable(String state) {
		assertThat(DatabaseErrors.isUnavailable(new RuntimeException(PostgresErrors.withState(state)))).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "23505", "42P01", "22001", "22P02", "28P01", "3D000", "0A000", "05801", "40001", "57014" })
	void otherStatesAreNot(String state) {
		assertThat(DatabaseErrors.isUnavailable(PostgresErrors.withState(state))).isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "40001", "40P01", "55P03", "57014" })
	void statesOfAStatementRolledBackForAMomentAreTransient(String state) {
		assertThat(DatabaseErrors.isTransient(new RuntimeException(PostgresErrors.withState(state)))).isTrue();
		assertThat(DatabaseErrors.isUnavailable(PostgresErrors.withState(state))).isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "40002", "23505", "08006", "22001" })
	void otherStatesAreNotTransient(String state) {
		assertThat(DatabaseErrors.isTransient(PostgresErrors.withState(state))).isFalse();
	}

	@Test
	void noConnectionOrNoneInTimeIsUnavailableWhateverWrapsIt() {
		assertThat(new Throwable[] { new DataAccessResourceFailureException("down"),
				new TransientDataAccessResourceException("pool"), new QueryTimeoutException("slow"),
				new R2dbcNonTransientResourceException("gone"), new R2dbcTransientResourceException("busy"),
				new R2dbcTimeoutException("late"), new ConnectException("refused"), new TimeoutException("acquire") })
			.allSatisfy(error -> assertThat(DatabaseErrors.isUnavailable(new IllegalStateException("outer", error)))
				.as("%s", error)
				.isTrue());
		assertThat(DatabaseErrors.isUnavailable(new IllegalStateException("a bug"))).isFalse();
	}

	@Test
	void aJdbcErrorFromFlywaysConnectionIsReadToo() {
		Throwable lost = new IllegalStateException("Unable to commit transaction", new SQLException("I/O error", "08006"));

		assertThat(DatabaseErrors.sqlState(lost)).contains("08006");
		assertThat(DatabaseErrors.isUnavailable(lost)).isTrue();
		assertThat(DatabaseErrors.isUnavailable(new SQLException("syntax", "42601"))).isFalse();
	}

	@Test
	void theCausesRunFromTheOutermostToTheInnermost() {
		ConnectException refused = new ConnectException("Connection refused: /127.0.0.1:5432");
		RuntimeException chain = new RuntimeException("outer", new IllegalStateException("middle", refused));

		assertThat(DatabaseErrors.causes(chain)).hasSize(3).startsWith(chain).endsWith(refused);
	}


	/** A broken connection with no word from the server: the statement may have run. */
	@Test
	void aConnectionLostWithoutAServerErrorLeavesTheOutcomeUnknown() {
		assertThat(DatabaseErrors.isOutcomeUnknown(new DataAccessResourceFailureException("executeMany",
				new R2dbcNonTransientResourceException("Connection closed")))).isTrue();
		assertThat(DatabaseErrors.isOutcomeUnknown(new R2dbcNonTransientResourceException("I/O error", "08006")))
			.as("the driver's own connection-failure state").isTrue();
	}

	@Test
	void aServerErrorNoConnectionInTimeOrARefusedConnectLeaveNothingWritten() {
		assertThat(DatabaseErrors.isOutcomeUnknown(new R2dbcTransientResourceException("rolled back", "40001")))
			.as("the server reported the statement failed").isFalse();
		assertThat(DatabaseErrors.isOutcomeUnknown(new R2dbcTimeoutException("acquire", new TimeoutException())))
			.as("no pooled connection in time").isFalse();
		assertThat(DatabaseErrors.isOutcomeUnknown(new R2dbcNonTransientResourceException("connect",
				new ConnectException("refused")))).as("a refused connect").isFalse();
		assertThat(DatabaseErrors.isOutcomeUnknown(new IllegalStateException("a bug"))).as("not the database")
			.isFalse();
	}

}

package com.example.customers.customer;

import java.util.List;
import java.util.Map;

import com.example.customers.api.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The login field's rules, as DRF 3.14 words them, without a server or a database. */
class LoginFieldTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', value = { "{\"login\":\"alice\"}|alice", "{\"login\":\"  alice \"}|alice",
			"{\"login\":42,\"id\":7}|42", "{\"login\":1.5}|1.5" })
	void aValidLoginIsReadAsDrfStoresIt(String body, String login) {
		assertThat(LoginField.required(json.readTree(body))).isEqualTo(login);
		assertThat(LoginField.optional(json.readTree(body))).contains(login);
	}

	@Test
	void aLoginOfExactlyTheMaximumLengthInCodePointsIsValid() {
		String login = "\uD83D\uDE00".repeat(LoginField.MAX_LENGTH);

		assertThat(LoginField.required(body(login))).isEqualTo(login);
	}

	@Test
	void anAbsentLoginIsRequiredForACreateButLeftAsItIsForAPatch() {
		assertFieldErrors(() -> LoginField.required(json.readTree("{\"id\":1}")), "This field is required.");
		assertThat(LoginField.optional(json.readTree("{\"id\":1}"))).isEmpty();
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', value = { "{\"login\":null}|This field may not be null.",
			"{\"login\":\"\"}|This field may not be blank.", "{\"login\":\" \\t \"}|This field may not be blank.",
			"{\"login\":[\"a\"]}|Not a valid string.", "{\"login\":{}}|Not a valid string.",
			"{\"login\":true}|Not a valid string." })
	void anUnusableLoginIsOneFieldError(String body, String message) {
		assertFieldErrors(() -> LoginField.required(json.readTree(body)), message);
		assertFieldErrors(() -> LoginField.optional(json.readTree(body)), message);
	}

	@Test
	void everyBrokenRuleIsReportedAtOnce() {
		assertFieldErrors(() -> LoginField.required(body("\u0000" + "x".repeat(LoginField.MAX_LENGTH))),
				"Ensure this field has no more than 255 characters.", "Null characters are not allowed.");
	}

	@ParameterizedTest(name = "U+{0}")
	@ValueSource(strings = { "D800", "DBFF", "DC00", "DFFF" })
	void aLoneSurrogateIsNamed(String hex) {
		String lone = String.valueOf((char) Integer.parseInt(hex, 16));

		assertFieldErrors(() -> LoginField.required(body("a" + lone + "b")),
				"Surrogate characters are not allowed: U+" + hex + ".");
	}

	@Test
	void thePairsAroundTheSurrogatesAreCharactersLikeAnyOther() {
		String login = "\uD7FF\uE000\uD83D\uDE00";

		assertThat(LoginField.required(body(login))).isEqualTo(login);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', value = { "null|No data provided", "[]|Invalid data. Expected a dictionary, but got list.",
			"\"alice\"|Invalid data. Expected a dictionary, but got str.",
			"1|Invalid data. Expected a dictionary, but got int.", "true|Invalid data. Expected a dictionary, but got bool.",
			"1.5|Invalid data. Expected a dictionary, but got float." })
	void aBodyThatIsNoObjectIsANonFieldError(String body, String message) {
		ApiException error = catchThrowableOfType(ApiException.class, () -> LoginField.optional(json.readTree(body)));

		assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(error.body()).isEqualTo(Map.of("non_field_errors", List.of(message)));
	}

	private static JsonNode body(String login) {
		return json.createObjectNode().put(LoginField.NAME, login);
	}

	private static void assertFieldErrors(Runnable read, String... messages) {
		ApiException error = catchThrowableOfType(ApiException.class, read::run);

		assertThat(error).as("the error").isNotNull();
		assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(error.body()).isEqualTo(Map.of("login", List.of(messages)));
	}

}

package com.example.customers.customer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored text of a non-string login is what Python's str() gives, as DRF stores it. */
class PythonStrTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', value = { "42|42", "-0|0", "123456789012345678901234567890|123456789012345678901234567890",
			"1.5|1.5", "1.0|1.0", "1e2|100.0", "0.0001|0.0001", "0.00001|1e-05", "1e16|1e+16", "123456789.125|123456789.125",
			"-2.5e-7|-2.5e-07", "1e400|inf", "-0.0|-0.0", "-1e400|-inf", "1e15|1000000000000000.0", "-1e16|-1e+16",
			"12e-5|0.00012", "100|100" })
	void numbersBecomeTheirPythonStr(String number, String stored) {
		assertThat(PythonStr.of(json.readTree(number))).contains(stored);
	}

	@ParameterizedTest(name = "[{0}]")
	@CsvSource(delimiter = '|', value = { "' alice '|alice", "'\u00a0alice\u2003'|alice", "'\u0085a b\u001c'|a b",
			"'\u200balice'|\u200balice" })
	void stripRemovesWhatPythonCallsWhiteSpace(String text, String stripped) {
		assertThat(PythonStr.strip(text)).isEqualTo(stripped);
	}

}

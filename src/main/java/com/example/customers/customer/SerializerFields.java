package com.example.customers.customer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The demo's ModelSerializer fields as DRF's SimpleMetadata describes them in an OPTIONS answer's "actions": the
 * read-only {@code id} and {@code login}, a {@code CharField(max_length=255)}. Keys in DRF's order.
 */
final class SerializerFields {

	static final Map<String, Field> CUSTOMER = customer();

	private SerializerFields() {
	}

	/** SimpleMetadata's field info: an attribute that is None is left out, False is not. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Field(String type, boolean required, @JsonProperty("read_only") boolean readOnly, String label,
			@JsonProperty("max_length") Integer maxLength) {
	}

	private static Map<String, Field> customer() {
		Map<String, Field> fields = new LinkedHashMap<>();
		fields.put("id", new Field("integer", false, true, "ID", null));
		fields.put(LoginField.NAME, new Field("string", true, false, "Login", LoginField.MAX_LENGTH));
		return Collections.unmodifiableMap(fields);
	}

}

package com.example.customers.support;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HEAD answers with GET's status and headers, less the ones that only the content decides, which HEAD may leave out
 * (RFC 9110, 9.3.2): Transfer-Encoding, and Content-Length, which must be GET's if HEAD gives it.
 */
public final class HeadAndGet {

	private static final Set<String> DECIDED_BY_THE_CONTENT = Set.of("content-length", "transfer-encoding");

	private HeadAndGet() {
	}

	public static void assertHeadAnswersAsGet(Reply head, Reply get) {
		assertThat(head.status()).as("HEAD's status").isEqualTo(get.status());
		assertThat(byName(head.headers())).as("HEAD's headers").isEqualTo(byName(get.headers()));
		if (head.headers().getContentLength() >= 0) {
			assertThat(head.headers().getContentLength()).as("HEAD's Content-Length")
				.isEqualTo(get.headers().getContentLength());
		}
	}

	private static Map<String, List<String>> byName(HttpHeaders headers) {
		Map<String, List<String>> byName = new TreeMap<>();
		headers.forEach((name, values) -> {
			String lowerCase = name.toLowerCase(Locale.ROOT);
			if (!DECIDED_BY_THE_CONTENT.contains(lowerCase)) {
				byName.put(lowerCase, List.copyOf(values));
			}
		});
		return byName;
	}

}

package com.example.customers.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The browsable API's HTML page for one view, as DRF's BrowsableAPIRenderer shows it to a browser: the view's name,
 * description and allowed methods. The page's script then asks the same view for JSON, with the same
 * {@code fetch} that its forms and its race panel use, and shows that request and the real answer: what the
 * browser shows is what curl gets.
 * <p>
 * Everything the page loads comes from this service ({@code /static/browsable-api/}), and its
 * Content-Security-Policy allows nothing else: no inline script or style, no other origin, no framing.
 */
final class BrowsablePage {

	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

	private static final String TEMPLATE = read("browsable-api/page.html");

	private final String before;

	private final String after;

	/**
	 * @param name the view's name, the page's heading
	 * @param description the view's description
	 * @param allow the view's Allow header, which decides the page's forms
	 * @param facts what the page's script needs to know of the service, as {@code data-} attributes of its body
	 */
	BrowsablePage(String name, String description, String allow, Map<String, String> facts) {
		String page = TEMPLATE.replace("{{name}}", HtmlUtils.htmlEscape(name))
			.replace("{{description}}", HtmlUtils.htmlEscape(description))
			.replace("{{allow}}", HtmlUtils.htmlEscape(allow))
			.replace("{{facts}}", facts.entrySet()
				.stream()
				.map(fact -> " data-" + fact.getKey() + "=\"" + HtmlUtils.htmlEscape(fact.getValue()) + "\"")
				.sorted()
				.collect(Collectors.joining()));
		int path = page.indexOf("{{path}}");
		this.before = page.substring(0, path);
		this.after = page.substring(path + "{{path}}".length());
	}

	/**
	 * The page for this request. Its script asks for JSON at the view's own path, the one routing saw: a page asked
	 * for as {@code /api/customer.api} reads {@code /api/customer/}.
	 */
	Mono<ServerResponse> render(ServerRequest request) {
		String page = this.before + HtmlUtils.htmlEscape(request.path()) + this.after;
		return ServerResponse.ok()
			.contentType(HTML)
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("X-Content-Type-Options", "nosniff")
			.bodyValue(page);
	}

	private static String read(String resource) {
		try (InputStream in = new ClassPathResource(resource).getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The browsable API's page is missing from the classpath: " + resource, ex);
		}
	}

}

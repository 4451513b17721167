package com.example.customers.api;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.time.Duration;
import java.nio.charset.StandardCharsets;

import com.example.customers.eventloop.EventLoopTimers;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Reads a request body the way DRF's default parsers do, into one JSON tree whatever the media type: JSON, or a
 * form whose fields become strings. A body larger than the limit is refused before it is buffered whole, and one that
 * does not arrive in time (a Content-Length that promises more than is sent) is given up on.
 */
@Component
public class RequestBodies {

	private static final byte[] NO_BYTES = {};

	private final JsonMapper json;

	private final int maxBytes;

	private final Duration timeout;

	private final EventLoopTimers timers;

	public RequestBodies(JsonMapper json, ApiProperties properties, EventLoopTimers timers) {
		this.json = json;
		this.maxBytes = Math.toIntExact(properties.maxBodySize().toBytes());
		this.timeout = properties.bodyTimeout();
		this.timers = timers;
	}

	public Mono<JsonNode> read(ServerRequest request) {
		return readBytes(request).map(bytes -> parse(contentType(request), bytes));
	}

	/** The body as it came, within the size limit and the timeout; empty when there is none. */
	public Mono<byte[]> readBytes(ServerRequest request) {
		if (request.headers().asHttpHeaders().getContentLength() > this.maxBytes) {
			return Mono.error(tooLarge());
		}
		return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), this.maxBytes)
			.timeout(this.timeout, Mono.error(RequestBodies::notReceivedInTime), this.timers)
			.map(RequestBodies::drain)
			.defaultIfEmpty(NO_BYTES);
	}

	public static String contentType(ServerRequest request) {
		return request.headers().asHttpHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
	}

	static ApiException tooLarge() {
		return ApiException.detail(HttpStatus.PAYLOAD_TOO_LARGE, "Request body is too large.");
	}

	/** The rest of the body may still be on its way, so the connection cannot carry another request. */
	static ApiException notReceivedInTime() {
		return ApiException.detail(HttpStatus.REQUEST_TIMEOUT, "Request body was not received in time.")
			.withHeader(HttpHeaders.CONNECTION, "close");
	}

	static ApiException unsupported(String contentType) {
		return ApiException.detail(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				"Unsupported media type \"" + contentType + "\" in request.");
	}

	/**
	 * Like DRF, an empty body is an empty object, whatever its type. A body without a Content-Type is text/plain, as
	 * the demo's server (wsgiref) takes it, so DRF finds no parser for it: 415.
	 */
	public JsonNode parse(String sentType, byte[] bytes) {
		if (bytes.length == 0) {
			return this.json.createObjectNode();
		}
		String rawType = sentType != null ? sentType : MediaType.TEXT_PLAIN_VALUE;
		MediaType type = mediaType(rawType);
		if (type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)) {
			return parseJson(bytes);
		}
		if (type.equalsTypeAndSubtype(MediaType.APPLICATION_FORM_URLENCODED)) {
			return parseForm(bytes, type.getCharset() != null ? type.getCharset() : StandardCharsets.UTF_8);
		}
		throw unsupported(rawType);
	}

	private JsonNode parseJson(byte[] bytes) {
		try {
			JsonNode tree = this.json.readTree(bytes);
			if (tree == null || tree.isMissingNode()) {
				throw parseError("No content to map due to end-of-input");
			}
			return tree;
		}
		catch (JacksonException ex) {
			throw parseError(ex.getOriginalMessage());
		}
	}

	/** Django's QueryDict: the last value of a repeated field wins. */
	private JsonNode parseForm(byte[] bytes, Charset charset) {
		ObjectNode form = this.json.createObjectNode();
		for (String pair : new String(bytes, charset).split("&")) {
			if (!pair.isEmpty()) {
				int equals = pair.indexOf('=');
				String name = equals < 0 ? pair : pair.substring(0, equals);
				String value = equals < 0 ? "" : pair.substring(equals + 1);
				form.put(decode(name, charset), decode(value, charset));
			}
		}
		return form;
	}

	private static String decode(String text, Charset charset) {
		try {
			return URLDecoder.decode(text, charset);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.detail(HttpStatus.BAD_REQUEST, "Malformed request.");
		}
	}

	private static MediaType mediaType(String rawType) {
		try {
			return MediaType.parseMediaType(rawType);
		}
		catch (InvalidMediaTypeException ex) {
			throw unsupported(rawType);
		}
	}

	private static ApiException parseError(String parserMessage) {
		return ApiException.detail(HttpStatus.BAD_REQUEST, "JSON parse error - " + parserMessage);
	}

	private static byte[] drain(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

}

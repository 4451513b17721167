package com.example.customers.api;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import tools.jackson.databind.json.JsonMapper;

/**
 * An error answered by Netty itself, before WebFlux has a request to hand (a request it cannot decode, or one that
 * never finished arriving): the API's JSON body, and a closed connection, since the rest of its bytes cannot be trusted.
 */
final class NettyErrorResponse {

	private NettyErrorResponse() {
	}

	static FullHttpResponse closing(JsonMapper json, HttpResponseStatus status, String detail) {
		byte[] body = json.writeValueAsBytes(ErrorBodies.detail(detail));
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
			.set(NoSniffHeader.NAME, NoSniffHeader.VALUE)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		return response;
	}

}

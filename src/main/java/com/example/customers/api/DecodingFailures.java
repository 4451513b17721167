package com.example.customers.api;

import java.net.URI;
import java.net.URISyntaxException;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Requests that Netty cannot even decode (a request line or headers over the limits, a malformed request line or
 * URI) never reach WebFlux, and Reactor Netty answers them with an empty body. This answers them in the API's JSON format
 * instead, then closes the connection, since the rest of its bytes cannot be trusted.
 */
@Component
class DecodingFailures implements NettyServerCustomizer {

	private final JsonMapper json;

	DecodingFailures(JsonMapper json) {
		this.json = json;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, address) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, "jsonDecodingFailures", new Handler());
			}
		});
	}

	private final class Handler extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			if (message instanceof HttpRequest request && !isUsable(request)) {
				Throwable cause = request.decoderResult().cause();
				ReferenceCountUtil.release(message);
				// LingeringCloses makes this close a lingering one: more of the client's bytes may be on their way.
				context.writeAndFlush(response(cause)).addListener(ChannelFutureListener.CLOSE);
				return;
			}
			context.fireChannelRead(message);
		}

		/** WebFlux itself refuses a URI that java.net.URI cannot parse, with an empty 400. */
		private static boolean isUsable(HttpRequest request) {
			if (request.decoderResult().isFailure()) {
				return false;
			}
			try {
				new URI(request.uri());
				return true;
			}
			catch (URISyntaxException ex) {
				return false;
			}
		}

		private FullHttpResponse response(Throwable cause) {
			HttpResponseStatus status;
			String detail;
			if (cause instanceof TooLongHttpLineException) {
				status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
				detail = "Request line too long.";
			}
			else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
				status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
				detail = "Request header fields too large.";
			}
			else {
				status = HttpResponseStatus.BAD_REQUEST;
				detail = "Malformed request.";
			}
			return NettyErrorResponse.closing(DecodingFailures.this.json, status, detail);
		}

	}

}

package com.example.customers.api;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * A request's line and headers must arrive within {@code customers.header-timeout} of its first byte. Netty waits for
 * them as long as bytes keep coming, so a client sending one byte a second (slowloris) held its connection, and a few
 * thousand such clients held as many, for ever. Past the deadline the client gets 408 in JSON and the connection is
 * closed. Counting starts at the first byte, not at the connection or the last answer: a connection idle between
 * requests is {@code server.netty.idle-timeout}'s business, and a request being served is never cut.
 */
@Component
class RequestHeadDeadline implements NettyServerCustomizer {

	private final JsonMapper json;

	private final Duration timeout;

	RequestHeadDeadline(JsonMapper json, ApiProperties properties) {
		this.json = json;
		this.timeout = properties.headerTimeout();
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, address) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				Deadline deadline = new Deadline(channel);
				channel.pipeline().addBefore(NettyPipeline.HttpCodec, "requestHeadStarted", deadline.firstByte());
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, "requestHeadArrived", deadline.headersDecoded());
			}
		});
	}

	/** One connection's clock: armed by the first byte of a request, stopped by its decoded headers. */
	private final class Deadline {

		private final Channel channel;

		private boolean awaitingHead = true;

		private ScheduledFuture<?> timer;

		Deadline(Channel channel) {
			this.channel = channel;
		}

		/** Before the codec: raw bytes. */
		ChannelInboundHandlerAdapter firstByte() {
			return new ChannelInboundHandlerAdapter() {

				@Override
				public void channelRead(ChannelHandlerContext context, Object message) {
					if (Deadline.this.awaitingHead && Deadline.this.timer == null && message instanceof ByteBuf) {
						Deadline.this.timer = context.executor().schedule(Deadline.this::expire,
								RequestHeadDeadline.this.timeout.toNanos(), TimeUnit.NANOSECONDS);
					}
					context.fireChannelRead(message);
				}

				@Override
				public void channelInactive(ChannelHandlerContext context) {
					stop();
					context.fireChannelInactive();
				}

			};
		}

		/** After the codec: decoded messages, on the same event loop. */
		ChannelInboundHandlerAdapter headersDecoded() {
			return new ChannelInboundHandlerAdapter() {

				@Override
				public void channelRead(ChannelHandlerContext context, Object message) {
					if (message instanceof HttpRequest) {
						Deadline.this.awaitingHead = false;
						stop();
					}
					if (message instanceof LastHttpContent) {
						Deadline.this.awaitingHead = true;
					}
					context.fireChannelRead(message);
				}

			};
		}

		private void stop() {
			if (this.timer != null) {
				this.timer.cancel(false);
				this.timer = null;
			}
		}

		private void expire() {
			this.timer = null;
			if (this.awaitingHead && this.channel.isActive()) {
				// LingeringCloses makes this close a lingering one: the client is still sending its headers.
				this.channel.writeAndFlush(NettyErrorResponse.closing(RequestHeadDeadline.this.json,
						HttpResponseStatus.REQUEST_TIMEOUT, "Request headers were not received in time."))
					.addListener(ChannelFutureListener.CLOSE);
			}
		}

	}

}

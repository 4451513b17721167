package com.example.customers.api;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Every close the server makes while the client may still be sending becomes a lingering close, as nginx's
 * lingering_close: the answer is followed by a FIN (the output is shut down), whatever the client still sends is read
 * and dropped, and the connection is closed once the client closes its side, or after
 * {@value #LINGER_MILLIS} ms. Closing at once with unread bytes in the socket makes the kernel send a
 * reset, which destroys an answer the client has not read yet: Reactor Netty closes right after answering a request
 * that asked for {@code Connection: close}, without reading the rest of its body (seen: a PUT to a customer that does
 * not exist, with a 2 KB body, lost its 404 ten times out of ten), and the service's own refusals close too (a
 * slowloris client's 408, a request Netty cannot decode). The handler sits first in each connection's pipeline, so
 * it sees every close and drops the raw bytes before anything decodes them.
 */
@Component
class LingeringCloses implements NettyServerCustomizer {

	static final long LINGER_MILLIS = 2_000;

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, address) -> channel.pipeline()
			.addFirst("lingeringCloses", new Handler()));
	}

	private static final class Handler extends ChannelDuplexHandler {

		private boolean lingering;

		@Override
		public void close(ChannelHandlerContext context, ChannelPromise promise) {
			Channel channel = context.channel();
			if (this.lingering || !(channel instanceof DuplexChannel duplex) || !channel.isActive()
					|| duplex.isInputShutdown() || duplex.isOutputShutdown()) {
				context.close(promise);
				return;
			}
			this.lingering = true;
			ScheduledFuture<?> deadline = context.executor()
				.schedule(() -> context.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
			channel.closeFuture().addListener(closed -> {
				deadline.cancel(false);
				promise.trySuccess();
			});
			duplex.shutdownOutput().addListener(shut -> {
				if (!shut.isSuccess()) {
					context.close();
					return;
				}
				channel.config().setAutoRead(true);
				context.read();
			});
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			if (this.lingering) {
				ReferenceCountUtil.release(message);
				return;
			}
			context.fireChannelRead(message);
		}

	}

}

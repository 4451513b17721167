package com.example.customers.api;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Closes a connection after an answer that refuses the rest of its request, as nginx's lingering_close does. Closing at
 * once while the client is still sending makes the kernel answer its next bytes with a reset, and a reset can destroy
 * the answer before the client has read it (seen: a slowloris client's 408 lost to "Connection reset"). So the answer
 * is followed by a FIN (the output is shut down), whatever the client still sends is read and dropped, and the
 * connection is closed when the client closes its side or after {@value #LINGER_MILLIS} ms, whichever comes first.
 */
final class LingeringClose {

	static final long LINGER_MILLIS = 2_000;

	private LingeringClose() {
	}

	static void after(ChannelFuture answer) {
		answer.addListener(written -> {
			Channel channel = answer.channel();
			if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
				channel.close();
				return;
			}
			channel.pipeline().addFirst("lingeringClose", new ChannelInboundHandlerAdapter() {

				@Override
				public void channelRead(ChannelHandlerContext context, Object message) {
					ReferenceCountUtil.release(message);
				}

			});
			channel.config().setAutoRead(true);
			duplex.shutdownOutput();
			channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
		});
	}

}

package com.example.customers.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A TCP proxy between the service and PostgreSQL that breaks the connection the ways real networks do, on command:
 * reset every connection, black-hole all traffic for a while, add latency, or cut a connection after a number of
 * bytes from the server, or just before the reply to a write, so that the write commits and its client never learns
 * it. Plain blocking sockets, two threads per connection: the service's pool holds only a few.
 */
public final class FaultProxy implements AutoCloseable {

	/**
	 * The command tags of PostgreSQL's CommandComplete ('C') for writes. By the time it reaches the client the write is
	 * committed: a lone statement commits at the Sync the driver sent with it, and the server flushes its replies after.
	 */
	private static final List<byte[]> WRITE_TAGS = Stream.of("INSERT ", "UPDATE ", "DELETE ", "COMMIT\0")
		.map(tag -> tag.getBytes(StandardCharsets.US_ASCII))
		.toList();

	private final ServerSocket listener;

	private final InetSocketAddress target;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private volatile long blackHoleUntilNanos;

	private volatile long latencyMillis;

	private final AtomicBoolean cutAtWriteReply = new AtomicBoolean();

	private final AtomicLong cutsMade = new AtomicLong();

	/** With an armed reply cut: what the reply to cut holds; none, for any write's reply. */
	private volatile List<byte[]> cutReplyHolding = List.of();

	/** Server bytes left to pass before the next cut; negative when no cut is armed. */
	private final AtomicLong serverBytesBeforeCut = new AtomicLong(-1);

	private FaultProxy(String host, int port) throws IOException {
		this.target = new InetSocketAddress(host, port);
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		daemon("fault-proxy-accept", this::acceptLoop);
	}

	public static FaultProxy to(String host, int port) {
		try {
			return new FaultProxy(host, port);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot open the proxy's port", ex);
		}
	}

	public int port() {
		return this.listener.getLocalPort();
	}

	/** How many armed cuts have fired so far: an armed cut waits for traffic that may never come. */
	public long cutsMade() {
		return this.cutsMade.get();
	}

	/** Resets (RST) every open connection at once; new connections are served as before. */
	public void resetAll() {
		this.links.forEach(Link::reset);
	}

	/** How many connections pass through the proxy now. */
	public int openConnections() {
		return this.links.size();
	}

	/**
	 * Every connection open now stops carrying anything, both ways, for good, without being closed: what a server that
	 * froze does to its clients. New connections are served as before, as by the member a cluster fails over to.
	 */
	public void silenceOpenConnections() {
		this.links.forEach(Link::silence);
	}

	/** Holds every byte, both ways, and every new connection, for this long: a partition that heals. */
	public void blackHole(Duration duration) {
		this.blackHoleUntilNanos = System.nanoTime() + duration.toNanos();
	}

	/** Delays every chunk of traffic, both ways; {@link Duration#ZERO} removes it. */
	public void latency(Duration delay) {
		this.latencyMillis = delay.toMillis();
	}

	/** The next connection to pass a write's reply is reset instead: the write happened, its client never knows. */
	public void cutAtNextWriteReply() {
		cutAtNextReplyHolding();
	}

	/**
	 * As {@link #cutAtNextWriteReply()}, for the next reply that holds every one of {@code texts}: one statement among
	 * others, picked by what its reply says (a column's name in its row description, its command tag), such as a
	 * keyed create's write, a SELECT over a CTE that inserts, among its Idempotency-Key's claim.
	 */
	public void cutAtNextReplyHolding(String... texts) {
		this.cutReplyHolding = Stream.of(texts).map(text -> text.getBytes(StandardCharsets.US_ASCII)).toList();
		this.cutAtWriteReply.set(true);
	}

	/** The connection that carries the server's next {@code bytes}-th byte is reset right after it. */
	public void cutAfterServerBytes(long bytes) {
		this.serverBytesBeforeCut.set(bytes);
	}

	/** Ends every fault: no black hole, no latency, no armed cut. */
	public void heal() {
		this.blackHoleUntilNanos = 0;
		this.latencyMillis = 0;
		this.cutAtWriteReply.set(false);
		this.cutReplyHolding = List.of();
		this.serverBytesBeforeCut.set(-1);
	}

	@Override
	public void close() {
		try {
			this.listener.close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
		resetAll();
	}

	private void acceptLoop() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				daemon("fault-proxy-connect", () -> connect(client));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void connect(Socket client) {
		try {
			awaitPassage();
			Socket server = new Socket(this.target.getAddress(), this.target.getPort());
			Link link = new Link(client, server);
			this.links.add(link);
			daemon("fault-proxy-up", () -> pump(link, client, server, false));
			daemon("fault-proxy-down", () -> pump(link, server, client, true));
		}
		catch (IOException ex) {
			closeQuietly(client);
		}
	}

	private void pump(Link link, Socket from, Socket to, boolean fromServer) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				awaitPassage();
				if (link.silenced) {
					continue;
				}
				int pass = fromServer ? passable(buffer, read) : read;
				if (pass > 0) {
					out.write(buffer, 0, pass);
					out.flush();
				}
				if (pass < read) {
					this.cutsMade.incrementAndGet();
					link.reset();
					return;
				}
			}
		}
		catch (IOException ex) {
			// one side went away: so does the other
		}
		link.reset();
	}

	/** How much of this chunk from the server may pass before an armed cut; all of it when none fires. */
	private int passable(byte[] chunk, int length) {
		List<byte[]> holding = this.cutReplyHolding;
		boolean replyToCut = holding.isEmpty() ? holdsWriteReply(chunk, length)
				: holding.stream().allMatch(bytes -> holds(chunk, length, bytes));
		if (replyToCut && this.cutAtWriteReply.compareAndSet(true, false)) {
			return 0;
		}
		long before = this.serverBytesBeforeCut.get();
		if (before >= 0 && before < length && this.serverBytesBeforeCut.compareAndSet(before, -1)) {
			return (int) before;
		}
		if (before >= length) {
			this.serverBytesBeforeCut.addAndGet(-length);
		}
		return length;
	}

	private void awaitPassage() {
		try {
			while (System.nanoTime() < this.blackHoleUntilNanos) {
				Thread.sleep(10);
			}
			long latency = this.latencyMillis;
			if (latency > 0) {
				Thread.sleep(latency);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private final class Link {

		private final Socket client;

		private final Socket server;

		private volatile boolean silenced;

		Link(Socket client, Socket server) {
			this.client = client;
			this.server = server;
		}

		void silence() {
			this.silenced = true;
		}

		/** SO_LINGER 0 makes close send RST, as a failing network or a killed peer does. */
		void reset() {
			FaultProxy.this.links.remove(this);
			for (Socket socket : new Socket[] { this.client, this.server }) {
				try {
					socket.setSoLinger(true, 0);
				}
				catch (IOException ignored) {
					// already closed
				}
				closeQuietly(socket);
			}
		}

	}

	private static boolean holdsWriteReply(byte[] chunk, int length) {
		for (int i = 5; i < length; i++) {
			if (chunk[i - 5] == 'C' && startsWithAny(chunk, i, length)) {
				return true;
			}
		}
		return false;
	}

	private static boolean holds(byte[] chunk, int length, byte[] bytes) {
		for (int i = 0; i + bytes.length <= length; i++) {
			if (Arrays.equals(chunk, i, i + bytes.length, bytes, 0, bytes.length)) {
				return true;
			}
		}
		return false;
	}

	private static boolean startsWithAny(byte[] chunk, int at, int length) {
		return WRITE_TAGS.stream()
			.anyMatch(tag -> at + tag.length <= length
					&& Arrays.equals(chunk, at, at + tag.length, tag, 0, tag.length));
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ignored) {
			// already closed
		}
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

}

package com.example.customers.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a bare socket, for what a well-behaved client cannot send: broken request lines, a Content-Length
 * that lies, invalid bytes, a client that hangs up mid-request.
 */
public record RawHttp(int port) {

	/** Sends the bytes and reads one response, closing the connection after it. */
	public Reply exchange(byte[] request) {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(request);
			socket.getOutputStream().flush();
			return readResponse(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Reply exchange(String request) {
		return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
	}

	/** Sends the bytes and reads everything until the service closes the connection, as it came, headers and all. */
	public String exchangeUntilClosed(String request) {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A request whose client hangs up after the given time, without reading any answer: true when it hung up before
	 * any byte of the answer had come.
	 */
	public boolean sendAndHangUp(String request, long afterMillis) {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.UTF_8));
			out.flush();
			Thread.sleep(afterMillis);
			return socket.getInputStream().available() == 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Sends a request and keeps its connection open, reading nothing, until the returned socket is closed. */
	public Socket sendAndHold(String request) {
		return sendAndHold(request, 0);
	}

	/**
	 * The same through a receive buffer of the given size (0 for the system's): a small one lets only that much of an
	 * answer in until the client reads, as a slow client's would.
	 */
	public Socket sendAndHold(String request, int receiveBufferBytes) {
		Socket socket = new Socket();
		try {
			if (receiveBufferBytes > 0) {
				socket.setReceiveBufferSize(receiveBufferBytes);
			}
			socket.connect(new InetSocketAddress("127.0.0.1", this.port));
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().flush();
			return socket;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A GET as a bare client sends it. */
	public static String get(String path) {
		return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
	}

	public static String post(String path, String contentType, byte[] body) {
		return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType + "\r\nContent-Length: "
				+ body.length + "\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1);
	}

	private static Reply readResponse(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("Connection closed before a response: " + head);
			}
			head.write(b);
		}
		String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
		}
		long length = headers.getContentLength();
		byte[] body = (length >= 0) ? in.readNBytes((int) length) : readUntilClosed(in);
		return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] readUntilClosed(InputStream in) throws IOException {
		try {
			return in.readAllBytes();
		}
		catch (SocketTimeoutException ex) {
			return new byte[0];
		}
	}

}

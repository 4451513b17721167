package com.example.customers.exactlyonce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The three-member Patroni cluster of {@code ha/cluster.sh}, driven through that script as a user would drive it: the
 * test starts it, faults its leader and stops it. A step that fails stops the test; nothing here skips.
 */
final class HaCluster implements AutoCloseable {

	private static final Path SCRIPT = Path.of("ha", "cluster.sh");

	private HaCluster() {
	}

	/** Starts a cluster of its own (one left over from an earlier run is removed first). */
	static HaCluster start() {
		run(Duration.ofSeconds(60), "stop");
		run(Duration.ofMinutes(5), "start");
		return new HaCluster();
	}

	/** The service's URL: every member, the primary wanted. */
	String url() {
		return run(Duration.ofSeconds(10), "url").strip();
	}

	/** Faults the leader the given way, and names the member that was leading. */
	String fault(String command) {
		return run(Duration.ofSeconds(60), command).strip();
	}

	/** Hands the lead to the given member, unless it leads already. */
	void leadBy(String member) {
		run(Duration.ofSeconds(60), "switchover " + member);
	}

	/** Resumes a frozen member, if there is one. */
	void thaw() {
		run(Duration.ofSeconds(10), "thaw");
	}

	/** Waits until there is a leader and a synchronous standby again, and all three members run. */
	void awaitHealthy(Duration atMost) throws InterruptedException {
		long deadline = System.nanoTime() + atMost.toNanos();
		while (exitCode(Duration.ofSeconds(10), "healthy") != 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The cluster did not become healthy within " + atMost + ":\n"
						+ run(Duration.ofSeconds(10), "status"));
			}
			Thread.sleep(500);
		}
	}

	@Override
	public void close() {
		run(Duration.ofSeconds(60), "stop");
	}

	private static String run(Duration atMost, String commandLine) {
		String command = commandLine;
		Process process = launch(command);
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(atMost.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("ha/cluster.sh " + command + " failed:\n" + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("ha/cluster.sh " + command + " could not be read", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during ha/cluster.sh " + command, ex);
		}
	}

	private static int exitCode(Duration atMost, String command) throws InterruptedException {
		Process process = launch(command);
		if (!process.waitFor(atMost.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

	private static Process launch(String command) {
		try {
			List<String> line = new ArrayList<>(List.of("bash", SCRIPT.toString()));
			line.addAll(List.of(command.split(" ")));
			return new ProcessBuilder(line).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + SCRIPT + " " + command, ex);
		}
	}

}

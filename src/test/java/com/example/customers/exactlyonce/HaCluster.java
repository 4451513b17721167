package com.example.customers.exactlyonce;

import java.time.Duration;

/**
 * The three-member Patroni cluster of {@code ha/cluster.sh}, driven through that script as a user would drive it: the
 * test starts it, faults its leader and stops it. A step that fails stops the test; nothing here skips.
 */
final class HaCluster implements AutoCloseable {

	private static final String SCRIPT = "cluster.sh";

	private HaCluster() {
	}

	/** Starts a cluster of its own (one left over from an earlier run is removed first). */
	static HaCluster start() {
		HaScript.run(Duration.ofSeconds(60), SCRIPT, "stop");
		HaScript.run(Duration.ofMinutes(5), SCRIPT, "start");
		return new HaCluster();
	}

	/** The service's URL: every member, the primary wanted. */
	String url() {
		return HaScript.run(Duration.ofSeconds(10), SCRIPT, "url").strip();
	}

	/** Faults the leader the given way, and names the member that was leading. */
	String fault(String command) {
		return HaScript.run(Duration.ofSeconds(60), SCRIPT, command).strip();
	}

	/** Hands the lead to the given member, unless it leads already. */
	void leadBy(String member) {
		HaScript.run(Duration.ofSeconds(60), SCRIPT, "switchover", member);
	}

	/** Resumes a frozen member, if there is one. */
	void thaw() {
		HaScript.run(Duration.ofSeconds(10), SCRIPT, "thaw");
	}

	/** Waits until there is a leader and two synchronous standbys again, and all three members run. */
	void awaitHealthy(Duration atMost) throws InterruptedException {
		long deadline = System.nanoTime() + atMost.toNanos();
		while (HaScript.exitCode(Duration.ofSeconds(10), SCRIPT, "healthy") != 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The cluster did not become healthy within " + atMost + ":\n"
						+ HaScript.run(Duration.ofSeconds(10), SCRIPT, "status"));
			}
			Thread.sleep(500);
		}
	}

	@Override
	public void close() {
		HaScript.run(Duration.ofSeconds(60), SCRIPT, "stop");
	}

}

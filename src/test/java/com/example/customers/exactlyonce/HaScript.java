package com.example.customers.exactlyonce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the scripts in {@code ha/} as a user would, and fails loudly when it fails. */
final class HaScript {

	private HaScript() {
	}

	/** Its output; a non-zero exit or a run past {@code atMost} is an {@link IllegalStateException}. */
	static String run(Duration atMost, Map<String, String> environment, String script, String... arguments) {
		Process process = launch(environment, script, arguments);
		String line = script + " " + String.join(" ", arguments);
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(atMost.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("ha/" + line + " failed:\n" + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("ha/" + line + " could not be read", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during ha/" + line, ex);
		}
	}

	static String run(Duration atMost, String script, String... arguments) {
		return run(atMost, Map.of(), script, arguments);
	}

	/** Its exit code, or -1 when it ran past {@code atMost}. */
	static int exitCode(Duration atMost, String script, String... arguments) throws InterruptedException {
		Process process = launch(Map.of(), script, arguments);
		if (!process.waitFor(atMost.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

	private static Process launch(Map<String, String> environment, String script, String... arguments) {
		List<String> line = new ArrayList<>(List.of("bash", "ha/" + script));
		line.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.PIPE);
		builder.environment().putAll(environment);
		try {
			return builder.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run ha/" + script, ex);
		}
	}

}

# Sourced by bench/overload.sh when PROFILE=yes: async-profiler, loaded idle with the service (profiler_option) and
# started through jcmd for the seconds being measured only, so that warm-up and start-up do not blur the picture. The
# agent comes from Maven Central through the Maven wrapper (tools.profiler:async-profiler, its Linux x64 build) into
# target/async-profiler, once. It samples CPU time every millisecond, Java and kernel frames alike (as root, or where
# kernel.perf_event_paranoid allows; otherwise it falls back to a timer and shows no kernel frames). Needs JAVA set by
# the caller (its jcmd must be the service's JVM's) and unzip.

ASYNC_PROFILER_VERSION="4.1"
ASYNC_PROFILER_DIR="target/async-profiler"

# profiler_library: the agent's path, downloaded and unpacked on first use.
profiler_library() {
	local library="$PWD/$ASYNC_PROFILER_DIR/linux-x64/libasyncProfiler.so"
	if [[ ! -f "$library" ]]; then
		./mvnw -B -q dependency:copy -Dmdep.useBaseVersion=true -DoutputDirectory="$ASYNC_PROFILER_DIR" \
			-Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION:jar:linux-x64" >&2
		unzip -q -o "$ASYNC_PROFILER_DIR/async-profiler-$ASYNC_PROFILER_VERSION-linux-x64.jar" -d "$ASYNC_PROFILER_DIR"
	fi
	echo "$library"
}

# profiler_option: the JVM option that loads the agent, idle until profile_start.
profiler_option() { echo "-agentpath:$(profiler_library)"; }

# agent PID OPTIONS: one command to the agent in the JVM PID (loading it the first time). jcmd reads "name=value" in
# its arguments as its own options, so the agent's are quoted.
agent() { "${JAVA%java}jcmd" "$1" JVMTI.agent_load "$(profiler_library)" "\"$2\"" > /dev/null; }

# profile_start PID: starts sampling the JVM PID.
profile_start() { agent "$1" "start,event=cpu,interval=1ms"; }

# profile_stop PID NAME: stops it, leaving target/NAME.html (a flame graph) and target/NAME.collapsed (one line per
# stack, for profile_summary).
profile_stop() {
	rm -f "target/$2.collapsed" "target/$2.html"
	agent "$1" "dump,collapsed,file=$PWD/target/$2.collapsed"
	agent "$1" "stop,file=$PWD/target/$2.html"
	# jcmd succeeds whatever the agent answers; the agent says why in the service's output.
	[[ -s "target/$2.collapsed" ]] || { echo "async-profiler wrote no profile; see the service's log" >&2; return 1; }
}

# profile_summary COLLAPSED: where the samples went, one share per line, each sample counted once, in this order: the
# JIT compilers, the collector (the VM thread runs the Serial collector's pauses), Reactor's context lookups (each
# walks the subscriber chain down to whoever holds the context), the kernel, the rest (Java and native on the event
# loop and elsewhere).
profile_summary() {
	awk '{
		n = $NF; total += n
		stack = $0; sub(/ [0-9]+$/, "", stack)
		leaf = stack; sub(/.*;/, "", leaf)
		if (stack ~ /CompileBroker::/) part["JIT compilers"] += n
		else if (stack ~ /VMThread::|VM_Thread/) part["collector (VM thread)"] += n
		else if (stack ~ /currentContext/) part["Reactor context lookups"] += n
		else if (leaf ~ /_\[k\]$/) part["kernel"] += n
		else part["the rest"] += n
	} END {
		split("JIT compilers;collector (VM thread);Reactor context lookups;kernel;the rest", order, ";")
		for (i = 1; i <= 5; i++) printf "%5.1f%% %s\n", 100 * part[order[i]] / total, order[i]
		printf "(%d samples)\n", total
	}' "$1"
}

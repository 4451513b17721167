#!/usr/bin/env bash
# The memory figures the docs quote, each measured one way: what a request waiting in the race window keeps alive,
# the live heap with 2,000 of them waiting, and the heap allocated per create.
#   bench/heap.sh [JAR]                    # default target/customers-0.1.0.jar
# 1. The packaged jar on its shipped JVM options with a 30 s window; 2,000 creates of distinct logins sent at once
#    (bench/Burst.java), each on its own connection. 10 s later, all waiting: the live heap, from a full collection
#    (jcmd GC.class_histogram's total). Once they are answered: the live heap again, the same service idle. The
#    difference over 2,000 is the state of one waiting request (its connection included).
# 2. The same jar with window 0: 50 clients of wrk for 30 s (warm-up), then 15 s measured; the heap allocated
#    (Micrometer's jvm_gc_memory_allocated_bytes_total) over the creates answered.
# Knobs (environment): WAITING (2000), BENCH_JAVA_HOME (the JVM, and its jcmd; default the newest JDK 21+).
# Uses the local PostgreSQL (database heap_bench, dropped at the end) and port 18098 (actuator 28098).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR="${1:-target/customers-0.1.0.jar}"; WAITING="${WAITING:-2000}"; PORT=18098
# shellcheck source=bench/common.sh
source bench/common.sh
newest_jdk21
JAVA="$BENCH_JAVA_HOME/bin/java"
[[ -f "$JAR" ]] || ./mvnw -B -q package -DskipTests
[[ -f target/bench.classpath ]] || ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
	-Dmdep.includeScope=runtime > /dev/null
pid=""
stop() { [[ -z "$pid" ]] || { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; pid=""; }
trap 'stop; drop_database heap_bench' EXIT
start() {
	fresh_database heap_bench
	start_ours "$JAR" "$PORT" heap_bench "$1" target/heap-bench.log
	pid=$!
	ready "$(ours_readiness "$PORT")" || { echo "the service did not start: target/heap-bench.log" >&2; exit 1; }
}
live_bytes() { "$BENCH_JAVA_HOME/bin/jcmd" "$pid" GC.class_histogram | awk '/^Total/ { print $3 }'; }
allocated_bytes() {
	curl -s "http://127.0.0.1:$((PORT + 10000))/actuator/prometheus" \
		| awk '/^jvm_gc_memory_allocated_bytes_total/ { printf "%.0f", $NF }'
}
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

start 30s
"$JAVA" -cp "$(cat target/bench.classpath)" bench/Burst.java burst "http://127.0.0.1:$PORT" "$WAITING" heap-waiting \
	> target/heap-burst.result &
burst=$!
sleep 10
with="$(live_bytes)"
wait "$burst"
sleep 2
idle="$(live_bytes)"
echo "Waiting: $(grep -o 'statuses=[^ ]*' target/heap-burst.result) after the 30 s window"
echo "Live heap with $WAITING requests waiting: $(mb "$with"); the same service idle after: $(mb "$idle")"
echo "State per waiting request: $(awk -v w="$with" -v i="$idle" -v n="$WAITING" 'BEGIN { printf "%.1f KB", (w - i) / n / 1000 }')"
stop

start 0
BENCH_PREFIX="heap-warm-$(date +%s)" wrk -t2 -c50 -d30s --timeout 10s -s bench/create.lua "http://127.0.0.1:$PORT" > /dev/null
before="$(allocated_bytes)"
r="$(BENCH_PREFIX="heap-$(date +%s)" wrk -t2 -c50 -d15s --timeout 10s -s bench/create.lua "http://127.0.0.1:$PORT" | grep '^RESULT')"
after="$(allocated_bytes)"
echo "Allocated per create (window 0, 50 clients, 15 s after 30 s): $(awk -v a="$before" -v b="$after" \
	-v n="$(field requests "$r")" 'BEGIN { printf "%.1f KB", (b - a) / n / 1000 }') over $(field requests "$r") creates"
echo "On $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores, $(date -u +%F)"

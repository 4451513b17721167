#!/usr/bin/env bash
# Row 2 of bench/run.sh alone, for two builds: N creates of distinct logins at once, each on its own connection, through
# the 500 ms window, against each jar in turn, rounds alternated (A, B, A, B...) so that both meet the same machine.
# Prints per round the answers by status, the 99th percentile of the time to each status's answer, and the time to
# the last answer.
#   bench/burst.sh before.jar after.jar
# Knobs (environment): N (10000), ROUNDS (2), WINDOW (500ms), BENCH_JAVA_HOME (the JVM; default the one on PATH).
# Uses the local PostgreSQL (database burst_side, dropped at the end) and ports 18097 (actuator 28097).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 2 ]] || { echo "usage: bench/burst.sh A.jar B.jar" >&2; exit 2; }
N="${N:-10000}"; ROUNDS="${ROUNDS:-2}"; WINDOW="${WINDOW:-500ms}"; PORT=18097
JAVA="${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java"
# shellcheck source=bench/common.sh
source bench/common.sh
[[ -f target/bench.classpath ]] || ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
	-Dmdep.includeScope=runtime > /dev/null
pid=""
stop() { [[ -z "$pid" ]] || { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; pid=""; }
trap 'stop; drop_database burst_side' EXIT

echo "| round | jar | answers | p99 to the answer, by status (s) | last answer after (s) |"
echo "|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
	for jar in "$1" "$2"; do
		fresh_database burst_side
		start_ours "$jar" "$PORT" burst_side "$WINDOW" "target/burst-$(basename "$jar").log"
		pid=$!
		ready "$(ours_readiness "$PORT")" || { echo "$jar did not start: target/burst-$(basename "$jar").log" >&2; exit 1; }
		r="$(timeout 300 "$JAVA" -cp "$(cat target/bench.classpath)" bench/Burst.java burst "http://127.0.0.1:$PORT" "$N" \
			"burst-$round" | grep '^RESULT' || echo "RESULT statuses=none(timed-out)")"
		echo "| $round | $jar | $(field statuses "$r") | $(field p99_seconds "$r") | $(field seconds_to_last "$r") |"
		stop
	done
done

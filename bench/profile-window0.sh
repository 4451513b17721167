#!/usr/bin/env bash
# Where a create's CPU goes at window 0 (bench/run.sh's row 3: 50 clients, keep-alive), for ours and for the Vert.x
# peer (../shared/peers/vertx-pg), one after the other on the same machine: each warmed 60 s, then profiled for 15 s
# with async-profiler (bench/profiler.sh), and its samples shared out by the frame they were taken in (self time): the
# kernel, the JIT, the collector, and each library by package. Leaves target/profile-window0-<who>.html (flame graphs).
#   bench/profile-window0.sh
# Knobs (environment): WARMUP (60 s), DURATION (15 s), PEER ("yes"; "no" profiles ours alone), BENCH_JAVA_HOME (the
# JVM; default the newest JDK 21+). Needs wrk, psql, curl, unzip. Uses the local PostgreSQL (database profile_w0,
# dropped at the end) and port 18099 (actuator 28099).
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP="${WARMUP:-60}"; DURATION="${DURATION:-15}"; PEER="${PEER:-yes}"; PORT=18099
JAR="target/customers-0.1.0.jar"; VERTX_SOURCE="../shared/peers/vertx-pg"
VERTX_JAR="target/peer-vertx/target/peer-vertx-0.1.0.jar"
# shellcheck source=bench/common.sh
source bench/common.sh
newest_jdk21
JAVA="$BENCH_JAVA_HOME/bin/java"
# shellcheck source=bench/profiler.sh
source bench/profiler.sh
[[ -f "$JAR" ]] || ./mvnw -B -q package -DskipTests
if [[ "$PEER" == yes && ! -f "$VERTX_JAR" ]]; then
	rm -rf target/peer-vertx && cp -r "$VERTX_SOURCE" target/peer-vertx && chmod +x target/peer-vertx/mvnw
	(cd target/peer-vertx && JAVA_HOME="$BENCH_JAVA_HOME" ./mvnw -B -q package -DskipTests)
fi
pid=""
stop() { [[ -z "$pid" ]] || { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; pid=""; }
trap 'stop; drop_database profile_w0' EXIT
URL="http://127.0.0.1:$PORT"

# shares COLLAPSED: each sample counted once, by the frame it was taken in.
shares() {
	awk '{
		n = $NF; total += n
		stack = $0; sub(/ [0-9]+$/, "", stack)
		leaf = stack; sub(/.*;/, "", leaf)
		if (stack ~ /CompileBroker::/) p = "JIT compilers"
		else if (stack ~ /VMThread::|WorkerThread::run|ConcurrentGCThread::run|G1ServiceThread|RefineThread/) p = "collector and VM"
		else if (leaf ~ /_\[k\]$/) p = "kernel"
		else if (leaf ~ /^io\/netty\/|^io\.netty\./) p = "Netty"
		else if (leaf ~ /^reactor\/netty\/|^reactor\.netty\./) p = "Reactor Netty"
		else if (leaf ~ /^reactor\/|^reactor\./) p = "Reactor core"
		else if (leaf ~ /^org\/springframework\/|^org\.springframework\./) p = "Spring"
		else if (leaf ~ /^io\/r2dbc\/postgresql|^io\.r2dbc\.postgresql/) p = "r2dbc-postgresql"
		else if (leaf ~ /^io\/r2dbc\/pool|^io\.r2dbc\.pool/) p = "r2dbc-pool"
		else if (leaf ~ /^io\/vertx\/|^io\.vertx\./) p = "Vert.x and its PostgreSQL client"
		else if (leaf ~ /^tools\/jackson|^tools\.jackson|^com\/fasterxml|^com\.fasterxml/) p = "Jackson"
		else if (leaf ~ /^io\/micrometer|^io\.micrometer/) p = "Micrometer"
		else if (leaf ~ /^com\/example|^com\.example/) p = "our code"
		else if (leaf ~ /^java\/|^java\.|^jdk\/|^jdk\.|^sun\/|^sun\./) p = "the JDK"
		else p = "other (native, stubs)"
		part[p] += n
	} END {
		for (p in part) printf "%5.1f%% %s\n", 100 * part[p] / total, p
		printf "(%d samples)\n", total
	}' "$1" | sort -rn
}

# profile WHO: the service started with the agent loaded idle, warmed, profiled; prints its wrk RESULT and shares.
profile() {
	fresh_database profile_w0
	if [[ "$1" == ours ]]; then
		SERVER_PORT="$PORT" MANAGEMENT_SERVER_PORT="$((PORT + 10000))" \
			SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:5432/profile_w0" SPRING_R2DBC_USERNAME=postgres \
			CUSTOMERS_RACE_WINDOW=0 "$JAVA" @src/main/jvm/jvm.options "$(profiler_option)" -jar "$JAR" \
			> target/profile-window0-ours.log 2>&1 &
		pid=$!
		ready "$(ours_readiness "$PORT")" || { echo "ours did not start" >&2; exit 1; }
	else
		PEER_PG_URI="postgresql://postgres@127.0.0.1:5432/profile_w0" SERVER_PORT="$PORT" CUSTOMERS_RACE_WINDOW_MS=0 \
			"$JAVA" -Xmx256m "$(profiler_option)" -jar "$VERTX_JAR" > target/profile-window0-vertx.log 2>&1 &
		pid=$!
		ready "$URL/ready" || { echo "the Vert.x peer did not start" >&2; exit 1; }
	fi
	BENCH_PREFIX="pw-warm-$1-$(date +%s)" wrk -t2 -c50 -d"$WARMUP"s -s bench/create.lua "$URL" > /dev/null
	profile_start "$pid"
	r="$(BENCH_PREFIX="pw-$1-$(date +%s)" wrk -t2 -c50 -d"$DURATION"s -s bench/create.lua "$URL" | grep '^RESULT')"
	profile_stop "$pid" "profile-window0-$1"
	echo "== $1: $(field rps "$r") creates/s, p50 $(field p50_us "$r") µs, p99 $(field p99_us "$r") µs"
	shares "target/profile-window0-$1.collapsed"
	stop
}

echo "Window 0, 50 clients, ${DURATION} s profiled after ${WARMUP} s, $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores, $(date -u +%F)"
profile ours
[[ "$PEER" == yes ]] && profile vertx

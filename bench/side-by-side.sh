#!/usr/bin/env bash
# Two builds of the service at the same time, each under the same load, to judge a performance change on a machine
# whose speed drifts: run one after the other, two runs of one jar differ by up to 2x here; run at once, both see
# the same machine. Prints, per round, each one's creates/s, p99, CPU time per create (from /proc) and heap allocated
# per create (from its Prometheus endpoint).
#   bench/side-by-side.sh before.jar after.jar          # then swap them, to see that the ports do not matter
# Knobs (environment): WINDOW (race window, 0), CLIENTS (per service, 25), WARMUP (40 s), DURATION (15 s), ROUNDS (4),
# ARGS_A / ARGS_B (extra arguments for each), BENCH_JAVA_HOME (the JVM; default the one on PATH).
# Needs wrk and psql; uses the local PostgreSQL (databases side_a and side_b, dropped at the end) and ports 18095-18096.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 2 ]] || { echo "usage: bench/side-by-side.sh A.jar B.jar" >&2; exit 2; }
WINDOW="${WINDOW:-0}"; CLIENTS="${CLIENTS:-25}"; WARMUP="${WARMUP:-40}"; DURATION="${DURATION:-15}"; ROUNDS="${ROUNDS:-4}"
JAVA="${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java"
# shellcheck source=bench/common.sh
source bench/common.sh
names=(a b); ports=(18095 18096); jars=("$1" "$2"); args=("${ARGS_A:-}" "${ARGS_B:-}"); pids=()

stop() {
	for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
	for n in "${names[@]}"; do drop_database "side_$n"; done
}
trap stop EXIT

for i in 0 1; do
	fresh_database "side_${names[$i]}"
	# shellcheck disable=SC2086 # ARGS_A / ARGS_B are word lists
	start_ours "${jars[$i]}" "${ports[$i]}" "side_${names[$i]}" "$WINDOW" "target/side-${names[$i]}.log" ${args[$i]}
	pids+=($!)
done
for i in 0 1; do
	ready "$(ours_readiness "${ports[$i]}")" || { echo "${jars[$i]} did not start; see target/side-${names[$i]}.log" >&2; exit 1; }
done

# load SECONDS PREFIX: both services at once; each wrk's RESULT line in target/side-<name>.result
load() {
	local waits=()
	for i in 0 1; do
		BENCH_PREFIX="$2-${names[$i]}" timeout $(($1 + 30)) wrk -t1 -c"$CLIENTS" -d"$1"s --timeout 10s \
			-s bench/create.lua "http://127.0.0.1:${ports[$i]}" | grep '^RESULT' > "target/side-${names[$i]}.result" &
		waits+=($!)
	done
	wait "${waits[@]}"
}
# allocated_bytes PORT: the heap the service on PORT has allocated so far (Micrometer adds it up at each young GC, so
# a round of thousands of creates reads it closely enough).
allocated_bytes() {
	curl -s "http://127.0.0.1:$(($1 + 10000))/actuator/prometheus" \
		| awk '/^jvm_gc_memory_allocated_bytes_total/ { printf "%.0f", $NF }'
}
# result NAME SERVICE: a field of that service's last RESULT line
result() { field "$1" "$(< "target/side-$2.result")"; }

run="s$(date +%s)"
load "$WARMUP" "$run-warm"
for r in $(seq 1 "$ROUNDS"); do
	before=("$(cpu_ticks "${pids[0]}")" "$(cpu_ticks "${pids[1]}")")
	allocated=("$(allocated_bytes "${ports[0]}")" "$(allocated_bytes "${ports[1]}")")
	load "$DURATION" "$run-$r"
	line="round $r"
	for i in 0 1; do
		n="$(result requests "${names[$i]}")"
		cpu=$(( ($(cpu_ticks "${pids[$i]}") - ${before[$i]}) * 1000000 / $(getconf CLK_TCK) / (n > 0 ? n : 1) ))
		kb=$(awk -v a="${allocated[$i]}" -v b="$(allocated_bytes "${ports[$i]}")" -v n="$n" 'BEGIN { printf "%.0f", (n > 0 ? (b - a) / n / 1024 : 0) }')
		line+="   ${names[$i]^^} $(basename "${jars[$i]}"): $(result rps "${names[$i]}") creates/s, p99 $(( $(result p99_us "${names[$i]}") / 1000 )) ms, ${cpu} µs CPU/create, ${kb} KB allocated/create, non-2xx $(result non2xx "${names[$i]}")"
	done
	echo "$line"
done

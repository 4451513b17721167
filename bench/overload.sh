#!/usr/bin/env bash
# The overload row: our service pinned to fewer cores than the load needs (taskset), so that 2,000 clients through
# the 500 ms race window exceed it on any machine, fast or slow. In the same run it measures the same build's
# window-0 capacity under the same pinning, so the row reads as a ratio, not as a machine's speed, and window 0 with
# as many clients as the overload row, which tells the cost of having that many requests in flight from the cost of
# the window. Prints one RESULT line per phase and a Markdown table. Called by bench/run.sh (row 7); runs alone too:
#   bench/overload.sh
# Knobs (environment): SERVICE_CPUS (the cores the service may use, "0"), LOAD_CPUS (wrk's and the sampler's, "1"),
# CLIENTS (2000), WINDOW (500ms), WARMUP (60 s per service, its last 40 s as wrk runs of 10 s), DURATION (15 s),
# OVERLOAD_PORT (18300), OVERLOAD_JAR (the build to measure, target/customers-0.1.0.jar), BENCH_JAVA_HOME (the JVM;
# default the one on PATH), SERVICE_JVM_OPTIONS (options after the shipped src/main/jvm/jvm.options, which they
# override, e.g. "-XX:+UseG1GC"; none by default), PROFILE ("yes" profiles the overload row's measured seconds with
# async-profiler: bench/profiler.sh; "no" by default), OVERLOAD_PEER_JAR (instead of ours, the Vert.x peer's jar,
# ../shared/peers/vertx-pg, on -Xmx256m: it has no actuator, so its shed and pool columns read "-"). PostgreSQL is not
# pinned.
# Needs wrk, psql, curl, taskset, and the JDK's jstat.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICE_CPUS="${SERVICE_CPUS:-0}"; LOAD_CPUS="${LOAD_CPUS:-1}"; CLIENTS="${CLIENTS:-2000}"; WINDOW="${WINDOW:-500ms}"
WARMUP="${WARMUP:-60}"; DURATION="${DURATION:-15}"; PORT="${OVERLOAD_PORT:-18300}"
SERVICE_JVM_OPTIONS="${SERVICE_JVM_OPTIONS:-}"; PROFILE="${PROFILE:-no}"
JAVA="${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java"
JAR="${OVERLOAD_JAR:-target/customers-0.1.0.jar}"
PEER_JAR="${OVERLOAD_PEER_JAR:-}"
RUN="o$(date +%s)"
# shellcheck source=bench/common.sh
source bench/common.sh
# shellcheck source=bench/profiler.sh
source bench/profiler.sh
URL="http://127.0.0.1:$PORT"
METRICS="http://127.0.0.1:$((PORT + 10000))/actuator/prometheus"
pid=""
for tool in wrk psql curl taskset "${JAVA%java}jstat" $([[ "$PROFILE" == yes ]] && echo unzip); do
	command -v "$tool" > /dev/null || { echo "bench/overload.sh needs $tool (see bench/run.sh)" >&2; exit 1; }
done
[[ -n "$PEER_JAR" || -f "$JAR" ]] || ./mvnw -B -q package -DskipTests

stop() {
	[[ -n "$pid" ]] && { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }
	pid=""
}
trap 'stop; drop_database bench_overload' EXIT

# pinned WINDOW: a fresh database and the service on SERVICE_CPUS only (the JVM sizes its threads and chooses its
# collector from the cores it may use, as in a container with that many); with PROFILE=yes, the profiler loaded idle.
pinned() {
	stop
	fresh_database bench_overload
	if [[ -n "$PEER_JAR" ]]; then
		PEER_PG_URI="postgresql://postgres@127.0.0.1:5432/bench_overload" SERVER_PORT="$PORT" \
			CUSTOMERS_RACE_WINDOW_MS="$(window_ms "$1")" taskset -c "$SERVICE_CPUS" "$JAVA" -Xmx256m \
			$([[ "$PROFILE" == yes ]] && profiler_option) -jar "$PEER_JAR" > "target/bench-overload-peer-$1.log" 2>&1 &
		pid=$!
		ready "$URL/ready" || { echo "the peer did not start; see target/bench-overload-peer-$1.log" >&2; exit 1; }
		return 0
	fi
	# shellcheck disable=SC2086 # SERVICE_JVM_OPTIONS is a word list
	SERVER_PORT="$PORT" MANAGEMENT_SERVER_PORT="$((PORT + 10000))" \
		SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:5432/bench_overload" SPRING_R2DBC_USERNAME=postgres \
		CUSTOMERS_RACE_WINDOW="$1" taskset -c "$SERVICE_CPUS" "$JAVA" @src/main/jvm/jvm.options $SERVICE_JVM_OPTIONS \
		$([[ "$PROFILE" == yes ]] && profiler_option) -jar "$JAR" \
		> "target/bench-overload-$1.log" 2>&1 &
	pid=$!
	ready "$(ours_readiness "$PORT")" || { echo "the service did not start; see target/bench-overload-$1.log" >&2; exit 1; }
}

# load CLIENTS SECONDS PREFIX: wrk on LOAD_CPUS; a request unanswered after 5 s counts as a timeout.
load() {
	BENCH_PREFIX="$3" timeout $(($2 + 30)) taskset -c "$LOAD_CPUS" wrk -t2 -c"$1" -d"$2"s --timeout 5s \
		-s bench/create.lua "$URL" | grep '^RESULT'
}

# warm CLIENTS SECONDS PREFIX: load for SECONDS, the last of them (up to 40) as wrk runs of 10 s: each run's end drops
# CLIENTS connections with requests in flight, and the first such drop throws away compiled code that never saw a
# cancel (C2 recompiled for seconds, 143-304 methods in the measured 15 s after one long warm-up; 44 after cycles).
warm() {
	local cycles=$(($2 / 10 < 4 ? $2 / 10 : 4))
	(($2 > cycles * 10)) && { load "$1" $(($2 - cycles * 10)) "$3" > /dev/null || true; }
	for cycle in $(seq 1 "$cycles"); do load "$1" 10 "$3-$cycle" > /dev/null || true; done
}

# measured CLIENTS SECONDS PREFIX: load's RESULT line, with what the JIT compiled meanwhile (jstat, from outside).
measured() {
	local before after result
	before="$(compile_totals)"
	result="$(load "$@")"
	after="$(compile_totals)"
	echo "$result $(awk -v a="$before" -v b="$after" 'BEGIN { split(a, x); split(b, y)
		printf "jit_compiles=%d jit_s=%.1f", y[1] - x[1], y[2] - x[2] }')"
}

# compile_totals: methods the service's JIT has compiled so far and its compilers' seconds, "count seconds".
compile_totals() { "${JAVA%java}jstat" -compiler "$pid" | awk 'NR == 2 { print $1, $4 }'; }

# metric NAME: the sum of a Prometheus metric's samples (all its labels), 0 when absent.
metric() { { curl -s "$METRICS" || true; } | awk -v name="$1" '$1 == name || index($1, name "{") == 1 { sum += $NF } END { printf "%.3f", sum }'; }

# gc_totals: the window service's collections and their pause seconds so far, "count seconds", from jstat, which reads
# the JVM's performance counters from outside: nothing runs in the service (an actuator read sends its JIT back to
# work for tens of seconds, docs/benchmark.md#overload).
gc_totals() {
	"${JAVA%java}jstat" -gc "$pid" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
		NR == 2 { printf "%d %.3f\n", $col["YGC"] + $col["FGC"], $col["YGCT"] + $col["FGCT"] }'
}

# sample_pending SECONDS: the pool's pending acquires every 250 ms; prints "median max".
sample_pending() {
	local end=$((SECONDS + $1))
	while ((SECONDS < end)); do
		curl -s "$METRICS" | awk '/^r2dbc_pool_pending_connections/ { printf "%.0f\n", $2 }'
		sleep 0.25
	done | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d\n", v[int((NR + 1) / 2)], v[NR] }'
}

echo "== overload: window 0, 50 clients on cores $SERVICE_CPUS, ${WARMUP} s warm-up" >&2
pinned 0
warm 50 "$WARMUP" "$RUN-warm0"
capacity="$(measured 50 "$DURATION" "$RUN-capacity")"
echo "$capacity" | sed 's/^RESULT/RESULT phase=capacity/'

# The same service, already warm: 20 s let the JIT settle after the new connections and their drop.
echo "== overload: window 0, $CLIENTS clients on cores $SERVICE_CPUS, 20 s warm-up" >&2
warm "$CLIENTS" 20 "$RUN-warm0crowd"
crowded="$(measured "$CLIENTS" "$DURATION" "$RUN-crowded")"
echo "$crowded" | sed 's/^RESULT/RESULT phase=crowded/'

echo "== overload: window $WINDOW, $CLIENTS clients on cores $SERVICE_CPUS, ${WARMUP} s warm-up" >&2
pinned "$WINDOW"
# The shed counter is read before the warm-up, not between it and the measured seconds, where the read would weigh on
# them: it counts the warm-up's sheds too.
shed="$(metric customers_requests_shed_total)"
warm "$CLIENTS" "$WARMUP" "$RUN-warm"
read -r gc_count gc_sum <<< "$(gc_totals)"
[[ "$PROFILE" == yes ]] && profile_start "$pid"
overload="$(measured "$CLIENTS" "$DURATION" "$RUN-overload")"
[[ "$PROFILE" == yes ]] && profile_stop "$pid" bench-overload-profile
read -r gc_count_after gc_sum_after <<< "$(gc_totals)"
extra="gc_pauses=$((gc_count_after - gc_count))"
extra+=" gc_pause_ms=$(awk -v a="$gc_sum" -v b="$gc_sum_after" 'BEGIN { printf "%d", (b - a) * 1000 }')"
extra+=" gc=$({ curl -s "$METRICS" || true; } | sed -n 's/^jvm_gc_pause_seconds_count{.*gc="\([^"]*\)".*/\1/p' | sort -u | paste -sd /)"
if [[ -n "$PEER_JAR" ]]; then
	extra+=" shed=- pending_median=- pending_max=-"
else
	extra+=" shed=$(awk -v a="$shed" -v b="$(metric customers_requests_shed_total)" 'BEGIN { printf "%d", b - a }')"
	# The pool is sampled under the same load but after the measured seconds: reading the actuator every 250 ms kept
	# the JIT compilers busy (a third of the one core) and halved the row (docs/benchmark.md#overload).
	echo "== overload: the pool's pending borrows, sampled for $DURATION s more under the same load" >&2
	sample_pending "$DURATION" > target/bench-overload-pending &
	sampler=$!
	load "$CLIENTS" "$DURATION" "$RUN-sampled" > /dev/null || true
	wait "$sampler"
	read -r pending_median pending_max < target/bench-overload-pending
	extra+=" pending_median=$pending_median pending_max=$pending_max"
fi
echo "$overload $extra" | sed 's/^RESULT/RESULT phase=overload/'
stop

ms() { awk -v us="$1" 'BEGIN { printf "%.0f ms", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "-" }'; }
o=" $overload $extra"
# wrk_cells RESULT: a phase's columns from creates/s to non-2xx, its creates/s read against the capacity's.
wrk_cells() {
	echo "$(field rps "$1") | $(ratio "$(field rps "$1")" "$(field rps "$capacity")") | $(ms "$(field p50_us "$1")") |" \
		"$(ms "$(field p99_us "$1")") | $(ratio "$(field p99_us "$1")" "$(field p50_us "$1")") | $(ms "$(field max_us "$1")") |" \
		"$(field timeouts "$1") | $(field non2xx "$1") | $(field jit_compiles "$1"), $(field jit_s "$1") s"
}
echo
echo "Overload $RUN: ${PEER_JAR:+the peer $PEER_JAR, not ours: }the service on cores $SERVICE_CPUS of $(nproc), wrk on $LOAD_CPUS, $("$JAVA" -version 2>&1 | head -n 1), $([[ -n "$PEER_JAR" ]] && echo -Xmx256m || echo "@src/main/jvm/jvm.options${SERVICE_JVM_OPTIONS:+ $SERVICE_JVM_OPTIONS}")"
echo
echo "| load | creates/s | of capacity | p50 | p99 | p99/p50 | max | timeouts (5 s) | non-2xx | JIT compiles, seconds | shed | pool pending median / max | GC pauses |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
echo "| window 0, 50 clients (capacity) | $(wrk_cells "$capacity") | | | |"
echo "| window 0, $CLIENTS clients | $(wrk_cells "$crowded") | | | |"
echo "| window $WINDOW, $CLIENTS clients | $(wrk_cells "$o") | $(field shed "$o") | $(field pending_median "$o") / $(field pending_max "$o") | $(field gc_pauses "$o") ($(field gc "$o")), $(field gc_pause_ms "$o") ms |"

# Each client waits out the window before its next create, so the clients alone bound the overload row's creates/s.
window_ms="$(window_ms "$WINDOW")"
if awk -v w="$window_ms" 'BEGIN { exit !(w > 0) }'; then
	ceiling="$(awk -v c="$CLIENTS" -v w="$window_ms" 'BEGIN { printf "%.0f", c * 1000 / w }')"
	bound="$(awk -v a="$(field rps "$capacity")" -v b="$ceiling" 'BEGIN { print (a < b ? a : b) }')"
	echo
	echo "$CLIENTS clients through a $WINDOW window cannot exceed $ceiling creates/s; the overload row reached" \
		"$(ratio "$(field rps "$o")" "$bound") of the lower of that and the capacity, and" \
		"$(ratio "$(field rps "$o")" "$(field rps "$crowded")") of window 0 with as many clients."
fi
if [[ "$PROFILE" == yes ]]; then
	echo
	echo "Where the overload row's CPU went (async-profiler, target/bench-overload-profile.html):"
	echo
	profile_summary target/bench-overload-profile.collapsed | sed 's/^/    /'
fi

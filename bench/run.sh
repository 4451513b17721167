#!/usr/bin/env bash
# The benchmark: our packaged service and two peers that do the same create, the Spring MVC + virtual-threads one
# (../shared/peers/mvc-virtual-threads) and the Vert.x + reactive PostgreSQL client one (../shared/peers/vertx-pg,
# statements pipelined on one connection per event loop: the fastest JVM stack for this work), each on -Xmx256m (ours
# with its shipped src/main/jvm/jvm.options, the peers with the JVM's defaults) and on the same JVM, against the local
# PostgreSQL, loaded from this machine only (127.0.0.1), one after the other under the same load, every run bounded in
# time. Prints one Markdown table with the three columns and our ratio to each peer. Needs wrk, pgbench and psql:
#   apt-get install -y wrk postgresql-client        # pgbench comes with PostgreSQL
#   bench/run.sh
# Knobs (environment): BENCH_JAVA_HOME (the JVM both run on; default the newest JDK 21+ under /usr/lib/jvm, which the
# peer needs), WARMUP_CONCURRENT (30 s, before row 1), WARMUP_FAST (60 s, before row 3), DURATION (15 s),
# BURSTS ("2000 10000"), LIST_ROWS ("100000 1000000"), BENCH_PORT (18090), PEER_PORT (18200, the MVC peer's),
# VERTX_PORT (18210), PEER ("yes"; "no" runs ours alone: the peers' sources are outside the repository). Row 7 is
# bench/overload.sh, for ours and for the Vert.x peer, whose knobs pass through (its WARMUP, 60 s, is its own).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${BENCH_PORT:-18090}"
PEER_PORT="${PEER_PORT:-18200}"
VERTX_PORT="${VERTX_PORT:-18210}"
WARMUP_CONCURRENT="${WARMUP_CONCURRENT:-30}"
WARMUP_FAST="${WARMUP_FAST:-60}"
DURATION="${DURATION:-15}"
BURSTS="${BURSTS:-2000 10000}"
LIST_ROWS="${LIST_ROWS:-100000 1000000}"
PEER="${PEER:-yes}"
# Row 1: many clients, each in a closed loop (its next create only once the last is answered, after the window), so
# no server can exceed ROW1_CLIENTS / window creates/s there.
ROW1_CLIENTS=2000
ROW1_WINDOW_MS=500
ROW1_CEILING=$((ROW1_CLIENTS * 1000 / ROW1_WINDOW_MS))
PEER_SOURCE="../shared/peers/mvc-virtual-threads"
VERTX_SOURCE="../shared/peers/vertx-pg"
RUN="b$(date +%s)"
JAR="target/customers-0.1.0.jar"
PEER_JAR="target/peer/target/peer-mvc-0.1.0.jar"
VERTX_JAR="target/peer-vertx/target/peer-vertx-0.1.0.jar"
service_pid=""
declare -A ours peer vertx

for tool in wrk pgbench psql curl; do
	command -v "$tool" > /dev/null || { echo "bench/run.sh needs $tool (see the top of this file)" >&2; exit 1; }
done
# shellcheck source=bench/common.sh
source bench/common.sh
newest_jdk21
JAVA="${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java"
[[ "$PEER" == yes && -z "${BENCH_JAVA_HOME:-}" ]] && { echo "The peer needs a JDK 21+ (BENCH_JAVA_HOME); PEER=no runs ours alone" >&2; exit 1; }

[[ -f "$JAR" ]] || ./mvnw -B -q package -DskipTests
[[ -f target/bench.classpath ]] || ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
	-Dmdep.includeScope=runtime > /dev/null
# build_peer SOURCE COPY JAR: a peer built in a copy under target/ (shared/ is read-only), unless built already.
build_peer() {
	[[ -f "$3" ]] && return 0
	[[ -d "$1" ]] || { echo "No peer at $1 (it is outside the repository): PEER=no runs ours alone" >&2; exit 1; }
	echo "Building the peer from $1 (a copy in $2)" >&2
	rm -rf "$2" && cp -r "$1" "$2" && chmod +x "$2/mvnw"
	(cd "$2" && JAVA_HOME="$BENCH_JAVA_HOME" ./mvnw -B -q package -DskipTests)
}
if [[ "$PEER" == yes ]]; then
	build_peer "$PEER_SOURCE" target/peer "$PEER_JAR"
	build_peer "$VERTX_SOURCE" target/peer-vertx "$VERTX_JAR"
fi

sql() { psql -h 127.0.0.1 -U postgres -d "$1" -tAqc "$2"; }
# A service out of heap can take minutes over a graceful shutdown: after 30 s it is killed.
stop_service() {
	if [[ -n "$service_pid" ]]; then
		kill "$service_pid" 2> /dev/null || true
		for _ in $(seq 1 30); do kill -0 "$service_pid" 2> /dev/null || break; sleep 1; done
		kill -9 "$service_pid" 2> /dev/null || true
		wait "$service_pid" 2> /dev/null || true
	fi
	service_pid=""
}
# At the end, or on Ctrl-C: the service stops and the benchmark's databases go.
finish() {
	stop_service
	for db in bench_ours bench_peer bench_vertx; do
		drop_database "$db"
	done
}
trap finish EXIT

# start WHO RACE_WINDOW: a fresh database for it, then the service on its port.
start() {
	local who="$1" window="$2" db="bench_$1"
	stop_service
	fresh_database "$db"
	if [[ "$who" == ours ]]; then
		URL="http://127.0.0.1:$PORT"
		READINESS="$(ours_readiness "$PORT")"
		start_ours "$JAR" "$PORT" "$db" "$window" "target/bench-$who-$window.log"
	elif [[ "$who" == vertx ]]; then
		URL="http://127.0.0.1:$VERTX_PORT"
		READINESS="$URL/ready"
		PEER_PG_URI="postgresql://postgres@127.0.0.1:5432/$db" SERVER_PORT="$VERTX_PORT" \
			CUSTOMERS_RACE_WINDOW_MS="$(window_ms "$window")" \
			"$JAVA" -Xmx256m -jar "$VERTX_JAR" > "target/bench-$who-$window.log" 2>&1 &
	else
		URL="http://127.0.0.1:$PEER_PORT"
		READINESS="$URL/actuator/health/readiness"
		SERVER_PORT="$PEER_PORT" SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
			SPRING_DATASOURCE_USERNAME=postgres CUSTOMERS_RACE_WINDOW="$window" \
			"$JAVA" -Xmx256m -jar "$PEER_JAR" > "target/bench-$who-$window.log" 2>&1 &
	fi
	service_pid=$!
	DB="$db"
	ready "$READINESS" && return 0
	echo "$who did not start; see target/bench-$who-$window.log" >&2
	exit 1
}
# Both read /proc: a service that died (the peer, out of heap) reads as "-" and 0.
mib() { awk -v key="$1" '$1 == key":" { printf "%.0f", $2 / 1024 }' "/proc/$service_pid/status" 2> /dev/null || echo -; }
ticks() { cpu_ticks "$service_pid"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f ms", us / 1000 }'; }
# wrk_run CONNECTIONS THREADS SECONDS PREFIX: prints wrk's RESULT line, plus the service's CPU per request
wrk_run() {
	local before after result
	before="$(ticks)"
	result="$(BENCH_PREFIX="$4" timeout $(($3 + 60)) wrk -t"$2" -c"$1" -d"$3"s --timeout 10s -s bench/create.lua "$URL" \
		| grep '^RESULT')"
	after="$(ticks)"
	echo "$result cpu_us_per_request=$(awk -v t=$((after - before)) -v n="$(field requests "$result")" \
		-v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0) }')"
}
# throughput, latencies, errors and CPU per request of one wrk RESULT
summary() {
	echo "$(field rps "$1") req/s, p50 $(ms "$(field p50_us "$1")"), p99 $(ms "$(field p99_us "$1")"), $(field cpu_us_per_request "$1") µs CPU/req, non-2xx $(field non2xx "$1"), timeouts $(field timeouts "$1"), socket errors $(field socket_errors "$1")"
}
burst() { # N: prints Burst's RESULT line
	timeout 300 "$JAVA" -cp "$(cat target/bench.classpath)" bench/Burst.java burst "$URL" "$1" "$RUN-burst$1" \
		| grep '^RESULT' || echo "RESULT statuses=none(timed-out) seconds_to_last=-"
}

# rows_for WHO RESULTS: rows 1 to 4 of one service, into the associative array named RESULTS
rows_for() {
	local who="$1" r
	local -n out="$2"
	echo "== $who, race window $ROW1_WINDOW_MS ms: warm-up, $ROW1_CLIENTS clients for ${WARMUP_CONCURRENT} s" >&2
	start "$who" "${ROW1_WINDOW_MS}ms"
	wrk_run "$ROW1_CLIENTS" 2 "$WARMUP_CONCURRENT" "$RUN-$who-warm" > /dev/null || true
	r="$(wrk_run "$ROW1_CLIENTS" 2 "$DURATION" "$RUN-$who-row1")"
	out[1]="$(summary "$r"); peak RSS $(mib VmHWM) MiB"
	out[1rps]="$(field rps "$r")"
	for n in $BURSTS; do
		r="$(burst "$n")"
		out[2-$n]="$(field statuses "$r") (p99 s: $(field p99_seconds "$r")), last answer after $(field seconds_to_last "$r") s"
		kill -0 "$service_pid" 2> /dev/null || { out[2-$n]+=" (the service died)"; start "$who" "${ROW1_WINDOW_MS}ms"; }
	done
	echo "== $who, race window 0: warm-up, 50 clients for ${WARMUP_FAST} s" >&2
	start "$who" 0
	wrk_run 50 2 "$WARMUP_FAST" "$RUN-$who-warm0" > /dev/null
	r="$(wrk_run 50 2 "$DURATION" "$RUN-$who-row3")"
	out[3]="$(summary "$r")"
	out[3rps]="$(field rps "$r")"
	out[3cpu]="$(field cpu_us_per_request "$r")"
	r="$(wrk_run 1 1 "$DURATION" "$RUN-$who-row4")"
	out[4]="$(summary "$r")"
	out[4p50]="$(field p50_us "$r")"
	stop_service
}

rows_for ours ours
if [[ "$PEER" == yes ]]; then
	rows_for peer peer
	rows_for vertx vertx
fi

echo "== ours only: same-login rounds and the streamed list" >&2
start ours 500ms
r="$(timeout 300 "$JAVA" -cp "$(cat target/bench.classpath)" bench/Burst.java rounds "$URL" 100 20 "$RUN-rounds" | grep '^RESULT')"
row5="statuses $(field statuses "$r"); rounds with exactly one 201: $(field rounds_with_exactly_one_201 "$r")"
row6=""
for n in $LIST_ROWS; do
	sql "$DB" "TRUNCATE customer; INSERT INTO customer (login) SELECT 'list-' || i FROM generate_series(1, $n) AS i" > /dev/null
	curl -s -o /dev/null --max-time 120 "$URL/api/customer/"
	t="$(curl -s -o target/bench-list.json -w '%{time_total}' --max-time 120 "$URL/api/customer/")"
	row6+="$n rows: last byte after $t s ($(($(stat -c %s target/bench-list.json) / 1048576)) MiB); "
done
row6+="peak RSS $(mib VmHWM) MiB"
rm -f target/bench-list.json
sql "$DB" "TRUNCATE customer" > /dev/null
pg="$(timeout $((DURATION + 60)) pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 10 -j 2 -T "$DURATION" \
	-f bench/pgbench-create.sql "$DB" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)"
stop_service

echo "== the overload row (bench/overload.sh), ours" >&2
overload="$(BENCH_JAVA_HOME="${BENCH_JAVA_HOME:-}" bench/overload.sh | sed -n '/^| load/,$p')"
if [[ "$PEER" == yes ]]; then
	echo "== the overload row (bench/overload.sh), the Vert.x peer" >&2
	overload_vertx="$(BENCH_JAVA_HOME="${BENCH_JAVA_HOME:-}" OVERLOAD_PEER_JAR="$VERTX_JAR" bench/overload.sh \
		| sed -n '/^| load/,$p')"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "-" }'; }
echo
echo "Benchmark $RUN on $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB, both on $("$JAVA" -version 2>&1 | head -n 1), -Xmx256m (ours: src/main/jvm/jvm.options), PostgreSQL $(sql postgres 'SHOW server_version')"
echo "pgbench, the same two statements, 10 clients, prepared: ${pg%.*} pairs/s"
echo
echo "| row | load | ours | peer (MVC + virtual threads) | Vert.x + pg-client | ours/MVC | ours/Vert.x | ours/pgbench |"
echo "|---|---|---|---|---|---|---|---|"
echo "| 1 | window $ROW1_WINDOW_MS ms, $ROW1_CLIENTS clients, ${DURATION} s after ${WARMUP_CONCURRENT} s warm-up | ${ours[1]} | ${peer[1]:-not run} | ${vertx[1]:-not run} | $(ratio "${ours[1rps]}" "${peer[1rps]:-0}") req/s | $(ratio "${ours[1rps]}" "${vertx[1rps]:-0}") req/s | $(ratio "${ours[1rps]}" "$pg") (ceiling $(ratio "$ROW1_CEILING" "$pg")) |"
for n in $BURSTS; do
	echo "| 2 | burst: $n creates at once, each on a new connection | ${ours[2-$n]} | ${peer[2-$n]:-not run} | ${vertx[2-$n]:-not run} | | | |"
done
echo "| 3 | window 0, 50 clients, ${DURATION} s after ${WARMUP_FAST} s warm-up | ${ours[3]} | ${peer[3]:-not run} | ${vertx[3]:-not run} | $(ratio "${ours[3rps]}" "${peer[3rps]:-0}") req/s, $(ratio "${ours[3cpu]}" "${peer[3cpu]:-0}") CPU/req | $(ratio "${ours[3rps]}" "${vertx[3rps]:-0}") req/s, $(ratio "${ours[3cpu]}" "${vertx[3cpu]:-0}") CPU/req | $(ratio "${ours[3rps]}" "$pg") |"
echo "| 4 | window 0, one client, ${DURATION} s | ${ours[4]} | ${peer[4]:-not run} | ${vertx[4]:-not run} | $(ratio "${ours[4p50]}" "${peer[4p50]:-0}") p50 | $(ratio "${ours[4p50]}" "${vertx[4p50]:-0}") p50 | |"
echo "| 5 | 100 rounds of 20 simultaneous POSTs of one login | $row5 | | | | | |"
echo "| 6 | list, second run | $row6 | | | | | |"
echo
echo "Row 7, overload (bench/overload.sh): the service pinned to core 0, wrk to core 1; its capacity, window 0 with 2,000"
echo "clients, then 2,000 clients through the 500 ms window, in this run"
echo
echo "$overload"
if [[ -n "${overload_vertx:-}" ]]; then
	echo
	echo "The same for the Vert.x peer:"
	echo
	echo "$overload_vertx"
fi
echo
echo "Row 1's ceiling: each of the $ROW1_CLIENTS clients waits at least the $ROW1_WINDOW_MS ms window per create, so no server"
echo "exceeds $ROW1_CEILING creates/s there; ours reached $(ratio "${ours[1rps]}" "$ROW1_CEILING") of it."

#!/usr/bin/env bash
# The benchmark: the packaged service on -Xmx256m against the local PostgreSQL, load from this machine only
# (127.0.0.1), every run bounded in time. Prints one Markdown table. Needs wrk, pgbench and psql:
#   apt-get install -y wrk postgresql-client        # pgbench comes with PostgreSQL
#   bench/run.sh
# Knobs (environment): WARMUP_CONCURRENT (30 s, before row 1), WARMUP_FAST (60 s, before row 3), DURATION (15 s),
# BURSTS ("2000 10000"), LIST_ROWS ("100000 1000000"), BENCH_PORT (18090).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${BENCH_PORT:-18090}"
URL="http://127.0.0.1:$PORT"
WARMUP_CONCURRENT="${WARMUP_CONCURRENT:-30}"
WARMUP_FAST="${WARMUP_FAST:-60}"
DURATION="${DURATION:-15}"
BURSTS="${BURSTS:-2000 10000}"
LIST_ROWS="${LIST_ROWS:-100000 1000000}"
DB="customers_bench"
RUN="b$(date +%s)"
JAR="target/customers-0.1.0.jar"
service_pid=""
rows_out=()

for tool in wrk pgbench psql curl java; do
	command -v "$tool" > /dev/null || { echo "bench/run.sh needs $tool (see the top of this file)" >&2; exit 1; }
done
[[ -f "$JAR" ]] || ./mvnw -B -q package -DskipTests
[[ -f target/bench.classpath ]] || ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
	-Dmdep.includeScope=runtime > /dev/null

sql() { psql -h 127.0.0.1 -U postgres -d "$DB" -tAqc "$1"; }
stop_service() {
	if [[ -n "$service_pid" ]]; then kill "$service_pid" 2> /dev/null || true; wait "$service_pid" 2> /dev/null || true; fi
	service_pid=""
}
trap stop_service EXIT

start_service() { # RACE_WINDOW
	stop_service
	SERVER_PORT="$PORT" SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:5432/$DB" SPRING_R2DBC_USERNAME=postgres \
		CUSTOMERS_RACE_WINDOW="$1" java -Xmx256m -jar "$JAR" > "target/bench-service-$1.log" 2>&1 &
	service_pid=$!
	for _ in $(seq 1 60); do curl -fs -o /dev/null "$URL/actuator/health/readiness" && return 0; sleep 1; done
	echo "the service did not start" >&2; exit 1
}
mib() { awk -v key="$1" '$1 == key":" { printf "%.0f", $2 / 1024 }' "/proc/$service_pid/status"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " $2"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f ms", us / 1000 }'; }
row() { rows_out+=("$1"); echo "$1" >&2; }
# wrk_run CONNECTIONS THREADS SECONDS PREFIX: prints wrk's RESULT line
wrk_run() {
	BENCH_PREFIX="$4" timeout $(($3 + 60)) wrk -t"$2" -c"$1" -d"$3"s --timeout 10s -s bench/create.lua "$URL" | grep '^RESULT'
}

echo "Preparing database $DB" >&2
psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" > /dev/null

echo "== race window 500 ms" >&2
start_service 500ms
echo "warm-up: 2,000 clients for ${WARMUP_CONCURRENT} s" >&2
wrk_run 2000 2 "$WARMUP_CONCURRENT" "$RUN-warm" > /dev/null

r="$(wrk_run 2000 2 "$DURATION" "$RUN-row1")"
written="$(sql "SELECT count(*) FROM customer WHERE login LIKE '$RUN-row1-%'")"
answered=$(($(field requests "$r") - $(field non2xx "$r")))
row "| 1 | window 500 ms, 2,000 clients, ${DURATION} s after ${WARMUP_CONCURRENT} s warm-up | $(field rps "$r") req/s | $(ms "$(field p50_us "$r")") | $(ms "$(field p99_us "$r")") | $(ms "$(field max_us "$r")") | non-2xx $(field non2xx "$r"), timeouts $(field timeouts "$r"), socket $(field socket_errors "$r") | $answered answered 201, $written rows written; peak RSS $(mib VmHWM) MiB |"

for n in $BURSTS; do
	r="$(timeout 300 java -cp "$(cat target/bench.classpath)" bench/Burst.java burst "$URL" "$n" "$RUN-burst$n" | grep '^RESULT')"
	row "| 2 | burst: $n creates at once, each on a new connection | | | | | | $(field statuses "$r"), last answer after $(field seconds_to_last "$r") s; peak RSS $(mib VmHWM) MiB |"
done

r="$(timeout 300 java -cp "$(cat target/bench.classpath)" bench/Burst.java rounds "$URL" 100 20 "$RUN-rounds" | grep '^RESULT')"
row "| 5 | 100 rounds of 20 simultaneous POSTs of one login | | | | | | statuses $(field statuses "$r"); rounds with exactly one 201: $(field rounds_with_exactly_one_201 "$r") |"

for n in $LIST_ROWS; do
	sql "TRUNCATE customer; INSERT INTO customer (login) SELECT 'list-' || i FROM generate_series(1, $n) AS i" > /dev/null
	curl -s -o /dev/null --max-time 120 "$URL/api/customer/"
	before="$(mib VmRSS)"
	t="$(curl -s -o target/bench-list.json -w '%{time_total}' --max-time 120 "$URL/api/customer/")"
	row "| 6 | list of $n rows (second run) | | | | | | last byte after $t s, $(($(stat -c %s target/bench-list.json) / 1048576)) MiB of JSON; RSS $before MiB before, peak RSS $(mib VmHWM) MiB |"
done
rm -f target/bench-list.json
sql "TRUNCATE customer" > /dev/null

echo "== race window 0" >&2
start_service 0
echo "warm-up: 50 clients for ${WARMUP_FAST} s" >&2
wrk_run 50 2 "$WARMUP_FAST" "$RUN-warm0" > /dev/null
r="$(wrk_run 50 2 "$DURATION" "$RUN-row3")"
service_rps="$(field rps "$r")"
pg="$(timeout $((DURATION + 60)) pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 10 -j 2 -T "$DURATION" \
	-f bench/pgbench-create.sql "$DB" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)"
ratio="$(awk -v s="$service_rps" -v p="$pg" 'BEGIN { printf "%.2f", s / p }')"
row "| 3 | window 0, 50 clients, ${DURATION} s after ${WARMUP_FAST} s warm-up | $service_rps req/s | $(ms "$(field p50_us "$r")") | $(ms "$(field p99_us "$r")") | $(ms "$(field max_us "$r")") | non-2xx $(field non2xx "$r"), timeouts $(field timeouts "$r") | pgbench (same 2 statements, 10 clients, prepared): ${pg%.*} pairs/s; service/pgbench = $ratio |"

r="$(wrk_run 1 1 "$DURATION" "$RUN-row4")"
row "| 4 | window 0, one client, ${DURATION} s | $(field rps "$r") req/s | $(ms "$(field p50_us "$r")") | $(ms "$(field p99_us "$r")") | $(ms "$(field max_us "$r")") | non-2xx $(field non2xx "$r") | |"
stop_service

echo
echo "Benchmark $RUN on $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB, $(java -version 2>&1 | head -n 1), PostgreSQL $(sql 'SHOW server_version')"
echo
echo "| row | load | throughput | p50 | p99 | max | errors | notes |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows_out[@]}" | sort -s -k2,2n

#!/usr/bin/env bash
# Creates per second through nginx with 1, 2 and 3 replicas, at 2,000 concurrent clients through the race window,
# and where the CPU goes meanwhile (docker stats per container, and wrk's own share). Measurement only: it prints
# figures and judges nothing. Needs the stack running without nginx's per-client rate limit, which wrk's one address
# would hit at once (RATE_LIMIT=off docker compose -f scale/compose.yaml up --build -d), and wrk.
#   scale/throughput.sh                      CONNECTIONS=2000 WARMUP=20 DURATION=15 REPLICA_COUNTS="3 2 1"
# From the most replicas down: a replica started just before a run would be measured while its JIT still compiles.
set -euo pipefail
cd "$(dirname "$0")"

BASE_URL="${BASE_URL:-http://127.0.0.1:${CUSTOMERS_HOST_PORT:-8080}}"
CONNECTIONS="${CONNECTIONS:-2000}"
WARMUP="${WARMUP:-20}"
DURATION="${DURATION:-15}"
REPLICA_COUNTS="${REPLICA_COUNTS:-3 2 1}"
ALL="web1 web2 web3"
compose() { docker compose -f compose.yaml "$@"; }
command -v wrk > /dev/null || { echo "scale/throughput.sh needs wrk (apt-get install -y wrk)" >&2; exit 1; }

use_replicas() { # $1 count: the first N replicas running and in rotation, the others stopped
	local n=0 replica container
	for replica in $ALL; do
		n=$((n + 1))
		if ((n <= $1)); then
			compose start "$replica" > /dev/null 2>&1
			container="$(compose ps -q "$replica")"
			until [[ "$(docker inspect --format '{{.State.Health.Status}}' "$container")" == healthy ]]; do sleep 1; done
		else
			compose stop "$replica" > /dev/null 2>&1
		fi
	done
	sleep 3 # the balancer polls readiness twice a second
}

wrk_run() { # $1 seconds, $2 login prefix: prints wrk's RESULT line
	BENCH_PREFIX="$2" timeout $(($1 + 60)) wrk -t2 -c"$CONNECTIONS" -d"$1"s --timeout 10s -s ../bench/create.lua "$BASE_URL" \
		| sed -n 's/^RESULT //p'
}

printf '| replicas | creates/s | p50 ms | p99 ms | errors | CPU %% during the run (100 = one core) |\n|---|---|---|---|---|---|\n'
for count in $REPLICA_COUNTS; do
	use_replicas "$count"
	run="scale-$count-$(date +%s)"
	wrk_run "$WARMUP" "$run-warm" > /dev/null
	wrk_run "$DURATION" "$run" > "/tmp/throughput-$run" &
	wrk_job=$!
	sleep $((DURATION / 2))
	wrk_pid="$(pgrep -n -x wrk || true)"
	wrk_ticks_before="$(awk '{print $14 + $15}' "/proc/$wrk_pid/stat" 2> /dev/null || echo 0)"
	stats="$(docker stats --no-stream --format '{{.Name}}={{.CPUPerc}}' | sed 's/^scale_//; s/_1=/=/' | sort | tr '\n' ' ')"
	sleep 2
	wrk_ticks_after="$(awk '{print $14 + $15}' "/proc/$wrk_pid/stat" 2> /dev/null || echo 0)"
	wait "$wrk_job"
	read -r requests seconds rps p50 p99 max non2xx timeouts socket_errors < <(sed 's/[a-z0-9_]*=//g' "/tmp/throughput-$run")
	printf '| %s | %s | %.0f | %.0f | %s | %s wrk=%s%% |\n' "$count" "$rps" "$(echo "$p50 / 1000" | bc -l)" \
		"$(echo "$p99 / 1000" | bc -l)" "$((non2xx + timeouts + socket_errors))" "$stats" \
		"$(( (wrk_ticks_after - wrk_ticks_before) * 100 / $(getconf CLK_TCK) / 2 ))"
	rm -f "/tmp/throughput-$run"
done
use_replicas 3

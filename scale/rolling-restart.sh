#!/usr/bin/env bash
# Restarts every replica of scale/compose.yaml in turn while clients keep creating customers through nginx, then
# checks what the clients saw: every answer 201 or 400, no 5xx, no connection error, and one row per 201.
#
#   scale/rolling-restart.sh                 16 clients, replicas web1 web2 web3
#   CLIENTS=32 REPLICAS="web1 web2" scale/rolling-restart.sh
#
# Needs the stack running (docker compose -f scale/compose.yaml up --build -d) and its port (CUSTOMERS_HOST_PORT,
# default 8080). Every client sends a new login, and every fifth time the login it sent before, which must be 400.
set -uo pipefail
cd "$(dirname "$0")"

BASE_URL="${BASE_URL:-http://127.0.0.1:${CUSTOMERS_HOST_PORT:-8080}}"
CLIENTS="${CLIENTS:-16}"
REPLICAS="${REPLICAS:-web1 web2 web3}"
compose() { docker compose -f compose.yaml "$@"; }

run="roll-$(date +%s)-$RANDOM"
work="$(mktemp -d)"
trap 'touch "$work/stop"; wait; rm -rf "$work"' EXIT

# client N: POSTs until told to stop; one line per answer: status, expected (201 or 400), login, instance.
client() {
	local n=$1 i=0 login previous="" status expected headers
	while [[ ! -e "$work/stop" ]]; do
		i=$((i + 1))
		if ((i % 5 == 0)) && [[ -n "$previous" ]]; then
			login="$previous" expected=400
		else
			login="$run-$n-$i" expected=201
		fi
		headers="$work/headers-$n"
		status="$(curl -s -D "$headers" -o /dev/null -w '%{http_code}' --max-time 30 \
			-H 'Content-Type: application/json' -d "{\"login\":\"$login\"}" "$BASE_URL/api/customer/")" || status=000
		printf '%s %s %s %s\n' "$status" "$expected" "$login" \
			"$(sed -n 's/^[Ss]erved-[Bb]y: *\([^[:space:]]*\).*/\1/p' "$headers" 2> /dev/null | head -n 1)" >> "$work/answers-$n"
		previous="$login"
	done
}

wait_ready() { # $1 replica: its container healthy, and nginx sending to it
	local started=$SECONDS container
	container="$(compose ps -q "$1")"
	until [[ "$(docker inspect --format '{{.State.Health.Status}}' "$container")" == healthy ]]; do
		((SECONDS - started < 180)) || { echo "$1 did not become healthy" >&2; return 1; }
		sleep 1
	done
	sleep 2 # the balancer polls readiness twice a second
}

echo "Rolling restart of $REPLICAS under $CLIENTS clients creating through $BASE_URL (logins $run-*)"
for n in $(seq 1 "$CLIENTS"); do client "$n" & done
sleep 5
for replica in $REPLICAS; do
	started=$SECONDS
	compose stop "$replica" > /dev/null 2>&1
	stopped=$SECONDS
	compose start "$replica" > /dev/null 2>&1
	wait_ready "$replica" || exit 1
	echo "  $replica: stopped in $((stopped - started)) s, back in rotation after $((SECONDS - stopped)) s"
done
sleep 5
touch "$work/stop"
wait

cat "$work"/answers-* > "$work/all"
sent=$(wc -l < "$work/all")
created=$(awk '$1 == 201' "$work/all" | wc -l)
echo "requests: $sent"
echo "answers:  $(awk '{print $1}' "$work/all" | sort | uniq -c | awk '{printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1}')"
echo "by:       $(awk '$4 != "" {print $4}' "$work/all" | sort | uniq -c | awk '{printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1}')"
wrong=$(awk '$1 != $2' "$work/all" | wc -l)
rows=$(compose exec -T db psql -U postgres -d test -tAc "SELECT count(*) FROM customer WHERE login LIKE '$run-%'" | tr -d '[:space:]')
echo "rows:     $rows for $created answers 201"
if ((wrong > 0)); then
	echo "FAIL: $wrong answers were not what the request called for (a new login 201, a repeated one 400):"
	awk '$1 != $2' "$work/all" | head -n 10 | sed 's/^/  /'
	exit 1
fi
if [[ "$rows" != "$created" ]]; then
	echo "FAIL: $rows rows for $created answers 201"
	exit 1
fi
echo "OK: no error while every replica restarted; every 201 has its row"

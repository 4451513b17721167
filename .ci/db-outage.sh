#!/usr/bin/env bash
# The database goes away and comes back, around the running packaged jar. Stops and restarts this machine's
# PostgreSQL, so run it only where that is acceptable (CI, or a developer machine): .ci/db-outage.sh
set -euo pipefail
cd "$(dirname "$0")/.."

JAR="target/customers-0.1.0.jar"
PORT="${OUTAGE_PORT:-18081}"
BASE_URL="http://127.0.0.1:$PORT"
CLUSTER="$(ls /etc/postgresql | sort -V | tail -n 1)"
LOG="target/outage-service.log"
service_pid=""

export SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:5432/test" SPRING_R2DBC_USERNAME="postgres"
export SPRING_R2DBC_PASSWORD="" SERVER_PORT="$PORT" MANAGEMENT_SERVER_PORT="$((PORT + 10000))"
MANAGEMENT_URL="http://127.0.0.1:$MANAGEMENT_SERVER_PORT"

postgres() { pg_ctlcluster --skip-systemctl-redirect "$CLUSTER" main "$@" > /dev/null; }
postgres_up() {
	pg_isready -q -h 127.0.0.1 -p 5432 || postgres start
	for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
	return 1
}
cleanup() {
	if [[ -n "$service_pid" ]]; then
		kill "$service_pid" 2> /dev/null || true
		wait "$service_pid" 2> /dev/null || true
	fi
	postgres_up
}
trap cleanup EXIT

start_service() {
	java @src/main/jvm/jvm.options -jar "$JAR" > "$LOG" 2>&1 &
	service_pid=$!
}
wait_ready() {
	for _ in $(seq 1 "$1"); do
		curl -fs -o /dev/null "$MANAGEMENT_URL/actuator/health/readiness" && return 0
		sleep 1
	done
	return 1
}
# post LOGIN: prints "status seconds body"
post() {
	curl -s -o target/outage.body -w '%{http_code} %{time_total}' --max-time 30 -H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\"}" "$BASE_URL/api/customer/"
	echo " $(cat target/outage.body)"
}
expect() {
	local what="$1" pattern="$2" answer="$3"
	echo "$what: $answer"
	[[ "$answer" =~ $pattern ]] || { echo "FAIL: expected $pattern" >&2; exit 1; }
}

echo "== The service runs, the database is up"
postgres_up
start_service
wait_ready 60
expect "create" '^201 ' "$(post "outage-before-$RANDOM$RANDOM")"

echo "== The database stops"
postgres stop -m fast
expect "create" '^503 [0-4]\.[0-9]+ \{"detail":"Service temporarily unavailable."\}$' "$(post "outage-during-$RANDOM")"
expect "create again" '^503 [0-4]\.[0-9]+ ' "$(post "outage-during-$RANDOM")"
expect "list" '^503$' "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE_URL/api/customer/")"
expect "readiness" '^503 .*"status":"DOWN"' "$(curl -s -w '%{http_code}' -o target/outage.health --max-time 10 \
	"$MANAGEMENT_URL/actuator/health/readiness") $(cat target/outage.health)"

echo "== The database comes back; the service recovers without a restart"
postgres_up
recovered=""
for _ in $(seq 1 20); do
	answer="$(post "outage-after-$RANDOM$RANDOM")"
	[[ "$answer" == 201* ]] && { recovered="$answer"; break; }
	sleep 0.5
done
expect "create after recovery" '^201 ' "$recovered"
wait_ready 10 && echo "readiness: UP"
kill "$service_pid"; wait "$service_pid" || true
service_pid=""

echo "== Start-up without a database waits customers.startup-wait, then exits with a message"
postgres stop -m fast
start=$SECONDS
CUSTOMERS_STARTUP_WAIT=3s start_service
if wait "$service_pid"; then echo "FAIL: the service started without a database" >&2; exit 1; fi
service_pid=""
grep -o 'The database did not become available within 3s[^"]*' "$LOG" | head -n 1 | grep .
echo "exited after $((SECONDS - start)) s"

echo "== Start-up while the database is still coming: the service waits for it"
CUSTOMERS_STARTUP_WAIT=60s start_service
sleep 3
postgres_up
wait_ready 60
expect "create" '^201 ' "$(post "outage-late-db-$RANDOM$RANDOM")"

echo "== Database outage: all passed"

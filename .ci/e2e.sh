#!/usr/bin/env bash
# End to end against the packaged jar and the local PostgreSQL: the demo script, the contract tests over HTTP,
# the served OpenAPI document linted, graceful shutdown with a request inside its race window, and the demo's 500
# with the mapping switched off.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR="target/customers-0.1.0.jar"
PORT="${E2E_PORT:-18080}"
export BASE_URL="http://127.0.0.1:$PORT"
export SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:5432/test"
export SPRING_R2DBC_USERNAME="postgres"
export SPRING_R2DBC_PASSWORD=""
export SERVER_PORT="$PORT"
export MANAGEMENT_SERVER_PORT="$((PORT + 10000))"
MANAGEMENT_URL="http://127.0.0.1:$MANAGEMENT_SERVER_PORT"
LOG="target/e2e-service.log"
service_pid=""

stop_service() {
	if [[ -n "$service_pid" ]] && kill -0 "$service_pid" 2> /dev/null; then
		kill -TERM "$service_pid"
		wait "$service_pid" || true
	fi
	service_pid=""
}
trap stop_service EXIT

start_service() {
	java @src/main/jvm/jvm.options -jar "$JAR" > "$LOG" 2>&1 &
	service_pid=$!
	for _ in $(seq 1 60); do
		if curl -fs -o /dev/null "$MANAGEMENT_URL/actuator/health/readiness"; then
			return 0
		fi
		kill -0 "$service_pid" 2> /dev/null || break
		sleep 1
	done
	echo "The service did not become ready; its log:" >&2
	cat "$LOG" >&2
	exit 1
}

step() {
	printf '\n== %s\n' "$*"
}

step "Start the packaged jar on port $PORT"
start_service
grep 'Customer API ready' "$LOG"
if grep -E ' (WARN|ERROR) ' "$LOG"; then
	echo "A clean start logged the warnings or errors above; it should log none" >&2
	exit 1
fi

step "./test.sh"
./test.sh

step "./test.sh -n 50"
./test.sh -n 50

step "20 rounds of 20 simultaneous same-login POSTs"
for round in $(seq 1 20); do
	./test.sh -n 20 > "target/e2e-round-$round.txt" || { cat "target/e2e-round-$round.txt"; exit 1; }
	grep '^summary' "target/e2e-round-$round.txt"
done

step "./test.sh -k: a retry with the same Idempotency-Key is replayed"
./test.sh -k

step "The API contract tests, over HTTP against the jar"
# The tests' own context takes random ports; the jar's management port, set for the jar, must not reach it.
if ! env -u MANAGEMENT_SERVER_PORT CUSTOMERS_TEST_BASE_URL="$BASE_URL" \
	CUSTOMERS_TEST_R2DBC_URL="r2dbc:postgresql://postgres@127.0.0.1:5432/test" \
	./mvnw -B -o surefire:test -Dtest=CustomerApiContractTest,DrfDemoAnswersTest > target/e2e-contract.log 2>&1; then
	grep -E 'Tests run|FAIL|ERROR' target/e2e-contract.log | head -40
	exit 1
fi
grep -E 'Tests run:' target/e2e-contract.log | tail -n 1

step "The served OpenAPI document, linted with Redocly and Spectral (.ci/openapi-lint.sh)"
.ci/openapi-lint.sh "$BASE_URL/v3/api-docs"

step "Graceful shutdown: a create inside its race window still gets its 201"
login="shutdown-$(date +%s)-$RANDOM"
curl -s -o target/e2e-shutdown.body -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
	-d "{\"login\":\"$login\"}" "$BASE_URL/api/customer/" > target/e2e-shutdown.status &
request_pid=$!
sleep 0.2
kill -TERM "$service_pid"
wait "$request_pid"
wait "$service_pid" || true
service_pid=""
echo "answer during shutdown: $(cat target/e2e-shutdown.status) $(cat target/e2e-shutdown.body)"
[[ "$(cat target/e2e-shutdown.status)" == 201 ]]
rows=$(psql -h 127.0.0.1 -U postgres -d test -tAc "SELECT count(*) FROM customer WHERE login = '$login'")
[[ "$rows" == 1 ]]

step "With CUSTOMERS_MAP_DUPLICATE_KEY=false, test.sh shows the DRF demo's 500 and fails"
CUSTOMERS_MAP_DUPLICATE_KEY=false start_service
if ./test.sh > target/e2e-unmapped.txt; then
	cat target/e2e-unmapped.txt
	echo "test.sh passed although the mapping was off" >&2
	exit 1
fi
cat target/e2e-unmapped.txt
grep -q "DRF demo's bug" target/e2e-unmapped.txt
stop_service

step "Structured logs (LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs): the start-up line and the database warnings as JSON"
LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs start_service
grep '"message":"Customer API ready' "$LOG"
stop_service
LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:1/test" CUSTOMERS_STARTUP_WAIT=4s \
	java @src/main/jvm/jvm.options -jar "$JAR" > target/e2e-structured-wait.log 2>&1 || true
grep '"message":"Waiting for the database' target/e2e-structured-wait.log | head -n 1
grep -q '"message":"Waiting for the database' target/e2e-structured-wait.log
grep -q 'The database did not become available within 4s' target/e2e-structured-wait.log
if grep -v '^{' target/e2e-structured-wait.log | grep -q .; then
	echo "A log line that is not JSON:" >&2
	grep -v '^{' target/e2e-structured-wait.log | head -n 5 >&2
	exit 1
fi

step "End to end: all passed"

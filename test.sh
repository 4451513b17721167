#!/usr/bin/env bash
# The DRF demo's check, against this service: N simultaneous POSTs of one new login, then one more after the race
# window. A correct service answers exactly one 201, and 400 {"login":[...already exists.]} to every other request.
#
#   ./test.sh            2 simultaneous POSTs, then a third (the DRF demo)
#   ./test.sh -n 50      50 simultaneous POSTs, then one more
#   ./test.sh -k         a POST with an Idempotency-Key, then its retry: the first 201 is replayed
#   ./test.sh -t         also draw each racing request's phases (its Server-Timing header) as a text timeline
#   BASE_URL=http://127.0.0.1:9090 ./test.sh      another service (default: port CUSTOMERS_HOST_PORT, or 8080)
#   WAIT_SECONDS=600 ./test.sh                   wait longer for the service to answer (default 300)
#
# Exits 0 when every answer is right; 1 on any 5xx (a 503, the database unavailable, is told apart from the demo's
# 500), on anything but exactly one 201, on a wrong body, or when no service answers in time.
set -uo pipefail

BASE_URL="${BASE_URL:-http://127.0.0.1:${CUSTOMERS_HOST_PORT:-8080}}"
# Long enough for the first `docker compose up --build`, which builds the image before the service starts.
WAIT_SECONDS="${WAIT_SECONDS:-300}"
CONCURRENCY=2
TAKEN='{"login":["customer with this login already exists."]}'

usage() {
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}

RETRY_DEMO=false
TIMELINE=false
while getopts "n:kth" option; do
	case "$option" in
		n) CONCURRENCY="$OPTARG" ;;
		k) RETRY_DEMO=true ;;
		t) TIMELINE=true ;;
		*) usage ;;
	esac
done
[[ "$CONCURRENCY" =~ ^[1-9][0-9]*$ ]] || usage

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Waits for the service, so that `docker compose up` and this script can start together. Silent when the service
# already answers; otherwise says what it waits for, shows that it still waits, and why it gives up.
wait_for_service() {
	local started=$SECONDS next_report=$((SECONDS + 10))
	curl -fs -o /dev/null "$BASE_URL/api/" && return 0
	echo "Waiting up to ${WAIT_SECONDS}s for the service at $BASE_URL/api/ (set BASE_URL to test another)..."
	until curl -fs -o /dev/null "$BASE_URL/api/"; do
		if ((SECONDS - started >= WAIT_SECONDS)); then
			echo "No service answered at $BASE_URL/api/ within ${WAIT_SECONDS}s. Start it first (see the README:" >&2
			echo "docker compose up --build, or java -jar target/customers-0.1.0.jar), or point BASE_URL at it;" >&2
			echo "WAIT_SECONDS=N waits longer." >&2
			exit 1
		fi
		if ((SECONDS >= next_report)); then
			echo "  still waiting ($((SECONDS - started))s)..."
			next_report=$((SECONDS + 10))
		fi
		sleep 1
	done
	echo "The service answered after $((SECONDS - started))s."
}

# post NAME LOGIN: one POST, its status into NAME.status, its body into NAME.body, its headers into NAME.headers.
post() {
	curl -sS -D "$work/$1.headers" -o "$work/$1.body" -w '%{http_code}' --max-time 60 \
		-H 'Content-Type: application/json' -d "{\"login\":\"$2\"}" \
		"$BASE_URL/api/customer/" > "$work/$1.status" 2> "$work/$1.error" || echo 000 > "$work/$1.status"
}

# The instance that answered, when the service says (Served-By, behind a load balancer: see scale/compose.yaml).
served_by() {
	sed -n 's/^[Ss]erved-[Bb]y: *\([^[:space:]]*\).*/\1/p' "$work/$1.headers" 2> /dev/null | head -n 1
}

answer() {
	local instance
	instance="$(served_by "$1")"
	printf '%s %s%s\n' "$(cat "$work/$1.status")" "$(cat "$work/$1.body" 2> /dev/null)" "${instance:+   from $instance}"
}

# The retry of a client whose first POST timed out: with the same Idempotency-Key, it gets its own 201 back.
retry_demo() {
	local login="retry-$(date +%s)-$RANDOM$RANDOM" key="demo-key-$(date +%s)-$RANDOM$RANDOM" attempt
	echo "POST $BASE_URL/api/customer/ {\"login\":\"$login\"} with Idempotency-Key: $key, then its retry:"
	for attempt in first retry; do
		curl -sS -D "$work/$attempt.headers" -o "$work/$attempt.body" -w '%{http_code}' --max-time 60 \
			-H 'Content-Type: application/json' -H "Idempotency-Key: $key" -d "{\"login\":\"$login\"}" \
			"$BASE_URL/api/customer/" > "$work/$attempt.status"
		printf '  %s %s%s%s\n' "$(cat "$work/$attempt.status")" "$(cat "$work/$attempt.body")" \
			"$(grep -qi '^Idempotent-Replayed: true' "$work/$attempt.headers" && echo '   (Idempotent-Replayed: true)')" \
			"$(instance="$(served_by "$attempt")"; echo "${instance:+   from $instance}")"
	done
	if [[ "$(cat "$work/first.status")" == 201 && "$(cat "$work/retry.status")" == 201 ]] \
		&& cmp -s "$work/first.body" "$work/retry.body" && grep -qi '^Idempotent-Replayed: true' "$work/retry.headers"; then
		echo "OK: the retry got the first answer back, replayed; one customer was created"
		exit 0
	fi
	echo "FAIL: expected the retry to replay the first 201 and its body"
	exit 1
}

# One row per racing request, from its Server-Timing header: its check (c), race window (=) and write (w) on a shared
# scale, and what caught a taken login. The service times only its own phases, so the rows start together.
timeline() {
	local i
	echo "Each request's phases, from its Server-Timing header (c = check, = = race window, w = write):"
	for i in $(seq 1 "$CONCURRENCY"); do
		printf '%s %s %s\n' "$i" "$(cat "$work/race-$i.status")" \
			"$(sed -n 's/^[Ss]erver-[Tt]iming: *//p' "$work/race-$i.headers" 2> /dev/null | tr -d '\r' | tr -d ' ')"
	done | awk -F' ' '
		{
			n++; row[n] = $1; status[n] = $2; check[n] = window[n] = write[n] = 0; caught[n] = ""
			split($3, metrics, ",")
			for (m in metrics) {
				split(metrics[m], part, ";")
				if (part[2] ~ /^dur=/) { value = substr(part[2], 5) }
				if (part[1] == "check") check[n] = value
				if (part[1] == "window") window[n] = value
				if (part[1] == "write") write[n] = value
				if (part[1] == "caught") { caught[n] = substr(part[2], 6); gsub(/"/, "", caught[n]) }
			}
			total = check[n] + window[n] + write[n]
			if (total > longest) longest = total
		}
		END {
			printf "  %3s %-6s %9s %9s %9s  %-40s %s\n", "#", "answer", "check ms", "window ms", "write ms", "timeline", "caught by"
			for (i = 1; i <= n; i++) {
				bar = bars(check[i], "c") bars(window[i], "=") bars(write[i], "w")
				printf "  %3s %-6s %9.1f %9.1f %9.1f  %-40s %s\n", row[i], status[i], check[i], window[i], write[i], bar, caught[i]
			}
		}
		function bars(ms, mark,   width, text) {
			if (ms <= 0 || longest <= 0) return ""
			width = int(ms / longest * 40 + 0.5); if (width < 1) width = 1
			text = ""; while (length(text) < width) text = text mark
			return text
		}'
}

wait_for_service
[[ "$RETRY_DEMO" == true ]] && retry_demo
login="demo-$(date +%s)-$RANDOM$RANDOM"

echo "POST $BASE_URL/api/customer/ {\"login\":\"$login\"}, $CONCURRENCY at once:"
for i in $(seq 1 "$CONCURRENCY"); do
	post "race-$i" "$login" &
done
wait
if ((CONCURRENCY <= 10)); then
	for i in $(seq 1 "$CONCURRENCY"); do answer "race-$i"; done | sed 's/^/  /'
else
	for i in $(seq 1 "$CONCURRENCY"); do answer "race-$i"; done | sort | uniq -c | sed 's/^ *\([0-9]*\) /  \1 x /'
fi

[[ "$TIMELINE" == true ]] && timeline

echo "POST again, after the race window:"
post after "$login"
answer after | sed 's/^/  /'

created=0 refused=0 server_errors=0 unavailable=0 other=0 wrong_bodies=0
for name in $(seq -f 'race-%g' 1 "$CONCURRENCY") after; do
	status="$(cat "$work/$name.status")"
	body="$(cat "$work/$name.body" 2> /dev/null)"
	case "$status" in
		201) created=$((created + 1)) ;;
		400) refused=$((refused + 1)); [[ "$body" == "$TAKEN" ]] || wrong_bodies=$((wrong_bodies + 1)) ;;
		503) server_errors=$((server_errors + 1)); unavailable=$((unavailable + 1)) ;;
		5??) server_errors=$((server_errors + 1)) ;;
		*) other=$((other + 1)) ;;
	esac
done

echo "summary: 201=$created 400=$refused 5xx=$server_errors other=$other"
instances="$(for name in $(seq -f 'race-%g' 1 "$CONCURRENCY") after; do served_by "$name"; done | sort | uniq -c \
	| awk '{printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1}')"
[[ -z "$instances" ]] || echo "answered by: $instances"
if ((server_errors > unavailable)); then
	echo "FAIL: $((server_errors - unavailable)) answered 5xx. This is the DRF demo's bug: the losers of the race hit"
	echo "      the unique constraint and nothing mapped it (is the service running with CUSTOMERS_MAP_DUPLICATE_KEY=false?)"
	exit 1
fi
if ((unavailable > 0)); then
	echo "FAIL: $unavailable answered 503: the service could not use its database just then (down, failing over, or"
	echo "      overloaded). Not the demo's bug; run ./test.sh again once the database is back."
	exit 1
fi
if ((created != 1 || other > 0 || wrong_bodies > 0)); then
	echo "FAIL: expected exactly one 201 and $CONCURRENCY x 400 $TAKEN"
	exit 1
fi
echo "OK: exactly one 201, every other answer 400 $TAKEN"

#!/usr/bin/env bash
# Scale-out on the Docker engine that .ci/docker.sh started: three replicas behind nginx (scale/compose.yaml), the
# README's ./test.sh -n 50 through it, 20 rounds of 20 simultaneous same-login creates that must each give one 201
# and be answered by more than one replica, a burst from one client over nginx's rate limit (429), then a rolling
# restart of every replica under create load.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target

export CUSTOMERS_HOST_PORT="${CUSTOMERS_HOST_PORT:-18090}"
compose() { docker compose -f scale/compose.yaml "$@"; }
stage() { printf '\n== %s\n' "$*"; }
trap 'compose down -v > /dev/null 2>&1 || true' EXIT

stage "docker compose -f scale/compose.yaml up --build (detached), then wait for three replicas in rotation"
start=$SECONDS
compose up --build -d
until compose logs lb 2> /dev/null | grep -q "in rotation: web1 web2 web3"; do
	if ((SECONDS - start > 600)); then
		compose logs
		echo "The three replicas did not come into rotation" >&2
		exit 1
	fi
	sleep 2
done
echo "three replicas in rotation after $((SECONDS - start)) s"

stage "./test.sh -n 50 through nginx"
./test.sh -n 50

stage "20 rounds of 20 simultaneous same-login creates through nginx"
for round in $(seq 1 20); do
	./test.sh -n 20 > "target/scale-round-$round.txt" || { cat "target/scale-round-$round.txt"; exit 1; }
	answered_by="$(sed -n 's/^answered by: //p' "target/scale-round-$round.txt")"
	echo "round $round: $(grep '^summary' "target/scale-round-$round.txt"), answered by: $answered_by"
	if (($(wc -w <<< "$answered_by") < 2)); then
		echo "Round $round was answered by one replica only" >&2
		exit 1
	fi
done

stage "A client over the rate limit gets DRF's 429 with Retry-After, and others' answers stay 200"
burst="target/scale-burst"
rm -rf "$burst" && mkdir -p "$burst"
# 600 reads at once from one address (one curl, 100 transfers at a time): past the burst of 200, nginx answers.
curl -s -i --parallel --parallel-max 100 "http://127.0.0.1:$CUSTOMERS_HOST_PORT/api/?n=[1-600]" -o "$burst/#1.txt" 2> /dev/null
throttled="$(grep -l '^HTTP/1.1 429' "$burst"/*.txt | wc -l || true)"
served="$(grep -l '^HTTP/1.1 200' "$burst"/*.txt | wc -l || true)"
echo "of 600 at once: $served answered 200, $throttled answered 429"
if ((throttled == 0 || served < 200 || throttled + served != 600)); then
	echo "Expected at least 200 answers 200 and the rest 429" >&2
	exit 1
fi
one="$(grep -l '^HTTP/1.1 429' "$burst"/*.txt | head -n 1 || true)"
grep -qx $'Retry-After: 1\r' "$one" || { cat "$one"; echo "A 429 without Retry-After: 1" >&2; exit 1; }
grep -qx $'Content-Type: application/json\r' "$one" || { cat "$one"; echo "A 429 that is not JSON" >&2; exit 1; }
body="$(tail -n 1 "$one")"
[[ "$body" == '{"detail":"Request was throttled. Expected available in 1 second."}' ]] ||
	{ cat "$one"; echo "A 429 without DRF's body: $body" >&2; exit 1; }
sleep 3
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CUSTOMERS_HOST_PORT/api/")" == 200 ]] ||
	{ echo "Still throttled 3 s after the burst" >&2; exit 1; }
echo "429 $body, Retry-After: 1; 200 again after 3 s"

stage "Rolling restart under create load"
scale/rolling-restart.sh

stage "Scale-out: all passed"

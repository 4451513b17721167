#!/usr/bin/env bash
# Scale-out on the Docker engine that .ci/docker.sh started: three replicas behind nginx (scale/compose.yaml), the
# README's ./test.sh -n 50 through it, 20 rounds of 20 simultaneous same-login creates that must each give one 201
# and be answered by more than one replica, then a rolling restart of every replica under create load.
set -euo pipefail
cd "$(dirname "$0")/.."

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

stage "Rolling restart under create load"
scale/rolling-restart.sh

stage "Scale-out: all passed"

#!/usr/bin/env bash
# The README's cluster demo on the Docker engine that .ci/docker.sh started: docker compose -f ha/compose.yaml up
# --build, ./test.sh through it, then the leader's container killed and ./test.sh again once the service has found
# the new primary (within 60 s), and a race of 20 on the new primary.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target

export CUSTOMERS_HOST_PORT="${CUSTOMERS_HOST_PORT:-18092}"
compose() { docker compose -f ha/compose.yaml "$@"; }
stage() { printf '\n== %s\n' "$*"; }
trap 'compose down -v > /dev/null 2>&1 || true' EXIT

stage "docker compose -f ha/compose.yaml up --build (detached), then wait for the service"
start=$SECONDS
compose up --build -d
web="$(compose ps -q web)"
until [[ "$(docker inspect --format '{{.State.Health.Status}}' "$web")" == healthy ]]; do
	if ((SECONDS - start > 600)); then
		compose logs
		echo "The service on the cluster did not become healthy" >&2
		exit 1
	fi
	sleep 2
done
echo "healthy after $((SECONDS - start)) s (builds included)"
compose exec -T pg1 patronictl -c /var/lib/postgresql/ha/patroni.yml list

stage "./test.sh on the cluster"
./test.sh

stage "Kill the leader's container; ./test.sh again once the service has found the new primary"
leader="$(compose exec -T pg1 curl -fsS http://127.0.0.1:8008/cluster |
	python3 -c 'import json, sys; print(next(m["name"] for m in json.load(sys.stdin)["members"] if m["role"] == "leader"))')"
killed_at=$SECONDS
compose kill "$leader"
echo "killed $leader"
until ./test.sh > target/ha-compose-after.txt 2>&1; do
	if ((SECONDS - killed_at > 60)); then
		cat target/ha-compose-after.txt
		echo "The service did not carry on within 60 s of the leader's death" >&2
		exit 1
	fi
	sleep 1
done
cat target/ha-compose-after.txt
echo "./test.sh passed $((SECONDS - killed_at)) s after $leader was killed"
survivor="$(compose ps --services --filter status=running | grep '^pg' | head -n 1)"
compose exec -T "$survivor" patronictl -c /var/lib/postgresql/ha/patroni.yml list
./test.sh -n 20

stage "The cluster demo: passed"

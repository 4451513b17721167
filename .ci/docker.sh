#!/usr/bin/env bash
# The Docker path, as a user with Docker meets it: the README's demo commands word for word against
# `docker compose up --build`, the same through nginx and three replicas (.ci/scale.sh), the cluster demo whose
# leader is killed (.ci/ha-compose.sh), the whole test suite on Testcontainers, and `./mvnw spring-boot:test-run` once.
# The engine comes from ../shared/docker-here (no registry is reachable here: it builds local stand-ins for the
# image tags below). If the engine cannot start, this fails with its message; it never falls back.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKER_HERE="$(.ci/docker-here-path.sh)"
# The pinned tags of the Dockerfile and compose.yaml, built as stand-ins.
export JDK_TAGS="eclipse-temurin:17.0.15_6-jdk-noble"
export JRE_TAGS="eclipse-temurin:17.0.15_6-jre-noble"
export POSTGRES_TAGS="postgres:15.14-alpine"
export NGINX_TAGS="nginx:1.27-alpine"
export DOCKER_HOST=unix:///var/run/docker.sock TESTCONTAINERS_RYUK_DISABLED=true
# Not 8080: CI must not depend on it being free.
export CUSTOMERS_HOST_PORT="${CUSTOMERS_HOST_PORT:-18090}"
TEST_RUN_PORT="${TEST_RUN_PORT:-18091}"
test_run_pid=""

stage() { printf '\n== [at %d s] %s\n' "$SECONDS" "$*"; }

cleanup() {
	if [[ -n "$test_run_pid" ]]; then
		kill -- "-$test_run_pid" 2> /dev/null || true
	fi
	docker compose down -v > /dev/null 2>&1 || true
	bash "$DOCKER_HERE" stop || true
}
trap cleanup EXIT
# Stopped by .ci/run when the other lane failed: clean up as on any exit.
trap 'exit 143' TERM INT

# Logs land in target/, which a fresh checkout (the copy .ci/run makes) does not have yet.
mkdir -p target

stage "Start the Docker engine ($DOCKER_HERE)"
if ! bash "$DOCKER_HERE"; then
	echo "The Docker engine did not come up; the last lines of its log:" >&2
	tail -n 40 "${DOCKER_HERE_DIR:-/var/tmp/docker-here}/dockerd.log" >&2 || true
	exit 1
fi

stage "docker compose up --build (detached), then wait for healthy"
start=$SECONDS
docker compose up --build -d
web="$(docker compose ps -q web)"
until [[ "$(docker inspect --format '{{.State.Health.Status}}' "$web")" == healthy ]]; do
	if [[ "$(docker inspect --format '{{.State.Status}}' "$web")" != running ]] || ((SECONDS - start > 600)); then
		docker compose logs
		echo "The web service did not become healthy" >&2
		exit 1
	fi
	sleep 2
done
echo "healthy after $((SECONDS - start)) s (build included); image $(docker image inspect --format '{{.Size}}' \
	"$(docker inspect --format '{{.Image}}' "$web")" | awk '{printf "%.0f MB", $1 / 1e6}')"

stage "./test.sh, ./test.sh -n 50, ./test.sh -k against compose (CUSTOMERS_HOST_PORT=$CUSTOMERS_HOST_PORT)"
./test.sh
./test.sh -n 50
./test.sh -k
# The demo switches Swagger UI on (SPRINGDOC_SWAGGER_UI_ENABLED in compose.yaml); the service alone keeps it off.
curl -fsSL -o /dev/null -w 'Swagger UI: %{http_code} after %{num_redirects} redirect(s)\n' \
	"http://127.0.0.1:$CUSTOMERS_HOST_PORT/swagger-ui.html"

stage "docker compose down -v"
docker compose down -v

stage "Scale-out: three replicas behind nginx (.ci/scale.sh)"
bash .ci/scale.sh

stage "The database fails over: the cluster demo, its leader killed (.ci/ha-compose.sh)"
bash .ci/ha-compose.sh

stage "./mvnw -B verify on Testcontainers (CUSTOMERS_TEST_R2DBC_URL unset)"
env -u CUSTOMERS_TEST_R2DBC_URL ./mvnw -B verify > target/testcontainers-verify.log 2>&1 \
	|| { tail -n 80 target/testcontainers-verify.log; exit 1; }
grep -E 'Tests run:|BUILD' target/testcontainers-verify.log | tail -n 2
# Reported, not enforced: Testcontainers' own logging on this engine is not ours to hold to the local suite's rule.
.ci/no-error-lines.sh target/testcontainers-verify.log || echo "(on the Testcontainers path: reported only)"
grep -q "Creating container for image: postgres:15.14-alpine" target/testcontainers-verify.log \
	|| { echo "The suite did not run on Testcontainers" >&2; exit 1; }

stage "./mvnw spring-boot:test-run: the service with a Testcontainers PostgreSQL, one create, stop"
setsid ./mvnw -B -o spring-boot:test-run -Dspring-boot.run.arguments=--server.port="$TEST_RUN_PORT" \
	> target/test-run.log 2>&1 &
test_run_pid=$!
BASE_URL="http://127.0.0.1:$TEST_RUN_PORT" WAIT_SECONDS=180 ./test.sh \
	|| { tail -n 60 target/test-run.log; exit 1; }
kill -- "-$test_run_pid"
wait "$test_run_pid" 2> /dev/null || true
test_run_pid=""

stage "Docker path: all passed"

#!/usr/bin/env bash
# Prints where ../shared/docker-here/setup.sh is: $DOCKER_HERE if set; else beside this checkout; else, for a clone
# made elsewhere (CI clones into /tmp), beside the repository it was cloned from. Fails if none exists.
set -euo pipefail
cd "$(dirname "$0")/.."

path="${DOCKER_HERE:-../shared/docker-here/setup.sh}"
origin="$(git remote get-url origin 2> /dev/null || true)"
if [[ -z "${DOCKER_HERE:-}" && ! -f "$path" && -n "$origin" && -f "$origin/../shared/docker-here/setup.sh" ]]; then
	path="$origin/../shared/docker-here/setup.sh"
fi
[[ -f "$path" ]] || { echo "No Docker engine set-up at $path; set DOCKER_HERE to docker-here/setup.sh" >&2; exit 1; }
realpath "$path"

#!/usr/bin/env bash
# Debian's packages that the stages on the local PostgreSQL need, installed before the Docker path starts beside them
# (its set-up installs the engine; two apt-get runs at once would fight over dpkg's lock): Chromium and chromedriver
# for the browser tests, Patroni and etcd for the cluster, PgBouncer. Each script installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

.ci/browser.sh
ha/cluster.sh install
ha/pgbouncer.sh install
dpkg-query -W -f '${Package} ${Version}\n' patroni etcd-server pgbouncer

#!/usr/bin/env bash
# The database's primary fails under load: a three-member Patroni cluster (ha/cluster.sh, Debian's packages) and
# PrimaryFailoverTest, which starts and stops the cluster itself and kills, switches over and freezes its leader.
set -euo pipefail
cd "$(dirname "$0")/.."

ha/cluster.sh install
trap 'ha/cluster.sh stop' EXIT
CUSTOMERS_TEST_R2DBC_URL="${CUSTOMERS_TEST_R2DBC_URL:-r2dbc:postgresql://postgres@127.0.0.1:5432/test}" \
	./mvnw -B test -Dgroups=failover -DexcludedGroups=none -Dtest='PrimaryFailoverTest' \
	-Dsurefire.failIfNoSpecifiedTests=false

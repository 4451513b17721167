#!/usr/bin/env bash
# What a user who outgrows one database server runs, for real, from Debian's packages: a three-member Patroni cluster
# whose primary fails under load (PrimaryFailoverTest, which starts and stops ha/cluster.sh itself), and PgBouncer in
# transaction mode in front of the local PostgreSQL (ThroughPgBouncerTest, ha/pgbouncer.sh). Tests tagged ha.
set -euo pipefail
cd "$(dirname "$0")/.."

ha/cluster.sh install
ha/pgbouncer.sh install
trap 'ha/cluster.sh stop; ha/pgbouncer.sh stop' EXIT
CUSTOMERS_TEST_R2DBC_URL="${CUSTOMERS_TEST_R2DBC_URL:-r2dbc:postgresql://postgres@127.0.0.1:5432/test}" \
	./mvnw -B test -Dgroups=ha -DexcludedGroups=none -Dtest='PrimaryFailoverTest,ThroughPgBouncerTest' \
	-Dsurefire.failIfNoSpecifiedTests=false

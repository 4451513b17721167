#!/usr/bin/env bash
# What a user who outgrows one database server runs, for real, from Debian's packages: a three-member Patroni cluster
# whose primary fails under load (PrimaryFailoverTest, which starts and stops ha/cluster.sh itself), and PgBouncer in
# transaction mode in front of the local PostgreSQL (ThroughPgBouncerTest, ha/pgbouncer.sh). Tests tagged ha. Then
# the hand mutants that need them (.ci/mutants.sh --stage ha), judged against this stage's own unpatched run.
# Each run's cluster and PgBouncer live in a directory of their own, stopped on the way out whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."

export CUSTOMERS_TEST_R2DBC_URL="${CUSTOMERS_TEST_R2DBC_URL:-r2dbc:postgresql://postgres@127.0.0.1:5432/test}"
stage_dirs=(/tmp/customers-ha-ci /tmp/customers-ha-ci-mutants)
stop_all() {
	for dir in "${stage_dirs[@]}"; do
		CUSTOMERS_HA_DIR="$dir" ha/cluster.sh stop || true
		CUSTOMERS_PGBOUNCER_DIR="$dir-pgbouncer" ha/pgbouncer.sh stop || true
	done
}
trap stop_all EXIT

ha/cluster.sh install
ha/pgbouncer.sh install

echo "== Unpatched: PrimaryFailoverTest, ThroughPgBouncerTest"
CUSTOMERS_HA_DIR="${stage_dirs[0]}" CUSTOMERS_PGBOUNCER_DIR="${stage_dirs[0]}-pgbouncer" \
	./mvnw -B test -Dgroups=ha -DexcludedGroups=none -Dtest='PrimaryFailoverTest,ThroughPgBouncerTest' \
	-Dsurefire.failIfNoSpecifiedTests=false
rm -rf target/ha-unpatched-reports
cp -r target/surefire-reports target/ha-unpatched-reports

echo "== The hand mutants that need the cluster or PgBouncer"
CUSTOMERS_HA_DIR="${stage_dirs[1]}" CUSTOMERS_PGBOUNCER_DIR="${stage_dirs[1]}-pgbouncer" \
	.ci/mutants.sh --stage ha --unpatched target/ha-unpatched-reports

#!/usr/bin/env bash
# A three-member PostgreSQL 15 cluster on this machine that fails over by itself: Patroni (Debian's package) keeps
# one leader in etcd (Debian's etcd-server), replicates synchronously to both standbys, and promotes one when the
# leader's lease runs out. Everything lives under one directory that `stop` removes.
#
#   ha/cluster.sh install      apt-get the packages (patroni, etcd-server, PostgreSQL 15)
#   ha/cluster.sh start        etcd, then three members; returns when a leader and two synchronous standbys are up
#   ha/cluster.sh status       patronictl list
#   ha/cluster.sh healthy      exits 0 when there is a leader, two synchronous standbys, and all three run
#   ha/cluster.sh url          the service's multi-host R2DBC URL
#   ha/cluster.sh leader       the leader's name (pg1, pg2 or pg3)
#   ha/cluster.sh kill-primary     SIGKILL the leader's postmaster (its Patroni restarts it, or a standby takes over)
#   ha/cluster.sh switchover [pgN] a planned switchover to pgN, or to a synchronous standby
#   ha/cluster.sh freeze-primary   SIGSTOP the leader's Patroni and PostgreSQL: a host that stops answering
#   ha/cluster.sh thaw             SIGCONT what freeze-primary stopped; that member rejoins as a standby
#   ha/cluster.sh stop         stop everything and remove the directory
#
# Ports (loopback only): etcd 12379-12380, PostgreSQL 15431-15433, Patroni's REST API 18001-18003. Database: customers.
# `start` refuses to begin while any of them is held, and `stop` returns only once all are free again. A start that
# fails prints the last lines of etcd's and each member's log (Patroni's and PostgreSQL's), then stops what it started.
set -euo pipefail

HA_DIR="${CUSTOMERS_HA_DIR:-/tmp/customers-ha}"
HERE="$(cd "$(dirname "$0")" && pwd)"
PG_BIN="/usr/lib/postgresql/15/bin"
MEMBERS=(1 2 3)
ETCD_PORT=12379
RUN_AS=postgres

pg_port() { echo $((15430 + $1)); }
rest_port() { echo $((18000 + $1)); }
as_owner() { runuser -u "$RUN_AS" -- "$@"; }
patronictl_() { as_owner patronictl -c "$HA_DIR/pg1.yml" "$@"; }

install() {
	local missing=()
	for package in patroni etcd-server postgresql-15; do
		dpkg -s "$package" > /dev/null 2>&1 || missing+=("$package")
	done
	if ((${#missing[@]})); then
		# A new machine's package lists may be missing or old.
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
	fi
}

ports() {
	echo "$ETCD_PORT" $((ETCD_PORT + 1))
	for n in "${MEMBERS[@]}"; do
		echo "$(pg_port "$n")" "$(rest_port "$n")"
	done
}

held_ports() {
	# The cluster's ports that something listens on, with what holds them.
	for port in $(ports); do
		ss -Hltnp "sport = :$port" | sed "s/^/port $port: /"
	done
}

wait_until_ports_free() {
	for _ in $(seq 100); do
		[[ -z "$(held_ports)" ]] && return 0
		sleep 0.2
	done
	echo "ha: ports still held after 20s:" >&2
	held_ports >&2
	return 1
}

evidence() {
	# What a failed start leaves to read, printed before stop removes it.
	local log
	for log in "$HA_DIR"/etcd.log "$HA_DIR"/pg?.log "$HA_DIR"/pg?/log/*; do
		[[ -f "$log" ]] || continue
		echo "---- the last 30 lines of $log"
		tail -n 30 "$log"
	done
}

fail_start() {
	echo "ha: $1" >&2
	evidence >&2
	stop
	exit 1
}

member_config() {
	local n="$1"
	sed -e "s|@NAME@|pg$n|g" -e "s|@PG_PORT@|$(pg_port "$n")|g" -e "s|@REST_PORT@|$(rest_port "$n")|g" \
		-e "s|@ETCD_PORT@|$ETCD_PORT|g" -e "s|@DIR@|$HA_DIR|g" -e "s|@PG_BIN@|$PG_BIN|g" -e "s|@HERE@|$HA_DIR|g" \
		-e "s|@NETWORK@|127.0.0.1/32|g" \
		"$HERE/patroni.yml.template"
}

wait_for() {
	local what="$1" seconds="$2"
	shift 2
	for _ in $(seq $((seconds * 5))); do
		if "$@" > /dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
	done
	echo "ha: $what not within ${seconds}s" >&2
	return 1
}

cluster() {
	# The members as Patroni sees them, asked of the first member that answers.
	for n in "${MEMBERS[@]}"; do
		curl -fsS --max-time 1 "http://127.0.0.1:$(rest_port "$n")/cluster" 2> /dev/null && return 0
	done
	return 1
}

members_where() {
	# The names of the members for which a Python expression over m (one member's JSON) holds.
	cluster | /usr/bin/python3 -c "import json, sys
print(' '.join(m['name'] for m in json.load(sys.stdin)['members'] if $1))"
}

healthy() {
	# One leader, two synchronous standbys, all three running.
	[[ "$(members_where "m['role'] == 'leader'" | wc -w)" == 1 ]] &&
		[[ "$(members_where "m['role'] == 'sync_standby'" | wc -w)" == 2 ]] &&
		[[ "$(members_where "m['state'] == 'running'" | wc -w)" == 3 ]]
}

start() {
	install
	if [[ -e "$HA_DIR" ]]; then
		echo "ha: $HA_DIR exists; run 'ha/cluster.sh stop' first" >&2
		exit 1
	fi
	if [[ -n "$(held_ports)" ]]; then
		echo "ha: the cluster's ports are in use (another cluster, or one that outlived its directory):" >&2
		held_ports >&2
		exit 1
	fi
	mkdir -p "$HA_DIR"
	# Patroni runs as $RUN_AS, who may not be able to read the checkout (a clone under /root, a mktemp copy): what it
	# runs lives in the cluster's own directory.
	cp "$HERE/create-database.sh" "$HA_DIR/"
	chown -R "$RUN_AS" "$HA_DIR"
	chmod 700 "$HA_DIR"
	as_owner bash -c "cd '$HA_DIR' && exec setsid etcd --enable-v2=true --name ha --data-dir '$HA_DIR/etcd' \
		--listen-client-urls http://127.0.0.1:$ETCD_PORT --advertise-client-urls http://127.0.0.1:$ETCD_PORT \
		--listen-peer-urls http://127.0.0.1:$((ETCD_PORT + 1)) \
		--initial-advertise-peer-urls http://127.0.0.1:$((ETCD_PORT + 1)) \
		--initial-cluster ha=http://127.0.0.1:$((ETCD_PORT + 1)) > '$HA_DIR/etcd.log' 2>&1 & echo \$! > '$HA_DIR/etcd.pid'"
	wait_for "etcd" 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health" || fail_start "etcd did not start"
	for n in "${MEMBERS[@]}"; do
		member_config "$n" > "$HA_DIR/pg$n.yml"
		chown "$RUN_AS" "$HA_DIR/pg$n.yml"
		as_owner bash -c "cd '$HA_DIR' && exec setsid patroni '$HA_DIR/pg$n.yml' > '$HA_DIR/pg$n.log' 2>&1 & echo \$! > '$HA_DIR/patroni$n.pid'"
		if [[ "$n" == 1 ]]; then
			wait_for "pg1 to lead" 60 curl -fsS "http://127.0.0.1:$(rest_port 1)/primary" ||
				fail_start "the first member did not bootstrap"
		fi
	done
	wait_for "a leader and two synchronous standbys" 90 healthy || fail_start "the cluster did not become healthy"
	patronictl_ list
}

leader() {
	local name
	name="$(members_where "m['role'] == 'leader'")"
	[[ -n "$name" ]] || { echo "ha: no leader" >&2; return 1; }
	echo "$name"
}

postmaster_pid() { head -1 "$HA_DIR/$1/postmaster.pid"; }

kill_primary() {
	local name
	name="$(leader)"
	kill -KILL "$(postmaster_pid "$name")"
	echo "$name"
}

switchover() {
	# To the given member, or to a synchronous standby.
	local name candidate="${1:-}"
	name="$(leader)"
	if [[ "$name" == "$candidate" ]]; then
		echo "$name"
		return 0
	fi
	patronictl_ switchover --leader "$name" ${candidate:+--candidate "$candidate"} --force > "$HA_DIR/switchover.log" 2>&1 ||
		{ cat "$HA_DIR/switchover.log" >&2; return 1; }
	echo "$name"
}

freeze_primary() {
	local name n
	name="$(leader)"
	n="${name#pg}"
	echo "$name" > "$HA_DIR/frozen"
	kill -STOP "$(cat "$HA_DIR/patroni$n.pid")"
	# The postmaster and every backend: a host that vanished answers nothing, not even a refusal.
	pkill -STOP -P "$(postmaster_pid "$name")" || true
	kill -STOP "$(postmaster_pid "$name")"
	echo "$name"
}

thaw() {
	local name n
	[[ -f "$HA_DIR/frozen" ]] || return 0
	name="$(cat "$HA_DIR/frozen")"
	n="${name#pg}"
	kill -CONT "$(postmaster_pid "$name")" || true
	pkill -CONT -P "$(postmaster_pid "$name")" || true
	kill -CONT "$(cat "$HA_DIR/patroni$n.pid")" || true
	rm -f "$HA_DIR/frozen"
	echo "$name"
}

stop() {
	[[ -d "$HA_DIR" ]] || return 0
	thaw > /dev/null 2>&1 || true
	local n
	for n in "${MEMBERS[@]}"; do
		[[ -f "$HA_DIR/patroni$n.pid" ]] && kill -TERM "$(cat "$HA_DIR/patroni$n.pid")" 2> /dev/null || true
	done
	for _ in $(seq 100); do
		pgrep -f "patroni $HA_DIR/" > /dev/null || break
		sleep 0.2
	done
	pkill -KILL -f "patroni $HA_DIR/" || true
	for n in "${MEMBERS[@]}"; do
		[[ -f "$HA_DIR/pg$n/postmaster.pid" ]] && kill -KILL "$(postmaster_pid "pg$n")" 2> /dev/null || true
	done
	stop_etcd
	wait_until_ports_free
	rm -rf "$HA_DIR"
}

running() {
	# Alive and not a zombie (an orphan that nothing reaps still answers kill -0).
	local state
	state="$(ps -o stat= -p "$1" 2> /dev/null)" || return 1
	[[ "$state" != Z* ]]
}

stop_etcd() {
	# Until it has exited: an etcd still shutting down answers a new cluster's health check, then vanishes.
	[[ -f "$HA_DIR/etcd.pid" ]] || return 0
	local pid
	pid="$(cat "$HA_DIR/etcd.pid")"
	kill -TERM "$pid" 2> /dev/null || return 0
	for _ in $(seq 50); do
		running "$pid" || return 0
		sleep 0.2
	done
	kill -KILL "$pid" 2> /dev/null || true
}

url() {
	local hosts=()
	for n in "${MEMBERS[@]}"; do
		hosts+=("127.0.0.1:$(pg_port "$n")")
	done
	local IFS=,
	echo "r2dbc:postgresql:failover://postgres@${hosts[*]}/customers?targetServerType=primary"
}

case "${1:-}" in
	install) install ;;
	start) start ;;
	status) patronictl_ list ;;
	healthy) healthy ;;
	url) url ;;
	leader) leader ;;
	kill-primary) kill_primary ;;
	switchover) switchover "${2:-}" ;;
	freeze-primary) freeze_primary ;;
	thaw) thaw ;;
	stop) stop ;;
	*)
		sed -n '2,/^set -e/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 2
		;;
esac

#!/usr/bin/env bash
# PgBouncer (Debian's 1.18) in transaction mode on 127.0.0.1:16432, in front of one database of a PostgreSQL that lets
# user postgres in without a password (this machine's, by default). Everything lives under one directory that stop
# removes.
#
#   ha/pgbouncer.sh install          apt-get pgbouncer
#   ha/pgbouncer.sh start DATABASE   pool DATABASE of $PGBOUNCER_TARGET (127.0.0.1:5432)
#   ha/pgbouncer.sh stop
#
# The service through it needs ?preparedStatementCacheQueries=0 on its R2DBC URL (r2dbc-postgresql names its prepared
# statements, and a transaction pooler sends the next statement to another server connection, where that name does
# not exist: 500s under concurrency), and its migration straight to PostgreSQL (SPRING_FLYWAY_URL), because the
# migration lock is a session's advisory lock, taken on Flyway's connection. See docs/scale-out.md, "Through PgBouncer".
set -euo pipefail

PGB_DIR="${CUSTOMERS_PGBOUNCER_DIR:-/tmp/customers-pgbouncer}"
HERE="$(cd "$(dirname "$0")" && pwd)"
TARGET="${PGBOUNCER_TARGET:-127.0.0.1:5432}"
LISTEN_PORT=16432
STATEMENT_TIMEOUT_MS="${PGBOUNCER_STATEMENT_TIMEOUT_MS:-5000}"

install() {
	if ! dpkg -s pgbouncer > /dev/null 2>&1; then
		# A new machine's package lists may be missing or old.
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q pgbouncer
	fi
}

held_port() { ss -Hltnp "sport = :$LISTEN_PORT"; }

start() {
	local database="${1:?usage: ha/pgbouncer.sh start DATABASE}"
	install
	stop
	if [[ -n "$(held_port)" ]]; then
		# A PgBouncer of another directory (or anything else) would answer in this one's place.
		echo "pgbouncer: port $LISTEN_PORT is in use: $(held_port)" >&2
		return 1
	fi
	mkdir -p "$PGB_DIR"
	echo '"postgres" ""' > "$PGB_DIR/users.txt"
	sed -e "s|@DATABASE@|$database|g" -e "s|@HOST@|${TARGET%:*}|g" -e "s|@PORT@|${TARGET##*:}|g" \
		-e "s|@LISTEN_PORT@|$LISTEN_PORT|g" -e "s|@DIR@|$PGB_DIR|g" -e "s|@STATEMENT_TIMEOUT_MS@|$STATEMENT_TIMEOUT_MS|g" \
		"$HERE/pgbouncer.ini.template" > "$PGB_DIR/pgbouncer.ini"
	chown -R postgres "$PGB_DIR"
	# PgBouncer refuses to run as root.
	runuser -u postgres -- pgbouncer -d "$PGB_DIR/pgbouncer.ini"
	for _ in $(seq 50); do
		if bash -c "exec 3<>/dev/tcp/127.0.0.1/$LISTEN_PORT" 2> /dev/null; then
			echo "r2dbc:postgresql://postgres@127.0.0.1:$LISTEN_PORT/$database?preparedStatementCacheQueries=0"
			return 0
		fi
		sleep 0.1
	done
	echo "pgbouncer: not listening on $LISTEN_PORT; the last lines of $PGB_DIR/pgbouncer.log:" >&2
	tail -n 30 "$PGB_DIR/pgbouncer.log" >&2 || true
	stop
	return 1
}

stop() {
	[[ -d "$PGB_DIR" ]] || return 0
	local pid=""
	[[ -f "$PGB_DIR/pgbouncer.pid" ]] && pid="$(cat "$PGB_DIR/pgbouncer.pid")"
	if [[ -n "$pid" ]] && kill -TERM "$pid" 2> /dev/null; then
		for _ in $(seq 50); do
			kill -0 "$pid" 2> /dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2> /dev/null || true
	fi
	for _ in $(seq 50); do
		[[ -z "$(held_port)" ]] && break
		sleep 0.1
	done
	rm -rf "$PGB_DIR"
}

case "${1:-}" in
	install) install ;;
	start) start "${2:-}" ;;
	stop) stop ;;
	*)
		sed -n '2,/^set -e/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 2
		;;
esac

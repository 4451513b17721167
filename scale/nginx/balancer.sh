#!/bin/sh
# The load balancer's entry point: nginx in the foreground, and beside it a loop that polls every replica's
# readiness twice a second and reloads nginx when the set of ready ones changes. Open-source nginx has no active
# health checks; this is one, in a few lines of sh. Runs on the real nginx:alpine image (busybox wget) and on a
# Debian one (curl).
#   REPLICAS          the replicas' host names (default: web1 web2 web3); one that is not running is simply not ready
#   RATE_LIMIT        requests per second that one client address may send (default 100); off: no limit
#   RATE_LIMIT_BURST  how many requests above that rate a client may send at once (default 200)
set -u
REPLICAS="${REPLICAS:-web1 web2 web3}"
RATE_LIMIT="${RATE_LIMIT:-100}"
RATE_LIMIT_BURST="${RATE_LIMIT_BURST:-200}"
UPSTREAM_DIR=/etc/nginx/customers-upstream
STATE_DIR=/tmp/balancer
# A replica that does not answer its probe (busy, or gone) leaves after this many probes in a row; one that answers
# DOWN (it is shutting down) leaves at once. Without the margin, a replica saturated by a burst would flap in and
# out, and every reload closes the idle client connections of nginx's old workers.
MISSES_TO_LEAVE=4
mkdir -p "$UPSTREAM_DIR" "$STATE_DIR"

probe() { # $1 host: prints up, down (readiness answered DOWN) or none (no answer in time, refused, unknown host)
	url="http://$1:8081/actuator/health/readiness"
	if command -v curl > /dev/null; then
		code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url")"
	else
		code="$(wget -S -q -O /dev/null -T 2 "$url" 2>&1 | sed -n 's/^ *HTTP\/[0-9.]* \([0-9]*\).*/\1/p' | tail -n 1)"
	fi
	case "$code" in
		200) echo up ;;
		503) echo down ;;
		*) echo none ;;
	esac
}

in_rotation() { # $1 host, $2 its probe: stays in, joins, or leaves
	misses_file="$STATE_DIR/$1.misses"
	case "$2" in
		up) echo 0 > "$misses_file"; return 0 ;;
		down) echo "$MISSES_TO_LEAVE" > "$misses_file"; return 1 ;;
	esac
	misses=$(( $(cat "$misses_file" 2> /dev/null || echo "$MISSES_TO_LEAVE") + 1 ))
	echo "$misses" > "$misses_file"
	[ "$misses" -lt "$MISSES_TO_LEAVE" ]
}

# upstream.conf for the given hosts; with none, a server marked down, so that nginx answers 503.
write_upstream() {
	: > "$UPSTREAM_DIR/upstream.conf.new"
	for host in "$@"; do
		# max_fails=0: whether a replica takes requests is its readiness' business, not a count of slow connects.
		echo "server $host:8080 max_fails=0;" >> "$UPSTREAM_DIR/upstream.conf.new"
	done
	[ $# -gt 0 ] || echo "server 127.0.0.1:9 down;" >> "$UPSTREAM_DIR/upstream.conf.new"
	mv "$UPSTREAM_DIR/upstream.conf.new" "$UPSTREAM_DIR/upstream.conf"
}

watch_replicas() {
	current="none"
	while :; do
		now=""
		for host in $REPLICAS; do
			in_rotation "$host" "$(probe "$host")" && now="$now $host"
		done
		now="${now# }"
		if [ "$now" != "$current" ]; then
			write_upstream $now
			# nginx -t resolves the names; a replica that died meanwhile fails it, and the next round tries again.
			if nginx -t -q 2> /dev/null && nginx -s reload 2> /dev/null; then
				echo "balancer: in rotation: ${now:-none}"
				current="$now"
			fi
		fi
		sleep 0.5
	done
}

# The per-client limit, included by nginx.conf: a zone keyed by the client's address, and the limit on every request.
write_rate_limit() {
	if [ "$RATE_LIMIT" = off ]; then
		: > "$UPSTREAM_DIR/rate-limit-zone.conf"
		: > "$UPSTREAM_DIR/rate-limit.conf"
		echo "balancer: no rate limit"
		return
	fi
	echo "limit_req_zone \$binary_remote_addr zone=per_client:10m rate=${RATE_LIMIT}r/s;" > "$UPSTREAM_DIR/rate-limit-zone.conf"
	echo "limit_req zone=per_client burst=$RATE_LIMIT_BURST nodelay;" > "$UPSTREAM_DIR/rate-limit.conf"
	echo "balancer: rate limit $RATE_LIMIT requests/s per client address, bursts of $RATE_LIMIT_BURST"
}

write_rate_limit
write_upstream
watch_replicas &
exec nginx -g 'daemon off;'

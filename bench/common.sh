# Sourced by bench/run.sh and bench/side-by-side.sh: how the benchmarks make their databases, start our service and
# read its figures, so that both measure the service the same way. Needs JAVA set by the caller (newest_jdk21 aside).

# start_ours JAR PORT DATABASE RACE_WINDOW LOG [ARGS...]: the packaged service in the background ($! is its pid), on
# its shipped JVM options (src/main/jvm/jvm.options: -Xmx256m, young generation sized for the race window), against
# the local PostgreSQL's DATABASE; its actuator on PORT + 10000 (see ours_readiness).
start_ours() {
	local jar="$1" port="$2" db="$3" window="$4" log="$5"
	shift 5
	SERVER_PORT="$port" MANAGEMENT_SERVER_PORT="$((port + 10000))" SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:5432/$db" SPRING_R2DBC_USERNAME=postgres \
		CUSTOMERS_RACE_WINDOW="$window" "$JAVA" @src/main/jvm/jvm.options -jar "$jar" "$@" > "$log" 2>&1 &
}

# ours_readiness PORT: where start_ours's service on PORT says whether it is ready.
ours_readiness() { echo "http://127.0.0.1:$(($1 + 10000))/actuator/health/readiness"; }

# ready READINESS_URL: waits up to 90 s for it to answer 2xx; fails if it never did.
ready() {
	for _ in $(seq 1 90); do curl -fs -o /dev/null "$1" && return 0; sleep 1; done
	return 1
}

# cpu_ticks PID: CPU time the process has used so far, in clock ticks (user + system); 0 once it is gone.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2> /dev/null || echo 0; }

# field NAME LINE: the value of NAME=value in a RESULT line (wrk's bench/create.lua, bench/Burst.java).
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " $2"; }

# fresh_database NAME: an empty database NAME on the local PostgreSQL, dropped first if it was there; fails loudly.
fresh_database() { psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" > /dev/null; }

# drop_database NAME: for exit traps, so it never fails.
drop_database() { psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $1" > /dev/null 2>&1 || true; }

# newest_jdk21: BENCH_JAVA_HOME, unless set, becomes the newest JDK 21+ under /usr/lib/jvm (the MVC peer needs 21).
newest_jdk21() {
	[[ -n "${BENCH_JAVA_HOME:-}" ]] && return 0
	local home version
	for home in $(ls -d /usr/lib/jvm/*/ 2> /dev/null | sort -V -r); do
		version="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
		if [[ -n "$version" ]] && ((version >= 21)); then BENCH_JAVA_HOME="${home%/}"; return 0; fi
	done
}

# window_ms WINDOW: a race window (500ms, 2s, 0) in milliseconds, for the Vert.x peer's CUSTOMERS_RACE_WINDOW_MS.
window_ms() { awk -v w="$1" 'BEGIN { v = w + 0; print (w ~ /ms$/ ? v : (w ~ /s$/ ? v * 1000 : v)) }'; }

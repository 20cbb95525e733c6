# SPDX-License-Identifier: MIT
# servers.sh: sourced by the integration tests and benches: start real Prometheus, Alertmanager
# and node exporter on 127.0.0.1 (free high ports, data in a temp dir) and stop them by PID.
#
# Usage: . servers.sh; srv_setup; srv_start_node; srv_start_am; srv_start_prom; ...
# Everything is stopped by srv_cleanup, installed as an EXIT trap by srv_setup.
# SRV_AM_INHIBIT=1 gives Alertmanager one inhibit rule (listing alerts then costs it more).

PROM_BIN=${PROM_BIN:-/usr/bin/prometheus}
AM_BIN=${AM_BIN:-/usr/bin/prometheus-alertmanager}
NODE_BIN=${NODE_BIN:-/usr/bin/prometheus-node-exporter}
AMTOOL=${AMTOOL:-/usr/bin/amtool}
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}

SRV_PIDS=""
SRV_DIR=""
AM_PORT="" NODE_PORT="" PROM_PORT=""
AM_URL="" NODE_URL="" PROM_URL=""

# Exits 77 (skip) when one of the named programs is missing.
srv_need() {
	for b in "$@"; do
		if ! test -x "$b"; then
			echo "SKIP: $b not installed"
			exit 77
		fi
	done
}

# Exits 77 (skip) when one of the named commands is not on PATH.
srv_need_cmds() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || { echo "SKIP: $c missing"; exit 77; }
	done
}

srv_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

srv_setup() {
	SRV_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-it.XXXXXX")
	trap srv_cleanup EXIT
	trap 'exit 1' INT TERM
}

# Stops one PID if its command line still carries our temp dir (PIDs get reused).
srv_stop() {
	pid=$1
	if test -n "$pid" && test -r "/proc/$pid/cmdline" &&
	   tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$SRV_DIR"; then
		kill "$pid" 2>/dev/null
		i=0
		while test $i -lt 50 && kill -0 "$pid" 2>/dev/null; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	return 0
}

srv_cleanup() {
	for p in $SRV_PIDS; do
		srv_stop "$p"
	done
	if test -n "${SRV_DIR:-}" && test -d "$SRV_DIR"; then
		if test -n "${SRV_KEEP:-}"; then
			echo "kept $SRV_DIR"
		else
			rm -rf "$SRV_DIR"
		fi
	fi
}

# Waits (bounded: 30 s) until URL answers 200.
srv_wait_url() {
	i=0
	while test $i -lt 300; do
		if curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL: $1 did not come up; logs:" >&2
	tail -n 20 "$SRV_DIR"/*.log >&2
	return 1
}

srv_start_node() {
	NODE_PORT=$(srv_port)
	mkdir -p "$SRV_DIR/textfile"
	"$NODE_BIN" --web.listen-address="127.0.0.1:$NODE_PORT" --no-collector.systemd \
		--collector.textfile.directory="$SRV_DIR/textfile" \
		> "$SRV_DIR/node.log" 2>&1 &
	NODE_PID=$!
	SRV_PIDS="$SRV_PIDS $NODE_PID"
	NODE_URL="http://127.0.0.1:$NODE_PORT"
	srv_wait_url "$NODE_URL/metrics"
}

srv_start_am() {
	AM_PORT=$(srv_port)
	mkdir -p "$SRV_DIR/am"
	cat > "$SRV_DIR/am.yml" <<EOF
route:
  receiver: blackhole
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: blackhole
EOF
	if test -n "${SRV_AM_INHIBIT:-}"; then
		cat >> "$SRV_DIR/am.yml" <<EOF
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [instance]
EOF
	fi
	"$AM_BIN" --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= \
		--storage.path="$SRV_DIR/am" --config.file="$SRV_DIR/am.yml" \
		> "$SRV_DIR/am.log" 2>&1 &
	AM_PID=$!
	SRV_PIDS="$SRV_PIDS $AM_PID"
	AM_URL="http://127.0.0.1:$AM_PORT"
	srv_wait_url "$AM_URL/-/ready"
}

# Needs srv_start_am (and srv_start_node for the node job) first. AM_TARGETS (a YAML list
# body such as "'127.0.0.1:1', '127.0.0.1:2'") sends alerts to several Alertmanagers.
srv_start_prom() {
	PROM_PORT=$(srv_port)
	mkdir -p "$SRV_DIR/prom"
	cat > "$SRV_DIR/rules.yml" <<'EOF'
groups:
  - name: sitrep-test
    interval: 1s
    rules:
      - alert: SitrepTestFiring
        expr: vector(1)
        for: 0s
        labels:
          severity: critical
          team: ops
        annotations:
          summary: "always firing test alert"
      - record: sitrep:up:sum
        expr: sum(up)
EOF
	{
		echo "global:"
		echo "  scrape_interval: 1s"
		echo "  evaluation_interval: 1s"
		echo "rule_files: ['$SRV_DIR/rules.yml']"
		if test -n "${AM_TARGETS:-$AM_PORT}"; then
			echo "alerting:"
			echo "  alertmanagers:"
			echo "    - static_configs:"
			echo "        - targets: [${AM_TARGETS:-'127.0.0.1:$AM_PORT'}]"
		fi
		echo "scrape_configs:"
		echo "  - job_name: prometheus"
		echo "    static_configs:"
		echo "      - targets: ['127.0.0.1:$PROM_PORT']"
		if test -n "$NODE_PORT"; then
			echo "  - job_name: node"
			echo "    honor_labels: true"
			echo "    static_configs:"
			echo "      - targets: ['127.0.0.1:$NODE_PORT']"
		fi
	} > "$SRV_DIR/prom.yml"
	"$PROM_BIN" --web.listen-address="127.0.0.1:$PROM_PORT" \
		--config.file="$SRV_DIR/prom.yml" --storage.tsdb.path="$SRV_DIR/prom" \
		--rules.alert.resend-delay=1s --web.enable-admin-api \
		> "$SRV_DIR/prom.log" 2>&1 &
	PROM_PID=$!
	SRV_PIDS="$SRV_PIDS $PROM_PID"
	PROM_URL="http://127.0.0.1:$PROM_PORT"
	srv_wait_url "$PROM_URL/-/ready"
}

# Waits (bounded) until CMD succeeds; CMD is a shell string. $2 = tries (0.2 s apart).
srv_until() {
	i=0
	while test $i -lt "${2:-150}"; do
		if eval "$1" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

# Writes a sitrep config for the running servers to $SRV_DIR/sitrep.conf.
srv_sitrep_conf() {
	{
		echo "[general]"
		echo "user = it-tester"
		if test -n "$PROM_URL"; then
			echo "[prometheus]"
			echo "url = $PROM_URL"
		fi
		if test -n "$AM_URL"; then
			echo "[alertmanager main]"
			echo "url = $AM_URL"
		fi
		if test -n "$NODE_URL"; then
			echo "[check node-exporter]"
			echo "url = $NODE_URL/metrics"
		fi
	} > "$SRV_DIR/sitrep.conf"
	chmod 600 "$SRV_DIR/sitrep.conf"
	SR_CONF="$SRV_DIR/sitrep.conf"
	SR_STORE="$SRV_DIR/sitrep.db"
}

# srv_test_helpers: what the tests against these servers share: S (sitrep with $SR_CONF and
# $SR_STORE), AMT (amtool on $AM_URL), fail/ok counting failures in $fails, jqt (jq over stdin
# printing exactly "true": an empty input, from a crash say, is not true) and am_end ID (a
# silence's endsAt in seconds since the epoch, from Alertmanager itself).
srv_test_helpers() {
	S() { "$SITREP" --config "$SR_CONF" --store "$SR_STORE" "$@"; }
	AMT() { "$AMTOOL" --alertmanager.url="$AM_URL" "$@"; }
	fails=0
	fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
	ok() { echo "ok: $*"; }
	jqt() { test "$(jq "$@" 2>/dev/null)" = true; }
	am_end() {
		curl -fsS "$AM_URL/api/v2/silence/$1" | jq -r '.endsAt | sub("\\.[0-9]+"; "") | fromdate'
	}
}

# --- PostgreSQL 15 (Debian package postgresql) ---
# srv_start_pg: a new cluster in $SRV_DIR/pg owned by the postgres user (initdb and postgres
# refuse to run as root), listening on 127.0.0.1:$PG_PORT only, password (scram) auth for TCP.
# Sets PG_PORT, PG_PID, PG_PASSWORD and PG_URL (postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres).
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT="" PG_PID="" PG_URL="" PG_DATA=""
PG_PASSWORD=${PG_PASSWORD:-pw-canary-$$-Zq7}

srv_pg_as() {
	if test "$(id -u)" = 0; then
		(cd /tmp && runuser -u postgres -- "$@")
	else
		(cd /tmp && "$@")
	fi
}

srv_start_pg() {
	srv_need "$PG_BIN/initdb" "$PG_BIN/postgres" "$PG_BIN/pg_isready"
	chmod 711 "$SRV_DIR"
	mkdir -p "$SRV_DIR/pg"
	PG_DATA="$SRV_DIR/pg/data"
	printf '%s\n' "$PG_PASSWORD" > "$SRV_DIR/pg/pwfile"
	test "$(id -u)" = 0 && chown -R postgres "$SRV_DIR/pg"
	srv_pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$SRV_DIR/pg/pwfile" \
		--auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
		> "$SRV_DIR/pg/initdb.log" 2>&1 || { cat "$SRV_DIR/pg/initdb.log" >&2; exit 1; }
	rm -f "$SRV_DIR/pg/pwfile"
	PG_PORT=$(srv_port)
	srv_pg_launch
	PG_URL="postgresql://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres"
}

# (Re)starts the server of $PG_DATA on $PG_PORT and waits (30 s at most) until it answers.
srv_pg_launch() {
	srv_pg_as "$PG_BIN/postgres" -D "$PG_DATA" -c listen_addresses=127.0.0.1 \
		-c port="$PG_PORT" -c unix_socket_directories="$SRV_DIR/pg" -c fsync=off \
		-c max_connections=${PG_MAX_CONN:-60} >> "$SRV_DIR/pg/server.log" 2>&1 &
	i=0
	while test $i -lt 300; do
		if test -s "$PG_DATA/postmaster.pid" &&
		   "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
			PG_PID=$(head -n 1 "$PG_DATA/postmaster.pid")
			SRV_PIDS="$SRV_PIDS $PG_PID"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL: PostgreSQL did not come up; log:" >&2
	tail -n 30 "$SRV_DIR/pg/server.log" >&2
	exit 1
}

# Stops the server now (fast shutdown: clients are disconnected), by its PID.
srv_pg_stop() {
	pid=$PG_PID
	if test -n "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$SRV_DIR"; then
		kill -INT "$pid"
		i=0
		while test $i -lt 100 && kill -0 "$pid" 2>/dev/null; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	PG_PID=""
}

# Runs psql as the superuser over the unix socket: srv_pg_sql "SQL".
srv_pg_sql() {
	srv_pg_as "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$SRV_DIR/pg" -p "$PG_PORT" \
		-U postgres -d postgres -c "$1"
}

# srv_pg_fill N SECONDS TOTAL: N sessions each sleeping SECONDS in the server (their PIDs added
# to $SESS for the caller to stop), then waits (30 s at most) until TOTAL client backends are in.
srv_pg_fill() {
	n=0
	while [ "$n" -lt "$1" ]; do
		psql -X -q -A -t "$PG_URL" -c "SELECT pg_sleep($2)" >/dev/null 2>&1 &
		SESS="${SESS:-} $!"
		n=$((n + 1))
	done
	i=0
	while [ "$(psql -X -q -A -t "$PG_URL" -c "SELECT count(*) FROM pg_stat_activity WHERE
		backend_type = 'client backend'")" -lt "$3" ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# --- console tests against the real servers (sourced after tests/tui/tmux.sh) ---
# srv_tui_start BINARIES...: needs those binaries, jq and curl, runs on the servers' real
# clock (no SITREP_NOW), stops servers and tmux at exit, starts Alertmanager.
srv_tui_start() {
	srv_need "$@"
	srv_need_cmds jq curl
	unset SITREP_NOW
	srv_setup
	trap 'srv_cleanup; cleanup_tmux' EXIT
	srv_start_am || exit 1
}
# C ARGS...: curl to the local servers; iso WHEN: a date(1) expression as RFC 3339 UTC.
C() { curl -fsS --noproxy '*' --max-time 5 "$@"; }
iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

# srv_wait_silent LOG: waits (10 s at most) until silent_proxy.py logged a connection it took
# and will never answer; fails if none came
srv_wait_silent() {
	n=0
	while ! grep -q "accepted silent" "$1" 2>/dev/null && [ $n -lt 200 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	grep -q "accepted silent" "$1"
}

# SPDX-License-Identifier: MIT
# tui_dbpanel.sh: the dashboard's database-health panel at 80x24, in tmux, against a real
# PostgreSQL 15 (max_connections 20) and an address where nothing listens: one line per
# watched database, worst first (unreachable with why, breached with the threshold and its
# runbook, then ok), checked from the console's loop without blocking it; more databases
# than rows: "+N databases". Thresholds: 95 % of max_connections in use, a long pg_sleep.
. "$SRCDIR/tests/tui/tmux.sh"
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PG_BIN/initdb" "$PG_BIN/postgres" "$PG_BIN/pg_isready" "$PG_BIN/psql"

srv_setup
SESS=""
trap 'for p in $SESS; do kill "$p" 2>/dev/null; done; srv_cleanup; cleanup_tmux' EXIT
PG_MAX_CONN=20 srv_start_pg
# above A B WHAT: on the screen, the line matching A comes before the one matching B
above() {
	capture
	a=$(grep -n -- "$1" "$T/screen" | head -n 1 | cut -d: -f1)
	b=$(grep -n -- "$2" "$T/screen" | head -n 1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] && pass || fail "$3 (lines $a, $b)"
}
GONE="postgresql://postgres:$PG_PASSWORD@127.0.0.1:$(srv_port)/postgres"

# main first in the config: the unreachable one still comes first on screen
printf '[postgres main]\nurl = %s\nlong_query = 2s\n\n[postgres gone]\nurl = %s\n' \
	"$PG_URL" "$GONE" > "$T/db.conf"
chmod 600 "$T/db.conf"
start 80 24 -- --config "$T/db.conf" --store "$T/s.db"
expect "Databases: 0 breached, 1 unreachable (:db)"
expect "gone unreachable: Connection refused"
expect "ok  "
expect "Firing alerts"
above "gone unreachable: " "^  main " "the unreachable database before the healthy one"

# 95 % of max_connections in use (18 sleeping sessions + the check's own = 19 of 20), one of
# them past long_query
srv_pg_fill 18 60 19
# the next check (every 15 s) finds it; keys answer meanwhile
keys 3
expect "No incidents." 20
keys 1
if wait_for "Databases: 1 breached, 1 unreachable" 250; then pass; else
	fail "the breach did not reach the panel"
	sed 's/^/  screen: /' "$T/screen" >&2
fi
expect "19 of 20 connections in use (95%, limit 90%)"
expect "runbook: database-errors"
expect "gone unreachable: Connection refused"
above "gone unreachable: " "19 of 20 connections" "the unreachable database before the breached one"
sed 's/^/  80x24: /' "$T/screen"	# for the log: the whole dashboard as drawn
never "$T/screen" "$PG_PASSWORD" "the PostgreSQL password"
for p in $SESS; do kill "$p" 2>/dev/null; done
SESS=""

# three databases at 80x24: two rows, the last says what is behind :db
printf '[postgres main]\nurl = %s\n\n[postgres gone]\nurl = %s\n\n[postgres gone2]\nurl = %s\n' \
	"$PG_URL" "$GONE" "$GONE" > "$T/three.conf"
chmod 600 "$T/three.conf"
start 80 24 -- --config "$T/three.conf" --store "$T/s.db"
# (main may still be breached: the killed sessions' pg_sleep runs on in the server)
expect "2 unreachable (:db)"
expect "+2 databases (:db shows all)"
expect "unreachable: Connection refused"
expect "Firing alerts"
never "$T/screen" "$PG_PASSWORD" "the PostgreSQL password"
never "$T/stderr" "$PG_PASSWORD" "the PostgreSQL password"
finish

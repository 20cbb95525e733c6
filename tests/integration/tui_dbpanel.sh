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
P() { psql -X -q -A -t "$PG_URL" "$@"; }
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
capture
gone_at=$(grep -n "gone unreachable: " "$T/screen" | cut -d: -f1)
main_at=$(grep -n "^  main " "$T/screen" | cut -d: -f1)
[ -n "$gone_at" ] && [ -n "$main_at" ] && [ "$gone_at" -lt "$main_at" ] && pass ||
	fail "the unreachable database is not listed first (lines $gone_at, $main_at)"

# 95 % of max_connections in use (18 sleeping sessions + the check's own = 19 of 20), one of
# them past long_query
n=0
while [ $n -lt 18 ]; do
	P -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
	SESS="$SESS $!"
	n=$((n + 1))
done
i=0
while [ "$(P -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")" -lt 19 ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
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
capture
gone_at=$(grep -n "gone unreachable: " "$T/screen" | cut -d: -f1)
main_at=$(grep -n "19 of 20 connections" "$T/screen" | cut -d: -f1)
[ -n "$gone_at" ] && [ -n "$main_at" ] && [ "$gone_at" -lt "$main_at" ] && pass ||
	fail "unreachable before breached: lines $gone_at, $main_at"
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

# SPDX-License-Identifier: MIT
# dbcheck.sh: sitrep db against a real PostgreSQL 15 (max_connections 20): a session holding a
# lock that blocks another, a long pg_sleep query carrying terminal escapes in its text, then
# 95 % of max_connections in use; thresholds breached, exit status, --json, the runbook named,
# query text sanitised, and the password never printed.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PG_BIN/initdb" "$PG_BIN/postgres" "$PG_BIN/pg_isready" "$PG_BIN/psql"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }

srv_setup
SESS=""	# background psql sessions, stopped by PID
# lib.sh's cleanup cannot tell the main shell inside a compound trap: remove $T here
# (only from the main shell, not from a background job's subshell).
db_exit() {
	for p in $SESS; do kill "$p" 2>/dev/null; done
	srv_pg_stop
	srv_cleanup
	[ "${BASHPID:-$$}" = "$LIB_MAIN_PID" ] && rm -rf "$T"
}
trap db_exit EXIT
PG_MAX_CONN=20 srv_start_pg
P() { psql -X -q -A -t "$PG_URL" "$@"; }
ALL="$T/all-output"
: > "$ALL"
keep() { cat "$T/out" "$T/err" >> "$ALL"; }

printf '[postgres main]\nurl = %s\nlong_query = 2s\nlock_wait = 1s\n' "$PG_URL" > "$T/db.conf"
chmod 600 "$T/db.conf"
D() { "$SITREP" --config "$T/db.conf" db "$@"; }

# healthy first
run 0 D main
keep
expect_out "ok   main  PostgreSQL 15"
expect_out "of 20 connections in use"

P -c "CREATE TABLE held (x int)"
# A holds an exclusive lock for 90 s (the sessions end by themselves, or at the fast shutdown); B waits for it; C runs a long query with escapes in it
P -c "BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(90); COMMIT;" >/dev/null 2>&1 &
SESS="$SESS $!"
sleep 0.5
P -c "SELECT count(*) FROM held" >/dev/null 2>&1 &
SESS="$SESS $!"
esc=$(printf '\033]0;pwned\007\033[2J')
P -c "SELECT pg_sleep(90) /* $esc evil */" >/dev/null 2>&1 &
SESS="$SESS $!"
i=0
while [ "$(P -c "SELECT count(*) FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0")" != 1 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 2.5
holder=$(P -c "SELECT pid FROM pg_stat_activity WHERE query LIKE 'BEGIN; LOCK%'")

run 1 D main
keep
expect_out "FAIL main"
expect_out "! longest query running"
expect_out "! 1 session waiting on locks"
expect_out "blocked by $holder"
expect_out "runbook: database-errors"
never "$T/out" "$(printf '\033')" "an escape sequence from a query's text"
never "$T/out" "$(printf '\007')" "a BEL from a query's text"

run 1 D --json
keep
jq_is '.databases[0].ok' false
jq_is '[.databases[0].findings[] | select(.breached) | .check] | sort | join(",")' "lock_wait,long_query"
jq_is ".databases[0].lock_waits[0].blocked_by" "$holder"
jq_is '.databases[0].long_queries | map(select(.query | contains("pg_sleep(90)"))) | length >= 2' true
jq_is '.databases[0].runbook' database-errors
jq_is '[.databases[0].long_queries[].query | length <= 200] | all' true

# 95 % of max_connections: 3 sessions above + 15 idle ones + sitrep's own = 19 of 20
srv_pg_fill 15 90 19
run 1 D main --json
keep
jq_is '.databases[0].connections' 19
jq_is '[.databases[0].findings[] | select(.check == "connections")][0].breached' true
jq_is '[.databases[0].findings[] | select(.check == "connections")][0].text' "19 of 20 connections in use (95%, limit 90%)"

# unreachable: exit 1, named without the password
printf '[postgres gone]\nurl = postgresql://postgres:%s@127.0.0.1:%s/postgres\n' "$PG_PASSWORD" "$(srv_port)" > "$T/gone.conf"
chmod 600 "$T/gone.conf"
run 1 "$SITREP" --config "$T/gone.conf" db
keep
expect_out "FAIL postgres gone (postgresql://postgres:***@127.0.0.1:"
run 2 D nosuch
keep
expect_err "no [postgres nosuch]"

never "$ALL" "$PG_PASSWORD" "the PostgreSQL password"
finish

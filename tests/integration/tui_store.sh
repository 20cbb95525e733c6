# SPDX-License-Identifier: MIT
# tui_store.sh: the console's live view of the incident store, in tmux. A change made by the
# CLI shows in a running console within 1 s, on SQLite (PRAGMA data_version) and on a real
# PostgreSQL 15 (LISTEN/NOTIFY on the libpq socket); PostgreSQL stopped: the header says
# "store offline since", what was read stays on screen, a change is refused; restarted: the
# console reconnects by itself and shows what was committed meanwhile. Then the database-health
# view (:db) against the same server with a lock that blocks another session and a long query
# carrying terminal escapes.
. "$SRCDIR/tests/tui/tmux.sh"
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PG_BIN/initdb" "$PG_BIN/postgres" "$PG_BIN/pg_isready"

srv_setup
trap 'srv_cleanup; cleanup_tmux' EXIT
srv_start_pg

ms() { date +%s%3N; }
# seen_within TEXT MS WHAT: the screen shows TEXT at most MS milliseconds after $t1
seen_within() {
	n=0
	while [ $n -lt 100 ]; do	# 5 s at most, looking every 50 ms
		capture
		grep -qF -- "$1" "$T/screen" && break
		sleep 0.05
		n=$((n + 1))
	done
	took=$(( $(ms) - t1 ))
	echo "$3: on screen $took ms after the CLI committed"
	if grep -qF -- "$1" "$T/screen" && [ "$took" -le "$2" ]; then pass; else
		fail "$3: \"$1\" not on screen within $2 ms (took $took ms)"
		sed 's/^/  screen: /' "$T/screen" >&2
	fi
}

# live STORE NAME: a console on STORE; the CLI creates one incident and acknowledges another
live() {
	"$SITREP" --store "$1" incident new --sev P2 --title "$2 first" >/dev/null
	start 120 30 -- --store "$1"
	expect "$2 first"
	sleep 0.5	# the console is idle, waiting in its poll
	"$SITREP" --store "$1" incident new --sev P1 --title "$2 second" >/dev/null
	t1=$(ms)
	seen_within "$2 second" 1000 "$2: a new incident"
	"$SITREP" --store "$1" incident ack INC-2026-001 >/dev/null
	t1=$(ms)
	seen_within "INC-2026-001 P2  acknowledged" 1000 "$2: an acknowledgement"
}

# --- SQLite: consoles on one host ---
live "$SRV_DIR/live.db" sqlite

# --- PostgreSQL: consoles anywhere ---
U="$PG_URL?sitrep_schema=tui"
live "$U" postgresql
never "$T/screen" "$PG_PASSWORD" "the PostgreSQL password"

# the server goes away: said in the header, the incidents stay, a change is refused
srv_pg_stop
expect "store offline since 03:12"
expect "postgresql second"
keys 3
expect "Incidents: 2 open"	# the list is up before its key is pressed
keys a
expect "store offline since 03:12: nothing changed"
expect "postgresql first"
# back: the console reconnects by itself (backoff at most 8 s) and shows what was committed
# after the restart, before it noticed
srv_pg_launch
"$SITREP" --store "$U" incident new --sev P3 --title "made meanwhile" >/dev/null
if wait_for "made meanwhile" 200; then pass; else
	fail "the console did not reconnect and catch up"
	sed 's/^/  screen: /' "$T/screen" >&2
fi
expect_not "store offline since" "made meanwhile"
# and its changes are made again
keys a
expect "acknowledged"

# --- database health (:db) ---
printf '[postgres main]\nurl = %s\nlong_query = 1s\nlock_wait = 1s\n' "$PG_URL" > "$SRV_DIR/db.conf"
chmod 600 "$SRV_DIR/db.conf"
P() { srv_pg_as "$PG_BIN/psql" -X -q -A -t -h "$SRV_DIR/pg" -p "$PG_PORT" -U postgres -d postgres "$@"; }
P -c "CREATE TABLE held (x int)"
P -c "BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(30); COMMIT;" >/dev/null 2>&1 &
SESS=$!
sleep 0.5
P -c "SELECT count(*) FROM held" >/dev/null 2>&1 &
SESS="$SESS $!"
esc=$(printf '\033]0;pwned\007\033[2J')
P -c "SELECT pg_sleep(30) /* $esc evil */" >/dev/null 2>&1 &
SESS="$SESS $!"
sleep 2	# past the 1 s thresholds
start 160 40 -- --config "$SRV_DIR/db.conf" --store "$SRV_DIR/live.db"
expect "sqlite first"
keys ":db" Enter
expect "── main"
expect "PostgreSQL 15"
expect "blocked by"
expect "runbook: database-errors"
expect "evil"
# the escapes arrive as inert text: no title set, no screen cleared
expect "0;pwned"
title=$(TM display-message -p '#{pane_title}')
case $title in *pwned*) fail "a query's text set the terminal title" ;; *) pass ;; esac
never "$T/screen" "$PG_PASSWORD" "the PostgreSQL password"
for p in $SESS; do kill "$p" 2>/dev/null; done
finish

# SPDX-License-Identifier: MIT
# tui_reconnect.sh: the console reconnects to its PostgreSQL store without blocking. The store
# is reached through a stand-in host (silent_proxy.py) in front of a real PostgreSQL 15: it
# goes silent (open connections closed, new ones accepted and never answered, as behind a
# black hole), and while the console's reconnection hangs on it, keys still answer within 1 s
# and the header says the store is offline; a change is refused at once. The host answers
# again: the console reconnects by itself and shows what was committed meanwhile.
. "$SRCDIR/tests/tui/tmux.sh"
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PG_BIN/initdb" "$PG_BIN/postgres" "$PG_BIN/pg_isready"
srv_need_cmds python3

srv_setup
trap 'srv_cleanup; cleanup_tmux' EXIT
srv_start_pg

MODE="$SRV_DIR/proxy.mode"
PLOG="$SRV_DIR/proxy.log"
echo forward > "$MODE"
python3 "$SRCDIR/tests/integration/silent_proxy.py" "$SRV_DIR/proxy.port" "$PG_PORT" "$MODE" \
	"$PLOG" &
SRV_PIDS="$SRV_PIDS $!"
n=0
while [ ! -s "$SRV_DIR/proxy.port" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
PX=$(cat "$SRV_DIR/proxy.port")
U="postgresql://postgres:$PG_PASSWORD@127.0.0.1:$PX/postgres?sitrep_schema=rc"
D="$PG_URL?sitrep_schema=rc"	# the CLI goes straight to the server

ms() { date +%s%3N; }
# answers KEY TEXT: KEY shows TEXT within 1 s
answers() {
	t0=$(ms)
	TM send-keys -t 0 "$1"
	n=0
	while [ $n -lt 60 ]; do
		capture
		grep -qF -- "$2" "$T/screen" && break
		sleep 0.05
		n=$((n + 1))
	done
	took=$(( $(ms) - t0 ))
	echo "key $1 answered in $took ms while reconnecting"
	if grep -qF -- "$2" "$T/screen" && [ "$took" -le 1000 ]; then pass; else
		fail "key $1: \"$2\" not on screen within 1 s (took $took ms)"
		sed 's/^/  screen: /' "$T/screen" >&2
	fi
}

"$SITREP" --store "$D" incident new --sev P2 --title "before the black hole" >/dev/null
start 120 30 -- --store "$U"
expect "before the black hole"

# the host goes silent: the console's connection is cut, its reconnection hangs
echo silent > "$MODE"
expect "store offline since 03:12"
srv_wait_silent "$PLOG" && pass || fail "the console never tried to reconnect"
# a connection is pending on the silent host now (libpq would wait 10 s for it): keys answer
for round in 1 2 3; do
	answers 7 "this help"
	answers 3 "before the black hole"
done
keys a
expect "store offline since 03:12: nothing changed"
expect "store offline since"
# the host answers again: reconnected by itself (a hung try is given up after 10 s, then
# the backoff), with what was committed meanwhile
"$SITREP" --store "$D" incident new --sev P3 --title "made meanwhile" >/dev/null
echo forward > "$MODE"
if wait_for "made meanwhile" 300; then pass; else
	fail "the console did not reconnect and catch up"
	sed 's/^/  screen: /' "$T/screen" >&2
fi
expect_not "store offline since" "made meanwhile"
grep -q "accepted forward" "$PLOG" && pass || fail "no connection through the host"
never "$T/screen" "$PG_PASSWORD" "the PostgreSQL password"
never "$T/stderr" "$PG_PASSWORD" "the PostgreSQL password"
finish

# SPDX-License-Identifier: MIT
# terminal.sh: resize (80x24, 200x60, too small and back), NO_COLOR, ASCII fallback, signals.
. "$SRCDIR/tests/tui/tmux.sh"

start 120 40 -- --demo
expect "Open incidents: 4"
TM resize-window -t 0 -x 80 -y 24
expect "ID           SEV STATUS        LVL RESPOND   RESOLVE   UPDATE    TITLE"
golden dashboard-80x24
TM resize-window -t 0 -x 200 -y 60
expect "ID           SEV STATUS        LVL AGE    RESPOND   RESOLVE   UPDATE    TITLE"
golden dashboard-200x60
TM resize-window -t 0 -x 60 -y 20
expect "terminal too small: 60x20"
TM resize-window -t 0 -x 10 -y 5
expect "terminal"
TM resize-window -t 0 -x 80 -y 24
expect "Open incidents: 4"
keys q
expect_exit 0

# colours: with NO_COLOR no colour sequence at all, attributes only; without it, colours
start 100 30 -- --demo
expect "Open incidents: 4"
TM capture-pane -p -e -t 0 >"$T/esc"
if grep -q "$(printf '\033')\[3[0-7]m\|$(printf '\033')\[4[0-7]m" "$T/esc"; then pass; else
	fail "no colours without NO_COLOR"
fi
keys q
expect_exit 0
start 100 30 NO_COLOR=1 -- --demo
expect "Open incidents: 4"
TM capture-pane -p -e -t 0 >"$T/esc"
if grep -q "$(printf '\033')\[3[0-7]m\|$(printf '\033')\[4[0-7]m\|$(printf '\033')\[38;" "$T/esc"; then
	fail "colour sequences with NO_COLOR"
else pass; fi
if grep -q "$(printf '\033')\[7m\|$(printf '\033')\[1m" "$T/esc"; then pass; else
	fail "no reverse/bold attributes in monochrome"
fi
keys q
expect_exit 0

# a non-UTF-8 locale: ASCII borders and marks only
start 100 30 LANG=C LC_ALL=C -- --demo
expect "-- Open incidents: 4 ---"
expect "! -7m00s"
if LC_ALL=C grep -q "$(printf '\342')" "$T/screen"; then
	fail "UTF-8 on screen in the C locale"
else pass; fi
keys q
expect_exit 0

# TERM=dumb (no cursor addressing): the incident list instead of a broken screen
start 100 30 TERM=dumb -- --demo
expect "INC-2026-005 P1  triggered     L2  22m00s  respond 7m00s OVERDUE  Checkout API returning 5xx"
expect "SITREP-EXIT=0"
if grep -q "TERM=dumb cannot show the console" "$T/stderr"; then pass; else
	fail "no explanation for TERM=dumb on stderr"
fi

# SIGTERM: the loop notices the flag and restores the terminal
start 100 30 -- --demo
expect "Open incidents: 4"
kill -TERM "$(cat "$T/pid")"
expect_exit 143

# SIGHUP (the SSH link dropped) straight after an action key: the change is stored whole or not
# at all, and the terminal is restored
"$SITREP" --store "$T/hup.db" incident new --sev P1 --title "hangup test" >/dev/null 2>&1 ||
	fail "creating the hangup incident"
start 100 30 -- --store "$T/hup.db"
expect "INC-2026-001"
keys 3
TM send-keys -t 0 a
kill -HUP "$(cat "$T/pid")"
expect_exit 129
if command -v sqlite3 >/dev/null; then
	r=$(sqlite3 "$T/hup.db" 'PRAGMA integrity_check;')
	[ "$r" = ok ] && pass || fail "integrity_check after SIGHUP: $r"
	st=$(sqlite3 "$T/hup.db" "SELECT status FROM incidents WHERE id = 'INC-2026-001';")
	acks=$(sqlite3 "$T/hup.db" "SELECT count(*) FROM events WHERE kind = 'acknowledged';")
	case "$st:$acks" in
	triggered:0 | acknowledged:1) pass ;;
	*) fail "half-written after SIGHUP: status $st with $acks acknowledged events" ;;
	esac
fi
finish

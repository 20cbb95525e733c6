# SPDX-License-Identifier: MIT
# wallboard.sh: the wall screen at 120x40, 200x60 and 80x24: read-only, its header (clock,
# sources with their state, who is on call) on every screen of the cycle, big digits for the
# most urgent incident, the other incidents and the critical alerts in large type when there
# is room, panels as charts, stale data as a big word in the error colour, no action hints.
. "$SRCDIR/tests/tui/tmux.sh"

cp "$SRCDIR/tests/fixtures/tui/oncall.conf" "$T/oc.conf"

start 120 40 -- --demo --wallboard
expect "sitrep DEMO WALLBOARD"
expect "03:12:00 UTC"
expect "INC-2026-005  P1  triggered"
expect "OVERDUE to respond"
expect "L2 Tech lead @tech-lead"
# the big digits of -07:00, twice the font size on a wall screen
expect "██████  ██████      ██████  ██████"
expect "Other open incidents: 3"
expect "Firing critical alerts: 2 of 7 firing"
expect "── Panels"
golden wallboard-120x40
# no action hints on a wall screen
expect_not "? help" "views change every 15s"
# keys that would change something do nothing
# (? opens the help only once a, s and R were read: the sign that they were handled)
keys a s R ?
expect "Keys (from the key table)"
keys Escape
expect_not "acknowledged by" "OVERDUE to respond"
keys q
expect_exit 0

start 120 40 -- --demo --wallboard-cycle 1
expect "OVERDUE to respond"
# it cycles through the views by itself; the wall header stays on each
expect "Open incidents: 4" 40
# the dashboard's screen of the cycle: the wall header, no action hints
if grep -qF "sitrep DEMO WALLBOARD" "$T/screen" && ! grep -qF "j/k select" "$T/screen"; then
	pass
else fail "dashboard in the cycle: no wall header, or action hints"; fi
expect "Incidents: 4 open, 5 in all" 40
expect "sitrep DEMO WALLBOARD"
expect "Alerts: 9" 40
expect "OVERDUE to respond" 40
keys q
expect_exit 0

# 200x60 on a wall: everything in large type, the on-call in the header
start 200 60 -- --demo --wallboard --config "$T/oc.conf" --store "$T/w.db"
expect "on call: alice until Mon 09:00 CET"
expect "prom ok 0s  am ok 0s"
expect "03:12:00 UTC"
# -07:00 at three times the font size
expect "█████████   █████████         █████████   █████████"
# INC-2026-004 in block letters (the other incidents), InstanceDown too (a critical alert)
expect " ███ ██   ██     ███ ███ ███ ███     ███ ███ █ █"
expect " ███ ██   ██ ███  █  ██   ██ ███ ██   █  █ █ ██"
expect "Firing critical alerts: 2 of 7 firing"
# panels as charts several rows tall: a row of full blocks under the values
expect "error rate 7.0%"
capture
if [ "$(sed -n '/── Panels/,$p' "$T/screen" | grep -c '███')" -ge 5 ]; then pass; else
	fail "200x60: the panels are not charts several rows tall"
	sed 's/^/  screen: /' "$T/screen" >&2
fi
keys q
expect_exit 0

# 80x24 over SSH: the header first, then what matters most, nothing silently dropped
start 80 24 -- --demo --wallboard --config "$T/oc.conf" --store "$T/w.db"
expect "on call: alice until Mon 09:00 CET"
expect "03:12:00 UTC  03:12 UTC   prom ok 0s  am ok 0s"
expect "INC-2026-005  P1  triggered"
expect "OVERDUE to respond"
expect "Other open incidents: 3"
expect "INC-2026-004 P2 3:10:00"
expect "Firing critical alerts: 2 of 7 firing"
expect "InstanceDown"
expect "HighErrorRate"
expect "── Panels"
keys q
expect_exit 0

# stale data: a big word and a line in the error colour; "none" is not claimed
printf '[alertmanager]\nurl = http://127.0.0.1:1\n' >"$T/stale.conf"
start 200 60 -- --wallboard --config "$T/stale.conf" --store "$T/s.db"
expect "STALE: am ERR: No alerts known"
expect "  ██ ███  █  █   ███     ██   █  ███  █"	# STALE DATA in block letters
expect "unknown: the alerts are ERR"
expect "am ERR"
TM capture-pane -p -e -t 0 >"$T/screen.e"
# white on red (SGR 41) on the STALE line: a colour as well as the word
if grep -a 'STALE: am ERR' "$T/screen.e" | grep -aq '\[41m\|;41m\|;41;'; then pass; else
	fail "the STALE line is not in the error colour"
	cat -v "$T/screen.e" | grep STALE >&2
fi
keys q
expect_exit 0

start 80 24 -- --wallboard --config "$T/stale.conf" --store "$T/s.db"
expect "STALE: am ERR: No alerts known"
expect "am ERR"
expect "unknown: the alerts are ERR"
keys q
expect_exit 0
finish

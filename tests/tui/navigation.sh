# SPDX-License-Identifier: MIT
# navigation.sh: views by number and Tab, help from the key table, command line, back and quit.
. "$SRCDIR/tests/tui/tmux.sh"

start 120 40 -- --demo
expect "Open incidents: 4"
keys 3
expect "Incidents: 4 open, 5 in all"
expect "INC-2026-001 P2  closed"
keys j j Enter
expect "INC-2026-003 P3 identified Nightly backup of billing DB failed"
expect "Timeline (6)"
keys q
expect "Incidents: 4 open, 5 in all"
keys Tab
expect "Runbooks: 9"
keys Tab
expect "── Metrics"
expect "p95 latency  2.40s"
keys Tab
expect "Slack preview: INC-2026-003, INCIDENT UPDATE message"
expect "INCIDENT UPDATE: Nightly backup of billing DB failed"
expect "Next update: 03:42 UTC (in 30m00s)"
# y copies the message with OSC 52: tmux (set-clipboard on) keeps it as a paste buffer
TM set-option -g set-clipboard on
keys y
expect "copied"
if TM show-buffer 2>/dev/null | grep -qF "INCIDENT UPDATE: Nightly backup of billing DB failed"; then
	pass
else
	fail "OSC 52 copy did not reach tmux's buffer"
fi
keys 2 Down
expect "Alerts: 9"
expect "Silenced (1)"
expect "Inhibited (1)"
# help is generated from the key table
keys '?'
expect "Keys (from the key table)"
expect "a             acknowledge (stops the respond clock)"
expect "i             open an incident from the alert"
expect "j Down        down"
golden help-120x40
# and the ":" commands from the command table run_command parses with (further down)
scroll_to "search        WORDS  search every runbook"
expect "incident inc  [ID | new P1..P4 TITLE]"
keys q
expect "Alerts: 9"
# command line
keys : 'incident INC-2026-004' Enter
expect "INC-2026-004 P2 investigating Search p95 latency above 2s"
keys : 'dashboard' Enter
expect "Open incidents: 4"
keys : 'inc INC-2026-004' Enter
expect "INC-2026-004 P2 investigating Search p95 latency above 2s"
keys : 'bogus' Enter
expect "unknown command \"bogus\""
keys : q Enter
expect_exit 0
finish

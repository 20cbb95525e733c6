# SPDX-License-Identifier: MIT
# wallboard.sh: the wall screen: read-only, big countdown of the most urgent incident, cycling.
. "$SRCDIR/tests/tui/tmux.sh"

start 120 40 -- --demo --wallboard
expect "WALLBOARD"
expect "INC-2026-005  P1  triggered"
expect "OVERDUE to respond"
expect "L2 Tech lead @tech-lead"
# the big digits of -07:00, scaled to the screen
expect "████████████    ████████████            ████████████    ████████████"
golden wallboard-120x40
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
# it cycles through the views by itself
expect "Open incidents: 4" 40
expect "Incidents: 4 open, 5 in all" 40
expect "Alerts: 9" 40
expect "OVERDUE to respond" 40
keys q
expect_exit 0
finish

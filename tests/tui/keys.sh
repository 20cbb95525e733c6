# SPDX-License-Identifier: MIT
# keys.sh: keys that cannot hurt (issue 12), at 80x24: one meaning per key, q goes where the
# footer says, and --readonly / --wallboard refuse keys with a reason, never offering them.
. "$SRCDIR/tests/tui/tmux.sh"

start 80 24 -- --demo
expect "Open incidents: 4"
keys 2
expect "Alerts: 9"
# s is the incident's status key: in the alerts view it does nothing (it was silence here)
keys s /
expect "Filter (matchers"
expect_not "Silence" "Filter (matchers"
keys Escape
# i on an alert without an incident: the incident opens over the incidents list, so q goes
# there (not back to the alerts, where the next keys would act on alerts)
keys Home i
expect "INC-2026-006 P1 triggered"
expect "q back to incidents"
keys q
expect "Incidents: 5 open"
expect "q back to dashboard"
# close asks y/n like resolve: any other key (n here) cancels
keys Enter
expect "q back to incidents"
keys R
expect "Resolution"
keys Enter
expect "y to do it, any other key cancels"
keys y
expect "resolved"
keys C
expect "? y to do it, any other key cancels"
keys n
expect "cancelled (nothing done)"
expect_not " closed" "cancelled (nothing done)"
keys : q Enter
expect_exit 0

# --readonly: the footer offers no key it would refuse; a refused key says why
start 80 24 -- --demo --readonly
expect "READ-ONLY"
keys 3
expect "Enter open"
expect_not "a ack" "Enter open"
keys Enter
expect "q back to incidents"
expect_not "R resolve" "q back to incidents"
keys a
expect "a (acknowledge) refused: read-only console (--readonly)"
keys 2
expect "r runbook"
expect_not "z silence" "r runbook"
expect_not "i incident" "r runbook"
keys z
expect "z (silence) refused: read-only console (--readonly)"
keys : q Enter
expect_exit 0

# --wallboard: it answers q, ? and g; anything else says why, once, in the footer
start 80 24 -- --demo --wallboard
expect "WALLBOARD"
# a wall screen lists no keys (nobody at the back of the room acts); a refused key says why
expect "wall screen: wallboard, views change every"
expect_not ": command" "wall screen: wallboard"
keys j
expect "j (down) refused: wallboard: q quits, ? help, g refreshes"
keys x
expect "x does nothing: wallboard: q quits, ? help, g refreshes"
keys q
expect_exit 0
finish

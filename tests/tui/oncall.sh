# SPDX-License-Identifier: MIT
# oncall.sh: who is on call in the console: the dashboard header at 80x24, an override from
# the store, and the escalation ladder of an incident naming the person of a rotation level.
. "$SRCDIR/tests/tui/tmux.sh"

cp "$SRCDIR/tests/fixtures/tui/oncall.conf" "$T/oc.conf"

"$SITREP" --config "$T/oc.conf" --store "$T/s.db" incident new --sev P1 --title "Payments down" \
	>/dev/null 2>"$T/err" || fail "incident new: $(cat "$T/err")"
start 80 24 -- --config "$T/oc.conf" --store "$T/s.db"
expect "on call: alice until Mon 09:00 CET"
# the ladder of the incident: whoever is on call at each level that follows a rotation
keys Enter
expect "Payments down"
expect "alice (on call in primary)"
expect "(on call in secondary)"
keys q
expect "on call: alice until Mon 09:00 CET"
keys q
expect_exit 0

# an override kept in the store wins, and says so
"$SITREP" --config "$T/oc.conf" --store "$T/s.db" oncall override primary --who dave \
	--from 2026-11-23T00:00:00Z --until 2026-11-23T06:00:00Z >/dev/null 2>"$T/err" ||
	fail "oncall override: $(cat "$T/err")"
start 80 24 -- --config "$T/oc.conf" --store "$T/s.db"
expect "on call: dave (override) until Mon 07:00 CET"
keys Enter
expect "dave (on call in primary)"
keys q q
expect_exit 0

# without rotations the header says nothing about on-call (the contacts stay in the ladder)
start 80 24 -- --demo --store "$T/plain.db"
expect "Open incidents: 4"
expect_not "on call:" "Open incidents: 4"
keys q
expect_exit 0
finish

# SPDX-License-Identifier: MIT
# review.sh: post-mortem fields and action items from the CLI: each change a timeline event
# (chained), settable after close; action items across incidents, done, --open, --owner, --json.
. "$SRCDIR/tests/lib.sh"

command -v jq >/dev/null || { echo "jq missing"; exit 77; }
DB="$T/s.db"
S() { "$SITREP" --store "$DB" "$@"; }
export SITREP_NOW=2026-11-23T03:12:00Z

run 0 S incident new --sev P1 --title "Checkout API 5xx"
run 0 S incident new --sev P2 --title "Search slow"
run 0 S incident set INC-2026-001 summary "Checkout failed for 38 minutes"
expect_out "INC-2026-001: summary: Checkout failed for 38 minutes"
run 0 S incident set INC-2026-001 trigger "cart-svc 4.2 deploy"
run 0 S incident set INC-2026-001 detection "HighErrorRate paged L1"
run 0 S incident resolve INC-2026-001 --cause "pool size 5" --resolution "rolled back"
run 0 S incident close INC-2026-001
# review fields are written after the incident is closed; the others are not
run 0 S incident set INC-2026-001 went-well "paging worked"
run 0 S incident set INC-2026-001 went_wrong "no canary"
run 0 S incident set INC-2026-001 lucky "low traffic hour"
run 0 S incident set INC-2026-001 review_at 2026-11-25T10:00:00+01:00
expect_out "review_at: 2026-11-25T09:00:00Z"
run 1 S incident set INC-2026-001 review_at "next tuesday"
expect_err "next tuesday"
run 1 S incident set INC-2026-001 impact "late"
expect_err "INC-2026-001 is closed"
run 1 S incident set INC-2026-002 mood "tired"
expect_err "unknown field \"mood\""
run 1 S incident set INC-2026-001 summary "   "
expect_err "summary must not be empty"

# action items
run 0 S incident action INC-2026-001 "Add a canary stage" --owner alice --due 2026-11-20 --kind detect
expect_out "INC-2026-001: action added (detect, owner alice, due 2026-11-20T23:59:59Z): Add a canary stage"
expect_out "action item A1"
run 0 S incident action INC-2026-001 "Raise pool size" --owner bob --due 14d
expect_out "action added (prevent, owner bob, due 2026-12-07T03:12:00Z)"
expect_out "action item A2"
run 0 S incident action INC-2026-002 "Index the search table" --owner alice --due 2026-12-24 --kind mitigate
run 2 S incident action INC-2026-002 "x" --owner alice
expect_err "usage: sitrep incident action ID TEXT"
run 2 S incident action INC-2026-002 "x" --owner alice --due soon
expect_err "bad due date \"soon\""
run 1 S incident action INC-2026-002 "x" --owner alice --due 1d --kind blame
expect_err "bad action kind \"blame\""

run 0 S action list
expect_out "A1      INC-2026-001  detect    alice        2026-11-20  OVERDUE  Add a canary stage"
expect_out "A2      INC-2026-001  prevent   bob          2026-12-07  open     Raise pool size"
run 0 S action list --owner alice --json
jq_is 'length' 2
jq_is '.[0].id' A1
jq_is '.[0].overdue' true
jq_is '.[1].incident' INC-2026-002
run 0 S action done A1
expect_out "INC-2026-001: action A1 done: Add a canary stage"
run 1 S action done A1
expect_err "action 1 of INC-2026-001 is already done"
run 1 S action done A99
expect_err "no action item A99"
run 0 S action list --open --json
jq_is '[.[].id] | join(",")' "A2,A3"
run 0 S action list --json
jq_is '.[0].done_by' "$(id -un)"
run 1 "$SITREP" --store "$DB" --readonly action done A2
expect_err "read-only mode"

# text from the store never reaches the terminal raw (owner, text)
ESC=$(printf '\033')
run 0 S incident action INC-2026-002 "wipe ${ESC}[2J screen" --owner "ev${ESC}]0;tI${ESC}\\l" --due 1d
run 0 S action list
never "$T/out" "$ESC" "an escape byte from an action item"

# every change above is on the timeline, and the chain holds
run 0 S incident show INC-2026-001 --json
jq_is '[.events[] | select(.kind == "field")] | length' 9
jq_is '[.events[] | select(.kind == "action")] | length' 3
run 0 S incident verify --all

finish

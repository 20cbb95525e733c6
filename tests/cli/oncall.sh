# SPDX-License-Identifier: MIT
# oncall.sh: `sitrep oncall` end to end: rotations across DST, --at, --json, hostile names.
. "$SRCDIR/tests/lib.sh"

command -v jq >/dev/null || { echo "jq missing"; exit 77; }
CONF="$T/sitrep.conf"
cat >"$CONF" <<'CONF'
[rotation primary]
members = alice, bob, carol
handoff = mon 09:00
timezone = Europe/Berlin
start = 2026-01-05

[rotation secondary]
members = dave, erin
length = 1d
handoff = 08:00
timezone = America/New_York
CONF
S() { "$SITREP" --config "$CONF" --store "$T/s.db" "$@"; }
export SITREP_NOW=2026-12-02T01:00:00Z

# --- now (from SITREP_NOW): text in each rotation's local time ---
run 0 S oncall
expect_out "primary: carol  since Mon 2026-11-30 09:00 CET  until Mon 2026-12-07 09:00 CET  next alice"
expect_out "secondary: dave  since Tue 2026-12-01 08:00 EST  until Wed 2026-12-02 08:00 EST  next erin"

# --- --at exactly at the Berlin spring handoff (09:00 CEST = 07:00Z) ---
run 0 S oncall --json --at 2026-03-30T07:00:00Z
jq_is '.rotations[0].who' alice
jq_is '.rotations[0].since' 2026-03-30T07:00:00Z
jq_is '.rotations[0].until' 2026-04-06T07:00:00Z
jq_is '.rotations[0].next' bob
jq_is '.rotations[0].override' false
run 0 S oncall --json --at 2026-03-30T06:59:59Z
jq_is '.rotations[0].who' carol
jq_is '.rotations[0].since' 2026-03-23T08:00:00Z
# New York autumn: the 25-hour day
run 0 S oncall --json --at 2026-11-01T12:59:59Z
jq_is '.rotations[1].since' 2026-10-31T12:00:00Z
jq_is '.rotations[1].until' 2026-11-01T13:00:00Z

# --- errors ---
run 2 S oncall --at yesterday
expect_err "yesterday"
cat >"$T/bad.conf" <<'CONF'
[rotation primary]
members = alice
timezone = Mars/Olympus
CONF
run 2 "$SITREP" --config "$T/bad.conf" oncall
expect_err "bad.conf:3: unknown timezone \"Mars/Olympus\""
: >"$T/empty.conf"
run 1 "$SITREP" --config "$T/empty.conf" oncall
expect_err "no rotations configured"

# --- hostile member names never reach the terminal raw ---
printf '[rotation evil]\nmembers = \342\200\256mallory, x\n' >"$T/evil.conf"
run 0 "$SITREP" --config "$T/evil.conf" oncall
never "$T/out" "$(printf '\342\200\256')" "a bidi override"
run 0 "$SITREP" --config "$T/evil.conf" oncall --json
never "$T/out" "$(printf '\342\200\256')" "a bidi override in JSON"

finish

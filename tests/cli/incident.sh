# SPDX-License-Identifier: MIT
# incident.sh: the incident CLI end to end: output, exit codes, --json (parsed by jq).
. "$SRCDIR/tests/lib.sh"

command -v jq >/dev/null || { echo "jq missing"; exit 77; }
DB="$T/s.db"
S() { "$SITREP" --store "$DB" "$@"; }
export SITREP_NOW=2026-11-23T03:12:00Z

# --- creating and listing ---
run 0 S incident new --sev P1 --title "Checkout API 5xx" --service checkout --impact "payments fail"
expect_out "INC-2026-001: created P1: Checkout API 5xx (service checkout)"
run 0 S incident new --sev p3 --title "Backup failed"
expect_out "INC-2026-002"
run 0 S incident list
expect_out "ID           SEV STATUS        LVL AGE     RESPOND         RESOLVE         NEXT UPDATE     TITLE"
expect_out "INC-2026-001 P1  triggered     L1  0s      15m00s          1h00m           15m00s          Checkout API 5xx"

SITREP_NOW=2026-11-23T03:16:12Z run 0 S incident list
expect_out "INC-2026-001 P1  triggered     L1  4m12s   10m48s          55m48s          10m48s          Checkout API 5xx"
SITREP_NOW=2026-11-23T03:30:00Z run 0 S incident list
expect_out "INC-2026-001 P1  triggered     L2  18m00s  -3m00s          42m00s          -3m00s          Checkout API 5xx"
# the level shown is sr_incident_level_now (due, not yet recorded by a tick) in every form
SITREP_NOW=2026-11-23T03:30:00Z run 0 S incident show INC-2026-001 --json
jq_is '.level' L2
jq_is '.level_name' "Tech lead"
SITREP_NOW=2026-11-23T03:30:00Z run 0 S incident show INC-2026-001
expect_out "triggered  L2 Tech lead"

# --- json ---
run 0 S incident list --json
jq_is 'length' 2
jq_is '.[1].id' INC-2026-001
jq_is '.[1].severity' P1
jq_is '.[1].timers.respond.left_seconds' 900
jq_is '.[1].timers.respond.breached' false
jq_is '.[1].level' L1

# --- working the incident ---
export SITREP_NOW=2026-11-23T03:16:00Z
run 0 S incident ack INC-2026-001
expect_out "INC-2026-001: acknowledged by"
run 1 S incident ack INC-2026-001
expect_err "INC-2026-001 is already acknowledged"
run 0 S incident status INC-2026-001 investigating
expect_out "status acknowledged -> investigating"
run 1 S incident status INC-2026-001 fixed
expect_err "bad status \"fixed\""
run 0 S incident assign INC-2026-001 commander alice
run 0 S incident note INC-2026-001 rolled back checkout v1.42
expect_out "rolled back checkout v1.42"
run 0 S incident sev INC-2026-001 P2
expect_out "severity P1 -> P2"
run 1 S incident sev INC-2026-001 P7
expect_err "bad severity \"P7\""
run 0 S incident escalate INC-2026-001
expect_out "escalated L1 -> L2 (Tech lead, @tech-lead)"
run 0 S incident link INC-2026-001 a3f9c27e41d0b8e5 --what 'HighErrorRate'
run 0 S incident update-sent INC-2026-001 --channel '#inc-checkout'
run 1 S incident close INC-2026-001
expect_err "resolve it before closing"
SITREP_NOW=2026-11-23T03:50:00Z run 0 S incident resolve INC-2026-001 --cause "bad deploy" --resolution "rolled back"
run 1 S incident resolve INC-2026-001
expect_err "INC-2026-001 is resolved"
SITREP_NOW=2026-11-23T05:00:00Z run 0 S incident close INC-2026-001
run 1 S incident resolve INC-2026-001
expect_err "INC-2026-001 is closed"

SITREP_NOW=2026-11-23T05:00:00Z run 0 S incident show INC-2026-001 --json
jq_is '.status' closed
jq_is '.severity' P2
jq_is '.roles.commander' alice
jq_is '.root_cause' "bad deploy"
jq_is '.alerts[0]' a3f9c27e41d0b8e5
jq_is '.timers.respond.breached' false
jq_is '.timers.resolve.left_seconds' 12120
jq_is '[.events[].kind] | join(",")' \
	"created,acknowledged,status,role,note,severity,escalated,alert_linked,update_sent,field,field,resolved,closed"
events_before=$(jq '.events | length' "$T/out")

run 0 S incident show INC-2026-001
expect_out "Timeline:"
expect_out "Root cause:   bad deploy"

# --- nothing written on failure ---
run 1 S incident status INC-2026-001 investigating
run 1 S incident escalate INC-2026-001
run 0 S incident show INC-2026-001 --json
jq_is '.events | length' "$events_before"

run 0 S incident list
expect_no_out "INC-2026-001"
run 0 S incident list --all
expect_out "INC-2026-001"

# --- unknown ids, usage errors ---
run 1 S incident show INC-2026-999
expect_err "no incident INC-2026-999"
run 2 S incident new --title "no severity"
expect_err "--sev is required"
run 2 S incident new --sev P1
run 2 S incident new --sev P9 --title x
expect_err "bad severity"
run 2 S incident frobnicate
expect_err "unknown command \"frobnicate\""
run 2 S incident ack
run 2 S incident list --bogus
expect_err "unknown option \"--bogus\""
run 2 S nosuchcommand
run 0 S --version
expect_out "sitrep 0.1.0"
run 0 S --help
expect_out "incident"
# global options: one table parses them and writes --help
expect_out "  --wallboard-cycle N seconds per view on the wallboard (default 15)"
run 0 "$SITREP" -V
expect_out "sitrep 0.1.0"
run 0 "$SITREP" --store="$DB" --readonly incident list
expect_out "INC-2026-002"
run 2 "$SITREP" --store
expect_err "option --store needs a value"
run 2 "$SITREP" --wallboard-cycle=0
expect_err "--wallboard-cycle needs seconds (1..3600)"
run 2 "$SITREP" --readonly=yes
expect_err "unknown option \"--readonly=yes\""
run 0 S incident --help
expect_out "update-sent"
run 0 S incident resolve --help
expect_out "usage: sitrep incident resolve ID [--cause TEXT] [--resolution TEXT]"
run 2 env SITREP_NOW=tomorrow "$SITREP" --store "$DB" incident list
expect_err "SITREP_NOW"

# --- read-only ---
run 1 S --readonly incident ack INC-2026-002
run 1 "$SITREP" --readonly --store "$DB" incident ack INC-2026-002
expect_err "read-only"
run 0 "$SITREP" --readonly --store "$DB" incident list

# --- automatic escalation: exactly once, also with two processes ticking at once ---
export SITREP_NOW=2026-11-23T04:00:00Z
i=0
while [ $i -lt 20 ]; do
	S incident new --sev P1 --title "burst $i" >/dev/null || fail "create burst $i"
	i=$((i + 1))
done
export SITREP_NOW=2026-11-23T04:16:00Z
S incident tick >"$T/tick1" 2>&1 &
p1=$!
S incident tick >"$T/tick2" 2>&1 &
p2=$!
wait $p1 || fail "tick 1 failed: $(cat "$T/tick1")"
wait $p2 || fail "tick 2 failed: $(cat "$T/tick2")"
n=$(cat "$T/tick1" "$T/tick2" | grep -c "escalated L1 -> L2")
[ "$n" = 20 ] && pass || fail "20 escalations expected from two concurrent ticks, got $n"
run 0 S incident tick
[ -s "$T/out" ] && fail "second tick escalated again: $(cat "$T/out")" || pass
run 0 S incident show INC-2026-003 --json
jq_is '[.events[] | select(.kind == "escalated")] | length' 1
jq_is '.level' L2
jq_is '.events[1].at' 2026-11-23T04:15:00Z
# an action after a long gap first records the escalations that fell due, in order
SITREP_NOW=2026-11-23T05:30:00Z run 0 S incident ack INC-2026-004
expect_out "INC-2026-004: escalated L2 -> L3"
expect_out "INC-2026-004: escalated L3 -> L4"
expect_out "acknowledged by"

# --- hostile text never reaches the terminal raw ---
export SITREP_NOW=2026-11-23T06:00:00Z
evil=$(printf 'pwn \033]52;c;ZXZpbA==\007 \033[2J\342\200\256 \302\233 end')
run 0 S incident new --sev P3 --title "$evil"
run 0 S incident list
if LC_ALL=C grep -q "$(printf '\033')" "$T/out"; then fail "ESC reached stdout"; else pass; fi
if grep -q "$(printf '\342\200\256')" "$T/out"; then fail "bidi override reached stdout"; else pass; fi
if grep -q "$(printf '\302\233')" "$T/out"; then fail "C1 CSI reached stdout"; else pass; fi
run 0 S incident list --json
jq_is '.[0].title | test("\u001b")' true
if LC_ALL=C grep -q "$(printf '\033')" "$T/out"; then fail "raw ESC in --json"; else pass; fi

# --- more than 999 incidents in a year: the id column grows with the ids ---
if command -v sqlite3 >/dev/null; then
	BIG="$T/big.db"
	B() { "$SITREP" --store "$BIG" "$@"; }
	run 0 B incident new --sev P2 --title "first of the year"
	# 996 incidents later (the numbering is what the store hands out next)
	sqlite3 "$BIG" "UPDATE id_seq SET next = 998"
	for i in 1 2 3 4 5; do
		run 0 B incident new --sev P3 --title "number $i"
	done
	sqlite3 "$BIG" "UPDATE id_seq SET next = 1099"
	run 0 B incident new --sev P3 --title "late in the year"
	expect_out "INC-2026-1099:"
	run 0 B incident list
	expect_out "INC-2026-1000 "
	expect_out "INC-2026-1099 "
	# every row: the whole id, at least one space, then the severity, columns lined up
	rows=$(grep -c '^INC-2026-[0-9]* \{1,\}P[1-4]  ' "$T/out")
	[ "$rows" -eq 7 ] && pass || { fail "id column: $rows of 7 rows well formed"; cat "$T/out" >&2; }
	sevcol=$(grep '^INC-' "$T/out" | awk '{ print index($0, " P") }' | sort -u | wc -l)
	[ "$sevcol" -eq 1 ] && pass || { fail "SEV column not aligned"; cat "$T/out" >&2; }
	head -1 "$T/out" | grep -q '^ID  *SEV' && [ "$(head -1 "$T/out" | awk '{ print index($0, "SEV") }')" -eq \
		"$(grep '^INC-' "$T/out" | head -1 | awk '{ print index($0, " P") + 1 }')" ] && pass ||
		fail "header not over its column"
else
	echo "sqlite3 missing: 1000+ incidents skipped"
fi

# --- the clock going backwards: never an event before the last one, ages with their sign ---
CB="$T/clock.db"
C() { "$SITREP" --store "$CB" "$@"; }
SITREP_NOW=2026-05-01T12:00:00Z run 0 C incident new --sev P2 --title "clock"
SITREP_NOW=2026-05-01T11:00:00Z run 0 C incident ack INC-2026-001
expect_out "clock here is 1h00m behind"
SITREP_NOW=2026-05-01T10:00:00Z run 0 C incident note INC-2026-001 "from the past"
SITREP_NOW=2026-04-30T09:00:00Z run 0 C incident resolve INC-2026-001
SITREP_NOW=2026-04-30T09:00:00Z run 0 C incident close INC-2026-001
SITREP_NOW=2026-04-30T09:00:00Z run 0 C incident show INC-2026-001 --json
# every event at or after the one before it, and acknowledged/resolved/closed not before created
jq_is '[.events[].at] as $a | [range(1; $a | length) | select($a[.] < $a[. - 1])] | length' 0
jq_is '.acknowledged_at >= .created_at and .resolved_at >= .acknowledged_at and .closed_at >= .resolved_at' true
jq_is '[.events[] | select(.actor == "sitrep" and (.detail | test("behind")))] | length' 4
SITREP_NOW=2026-05-01T11:00:00Z run 0 C incident new --sev P3 --title "later"
SITREP_NOW=2026-05-01T10:30:00Z run 0 C incident list
# the AGE of an incident created "in the future" is shown negative, never as a plain age
grep -q "^INC-2026-002 .* -30m00s 4h30m " "$T/out" && pass || { fail "negative age without its sign"; cat "$T/out" >&2; }

# --- de-escalation: one level down, recorded; refused at L1 and once resolved ---
D() { "$SITREP" --store "$T/de.db" "$@"; }
SITREP_NOW=2026-11-23T03:12:00Z run 0 D incident new --sev P3 --title "Queue lag"
SITREP_NOW=2026-11-23T03:13:00Z run 1 D incident deescalate INC-2026-001
expect_err "INC-2026-001 is already at L1: cannot de-escalate"
SITREP_NOW=2026-11-23T03:13:00Z run 0 D incident escalate INC-2026-001
SITREP_NOW=2026-11-23T03:14:00Z run 0 D incident escalate INC-2026-001
SITREP_NOW=2026-11-23T03:15:00Z run 0 D incident deescalate INC-2026-001
expect_out "INC-2026-001: de-escalated L3 -> L2 (Tech lead, @tech-lead)"
run 0 D incident show INC-2026-001 --json
jq_is '.level' L2
jq_is '[.events[] | select(.kind == "deescalated")] | length' 1
SITREP_NOW=2026-11-23T03:16:00Z run 0 D incident resolve INC-2026-001
SITREP_NOW=2026-11-23T03:17:00Z run 1 D incident deescalate INC-2026-001
expect_err "INC-2026-001 is resolved: cannot de-escalate"
run 0 D incident show INC-2026-001 --json
jq_is '.level' L2

# --- store errors ---
run 1 "$SITREP" --store /proc/nonexistent/dir/s.db incident list
expect_err "/proc/nonexistent/dir"

finish

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

# --- overrides, kept in the store: inside a shift, across a handoff ---
run 0 S oncall override primary --who dave --from 2026-12-02T08:00:00Z --until 2026-12-02T20:00:00Z
expect_out "override 1: dave covers primary from Wed 2026-12-02 09:00 CET until Wed 2026-12-02 21:00 CET"
run 0 S oncall --json --at 2026-12-02T12:00:00Z
jq_is '.rotations[0].who' dave
jq_is '.rotations[0].override' true
jq_is '.rotations[0].since' 2026-12-02T08:00:00Z
jq_is '.rotations[0].until' 2026-12-02T20:00:00Z
jq_is '.rotations[0].next' carol
jq_is '.rotations[1].who' dave
jq_is '.rotations[1].override' false
run 0 S oncall --at 2026-12-02T12:00:00Z
expect_out "primary: dave (override)  since Wed 2026-12-02 09:00 CET  until Wed 2026-12-02 21:00 CET  next carol"
# carol before it: her stretch ends where dave's begins
run 0 S oncall --json --at 2026-12-01T12:00:00Z
jq_is '.rotations[0].who' carol
jq_is '.rotations[0].until' 2026-12-02T08:00:00Z
jq_is '.rotations[0].next' dave
# across the Monday handoff carol -> alice: erin from Sunday noon to Tuesday noon
run 0 S oncall override PRIMARY --who erin --from 2026-12-06T11:00:00Z --until 2026-12-08T11:00:00Z
run 0 S oncall --json --at 2026-12-07T08:00:00Z
jq_is '.rotations[0].who' erin
jq_is '.rotations[0].next' alice
run 0 S oncall --json --at 2026-12-08T11:00:00Z
jq_is '.rotations[0].who' alice
jq_is '.rotations[0].since' 2026-12-08T11:00:00Z
jq_is '.rotations[0].until' 2026-12-14T08:00:00Z
# erin's override starts 71 h after this, outside the overrides read first (36 h each way):
# it still ends carol's stretch and is next, as the answer from every override says
run 0 S oncall --json --at 2026-12-03T12:00:00Z
jq_is '.rotations[0].who' carol
jq_is '.rotations[0].since' 2026-12-02T20:00:00Z
jq_is '.rotations[0].until' 2026-12-06T11:00:00Z
jq_is '.rotations[0].next' erin
jq_is '.rotations[0].next_until' 2026-12-08T11:00:00Z
# list (current and future), JSON, remove
run 0 S oncall override list
expect_out "1    primary: dave  from Wed 2026-12-02 09:00 CET  until Wed 2026-12-02 21:00 CET"
expect_out "2    primary: erin"
run 0 S oncall override list secondary
expect_out "no overrides"
run 0 S oncall override list --json
jq_is 'length' 2
jq_is '.[1].who' erin
jq_is '.[1].from' 2026-12-06T11:00:00Z
run 0 S oncall override remove 1
expect_out "override 1 removed"
run 1 S oncall override remove 1
expect_err "no override 1"
run 0 S oncall --json --at 2026-12-02T12:00:00Z
jq_is '.rotations[0].who' carol
jq_is '.rotations[0].override' false
# past ones are listed only with --all
SITREP_NOW=2026-12-20T00:00:00Z run 0 S oncall override list --json
jq_is 'length' 0
SITREP_NOW=2026-12-20T00:00:00Z run 0 S oncall override list --all --json
jq_is 'length' 1
# refused: unknown rotation (with a suggestion), until before from, read-only
run 2 S oncall override primery --who x --from 2026-12-02T08:00:00Z --until 2026-12-02T09:00:00Z
expect_err 'no rotation "primery" (did you mean "primary"?)'
run 2 S oncall override primary --who x --from 2026-12-02T08:00:00Z --until 2026-12-02T08:00:00Z
expect_err "--until must be after --from"
run 2 S oncall override primary --who x
expect_err "override needs ROTATION, --who, --from and --until"
run 1 S --readonly oncall override primary --who x --from 2026-12-02T08:00:00Z --until 2026-12-02T09:00:00Z
expect_err "read-only mode"
# a hostile name from the store never reaches the terminal raw
run 0 S oncall override primary --who "$(printf 'm\033]0;pwn\007\342\200\256x')" --from 2026-12-03T08:00:00Z --until 2026-12-03T09:00:00Z
never "$T/out" "$(printf '\033')" "an escape from --who"
run 0 S oncall --at 2026-12-03T08:30:00Z
never "$T/out" "$(printf '\033')" "an escape from a stored override"
never "$T/out" "$(printf '\342\200\256')" "a bidi override from a stored override"
run 0 S oncall override list
never "$T/out" "$(printf '\033')" "an escape in the override list"

# --- iCalendar: export, then follow the exported file as a rotation: the same shifts ---
run 0 S oncall override primary --who frank --from 2026-12-09T10:00:00Z --until 2026-12-10T10:00:00Z
run 0 S oncall ics primary --from 2026-12-01T00:00:00Z --until 2026-12-29T00:00:00Z
cp "$T/out" "$T/primary.ics"
expect_out "UID:primary-20261130T080000Z@sitrep"
expect_out "SUMMARY:frank"
if LC_ALL=C grep -v "$(printf '\r')\$" "$T/primary.ics" | grep -q .; then
	fail "a line without CRLF in the export"
else pass; fi
# the same export again: byte for byte (stable UIDs, DTSTAMP from the clock)
run 0 S oncall ics primary --from 2026-12-01T00:00:00Z --until 2026-12-29T00:00:00Z
if cmp -s "$T/out" "$T/primary.ics"; then pass; else fail "a second export differs"; fi
{ sed -n '1,6p' "$CONF"; cat <<CONF; } >"$T/ical.conf"
[rotation mirror]
ical = $T/primary.ics
timezone = Europe/Berlin
CONF
for at in 2026-12-02T12:00:00Z 2026-12-07T08:00:00Z 2026-12-09T10:00:00Z 2026-12-09T12:00:00Z \
	2026-12-10T10:00:00Z 2026-12-21T07:59:59Z; do
	run 0 "$SITREP" --config "$T/ical.conf" --store "$T/s.db" oncall --json --at "$at"
	jq_is "[.rotations[0].who, .rotations[0].since, .rotations[0].until] == [.rotations[1].who, .rotations[1].since, .rotations[1].until]" true
done
jq_is '.rotations[1].who' bob
# a malformed calendar: a clear error with its line
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261201T000000Z\r\nnot a property\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$T/primary.ics"
run 1 "$SITREP" --config "$T/ical.conf" --store "$T/s.db" oncall
expect_err "primary.ics:5: not an iCalendar line (expected NAME:VALUE)"
expect_out "primary: "
rm "$T/primary.ics"
run 1 "$SITREP" --config "$T/ical.conf" --store "$T/s.db" oncall
expect_err "rotation mirror:"

# --- ical_url: fetched over HTTP (127.0.0.1, a free port); the last good copy when it fails ---
mkdir -p "$T/web"
S oncall ics primary --from 2026-12-01T00:00:00Z --until 2026-12-29T00:00:00Z >"$T/web/cal.ics"
# a static file server that stops by itself after 60 s
python3 -c '
import http.server, os, socketserver, sys, time
os.chdir(sys.argv[1])
class Q(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
s = socketserver.TCPServer(("127.0.0.1", 0), Q)
s.timeout = 1
open(sys.argv[2] + ".tmp", "w").write(str(s.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
end = time.time() + 60
while time.time() < end:
    s.handle_request()
' "$T/web" "$T/port" &
served $! "$T/port"
{ sed -n '1,6p' "$CONF"; printf '[rotation web]\nical_url = http://127.0.0.1:%s/cal.ics\n' "$port"; } >"$T/url.conf"
U() { "$SITREP" --config "$T/url.conf" --store "$T/url.db" "$@"; }
run 0 U oncall --json --at 2026-12-09T12:00:00Z
jq_is '.rotations[1].who' frank
jq_is '.rotations[1].stale' false
jq_is '.rotations[1].since' 2026-12-09T10:00:00Z
jq_is '.rotations[1].until' 2026-12-10T10:00:00Z
# the server answers 404 now: the kept copy answers, marked stale
mv "$T/web/cal.ics" "$T/web/gone.ics"
run 0 U oncall --json --at 2026-12-09T12:00:00Z
jq_is '.rotations[1].who' frank
jq_is '.rotations[1].stale' true
expect_err "rotation web: calendar URL failed (HTTP status 404): showing the copy fetched at"
run 0 U oncall --at 2026-12-09T12:00:00Z
expect_out "(stale calendar)"
# garbage at the URL is not kept: the good copy stays
printf '<html>oops</html>\n' >"$T/web/cal.ics"
run 0 U oncall --json --at 2026-12-09T12:00:00Z
jq_is '.rotations[1].stale' true
expect_err "the fetched calendar:1: not an iCalendar line"
# no copy yet and no answer: a clear failure
run 1 "$SITREP" --config "$T/url.conf" --store "$T/url2.db" oncall --at 2026-12-09T12:00:00Z
expect_err "rotation web: calendar URL failed"
expect_err "no copy was kept yet"

# --- escalation levels that name a rotation record who was on call then ---
{ cat "$CONF"; cat <<'CONF'; } >"$T/esc.conf"

[escalation]
L2 = rotation:secondary
L3 = rotation:primary
P1_L2 = 10m
P1_L3 = 30m
CONF
E() { "$SITREP" --config "$T/esc.conf" --store "$T/esc.db" "$@"; }
# Wed 2026-12-02 14:00Z: secondary is erin (NY day from 13:00Z), primary carol; frank covers
# primary from 14:20Z
SITREP_NOW=2026-12-02T14:00:00Z run 0 E incident new --sev P1 --title "Checkout down"
SITREP_NOW=2026-12-02T14:00:00Z run 0 E oncall override primary --who frank --from 2026-12-02T14:20:00Z --until 2026-12-02T18:00:00Z
SITREP_NOW=2026-12-02T15:00:00Z run 0 E incident tick
SITREP_NOW=2026-12-02T15:00:00Z run 0 E incident show INC-2026-001 --json
jq_is '[.events[] | select(.kind == "escalated") | .detail] | .[0]' "escalated L1 -> L2 (Tech lead, erin (on call in secondary)): unacknowledged for 10m00s"
jq_is '[.events[] | select(.kind == "escalated") | .detail] | .[1]' "escalated L2 -> L3 (Engineering manager, frank (on call in primary)): unacknowledged for 30m00s"
jq_is '[.events[] | select(.kind == "escalated") | .at] | .[1]' 2026-12-02T14:30:00Z
SITREP_NOW=2026-12-02T15:00:00Z run 0 E incident deescalate INC-2026-001
SITREP_NOW=2026-12-02T15:00:00Z run 0 E incident show INC-2026-001 --json
jq_is '[.events[] | select(.kind == "deescalated") | .detail] | .[0]' "de-escalated L4 -> L3 (Engineering manager, frank (on call in primary))"
cat >"$T/badesc.conf" <<'CONF'
[escalation]
L1 = rotation:nosuch
CONF
run 2 "$SITREP" --config "$T/badesc.conf" oncall
expect_err 'badesc.conf:2: L1 names rotation "nosuch" but there is no [rotation nosuch] section'

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

# --- libical is loaded only when a calendar is read (src/ical_lazy.h): not linked, so the
# ICU and libstdc++ it drags in cost nothing to `sitrep oncall` without iCal (issue 16 bench) ---
if command -v readelf >/dev/null; then
	readelf -d "$SITREP" >"$T/dyn" 2>&1
	grep -q NEEDED "$T/dyn" && ! grep -q 'libical\|libicu' "$T/dyn" ||
		fail "sitrep links libical or ICU: $(grep NEEDED "$T/dyn")"
	# nor libmd4c (runbook rendering dlopen()s it), nor what configure took from a static
	# archive (the default: see docs/architecture.md, "Start-up cost")
	for lib in libmd4c $(grep -o -- '-l:lib[a-z0-9]*\.a' "$BUILDDIR/Makefile" |
			     sed 's/^-l:\(lib[a-z0-9]*\)\.a$/\1/' | sort -u); do
		grep -q "NEEDED.*\[$lib\." "$T/dyn" && fail "$lib is loaded at every start" || pass
	done
fi

finish

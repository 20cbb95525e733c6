# SPDX-License-Identifier: MIT
# tell.sh: being told. Against a live (file-served) Alertmanager polled every second: what was
# there at the start is not news; a new alert's row is marked and highlighted for
# [console] highlight seconds, then not; a new incident and an escalation made by another
# process are marked in the incident table; the bell rings; the OSC 777 notification carries
# hostile label text as printable ASCII only (raw bytes through tmux pipe-pane, tmux
# passthrough on); the wallboard's header flashes for a new P1.
. "$SRCDIR/tests/tui/tmux.sh"

command -v python3 >/dev/null 2>&1 || { echo "python3 missing (the test's HTTP server)"; exit 77; }
unset SITREP_NOW	# the clock runs: polls and highlights are real here

mkdir -p "$T/www/api/v2"
old_alert='{"annotations":{"summary":"was there at the start"},"endsAt":"2099-01-01T00:00:00Z",
  "fingerprint":"00112233aabbccdd","receivers":[{"name":"oncall"}],
  "startsAt":"2026-11-23T03:00:00Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},
  "updatedAt":"2026-11-23T03:00:00Z","generatorURL":"",
  "labels":{"alertname":"OldAlert","severity":"warning","service":"old"}}'
# ESC ] 0 ; ... BEL, CSI, a C1 CSI (U+009B), a bidi override (U+202E), a ';' field separator
new_alert='{"annotations":{"summary":"boom \u001b]0;pwned\u0007 \u009b31m \u202egnp.exe; done"},
  "endsAt":"2099-01-01T00:00:00Z","fingerprint":"99112233aabbccdd","receivers":[{"name":"oncall"}],
  "startsAt":"2026-11-23T03:00:00Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},
  "updatedAt":"2026-11-23T03:00:00Z","generatorURL":"",
  "labels":{"alertname":"EvilNew\u001b[31m\u0007\u009b","severity":"critical","service":"evil"}}'
printf '[%s]\n' "$old_alert" >"$T/www/api/v2/alerts"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/www" >"$T/http.log" 2>&1 &
srv=$!
trap 'kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; cleanup_tmux' EXIT
n=50
while ! grep -q "Serving HTTP" "$T/http.log" 2>/dev/null && [ "$n" -gt 0 ]; do
	sleep 0.1
	n=$((n - 1))
done

cat >"$T/c.conf" <<EOF2
[feeds]
alerts_interval = 1s
[alertmanager main]
url = http://127.0.0.1:$port
[console]
highlight = 6s
bell = yes
notify = osc777
EOF2
S() { "$SITREP" --config "$T/c.conf" --store "$T/s.db" "$@" >/dev/null 2>"$T/err" || fail "$*: $(cat "$T/err")"; }
S incident new --sev P2 --title "Already open at the start"

start 120 40 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- --config "$T/c.conf" --store "$T/s.db"
TM set-option -g allow-passthrough on >/dev/null 2>&1
TM pipe-pane -O -t 0 "cat >>'$T/raw'"
expect "am ok"
keys 2
expect "OldAlert"
sleep 2.5	# a few polls: the same alerts again are not news
capture
if grep -qF "+  warning" "$T/screen"; then fail "what was there at the start is marked"; else pass; fi
if grep -aq "777;notify" "$T/raw" 2>/dev/null; then fail "a notification for what was there"; else pass; fi
keys 3
expect "Already open at the start"
if grep -qF "new Already open" "$T/screen"; then fail "an incident open at the start is news"; else pass; fi

# a new critical alert with hostile labels
keys 2
printf '[%s,%s]\n' "$old_alert" "$new_alert" >"$T/www/api/v2/alerts"
expect "+  critical  evil"
# the old one is not marked (on the very screen that shows the new one marked)
if grep -qF "+  warning" "$T/screen"; then fail "the old alert is marked as news"; else pass; fi
# after the highlight time (6 s) the mark is gone
n=150
while grep -qF "+  critical" "$T/screen" && [ "$n" -gt 0 ]; do sleep 0.1; capture; n=$((n - 1)); done
if grep -qF "+  critical" "$T/screen"; then fail "the highlight never ends"; else pass; fi

# the notification's bytes: OSC 777 inside tmux's passthrough, printable ASCII only
python3 - "$T/raw" <<'PY' || fail "OSC 777 payload check (see above)"
import sys
raw = open(sys.argv[1], "rb").read()
start = raw.find(b"\x1bPtmux;\x1b\x1b]777;notify;sitrep;")
if start < 0:
    print("no OSC 777 in the console's output", file=sys.stderr); sys.exit(1)
body_at = start + len(b"\x1bPtmux;\x1b\x1b]777;notify;sitrep;")
end = raw.find(b"\x07", body_at)
if end < 0 or raw[end + 1:end + 3] != b"\x1b\\":
    print("the OSC 777 is not ended by BEL and ST", file=sys.stderr); sys.exit(1)
body = raw[body_at:end]
bad = [b for b in body if b < 0x20 or b > 0x7e]
if bad:
    print("control or non-ASCII bytes in the notification: %r" % body, file=sys.stderr); sys.exit(1)
if b"EvilNew" not in body or b"boom" not in body or b"pwned" not in body:
    print("the notification lacks the alert: %r" % body, file=sys.stderr); sys.exit(1)
if b";" in body:
    print("a field separator inside the text: %r" % body, file=sys.stderr); sys.exit(1)
# nothing hostile reached the terminal anywhere else either
for evil in (b"\x1b]0;pwned", b"\xc2\x9b", b"\xe2\x80\xae", b"\x1b[31m\x07"):
    if evil in raw:
        print("hostile bytes %r reached the terminal" % evil, file=sys.stderr); sys.exit(1)
# the bell rang: a BEL besides the one that ends the OSC
if raw.count(b"\x07") < 2:
    print("no terminal bell", file=sys.stderr); sys.exit(1)
print("payload: %s" % body.decode())
PY
pass

# another process opens an incident and escalates one: marked in the table with why
keys 3
S incident new --sev P1 --title "Database down"
t_db=$(date +%s)
expect "new Database down" 120
S incident escalate INC-2026-001
expect "escalated to L2 Already open at the start" 120
keys q q
expect_exit 0

# the wallboard's header flashes for a new P1 (an alert the severity map makes P1)
printf '[%s]\n' "$old_alert" >"$T/www/api/v2/alerts"
# a P1 must be acknowledged within 10 s here (the console sees a new incident within its 5 s
# reload): the breach comes while the test watches
{ cat "$T/c.conf"; printf '[severity P1]\nrespond = 10s\n'; } >"$T/wb.conf"
# "Database down" must have breached its 10 s before the wallboard starts (a fast run gets
# here sooner): its breach is old news, never flashed
while [ $(($(date +%s) - t_db)) -lt 12 ]; do sleep 0.5; done
start 120 40 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- --config "$T/wb.conf" --store "$T/s.db" \
	--wallboard
expect "am ok"
sleep 2.5
capture
if grep -qF "!! NEW P1" "$T/screen"; then fail "a flash for what was there"; else pass; fi
printf '[%s,%s]\n' "$old_alert" "$new_alert" >"$T/www/api/v2/alerts"
expect "!! NEW P1 firing alert EvilNew" 80
# it flashes: the row's colour changes from one second to the next
for i in 1 2 3 4 5; do
	TM capture-pane -p -e -t 0 | sed -n 2p >"$T/f$i"
	sleep 0.5
done
if [ "$(cat "$T"/f[1-5] | sort -u | wc -l)" -ge 2 ]; then pass; else
	fail "the header does not flash"
fi
# a P1 opened elsewhere flashes it, and so does its breach 10 s later (the one breached
# before the start, "Database down", does not)
"$SITREP" --config "$T/wb.conf" --store "$T/s.db" incident new --sev P1 --title "Disk full" \
	>/dev/null 2>"$T/err" || fail "incident new: $(cat "$T/err")"
expect "!! NEW P1 INC-2026-003 P1: Disk full !!" 120
expect "!! BREACH INC-2026-003 P1: not acknowledged in time !!" 200
if grep -qF "BREACH INC-2026-002" "$T/screen"; then fail "a breach from before the start"; else pass; fi
keys q
expect_exit 0
finish

# SPDX-License-Identifier: MIT
# slack_exact.sh: the console's Slack view shows the exact text that goes out. For a Slack
# target the message goes as Block Kit; the view shows that payload's text (header, sections,
# fields, context) line for line, and after p and y the local receiver's payload, read back
# the same way, equals what the view showed. Also for a Mattermost target.
. "$SRCDIR/tests/tui/tmux.sh"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
DB="$T/s.db"
LOG="$T/received.jsonl"
receiver "$LOG"
export HOOK_OPS="http://127.0.0.1:$port/hook/ok/ops" HOOK_MM="http://127.0.0.1:$port/hook/ok/mm"
cat >"$T/sitrep.conf" <<CONF
[slack ops]
webhook_env = HOOK_OPS
min_interval = 0
[mattermost mm]
webhook_env = HOOK_MM
min_interval = 0
CONF
S() { "$SITREP" --config "$T/sitrep.conf" --store "$DB" "$@"; }
S incident new --sev P1 --title 'Checkout <!channel> *down*' --service checkout \
	--impact "EU users cannot pay" >/dev/null

# same PATH-PART N: the view's preview (screen rows 4.. up to the first empty one, the two
# columns of indent removed) equals the text of the Nth payload the receiver got on that path
same() {
	python3 - "$T/preview" "$LOG" "$1" "$2" <<'PY' && pass || fail "the view differs from what $1 received"
import json, sys
shown = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
bodies = [json.loads(l)["body"] for l in open(sys.argv[2]) if "/" + sys.argv[3] in l]
if len(bodies) < int(sys.argv[4]):
    print("the receiver got %d messages on %s" % (len(bodies), sys.argv[3])); sys.exit(1)
body = bodies[int(sys.argv[4]) - 1]
def text(o):
    t = o.get("text")
    if isinstance(t, dict):
        t = t.get("text")
    return [t] if isinstance(t, str) and t else []
lines = []
if body.get("blocks"):
    for b in body["blocks"]:
        lines += text(b)
        for f in b.get("fields", []) + b.get("elements", []):
            lines += text(f)
else:
    lines += text(body)
got = "\n".join(lines).rstrip("\n").split("\n")	# trailing breaks make no rows
if got != shown:
    print("view:     %r\nreceived: %r" % (shown, got)); sys.exit(1)
PY
}
preview() {
	capture
	awk 'NR >= 5 { if ($0 == "") exit; print substr($0, 3) }' "$T/screen" >"$T/preview"
}

# send_and_compare TARGET ID: p, y, the receiver gets it (10 s at most), equal to the preview
send_and_compare() {
	keys p
	expect "to $1? y to send"
	keys y
	expect "queued as message $2 to $1"
	n=100
	while ! grep -q "/hook/ok/$1" "$LOG" && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	same "$1" 1
}

start 200 50 HOOK_OPS="$HOOK_OPS" HOOK_MM="$HOOK_MM" -- --config "$T/sitrep.conf" --store "$DB"
expect "Open incidents: 1"
keys 6
expect "INCIDENT ALERT message to ops"
expect "sitrep · #INC-2026-001"
preview
send_and_compare ops 1
# the Mattermost target: its payload's text
keys c
expect "INCIDENT ALERT message to mm"
expect "#### "
preview
send_and_compare mm 2
keys q q
expect_exit 0
finish

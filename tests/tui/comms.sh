# SPDX-License-Identifier: MIT
# comms.sh: the console's Slack view against the local Slack stand-in (slack_receiver.py) at
# 80x24: pick the kind and the target, send after y (once, on the timeline, the next-update
# timer reset), a 400 shows failed and retry delivers it, a 500 is retried by itself, a
# refused message is dropped; the dashboard marks stuck messages and overdue action items.
. "$SRCDIR/tests/tui/tmux.sh"

command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
command -v jq >/dev/null || { echo "jq missing"; exit 77; }
DB="$T/s.db"
LOG="$T/received.jsonl"
: >"$LOG"
python3 "$SRCDIR/tests/cli/slack_receiver.py" "$T/port" "$LOG" xoxb-unused &
served $! "$T/port"
base="http://127.0.0.1:$port"
export HOOK_OK="$base/hook/ok/ops" HOOK_BAD="$base/hook/400once/bad" \
	HOOK_FIVE="$base/hook/500twice/five" HOOK_GONE="$base/hook/err/404/channel_not_found"
cat >"$T/sitrep.conf" <<CONF
[slack ops]
webhook_env = HOOK_OK
min_interval = 0
[slack bad]
webhook_env = HOOK_BAD
[slack five]
webhook_env = HOOK_FIVE
[slack gone]
webhook_env = HOOK_GONE
CONF
S() { SITREP_NOW=2026-11-23T03:12:00Z "$SITREP" --config "$T/sitrep.conf" --store "$DB" "$@"; }
# created 42 minutes before the console's clock: its P1 update (every 15 minutes) is overdue
SITREP_NOW=2026-11-23T02:30:00Z "$SITREP" --config "$T/sitrep.conf" --store "$DB" incident new \
	--sev P1 --title 'Checkout <!channel> down' --service checkout >/dev/null
SITREP_NOW=2026-11-23T02:30:00Z "$SITREP" --config "$T/sitrep.conf" --store "$DB" incident action \
	INC-2026-001 "Add a canary for checkout" --owner bob --due 2026-11-22 >/dev/null
received() { # PATH-PART: how many messages the receiver accepted on that path
	grep -c "\"/hook/[a-z0-9]*/$1\"" "$LOG"
}
# gone TEXT: waits (5 s at most) until the screen no longer shows TEXT (the console takes
# what the sender did on its next 1 Hz tick)
gone() {
	n=50
	while capture && grep -qF -- "$1" "$T/screen" && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	if grep -qF -- "$1" "$T/screen"; then
		fail "screen still has \"$1\""
		sed 's/^/  screen: /' "$T/screen" >&2
	else pass; fi
}
# until_received PATH-PART N: waits (10 s at most) for N messages on that path
until_received() {
	n=100
	while [ "$(received "$1")" -lt "$2" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ "$(received "$1")" -ge "$2" ]
}

start 80 24 -- --config "$T/sitrep.conf" --store "$DB"
expect "Open incidents: 1"
# overdue update: the UPDATE column's breach mark; the overdue action item is named
expect "18m00s    ✗ -27m00s Checkout"
expect "INC-2026-001: action 1 overdue by"
expect "(bob): Add a canary for checkout"

keys 6
expect "Slack preview: INC-2026-001, INCIDENT"
keys l
expect "[update]"
expect "INCIDENT UPDATE message to ops"
# the text as Slack will show it: the mention is escaped, never a live <!channel>
expect "Checkout &lt;!channel&gt; down"
keys p
expect "Send the update message of INC-2026-001 to ops? y to send"
keys y
expect "queued as message 1 to ops"
until_received ops 1 && pass || fail "the receiver never got the message"
jq -r '.text' "$LOG" | grep -q "INCIDENT UPDATE" && pass || fail "the receiver got: $(cat "$LOG")"
# delivered once: still one after the worker's next passes
sleep 1.5
[ "$(received ops)" = 1 ] && pass || fail "delivered $(received ops) times"
# on the timeline, and the next-update timer restarted (15 minutes for P1)
S incident show INC-2026-001 >"$T/show"
grep -q "update_sent.*sent to ops: .*INCIDENT UPDATE" "$T/show" && pass || fail "no update on the timeline: $(cat "$T/show")"
keys 1
expect "18m00s    15m00s    Checkout"

# a 400: failed, shown in the outbox and on the dashboard; retry delivers it
keys 6 c
expect "INCIDENT UPDATE message to bad"
keys p y
expect "failed"
expect "invalid_payload"
keys 1
expect "update message 2 to bad failed in the outbox: invalid_payload"
keys 6 T
expect "Retry message 2"
keys y
until_received bad 1 && pass || fail "retry did not deliver"
gone "invalid_payload"

# a 500: the message waits with the server's answer and is delivered by itself (backoff)
keys c
expect "INCIDENT UPDATE message to five"
keys p y
expect "HTTP 500 from five (will retry)"
until_received five 1 && pass || fail "the 500s were not retried"
gone "HTTP 500"

# a refused message (404 channel_not_found) is dropped: gone from the outbox, never delivered
keys c
expect "INCIDENT UPDATE message to gone"
keys p y
expect "channel_not_found"
keys d
expect "Drop message 4"
keys y
expect "message 4 dropped"
expect_not "channel_not_found" "message 4 dropped"
S outbox list >"$T/ob"
grep -q "nothing waiting" "$T/ob" && pass || fail "outbox after drop: $(cat "$T/ob")"
[ "$(received gone)" = 0 ] && pass || fail "a refused message arrived"

keys 1
expect_not "in the outbox" "Open incidents: 1"

# --- post-mortem parts: the statistics view, the export draft from the incident detail ---
keys '#'
expect "Statistics: incidents of the last 30 days"
expect "1 incidents, 1 open"
expect "breached: respond 1/1"
expect "open action items: 1"
expect "bob"
expect "(1 overdue)"
keys q
expect "Open incidents: 1"
keys Enter
expect "Checkout <!channel> down"
keys P
expect "post-mortem draft written to"
[ -s "$HOME/.local/share/sitrep/postmortems/INC-2026-001.md" ] && pass || fail "no draft file"
grep -q "Add a canary for checkout" "$HOME/.local/share/sitrep/postmortems/INC-2026-001.md" &&
	pass || fail "the draft lacks the action item"
# opened in the runbook view: the draft's heading, the open-incident banner, its action item
expect "INC-2026-001: Checkout <!channel> down  1/"
expect "DRAFT: This incident is still open"
keys / canary Enter
expect "Add a canary for checkout"
keys q q
expect "Open incidents: 1"
keys q
expect_exit 0
finish

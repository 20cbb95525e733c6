# SPDX-License-Identifier: MIT
# outbox.sh: `sitrep slack --send` and `sitrep outbox` against a local Slack stand-in
# (slack_receiver.py): 200, 429 with Retry-After, 500s, Slack errors, a hang, a refused
# connection, threads, one message a second per channel, Mattermost; then SIGKILL of the
# sender at random moments in 200 sends: nothing lost, nothing duplicated.
. "$SRCDIR/tests/lib.sh"

command -v jq >/dev/null || { echo "jq missing"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
DB="$T/s.db"
TOKEN=xoxb-canary-4f1d9e
export USER=dana SITREP_NOW=2026-11-23T03:12:00Z
S() { "$SITREP" --config "$T/sitrep.conf" --store "$DB" "$@"; }
# in the background as the sitrep process itself, so that $! is its pid
S_bg() { ( exec "$SITREP" --config "$T/sitrep.conf" --store "$DB" "$@" >/dev/null 2>&1 ) & }
LOG="$T/received.jsonl"
: >"$LOG"
python3 "$SRCDIR/tests/cli/slack_receiver.py" "$T/port" "$LOG" "$TOKEN" &
served $! "$T/port"
# a port nobody listens on: bind one, note it, close it
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"
printf '%s\n' "$TOKEN" >"$T/token"
printf '%s/hook/429once/rl\n' "$base" >"$T/hook_rl"
chmod 600 "$T/token" "$T/hook_rl"
export HOOK_OK="$base/hook/ok/a" HOOK_500="$base/hook/500twice/f" \
	HOOK_404="$base/hook/err/404/channel_not_found" HOOK_HANG="$base/hook/hang/h" \
	HOOK_HELD="$base/hook/hang/held" \
	HOOK_REFUSED="http://127.0.0.1:$closed/hook/ok/r" HOOK_MM="$base/hook/ok/mm" \
	HOOK_FAR="http://example.com/hook/ok/far" WRONG_TOKEN=xoxb-wrong
cat >"$T/sitrep.conf" <<CONF
[slack ok]
webhook_env = HOOK_OK
[slack rl]
webhook_file = $T/hook_rl
[slack five]
webhook_env = HOOK_500
[slack gone]
webhook_env = HOOK_404
[slack hang]
webhook_env = HOOK_HANG
timeout = 1s
[slack held]
webhook_env = HOOK_HELD
timeout = 25s
[slack refused]
webhook_env = HOOK_REFUSED
[slack far]
webhook_env = HOOK_FAR
[slack bot]
token_file = $T/token
channel = C_OK
api_url = $base/api
[slack missing]
token_file = $T/token
channel = C_MISSING
api_url = $base/api
[slack badtoken]
token_env = WRONG_TOKEN
channel = C_OK
api_url = $base/api
[slack kill]
token_file = $T/token
channel = C_KILL
api_url = $base/api
min_interval = 0
[mattermost mm]
webhook_env = HOOK_MM
CONF
chmod 600 "$T/sitrep.conf"
: >"$T/all-output"
keep() { cat "$T/out" "$T/err" >>"$T/all-output"; }

run 0 S incident new --sev P1 --title "Checkout API 5xx" --service checkout
run 0 S incident note INC-2026-001 "rolling back deploy 4711"

# --- 200: delivered, on the timeline, the next-update timer restarted ---
SITREP_NOW=2026-11-23T03:20:00Z run 0 S slack INC-2026-001 update --send --to ok
keep
expect_out "INC-2026-001: update message queued as message 1 to ok"
expect_out "message 1 to ok: delivered"
[ "$(grep -c '"/hook/ok/a"' "$LOG")" = 1 ] && pass || fail "webhook ok: not exactly one delivery"
SITREP_NOW=2026-11-23T03:20:00Z run 0 S incident show INC-2026-001 --json
jq_is '[.events[] | select(.kind == "update_sent")] | length' 1
jq_is '[.events[] | select(.kind == "update_sent")][0].detail | test("^status update sent to ok: .*INCIDENT UPDATE: Checkout API 5xx / Incident: #INC-2026-001")' true
jq_is '.timers.update.left_seconds' 900
run 0 S outbox list --all --json
jq_is '.[0].state' sent
keep

# --- 429 with Retry-After: 2, waited for ---
t0=$(date +%s)
run 0 S slack INC-2026-001 update --send --to rl --wait 10
keep
expect_out "message 2 to rl: delivered"
[ $(($(date +%s) - t0)) -ge 2 ] && pass || fail "429: Retry-After 2 was not honoured"
[ "$(grep -c '"/hook/429once/rl"' "$LOG")" = 1 ] && pass || fail "429: not exactly one delivery"

# --- 500 twice: backoff (1 s, 2 s), then delivered on the third attempt ---
run 0 S slack INC-2026-001 update --send --to five --wait 10
keep
expect_out "message 3 to five: delivered"
run 0 S outbox list --all --json
jq_is '.[] | select(.id == 3) | .attempts' 3

# --- other 4xx: given up with Slack's words; retry fails the same way; drop ---
run 1 S slack INC-2026-001 update --send --to gone
keep
expect_err "message 4 to gone failed: channel_not_found"
run 0 S outbox list
keep
expect_out "4     INC-2026-001   gone         update     failed   1 channel_not_found"
run 1 S outbox retry 4
keep
expect_err "channel_not_found"
run 0 S outbox drop 4
expect_out "message 4 dropped"
run 1 S outbox drop 1
expect_err "no undelivered message 1"

# --- a hang past the timeout and a refused connection: still pending, with the reason ---
t0=$(date +%s)
run 0 S slack INC-2026-001 update --send --to hang --wait 0
keep
expect_out "message 5 to hang: pending"
expect_out "webhook of hang"
# the receiver holds the request 30 s; the 1 s timeout must cut it well before (15 s: loaded machines)
[ $(($(date +%s) - t0)) -le 15 ] && pass || fail "hang: the timeout did not cut it"
run 0 S slack INC-2026-001 update --send --to refused --wait 0
keep
expect_out "message 6 to refused: pending"
expect_out "webhook of refused"
# http to a non-loopback host is never used for a secret URL
run 0 S slack INC-2026-001 update --send --to far --wait 0
keep
expect_out "message 7 to far: pending: far: the webhook URL must be https"
run 0 S outbox drop 5
run 0 S outbox drop 6
run 0 S outbox drop 7

# --- chat.postMessage: the first message opens the thread, the next go in it, 1/s ---
run 0 S slack INC-2026-001 alert --send --to bot
keep
expect_out "delivered"
run 0 S slack INC-2026-001 update --send --to bot
run 0 S slack INC-2026-001 exec --send --to bot
keep
jq -s '[.[] | select(.channel == "C_OK")]' "$LOG" >"$T/bot.json"
[ "$(jq 'length' "$T/bot.json")" = 3 ] && pass || fail "bot: not three messages"
[ "$(jq -r '.[0].thread_ts' "$T/bot.json")" = null ] && pass || fail "bot: the first message is not a thread root"
[ "$(jq -r '[.[1].thread_ts, .[2].thread_ts] | unique | .[0]' "$T/bot.json")" = "$(jq -r '.[0].ts' "$T/bot.json")" ] &&
	pass || fail "bot: later messages are not in the first one's thread"
[ "$(jq '[.[1].time - .[0].time, .[2].time - .[1].time] | all(. >= 0.95)' "$T/bot.json")" = true ] &&
	pass || fail "bot: more than one message a second on a channel"
[ "$(jq -r '.[0].text' "$T/bot.json")" = ":rotating_light: INCIDENT ALERT: Checkout API 5xx" ] &&
	pass || fail "bot: notification text"
run 1 S slack INC-2026-001 update --send --to missing
keep
expect_err "failed: channel_not_found"
run 1 S slack INC-2026-001 update --send --to badtoken
keep
expect_err "failed: invalid_auth"

# --- Mattermost ---
run 0 S slack INC-2026-001 update --send --to mm
keep
expect_out "delivered"
[ "$(jq -rs '[.[] | select(.path == "/hook/ok/mm")][0].text | startswith("#### \ud83d\udcca INCIDENT UPDATE")' "$LOG")" = true ] &&
	pass || fail "mattermost text"

# --- usage ---
run 2 S slack INC-2026-001 --send --to nosuch
expect_err 'no target "nosuch"'
run 2 S slack INC-2026-001 --to ok
expect_err "--to and --wait go with --send"
run 2 S outbox retry x
expect_err 'bad message ID "x"'

# --- a sender killed mid-post to a webhook: the message is "unknown", never resent alone ---
# killed only once the receiver holds its request (a fixed pause lost the race under load)
hangs=$(grep -c '"/hook/hang/held"' "$LOG")
# (target "held": same hanging receiver, a timeout long enough that the post is in flight)
S_bg slack INC-2026-001 update --send --to held --wait 5
pid=$!
i=0
while [ "$(grep -c '"/hook/hang/held"' "$LOG")" -le "$hangs" ] && [ $i -lt 200 ]; do
	sleep 0.05; i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
run 0 S outbox flush --wait 0
keep
expect_out "held         update     unknown"
expect_out "may have arrived"

echo "$(date +%s) before the SIGKILL loop"
# --- SIGKILL at random moments in 200 sends (bot target, no rate limit) ---
# the kill falls anywhere in one send's own duration, measured here (slow machines,
# sanitizer builds): before, during and after the queueing transaction and the post
t0=$(date +%s%N)
S slack INC-2026-001 update --send --to kill --wait 2 >/dev/null 2>&1
span=$(( ($(date +%s%N) - t0) / 1000000 + 1 ))
i=0
while [ $i -lt 200 ]; do
	S_bg slack INC-2026-001 update --send --to kill --wait 2
	pid=$!
	r=$(( ($(od -An -N2 -tu2 /dev/urandom) * span / 65536) ))
	sleep "$((r / 1000)).$(printf '%03d' $((r % 1000)))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	i=$((i + 1))
done
echo "$(date +%s) after the SIGKILL loop"
run 0 S outbox flush --wait 20
run 0 S outbox list --all --json
jq '[.[] | select(.target == "kill")]' "$T/out" >"$T/kill.json"
queued=$(jq length "$T/kill.json")
jq -s '[.[] | select(.channel == "C_KILL") | .sitrep_id]' "$LOG" >"$T/kill-received.json"
received=$(jq length "$T/kill-received.json")
unique=$(jq 'unique | length' "$T/kill-received.json")
sent=$(jq '[.[] | select(.state == "sent")] | length' "$T/kill.json")
echo "SIGKILL: $queued queued, $received received ($unique distinct), $sent marked sent"
[ "$received" = "$unique" ] && pass || fail "SIGKILL: a message was delivered twice"
[ "$sent" = "$queued" ] && pass || fail "SIGKILL: $((queued - sent)) messages not delivered after the flush"
[ "$received" = "$queued" ] && pass || fail "SIGKILL: received $received for $queued queued"
[ "$queued" -gt 20 ] && pass || fail "SIGKILL: only $queued messages were queued"
# every outbox id was received exactly once, in id order
[ "$(jq -r '[.[] | "INC-2026-001/\(.id)"] | join(",")' "$T/kill.json")" = "$(jq -r 'join(",")' "$T/kill-received.json")" ] &&
	pass || fail "SIGKILL: received order differs from the outbox order"

# --- no secret in any output ---
never "$T/all-output" "$TOKEN" "the bot token"
never "$T/all-output" "/hook/" "a webhook URL"
never "$T/all-output" "xoxb-wrong" "a bot token"

finish

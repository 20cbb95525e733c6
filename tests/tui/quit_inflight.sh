# SPDX-License-Identifier: MIT
# quit_inflight.sh: quitting the console while a post is in flight to a receiver that never
# answers is prompt (well under the target's 20 s timeout: the post is cut short, not waited
# for), and nothing is lost: the message is still in the outbox, undelivered, for the next
# sender (here `sitrep outbox list` shows it).
. "$SRCDIR/tests/tui/tmux.sh"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
DB="$T/s.db"
LOG="$T/received.jsonl"
receiver "$LOG"
export HOOK_HANG="http://127.0.0.1:$port/hook/hang/ops"
cat >"$T/sitrep.conf" <<CONF
[slack ops]
webhook_env = HOOK_HANG
timeout = 20s
CONF
S() { "$SITREP" --config "$T/sitrep.conf" --store "$DB" "$@"; }
S incident new --sev P1 --title "Checkout down" >/dev/null

start 100 30 HOOK_HANG="$HOOK_HANG" -- --config "$T/sitrep.conf" --store "$DB"
expect "Open incidents: 1"
keys 6
expect "Slack preview: INC-2026-001"
keys p
expect "to ops? y to send"
keys y
expect "queued as message 1 to ops"
# the receiver has it and does not answer: the post is in flight
n=100
while ! grep -q '"hang": true' "$LOG" && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
grep -q '"hang": true' "$LOG" && pass || fail "the post never reached the receiver"
keys 1
expect "Open incidents: 1"
t0=$(date +%s%N)
TM send-keys -t 0 q
n=200
while ! { capture; grep -q "SITREP-EXIT=" "$T/screen"; } && [ $n -gt 0 ]; do sleep 0.02; n=$((n - 1)); done
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
echo "quit with a post in flight: $ms ms"
# A quit that waited for the post would take the target's 20 s. The figure also holds the
# console's whole exit (under ASan, its leak scan) and this loop's polling, which a loaded
# machine stretches past a second (CI: 1,569 ms at load 19): the bound is 5 s, a quarter of it.
[ "$ms" -lt 5000 ] && pass || fail "quitting took $ms ms with a post in flight (want < 5000)"
expect_exit 0
# nothing lost: still in the outbox, undelivered
S outbox list >"$T/ob" 2>&1
grep -q "INC-2026-001" "$T/ob" && pass || fail "the message left the outbox: $(cat "$T/ob")"
if grep -q "delivered\|nothing waiting" "$T/ob"; then fail "outbox: $(cat "$T/ob")"; else pass; fi
S outbox list --json >"$T/ob.json" 2>&1
strict_json "$T/ob.json" "outbox list --json"
finish

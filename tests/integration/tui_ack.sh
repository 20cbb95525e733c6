# SPDX-License-Identifier: MIT
# tui_ack.sh: acknowledgements in the running console (issue 16), against a real Alertmanager,
# at 100x30: the alerts list and the alert's detail say "acked by USER (INC-...)" apart from
# an ordinary silence; the console's own tick extends the ack of an open incident whose alert
# still fires (amtool sees the later end, same silence comment), and leaves alone the ack of
# an alert that stopped firing (its end never moves). ack_for is 30 s, so the console plans
# every 5 s and extends once less than 15 s is left.
. "$SRCDIR/tests/tui/tmux.sh"
. "$SRCDIR/tests/integration/servers.sh"
srv_tui_start "$AM_BIN" "$AMTOOL"
AMT() { "$AMTOOL" --alertmanager.url="$AM_URL" "$@"; }
post() {	# LABELS-JSON [ENDS]
	printf '[{"labels":%s,"annotations":{"summary":"s"},"endsAt":"%s"}]' "$1" "${2:-$(iso '+1 hour')}" |
		C -H 'Content-Type: application/json' --data @- "$AM_URL/api/v2/alerts" >/dev/null ||
		fail "POST alert $1"
}
fp() { C "$AM_URL/api/v2/alerts?filter=alertname%3D$1" | jq -r '.[0].fingerprint'; }
# the end (epoch seconds) of the active acknowledgement commented $1, as amtool lists it
ack_end() {
	AMT silence query -o json 2>/dev/null | jq -r --arg c "$1" \
		'[.[] | select(.comment == $c and .status.state == "active")][0].endsAt // "" | sub("\\.[0-9]+"; "") | if . == "" then "" else fromdate end'
}

post '{"alertname":"DiskFull","instance":"db-1","severity":"critical"}'
post '{"alertname":"HighLatency","instance":"web-1","severity":"warning"}'
post '{"alertname":"Other","instance":"x","severity":"info"}'
n3() { test "$(C "$AM_URL/api/v2/alerts" | jq length)" = 3; }
srv_until n3 50 || fail "the Alertmanager does not list the three alerts"

cat >"$SRV_DIR/c.conf" <<EOF
[general]
user = it-tester
[feeds]
alerts_interval = 1s
ack_for = 30s
[alertmanager am]
url = $AM_URL
EOF
chmod 600 "$SRV_DIR/c.conf"
S() { "$SITREP" --config "$SRV_DIR/c.conf" --store "$SRV_DIR/s.db" "$@"; }
y=$(date -u +%Y)
S incident new --sev P1 --title "disk full on db-1" >/dev/null || fail "incident new 1"
S incident new --sev P2 --title "latency on web-1" >/dev/null || fail "incident new 2"
S incident link "INC-$y-001" "$(fp DiskFull)" --what DiskFull >/dev/null || fail "link 1"
S incident link "INC-$y-002" "$(fp HighLatency)" --what HighLatency >/dev/null || fail "link 2"
S incident ack "INC-$y-001" >"$T/out" 2>&1 || fail "incident ack 1: $(cat "$T/out")"
S incident ack "INC-$y-002" >"$T/out" 2>&1 || fail "incident ack 2: $(cat "$T/out")"
S silence add alertname=Other --comment "maintenance" --for 1h >/dev/null || fail "silence add"
c1="ACK! INC-$y-001 by it-tester"
c2="ACK! INC-$y-002 by it-tester"
e1=$(ack_end "$c1")
e2=$(ack_end "$c2")
[ -n "$e1" ] && [ -n "$e2" ] && pass || fail "acks not made: '$e1' '$e2'"
# HighLatency stops firing: its ack must be left to run out
post '{"alertname":"HighLatency","instance":"web-1","severity":"warning"}' "$(iso '-1 minute')"
gone() { test "$(C "$AM_URL/api/v2/alerts?filter=alertname%3DHighLatency" | jq length)" = 0; }
srv_until gone 50 || fail "HighLatency still listed after its end"

start 100 30 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- --config "$SRV_DIR/c.conf" \
	--store "$SRV_DIR/s.db"
expect "am ok" 100
keys 2
expect "Silenced (2)" 100
# the list: the acknowledgement apart from the ordinary silence
expect "acked by it-tester (INC-$y-001)" 100
capture
if grep "Other" "$T/screen" | grep -q acked; then fail "Other shown as acked"; else pass; fi

# the detail of the acked alert (the pane below the list): its own line, apart from the state
keys / DiskFull Enter
expect "filter DiskFull"
keys j j
expect "acknowledged     acked by it-tester (INC-$y-001), ends in"

# the console's own tick extends DiskFull's ack (no `incident tick` runs here)
ext() { e=$(ack_end "$c1"); [ -n "$e" ] && [ "$e" -gt $((e1 + 5)) ]; }
if srv_until ext 400; then pass; else fail "the console did not extend the ack: end $e1 -> $(ack_end "$c1")"; fi
e=$(ack_end "$c1")
now=$(date +%s)
[ $((e - now)) -le 31 ] && pass || fail "extended to now+$((e - now))s, more than ack_for (30s)"
# kept past its first end while the incident is open and the alert fires
past() { [ "$(date +%s)" -gt $((e1 + 3)) ]; }
srv_until past 300
e=$(ack_end "$c1")
[ -n "$e" ] && [ "$e" -gt "$(date +%s)" ] && pass || fail "the ack ran out at $e1: '$e'"
# HighLatency's ack (its alert no longer fires) kept its end and ran out, never re-acked
n=$(C "$AM_URL/api/v2/silences" | jq --arg c "$c2" '[.[] | select(.comment == $c)] | length')
end2=$(C "$AM_URL/api/v2/silences" | jq -r --arg c "$c2" '[.[] | select(.comment == $c)][0].endsAt | sub("\\.[0-9]+"; "") | fromdate')
[ "$n" = 1 ] && [ "$end2" -le $((e2 + 1)) ] && pass ||
	fail "the ack of an alert that stopped firing: $n silences, end $e2 -> $end2"
keys q q
expect_exit 0
finish

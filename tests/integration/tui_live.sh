# SPDX-License-Identifier: MIT
# tui_live.sh: the console in tmux against two real Alertmanagers: a shared alert listed once
# with both instances, a silence made from the console lands on the servers with our user and
# shows as silenced, and a stopped Alertmanager turns the header STALE while keys still work.
. "$SRCDIR/tests/tui/tmux.sh"
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$AM_BIN" "$AMTOOL"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 missing"; exit 77; }
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl missing"; exit 77; }
unset SITREP_NOW	# the clock runs: ages and staleness are real here

srv_setup
trap 'srv_cleanup; cleanup_tmux' EXIT
srv_start_am || exit 1
A_URL=$AM_URL A_PID=$AM_PID
srv_start_am || exit 1
B_URL=$AM_URL

# post ALERTMANAGER_URL JSON-OBJECT: one alert, ending in an hour (not the 5 min default)
ends=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
post() {
	printf '[%s]' "$2" | jq -c --arg e "$ends" 'map(. + {endsAt: $e})' >"$SRV_DIR/post.json"
	if curl -fsS --noproxy '*' --max-time 5 -H 'Content-Type: application/json' \
		--data @"$SRV_DIR/post.json" "$1/api/v2/alerts" >/dev/null; then pass; else
		fail "POST $1/api/v2/alerts"
	fi
}
SHARED='{"labels":{"alertname":"LiveShared","service":"checkout","instance":"web-1:9100"},
 "annotations":{"summary":"shared alert posted to both"}}'
ONLY_B='{"labels":{"alertname":"OnlyInB","service":"billing","instance":"db-2:9187"},
 "annotations":{"summary":"alert posted to b alone"}}'
post "$A_URL" "$SHARED"
post "$B_URL" "$SHARED"
post "$B_URL" "$ONLY_B"
n_b() { curl -fsS --noproxy '*' --max-time 2 "$B_URL/api/v2/alerts" | jq -e 'length == 2'; }
srv_until n_b 50 && pass || fail "b does not list its two alerts"

cat >"$SRV_DIR/live.conf" <<EOF
[general]
user = it-tester
[feeds]
alerts_interval = 2s
[alertmanager a]
url = $A_URL
[alertmanager b]
url = $B_URL
EOF
chmod 600 "$SRV_DIR/live.conf"
start 120 40 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- \
	--config "$SRV_DIR/live.conf" --store "$SRV_DIR/live.db"
expect "it-tester"
expect "am ok"

# a) three alerts posted, two distinct: the shared one is listed once, from both instances
keys 2
expect "Alerts: 2, by alertname"
expect "LiveShared (1)"
expect "OnlyInB (1)"
capture
c=$(grep -c "shared alert posted to both" "$T/screen")
l=$(grep "shared alert posted to both" "$T/screen" | grep -vc "summary")
if [ "$l" = 1 ]; then pass; else
	fail "shared alert listed $l times (lines with its summary: $c)"
	sed 's/^/  screen: /' "$T/screen" >&2
fi
# the detail pane (the lower third, for the selected alert) names the instances
keys / 'alertname="LiveShared"' Enter
expect 'filter alertname="LiveShared"'
expect "active, since"
expect "from             a, b"
keys / C-u 'OnlyInB' Enter
expect "alert posted to b alone"
expect "from             b"
expect_not "from             a, b" "alert posted to b alone"

# b) silence the shared alert from the console: form with its match preview, Enter, then y
keys / C-u 'alertname="LiveShared"' Enter
expect "from             a, b"
keys z
expect "Silence 2h [matches 1 of 2 alerts]:"
expect 'alertname="LiveShared"'
expect 'instance="web-1:9100"'
expect 'service="checkout"'
keys Enter
expect "? y to do it"
keys y
expect "created on"
# on each Alertmanager: one active silence, matchers = the alert's labels, by our user
want='[{"name":"alertname","value":"LiveShared"},{"name":"instance","value":"web-1:9100"},
	{"name":"service","value":"checkout"}]'
q() {
	"$AMTOOL" --alertmanager.url="$1" silence query -o json >"$SRV_DIR/sil.json" 2>&1 &&
	jq -e --argjson want "$want" 'length == 1 and (.[0] |
		.status.state == "active" and .createdBy == "it-tester" and
		([.matchers[] | {name, value}] | sort_by(.name)) == $want and
		all(.matchers[]; .isRegex == false and (.isEqual // true)))' "$SRV_DIR/sil.json"
}
for u in "$A_URL" "$B_URL"; do
	if srv_until "q $u" 25; then pass; else
		fail "silence on $u: $(cat "$SRV_DIR/sil.json")"
	fi
done
# the next poll (2 s) brings the alert back as silenced
expect "Silenced (1)"
expect "silenced, since"
expect_not "Active (" "Silenced (1)"

# b2) acknowledge OnlyInB with A (issue 16): a short silence on its exact labels, by our
# user, with karma's comment, that amtool lists like any silence
keys / C-u 'OnlyInB' Enter
expect "alert posted to b alone"
keys A
acked() {
	"$AMTOOL" --alertmanager.url="$B_URL" silence query -o json >"$SRV_DIR/ack.json" 2>&1 &&
	jq -e '[.[] | select(.comment == "ACK! by it-tester" and .createdBy == "it-tester" and
		([.matchers[] | .name] | sort) == ["alertname", "instance", "service"])] | length == 1' \
		"$SRV_DIR/ack.json"
}
if srv_until acked 25; then pass; else fail "ack from the console: $(cat "$SRV_DIR/ack.json")"; fi
expect "Silenced (1)"	# the next poll brings it back silenced by the acknowledgement

# c) Alertmanager a stops: the header turns STALE in a bounded time, keys keep working
srv_stop "$A_PID"
kill -0 "$A_PID" 2>/dev/null && fail "a still running" || pass
expect "am STALE" 150
# each key answered within about a second (10 polls), the last good alerts kept
quick() {
	keys "$@"
	if wait_for "$want" 10; then pass; else
		fail "no \"$want\" soon after keys $*"
		sed 's/^/  screen: /' "$T/screen" >&2
	fi
}
want="Alerts: 2, by alertname, sorted" quick / C-u Enter
want="Open incidents" quick 1
want="Keys (from the key table)" quick '?'
want="OnlyInB (1)" quick q 2
expect "am STALE"
keys : q Enter
expect_exit 0
finish

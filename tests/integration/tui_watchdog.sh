# SPDX-License-Identifier: MIT
# tui_watchdog.sh: the dead man's switch on screen (issue 16), against a real Alertmanager, on
# the dashboard (100x30) and the wallboard (120x40): while the Watchdog alert arrives there is
# no banner, and the dashboard may say "No firing alerts." (the watchdog is not a problem to
# list); once it is gone for longer than the grace (3 s here), both say "ALERTING PIPELINE:
# Watchdog absent for ...".
. "$SRCDIR/tests/tui/tmux.sh"
. "$SRCDIR/tests/integration/servers.sh"
srv_tui_start "$AM_BIN"
# watchdog ENDS: the Watchdog alert, firing until ENDS (in the past: resolved)
watchdog() {
	printf '[{"labels":{"alertname":"Watchdog","severity":"none"},"annotations":{"summary":"the pipeline is alive"},"endsAt":"%s"}]' "$1" |
		C -H 'Content-Type: application/json' --data @- "$AM_URL/api/v2/alerts" >/dev/null ||
		fail "POST Watchdog"
}
listed() { test "$(C "$AM_URL/api/v2/alerts?filter=alertname%3DWatchdog" | jq length)" = "$1"; }

cat >"$SRV_DIR/c.conf" <<EOF
[general]
user = it-tester
[feeds]
alerts_interval = 1s
watchdog = yes
watchdog_grace = 3s
[alertmanager am]
url = $AM_URL
EOF
chmod 600 "$SRV_DIR/c.conf"

# screen_case W H TEXT [ARGS...]: the console with the Watchdog arriving (the screen says TEXT),
# then gone
screen_case() {
	w=$1 h=$2 text=$3
	shift 3
	watchdog "$(iso '+1 hour')"
	srv_until "listed 1" 50 || fail "the Alertmanager does not list Watchdog"
	start "$w" "$h" no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- --config "$SRV_DIR/c.conf" \
		--store "$SRV_DIR/s.db" "$@"
	expect "am ok" 100
	sleep 5	# longer than the grace: alive because it keeps arriving, not because it is early
	capture
	if grep -q "ALERTING PIPELINE" "$T/screen"; then
		fail "banner while the Watchdog arrives"
		sed 's/^/  screen: /' "$T/screen" >&2
	else pass; fi
	expect "$text" 50	# what it says with nothing but the watchdog firing
	watchdog "$(iso '-1 minute')"
	srv_until "listed 0" 50 || fail "Watchdog still listed after its end"
	expect "ALERTING PIPELINE: Watchdog absent for" 100
	keys q
	expect_exit 0
}
screen_case 100 30 "No firing alerts."
# the wallboard: the banner on its last line; the watchdog is not counted as firing
screen_case 120 40 "0 firing alerts" --wallboard
finish

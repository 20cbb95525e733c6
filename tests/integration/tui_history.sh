# SPDX-License-Identifier: MIT
# tui_history.sh: the alert detail's 24-hour strip (issue 16) against a real Prometheus and
# Alertmanager, at 100x30: Prometheus's always-firing rule reaches the Alertmanager, and its
# detail shows when it fired, from one range query of ALERTS{alertstate="firing"}: the last
# cell only (it has fired only since the server started); a second console whose Prometheus
# does not answer says "no history: Prometheus unreachable: ..." instead.
. "$SRCDIR/tests/tui/tmux.sh"
. "$SRCDIR/tests/integration/servers.sh"
srv_tui_start "$AM_BIN" "$PROM_BIN"
srv_start_prom || exit 1
# the rule fired in Prometheus (ALERTS has samples) and reached the Alertmanager
fired() { C "$PROM_URL/api/v1/query?query=ALERTS%7Balertstate%3D%22firing%22%2Calertname%3D%22SitrepTestFiring%22%7D" |
	jq -e '.data.result | length > 0' >/dev/null; }
srv_until fired 300 || fail "Prometheus: SitrepTestFiring never fired"
inam() { C "$AM_URL/api/v2/alerts?filter=alertname%3DSitrepTestFiring" | jq -e 'length > 0' >/dev/null; }
srv_until inam 300 || fail "the Alertmanager never got SitrepTestFiring"

conf() {	# FILE PROMETHEUS-URL
	cat >"$1" <<EOF
[general]
user = it-tester
[feeds]
alerts_interval = 1s
[prometheus]
url = $2
[alertmanager am]
url = $AM_URL
EOF
	chmod 600 "$1"
}
conf "$SRV_DIR/c.conf" "$PROM_URL"
start 100 30 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- --config "$SRV_DIR/c.conf" \
	--store "$SRV_DIR/s.db"
expect "am ok" 100
keys 2 / SitrepTestFiring Enter
expect "filter SitrepTestFiring" 100
keys j j
# 48 cells: the first 47 empty, the last one fired; then how often
dots=$(printf '·%.0s' $(seq 47))
expect "last 24h         |$dots█| fired 1 time," 100
keys q q
expect_exit 0

# a Prometheus that does not answer: the strip says why there is none
conf "$SRV_DIR/d.conf" "http://127.0.0.1:$(srv_port)"
start 100 30 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- --config "$SRV_DIR/d.conf" \
	--store "$SRV_DIR/s.db"
expect "am ok" 100
keys 2 / SitrepTestFiring Enter
expect "filter SitrepTestFiring" 100
keys j j
expect "last 24h         no history: Prometheus unreachable:" 100
keys q q
expect_exit 0

# a Prometheus that accepts and never answers: quitting while the detail's questions (the
# expression's series, the history) are still out frees them (LeakSanitizer's exit status
# under the sanitizer build)
echo silent >"$SRV_DIR/proxy.mode"
python3 "$SRCDIR/tests/integration/silent_proxy.py" "$SRV_DIR/proxy.port" 1 \
	"$SRV_DIR/proxy.mode" "$SRV_DIR/proxy.log" &
SRV_PIDS="$SRV_PIDS $!"
n=0
while [ ! -s "$SRV_DIR/proxy.port" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
conf "$SRV_DIR/e.conf" "http://127.0.0.1:$(cat "$SRV_DIR/proxy.port")"
start 100 30 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- --config "$SRV_DIR/e.conf" \
	--store "$SRV_DIR/s.db"
expect "am ok" 100
keys 2 / SitrepTestFiring Enter
expect "filter SitrepTestFiring" 100
keys j j
expect "last 24h" 100
srv_wait_silent "$SRV_DIR/proxy.log" && pass || fail "the detail asked nothing of Prometheus"
keys q q
expect_exit 0
finish

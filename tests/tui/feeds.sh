# SPDX-License-Identifier: MIT
# feeds.sh: live sources: alerts and a panel from a local HTTP server, then the server dies:
# the header says so, the last good data stays, and a restart starts from the cached answers.
. "$SRCDIR/tests/tui/tmux.sh"

unset SITREP_NOW	# the clock runs: ages and staleness are real here

# recorded answers, served as files (http.server ignores the query string)
mkdir -p "$T/www/api/v2" "$T/www/api/v1"
cat >"$T/www/api/v2/alerts" <<'JSON'
[{"annotations":{"summary":"live alert from the test server"},"endsAt":"2099-01-01T00:00:00Z",
  "fingerprint":"00112233aabbccdd","receivers":[{"name":"oncall"}],
  "startsAt":"2026-11-23T03:00:00Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},
  "updatedAt":"2026-11-23T03:00:00Z","generatorURL":"http://127.0.0.1/graph?g0.expr=up%7Bjob%3D%22live%22%7D+%3D%3D+0&g0.tab=1",
  "labels":{"alertname":"LiveTestAlert","severity":"critical","service":"live"}},
 {"annotations":{"summary":"hostile \u001b[2J\u001b]0;pwned\u0007 text"},"endsAt":"2099-01-01T00:00:00Z",
  "fingerprint":"99112233aabbccdd","receivers":[{"name":"oncall"}],
  "startsAt":"2026-11-23T03:00:00Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},
  "updatedAt":"2026-11-23T03:00:00Z","generatorURL":"",
  "labels":{"alertname":"Hostile\u001b[31m","severity":"info","service":"evil"}}]
JSON
cat >"$T/www/api/v1/query_range" <<'JSON'
{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1763867520,"40"],[1763867580,"42"]]}]}}
JSON

# the stand-in server of tests/tui/www.sh (its trap stops it)
. "$SRCDIR/tests/tui/www.sh"
www_start
port=$WWW_PORT

mkdir -p "$T/cfg"
cat >"$T/cfg/sitrep.conf" <<EOF2
[feeds]
alerts_interval = 1s
panels_interval = 1s
[prometheus]
url = http://127.0.0.1:$port
[alertmanager main]
url = http://127.0.0.1:$port
[panel load]
query = 100 * avg(rate(node_cpu_seconds_total[5m]))
unit = percent
warn = 80
EOF2
ARGS="--config $T/cfg/sitrep.conf --store $T/live.db"

start 120 40 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- $ARGS
expect "LiveTestAlert"
expect "live alert from the test server"
expect "42.0% warn 80.0%"
expect "prom ok"
expect "am ok"
# escape sequences from an alert never reach the terminal: they show as U+FFFD
expect "hostile �[2J�]0;pwned� text"
expect "Hostile�[31m"

# the alert's own expression, decoded from its generatorURL and queried over the last hour
keys 2
expect 'up{job="live"} == 0'
expect "last hour        ▁█"
keys 1

# a silence is POSTed to the Alertmanager (this file server refuses POST: the error shows)
keys 2 Home z
expect 'Silence 2h [matches 1 of 2 alerts]: alertname="LiveTestAlert",service="live"'
keys Enter
expect "? y to do it"
keys y
expect "silence on main failed"
if grep -q '"POST /api/v2/silences' "$T/www.log"; then pass; else fail "no POST of the silence"; fi
keys 1

# the server goes away: the header turns, the last good alerts stay on screen
www_stop
# one-second intervals: the data is soon more than two intervals old
expect "am STALE" 80
expect "prom STALE" 80
expect "LiveTestAlert"
keys q
expect_exit 0

# a restart with the network still down starts from the cached answers
start 120 40 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- $ARGS
expect "LiveTestAlert"
expect "42.0%"
expect "am STALE" 80
keys q
expect_exit 0
finish

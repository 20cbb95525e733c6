# SPDX-License-Identifier: MIT
# recovery.sh: fast recovery (issue 12) at 80x24 against a local stand-in server that stops
# and comes back: the header says when the next try is, fresh data arrives by then (well
# inside the 30 s cap), g fetches every source at once, Prometheus down is said in the alert
# detail instead of a blank sparkline.
. "$SRCDIR/tests/tui/tmux.sh"
. "$SRCDIR/tests/tui/www.sh"
unset SITREP_NOW	# the feeds run on the real clock

alerts() {	# alerts NAME: the stand-in's one alert
	cat >"$T/www/api/v2/alerts.new" <<JSON
[{"annotations":{"summary":"from the stand-in"},"endsAt":"2099-01-01T00:00:00Z",
  "fingerprint":"00112233aabbccdd","receivers":[{"name":"oncall"}],
  "startsAt":"2026-11-23T03:00:00Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},
  "updatedAt":"2026-11-23T03:00:00Z",
  "generatorURL":"http://127.0.0.1/graph?g0.expr=up%3D%3D0&g0.tab=1",
  "labels":{"alertname":"$1","severity":"critical","service":"api"}}]
JSON
	mv "$T/www/api/v2/alerts.new" "$T/www/api/v2/alerts"
}
# next_try: the seconds until the Alertmanager's next try as the header says it (0: "now" or
# "retrying"), or nothing when the header does not say
next_try() {
	head -1 "$T/screen" | grep -oE 'am (STALE|ERR)( [0-9][0-9a-z]*)? (retry [0-9]+s|retry now|retrying)' |
		sed -E 's/.*retry ([0-9]+)s$/\1/; s/.*(retry now|retrying)$/0/'
}
mkdir -p "$T/www/api/v2" "$T/www/api/v1" "$T/cfg"
alerts BeforeOutage
www_range 1 2 3
www_start
www_conf "$T/cfg/sitrep.conf" load
ENV="no_proxy=127.0.0.1 NO_PROXY=127.0.0.1"
start 80 24 $ENV -- --config "$T/cfg/sitrep.conf" --store "$T/s.db"
expect "BeforeOutage"
expect "am ok"

# the outage: the sources fail; the header says they are failing and when they are tried next
# (at 80 columns: the local time and the ages give way, the states and the next try stay)
www_stop
expect "am STALE" 80
expect "retry" 80
# several failures: the backoff grows (1 s interval: 1, 2, 4, 8 s), never past 30 s
sleep 8
capture
retry=$(next_try)
if [ -n "$retry" ] && [ "$retry" -le 30 ]; then pass; else
	fail "the header does not say when the next try is (retry \"$retry\")"
	sed 's/^/  screen: /' "$T/screen" >&2
fi
# with Prometheus down, the alert detail says so instead of a blank sparkline
keys 2 Home
expect "last hour        Prometheus unreachable:"
keys 1

# back: fresh data within the 30 s cap (+ the 1 s poll), not minutes later
alerts AfterOutage
capture
retry=$(next_try)
if [ -n "$retry" ] && [ "$retry" -le 30 ]; then pass; else
	fail "the header's next try (\"$retry\") is not within the 30 s cap"
	head -1 "$T/screen" >&2
fi
www_start
start_s=$(date +%s)
# at worst: a try that just missed it, then the 30 s cap, then the 1 s poll
if wait_for "AfterOutage" 330; then
	pass
	echo "fresh data $(( $(date +%s) - start_s )) s after the server came back (the header said retry ${retry:-?}s)"
else
	fail "no fresh data within 33 s of the server coming back"
	sed 's/^/  screen: /' "$T/screen" >&2
fi
expect "am ok"

# g: every source fetched now, whatever its backoff says
www_stop
expect "am STALE" 80
sleep 6	# failures pile up: the next try is seconds away
capture
retry=$(next_try)
alerts AfterRefresh
www_start
keys g
if wait_for "AfterRefresh" 15; then pass; else
	fail "g did not fetch the sources within 1.5 s (the next try was ${retry:-?} s away)"
	sed 's/^/  screen: /' "$T/screen" >&2
fi
keys : q Enter
expect_exit 0
finish

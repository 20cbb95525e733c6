# SPDX-License-Identifier: MIT
# fit80.sh: 80x24 loses nothing silently (issue 12), against a local stand-in server: every
# panel on the dashboard (or "+N panels" and 5), its alert list selectable (Tab, i), the alert
# detail's every label, expression sparkline or why not, runbook rule; metrics thresholds,
# y range, flat series; timeline entries wrapped.
. "$SRCDIR/tests/tui/tmux.sh"
. "$SRCDIR/tests/tui/www.sh"
unset SITREP_NOW	# the feeds run on the real clock

mkdir -p "$T/www/api/v2" "$T/www/api/v1" "$T/cfg"
labels='"alertname":"ManyLabels","severity":"critical","service":"api"'
for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15; do
	labels="$labels,\"label_$i\":\"value-$i\""
done
labels="$labels,\"zz_last\":\"the-very-last-label\""
cat >"$T/www/api/v2/alerts" <<JSON
[{"annotations":{"summary":"many labels here","runbook_url":"runbooks/service-down.md"},
  "endsAt":"2099-01-01T00:00:00Z","fingerprint":"00112233aabbccdd","receivers":[{"name":"oncall"}],
  "startsAt":"2026-11-23T03:00:00Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},
  "updatedAt":"2026-11-23T03:00:00Z",
  "generatorURL":"http://127.0.0.1/graph?g0.expr=sum%28up%7Bjob%3D%22api%22%7D%29&g0.tab=1",
  "labels":{$labels}},
 {"annotations":{"summary":"no generator query"},"endsAt":"2099-01-01T00:00:00Z",
  "fingerprint":"99112233aabbccdd","receivers":[{"name":"oncall"}],
  "startsAt":"2026-11-23T03:00:00Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},
  "updatedAt":"2026-11-23T03:00:00Z","generatorURL":"",
  "labels":{"alertname":"NoGenerator","severity":"warning","service":"batch"}}]
JSON
www_range 41.9 42 42.1 42 41.9 42 42.1 42 41.9 42 42.1 42
www_start
ENV="no_proxy=127.0.0.1 NO_PROXY=127.0.0.1"

# six panels at 80 columns: compact rows, every one named
WWW_WARN=80 www_conf "$T/cfg/six.conf" alpha bravo charlie delta echo foxtrot
start 80 24 $ENV -- --config "$T/cfg/six.conf" --store "$T/s.db"
expect "am ok"
for p in alpha bravo charlie delta echo foxtrot; do expect "$p 42"; done
# (one paint draws every panel: the screen that shows foxtrot shows the marker if there is one;
# the clock ticks every second here, so the screen never settles for expect_not)
if grep -q "panels" "$T/screen"; then fail "six panels should all fit, no marker"; else pass; fi
# the dashboard's alert list: Tab selects it, i opens an incident from the alert there
expect "Firing alerts: 2"
keys Tab
expect "q quit  ? help"
keys i
expect "opened from ManyLabels"
expect "q back to incidents"
keys q
expect "Incidents: 1 open"
keys : q Enter
expect_exit 0

# ten panels: two compact rows hold seven, "+3 panels" says the rest is behind 5
WWW_WARN=80 www_conf "$T/cfg/ten.conf" alpha bravo charlie delta echo foxtrot golf hotel india juliet
start 80 24 $ENV -- --config "$T/cfg/ten.conf" --store "$T/s.db"
expect "golf 42"
expect "+3 panels"
expect "5 shows all"
keys 5
expect "Metrics: 1-5 of 10 panels (j/k)"
# the threshold line and the y range (0 .. the threshold: both in view)
expect "warn 80"
keys j j j j j
expect "Metrics: 6-10 of 10 panels (j/k)"
expect "juliet  42"
keys : q Enter
expect_exit 0

# the alert detail at 80x24: Enter shows it all, j/k reach the last label; the runbook line
# says which rule picked it; the sparkline of its own expression from the stand-in
www_conf "$T/cfg/one.conf" flat
start 80 24 $ENV -- --config "$T/cfg/one.conf" --store "$T/s2.db"
expect "am ok"
keys 2 Home
expect "runbook          service-down (annotation"
expect "last hour        ▁"
expect 'expression       sum(up{job="api"})'
keys Enter
expect "(1-20 of 27 lines, j/k scroll, q list)"	# the 24-hour strip is one more
expect "q back to the alert list"
expect "from             main"	# where it came from: near the top, after its state
expect "label_05         value-05"
keys G
expect "zz_last          the-very-last-label"
keys q
expect "Alerts: 2"
# no generator query: it says so
keys j j j
expect "NoGenerator"
expect "last hour        no expression in the alert's generatorURL"
# the metrics view: a flat series (41.9 .. 42.1) is a flat band, not full-height swings
keys 5
expect "Metrics: 1 panels"
settled "over 1h00m" || fail "metrics never settled"
top=$(sed -n 5p "$T/screen")
case "$top" in
*█* | *▇* | *▆*) fail "a flat series reaches the top row of its chart: $top" ;;
*) pass ;;
esac
bottom=$(sed -n 22p "$T/screen")
case "$bottom" in
*████████* ) pass ;;
*) fail "a flat series should fill the chart's bottom rows: $bottom" ;;
esac
# the y range: its ends in the gutter, not 41.9 .. 42.1
expect "46.2"
expect "37.7"

# timeline entries wrap: a long note ends in its own last word, never in an ellipsis
keys : 'incident new P3 wrap test' Enter
expect "P3 triggered wrap test"
keys n 'a long note that goes on well past the edge of an eighty column terminal so it must wrap onto more lines THE-END' Enter
keys G
expect "THE-END"
settled "THE-END" || fail "timeline never settled"
if grep -E '^[0-9][0-9]:[0-9][0-9] ' "$T/screen" | grep -q "…"; then
	fail "a timeline entry ends in an ellipsis"
	sed 's/^/  screen: /' "$T/screen" >&2
else pass; fi
keys : q Enter
expect_exit 0
finish

# SPDX-License-Identifier: MIT
# postmortem.sh: the export's metrics section against a real Prometheus holding backfilled
# data (promtool tsdb create-blocks-from openmetrics): sparkline, min / max and the values at
# detection, peak and resolution, the graph link; then with Prometheus stopped the section
# says so and the rest of the export is whole.
set -u
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PROM_BIN" "$PROMTOOL"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }
python3 -c 'import jsonschema' 2>/dev/null || { echo "SKIP: python3-jsonschema missing"; exit 77; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
is() {	# is JQ WANT FILE
	got=$(jq -r "$1" "$3" 2>&1)
	if [ "$got" = "$2" ]; then ok "$1 = $2"; else fail "jq '$1' gave '$got', wanted '$2'"; fi
}
valid() {
	python3 - "$SRCDIR/docs/postmortem.schema.json" "$1" <<'PY' && ok "$1 holds to the schema" || fail "$1 does not hold to the schema"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
PY
}

srv_setup
# B: four hours ago on a whole minute; one sample a minute for three hours. The error ratio is
# 0.02, climbs 0.01 a minute from minute 55 to a peak of 0.27 at minute 80, falls back by 105.
now=$(date +%s)
B=$(( (now - 4 * 3600) / 60 * 60 ))
python3 - "$B" >"$SRV_DIR/data.om" <<'PY'
import sys
b = int(sys.argv[1])
print("# HELP sitrep_error_ratio Errors per request.")
print("# TYPE sitrep_error_ratio gauge")
for m in range(0, 181):
    if 55 <= m <= 80:
        v = 0.02 + 0.01 * (m - 55)
    elif 80 < m <= 105:
        v = 0.27 - 0.01 * (m - 80)
    else:
        v = 0.02
    print('sitrep_error_ratio{service="checkout"} %.2f %d' % (v, b + 60 * m))
print("# EOF")
PY
mkdir -p "$SRV_DIR/prom"
"$PROMTOOL" tsdb create-blocks-from openmetrics "$SRV_DIR/data.om" "$SRV_DIR/prom" \
	>"$SRV_DIR/backfill.log" 2>&1 || { cat "$SRV_DIR/backfill.log"; exit 1; }
AM_TARGETS="'127.0.0.1:9'" srv_start_prom || exit 1
srv_sitrep_conf
cat >>"$SR_CONF" <<CONF
[panel error ratio]
query = sitrep_error_ratio
CONF
S() { "$SITREP" --config "$SR_CONF" --store "$SR_STORE" "$@"; }
ts() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# the incident: created at minute 60, resolved at minute 100
SITREP_NOW=$(ts $((B + 3600))) S incident new --sev P2 --title "Checkout errors" >/dev/null
SITREP_NOW=$(ts $((B + 3660))) S incident ack INC-$(date -u -d "@$B" +%Y)-001 >/dev/null
ID=INC-$(date -u -d "@$B" +%Y)-001
SITREP_NOW=$(ts $((B + 6000))) S incident resolve "$ID" --cause "bad deploy" >/dev/null
export SITREP_NOW
SITREP_NOW=$(ts $((B + 3 * 3600)))

# the data is there (asked the way promtool would)
if srv_until "curl -fsS '$PROM_URL/api/v1/query?query=sitrep_error_ratio&time=$((B + 4800))' | grep -q '0.27'" 100; then
	ok "backfilled data is queryable"
else
	fail "the backfilled data never became queryable"
fi

S export "$ID" --format json -o "$SRV_DIR/pm.json" || fail "export with Prometheus up"
valid "$SRV_DIR/pm.json"
is '.metrics.available' true "$SRV_DIR/pm.json"
is '.metrics.start' "$(ts $((B + 1800)))" "$SRV_DIR/pm.json"
is '.metrics.end' "$(ts $((B + 7800)))" "$SRV_DIR/pm.json"
is '.metrics.series | length' 1 "$SRV_DIR/pm.json"
is '.metrics.series[0].title' "error ratio" "$SRV_DIR/pm.json"
is '.metrics.series[0].labels' '{service="checkout"}' "$SRV_DIR/pm.json"
is '.metrics.series[0].min' 0.02 "$SRV_DIR/pm.json"
is '.metrics.series[0].max' 0.27 "$SRV_DIR/pm.json"
is '.metrics.series[0].at_detection' 0.07 "$SRV_DIR/pm.json"
is '.metrics.series[0].at_peak' 0.27 "$SRV_DIR/pm.json"
is '.metrics.series[0].peak_at' "$(ts $((B + 4800)))" "$SRV_DIR/pm.json"
is '.metrics.series[0].at_resolution' 0.07 "$SRV_DIR/pm.json"
is '.metrics.series[0].sparkline | length' 48 "$SRV_DIR/pm.json"
spark=$(jq -r '.metrics.series[0].sparkline' "$SRV_DIR/pm.json")
# flat, up to the peak (one full cell), down, flat again
echo "$spark" | grep -qE '^▁+[▂▃▄▅▆▇]+█+[▂▃▄▅▆▇]+▁+$' && ok "sparkline $spark" || fail "sparkline $spark"
is ".metrics.series[0].graph_url | startswith(\"$PROM_URL/graph?g0.expr=sitrep_error_ratio&g0.tab=0&g0.range_input=6000s\")" \
	true "$SRV_DIR/pm.json"
S export "$ID" -o "$SRV_DIR/pm.md" || fail "Markdown export with Prometheus up"
grep -q '^\*\*error ratio\*\* {service="checkout"}: `▁' "$SRV_DIR/pm.md" && ok "sparkline in Markdown" ||
	fail "no sparkline line in the Markdown"
grep -q 'min 0.02, max 0.27; at detection 0.07, at peak 0.27, at resolution 0.07 (\[graph\](' \
	"$SRV_DIR/pm.md" && ok "figures in Markdown" || fail "figures missing in the Markdown"
S export "$ID" --no-metrics --format json -o "$SRV_DIR/none.json" || fail "--no-metrics"
is '.metrics.requested' false "$SRV_DIR/none.json"

# Prometheus stopped: the section says so, the rest is whole
srv_stop "$PROM_PID"
S export "$ID" --format json -o "$SRV_DIR/down.json" || fail "export with Prometheus down"
valid "$SRV_DIR/down.json"
is '.metrics.available' false "$SRV_DIR/down.json"
is '.metrics.error | startswith("Prometheus (default at '"$PROM_URL"') could not be asked")' true \
	"$SRV_DIR/down.json"
is '.timeline | length' 4 "$SRV_DIR/down.json"
is '.timers[2].verdict' met "$SRV_DIR/down.json"
S export "$ID" -o "$SRV_DIR/down.md" || fail "Markdown export with Prometheus down"
grep -q "^_The metrics around the incident are missing: Prometheus (default at" "$SRV_DIR/down.md" &&
	ok "the Markdown says the metrics are missing" || fail "the Markdown does not say so"
grep -q "^## Timeline" "$SRV_DIR/down.md" && grep -q "^### Timeline integrity" "$SRV_DIR/down.md" &&
	ok "the rest of the draft is there" || fail "the draft is cut"

echo "postmortem: $fails failed"
[ "$fails" -eq 0 ]

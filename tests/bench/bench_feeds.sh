# SPDX-License-Identifier: MIT
# bench_feeds.sh: `sitrep alerts --json` with 5,000 alerts in a real Alertmanager against a bare
# curl (wall) and amtool (CPU, peak RSS); `sitrep query --range` against `promtool query range`.
# All measured in this run, interleaved; medians of RUNS runs.
# Bounded in time whatever the machine's load: every client call is stopped after CALL_LIMIT
# seconds, sitrep's own request timeout is raised to the same limit (its 10 s default failed the
# whole bench at load 9, when Alertmanager took longer than that to list 5,000 inhibited
# alerts), and each interleaved series stops after BUDGET seconds once it has 3 runs.
set -u
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PROM_BIN" "$AM_BIN" "$AMTOOL" "$PROMTOOL" /usr/bin/time
# The server's own time for one listing varies by +-15 % from one request to the next, as
# much as the whole 10 % margin: 11 interleaved runs keep the medians steady.
RUNS=${RUNS:-11}
NALERTS=${NALERTS:-5000}
CALL_LIMIT=${CALL_LIMIT:-120}
BUDGET=${BUDGET:-120}

srv_setup
# One inhibit rule, as on the reference machines, where the server takes most of the wall
# time of a listing (about 1.8 s); SRV_AM_INHIBIT= (empty) measures without it.
SRV_AM_INHIBIT=${SRV_AM_INHIBIT-1}
srv_start_am || exit 1
srv_start_prom || exit 1
srv_sitrep_conf
sed -i "s|^url = .*|&\ntimeout = ${CALL_LIMIT}s|" "$SR_CONF"
S() { "$SITREP" --config "$SR_CONF" --store "$SR_STORE" "$@"; }

# Appends one run of "$@" to the figures file $1 ("wall cpu rss" per line).
run1() {
	f=$1
	shift
	timeout -k 5 "$CALL_LIMIT" /usr/bin/time -o "$SRV_DIR/t" -f '%e %U %S %M' "$@" \
		>/dev/null 2>"$SRV_DIR/t.err" ||
		{ echo "bench: $* failed: $(cat "$SRV_DIR/t.err")" >&2; return 1; }
	grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$SRV_DIR/t" | awk '{ print $1, $2 + $3, $4 }' >> "$f"
}

# more I: true while run I (from 0) of an interleaved series is to be taken: below RUNS, and
# below 3 or within BUDGET seconds of the series' start ($series_t0).
more() {
	test "$1" -lt "$RUNS" || return 1
	test "$1" -lt 3 || test $(($(date +%s) - series_t0)) -lt "$BUDGET"
}
C() { curl -fsS --max-time "$CALL_LIMIT" "$@"; }

# Medians of the columns of a figures file: "wall cpu rss".
medians() {
	for col in 1 2 3; do
		awk -v c=$col '{ print $c }' "$1" | sort -n |
			awk '{ v[NR] = $1 } END { printf "%s ", v[int((NR + 1) / 2)] }'
	done
	echo
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.001; printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" -v lim="$2" 'BEGIN { print (r <= lim) ? "ok" : "OVER" }'; }

# --- 5,000 alerts ---
python3 - "$NALERTS" > "$SRV_DIR/alerts.json" <<'EOF'
import json, sys, datetime
n = int(sys.argv[1])
end = (datetime.datetime.utcnow() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
out = []
for i in range(n):
    out.append({
        "labels": {"alertname": "BenchAlert%d" % (i % 50), "severity": ["critical", "warning", "info"][i % 3],
                   "instance": "host-%d.example.com:9100" % i, "job": "node", "team": "team-%d" % (i % 7)},
        "annotations": {"summary": "Bench alert %d is firing on host-%d" % (i, i),
                        "description": "A longer description of alert %d, with some detail." % i,
                        "runbook_url": "https://runbooks.example.com/bench/%d" % (i % 50)},
        "endsAt": end,
        "generatorURL": "http://prometheus.example.com/graph?g0.expr=up%%7Binstance%%3D%%22host-%d%%22%%7D" % i,
    })
json.dump(out, sys.stdout)
EOF
C -XPOST -H 'Content-Type: application/json' --data-binary "@$SRV_DIR/alerts.json" \
	"$AM_URL/api/v2/alerts" >/dev/null || { echo "bench: cannot load alerts"; exit 1; }
srv_until "test \$(curl -fsS --max-time 30 '$AM_URL/api/v2/alerts?silenced=false&inhibited=false' | jq length) -ge $NALERTS" 150 ||
	{ echo "bench: alerts did not all arrive"; exit 1; }
size=$(C "$AM_URL/api/v2/alerts" | wc -c)
got=$(timeout "$CALL_LIMIT" "$SITREP" --config "$SR_CONF" --store "$SR_STORE" alerts --json |
	jq '.alerts | length')
echo "alertmanager holds $got alerts to list ($size bytes of JSON)"

# Interleaved runs, so that the server's own slow and fast moments hit every client alike.
: > "$SRV_DIR/curl.f"; : > "$SRV_DIR/sitrep.f"; : > "$SRV_DIR/amtool.f"
i=0 series_t0=$(date +%s)
while more $i; do
	run1 "$SRV_DIR/curl.f" curl -s -o /dev/null "$AM_URL/api/v2/alerts" || exit 1
	run1 "$SRV_DIR/sitrep.f" "$SITREP" --config "$SR_CONF" --store "$SR_STORE" alerts --json ||
		exit 1
	run1 "$SRV_DIR/amtool.f" "$AMTOOL" --alertmanager.url="$AM_URL" --timeout="${CALL_LIMIT}s" \
		alert query -o json || exit 1
	i=$((i + 1))
done
echo "listing: $i interleaved runs of each client"

set -- $(medians "$SRV_DIR/curl.f"); c_wall=$1
set -- $(medians "$SRV_DIR/sitrep.f"); s_wall=$1 s_cpu=$2 s_rss=$3
set -- $(medians "$SRV_DIR/amtool.f"); a_wall=$1 a_cpu=$2 a_rss=$3
r=$(ratio "$s_wall" "$c_wall")
printf 'wall: sitrep alerts --json %.3f s, bare curl %.3f s: ratio %s (limit 1.10: %s)\n' \
	"$s_wall" "$c_wall" "$r" "$(verdict "$r" 1.10)"
# The client's own share, apart from the server's: the same answer served from a file.
C "$AM_URL/api/v2/alerts" > "$SRV_DIR/answer.json"
mkdir -p "$SRV_DIR/www/api/v2" && cp "$SRV_DIR/answer.json" "$SRV_DIR/www/api/v2/alerts"
WWW_PORT=$(srv_port)
python3 -m http.server "$WWW_PORT" --bind 127.0.0.1 --directory "$SRV_DIR/www" \
	> "$SRV_DIR/www.log" 2>&1 &
SRV_PIDS="$SRV_PIDS $!"
if srv_wait_url "http://127.0.0.1:$WWW_PORT/api/v2/alerts"; then
	sed "s|$AM_URL|http://127.0.0.1:$WWW_PORT|" "$SR_CONF" > "$SRV_DIR/static.conf"
	chmod 600 "$SRV_DIR/static.conf"
	: > "$SRV_DIR/c2.f"; : > "$SRV_DIR/s2.f"
	i=0 series_t0=$(date +%s)
	while more $i; do
		run1 "$SRV_DIR/c2.f" curl -s -o /dev/null "http://127.0.0.1:$WWW_PORT/api/v2/alerts" ||
			exit 1
		run1 "$SRV_DIR/s2.f" "$SITREP" --config "$SRV_DIR/static.conf" --store "$SR_STORE" \
			alerts --json || exit 1
		i=$((i + 1))
	done
	set -- $(medians "$SRV_DIR/c2.f"); c2=$1
	set -- $(medians "$SRV_DIR/s2.f"); s2=$1
	printf 'client share: the same answer from a static file server: sitrep %.0f ms, curl %.0f ms (+%.0f ms)\n' \
		"$(awk -v v="$s2" 'BEGIN { print v * 1000 }')" "$(awk -v v="$c2" 'BEGIN { print v * 1000 }')" \
		"$(awk -v a="$s2" -v b="$c2" 'BEGIN { print (a - b) * 1000 }')"
fi
r=$(ratio "$s_cpu" "$a_cpu")
printf 'cpu:  sitrep %.3f s, amtool %.3f s (wall %.3f s): ratio %s (limit 0.25: %s)\n' \
	"$s_cpu" "$a_cpu" "$a_wall" "$r" "$(verdict "$r" 0.25)"
r=$(ratio "$s_rss" "$a_rss")
printf 'rss:  sitrep %d KiB, amtool %d KiB: ratio %s (limit 0.25: %s)\n' \
	"$s_rss" "$a_rss" "$r" "$(verdict "$r" 0.25)"
# The floor: what the process takes before doing anything (mostly libcurl's dependencies),
# and the cost of keeping the answer as last-good data (--readonly skips the store).
: > "$SRV_DIR/v.f"
run1 "$SRV_DIR/v.f" "$SITREP" --version
set -- $(medians "$SRV_DIR/v.f")
printf 'rss floor: sitrep --version %d KiB = %s of amtool\n' "$3" "$(ratio "$3" "$a_rss")"
: > "$SRV_DIR/ro.f"
i=0
while test $i -lt 3; do
	run1 "$SRV_DIR/ro.f" "$SITREP" --config "$SR_CONF" --store "$SR_STORE" --readonly \
		alerts --json || exit 1
	i=$((i + 1))
done
set -- $(medians "$SRV_DIR/ro.f")
printf 'without the last-good cache (--readonly): cpu %.3f s, rss %d KiB = %s of amtool\n' \
	"$2" "$3" "$(ratio "$3" "$a_rss")"

# --- range query over real Prometheus ---
sleep 5
EXPR='rate(prometheus_http_requests_total[5s])'
END=$(date +%s)
START=$((END - 60))
timeout "$CALL_LIMIT" "$PROMTOOL" query range --start="$START" --end="$END" --step=1s \
	"$PROM_URL" "$EXPR" > "$SRV_DIR/pt.out"
n=$(grep -c . "$SRV_DIR/pt.out")
: > "$SRV_DIR/pt.f"; : > "$SRV_DIR/sq.f"
i=0 series_t0=$(date +%s)
while more $i; do
	run1 "$SRV_DIR/pt.f" "$PROMTOOL" query range --start="$START" --end="$END" --step=1s \
		"$PROM_URL" "$EXPR" || exit 1
	run1 "$SRV_DIR/sq.f" "$SITREP" --config "$SR_CONF" --store "$SR_STORE" query "$EXPR" \
		--range 60s --step 1s || exit 1
	i=$((i + 1))
done
set -- $(medians "$SRV_DIR/pt.f"); p_wall=$1
set -- $(medians "$SRV_DIR/sq.f"); q_wall=$1
r=$(ratio "$q_wall" "$p_wall")
printf 'range query (%s lines from promtool): sitrep query %.3f s, promtool query range %.3f s: ratio %s (limit 0.60: %s)\n' \
	"$n" "$q_wall" "$p_wall" "$r" "$(verdict "$r" 0.60)"

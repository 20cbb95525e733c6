# SPDX-License-Identifier: MIT
# bench_tui.sh: the console's costs, driven in tmux: first frame, keypress CPU with 5,000 alerts
# and 500 open incidents, idle CPU, peak RSS, and bytes written to the terminal per idle second.
# Run by `make bench`; build without --enable-sanitizers for figures that mean something.
set -u
: "${SITREP:?}" "${SRCDIR:?}"
command -v tmux >/dev/null 2>&1 || { echo "bench_tui: tmux missing, skipped"; exit 0; }

T=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-bench-tui-XXXXXX")
SOCK="$T/tmux.sock"
TM() { tmux -f /dev/null -S "$SOCK" "$@"; }
trap 'TM kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT
export HOME="$T" XDG_CONFIG_HOME="$T/config" XDG_STATE_HOME="$T/state" TZ=UTC USER=bench
export SITREP_DATADIR="$SRCDIR/data" LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR SITREP_NOW

now_ms() { date +%s%3N; }
# cpu_ticks PID: utime + stime in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t) ? "ok" : "OVER TARGET" }'; }

# run NAME COMMAND...: a 120x40 session running COMMAND; its pid in $T/NAME.pid
run() {
	name=$1
	shift
	TM kill-server >/dev/null 2>&1
	sleep 0.2
	rm -f "$SOCK"
	printf 'echo $$ >"%s/%s.pid"; exec' "$T" "$name" >"$T/$name.sh"
	for a in "$@"; do printf " '%s'" "$a" >>"$T/$name.sh"; done
	echo >>"$T/$name.sh"
	TM new-session -d -x 120 -y 40 "sh $T/$name.sh"
}

wait_screen() {
	n=${2:-500}
	while [ "$n" -gt 0 ]; do
		TM capture-pane -p -t 0 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.01
		n=$((n - 1))
	done
	return 1
}

stat_of() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

echo "bench_tui: sitrep console figures (targets from issue 6)"

# --- 1. first full frame in demo mode ---
best_int=999999 best_ext=999999 best_base=999999
for i in 1 2 3 4 5; do
	# baseline: the same harness around a program that prints at once
	t0=$(now_ms)
	run base sh -c 'echo Open incidents; exec sleep 30'
	wait_screen "Open incidents" 1000
	t1=$(now_ms)
	[ $((t1 - t0)) -lt "$best_base" ] && best_base=$((t1 - t0))

	t0=$(now_ms)
	run first env SITREP_TUI_STATS="$T/first.stats" "$SITREP" --demo
	wait_screen "Open incidents" 1000 || { echo "bench_tui: console did not start"; exit 1; }
	t1=$(now_ms)
	TM send-keys -t 0 q
	n=100; while [ ! -s "$T/first.stats" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n-1)); done
	int=$(stat_of first_frame_ms "$T/first.stats")
	ext=$((t1 - t0))
	[ "$int" -lt "$best_int" ] && best_int=$int
	[ "$ext" -lt "$best_ext" ] && best_ext=$ext
	rm -f "$T/first.stats"
done
printf '  first full frame (console start -> doupdate): %d ms   target < 50 ms: %s\n' \
	"$best_int" "$(verdict "$best_int" 50)"
printf '  process start -> dashboard visible, demo store seeding included: %d ms (%d ms in tmux, minus %d ms for tmux itself)   target < 50 ms: %s\n' \
	$((best_ext - best_base)) "$best_ext" "$best_base" "$(verdict $((best_ext - best_base)) 50)"

# --- 2. 5,000 alerts and 500 open incidents: keypress CPU, peak RSS ---
FX="$T/fixtures"
mkdir -p "$FX"
cp "$SRCDIR"/data/demo/sitrep.conf "$SRCDIR"/data/demo/panel-*.json "$FX/"
awk 'BEGIN {
	split("critical warning error info warning", sev, " ")
	printf "["
	for (i = 0; i < 5000; i++) {
		printf "%s{\"annotations\":{\"summary\":\"synthetic alert %d on host-%d\"},", \
			i ? "," : "", i, i % 700
		printf "\"endsAt\":\"{{now+4m}}\",\"fingerprint\":\"%016x\",", i + 4096
		printf "\"receivers\":[{\"name\":\"oncall\"}],\"startsAt\":\"{{now-%dm}}\",", i % 600 + 1
		printf "\"status\":{\"inhibitedBy\":[],\"silencedBy\":[%s],\"state\":\"%s\"},", \
			i % 10 == 0 ? "\"s1\"" : "", i % 10 == 0 ? "suppressed" : "active"
		printf "\"updatedAt\":\"{{now-30s}}\",\"generatorURL\":\"http://p.invalid/graph\","
		printf "\"labels\":{\"alertname\":\"Alert%02d\",\"severity\":\"%s\",", i % 60, sev[i % 5 + 1]
		printf "\"instance\":\"host-%d:9100\",\"service\":\"svc-%d\",\"job\":\"node\"}}", \
			i % 700, i % 40
	}
	print "]"
}' >"$FX/alerts.json"
DB="$T/big.db"
t0=$(now_ms)
i=0
while [ $i -lt 500 ]; do
	"$SITREP" --store "$DB" incident new --sev "P$((i % 4 + 1))" \
		--title "synthetic incident $i" --service "svc-$((i % 40))" >/dev/null || exit 1
	i=$((i + 1))
done
echo "  (500 incidents created in $(( $(now_ms) - t0 )) ms)"

run big env SITREP_TUI_STATS="$T/big.stats" SITREP_TUI_FIXTURES="$FX" "$SITREP" --store "$DB"
wait_screen "Open incidents: 500" 3000 || { echo "bench_tui: big console did not start"; exit 1; }
sleep 0.5
# 60 keypresses across the views: moves, view switches, the incident detail
for round in 1 2 3 4 5; do
	for k in j j k 2 j j k 3 j Enter q 1; do
		TM send-keys -t 0 "$k"
		sleep 0.05
	done
done
sleep 0.3
TM send-keys -t 0 1 q
n=100; while [ ! -s "$T/big.stats" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n-1)); done
keys=$(stat_of keys "$T/big.stats")
tot=$(stat_of key_cpu_us_total "$T/big.stats")
max=$(stat_of key_cpu_us_max "$T/big.stats")
rss=$(stat_of maxrss_kb "$T/big.stats")
avg=$(awk -v t="$tot" -v k="$keys" 'BEGIN { printf "%.2f", k ? t / k / 1000 : 0 }')
maxms=$(awk -v m="$max" 'BEGIN { printf "%.2f", m / 1000 }')
rssmb=$(awk -v r="$rss" 'BEGIN { printf "%.1f", r / 1024 }')
printf '  keypress redraw CPU, 5,000 alerts + 500 incidents: %s ms mean, %s ms max over %s keys   target < 5 ms: %s\n' \
	"$avg" "$maxms" "$keys" "$(verdict "$avg" 5)"
printf '  peak RSS with 5,000 alerts + 500 incidents: %s MB   target < 20 MB: %s\n' \
	"$rssmb" "$(verdict "$rssmb" 20)"

# --- 3. idle: CPU and bytes written to the terminal, clock running (no SITREP_NOW) ---
run idle "$SITREP" --demo
wait_screen "Open incidents" 1000 || exit 1
sleep 1.2
pid=$(cat "$T/idle.pid")
TM pipe-pane -o -t 0 "cat >>'$T/idle.out'"
c0=$(cpu_ticks "$pid")
t0=$(now_ms)
sleep 10
c1=$(cpu_ticks "$pid")
t1=$(now_ms)
TM pipe-pane -t 0
bytes=$(wc -c <"$T/idle.out")
hz=$(getconf CLK_TCK)
cpu=$(awk -v c=$((c1 - c0)) -v hz="$hz" -v ms=$((t1 - t0)) \
	'BEGIN { printf "%.2f", c / hz / (ms / 1000) * 100 }')
bps=$(awk -v b="$bytes" -v ms=$((t1 - t0)) 'BEGIN { printf "%.0f", b / (ms / 1000) }')
printf '  idle CPU with the 1 Hz tick (10 s): %s %%   target < 1 %%: %s\n' "$cpu" "$(verdict "$cpu" 1)"
printf '  bytes written to the terminal per idle second (10 s, dashboard): %s   target < 300: %s\n' \
	"$bps" "$(verdict "$bps" 300)"
TM send-keys -t 0 q

# --- 4. an HA pair of Alertmanagers, 25,000 alerts each (the same ones), 500 incidents ---
# Stand-in Alertmanagers: python's http.server serving one static answer (it ignores the
# query string), on two ports. The console polls both every 2 s; its CPU over 20 s, divided
# by the cycles the servers saw, is one poll cycle's cost (the 1 Hz clock tick included).
command -v python3 >/dev/null 2>&1 || { echo "bench_tui: python3 missing, HA pair skipped"; exit 0; }
TM kill-server >/dev/null 2>&1
mkdir -p "$T/www/api/v2"
NHA=${NHA:-25000}
awk -v n="$NHA" 'BEGIN {
	split("critical warning error info warning", sev, " ")
	printf "["
	for (i = 0; i < n; i++) {
		printf "%s{\"annotations\":{\"summary\":\"synthetic alert %d on host-%d\"},", \
			i ? "," : "", i, i % 700
		printf "\"endsAt\":\"2099-01-01T00:00:00Z\",\"fingerprint\":\"%016x\",", i + 4096
		printf "\"receivers\":[{\"name\":\"oncall\"}],\"startsAt\":\"2026-11-23T03:%02d:00Z\",", i % 60
		printf "\"status\":{\"inhibitedBy\":[],\"silencedBy\":[%s],\"state\":\"%s\"},", \
			i % 10 == 0 ? "\"s1\"" : "", i % 10 == 0 ? "suppressed" : "active"
		printf "\"updatedAt\":\"2026-11-23T04:00:00Z\",\"generatorURL\":\"http://p.invalid/graph\","
		printf "\"labels\":{\"alertname\":\"Alert%02d\",\"severity\":\"%s\",", i % 60, sev[i % 5 + 1]
		printf "\"instance\":\"host-%d:9100\",\"service\":\"svc-%d\",\"job\":\"node\"}}", \
			i % 700, i % 40
	}
	print "]"
}' >"$T/www/api/v2/alerts"
srv_pids=""
ports=""
for k in 1 2; do
	port=$((20000 + ($$ + k * 7919) % 30000))
	for try in 1 2 3 4 5; do
		python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/www" \
			>"$T/am$k.log" 2>&1 &
		pid=$!
		n=50
		while [ "$n" -gt 0 ] && ! grep -q "Serving HTTP" "$T/am$k.log" 2>/dev/null &&
			kill -0 "$pid" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
		grep -q "Serving HTTP" "$T/am$k.log" 2>/dev/null && break
		kill "$pid" 2>/dev/null
		port=$((port + 13))
	done
	srv_pids="$srv_pids $pid"
	ports="$ports $port"
done
trap 'TM kill-server >/dev/null 2>&1; for p in $srv_pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
set -- $ports
mkdir -p "$T/ha"
cat >"$T/ha/sitrep.conf" <<EOF
[feeds]
alerts_interval = 2s
[alertmanager am1]
url = http://127.0.0.1:$1
[alertmanager am2]
url = http://127.0.0.1:$2
EOF
run ha env no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 SITREP_TUI_STATS="$T/ha.stats" \
	"$SITREP" --config "$T/ha/sitrep.conf" --store "$DB"
wait_screen "Open incidents: 500" 3000 || { echo "bench_tui: HA console did not start"; exit 1; }
wait_screen "am ok" 3000 || { echo "bench_tui: HA console got no alerts"; exit 1; }
pid=$(cat "$T/ha.pid")
first=$(cpu_ticks "$pid")
sleep 3
g0=$(cat "$T/am1.log" "$T/am2.log" | grep -c '"GET /api/v2/alerts')
c0=$(cpu_ticks "$pid")
sleep 20
c1=$(cpu_ticks "$pid")
g1=$(cat "$T/am1.log" "$T/am2.log" | grep -c '"GET /api/v2/alerts')
hz=$(getconf CLK_TCK)
cycles=$(( (g1 - g0) / 2 ))
cyc=$(awk -v c=$((c1 - c0)) -v hz="$hz" -v n="$cycles" \
	'BEGIN { printf "%.0f", n ? c / hz * 1000 / n : 99999 }')
firstms=$(awk -v c="$first" -v hz="$hz" 'BEGIN { printf "%.0f", c / hz * 1000 }')
for round in 1 2 3 4 5; do
	for k in j j k 2 j j k 3 j Enter q 1; do
		TM send-keys -t 0 "$k"
		sleep 0.05
	done
done
sleep 0.3
TM send-keys -t 0 1 q
n=100; while [ ! -s "$T/ha.stats" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n-1)); done
keys=$(stat_of keys "$T/ha.stats")
tot=$(stat_of key_cpu_us_total "$T/ha.stats")
max=$(stat_of key_cpu_us_max "$T/ha.stats")
rss=$(stat_of maxrss_kb "$T/ha.stats")
avg=$(awk -v t="$tot" -v k="$keys" 'BEGIN { printf "%.2f", k ? t / k / 1000 : 0 }')
maxms=$(awk -v m="$max" 'BEGIN { printf "%.2f", m / 1000 }')
rssmb=$(awk -v r="$rss" 'BEGIN { printf "%.1f", r / 1024 }')
printf '  HA pair, 2 x %d alerts (%s bytes each) + 500 incidents:\n' "$NHA" "$(wc -c <"$T/www/api/v2/alerts")"
printf '    start -> both answers read (the cold cycle, process start included): %s ms CPU\n' "$firstms"
printf '    one poll cycle (both Alertmanagers, steady state, %d cycles in 20 s): %s ms CPU   target < 150 ms: %s\n' \
	"$cycles" "$cyc" "$(verdict "$cyc" 150)"
printf '    keypress redraw CPU: %s ms mean, %s ms max over %s keys   target < 5 ms: %s\n' \
	"$avg" "$maxms" "$keys" "$(verdict "$avg" 5)"
printf '    peak RSS: %s MB   target < 30 MB: %s\n' "$rssmb" "$(verdict "$rssmb" 30)"
exit 0


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
exit 0

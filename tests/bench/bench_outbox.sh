# SPDX-License-Identifier: MIT
# bench_outbox.sh: from `sitrep slack ID update --send` starting (the console's send key runs
# the same queue-and-deliver path) to the local Slack stand-in receiving the message, on
# loopback; budget 100 ms. Beside it, curl posting the same payload to the same receiver.
set -eu
: "${SITREP:?}" "${SRCDIR:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-bench-outbox-XXXXXX")
command -v python3 >/dev/null || { echo "python3 missing"; exit 0; }
command -v jq >/dev/null || { echo "jq missing"; exit 0; }
: >"$T/log"
python3 "$SRCDIR/tests/cli/slack_receiver.py" "$T/port" "$T/log" xoxb-bench &
srv=$!
trap 'kill $srv 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$T/port")
printf 'xoxb-bench\n' >"$T/token"
cat >"$T/sitrep.conf" <<CONF
[slack bench]
token_file = $T/token
channel = C_BENCH
api_url = http://127.0.0.1:$port/api
min_interval = 0
CONF
S() { "$SITREP" --config "$T/sitrep.conf" --store "$T/s.db" "$@"; }
S incident new --sev P1 --title "bench" --service checkout >/dev/null
n=0
: >"$T/starts"
cpu0=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
while [ $n -lt 21 ]; do
	date +%s.%N >>"$T/starts"
	S slack INC-2026-001 update --send --wait 5 >/dev/null
	n=$((n + 1))
done
# CPU of the 21 sitrep processes (user + system of waited-for children, in clock ticks)
cpu1=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
# curl alone, the same body, the same receiver
S outbox list --all --json | jq -c '.[0]' >/dev/null
body='{"text":"bench","channel":"C_CURL","blocks":[]}'
: >"$T/curl-starts"
n=0
while [ $n -lt 21 ]; do
	date +%s.%N >>"$T/curl-starts"
	curl -s -o /dev/null -H 'Authorization: Bearer xoxb-bench' -H 'Content-Type: application/json' \
		-d "$body" "http://127.0.0.1:$port/api/chat.postMessage"
	n=$((n + 1))
done
ms() { # CHANNEL STARTS: median ms from start to arrival
	jq -s --arg ch "$1" '[.[] | select(.channel == $ch) | .time]' "$T/log" >"$T/arr.json"
	jq -R 'tonumber' "$2" | jq -s --slurpfile a "$T/arr.json" \
		'[range(0; length) as $i | ($a[0][$i] - .[$i]) * 1000] | sort | .[length / 2 | floor] | . * 10 | round / 10'
}
tck=$(getconf CLK_TCK)
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: wall times grow with it)"
echo "sitrep slack --send: $(( (cpu1 - cpu0) * 1000 / tck / 21 )) ms CPU per send (process start, store, render, post)"
echo "send key -> receiver, median of 21: sitrep $(ms C_BENCH "$T/starts") ms (process start, store, render, post); curl $(ms C_CURL "$T/curl-starts") ms (budget 100 ms)"

# --- the console: from the y that confirms the send key to the receiver getting the message;
# the console is already running (no process start), its worker thread posts
if command -v tmux >/dev/null; then
	SOCK="$T/tmux.sock"
	TM() { tmux -f /dev/null -S "$SOCK" "$@"; }
	S incident new --sev P1 --title "console bench" --service checkout >/dev/null
	TM new-session -d -x 100 -y 30 "env SITREP_TYPEAHEAD_MS=0 TERM=screen-256color \
		$SITREP --config $T/sitrep.conf --store $T/s.db"
	trap 'TM kill-server 2>/dev/null; kill $srv 2>/dev/null; rm -rf "$T"' EXIT
	sleep 1
	TM send-keys -t 0 6
	sleep 0.5
	: >"$T/cstarts"
	n=0
	while [ $n -lt 11 ]; do
		before=$(grep -c C_BENCH "$T/log")
		TM send-keys -t 0 s
		sleep 0.3
		date +%s.%N >>"$T/cstarts"
		TM send-keys -t 0 y
		i=0
		while [ "$(grep -c C_BENCH "$T/log")" -le "$before" ] && [ $i -lt 100 ]; do
			sleep 0.02
			i=$((i + 1))
		done
		n=$((n + 1))
	done
	TM send-keys -t 0 q q
	jq -s '[.[] | select(.channel == "C_BENCH") | .time] | .[21:]' "$T/log" >"$T/arr.json"
	med=$(jq -R 'tonumber' "$T/cstarts" | jq -s --slurpfile a "$T/arr.json" \
		'[range(0; length) as $i | ($a[0][$i] - .[$i]) * 1000] | sort | .[length / 2 | floor] | . * 10 | round / 10')
	echo "console: y (send confirmed) -> receiver, median of 11: $med ms (tmux send-keys included; budget 100 ms); curl above"
fi

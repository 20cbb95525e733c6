# SPDX-License-Identifier: MIT
# bench_outbox.sh: from `sitrep slack ID update --send` starting (the console's send key runs
# the same queue-and-deliver path) to the local Slack stand-in receiving the message, on
# loopback; budget 100 ms. Beside it, curl posting the same payload to the same receiver.
# Then the console itself: p, the question, y, and the receiver's arrival time. (Its section
# hung: the EXIT trap's `tmux kill-server` failed once the console had quit, set -e ended the
# trap before `kill $srv`, and the receiver kept the output pipe open. It also pressed `s`, not
# the send key, and slept fixed times instead of waiting for the screen.)
set -eu
: "${SITREP:?}" "${SRCDIR:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-bench-outbox-XXXXXX")
command -v python3 >/dev/null || { echo "python3 missing"; exit 0; }
command -v jq >/dev/null || { echo "jq missing"; exit 0; }
: >"$T/log"
# the receiver does not hold this script's output open: make bench (or a pipe) would wait for it
python3 "$SRCDIR/tests/cli/slack_receiver.py" "$T/port" "$T/log" xoxb-bench </dev/null >/dev/null 2>&1 &
srv=$!
# under set -e a failing command ends an EXIT trap: each one here is allowed to fail (a console
# that had quit made `tmux kill-server` fail, the receiver was never killed and, holding the
# output pipe, kept `make bench` waiting)
trap 'kill $srv 2>/dev/null || true; rm -rf "$T"' EXIT
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

# --- the console: from the y that confirms the send key (p) to the receiver getting the
# message; the console is already running (no process start), its worker thread posts. Every
# wait is bounded: a console that does not start or does not send ends the section with a
# message, never a hang.
if command -v tmux >/dev/null; then
	SOCK="$T/tmux.sock"
	TM() { tmux -f /dev/null -S "$SOCK" "$@"; }
	# until_screen TEXT: polls the console's screen (5 s at most); 0 when it shows TEXT
	until_screen() {
		i=0
		while [ $i -lt 250 ]; do
			TM capture-pane -p -t 0 2>/dev/null | grep -qF -- "$1" && return 0
			sleep 0.02
			i=$((i + 1))
		done
		return 1
	}
	S incident new --sev P1 --title "console bench" --service checkout >/dev/null
	trap 'TM kill-server 2>/dev/null || true; kill $srv 2>/dev/null || true; rm -rf "$T"' EXIT
	TM new-session -d -x 100 -y 30 "env SITREP_TYPEAHEAD_MS=0 TERM=screen-256color \
		LANG=C.UTF-8 $SITREP --config $T/sitrep.conf --store $T/s.db" </dev/null >/dev/null 2>&1
	sent=0 med=""
	if until_screen "Open incidents"; then
		TM send-keys -t 0 6
		until_screen "Slack preview" || echo "console: the Slack view did not show"
		: >"$T/cstarts"
		base=$(grep -c C_BENCH "$T/log" || true)
		n=0
		while [ $n -lt 11 ]; do
			TM send-keys -t 0 p
			until_screen "y to send" || { echo "console: no send question"; break; }
			date +%s.%N >>"$T/cstarts"
			TM send-keys -t 0 y
			i=0
			while [ "$(grep -c C_BENCH "$T/log" || true)" -le $((base + n)) ] && [ $i -lt 250 ]; do
				sleep 0.005
				i=$((i + 1))
			done
			[ $i -lt 250 ] || { echo "console: message $((n + 1)) not received in 1.25 s"; break; }
			sent=$((sent + 1))
			n=$((n + 1))
			sleep 0.2
		done
		# what tmux itself costs of the figure: a client run to the same server, 11 times
		: >"$T/tmux-ms"
		n=0
		while [ $n -lt 11 ]; do
			a=$(date +%s%N)
			TM has-session 2>/dev/null || true
			echo $(( ($(date +%s%N) - a) / 1000 )) >>"$T/tmux-ms"
			n=$((n + 1))
		done
		tmux_ms=$(sort -n "$T/tmux-ms" | sed -n 6p)
		TM send-keys -t 0 q q
	else
		echo "console: did not start"
	fi
	TM kill-server 2>/dev/null || true
	if [ "$sent" -gt 0 ]; then
		jq -s --argjson from "$base" '[.[] | select(.channel == "C_BENCH") | .time] | .[$from:]' \
			"$T/log" >"$T/arr.json"
		med=$(jq -R 'tonumber' "$T/cstarts" | head -n "$sent" | jq -s --slurpfile a "$T/arr.json" \
			'[range(0; length) as $i | ($a[0][$i] - .[$i]) * 1000] | sort | .[length / 2 | floor] | . * 10 | round / 10')
	fi
	echo "console: y (send confirmed) -> receiver, median of $sent: ${med:-none} ms (tmux send-keys included, a tmux client run alone takes ${tmux_ms:-?} us; budget 100 ms); curl $(ms C_CURL "$T/curl-starts") ms to the same receiver"
fi

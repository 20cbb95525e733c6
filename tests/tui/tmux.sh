# SPDX-License-Identifier: MIT
# tmux.sh: helpers for the console tests: the real binary in a private tmux server (sourced).
. "$SRCDIR/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux missing: skipped"; exit 77; }

SOCK="$T/tmux.sock"
GOLDEN="$SRCDIR/tests/tui/golden"
export SITREP_NOW=2026-11-23T03:12:00Z
# keys are sent in bursts here; tests/tui/typeahead.sh checks the type-ahead guard itself
export SITREP_TYPEAHEAD_MS=${SITREP_TYPEAHEAD_MS:-0}

TM() {
	tmux -f /dev/null -S "$SOCK" "$@"
}

cleanup_tmux() {
	tmux -f /dev/null -S "$SOCK" kill-server >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup_tmux EXIT

# start W H [VAR=value...] -- [sitrep arguments...]: runs sitrep in a new W x H session. The
# pane's shell records sitrep's exit status and the terminal modes afterwards, then waits.
start() {
	w=$1 h=$2
	shift 2
	{
		echo "export TZ=UTC USER=tester LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color"
		echo "unset NO_COLOR"
		while [ $# -gt 0 ] && [ "$1" != "--" ]; do
			echo "export $1"
			shift
		done
		[ "${1:-}" = "--" ] && shift
		printf 'sh -c '\''echo $$ >"%s/pid"; exec "$0" "$@"'\'' "%s"' "$T" "$SITREP"
		for a in "$@"; do printf " '%s'" "$a"; done
		printf ' 2>"%s/stderr"\n' "$T"
		echo "echo SITREP-EXIT=\$?"
		echo "stty -a >\"$T/stty\" 2>&1"
		echo "exec sleep 120"
	} >"$T/run.sh"
	rm -f "$T/pid" "$T/stty"
	TM kill-server >/dev/null 2>&1
	n=50	# the previous server must be gone before a new one takes the socket
	while [ -S "$SOCK" ] && TM has-session >/dev/null 2>&1 && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	rm -f "$SOCK"
	TM new-session -d -x "$w" -y "$h" "sh $T/run.sh"
}

# capture: the screen into $T/screen (trailing spaces removed).
capture() {
	TM capture-pane -p -t 0 2>/dev/null | sed 's/[[:space:]]*$//' >"$T/screen"
}

# wait_for TEXT [TRIES]: polls the screen (0.1 s apart) until it holds TEXT. 0 or 1.
wait_for() {
	n=${2:-60}
	while [ "$n" -gt 0 ]; do
		capture
		grep -qF -- "$1" "$T/screen" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# expect TEXT [TRIES]: the screen shows TEXT (waiting for it a little: TRIES polls, 60 unless told).
expect() {
	_t0=$(date +%s%N)
	if wait_for "$1" "${2:-}"; then pass; else
		fail "screen lacks \"$1\" (looked for $(( ($(date +%s%N) - _t0) / 1000000 )) ms)"
		sed 's/^/  screen: /' "$T/screen" >&2
	fi
}

# scroll_to TEXT: presses j, one at a time (150 at most), until the screen shows TEXT (a view
# that scrolls, like the help, whose length grows with the key table); then expects TEXT.
scroll_to() {
	i=0
	capture
	while ! grep -qF -- "$1" "$T/screen" && [ $i -lt 150 ]; do
		keys j
		sleep 0.05
		capture
		i=$((i + 1))
	done
	expect "$1"
}

# settled SIGN: waits (6 s at most) until the screen shows SIGN, a positive sign that the repaint
# after the last keys happened, and then stays the same over two captures 0.2 s apart. 0 or 1.
settled() {
	wait_for "$1" || return 1
	n=30
	# Numbers are masked before the two captures are compared: the header's clock, "data 3s
	# old" and "retry 8s" tick every second, and under load two captures 0.2 s apart can
	# straddle a tick every time. Settled means the text stands still, not the clock.
	sed 's/[0-9][0-9]*/#/g' "$T/screen" > "$T/screen.prev"
	while [ "$n" -gt 0 ]; do
		sleep 0.2
		capture
		sed 's/[0-9][0-9]*/#/g' "$T/screen" > "$T/screen.now"
		grep -qF -- "$1" "$T/screen" && cmp -s "$T/screen.now" "$T/screen.prev" && return 0
		mv "$T/screen.now" "$T/screen.prev"
		n=$((n - 1))
	done
	return 1
}

# expect_not TEXT SIGN: once the screen settled showing SIGN (see settled), TEXT is not on it.
# An absence checked after a fixed pause passes without checking anything when the repaint is
# slow; SIGN is required for that reason.
expect_not() {
	if [ $# -ne 2 ]; then
		fail "expect_not \"$1\": no sign that the screen settled"
	elif ! settled "$2"; then
		fail "screen never settled showing \"$2\" (to check that \"$1\" is absent)"
		sed 's/^/  screen: /' "$T/screen" >&2
	elif grep -qF -- "$1" "$T/screen"; then
		fail "screen has \"$1\""
		sed 's/^/  screen: /' "$T/screen" >&2
	else pass; fi
}

# keys KEY...: send-keys, then a short settle for the repaint.
keys() {
	TM send-keys -t 0 "$@"
	sleep 0.15
}

# golden NAME: the whole screen equals tests/tui/golden/NAME.txt
# (SITREP_UPDATE_GOLDEN=1 rewrites the file instead).
golden() {
	sleep 0.2
	capture
	if [ "${SITREP_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$T/screen" "$GOLDEN/$1.txt"
		pass
	elif diff -u "$GOLDEN/$1.txt" "$T/screen" >"$T/diff"; then
		pass
	else
		fail "screen differs from golden $1.txt"
		sed 's/^/  /' "$T/diff" >&2
	fi
}

# quit_and_check: q on the dashboard quits with status 0, the terminal is back in cooked
# mode with echo, and sitrep wrote nothing to stderr (sanitizer reports included).
expect_exit() {
	want=$1
	if wait_for "SITREP-EXIT=$want" 60; then pass; else
		fail "sitrep did not exit with $want"
		sed 's/^/  screen: /' "$T/screen" >&2
	fi
	n=30
	while [ ! -s "$T/stty" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	if grep -q -- ' icanon' "$T/stty" && grep -q -- ' echo' "$T/stty"; then pass; else
		fail "terminal not restored (stty: $(tr '\n' ' ' <"$T/stty"))"
	fi
	if [ -s "$T/stderr" ]; then
		fail "sitrep wrote to stderr"
		sed 's/^/  stderr: /' "$T/stderr" >&2
	else pass; fi
}

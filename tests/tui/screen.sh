# SPDX-License-Identifier: MIT
# screen.sh: the console inside GNU screen (detached, private socket dir): the demo dashboard
# appears, a view switch answers, q quits cleanly and the terminal is restored.
. "$SRCDIR/tests/lib.sh"

command -v screen >/dev/null 2>&1 || { echo "screen missing: skipped"; exit 77; }

export SCREENDIR="$T/screens"	# screen insists on a private (0700) socket directory
mkdir -p "$SCREENDIR"
chmod 700 "$SCREENDIR"
NAME="sitrep-test-$$"
SCR_PID=""

SC() {
	screen -S "$NAME" "$@"
}

cleanup_screen() {
	SC -X quit >/dev/null 2>&1
	if [ -n "$SCR_PID" ] && grep -q "$NAME" "/proc/$SCR_PID/cmdline" 2>/dev/null; then
		kill "$SCR_PID" 2>/dev/null
		wait "$SCR_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup_screen EXIT

# A detached screen has no display to take a size from: its window is 80x24, the console's
# minimum. hardcopy keeps only the low byte of non-ASCII cells, so the checks use ASCII text.
printf 'startup_message off\ndefutf8 on\ndefscrollback 0\n' >"$T/screenrc"
{
	echo "export TZ=UTC USER=tester LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen"
	echo "export SITREP_NOW=2026-11-23T03:12:00Z"
	echo "unset NO_COLOR"
	printf '"%s" --demo 2>"%s/stderr"\n' "$SITREP" "$T"
	echo "echo SITREP-EXIT=\$?"
	echo "stty -a >\"$T/stty\" 2>&1"
	echo "exec sleep 120"
} >"$T/run.sh"
TERM=xterm screen -U -c "$T/screenrc" -D -m -S "$NAME" sh "$T/run.sh" &
SCR_PID=$!

# capture: the screen into $T/screen (trailing spaces removed).
capture() {
	rm -f "$T/hardcopy"
	SC -X hardcopy "$T/hardcopy" >/dev/null 2>&1
	w=20	# the command returns before screen wrote the file (w, not n: expect counts with n)
	while [ ! -s "$T/hardcopy" ] && [ "$w" -gt 0 ]; do sleep 0.05; w=$((w - 1)); done
	sed 's/[[:space:]]*$//' "$T/hardcopy" >"$T/screen" 2>/dev/null
}

# expect TEXT [TRIES]: polls the screen (0.1 s apart) until it holds TEXT.
expect() {
	n=${2:-60}
	while [ "$n" -gt 0 ]; do
		capture
		if grep -qF -- "$1" "$T/screen"; then pass; return; fi
		sleep 0.1
		n=$((n - 1))
	done
	fail "screen lacks \"$1\""
	sed 's/^/  screen: /' "$T/screen" >&2
}

keys() {
	SC -X stuff "$1"
	sleep 0.15
}

expect "Open incidents: 4" 100
expect "INC-2026-005 P1  triggered"
expect "1 dashboard  2 alerts"
expect "j/k select  Enter open"
# 80x24: the last line of the window is the key hints
capture
if [ "$(wc -l <"$T/screen")" -le 24 ] && [ "$(wc -L <"$T/screen")" -le 80 ]; then pass; else
	fail "screen is not 80x24 ($(wc -l <"$T/screen") lines, $(wc -L <"$T/screen") wide)"
fi
keys 2
expect "Alerts: 9, by alertname"
keys 1
expect "Open incidents: 4"
keys q
expect "SITREP-EXIT=0"
n=30
while [ ! -s "$T/stty" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
if grep -q -- ' icanon' "$T/stty" && grep -q -- ' echo' "$T/stty"; then pass; else
	fail "terminal not restored (stty: $(tr '\n' ' ' <"$T/stty" 2>/dev/null))"
fi
if [ -s "$T/stderr" ]; then
	fail "sitrep wrote to stderr"
	sed 's/^/  stderr: /' "$T/stderr" >&2
else pass; fi
finish

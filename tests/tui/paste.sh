# SPDX-License-Identifier: MIT
# paste.sh: input that is not typing (issue 11), at 80x24 with the real type-ahead guard.
# A stack trace pasted into the note prompt holds "at" (a = acknowledge) and an ESC (quits
# the dashboard): pasted bracketed (tmux paste-buffer -p) it is the note's text, newlines kept;
# pasted plain it submits its first line and the rest, arriving in the same burst, is not
# keys. Either way the incident is not acknowledged and the console does not quit. A one-line
# prompt gets a paste's line breaks as spaces; a paste with no prompt open does nothing; a
# note of several kilobytes is taken whole, scrolling in the prompt.
export SITREP_TYPEAHEAD_MS=300
. "$SRCDIR/tests/tui/tmux.sh"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }

DB="$T/s.db"
S() { "$SITREP" --store "$DB" "$@"; }
run 0 S incident new --sev P1 --title "Checkout API 5xx" --service checkout
ID=$(sed -n 's/^\(INC-[0-9]*-[0-9]*\).*/\1/p' "$T/out")

# the trace: a Java stack ("at" on every later line), an ESC sequence and a lone ESC, a q
printf 'java.lang.IllegalStateException: pool exhausted\n\tat com.example.Pool.get(Pool.java:42)\n\tat com.example.Checkout.pay(Checkout.java:7)\n\033[2J\033 q\n' >"$T/trace"

status_is() {
	S incident show "$ID" --json >"$T/out" 2>"$T/err"
	jq_is .status "$1"
}

# past_guard: keys within SITREP_TYPEAHEAD_MS of an Enter are taken as a paste's rest and
# ignored (the guard under test), so a test's next key waits it out, as a person reads first
past_guard() { sleep 0.5; }

open_note() {
	past_guard
	keys n
	expect "$ID note:"
	sleep 0.5	# past the type-ahead guard: the user reads the prompt, then pastes
}

start 80 24 -- --store "$DB"
expect "Open incidents: 1"
keys 3
expect "$ID"
keys Enter
expect "$ID P1 triggered"

# 1. bracketed paste: the whole trace is the note's text, nothing of it runs as keys
TM load-buffer -b trace "$T/trace"
open_note
TM paste-buffer -p -d -b trace -t 0
expect "Checkout.java:7)"
keys Enter
expect "pool exhausted"
expect "$ID P1 triggered"
expect_not "SITREP-EXIT" "$ID P1 triggered"
status_is triggered
jq_is '[.events[] | select(.kind == "note") | .detail | select(startswith("java.lang"))][0] | split("\n") | length' 4
jq_is '[.events[] | select(.kind == "note") | .detail][0] | test("\u001b")' false

# 2. plain paste (no bracketed paste marks): the first line is the note; the rest came in the
# same burst as its Enter and is ignored, said in a message
TM load-buffer -b trace "$T/trace"
open_note
TM paste-buffer -d -b trace -t 0
expect "right after Enter ignored (a paste?)"
expect "$ID P1 triggered"
expect_not "SITREP-EXIT" "$ID P1 triggered"
status_is triggered
sleep 0.5
# after the guard, keys are keys again
keys a
expect "$ID P1 acknowledged"
status_is acknowledged

# 3. a one-line prompt (the role): the paste's line breaks become spaces, said in the prompt
keys o
expect "assign ROLE NAME"
sleep 0.5
printf 'commander\ndana\n' >"$T/role"
TM load-buffer -b role "$T/role"
TM paste-buffer -p -d -b role -t 0
expect "(2 lines joined)"
keys Enter
expect "commander dana"

# 4. a paste with no prompt open: ignored, never keys (its "q" and ESC do not quit)
sleep 0.5
TM load-buffer -b trace "$T/trace"
TM paste-buffer -p -d -b trace -t 0
expect "paste ignored"
expect_not "SITREP-EXIT" "$ID P1 acknowledged"

# 5. a note of 6,000 bytes (2,000 three-byte characters then an end mark) is taken whole
python3 -c 'import sys; sys.stdout.write("\u20ac" * 2000 + " END-OF-LONG-NOTE")' >"$T/long"
open_note
TM load-buffer -b long "$T/long"
TM paste-buffer -p -d -b long -t 0
expect "END-OF-LONG-NOTE"
expect "…€€€"	# scrolled: the end in view, the start marked as scrolled off
keys Enter
expect "$ID P1 acknowledged"
expect_not "$ID note:" "$ID P1 acknowledged"
S incident show "$ID" --json >"$T/out" 2>"$T/err"
jq_is '[.events[] | select(.kind == "note") | .detail | select(endswith("END-OF-LONG-NOTE"))][0] | length' 2017

# leaving: bracketed paste is turned off again (the shell gets no paste marks it did not ask
# for); that it was on shows above: tmux wraps a paste only for a pane that asked
TM pipe-pane -O -t 0 "cat >>'$T/raw'"
past_guard
keys q
keys q
keys q
expect_exit 0
TM pipe-pane -t 0
if LC_ALL=C grep -q "$(printf '\033\\[?2004l')" "$T/raw"; then pass; else
	fail "bracketed paste not turned off at exit: $(tail -c 200 "$T/raw" | cat -v)"
fi
finish

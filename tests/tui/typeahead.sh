# SPDX-License-Identifier: MIT
# typeahead.sh: keys that cannot hurt (issue 12), at 80x24 with the real type-ahead guard.
# The case from the issue: text typed in one burst that opens the silence form on its first
# key must not fill the form's matchers, and no Enter or "y" typed ahead may create the
# silence; an outward action (silence, resolve) asks a y/n question that only a y typed
# after the question appeared answers.
export SITREP_TYPEAHEAD_MS=300
. "$SRCDIR/tests/tui/tmux.sh"

# burst: KEYS... sent at once, as a fast typist's keys arrive
burst() {
	TM send-keys -t 0 "$@"
	sleep 0.6
}

start 80 24 -- --demo
expect "Open incidents: 4"
keys 2
expect "Alerts: 9"

# 1. "z" opens the silence form; the rest of the burst, Enters and y included, is ignored
burst z 'low disk on node-3, yes' Enter y Enter
# the form's text is longer than the line: its end (where the cursor is) shows, and the
# burst's text would be there if it had been taken
expect "Silence 2h [matches 1 of 9 alerts]: …yments-api\",instance=\"payments-api-2:8080\""
expect_not "low disk" 'Silence 2h [matches 1 of 9 alerts]'
expect_not "? y to do it" 'Silence 2h [matches 1 of 9 alerts]'
expect_not "demo: silenced" 'Silence 2h [matches 1 of 9 alerts]'
keys Escape
expect "cancelled"

# 2. the question: a "y" typed in the same burst as the Enter does not answer it
keys z
sleep 0.5
burst Enter y
expect "Silence [matches 1 of 9 alerts] for 2h? y to do it, any other key cancels"
expect_not "demo: silenced" "for 2h? y to do it, any other key cancels"

# 3. any key but y answers no
keys n
expect "cancelled (nothing done)"
expect_not "demo: silenced" "cancelled (nothing done)"

# 4. asked, read, answered: the silence is made
keys z
sleep 0.5
keys Enter
expect "? y to do it"
sleep 0.6
keys y
expect "demo: silenced 1 alert(s)"

# 5. resolve asks too: Enter alone resolves nothing
keys 3
expect "INC-2026-005"
keys Enter
expect "INC-2026-005 P1 triggered"
keys R
sleep 0.5
keys 'rolled back' Enter
expect "Resolve (resolution: rolled back)? y to do it"
sleep 0.6
keys Enter
expect "cancelled (nothing done)"
expect "INC-2026-005 P1 triggered"
finish

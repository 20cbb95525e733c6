# SPDX-License-Identifier: MIT
# runbook_hscroll.sh: code blocks in the runbook view are never wrapped and scroll sideways
# (h/l, Left/Right, 0), with the cut marked on each side; prose keeps wrapping.
. "$SRCDIR/tests/tui/tmux.sh"

printf '[runbooks]\ndirs = %s/tests/fixtures/tui\n' "$SRCDIR" >"$T/c.conf"

# line TEXT: the screen line holding TEXT (empty when none)
line() {
	capture
	grep -F -- "$1" "$T/screen" | head -1
}

# ends_with TEXT MARK: the screen line holding TEXT ends with MARK at the window's last column
ends_with() {
	l=$(line "$1")
	case $l in
	*"$2") [ "$(printf '%s' "$l" | wc -m)" -eq "$3" ] && { pass; return; } ;;
	esac
	fail "line with \"$1\" does not end with \"$2\" at column $3: \"$l\""
}

start 80 24 SITREP_TUI_FIXTURES="$SRCDIR/data/demo" SITREP_RUNBOOK_INDEX="$T/idx.db" -- \
	--config "$T/c.conf" --store "$T/s.db"
expect "Open incidents"
keys 4
keys : 'runbook wide-code' Enter
expect "── Wide code"
# the widest code line (4 + 121 columns) reaches 47 columns past the 78 laid out
expect "code +0/47 (h/l)"
# prose is wrapped, code is not: the start of each long code line shows, its end is cut
expect "PROSE-TAIL"
prose=$(line "Prose keeps wrapping")
expect "kubectl START-MARK get pods"
expect_not "END-MARK" "code +0/47 (h/l)"
expect "select INDENT-HEAD"
expect_not "INDENT-TAIL" "code +0/47 (h/l)"
expect "QUOTE-HEAD curl"
expect_not "QUOTE-TAIL" "code +0/47 (h/l)"
expect "short-line"
ends_with "START-MARK" "…" 80
ends_with "INDENT-HEAD" "…" 80
# three steps of 8 columns right: the starts scroll away, marked on the left
keys l l l
expect "code +24/47 (h/l)"
expect_not "START-MARK" "code +24/47 (h/l)"
expect_not "INDENT-HEAD" "code +24/47 (h/l)"
expect_not "short-line" "code +24/47 (h/l)"
l=$(line "--namespace payments")
case $l in
"      …"*) pass ;;
*) fail "no cut marker on the left of the scrolled code line: \"$l\"" ;;
esac
# the quote bar stays put while its code scrolls
l=$(line "/dev/null")
case $l in
"  │     …"*) pass ;;
*) fail "quoted code line lost its bar or marker: \"$l\"" ;;
esac
# prose does not move
[ "$(line "Prose keeps wrapping")" = "$prose" ] && pass || fail "prose moved sideways"
# Right arrow and l go on; the offset stops where the widest line's end shows
keys Right l l l l
expect "code +47/47 (h/l)"
expect "END-MARK"
expect "INDENT-TAIL"
expect "QUOTE-TAIL"
expect "CJK-TAIL"
expect_not "START-MARK" "code +47/47 (h/l)"
expect_not "--namespace" "code +47/47 (h/l)"
ends_with "END-MARK" "END-MARK" 80
# h and Left come back 8 columns each; 0 returns to column 0
keys h Left
expect "code +31/47 (h/l)"
keys 0
expect "code +0/47 (h/l)"
expect "kubectl START-MARK get pods"
expect "select INDENT-HEAD"
expect_not "END-MARK" "code +0/47 (h/l)"
[ "$(line "Prose keeps wrapping")" = "$prose" ] && pass || fail "prose changed after 0"
# the keys are in the help, from the key table
keys '?'
expect "Keys (from the key table)"
scroll_to "h Left        wide code blocks: scroll left 8 columns"	# the help scrolls with j/k
scroll_to "l Right       wide code blocks: scroll right 8 columns"
scroll_to "0             wide code blocks: back to column 0"
keys q
# scrolled, then widened until every code line fits: no offset shown, l says so
keys l l
expect "code +16/47 (h/l)"
TM resize-window -t 0 -x 140 -y 30
expect "CJK-TAIL"
expect "kubectl START-MARK"
expect "END-MARK"
expect_not "code +" "END-MARK"
expect_not "…" "END-MARK"
keys l
expect "no code wider than the window"
expect "kubectl START-MARK"
# narrow again: the offset starts from column 0
TM resize-window -t 0 -x 80 -y 24
expect "code +0/47 (h/l)"
expect "kubectl START-MARK"
# a table wider than the window scrolls sideways like code: nothing is cut, the threshold
# at the end of its PromQL cell comes into view (issue 12)
keys : 'runbook wide-table' Enter
expect "── Wide table"
expect "TABLE-HEAD HighErrorRate"
expect_not "TABLE-TAIL" "TABLE-HEAD HighErrorRate"
keys Right l l l l l l l l l l l l
expect "TABLE-TAIL"
expect "> 0.05"
keys q q q
expect_exit 0

# not UTF-8: the ASCII marker
start 80 24 LC_ALL=C SITREP_TUI_FIXTURES="$SRCDIR/data/demo" SITREP_RUNBOOK_INDEX="$T/idx.db" \
	-- --config "$T/c.conf" --store "$T/s.db"
expect "Open incidents"
keys : 'runbook wide-code' Enter
expect "code +0/47 (h/l)"
ends_with "START-MARK" "." 80
keys l
expect "code +8/47 (h/l)"
l=$(line "-namespace payments")
case $l in
"      ."*) pass ;;
*) fail "no ASCII cut marker on the left: \"$l\"" ;;
esac
keys q q
expect_exit 0
finish

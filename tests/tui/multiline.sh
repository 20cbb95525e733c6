# SPDX-License-Identifier: MIT
# multiline.sh: stored text with line breaks (a note pasted with its newlines, an impact, a
# root cause, a resolution set from the CLI) keeps its line structure on the console: each line
# on a row of its own in the field's column, the later ones indented by two, long lines wrapped,
# every line sanitised; a field with more lines than its rows ends in an ellipsis. Nothing is
# flattened into one row, and no stored line lands where the console draws a label or a time.
. "$SRCDIR/tests/tui/tmux.sh"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }

DB="$T/s.db"
nl='
'
SR() { "$SITREP" --store "$DB" "$@" >/dev/null 2>&1 || fail "sitrep $*"; }
SR incident new --sev P2 --title "Checkout errors" \
	--impact "EU checkout fails${nl}Status: RESOLVED${nl}third impact line${nl}fourth${nl}fifth${nl}sixth"
ID=INC-2026-001
SR incident note "$ID" "first note line${nl}second note line$(printf '\033[2J')${nl}third note line with enough words to wrap at eighty columns of the narrow layout for sure"
SR incident set "$ID" cause "disk full on db-1${nl}09:00  forged  a fake timeline row"
SR incident set "$ID" resolution "freed space${nl}added an alert"

# below: TEXT at column C of some row; the next rows hold each LINE at column C+IN (IN: 2)
lines_under() {
	python3 - "$T/screen" "$@" <<'PY' && pass || fail "lines not kept under \"$2\" (see the screen)"
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
first, rest = sys.argv[2], sys.argv[3:]
seen = []
for r, row in enumerate(rows):
    c = row.find(first)
    while c >= 0:
        bad = []
        for k, want in enumerate(rest, 1):
            got = rows[r + k] if r + k < len(rows) else ""
            if got[c + 2:c + 2 + len(want)] != want or got[c:c + 2].strip():
                bad.append("row %d: %r, wanted %r at column %d" % (r + k, got, want, c + 2))
        if not bad:
            sys.exit(0)
        seen += bad
        c = row.find(first, c + 1)
print("\n".join(seen) or "no row holds %r" % first)
sys.exit(1)
PY
}

for size in "120 40" "80 24"; do
	start $size -- --store "$DB"
	expect "Open incidents: 1"
	keys 3
	expect "$ID"
	keys Enter
	expect "$ID P2"
	capture
	lines_under "first note line" "second note line�[2J" "third note line with"
	if [ "$size" = "120 40" ]; then
		# 3 rows for a field in a 36-row view: the third ends in an ellipsis
		lines_under "EU checkout fails" "Status: RESOLVED" "third impact line"
		grep -q "third impact line *…" "$T/screen" && pass ||
			fail "no ellipsis after the 3rd impact row"
		lines_under "disk full on db-1" "09:00  forged  a fake timeline row"
		lines_under "cause: disk full on db-1" "09:00  forged  a fake timeline row"
		lines_under "freed space" "added an alert"
		lines_under "resolution: freed space" "added an alert"
	else
		# stacked above the timeline on 24 rows: one row each, an ellipsis says there is more
		grep -q "EU checkout fails *…" "$T/screen" && pass ||
			fail "no ellipsis after the one impact row"
	fi
	expect_not "fifth" "EU checkout fails"
	TM pipe-pane -O -t 0 "cat >>'$T/raw'"
	keys C-l
	sleep 0.3
	TM pipe-pane -t 0
	never "$T/raw" "$(printf '\033\[2J')" "the note's clear-screen"
	keys q
	keys q
	keys q
	expect_exit 0
done
finish

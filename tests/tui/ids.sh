# SPDX-License-Identifier: MIT
# ids.sh: more than 999 incidents in a year (issue 11): the console's ID column is as wide as
# the widest id, so INC-2026-1000 and INC-2026-1099 are whole and tell apart at 80x24, on
# the dashboard and in the incidents view.
. "$SRCDIR/tests/tui/tmux.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing: skipped"; exit 77; }

DB="$T/s.db"
S() { "$SITREP" --store "$DB" "$@"; }
run 0 S incident new --sev P2 --title "first of the year"
sqlite3 "$DB" "UPDATE id_seq SET next = 1000"
run 0 S incident new --sev P3 --title "number one thousand"
sqlite3 "$DB" "UPDATE id_seq SET next = 1099"
run 0 S incident new --sev P3 --title "late in the year"

start 80 24 -- --store "$DB"
expect "Open incidents: 3"
expect "INC-2026-1000 P3"
expect "INC-2026-1099 P3"
expect "INC-2026-001  P2"	# the short id padded to the same column
keys 3
expect "INC-2026-1000 P3"
expect "INC-2026-1099 P3"
expect_not "INC-2026-10…" "INC-2026-1099 P3"
keys q
keys q
expect_exit 0
finish

# SPDX-License-Identifier: MIT
# store.sh: sitrep store info and store migrate between SQLite files (no server needed; the
# PostgreSQL side is in tests/integration/store_pg.sh).
. "$SRCDIR/tests/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 missing"; exit 77; }
export SITREP_NOW=2026-03-01T10:00:00Z
A="$T/a.db"
S() { "$SITREP" --store "$A" "$@"; }

run 0 S incident new --sev P1 --title "checkout down" --service checkout
run 0 S incident new --sev P3 --title "slow search"
run 0 S incident ack INC-2026-001
run 0 S incident link INC-2026-001 0a1b2c3d
run 0 S incident resolve INC-2026-002 --cause "cache" --resolution "flushed"
run 0 S store info --json
jq_is .backend sqlite
jq_is .incidents 2
jq_is .open 1
jq_is .events 7
jq_is .alert_links 1
jq_is .schema_version "$(sed -n "s/^#define SR_SQLITE_SCHEMA_VERSION //p" "$SRCDIR/src/store.h")"
run 0 S store info
expect_out "Backend:        sqlite"
expect_out "Incidents:      2 (1 open)"

run 0 "$SITREP" store migrate --from "sqlite:$A" --to "$T/b.db"
expect_out "copied 2 incidents (7 events), 0 already there"
sum=$(sed -n 's/^source: .*checksum \([0-9a-f]*\)$/\1/p' "$T/out")
[ -n "$sum" ] && pass || fail "no checksum printed"
expect_out "target: 2 incidents, 7 events, checksum $sum (verified)"
run 0 "$SITREP" store migrate --from "$A" --to "sqlite:$T/b.db"
expect_out "copied 0 incidents (0 events), 2 already there"
expect_out "checksum $sum (verified)"
"$SITREP" --store "$A" incident show INC-2026-001 --json > "$T/1a.json"
"$SITREP" --store "$T/b.db" incident show INC-2026-001 --json > "$T/1b.json"
cmp -s "$T/1a.json" "$T/1b.json" && pass || fail "the copy of INC-2026-001 differs"
# the copy carries on the sequence
run 0 "$SITREP" --store "$T/b.db" incident new --sev P4 --title "after the copy"
expect_out "INC-2026-003"

# --- everything else the store keeps: review fields, action items, the event chain, on-call
# overrides, outbox messages (one pending: its webhook refuses connections) ---
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
full_store_conf "$closed"
E="$T/e.db"
SE() { "$SITREP" --config "$T/c.conf" --store "$E" "$@"; }
full_store_fill SE
run 0 SE outbox list --all --json
jq_is '.[0].state' pending
full_store_migrate "$E" "$T/f.db"
for q in "action list --json" "oncall override list --all --json" "outbox list --all --json" \
	 "incident show INC-2026-001 --json"; do
	# shellcheck disable=SC2086
	"$SITREP" --config "$T/c.conf" --store "$E" $q > "$T/q1" 2>&1
	# shellcheck disable=SC2086
	"$SITREP" --config "$T/c.conf" --store "$T/f.db" $q > "$T/q2" 2>&1
	cmp -s "$T/q1" "$T/q2" && pass || fail "$q differs after the copy"
done
run 0 "$SITREP" --store "$T/f.db" incident verify --all
# a source edited behind sitrep's back: the copy is chained afresh from what is stored,
# its head differs from the source's record, and the migrate says so
sqlite3 "$E" "DROP TRIGGER events_no_update; UPDATE events SET detail = 'nothing' WHERE id = 2" 2>/dev/null ||
	python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript("DROP TRIGGER events_no_update; UPDATE events SET detail = \x27nothing\x27 WHERE id = 2"); c.commit()' "$E"
run 1 "$SITREP" --config "$T/c.conf" store migrate --from "$E" --to "$T/g.db"
expect_err "differ after the copy"

# a target with other incidents under the same ids: refused, the sums differ
run 0 "$SITREP" --store "$T/c.db" incident new --sev P2 --title "someone else's"
run 1 "$SITREP" store migrate --from "$A" --to "$T/c.db"
expect_err "differ after the copy"
run 2 "$SITREP" store migrate --from "$A"
expect_err "both --from and --to are needed"
run 2 "$SITREP" store frobnicate
expect_err "unknown command \"frobnicate\""
run 1 "$SITREP" --readonly store migrate --from "$A" --to "$T/d.db"
expect_err "read-only"
finish

# SPDX-License-Identifier: MIT
# verify.sh: `sitrep incident verify` names an event edited, deleted or inserted with the
# sqlite3 shell behind sitrep's back.
. "$SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
DB="$T/s.db"
S() { "$SITREP" --store "$DB" "$@"; }
export SITREP_NOW=2026-11-23T03:12:00Z

seed() {
	rm -f "$DB" "$DB-wal" "$DB-shm"
	S incident new --sev P1 --title "Checkout API 5xx" >/dev/null
	S incident new --sev P3 --title "Other" >/dev/null
	S incident ack INC-2026-001 >/dev/null
	S incident note INC-2026-001 rolled back >/dev/null
	S incident note INC-2026-001 error rate falling >/dev/null
	S incident resolve INC-2026-001 --cause "bad deploy" >/dev/null
}

seed
run 0 S incident verify INC-2026-001
expect_out "INC-2026-001: ok, 6 events, chain head sha256:"
run 0 S incident verify --all
expect_out "7 events in 2 incidents checked: ok, 0 incidents with a broken timeline"
run 2 S incident verify
expect_err "give one incident ID or --all"
run 1 S incident verify INC-2026-404
expect_err "no incident INC-2026-404"

# edit: the note says something else now
id=$(sqlite3 "$DB" "SELECT id FROM events WHERE detail = 'rolled back'")
sqlite3 "$DB" "DROP TRIGGER events_no_update; UPDATE events SET detail = 'all fine' WHERE id = $id"
run 1 S incident verify INC-2026-001
expect_out "INC-2026-001: event #$id (position 3) altered: its content no longer matches its hash"
run 1 S incident verify --all
expect_out "1 incident with a broken timeline"

# delete: the acknowledgement disappears
seed
id=$(sqlite3 "$DB" "SELECT id FROM events WHERE kind = 'acknowledged'")
sqlite3 "$DB" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = $id"
run 1 S incident verify INC-2026-001
expect_out "event at position 2 deleted (just before event #$((id + 1)), at position 3)"

# insert: a note nobody wrote through sitrep
seed
sqlite3 "$DB" "INSERT INTO events (incident_id, at, actor, kind, detail)
  VALUES ('INC-2026-001', 1795403600, 'mallory', 'note', 'nothing to see')"
id=$(sqlite3 "$DB" "SELECT max(id) FROM events")
run 1 S incident verify INC-2026-001
expect_out "event #$id (\"note\" at position 7) inserted behind sitrep's back"
run 0 S incident verify INC-2026-002

finish

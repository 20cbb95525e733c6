# SPDX-License-Identifier: MIT
# faults.sh: the store under faults: disk full, read-only database, SIGTERM/SIGHUP mid-write.
# Each must give a clear error or a clean death, and never a corrupt or half-written database.
. "$SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
DB="$T/s.db"
S() { "$SITREP" --store "$DB" "$@"; }
export SITREP_NOW=2026-11-23T03:12:00Z

integrity() {
	r=$(sqlite3 "$DB" 'PRAGMA integrity_check;' 2>&1)
	[ "$r" = ok ] && pass || fail "integrity_check: $r"
	# no half-written incident: every incident has exactly one "created" event
	bad=$(sqlite3 "$DB" "SELECT count(*) FROM incidents i WHERE (SELECT count(*) FROM events e
		WHERE e.incident_id = i.id AND e.kind = 'created') != 1;")
	[ "$bad" = 0 ] && pass || fail "$bad incidents without exactly one created event"
}

# every id a command reported as created must be in the database
all_reported_exist() {
	missing=0
	for id in $(sed -n 's/^\(INC-[0-9-]*\): created.*/\1/p' "$1"); do
		n=$(sqlite3 "$DB" "SELECT count(*) FROM incidents WHERE id = '$id';")
		[ "$n" = 1 ] || missing=$((missing + 1))
	done
	[ "$missing" = 0 ] && pass || fail "$missing reported incidents missing from the database"
}

S incident new --sev P2 --title "seed" >/dev/null || fail "seed"

# --- disk full: a file-size limit makes SQLite's writes fail with EFBIG ---
size_kb=$(( ($(stat -c %s "$DB") + $(stat -c %s "$DB-wal" 2>/dev/null || echo 0)) / 1024 + 24 ))
(
	ulimit -f "$size_kb"
	i=0
	while [ $i -lt 400 ]; do
		S incident new --sev P3 --title "fill $i $(printf '%0300d' 0)" >>"$T/fill.out" 2>>"$T/fill.err" ||
			{ echo "stop $?" >>"$T/fill.status"; break; }
		i=$((i + 1))
	done
)
if [ -s "$T/fill.status" ]; then pass; else fail "the size limit never made a write fail"; fi
grep -q "stop 1" "$T/fill.status" && pass || fail "disk full: wanted exit 1, got $(cat "$T/fill.status")"
if grep -qiE "full|too large|disk|I/O" "$T/fill.err"; then pass; else
	fail "disk full error unclear: $(cat "$T/fill.err")"; fi
grep -qF "$DB" "$T/fill.err" && pass || fail "disk full error does not name the database"
grep -qF "nothing was written" "$T/fill.err" && pass || fail "disk full error does not say nothing was written"
integrity
all_reported_exist "$T/fill.out"
run 0 S incident new --sev P3 --title "after the disk was freed"

# --- read-only database (as an unprivileged user: root ignores file modes) ---
if command -v runuser >/dev/null && id nobody >/dev/null 2>&1; then
	ro="$T/ro"
	mkdir -p "$ro"
	S incident list >/dev/null
	sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
	cp "$DB" "$ro/s.db"
	chmod 0755 "$T" "$ro"
	chmod 0444 "$ro/s.db"
	before=$(sqlite3 "$ro/s.db" 'SELECT count(*) FROM events;')
	runuser -u nobody -- env HOME=/tmp SITREP_NOW=$SITREP_NOW "$SITREP" --store "$ro/s.db" \
		incident new --sev P1 --title "cannot write" >"$T/out" 2>"$T/err"
	st=$?
	[ $st = 1 ] && pass || fail "read-only db: exit $st, wanted 1 ($(cat "$T/err"))"
	expect_err "$ro/s.db"
	grep -qi "read" "$T/err" && pass || fail "read-only error unclear: $(cat "$T/err")"
	after=$(sqlite3 "$ro/s.db" 'SELECT count(*) FROM events;')
	[ "$before" = "$after" ] && pass || fail "read-only db changed: $before -> $after events"
else
	echo "skipping read-only check: no runuser/nobody"
fi

# --- SIGTERM and SIGHUP in the middle of writes ---
for sig in TERM HUP; do
	: >"$T/sig.out"
	i=0
	while [ $i -lt 60 ]; do
		"$SITREP" --store "$DB" incident new --sev P4 --title "signal $sig $i" \
			>>"$T/sig.out" 2>/dev/null &
		pid=$!
		# vary the moment: sometimes before, sometimes during the transaction
		[ $((i % 3)) = 0 ] || sleep "0.00$((i % 10))"
		kill -s "$sig" $pid 2>/dev/null
		wait $pid 2>/dev/null
		i=$((i + 1))
	done
	integrity
	all_reported_exist "$T/sig.out"
done
run 0 S incident list --all
run 0 S incident new --sev P4 --title "still fine"

finish

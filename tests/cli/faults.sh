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
	# --readonly (and plain reading) works on a file the user can only read
	for cmd in "incident list --all" "incident show INC-2026-001" "incident list --json"; do
		# shellcheck disable=SC2086
		runuser -u nobody -- env HOME=/tmp SITREP_NOW=$SITREP_NOW "$SITREP" --readonly \
			--store "$ro/s.db" $cmd >"$T/out" 2>"$T/err"
		st=$?
		[ $st = 0 ] && pass || fail "--readonly $cmd on a read-only file: exit $st ($(cat "$T/err"))"
		expect_out "INC-2026-001"
	done
	[ ! -e "$ro/s.db-shm" ] && pass || fail "reading left a -shm file"
else
	echo "skipping read-only check: no runuser/nobody"
fi

# --- one invalid row of every column kind: reported once with its id, skipped ---
BAD="$T/bad.db"
B() { "$SITREP" --store "$BAD" "$@"; }
n=0
# column = value: what a sqlite3 shell (or another program) can leave in a row
for set in "status = 'bogus'" "status = 7" "sev = 9" "sev = 'high'" "level = 42" \
	"level = -1" "created_at = 9223372036854775807" "created_at = -9223372036854775808" \
	"created_at = 'yesterday'" "created_at = 1e300" "acked_at = 253402300800" \
	"resolved_at = x'00ff'" "closed_at = -5" "last_update_at = 9223372036854775806" \
	"year = 'MMXXVI'" "version = 'v2'" "sev = 2.5" \
	"id = 'INC-2026-$(printf '%040d' 7)'"; do
	n=$((n + 1))
	B incident new --sev P2 --title "good $n" >/dev/null || fail "good $n"
	B incident new --sev P2 --title "bad $n" >/dev/null || fail "bad $n"
	bad_id=$(sqlite3 "$BAD" "SELECT id FROM incidents WHERE title = 'bad $n';")
	# CHECK constraints and foreign keys are what the shell can switch off, so off they go
	sqlite3 "$BAD" "PRAGMA ignore_check_constraints = 1; PRAGMA foreign_keys = 0;
		UPDATE incidents SET $set WHERE id = '$bad_id';" 2>"$T/sq.err" ||
		{ echo "sqlite3 refused \"$set\": $(cat "$T/sq.err")"; continue; }
	for cmd in "incident list" "incident list --all" "incident list --json" "incident tick"; do
		# shellcheck disable=SC2086
		run 0 B $cmd
		c=$(grep -c "warning: skipped" "$T/err")
		[ "$c" = 1 ] && pass || fail "$set: $cmd: $c warnings, wanted 1: $(cat "$T/err")"
		case "$set" in
		id*) expect_err "invalid id" ;;
		*) expect_err "$bad_id" ;;
		esac
		case "$cmd" in *list*)
			expect_out "good $n"
			expect_no_out "bad $n"
			;;
		esac
	done
	run 0 B incident list --json
	strict_json "$T/out" "list --json after skipping $set"
	# the bad row itself is refused by name, without a crash
	case "$set" in id*) ;; *)
		run 1 B incident show "$bad_id"
		expect_err "$bad_id"
		run 1 B incident ack "$bad_id"
		;;
	esac
	# repair it so the next case starts with one bad row only
	sqlite3 "$BAD" "PRAGMA foreign_keys = 0; DELETE FROM incident_alerts WHERE incident_id = '$bad_id';
		DELETE FROM incidents WHERE title = 'bad $n';"
done
# an invalid timeline row: skipped with a warning, the rest of the timeline shown
B incident new --sev P3 --title "timeline" >/dev/null
tid=$(sqlite3 "$BAD" "SELECT id FROM incidents WHERE title = 'timeline';")
B incident note "$tid" "kept note" >/dev/null
for ev in "'$tid', 'soon', 'x', 'note', 'bad time'" "'$tid', 99999999999999, 'x', 'note', 'far'" \
	"'$tid', 5, 'x', 'sabotage', 'bad kind'"; do
	sqlite3 "$BAD" "INSERT INTO events (incident_id, at, actor, kind, detail) VALUES ($ev);"
done
run 0 B incident show "$tid"
expect_out "kept note"
expect_no_out "bad time"
expect_no_out "bad kind"
expect_no_out "far"
[ "$(grep -c 'warning: skipped' "$T/err")" = 1 ] && pass || fail "timeline: one warning wanted: $(cat "$T/err")"
run 0 B incident show "$tid" --json
strict_json "$T/out" "show --json after skipping events"
run 0 B incident note "$tid" "still writable"

# --- config files and token_files that are not regular files: refused, never waited on ---
mkfifo "$T/fifo.conf" "$T/fifo.token"
for c in "$T/fifo.conf" /dev/zero /dev/null "$T"; do
	run 2 timeout 10 "$SITREP" --config "$c" --store "$DB" incident list
	expect_err "not a regular file"
done
cat >"$T/tf.conf" <<EOF2
[alertmanager main]
url = http://127.0.0.1:1/
token_file = $T/fifo.token
[alertmanager dev]
url = http://127.0.0.1:1/
token_file = /dev/zero
EOF2
chmod 600 "$T/tf.conf"
run 1 timeout 20 "$SITREP" --config "$T/tf.conf" --store "$DB" alerts
expect_err "fifo.token: not a regular file (a FIFO)"
expect_err "/dev/zero: not a regular file (a device)"
# a runbook directory holding a FIFO named like a runbook: listed without hanging
mkdir -p "$T/rbf"
mkfifo "$T/rbf/trap.md"
printf '# Real\n' >"$T/rbf/real.md"
printf '[runbooks]\ndirs = %s\n' "$T/rbf" >"$T/rbf.conf"
run 0 timeout 20 "$SITREP" --config "$T/rbf.conf" --store "$DB" runbook list
expect_out "real"
run 1 timeout 20 "$SITREP" --config "$T/rbf.conf" --store "$DB" runbook show "$T/rbf/trap.md"
expect_err "not a regular file"

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

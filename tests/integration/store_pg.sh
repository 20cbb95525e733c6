# SPDX-License-Identifier: MIT
# store_pg.sh: the incident store on a real PostgreSQL 15 (initdb + postgres on 127.0.0.1, a
# free port, data in a temp dir, stopped by PID): the store suite of test_store against it;
# two CLIs creating 50 incidents each; the server stopped in the middle of 100 commands;
# store migrate SQLite -> PostgreSQL -> SQLite; a password canary never in any output.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PG_BIN/initdb" "$PG_BIN/postgres" "$PG_BIN/pg_isready" "$PG_BIN/psql"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }

srv_setup
# lib.sh's cleanup cannot tell the main shell inside a compound trap: remove $T here
# (only from the main shell, not from a background job's subshell).
pg_exit() {
	srv_cleanup
	[ "${BASHPID:-$$}" = "$LIB_MAIN_PID" ] && rm -rf "$T"
}
trap pg_exit EXIT
srv_start_pg
ALL="$T/all-output"	# every byte any command printed, for the canary check
: > "$ALL"
keep() { cat "$T/out" "$T/err" >> "$ALL"; }
S() { "$SITREP" --store "$PG_URL" "$@"; }

# --- the store suite, PostgreSQL group ---
if SITREP_TEST_PG="$PG_URL" SITREP_TEST_BACKEND=postgresql \
	"$BUILDDIR/tests/unit/test_store" > "$T/unit.log" 2>&1; then
	pass
else
	fail "test_store against PostgreSQL:"
	tail -n 40 "$T/unit.log" >&2
fi
cat "$T/unit.log" >> "$ALL"

# --- the CLI on PostgreSQL ---
run 0 S incident new --sev P2 --title "db down" --service api
keep
expect_out "INC-"
id=$(sed -n 's/^\(INC-[0-9]*-[0-9]*\):.*/\1/p' "$T/out")
run 0 S incident ack "$id"
keep
run 0 S incident show "$id" --json
keep
jq_is .status acknowledged
jq_is .version 2

# --- two CLIs creating 50 incidents each: 100 distinct gap-free ids (the store suite above
# does the same with two processes creating 500 each through the API) ---
M="$PG_URL?sitrep_schema=many"
for w in a b; do
	(
		i=0
		while [ $i -lt 50 ]; do
			"$SITREP" --store "$M" incident new --sev P4 --title "$w $i" >/dev/null 2>>"$T/many-$w.err" ||
				echo "fail $w $i" >> "$T/many-$w.err"
			i=$((i + 1))
		done
	) &
	eval "pid_$w=\$!"
done
# shellcheck disable=SC2154
wait "$pid_a" "$pid_b"
cat "$T/many-a.err" "$T/many-b.err" >> "$ALL"
if [ -s "$T/many-a.err" ] || [ -s "$T/many-b.err" ]; then
	fail "concurrent creates failed: $(head -n 3 "$T/many-a.err" "$T/many-b.err")"
else pass; fi
got=$(srv_pg_sql "SELECT count(DISTINCT id) || ' ' || min(seq) || ' ' || max(seq) FROM many.incidents")
[ "$got" = "100 1 100" ] && pass || fail "100 distinct gap-free ids: got $got"

# --- the server stopped in the middle of 100 commands ---
# Each command either committed whole (an incident with its "created" event, or a note with
# its event and version bump) or said it failed and exited 1; nothing half-written.
D="$PG_URL?sitrep_schema=outage"
"$SITREP" --store "$D" incident new --sev P3 --title "noted" > "$T/out" 2> "$T/err"
keep
(
	i=0
	while [ $i -lt 100 ]; do
		if [ $((i % 2)) = 0 ]; then
			"$SITREP" --store "$D" incident new --sev P3 --title "cmd $i" > "$T/c$i.out" 2> "$T/c$i.err"
		else
			"$SITREP" --store "$D" incident note INC-$(date -u +%Y)-001 "note $i" > "$T/c$i.out" 2> "$T/c$i.err"
		fi
		echo "$i $?" >> "$T/status"
		i=$((i + 1))
		sleep 0.02
	done
) &
loop=$!
n=0
while [ "$(cat "$T/status" 2>/dev/null | wc -l)" -lt 30 ] && [ $n -lt 300 ]; do
	sleep 0.05
	n=$((n + 1))
done
srv_pg_stop
sleep 1
srv_pg_launch
wait $loop
for i in $(seq 0 99); do cat "$T/c$i.out" "$T/c$i.err" >> "$ALL"; done
oks=$(awk '$2 == 0' "$T/status" | wc -l)
bad=$(awk '$2 != 0 && $2 != 1' "$T/status" | wc -l)
failed=$(awk '$2 == 1' "$T/status" | wc -l)
echo "outage: $oks committed, $failed reported failed"
[ "$(wc -l < "$T/status")" = 100 ] && pass || fail "not every command ran"
[ "$bad" = 0 ] && pass || fail "a command exited neither 0 nor 1"
[ "$failed" -gt 0 ] && pass || fail "the outage made no command fail (the test proves nothing)"
[ "$oks" -gt 30 ] && pass || fail "too few commands committed: $oks"
for i in $(awk '$2 == 1 {print $1}' "$T/status"); do
	if grep -q "unreachable\|cannot connect" "$T/c$i.err"; then pass; else
		fail "command $i failed without saying the database was unreachable: $(cat "$T/c$i.err")"
	fi
done
# each committed create is there with its event; each committed note is in the timeline
for i in $(awk '$2 == 0 {print $1}' "$T/status"); do
	if [ $((i % 2)) = 0 ]; then
		w="SELECT count(*) FROM outage.incidents i JOIN outage.events e ON e.incident_id = i.id
		   WHERE i.title = 'cmd $i' AND e.kind = 'created'"
	else
		w="SELECT count(*) FROM outage.events WHERE detail LIKE '%note $i'"
	fi
	[ "$(srv_pg_sql "$w")" = 1 ] && pass || fail "command $i said it committed but is not stored whole"
done
half=$(srv_pg_sql "SELECT count(*) FROM outage.incidents i WHERE NOT EXISTS
	(SELECT 1 FROM outage.events e WHERE e.incident_id = i.id AND e.kind = 'created')")
[ "$half" = 0 ] && pass || fail "$half incidents without their created event"
notes=$(srv_pg_sql "SELECT count(*) FROM outage.events WHERE kind = 'note'")
ver=$(srv_pg_sql "SELECT version FROM outage.incidents WHERE seq = 1")
[ "$ver" = $((notes + 1)) ] && pass || fail "version $ver after $notes notes: a note half-written"
gaps=$(srv_pg_sql "SELECT max(seq) - count(*) FROM outage.incidents")
[ "$gaps" = 0 ] && pass || fail "incident ids have $gaps gaps after the outage"

# --- store info and migrate: SQLite -> PostgreSQL -> SQLite, equal exports, idempotent ---
run 0 S store info --json
keep
jq_is .backend postgresql
jq_is .schema_version "$(sed -n "s/^#define SR_PG_SCHEMA_VERSION //p" "$SRCDIR/src/store.h")"
jq_is '.server | startswith("PostgreSQL 15")' true
jq_is '.latency_ms >= 0' true
jq_is '.where | contains("***")' true
L="$T/local.db"
for t in one two three; do
	"$SITREP" --store "$L" incident new --sev P2 --title "local $t" --service web >/dev/null
done
"$SITREP" --store "$L" incident ack "$(date -u +INC-%Y-002)" >/dev/null
"$SITREP" --store "$L" incident link "$(date -u +INC-%Y-002)" feedbeef >/dev/null
"$SITREP" --store "$L" incident resolve "$(date -u +INC-%Y-003)" --cause "disk" >/dev/null
MG="$PG_URL?sitrep_schema=migrated"
run 0 "$SITREP" store migrate --from "sqlite:$L" --to "$MG"
keep
expect_out "copied 3 incidents (7 events), 0 already there"
sum=$(sed -n 's/^source: .*checksum \([0-9a-f]*\)$/\1/p' "$T/out")
expect_out "target: 3 incidents, 7 events, checksum $sum (verified)"
run 0 "$SITREP" store migrate --from "sqlite:$L" --to "$MG"
keep
expect_out "copied 0 incidents (0 events), 3 already there"
[ "$(srv_pg_sql "SELECT count(*) FROM migrated.events")" = 7 ] && pass || fail "a second migrate duplicated"
run 0 "$SITREP" store migrate --from "$MG" --to "sqlite:$T/back.db"
keep
expect_out "target: 3 incidents, 7 events, checksum $sum (verified)"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
SITREP_NOW=$now "$SITREP" --store "$L" incident list --all --json > "$T/a.json"
SITREP_NOW=$now "$SITREP" --store "$T/back.db" incident list --all --json > "$T/b.json"
SITREP_NOW=$now "$SITREP" --store "$MG" incident list --all --json > "$T/c.json"
cmp -s "$T/a.json" "$T/b.json" && pass || fail "SQLite -> PostgreSQL -> SQLite changed the export"
cmp -s "$T/a.json" "$T/c.json" && pass || fail "the PostgreSQL copy exports differently"
for i in 1 2 3; do	# one clock for both, so the timers agree
	now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	SITREP_NOW=$now "$SITREP" --store "$L" incident show "$(date -u +INC-%Y-00$i)" --json > "$T/a.json"
	SITREP_NOW=$now "$SITREP" --store "$T/back.db" incident show "$(date -u +INC-%Y-00$i)" --json > "$T/b.json"
	cmp -s "$T/a.json" "$T/b.json" && pass || fail "timeline of incident $i changed by the round trip"
done
# the copy back in SQLite is chained afresh (store migrate): its timeline verifies
run 0 "$SITREP" --store "$T/back.db" incident verify --all
# --- everything else the store keeps, SQLite -> PostgreSQL -> SQLite: review fields, action
# items, chains, on-call overrides, outbox messages (one pending: its webhook refuses) ---
full_store_conf "$(srv_port)"
E="$T/e.db"
FULL="$PG_URL?sitrep_schema=fullstore"
SE() { "$SITREP" --config "$T/c.conf" --store "$E" "$@"; }
SP() { "$SITREP" --config "$T/c.conf" --store "$FULL" "$@"; }
full_store_fill SE
keep
inc=$FULL_INC
FULL_KEEP=keep
full_store_migrate "$E" "$FULL"
sum=$FULL_SUM
run 0 "$SITREP" --config "$T/c.conf" store migrate --from "$FULL" --to "$T/e2.db"
keep
expect_out "target: 1 incidents, 6 events, checksum $sum (verified)"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for q in "action list --json" "oncall override list --all --json" "outbox list --all --json" \
	 "incident show $inc --json"; do
	# shellcheck disable=SC2086
	SITREP_NOW=$now SE $q > "$T/q1" 2>&1
	# shellcheck disable=SC2086
	SITREP_NOW=$now SP $q > "$T/q2" 2>&1
	# shellcheck disable=SC2086
	SITREP_NOW=$now "$SITREP" --config "$T/c.conf" --store "$T/e2.db" $q > "$T/q3" 2>&1
	cmp -s "$T/q1" "$T/q2" && pass || fail "$q differs on PostgreSQL"
	cmp -s "$T/q1" "$T/q3" && pass || fail "$q differs after the round trip"
done
# the PostgreSQL store does it all itself too: actions, overrides, the chain
run 0 SP action done A1
keep
run 0 SP oncall override primary --who erin --from 2026-03-03T12:00:00Z --until 2026-03-04T12:00:00Z
keep
expect_out "override 2:"
run 0 SP action list --open --json
keep
jq_is 'length' 0
run 0 SP incident verify --all
keep
# tampering on the server, behind sitrep's back: named
srv_pg_sql "ALTER TABLE fullstore.events DISABLE TRIGGER events_no_change;
	UPDATE fullstore.events SET detail = 'nothing happened' WHERE id = (SELECT min(id) + 1 FROM fullstore.events);
	ALTER TABLE fullstore.events ENABLE TRIGGER events_no_change" >/dev/null
run 1 SP incident verify --all
keep
expect_out "altered"
# a target holding different incidents under the same ids: refused, not merged
run 1 "$SITREP" store migrate --from "sqlite:$L" --to "$PG_URL"
keep
expect_err "sitrep: "

# --- the password never shows: wrong port, wrong password, bad schema, libpq errors ---
bad_port=$(srv_port)
run 1 "$SITREP" --store "postgresql://postgres:$PG_PASSWORD@127.0.0.1:$bad_port/postgres" incident list
keep
expect_err "postgresql://postgres:***@127.0.0.1:$bad_port/postgres: cannot connect"
run 1 "$SITREP" --store "host=127.0.0.1 port=$PG_PORT user=nobody password=$PG_PASSWORD dbname=postgres" incident list
keep
expect_err "password authentication failed"
run 1 "$SITREP" --store "host=127.0.0.1 port=$PG_PORT password='$PG_PASSWORD" incident list
keep
expect_err "not valid"
# libpq's own ways: PGPASSWORD and a password file (PGPASSFILE, mode 600)
printf '127.0.0.1:%s:*:postgres:%s\n' "$PG_PORT" "$PG_PASSWORD" > "$T/pgpass"
chmod 600 "$T/pgpass"
run 0 env PGPASSFILE="$T/pgpass" "$SITREP" --store "postgresql://postgres@127.0.0.1:$PG_PORT/postgres" incident list
keep
expect_out "$id"
# an inline password in a config file others can read is refused (and not printed)
printf '[store]\nurl = postgresql://postgres:%s@127.0.0.1:%s/postgres\n' "$PG_PASSWORD" "$PG_PORT" > "$T/team.conf"
chmod 644 "$T/team.conf"
run 2 "$SITREP" --config "$T/team.conf" incident list
keep
expect_err "chmod 600"
chmod 600 "$T/team.conf"
run 0 "$SITREP" --config "$T/team.conf" incident list
keep
expect_out "$id"

never "$ALL" "$PG_PASSWORD" "the PostgreSQL password"
finish

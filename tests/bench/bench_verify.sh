# SPDX-License-Identifier: MIT
# bench_verify.sh: `sitrep incident verify --all` over 1,000,000 events (1,000 incidents),
# printed as events/s, beside sqlite3 reading the same rows and sha256sum hashing their bytes.
set -eu
: "${SITREP:?}" "${SRCDIR:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-bench-verify-XXXXXX")
trap 'rm -rf "$T"' EXIT
DB="$T/s.db"
N=${BENCH_EVENTS:-1000000}

ms() { date +%s%N | cut -c1-13; }

# A schema-2 database (the fixture) grown to N events: sitrep's migration chains them all.
sqlite3 "$DB" <"$SRCDIR/tests/fixtures/store/v2.sql"
sqlite3 "$DB" "
  WITH RECURSIVE i(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM i WHERE n < 1000)
  INSERT INTO incidents (id, year, seq, title, sev, status, created_at)
    SELECT printf('INC-2026-%03d', n), 2026, n, 'incident ' || n, 2, 'resolved', 1772359200
    FROM i;
  WITH RECURSIVE e(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM e WHERE n <= $N)
  INSERT INTO events (id, incident_id, at, actor, kind, detail)
    SELECT n, printf('INC-2026-%03d', 1 + n % 1000), 1772359200 + n, 'alice', 'note',
      'note number ' || n || ': the error rate is falling after the rollback of cart-svc'
    FROM e;"
n=$(sqlite3 "$DB" "SELECT count(*) FROM events")
t0=$(ms)
SITREP_NOW=2026-11-23T03:12:00Z "$SITREP" --store "$DB" incident list --all >/dev/null
t1=$(ms)
echo "migration from schema 2 to the current one (chaining $n events): $((t1 - t0)) ms"

t0=$(ms)
"$SITREP" --store "$DB" incident verify --all
t1=$(ms)
t2=$(ms)
sqlite3 "$DB" "SELECT incident_id, id, at, actor, kind, detail, pos, hash FROM events
  ORDER BY incident_id, id" >"$T/rows.txt"
t3=$(ms)
sha256sum "$T/rows.txt" >/dev/null
t4=$(ms)
v=$((t1 - t0)); r=$((t3 - t2)); h=$((t4 - t3))
[ "$v" -gt 0 ] || v=1
[ "$r" -gt 0 ] || r=1
[ "$h" -gt 0 ] || h=1
echo "verify --all: $n events in $v ms = $((n * 1000 / v)) events/s"
echo "peers: sqlite3 shell reading the same rows $r ms ($((n * 1000 / r)) rows/s);" \
	"sha256sum over their $(wc -c <"$T/rows.txt") bytes $h ms"

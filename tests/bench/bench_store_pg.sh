# SPDX-License-Identifier: MIT
# bench_store_pg.sh: starts a real PostgreSQL 15 (as the tests do) and runs bench_store_pg:
# create+ack+resolve throughput over loopback, and 10 watchers following 100 changes a second
# (SITREP_BENCH_SECONDS, default 30), PostgreSQL beside SQLite.
set -u
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PG_BIN/initdb" "$PG_BIN/postgres" "$PG_BIN/pg_isready"
srv_setup
srv_start_pg
SITREP_BENCH_PG="$PG_URL?sitrep_schema=bench" SITREP_BENCH_DIR="$SRV_DIR" \
	"$BUILDDIR/tests/bench/bench_store_pg" 2>&1 | sed "s/$PG_PASSWORD/***/g"
# The peer: pgbench on the same server, one INSERT per transaction (the floor a sitrep write
# of 3-7 statements in one transaction stands on), 5 s.
if test -x "$PG_BIN/pgbench"; then
	srv_pg_sql "CREATE TABLE public.peer (id bigserial PRIMARY KEY, at bigint, detail text)" >/dev/null
	printf 'BEGIN;\nINSERT INTO public.peer (at, detail) VALUES (1, '"'x'"');\nCOMMIT;\n' > "$SRV_DIR/peer.sql"
	tps=$("$PG_BIN/pgbench" -n -f "$SRV_DIR/peer.sql" -T 5 "$PG_URL" 2>/dev/null |
		sed -n 's/^tps = \([0-9.]*\).*/\1/p')
	echo "peer: pgbench, one-INSERT transactions over loopback: $tps tps (a sitrep lifecycle is 3 transactions)"
fi

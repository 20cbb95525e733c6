/* SPDX-License-Identifier: MIT */
/* store_sqlite.c: the SQLite store: schema migrations, incidents, timelines, feed cache. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "oncall.h"
#include "util.h"


#define SR_XSTR(x) #x
#define SR_STR(x) SR_XSTR(x)
/* The connection's page cache in KiB (see the PRAGMAs in sq_setup). */
#define CACHE_KIB 16384
/*
 * The first 64 MiB of the file are read through a memory map (the rest with read()): a page
 * read is then the kernel's cached copy, mapped, instead of a fresh heap page that the page
 * cache fills with a copy: 9 of `sitrep oncall`'s ~100 new pages. Writes still go through
 * the WAL. The price SQLite documents: an I/O error while reading a mapped page is a SIGBUS
 * instead of an error code (see docs/architecture.md, "Start-up cost").
 */
#define MMAP_BYTES 67108864
/* The WAL is cut back to this size after a checkpoint, and to nothing at the last close. */
#define WAL_LIMIT 67108864

/* "SITR": marks a file as sitrep's, so we never migrate somebody else's database. */
#define SR_SQLITE_APP_ID 0x53495452

/* How long a writer waits for another process's transaction before giving up. */
#define SR_SQLITE_BUSY_MS 5000	/* keep the message in sq_fail in step */

/* --- schema --- */

/*
 * migrations[i] takes the schema from version i to i + 1. Each runs in its own transaction
 * together with the user_version bump. Never edit a released step: add a new one.
 */
static const char *const migrations[] = {
	/* 0 -> 1: incidents, their alert links, the append-only timeline, id sequences. */
	"PRAGMA application_id = 1397314642;\n"	/* SR_SQLITE_APP_ID */
	"CREATE TABLE incidents (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  year INTEGER NOT NULL,\n"
	"  seq INTEGER NOT NULL,\n"
	"  title TEXT NOT NULL,\n"
	"  service TEXT,\n"
	"  impact TEXT,\n"
	"  root_cause TEXT,\n"
	"  resolution TEXT,\n"
	"  sev INTEGER NOT NULL CHECK (sev BETWEEN 1 AND 4),\n"
	"  status TEXT NOT NULL,\n"
	"  level INTEGER NOT NULL DEFAULT 0,\n"
	"  commander TEXT,\n"
	"  comms TEXT,\n"
	"  scribe TEXT,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  acked_at INTEGER NOT NULL DEFAULT 0,\n"
	"  resolved_at INTEGER NOT NULL DEFAULT 0,\n"
	"  closed_at INTEGER NOT NULL DEFAULT 0,\n"
	"  version INTEGER NOT NULL DEFAULT 1\n"
	");\n"
	"CREATE INDEX incidents_open ON incidents (created_at DESC, year DESC, seq DESC)\n"
	"  WHERE status NOT IN ('resolved', 'closed');\n"
	"CREATE INDEX incidents_created ON incidents (created_at DESC, year DESC, seq DESC);\n"
	"CREATE TABLE incident_alerts (\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),\n"
	"  fingerprint TEXT NOT NULL,\n"
	"  PRIMARY KEY (incident_id, fingerprint)\n"
	");\n"
	"CREATE TABLE events (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),\n"
	"  at INTEGER NOT NULL,\n"
	"  actor TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  detail TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX events_incident ON events (incident_id, id);\n"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events\n"
	"  BEGIN SELECT RAISE(ABORT, 'timeline events are append-only'); END;\n"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events\n"
	"  BEGIN SELECT RAISE(ABORT, 'timeline events are append-only'); END;\n"
	"CREATE TABLE id_seq (\n"
	"  year INTEGER PRIMARY KEY,\n"
	"  next INTEGER NOT NULL\n"
	");\n",

	/*
	 * 1 -> 2: when the last status update went out (backfilled from the timeline, where
	 * version 1 only recorded it as an event); the index of open incidents now covers
	 * every column, so listing them never touches the (large) table; and the last good
	 * body of every feed source.
	 */
	"ALTER TABLE incidents ADD COLUMN last_update_at INTEGER NOT NULL DEFAULT 0;\n"
	"UPDATE incidents SET last_update_at = coalesce((SELECT max(e.at) FROM events e\n"
	"  WHERE e.incident_id = incidents.id AND e.kind = 'update_sent'), 0);\n"
	"DROP INDEX incidents_open;\n"
	"CREATE INDEX incidents_open ON incidents (created_at DESC, year DESC, seq DESC,\n"
	"  id, title, service, impact, root_cause, resolution, sev, status, level, commander,\n"
	"  comms, scribe, acked_at, resolved_at, closed_at, last_update_at, version)\n"
	"  WHERE status NOT IN ('resolved', 'closed');\n"
	"CREATE TABLE feed_cache (\n"
	"  source TEXT PRIMARY KEY,\n"
	"  body BLOB NOT NULL,\n"
	"  fetched_at INTEGER NOT NULL\n"
	");\n",
	/*
	 * 2 -> 3: the feed cache's body becomes the last column. Only a zero blob in the last
	 * column is written without being expanded in memory first, and a large answer is
	 * written as a zero blob filled piece by piece (sq_cache_put_stream).
	 */
	"CREATE TABLE feed_cache_v3 (\n"
	"  source TEXT PRIMARY KEY,\n"
	"  fetched_at INTEGER NOT NULL,\n"
	"  body BLOB NOT NULL\n"
	");\n"
	"INSERT INTO feed_cache_v3 (source, fetched_at, body)\n"
	"  SELECT source, fetched_at, body FROM feed_cache;\n"
	"DROP TABLE feed_cache;\n"
	"ALTER TABLE feed_cache_v3 RENAME TO feed_cache;\n",
	/*
	 * 3 -> 4: the outbox of status messages, written with their "update sent" event. The
	 * ts of the first delivered chat.postMessage of an incident on a target is the thread
	 * later messages go in.
	 */
	"CREATE TABLE outbox (\n"
	/* AUTOINCREMENT: an id is never reused, since it is what finds a delivery again */
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),\n"
	"  target TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  payload TEXT NOT NULL,\n"
	"  text TEXT NOT NULL,\n"
	"  state TEXT NOT NULL,\n"
	"  attempts INTEGER NOT NULL DEFAULT 0,\n"
	"  claimed_by INTEGER NOT NULL DEFAULT 0,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  next_at INTEGER NOT NULL,\n"
	"  sent_ms INTEGER NOT NULL DEFAULT 0,\n"
	"  error TEXT,\n"
	"  ts TEXT\n"
	");\n"
	"CREATE INDEX outbox_target ON outbox (target, id);\n"
	"CREATE INDEX outbox_incident ON outbox (incident_id, id);\n",
	/*
	 * 4 -> 5: the verifiable timeline (chain.h): each event's position in its incident's
	 * timeline and its SHA-256 chain hash, and each incident's chain head. The existing
	 * events get theirs from chain_backfill (migration_code), in the same transaction.
	 */
	"ALTER TABLE events ADD COLUMN pos INTEGER;\n"
	"ALTER TABLE events ADD COLUMN hash TEXT;\n"
	"CREATE TABLE event_chain (\n"
	"  incident_id TEXT PRIMARY KEY REFERENCES incidents (id),\n"
	"  n INTEGER NOT NULL,\n"
	"  head TEXT NOT NULL\n"
	");\n",
	/* 5 -> 6: post-mortem review fields and action items. */
	"CREATE TABLE incident_review (\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),\n"
	"  field TEXT NOT NULL,\n"
	"  value TEXT NOT NULL,\n"
	"  PRIMARY KEY (incident_id, field)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE actions (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),\n"
	"  text TEXT NOT NULL,\n"
	"  owner TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  due INTEGER NOT NULL,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  done_at INTEGER NOT NULL DEFAULT 0,\n"
	"  done_by TEXT\n"
	");\n"
	"CREATE INDEX actions_incident ON actions (incident_id, id);\n"
	"CREATE INDEX actions_open ON actions (due, id) WHERE done_at = 0;\n"
	/* statistics read these two kinds of event of many incidents */
	"CREATE INDEX events_escalated ON events (at, incident_id, detail) "
	"WHERE kind = 'escalated';\n"
	"CREATE INDEX events_update_sent ON events (at, incident_id) WHERE kind = 'update_sent';\n",
	/*
	 * 6 -> 7: on-call overrides (sitrep oncall override). Times are Unix seconds, the
	 * stretch is [starts_at, ends_at). store_pg.c must keep the same table.
	 */
	"CREATE TABLE oncall_overrides (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  rotation TEXT NOT NULL,\n"
	"  who TEXT NOT NULL,\n"
	"  starts_at INTEGER NOT NULL,\n"
	"  ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),\n"
	"  created_at INTEGER NOT NULL,\n"
	"  created_by TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX oncall_overrides_ends ON oncall_overrides (ends_at);\n",
	/*
	 * 7 -> 8: an outbox claim names its sender's host beside its pid (a claim from another
	 * host is judged by its lease, claimed_at, not by a local pid check); and statistics
	 * read their incidents from an index that holds every column they read (created_at
	 * first: the window), so `sitrep stats` never touches the table's wide rows.
	 * store_pg.c's step 2 -> 3 is the same. Here, too, the two partial indexes of events
	 * that statistics read hold kind: SQLite reads a partial index as covering only when
	 * it holds every column the query names, its WHERE's included (PostgreSQL needs no
	 * such help); without, each of the 200,000 updates of a month cost a table lookup.
	 */
	"ALTER TABLE outbox ADD COLUMN claimed_host TEXT;\n"
	"ALTER TABLE outbox ADD COLUMN claimed_at INTEGER NOT NULL DEFAULT 0;\n"
	"CREATE INDEX incidents_stats ON incidents (created_at, service, sev, status, acked_at,\n"
	"  resolved_at, closed_at, id);\n"
	"DROP INDEX events_escalated;\n"
	"CREATE INDEX events_escalated ON events (at, incident_id, detail, kind) "
	"WHERE kind = 'escalated';\n"
	"DROP INDEX events_update_sent;\n"
	"CREATE INDEX events_update_sent ON events (at, incident_id, kind) "
	"WHERE kind = 'update_sent';\n",
	/*
	 * 8 -> 9: each incident's summary for statistics, stats_events (SR_STORE_STATS_COLS),
	 * written with its events, so that `sitrep stats` reads one row of incidents_stats per
	 * incident instead of stepping every escalation and update of the month (320,000 rows
	 * for 100,000 incidents). stats_backfill (migration_code) fills it from the stored
	 * events and then builds the index, which now holds it; the two partial indexes of
	 * events that statistics read go. store_pg.c's step 3 -> 4 is the same.
	 */
	"ALTER TABLE incidents ADD COLUMN stats_events TEXT NOT NULL DEFAULT '';\n"
	"DROP INDEX incidents_stats;\n"
	"DROP INDEX events_escalated;\n"
	"DROP INDEX events_update_sent;\n",
};

/*
 * Statistics read their incidents from this index alone (created_at first: the window), so
 * `sitrep stats` never touches the table's wide rows. Built by stats_backfill.
 */
#define SQ_STATS_INDEX \
	"CREATE INDEX incidents_stats ON incidents (created_at, service, sev, status, acked_at, " \
	"resolved_at, closed_at, id, stats_events)"

_Static_assert(SR_ARRAY_LEN(migrations) == SR_SQLITE_SCHEMA_VERSION,
	       "one migration per schema version");

/* What SQL cannot do in a step: run after migrations[i], in its transaction. */
struct sq_store;
static int chain_backfill(struct sq_store *s, char **err);
static int stats_backfill(struct sq_store *s, char **err);
static int write_review(struct sr_store *st, const char *id, struct sr_incident *inc,
			int keep_ids, char **err);
static int load_review(struct sq_store *s, const char *id, struct sr_incident *inc,
		       char **err);
static int (*const migration_code[SR_SQLITE_SCHEMA_VERSION])(struct sq_store *, char **) = {
	[4] = chain_backfill,
	[8] = stats_backfill,
};

/* --- prepared statements, prepared once per connection and reused --- */

#define INCIDENT_COLS SR_STORE_INCIDENT_COLS
#define ACTION_COLS SR_STORE_ACTION_COLS
#define OPEN_ONLY "status NOT IN ('resolved', 'closed')"
#define NEWEST_FIRST "ORDER BY created_at DESC, year DESC, seq DESC"

#define SQ_STATEMENTS(X) \
	X(BEGIN_WRITE, "BEGIN IMMEDIATE") \
	X(BEGIN_READ, "BEGIN") \
	X(COMMIT, "COMMIT") \
	X(ROLLBACK, "ROLLBACK") \
	X(NEXT_SEQ, "INSERT INTO id_seq (year, next) VALUES (?1, 2) " \
	  "ON CONFLICT (year) DO UPDATE SET next = next + 1 RETURNING next - 1") \
	X(INSERT_INCIDENT, "INSERT INTO incidents (" INCIDENT_COLS ") VALUES " \
	  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, " \
	  "?19, 1)") \
	/* Creation time, year and sequence never change (?15 goes unused): fewer index writes. */ \
	X(UPDATE_INCIDENT, "UPDATE incidents SET title = ?4, service = ?5, impact = ?6, " \
	  "root_cause = ?7, resolution = ?8, sev = ?9, status = ?10, level = ?11, " \
	  "commander = ?12, comms = ?13, scribe = ?14, acked_at = ?16, " \
	  "resolved_at = ?17, closed_at = ?18, last_update_at = ?19, version = version + 1 " \
	  "WHERE id = ?1 AND version = ?20") \
	X(VERSION_OF, "SELECT version FROM incidents WHERE id = ?1") \
	X(DELETE_ALERTS, "DELETE FROM incident_alerts WHERE incident_id = ?1") \
	X(INSERT_ALERT, "INSERT OR IGNORE INTO incident_alerts (incident_id, fingerprint) " \
	  "VALUES (?1, ?2)") \
	X(INSERT_EVENT, "INSERT INTO events (incident_id, at, actor, kind, detail, pos, hash) " \
	  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)") \
	X(CHAIN_HEAD, "SELECT n, head FROM event_chain WHERE incident_id = ?1") \
	X(CHAIN_PUT, "INSERT INTO event_chain (incident_id, n, head) VALUES (?1, ?2, ?3) " \
	  "ON CONFLICT (incident_id) DO UPDATE SET n = excluded.n, head = excluded.head") \
	X(CHAIN_WALK_ALL, "SELECT " SR_STORE_CHAIN_COLS " FROM events e LEFT JOIN event_chain c " \
	  "ON c.incident_id = e.incident_id ORDER BY e.incident_id, e.id") \
	X(CHAIN_WALK_ONE, "SELECT " SR_STORE_CHAIN_COLS " FROM events e LEFT JOIN event_chain c " \
	  "ON c.incident_id = e.incident_id WHERE e.incident_id = ?1 ORDER BY e.id") \
	X(REVIEW_PUT, "INSERT INTO incident_review (incident_id, field, value) VALUES (?1, ?2, ?3) " \
	  "ON CONFLICT (incident_id, field) DO UPDATE SET value = excluded.value " \
	  "WHERE value IS NOT excluded.value") \
	X(REVIEW_GET, "SELECT field, value FROM incident_review WHERE incident_id = ?1") \
	X(ACTION_INSERT, "INSERT INTO actions (incident_id, text, owner, kind, due, created_at, " \
	  "done_at, done_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") \
	X(ACTION_IMPORT, "INSERT INTO actions (incident_id, text, owner, kind, due, created_at, " \
	  "done_at, done_by, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)") \
	X(OUTBOX_IMPORT, "INSERT OR IGNORE INTO outbox (" SR_STORE_OUTBOX_COLS ") VALUES (?1, " \
	  "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)") \
	X(OVERRIDE_IMPORT, "INSERT OR IGNORE INTO oncall_overrides (" SR_STORE_OVERRIDE_COLS \
	  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)") \
	X(ACTION_SET_DONE, "UPDATE actions SET done_at = ?2, done_by = ?3 WHERE id = ?1") \
	X(ACTION_GET, "SELECT " ACTION_COLS " FROM actions WHERE incident_id = ?1 ORDER BY id") \
	X(ACTION_LIST, "SELECT " ACTION_COLS " FROM actions WHERE (?1 = 0 OR done_at = 0) " \
	  "AND (?2 IS NULL OR owner = ?2) AND (?3 IS NULL OR incident_id = ?3) " \
	  "ORDER BY due, id") \
	X(STATS_INCIDENTS, "SELECT " SR_STORE_STATS_COLS " FROM incidents WHERE created_at >= ?1 AND created_at < ?2 " \
	  "AND (?3 IS NULL OR service = ?3)") \
	X(STATS_EVENTS_ADD, "UPDATE incidents SET stats_events = stats_events || ?2 WHERE id = ?1") \
	/* Incidents with no event left (?1 NULL: all of them). */ \
	X(CHAIN_EMPTY, "SELECT i.id, c.n, c.head FROM incidents i LEFT JOIN event_chain c " \
	  "ON c.incident_id = i.id WHERE (?1 IS NULL OR i.id = ?1) AND NOT EXISTS " \
	  "(SELECT 1 FROM events e WHERE e.incident_id = i.id) ORDER BY i.id") \
	X(GET_INCIDENT, "SELECT " INCIDENT_COLS " FROM incidents WHERE id = ?1") \
	X(GET_ALERTS, "SELECT fingerprint FROM incident_alerts WHERE incident_id = ?1 " \
	  "ORDER BY rowid") \
	X(LIST_OPEN, "SELECT " INCIDENT_COLS " FROM incidents WHERE " OPEN_ONLY " " \
	  NEWEST_FIRST) \
	X(LIST_ALL, "SELECT " INCIDENT_COLS " FROM incidents " NEWEST_FIRST) \
	/* Open ones (partial index) plus the newest finished ones: bounded for a console. */ \
	X(LIST_RECENT, "SELECT * FROM (SELECT " INCIDENT_COLS " FROM incidents WHERE " \
	  OPEN_ONLY ") UNION ALL SELECT * FROM (SELECT " INCIDENT_COLS " FROM incidents " \
	  "WHERE NOT " OPEN_ONLY " " NEWEST_FIRST " LIMIT ?1) " NEWEST_FIRST) \
	/* CROSS JOIN fixes the order: walk the few open incidents, not every alert link. */ \
	X(LIST_OPEN_ALERTS, "SELECT a.incident_id, a.fingerprint FROM incidents i " \
	  "CROSS JOIN incident_alerts a ON a.incident_id = i.id WHERE i." OPEN_ONLY " " \
	  "ORDER BY a.rowid") \
	X(LIST_ALL_ALERTS, "SELECT incident_id, fingerprint FROM incident_alerts ORDER BY rowid") \
	X(EVENTS, "SELECT " SR_STORE_EVENT_COLS " FROM events WHERE incident_id = ?1 " \
	  "ORDER BY id") \
	X(CACHE_PUT, "INSERT INTO feed_cache (source, body, fetched_at) VALUES (?1, ?2, ?3) " \
	  "ON CONFLICT (source) DO UPDATE SET body = excluded.body, " \
	  "fetched_at = excluded.fetched_at") \
	X(CACHE_GET, "SELECT body, fetched_at FROM feed_cache WHERE source = ?1") \
	/* Delete, then insert: an upsert would expand the zero blob in memory. */ \
	X(CACHE_DELETE, "DELETE FROM feed_cache WHERE source = ?1") \
	X(CACHE_PUT_ZERO, "INSERT INTO feed_cache (source, body, fetched_at) " \
	  "VALUES (?1, zeroblob(?2), ?3)") \
	X(IMPORT_INCIDENT, "INSERT OR IGNORE INTO incidents (" INCIDENT_COLS ") VALUES " \
	  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, " \
	  "?19, ?20)") \
	X(IMPORT_EVENT, "INSERT INTO events (id, incident_id, at, actor, kind, detail, pos, " \
	  "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") \
	X(IMPORT_SEQ, "INSERT INTO id_seq (year, next) VALUES (?1, ?2) ON CONFLICT (year) " \
	  "DO UPDATE SET next = max(next, excluded.next)") \
	X(DATA_VERSION, "PRAGMA data_version") \
	X(EVENTS_AFTER, "SELECT id, incident_id FROM events WHERE id > ?1 ORDER BY id") \
	X(MAX_EVENT, "SELECT coalesce(max(id), 0) FROM events") \
	X(COUNTS, "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM incidents " \
	  "WHERE " OPEN_ONLY "), (SELECT count(*) FROM events), " \
	  "(SELECT count(*) FROM incident_alerts)") \
	X(OVERRIDE_ADD, "INSERT INTO oncall_overrides (rotation, who, starts_at, ends_at, " \
	  "created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id") \
	/* ?1 NULL: every rotation */ \
	X(OVERRIDE_LIST, "SELECT " SR_STORE_OVERRIDE_COLS " FROM oncall_overrides WHERE ends_at > ?2 AND starts_at < ?3 AND (?1 IS NULL OR rotation = ?1 " \
	  "COLLATE NOCASE) ORDER BY starts_at, id") \
	X(OVERRIDE_REMOVE, "DELETE FROM oncall_overrides WHERE id = ?1")

enum sq_stmt_id {
#define X(id, sql) SQ_##id,
	SQ_STATEMENTS(X)
#undef X
	SQ_COUNT
};

static const char *const sq_sql[SQ_COUNT] = {
#define X(id, sql) [SQ_##id] = sql,
	SQ_STATEMENTS(X)
#undef X
};


struct sq_store {
	struct sr_store base;	/* first: the ops receive &base */
	sqlite3 *db;
	sqlite3_stmt *stmt[SQ_COUNT];
	int readonly;		/* the file (or its directory) cannot be written */
	/* live updates: PRAGMA data_version moves when another connection commits */
	int watching, wrote;	/* sq_watch called; this connection committed a change */
	int64_t data_version, last_event;
};

static const struct sr_store_ops sqlite_ops;

static struct sq_store *
sq(struct sr_store *st)
{
	return (struct sq_store *)st;
}

/* --- errors and statement helpers --- */

/* Sets *err to "<db path>: <what>: <sqlite's message>". Call before any rollback. */
static int
sq_fail(struct sq_store *s, char **err, const char *what)
{
	int code = sqlite3_errcode(s->db) & 0xff;
	int sys = sqlite3_system_errno(s->db);

	if (code == SQLITE_BUSY)
		return sr_err(err, "%s: %s: %s (another process kept it busy for more than 5 s)",
			      s->base.where, what, sqlite3_errmsg(s->db));
	/*
	 * "disk I/O error" alone does not say what to do. SQLite keeps errno only sometimes
	 * (sqlite3_system_errno may be 0 after EFBIG/ENOSPC), so name it when known and point
	 * at the usual cause otherwise. The transaction is rolled back by the caller.
	 */
	if (code == SQLITE_IOERR || code == SQLITE_FULL)
		return sr_err(err, "%s: %s: %s (%s); nothing was written", s->base.where, what,
			      sqlite3_errmsg(s->db),
			      sys != 0 ? strerror(sys) : "is the disk full?");
	return sr_err(err, "%s: %s: %s", s->base.where, what, sqlite3_errmsg(s->db));
}

/* The cached statement id, prepared on first use; NULL with *err set on failure. */
static sqlite3_stmt *
sq_stmt(struct sq_store *s, enum sq_stmt_id id, char **err)
{
	if (s->stmt[id] == NULL &&
	    sqlite3_prepare_v3(s->db, sq_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[id],
			       NULL) != SQLITE_OK) {
		sq_fail(s, err, "preparing a statement");
		s->stmt[id] = NULL;
	}
	return s->stmt[id];
}

/* Makes a cached statement ready for its next use. */
static void
sq_reset(sqlite3_stmt *stmt)
{
	if (stmt != NULL) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
	}
}

static const char *
row_text(const struct sr_store_row *r, int col)
{
	return (const char *)sqlite3_column_text(r->res, col);
}

static int64_t
row_num(const struct sr_store_row *r, int col)
{
	return sqlite3_column_int64(r->res, col);
}

/* SQLite keeps whatever a sqlite3 shell writes: text, reals and blobs in integer columns. */
static int
row_is_int(const struct sr_store_row *r, int col)
{
	return sqlite3_column_type(r->res, col) == SQLITE_INTEGER;
}

/* The shared decoders (store.h) read the current row of stmt through this. */
#define ROW(stmt) (&(const struct sr_store_row){ row_text, row_num, row_is_int, (stmt), 0 })

/*
 * Steps stmt (its parameters bound) to its end, handing each row to fn (when not NULL);
 * then resets a cached statement or finalizes a one-shot one.
 */
static int
each_row(struct sq_store *s, sqlite3_stmt *stmt, int cached, sr_store_row_fn fn, void *arg,
	 const char *what, char **err)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (fn != NULL && fn(arg, ROW(stmt), err) != 0)
			break;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		sq_fail(s, err, what);
	if (cached)
		sq_reset(stmt);
	else
		sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Runs a cached statement whose rows are not needed (its parameters already bound). */
static int
sq_run(struct sq_store *s, sqlite3_stmt *stmt, const char *what, char **err)
{
	return each_row(s, stmt, 1, NULL, NULL, what, err);
}

/* Runs one of the parameterless cached statements (BEGIN, COMMIT, ...). */
static int
sq_simple(struct sq_store *s, enum sq_stmt_id id, const char *what, char **err)
{
	sqlite3_stmt *stmt = sq_stmt(s, id, err);

	return stmt == NULL ? -1 : sq_run(s, stmt, what, err);
}

/* Ends a failed transaction; the error already recorded stays the one reported. */
static void
sq_rollback(struct sq_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sq_simple(s, SQ_ROLLBACK, "rolling back", NULL);
}

/* Ends a write transaction: committed (and noted) when rc is 0, else rolled back. 0 or -1. */
static int
end_write(struct sq_store *s, int rc, const char *what, char **err)
{
	if (rc == 0 && sq_simple(s, SQ_COMMIT, what, err) == 0) {
		s->wrote = 1;
		return 0;
	}
	sq_rollback(s);
	return -1;
}

static void
bind_text(sqlite3_stmt *stmt, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(stmt, i, v, -1, SQLITE_STATIC);
}


/* --- opening and migrating --- */

static int
pragma_int(struct sq_store *s, const char *sql, int64_t *out, char **err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return sq_fail(s, err, "reading the schema version");
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		sq_fail(s, err, "reading the schema version");
		sqlite3_finalize(stmt);
		return -1;
	}
	*out = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return 0;
}

/* Refuses a file that SQLite can read but that holds some other program's data. */
static int
check_ours(struct sq_store *s, int64_t version, char **err)
{
	int64_t app, tables;

	if (pragma_int(s, "PRAGMA application_id", &app, err) != 0)
		return -1;
	if (version > 0) {
		if (app != SR_SQLITE_APP_ID)
			return sr_err(err, "%s: not a sitrep database (application id %" PRId64
				      ", schema version %" PRId64 ")", s->base.where, app, version);
		return 0;
	}
	if (pragma_int(s, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
		       &tables, err) != 0)
		return -1;
	if (tables > 0 || app != 0)
		return sr_err(err, "%s: a SQLite database of some other program (it has %" PRId64
			      " tables and no sitrep schema); refusing to change it",
			      s->base.where, tables);
	return 0;
}

static int
migrate(struct sq_store *s, char **err)
{
	int64_t version;
	int rc;

	/*
	 * The version and the "is it ours" look come from one snapshot: two processes opening
	 * a new file at once would otherwise see version 0 and then the other's fresh tables.
	 */
	if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(s, err, "reading the schema version");
	rc = pragma_int(s, "PRAGMA user_version", &version, err);
	if (rc == 0 && version > SR_SQLITE_SCHEMA_VERSION)
		rc = sr_err(err, "%s: schema version %" PRId64 " is newer than this sitrep "
			    "(%d); upgrade sitrep", s->base.where, version,
			    SR_SQLITE_SCHEMA_VERSION);
	if (rc == 0)
		rc = check_ours(s, version, err);
	if (sqlite3_exec(s->db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK &&
	    rc == 0)
		return sq_fail(s, err, "reading the schema version");
	if (rc != 0)
		return -1;
	if (version < SR_SQLITE_SCHEMA_VERSION && s->readonly)
		return sr_err(err, "%s: the database is read-only, so its schema cannot be "
			      "upgraded from version %" PRId64 " to %d", s->base.where, version,
			      SR_SQLITE_SCHEMA_VERSION);

	while (version < SR_SQLITE_SCHEMA_VERSION) {
		char what[64], bump[48];

		snprintf(what, sizeof what, "upgrading the schema to version %" PRId64,
			 version + 1);
		if (sq_simple(s, SQ_BEGIN_WRITE, what, err) != 0)
			return -1;
		/* Another process may have migrated while we waited for the write lock. */
		if (pragma_int(s, "PRAGMA user_version", &version, err) != 0)
			goto fail;
		if (version >= SR_SQLITE_SCHEMA_VERSION) {
			sq_rollback(s);
			break;
		}
		/* PRAGMA takes no parameters; the value is our own integer, not input. */
		snprintf(bump, sizeof bump, "PRAGMA user_version = %" PRId64, version + 1);
		if (sqlite3_exec(s->db, migrations[version], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, bump, NULL, NULL, NULL) != SQLITE_OK) {
			sq_fail(s, err, what);
			goto fail;
		}
		if (migration_code[version] != NULL && migration_code[version](s, err) != 0)
			goto fail;
		if (sq_simple(s, SQ_COMMIT, what, err) != 0)
			goto fail;
		version++;
	}
	return 0;
fail:
	sq_rollback(s);
	return -1;
}

/* Creates a missing database file private to its owner, before SQLite opens it. */
static int
create_private(const char *path, char **err)
{
	int fd;

	if (access(path, F_OK) == 0)
		return 0;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;	/* another process created it just now */
		return sr_err(err, "%s: cannot create the database: %s", path, strerror(errno));
	}
	close(fd);
	return 0;
}

#define READONLY_WAL (-2)	/* configure(): a WAL file we may only read */

/* "file:PATH?mode=ro&immutable=1", PATH escaped as SQLite's URI rules want. */
static char *
immutable_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_adds(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= 0x20 || *p >= 0x7F) {
			sr_buf_addc(&b, '%');
			sr_buf_addc(&b, hex[*p >> 4]);
			sr_buf_addc(&b, hex[*p & 15]);
		} else {
			sr_buf_addc(&b, (char)*p);
		}
	}
	sr_buf_adds(&b, "?mode=ro&immutable=1");
	return sr_buf_steal(&b);
}

static int
configure(struct sq_store *s, char **err)
{
	int64_t probe;

	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, SR_SQLITE_BUSY_MS);
	s->readonly = sqlite3_db_readonly(s->db, "main") == 1;

	/* The first read of the file: this is where a file that is not a database fails. */
	if (pragma_int(s, "PRAGMA schema_version", &probe, NULL) != 0) {
		int code = sqlite3_errcode(s->db) & 0xff;

		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			return sr_err(err, "%s: not a sitrep database (not SQLite, or damaged): %s",
				      s->base.where, sqlite3_errmsg(s->db));
		/* A WAL database cannot even be read without a writable -shm file beside it;
		 * the caller opens such a file again as an immutable snapshot. */
		if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN) {
			sr_err(err, "%s: the database is read-only and cannot be opened: "
			       "sitrep needs write access to the file and its directory "
			       "(%s)", s->base.where, sqlite3_errmsg(s->db));
			return READONLY_WAL;
		}
		return sq_fail(s, err, "reading the database");
	}
	if (!s->readonly) {
		/*
		 * Switching a new file to WAL needs a moment alone with it and can fail BUSY
		 * without consulting the busy handler when another process is opening it too:
		 * retry for up to the same 5 s the busy timeout allows.
		 */
		int rc, tries = 0;

		while ((rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL)) ==
			       SQLITE_BUSY &&
		       tries++ < 500)
			sqlite3_sleep(10);
		if (rc != SQLITE_OK)
			return sq_fail(s, err, "switching to WAL mode");
	}
	/*
	 * synchronous NORMAL under WAL: a killed process loses nothing committed and the file
	 * never corrupts; only a power cut may drop the last commits. A 16 MiB page cache (an
	 * upper bound, filled on demand) keeps the open incidents' rows, scattered over the
	 * whole table, in memory between refreshes. Checkpoints (each one an fsync) every
	 * 4,000 pages instead of 1,000 keep writes fast at the price of a WAL of up to 16 MiB.
	 * Reads map the file (mmap_size, the first 64 MiB; writes still go through the WAL): a
	 * page read is then the OS's own cached page, not a copy in a page cache first touched
	 * page by page (a 10,000-event timeline: 450 of an export's 1,000 page faults, ~30 us
	 * each on this VM; the kernel maps a mapped file's pages 16 at a time).
	 */
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
			 "PRAGMA cache_size = -" SR_STR(CACHE_KIB) "; PRAGMA wal_autocheckpoint = 4000; "
			 "PRAGMA journal_size_limit = " SR_STR(WAL_LIMIT) "; "
			 "PRAGMA mmap_size = " SR_STR(MMAP_BYTES),
			 NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(s, err, "setting up the connection");
	if (!s->readonly) {
		/*
		 * The -wal and -shm files stay beside the store after the last connection
		 * closes (the WAL checkpointed and emptied: journal_size_limit), as a read-only
		 * connection leaves them anyway. Creating, sizing and deleting both on every
		 * command was ~40 system calls and new pages each time: 12 % of a loaded
		 * `sitrep oncall` (docs/architecture.md, "Start-up cost").
		 */
		int persist = 1;

		sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	}
	return migrate(s, err);
}

/*
 * Settings of the SQLite library itself, made before its first use (sqlite3_config works
 * only before sqlite3_initialize; later calls are refused with SQLITE_MISUSE and change
 * nothing, so calling this before every open is harmless).
 * - No bulk page-cache allocation: by default each connection's first page read allocates
 *   and links 20 cache slots at once (~87 KB, every 4 KB page of it written), although a
 *   short command reads a dozen pages. Slots are then allocated as pages are read, which
 *   the console's cache does anyway past the first 20. On this VM every page first touched
 *   costs tens of microseconds: 7 of `sitrep oncall`'s 160 page faults.
 * - No memory statistics: sitrep never reads sqlite3_status(), and keeping them takes a
 *   mutex and two counters on every allocation SQLite makes.
 */
static void
sq_library_config(void)
{
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct sr_store *
sr_store_sqlite_open(const char *path, char **err)
{
	struct sq_store *s;
	int rc;

	if (create_private(path, err) != 0)
		return NULL;
	sq_library_config();
	s = sr_xcalloc(1, sizeof *s);
	s->base.ops = &sqlite_ops;
	s->base.where = sr_xstrdup(path);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (s->db == NULL)
			sr_err(err, "%s: cannot open the database: out of memory", path);
		else
			sq_fail(s, err, "cannot open the database");
		sqlite_ops.close(&s->base);
		return NULL;
	}
	rc = configure(s, err);
	if (rc == READONLY_WAL && access(path, W_OK) != 0 && access(path, R_OK) == 0) {
		/*
		 * A file we may only read (--readonly on another user's store): read it as an
		 * immutable snapshot of the main file, which needs no -shm. Commits still in
		 * the owner's WAL are not seen until it is checkpointed; writes are refused.
		 */
		char *uri = immutable_uri(path);

		sqlite3_close(s->db);
		s->db = NULL;
		if (err != NULL) {
			free(*err);
			*err = NULL;
		}
		rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				     SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK ? configure(s, err) :
			sq_fail(s, err, "cannot open the database");
		free(uri);
	}
	if (rc != 0) {
		sqlite_ops.close(&s->base);
		return NULL;
	}
	return &s->base;
}

static void
sq_close(struct sr_store *st)
{
	struct sq_store *s = sq(st);

	for (size_t i = 0; i < SQ_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s->base.where);
	free(s);
}

/* --- writes --- */

static int
check_writable(struct sq_store *s, const char *what, char **err)
{
	if (s->readonly)
		return sr_err(err, "%s: the database is read-only (check the permissions of the "
			      "file and its directory): cannot %s", s->base.where, what);
	return 0;
}

/* Binds ?4..?19 (every field but the id, year, seq and version) of an incident write. */
static void
bind_fields(sqlite3_stmt *stmt, const struct sr_incident *inc)
{
	bind_text(stmt, SR_COL_TITLE + 1, inc->title != NULL ? inc->title : "");
	bind_text(stmt, SR_COL_SERVICE + 1, inc->service);
	bind_text(stmt, SR_COL_IMPACT + 1, inc->impact);
	bind_text(stmt, SR_COL_ROOT_CAUSE + 1, inc->root_cause);
	bind_text(stmt, SR_COL_RESOLUTION + 1, inc->resolution);
	sqlite3_bind_int(stmt, SR_COL_SEV + 1, (int)inc->sev + 1);
	bind_text(stmt, SR_COL_STATUS + 1, sr_status_name(inc->status));
	sqlite3_bind_int(stmt, SR_COL_LEVEL + 1, inc->level);
	bind_text(stmt, SR_COL_COMMANDER + 1, inc->roles[SR_ROLE_COMMANDER]);
	bind_text(stmt, SR_COL_COMMS + 1, inc->roles[SR_ROLE_COMMS]);
	bind_text(stmt, SR_COL_SCRIBE + 1, inc->roles[SR_ROLE_SCRIBE]);
	sqlite3_bind_int64(stmt, SR_COL_CREATED + 1, inc->created_at);
	sqlite3_bind_int64(stmt, SR_COL_ACKED + 1, inc->acked_at);
	sqlite3_bind_int64(stmt, SR_COL_RESOLVED + 1, inc->resolved_at);
	sqlite3_bind_int64(stmt, SR_COL_CLOSED + 1, inc->closed_at);
	sqlite3_bind_int64(stmt, SR_COL_LAST_UPDATE + 1, inc->last_update_at);
}


/* Inserts the alert links of inc under id (inside the caller's transaction). */
static int
write_alerts(struct sr_store *st, const char *id, const struct sr_incident *inc, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt = sq_stmt(s, SQ_INSERT_ALERT, err);

	if (stmt == NULL)
		return -1;
	for (size_t i = 0; i < inc->n_alerts; i++) {
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
		bind_text(stmt, 2, inc->alerts[i]);
		if (sq_run(s, stmt, "linking an alert", err) != 0)
			return -1;
	}
	return 0;
}

/* Reads id's chain head: *n = 0 and hash "" when the incident has none yet. */
static int
read_head(struct sr_store *st, const char *id, int64_t *n, char hash[SR_HASH_HEX], char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt = sq_stmt(s, SQ_CHAIN_HEAD, err);
	int rc;

	if (stmt == NULL)
		return -1;
	*n = 0;
	hash[0] = '\0';
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(stmt, 1);

		*n = sqlite3_column_int64(stmt, 0);
		snprintf(hash, SR_HASH_HEX, "%s", h != NULL ? h : "");
	} else if (rc != SQLITE_DONE) {
		sq_fail(s, err, "reading the timeline's chain head");
	}
	sq_reset(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int
write_head(struct sr_store *st, const char *id, int64_t n, const char *hash, char **err)
{
	sqlite3_stmt *stmt = sq_stmt(sq(st), SQ_CHAIN_PUT, err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, n);
	sqlite3_bind_text(stmt, 3, hash, -1, SQLITE_STATIC);
	return sq_run(sq(st), stmt, "moving the timeline's chain head", err);
}

static int
add_stats(struct sr_store *st, const char *id, const char *summary, char **err)
{
	sqlite3_stmt *stmt = sq_stmt(sq(st), SQ_STATS_EVENTS_ADD, err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, summary, -1, SQLITE_STATIC);
	return sq_run(sq(st), stmt, "summing up the timeline for statistics", err);
}

static int
put_event(struct sr_store *st, const char *id, struct sr_event *e, const char *actor,
	  const char *detail, int64_t pos, const char *hash, int k, char **err)
{
	struct sq_store *s = sq(st);
	/* the copy's statement binds the id first */
	sqlite3_stmt *stmt = sq_stmt(s, k ? SQ_IMPORT_EVENT : SQ_INSERT_EVENT, err);

	if (stmt == NULL)
		return -1;
	if (k)
		sqlite3_bind_int64(stmt, 1, e->id);
	bind_text(stmt, k + 1, id);
	sqlite3_bind_int64(stmt, k + 2, e->at);
	bind_text(stmt, k + 3, actor);
	bind_text(stmt, k + 4, sr_event_kind_name(e->kind));
	bind_text(stmt, k + 5, detail);
	sqlite3_bind_int64(stmt, k + 6, pos);
	bind_text(stmt, k + 7, hash);
	if (sq_run(s, stmt, k ? "copying the timeline" : "appending to the timeline", err) != 0)
		return -1;
	if (!k)
		e->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* How store.c writes an incident's rows here (sr_store_append_events, ..._write_children). */
static const struct sr_store_writer sq_writer = {
	read_head, put_event, write_head, add_stats, write_alerts, write_review,
};

/*
 * Appends the events under id (sr_store_append_events); keep_ids (a verbatim copy) stores
 * each under its own row id, else the new row ids are recorded (reset to 0 by the caller on
 * failure).
 */
static int
write_events(struct sq_store *s, const char *id, sr_time created, struct sr_event_list *ev,
	     int keep_ids, char **err)
{
	return sr_store_append_events(&s->base, &sq_writer, id, created, ev, keep_ids, err);
}

static int
sq_create(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;
	char id[SR_ID_MAX];
	int year = sr_time_year(inc->created_at);
	int64_t seq = 0;
	int rc = -1;

	if (check_writable(s, "create an incident", err) != 0 ||
	    sr_store_check_row(s->base.where, inc, err) != 0)
		return -1;
	/* IMMEDIATE takes the write lock now, so two processes get consecutive numbers. */
	if (sq_simple(s, SQ_BEGIN_WRITE, "creating an incident", err) != 0)
		return -1;

	if ((stmt = sq_stmt(s, SQ_NEXT_SEQ, err)) == NULL)
		goto fail;
	sqlite3_bind_int(stmt, 1, year);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		sq_fail(s, err, "allocating an incident id");
		sq_reset(stmt);
		goto fail;
	}
	seq = sqlite3_column_int64(stmt, 0);
	sq_reset(stmt);
	snprintf(id, sizeof id, "INC-%04d-%03" PRId64, year, seq);

	if ((stmt = sq_stmt(s, SQ_INSERT_INCIDENT, err)) == NULL)
		goto fail;
	sqlite3_bind_text(stmt, SR_COL_ID + 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, SR_COL_YEAR + 1, year);
	sqlite3_bind_int64(stmt, SR_COL_SEQ + 1, seq);
	bind_fields(stmt, inc);
	if (sq_run(s, stmt, "creating an incident", err) != 0 ||
	    sr_store_write_children(&s->base, &sq_writer, id, inc, ev, 0, err) != 0)
		goto fail;
	rc = 0;
fail:
	rc = end_write(s, rc, "creating an incident", err);
	return sr_store_create_done(rc, inc, ev, id, year, seq);
}

/* Says why an UPDATE ... WHERE version = ? touched no row: unknown id or a newer version. */
static int
explain_no_update(struct sq_store *s, const struct sr_incident *inc, int *conflict, char **err)
{
	sqlite3_stmt *stmt = sq_stmt(s, SQ_VERSION_OF, err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, inc->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		sq_reset(stmt);
		return sr_err(err, "no incident %s in %s", inc->id, s->base.where);
	}
	if (rc != SQLITE_ROW) {
		sq_fail(s, err, "reading an incident's version");
		sq_reset(stmt);
		return -1;
	}
	if (conflict != NULL)
		*conflict = 1;
	sr_err(err, "%s was changed by someone else (version %" PRId64 ", you had %" PRId64
	       "): reload and try again", inc->id, (int64_t)sqlite3_column_int64(stmt, 0),
	       inc->version);
	sq_reset(stmt);
	return -1;
}

/*
 * Makes the stored alert links equal inc->alerts (in order), inside the caller's
 * transaction. Most changes leave the links alone, and then nothing is written.
 */
static int
alerts_changed(struct sq_store *s, const struct sr_incident *inc, char **err)
{
	sqlite3_stmt *stmt = sq_stmt(s, SQ_GET_ALERTS, err);
	size_t i = 0;
	int rc, same = 1;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, inc->id, -1, SQLITE_STATIC);
	while (same && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *fp = (const char *)sqlite3_column_text(stmt, 0);

		same = i < inc->n_alerts && strcmp(fp, inc->alerts[i]) == 0;
		i++;
	}
	if (same && rc != SQLITE_DONE) {
		sq_fail(s, err, "reading an incident's alerts");
		sq_reset(stmt);
		return -1;
	}
	sq_reset(stmt);
	if (same && i == inc->n_alerts)
		return 0;

	if ((stmt = sq_stmt(s, SQ_DELETE_ALERTS, err)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, inc->id, -1, SQLITE_STATIC);
	if (sq_run(s, stmt, "relinking alerts", err) != 0)
		return -1;
	return write_alerts(&s->base, inc->id, inc, err);
}

static int outbox_insert(struct sq_store *s, struct sr_outbox_msg *m, char **err);

/*
 * The rows of an update, and when msg is not NULL the outbox row, in one transaction: the
 * ops' send and their update through sr_store_update_by_send, framed by sr_store_send_tx.
 */
static int
update_rows(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev,
	    struct sr_outbox_msg *msg, int *conflict, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;
	int rc = -1;

	if (check_writable(s, "change an incident", err) != 0 ||
	    sq_simple(s, SQ_BEGIN_WRITE, "changing an incident", err) != 0)
		return -1;

	if ((stmt = sq_stmt(s, SQ_UPDATE_INCIDENT, err)) == NULL)
		goto fail;
	sqlite3_bind_text(stmt, SR_COL_ID + 1, inc->id, -1, SQLITE_STATIC);
	bind_fields(stmt, inc);
	sqlite3_bind_int64(stmt, SR_COL_VERSION + 1, inc->version);
	if (sq_run(s, stmt, "changing an incident", err) != 0)
		goto fail;
	if (sqlite3_changes(s->db) == 0) {
		explain_no_update(s, inc, conflict, err);
		goto fail;
	}

	if (alerts_changed(s, inc, err) != 0 ||
	    write_events(s, inc->id, inc->created_at, ev, 0, err) != 0 ||
	    write_review(&s->base, inc->id, inc, 0, err) != 0 ||
	    (msg != NULL && outbox_insert(s, msg, err) != 0))
		goto fail;
	rc = 0;
fail:
	return end_write(s, rc, "changing an incident", err);
}


/* --- reads --- */



/* Finishes a read-only transaction whatever happened (reads have nothing to undo). */
static int
end_read(struct sq_store *s, int rc, char **err)
{
	if (sqlite3_get_autocommit(s->db))
		return rc;
	if (sq_simple(s, SQ_COMMIT, "reading", rc == 0 ? err : NULL) != 0) {
		sq_rollback(s);
		return -1;
	}
	return rc;
}

static int
load_incident(struct sq_store *s, const char *id, struct sr_incident *out, char **err)
{
	sqlite3_stmt *stmt = sq_stmt(s, SQ_GET_INCIDENT, err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		sq_reset(stmt);
		return sr_err(err, "no incident %s in %s", id, s->base.where);
	}
	if (rc != SQLITE_ROW) {
		sq_fail(s, err, "reading an incident");
		sq_reset(stmt);
		return -1;
	}
	rc = sr_store_read_incident(s->base.where, ROW(stmt), out, err);
	sq_reset(stmt);
	if (rc != 0)
		return -1;

	if ((stmt = sq_stmt(s, SQ_GET_ALERTS, err)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		sr_store_add_alert(out, (const char *)sqlite3_column_text(stmt, 0));
	if (rc != SQLITE_DONE)
		sq_fail(s, err, "reading an incident's alerts");
	sq_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
sq_get(struct sr_store *st, const char *id, struct sr_incident *out, char **err)
{
	struct sq_store *s = sq(st);
	struct sr_incident inc;
	int rc;

	/* One read transaction: the row and its alert links come from the same snapshot. */
	if (sq_simple(s, SQ_BEGIN_READ, "reading an incident", err) != 0)
		return -1;
	sr_incident_init(&inc);
	rc = load_incident(s, id, &inc, err);
	if (rc == 0)
		rc = load_review(s, id, &inc, err);
	rc = end_read(s, rc, err);
	if (rc != 0) {
		sr_incident_done(&inc);
		return -1;
	}
	sr_incident_done(out);
	*out = inc;
	return 0;
}


/* Attaches alert links to the incidents out->v[from..]: one query, then a binary search. */
static int
load_list_alerts(struct sq_store *s, unsigned flags, struct sr_incident_list *out, size_t from,
		 char **err)
{
	sqlite3_stmt *stmt;
	struct sr_incident **byid;
	size_t n = out->n - from;
	int rc;

	if (!(flags & SR_LIST_OPEN) && (flags & SR_LIST_RECENT)) {
		/* a bounded list: each incident's links by the primary key, not every link */
		for (size_t i = from; i < out->n; i++) {
			stmt = sq_stmt(s, SQ_GET_ALERTS, err);
			if (stmt == NULL)
				return -1;
			sqlite3_bind_text(stmt, 1, out->v[i].id, -1, SQLITE_STATIC);
			while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
				sr_store_add_alert(&out->v[i],
						   (const char *)sqlite3_column_text(stmt, 0));
			if (rc != SQLITE_DONE)
				sq_fail(s, err, "listing alert links");
			sq_reset(stmt);
			if (rc != SQLITE_DONE)
				return -1;
		}
		return 0;
	}
	stmt = sq_stmt(s, (flags & SR_LIST_OPEN) ? SQ_LIST_OPEN_ALERTS : SQ_LIST_ALL_ALERTS, err);
	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {	/* the usual case: nothing linked */
		sq_reset(stmt);
		return 0;
	}
	byid = sr_store_index_by_id(out, from);
	for (; rc == SQLITE_ROW; rc = sqlite3_step(stmt)) {
		struct sr_incident *hit;

		hit = sr_store_find_by_id(byid, n, (const char *)sqlite3_column_text(stmt, 0));
		if (hit != NULL)
			sr_store_add_alert(hit, (const char *)sqlite3_column_text(stmt, 1));
	}
	free(byid);
	if (rc != SQLITE_DONE)
		sq_fail(s, err, "listing alert links");
	sq_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
load_list(struct sq_store *s, unsigned flags, struct sr_incident_list *out, char **err)
{
	sqlite3_stmt *stmt;
	size_t from = out->n;
	int rc;

	stmt = sq_stmt(s, (flags & SR_LIST_OPEN) ? SQ_LIST_OPEN :
			  (flags & SR_LIST_RECENT) ? SQ_LIST_RECENT : SQ_LIST_ALL, err);
	if (stmt == NULL)
		return -1;
	if (!(flags & SR_LIST_OPEN) && (flags & SR_LIST_RECENT))
		sqlite3_bind_int(stmt, 1, SR_LIST_RECENT_N);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		sr_store_list_row(s->base.where, ROW(stmt), out);
	if (rc != SQLITE_DONE)
		sq_fail(s, err, "listing incidents");
	sq_reset(stmt);
	if (rc != SQLITE_DONE)
		return -1;
	return load_list_alerts(s, flags, out, from, err);
}

static int
sq_list(struct sr_store *st, unsigned flags, struct sr_incident_list *out, char **err)
{
	struct sq_store *s = sq(st);
	size_t from = out->n;

	if (sq_simple(s, SQ_BEGIN_READ, "listing incidents", err) != 0)
		return -1;
	return end_read(s, load_list(s, flags, out, err), err) != 0 ? sr_store_drop_incidents(out, from) : 0;
}

static int
load_events(struct sq_store *s, const char *id, struct sr_event_list *out, char **err)
{
	sqlite3_stmt *stmt = sq_stmt(s, SQ_EVENTS, err);
	size_t before = out->n;
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		sr_store_read_event(s->base.where, id, ROW(stmt), out);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		sq_fail(s, err, "reading a timeline");
	sq_reset(stmt);
	if (rc != SQLITE_DONE)
		return -1;
	if (out->n > before)
		return 0;

	/* No events at all: tell an unknown id from an incident with an empty timeline. */
	if ((stmt = sq_stmt(s, SQ_VERSION_OF, err)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sq_reset(stmt);
	if (rc == SQLITE_DONE)
		return sr_err(err, "no incident %s in %s", id, s->base.where);
	if (rc != SQLITE_ROW)
		return sq_fail(s, err, "reading a timeline");
	return 0;
}

static int
sq_events(struct sr_store *st, const char *id, struct sr_event_list *out, char **err)
{
	struct sq_store *s = sq(st);
	size_t from = out->n;

	if (sq_simple(s, SQ_BEGIN_READ, "reading a timeline", err) != 0)
		return -1;
	return end_read(s, load_events(s, id, out, err), err) != 0 ? sr_store_drop_events(out, from) : 0;
}

/* --- feed cache --- */

static int
sq_cache_put(struct sr_store *st, const char *source, const char *body, size_t len,
	     int64_t fetched_at, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;

	if (check_writable(s, "cache a feed", err) != 0)
		return -1;
	if ((stmt = sq_stmt(s, SQ_CACHE_PUT, err)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, source, -1, SQLITE_STATIC);
	/* A non-NULL pointer, so that an empty body is an empty blob, not NULL. */
	sqlite3_bind_blob64(stmt, 2, body != NULL ? body : "", len, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, fetched_at);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		sr_err(err, "%s: caching feed %s: %s", s->base.where, source,
		       sqlite3_errmsg(s->db));
		sq_reset(stmt);
		return -1;
	}
	sq_reset(stmt);
	return 0;
}

static int
sq_cache_get(struct sr_store *st, const char *source, char **body, size_t *len,
	     int64_t *fetched_at, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = sq_stmt(s, SQ_CACHE_GET, err)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, source, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const void *p = sqlite3_column_blob(stmt, 0);
		size_t n = (size_t)sqlite3_column_bytes(stmt, 0);

		/* NUL-terminated as well, so text parsers can take it directly. */
		*body = sr_xmalloc(n + 1);
		if (n > 0)
			memcpy(*body, p, n);
		(*body)[n] = '\0';
		if (len != NULL)
			*len = n;
		if (fetched_at != NULL)
			*fetched_at = sqlite3_column_int64(stmt, 1);
		sq_reset(stmt);
		return 1;
	}
	if (rc != SQLITE_DONE)
		sr_err(err, "%s: reading cached feed %s: %s", s->base.where, source,
		       sqlite3_errmsg(s->db));
	sq_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The streamed form: a row with a zero blob of the final size, then the bytes written into
 * it piece by piece (sqlite3_blob_write), all in one transaction. The page cache is made
 * small meanwhile so that the pages spill to the WAL instead of all staying in memory:
 * a 5,000-alert answer would otherwise add its whole size (3.3 MB) to the process.
 */
#define STREAM_CACHE_KIB 64
#define STREAM_CHUNK (64 * 1024)

static int
sq_cache_put_stream(struct sr_store *st, const char *source, size_t len, int64_t fetched_at,
		    sr_store_read_fn rd, void *arg, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;
	sqlite3_blob *blob = NULL;
	sqlite3_int64 rowid;
	char *buf = NULL;
	size_t off = 0;
	int rc;

	if (check_writable(s, "cache a feed", err) != 0)
		return -1;
	if (len > (size_t)INT32_MAX)
		return sr_err(err, "%s: caching feed %s: %zu bytes is more than SQLite can keep "
			      "in one value", s->base.where, source, len);
	sqlite3_exec(s->db, "PRAGMA cache_size = -" SR_STR(STREAM_CACHE_KIB), NULL, NULL, NULL);
	if (sq_simple(s, SQ_BEGIN_WRITE, "caching a feed", err) != 0)
		goto fail;
	if ((stmt = sq_stmt(s, SQ_CACHE_DELETE, err)) == NULL)
		goto fail;
	sqlite3_bind_text(stmt, 1, source, -1, SQLITE_STATIC);
	if (sq_run(s, stmt, "caching a feed", err) != 0)
		goto fail;
	if ((stmt = sq_stmt(s, SQ_CACHE_PUT_ZERO, err)) == NULL)
		goto fail;
	sqlite3_bind_text(stmt, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)len);
	sqlite3_bind_int64(stmt, 3, fetched_at);
	rc = sqlite3_step(stmt);
	sq_reset(stmt);
	if (rc != SQLITE_DONE) {
		sq_fail(s, err, "caching a feed");
		goto fail;
	}
	rowid = sqlite3_last_insert_rowid(s->db);
	if (len > 0 && sqlite3_blob_open(s->db, "main", "feed_cache", "body", rowid, 1,
					 &blob) != SQLITE_OK) {
		sq_fail(s, err, "caching a feed");
		goto fail;
	}
	buf = sr_xmalloc(STREAM_CHUNK);
	while (off < len) {
		size_t want = len - off < STREAM_CHUNK ? len - off : STREAM_CHUNK;
		long got = rd(arg, buf, want);

		if (got <= 0 || (size_t)got > want) {
			sr_err(err, "%s: caching feed %s: the answer could not be read back after "
			       "%zu of %zu bytes", s->base.where, source, off, len);
			goto fail;
		}
		if (sqlite3_blob_write(blob, buf, (int)got, (int)off) != SQLITE_OK) {
			sq_fail(s, err, "caching a feed");
			goto fail;
		}
		off += (size_t)got;
	}
	if (blob != NULL && sqlite3_blob_close(blob) != SQLITE_OK) {
		blob = NULL;
		sq_fail(s, err, "caching a feed");
		goto fail;
	}
	blob = NULL;
	if (sq_simple(s, SQ_COMMIT, "caching a feed", err) != 0)
		goto fail;
	free(buf);
	sqlite3_exec(s->db, "PRAGMA cache_size = -" SR_STR(CACHE_KIB), NULL, NULL, NULL);
	return 0;
fail:
	if (blob != NULL)
		sqlite3_blob_close(blob);
	free(buf);
	sq_rollback(s);
	sqlite3_exec(s->db, "PRAGMA cache_size = -" SR_STR(CACHE_KIB), NULL, NULL, NULL);
	return -1;
}

/* --- post-mortem: review fields and action items --- */

/*
 * Writes inc's review fields and new or changed action items under id (caller's
 * transaction); keep_ids (a verbatim copy) inserts every action item with its own id.
 */
static int
write_review(struct sr_store *st, const char *id, struct sr_incident *inc, int keep_ids,
	     char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;

	for (int f = 0; f < SR_REVIEW_COUNT; f++) {
		if (inc->review[f] == NULL)
			continue;
		if ((stmt = sq_stmt(s, SQ_REVIEW_PUT, err)) == NULL)
			return -1;
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, sr_review_name((enum sr_review)f), -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, inc->review[f], -1, SQLITE_STATIC);
		if (sq_run(s, stmt, "writing the post-mortem fields", err) != 0)
			return -1;
	}
	for (size_t i = 0; i < inc->n_actions; i++) {
		struct sr_action *a = &inc->actions[i];

		if (a->id != 0 && !a->dirty && !keep_ids)
			continue;
		if ((stmt = sq_stmt(s, keep_ids ? SQ_ACTION_IMPORT : a->id == 0 ? SQ_ACTION_INSERT :
				    SQ_ACTION_SET_DONE, err)) == NULL)
			return -1;
		if (keep_ids || a->id == 0) {
			sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
			bind_text(stmt, 2, a->text != NULL ? a->text : "");
			bind_text(stmt, 3, a->owner != NULL ? a->owner : "");
			bind_text(stmt, 4, sr_action_kind_name(a->kind));
			sqlite3_bind_int64(stmt, 5, a->due);
			sqlite3_bind_int64(stmt, 6, a->created_at);
			sqlite3_bind_int64(stmt, 7, a->done_at);
			bind_text(stmt, 8, a->done_by);
			if (keep_ids)
				sqlite3_bind_int64(stmt, 9, a->id);
		} else {
			sqlite3_bind_int64(stmt, 1, a->id);
			sqlite3_bind_int64(stmt, 2, a->done_at);
			bind_text(stmt, 3, a->done_by);
		}
		if (sq_run(s, stmt, "writing an action item", err) != 0)
			return -1;
		if (keep_ids)	/* a copy leaves its source as it is */
			continue;
		if (a->id == 0)
			a->id = sqlite3_last_insert_rowid(s->db);
		a->dirty = 0;
		snprintf(a->incident, sizeof a->incident, "%s", id);
	}
	return 0;
}


/* Runs an action query (parameters bound) appending to out; resets stmt. */
static int
read_actions(struct sq_store *s, sqlite3_stmt *stmt, struct sr_action_list *out, char **err)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (sr_store_read_action(s->base.where, ROW(stmt), sr_action_list_push(out),
					 err) != 0)
			break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		sq_fail(s, err, "reading action items");
	sq_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
load_review(struct sq_store *s, const char *id, struct sr_incident *inc, char **err)
{
	sqlite3_stmt *stmt = sq_stmt(s, SQ_REVIEW_GET, err);
	struct sr_action_list l = { 0 };
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		sr_store_read_review(ROW(stmt), inc);
	if (rc != SQLITE_DONE)
		sq_fail(s, err, "reading the post-mortem fields");
	sq_reset(stmt);
	if (rc != SQLITE_DONE || (stmt = sq_stmt(s, SQ_ACTION_GET, err)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	rc = read_actions(s, stmt, &l, err);
	/* the list's array becomes the incident's */
	inc->actions = l.v;
	inc->n_actions = l.n;
	return rc;
}

static int
sq_actions(struct sr_store *st, const struct sr_action_filter *f, struct sr_action_list *out,
	   char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt = sq_stmt(s, SQ_ACTION_LIST, err);
	size_t from = out->n;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int(stmt, 1, f != NULL && f->open_only);
	bind_text(stmt, 2, f != NULL ? f->owner : NULL);
	bind_text(stmt, 3, f != NULL ? f->incident : NULL);
	return read_actions(s, stmt, out, err) != 0 ? sr_store_drop_actions(out, from) : 0;
}

/* --- statistics --- */

static void
bind_stats_query(sqlite3_stmt *stmt, const struct sr_stats_query *q)
{
	sqlite3_bind_int64(stmt, 1, q->since);
	sqlite3_bind_int64(stmt, 2, q->until);
	bind_text(stmt, 3, q->service);
}

/* One row per incident, from incidents_stats alone (it holds every column read). */
static int
stats_rows(struct sq_store *s, const struct sr_stats_query *q, const struct sr_stats_sink *k,
	   char **err)
{
	sqlite3_stmt *stmt = sq_stmt(s, SQ_STATS_INCIDENTS, err);
	int rc;

	if (stmt == NULL)
		return -1;
	bind_stats_query(stmt, q);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		sr_store_stats_row(q, ROW(stmt), k);
	if (rc != SQLITE_DONE)
		sq_fail(s, err, "reading statistics");
	sq_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Migration 8 -> 9: each incident's stats_events from its stored events, in the order they
 * were written (as sr_store_append_events would have appended them), then the index statistics
 * read (built once, after the rows are written).
 */
static int
stats_backfill(struct sq_store *s, char **err)
{
	const char *what = "summing up the stored timeline for statistics (schema version 9)";
	sqlite3_stmt *rd = NULL, *wr = NULL;
	struct sr_buf b;
	char cur[SR_ID_MAX] = "";
	int rc = 0, step;

	sr_buf_init(&b);
	if (sqlite3_prepare_v2(s->db, "SELECT e.incident_id, e.at, e.kind, e.detail, i.created_at "
			       "FROM events e JOIN incidents i ON i.id = e.incident_id WHERE "
			       "e.kind IN ('escalated', 'update_sent') ORDER BY e.incident_id, e.id",
			       -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "UPDATE incidents SET stats_events = ?2 WHERE id = ?1", -1,
			       &wr, NULL) != SQLITE_OK)
		rc = sq_fail(s, err, what);
	for (step = SQLITE_ROW; rc == 0 && step == SQLITE_ROW;) {
		const char *inc = NULL;

		step = sqlite3_step(rd);
		if (step == SQLITE_ROW)
			inc = (const char *)sqlite3_column_text(rd, 0);
		else if (step != SQLITE_DONE)
			rc = sq_fail(s, err, what);
		if (rc == 0 && cur[0] != '\0' && (inc == NULL || strcmp(inc, cur) != 0)) {
			sqlite3_bind_text(wr, 1, cur, -1, SQLITE_STATIC);
			sqlite3_bind_text(wr, 2, b.data != NULL ? b.data : "", (int)b.len,
					  SQLITE_STATIC);
			rc = sq_run(s, wr, what, err);
			b.len = 0;
		}
		if (rc != 0 || inc == NULL)
			continue;
		snprintf(cur, sizeof cur, "%s", inc);
		sr_store_stats_event(&b, sqlite3_column_int64(rd, 4), sqlite3_column_int64(rd, 1),
				     (const char *)sqlite3_column_text(rd, 2),
				     (const char *)sqlite3_column_text(rd, 3));
	}
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	sr_buf_done(&b);
	if (rc == 0 && sqlite3_exec(s->db, SQ_STATS_INDEX, NULL, NULL, NULL) != SQLITE_OK)
		rc = sq_fail(s, err, what);
	return rc;
}

static int
sq_stats(struct sr_store *st, const struct sr_stats_query *q, const struct sr_stats_sink *k,
	 char **err)
{
	struct sq_store *s = sq(st);

	if (sq_simple(s, SQ_BEGIN_READ, "reading statistics", err) != 0)
		return -1;
	return end_read(s, stats_rows(s, q, k, err), err);
}

/* --- the verifiable timeline (chain.h) --- */

#define NO_UPDATE_TRIGGER \
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events\n" \
	"  BEGIN SELECT RAISE(ABORT, 'timeline events are append-only'); END"

/*
 * Migration 4 -> 5: chains the events already stored, incident by incident in the order they
 * were written, and records each head. The append-only trigger is lifted for this one
 * transaction and put back exactly as version 1 created it.
 */
static int
chain_backfill(struct sq_store *s, char **err)
{
	const char *what = "chaining the stored timeline (schema version 5)";
	sqlite3_stmt *rd = NULL, *wr = NULL;
	char cur[SR_ID_MAX] = "", prev[SR_HASH_HEX] = "", hash[SR_HASH_HEX];
	int64_t n = 0;
	int rc = -1, step;

	if (sqlite3_exec(s->db, "DROP TRIGGER events_no_update", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT id, incident_id, at, actor, kind, detail FROM events "
			       "ORDER BY incident_id, id", -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "UPDATE events SET pos = ?1, hash = ?2 WHERE id = ?3", -1,
			       &wr, NULL) != SQLITE_OK) {
		sq_fail(s, err, what);
		goto out;
	}
	while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
		const char *inc = (const char *)sqlite3_column_text(rd, 1);

		if (inc == NULL)
			inc = "";
		if (strcmp(inc, cur) != 0) {
			if (cur[0] != '\0' && write_head(&s->base, cur, n, prev, err) != 0)
				goto out;
			snprintf(cur, sizeof cur, "%s", inc);
			n = 0;
			prev[0] = '\0';
		}
		sr_chain_hash(prev, ++n, cur, sqlite3_column_int64(rd, 2),
			      (const char *)sqlite3_column_text(rd, 3),
			      (const char *)sqlite3_column_text(rd, 4),
			      (const char *)sqlite3_column_text(rd, 5), hash);
		sqlite3_bind_int64(wr, 1, n);
		sqlite3_bind_text(wr, 2, hash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(wr, 3, sqlite3_column_int64(rd, 0));
		if (sqlite3_step(wr) != SQLITE_DONE) {
			sq_fail(s, err, what);
			goto out;
		}
		sqlite3_reset(wr);
		memcpy(prev, hash, sizeof prev);
	}
	if (step != SQLITE_DONE) {
		sq_fail(s, err, what);
		goto out;
	}
	if (cur[0] != '\0' && write_head(&s->base, cur, n, prev, err) != 0)
		goto out;
	if (sqlite3_exec(s->db, NO_UPDATE_TRIGGER, NULL, NULL, NULL) != SQLITE_OK) {
		sq_fail(s, err, what);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	return rc;
}

static int
walk_rows(struct sq_store *s, const char *id, sr_chain_fn fn, void *arg, char **err)
{
	sqlite3_stmt *stmt = sq_stmt(s, id != NULL ? SQ_CHAIN_WALK_ONE : SQ_CHAIN_WALK_ALL, err);
	int rc, any = 0;

	if (stmt == NULL)
		return -1;
	if (id != NULL)
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	for (int pass = 0; pass < 2; pass++) {
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct sr_chain_row r;

			sr_store_read_chain(ROW(stmt), pass, &r);
			any = 1;
			if (fn(arg, &r) != 0)
				break;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			sq_fail(s, err, "reading the timeline's chain");
			sq_reset(stmt);
			return -1;
		}
		sq_reset(stmt);
		if (pass == 1 || (stmt = sq_stmt(s, SQ_CHAIN_EMPTY, err)) == NULL)
			break;
		bind_text(stmt, 1, id);
	}
	if (stmt == NULL)
		return -1;
	if (id != NULL && !any)
		return sr_err(err, "no incident %s in %s", id, s->base.where);
	return 0;
}

static int
sq_chain_walk(struct sr_store *st, const char *id, sr_chain_fn fn, void *arg, char **err)
{
	struct sq_store *s = sq(st);

	/* One snapshot: the events and the heads are read as of one moment. */
	if (sq_simple(s, SQ_BEGIN_READ, "reading the timeline's chain", err) != 0)
		return -1;
	return end_read(s, walk_rows(s, id, fn, arg, err), err);
}

/* --- the outbox (statements prepared per call: a handful of messages an hour) --- */

static int
outbox_prepare(struct sq_store *s, const char *sql, sqlite3_stmt **stmt, char **err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL) != SQLITE_OK)
		return sq_fail(s, err, "preparing an outbox statement");
	return 0;
}

/* Steps a prepared one-shot statement to its end and finalizes it. */
static int
outbox_run(struct sq_store *s, sqlite3_stmt *stmt, const char *what, char **err)
{
	return each_row(s, stmt, 0, NULL, NULL, what, err);
}

static int
outbox_insert(struct sq_store *s, struct sr_outbox_msg *m, char **err)
{
	sqlite3_stmt *stmt;

	if (outbox_prepare(s, "INSERT INTO outbox (incident_id, target, kind, payload, text, "
			   "state, created_at, next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			   &stmt, err) != 0)
		return -1;
	bind_text(stmt, 1, m->incident);
	bind_text(stmt, 2, m->target);
	bind_text(stmt, 3, m->kind);
	bind_text(stmt, 4, m->payload);
	bind_text(stmt, 5, m->text ? m->text : "");
	bind_text(stmt, 6, sr_outbox_state_name(SR_OB_PENDING));
	sqlite3_bind_int64(stmt, 7, m->created_at);
	sqlite3_bind_int64(stmt, 8, m->next_at);
	if (outbox_run(s, stmt, "queueing a message", err) != 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(s->db);
	m->state = SR_OB_PENDING;
	return 0;
}

static int
sq_outbox_list(struct sr_store *st, const struct sr_outbox_filter *f,
	       struct sr_outbox_list *out, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;

	if (outbox_prepare(s, "SELECT " SR_STORE_OUTBOX_COLS " FROM outbox "
			   "WHERE (?1 IS NULL OR incident_id = ?1) AND (?2 IS NULL OR target = ?2) "
			   "AND (?3 = 0 OR state <> 'sent') AND (?4 = 0 OR id = ?4) ORDER BY id",
			   &stmt, err) != 0)
		return -1;
	bind_text(stmt, 1, f ? f->incident : NULL);
	bind_text(stmt, 2, f ? f->target : NULL);
	sqlite3_bind_int(stmt, 3, f ? f->undelivered : 0);
	sqlite3_bind_int64(stmt, 4, f ? f->id : 0);
	return each_row(s, stmt, 0, sr_store_add_outbox_row, out, "reading the outbox", err);
}

static int
sq_outbox_claim(struct sr_store *st, int64_t id, enum sr_outbox_state from,
		const struct sr_outbox_claimer *by, int *claimed, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;

	*claimed = 0;
	if (check_writable(s, "send a message", err) != 0 ||
	    outbox_prepare(s, "UPDATE outbox SET state = 'sending', claimed_by = ?3, "
			   "claimed_host = ?4, claimed_at = ?5, attempts = attempts + 1 "
			   "WHERE id = ?1 AND state = ?2 AND (?2 <> 'sending' OR claimed_at = ?6)",
			   &stmt, err) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	bind_text(stmt, 2, sr_outbox_state_name(from));
	sqlite3_bind_int64(stmt, 3, by->pid);
	bind_text(stmt, 4, by->host);
	sqlite3_bind_int64(stmt, 5, by->at_ms);
	sqlite3_bind_int64(stmt, 6, by->seen_at);
	if (outbox_run(s, stmt, "claiming a message", err) != 0)
		return -1;
	*claimed = sqlite3_changes(s->db) == 1;
	return 0;
}

static int
sq_outbox_set(struct sr_store *st, const struct sr_outbox_msg *m, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;

	if (check_writable(s, "record a message", err) != 0 ||
	    outbox_prepare(s, "UPDATE outbox SET state = ?2, attempts = ?3, claimed_by = ?4, "
			   "next_at = ?5, sent_ms = ?6, error = ?7, ts = ?8, claimed_host = ?9, "
			   "claimed_at = ?10 WHERE id = ?1", &stmt, err) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, m->id);
	bind_text(stmt, 2, sr_outbox_state_name(m->state));
	sqlite3_bind_int(stmt, 3, m->attempts);
	sqlite3_bind_int64(stmt, 4, m->claimed_by);
	sqlite3_bind_int64(stmt, 5, m->next_at);
	sqlite3_bind_int64(stmt, 6, m->sent_ms);
	bind_text(stmt, 7, m->error);
	bind_text(stmt, 8, m->ts);
	bind_text(stmt, 9, m->claimed_host);
	sqlite3_bind_int64(stmt, 10, m->claimed_at);
	return outbox_run(s, stmt, "recording a message", err);
}

static int
sq_outbox_drop(struct sr_store *st, int64_t id, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;

	if (check_writable(s, "drop a message", err) != 0 ||
	    outbox_prepare(s, "DELETE FROM outbox WHERE id = ?1 AND state <> 'sent'", &stmt,
			   err) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (outbox_run(s, stmt, "dropping a message", err) != 0)
		return -1;
	if (sqlite3_changes(s->db) != 1)
		return sr_err(err, "no undelivered message %" PRId64 " in the outbox of %s", id,
			      s->base.where);
	return 0;
}

/* --- copying verbatim (sitrep store migrate) --- */

static int
sq_import(struct sr_store *st, const struct sr_incident *inc, const struct sr_event_list *ev,
	  int *existed, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;
	int rc = -1;

	*existed = 0;
	if (check_writable(s, "copy an incident", err) != 0 ||
	    sr_store_check_row(s->base.where, inc, err) != 0)
		return -1;
	if (sq_simple(s, SQ_BEGIN_WRITE, "copying an incident", err) != 0)
		return -1;
	if ((stmt = sq_stmt(s, SQ_IMPORT_INCIDENT, err)) == NULL)
		goto fail;
	sqlite3_bind_text(stmt, SR_COL_ID + 1, inc->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, SR_COL_YEAR + 1, inc->year);
	sqlite3_bind_int64(stmt, SR_COL_SEQ + 1, inc->seq);
	bind_fields(stmt, inc);
	sqlite3_bind_int64(stmt, SR_COL_VERSION + 1, inc->version);
	if (sq_run(s, stmt, "copying an incident", err) != 0)
		goto fail;
	if (sqlite3_changes(s->db) == 0) {
		*existed = 1;
		sq_rollback(s);
		return 0;
	}
	/* the copy's timeline is chained afresh (chain.h); const: keep_ids writes nothing to
	 * ev or inc */
	if (sr_store_write_children(&s->base, &sq_writer, inc->id, (struct sr_incident *)inc,
				    (struct sr_event_list *)ev, 1, err) != 0)
		goto fail;
	if ((stmt = sq_stmt(s, SQ_IMPORT_SEQ, err)) == NULL)
		goto fail;
	sqlite3_bind_int(stmt, 1, inc->year);
	sqlite3_bind_int64(stmt, 2, inc->seq + 1);
	if (sq_run(s, stmt, "copying an incident id", err) != 0)
		goto fail;
	rc = 0;
fail:
	return end_write(s, rc, "copying an incident", err);
}

/* --- live updates: PRAGMA data_version each tick, then the new timeline rows --- */

/* The first integer of a parameterless cached statement. */
static int
sq_int(struct sq_store *s, enum sq_stmt_id id, int64_t *out, const char *what, char **err)
{
	sqlite3_stmt *stmt = sq_stmt(s, id, err);

	if (stmt == NULL)
		return -1;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sq_fail(s, err, what);
		sq_reset(stmt);
		return -1;
	}
	*out = sqlite3_column_int64(stmt, 0);
	sq_reset(stmt);
	return 0;
}

static int
sq_watch(struct sr_store *st, char **err)
{
	struct sq_store *s = sq(st);

	if (s->watching)
		return 0;
	if (sq_int(s, SQ_DATA_VERSION, &s->data_version, "watching for changes", err) != 0 ||
	    sq_int(s, SQ_MAX_EVENT, &s->last_event, "watching for changes", err) != 0)
		return -1;
	s->watching = 1;
	s->wrote = 0;
	return 0;
}

static int
sq_watch_fd(struct sr_store *st)
{
	(void)st;
	return -1;
}

/*
 * Every change sitrep makes appends to the timeline, so the incidents of the timeline rows
 * added since the last look are the ones changed. data_version (a read of the shared WAL
 * index, no disk access) says whether another connection committed anything at all.
 */
static int
sq_changes(struct sr_store *st, struct sr_store_changes *out, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;
	int64_t dv;
	int rc;

	if (!s->watching)
		return sq_watch(st, err);
	if (sq_int(s, SQ_DATA_VERSION, &dv, "watching for changes", err) != 0)
		return -1;
	if (dv == s->data_version && !s->wrote)
		return 0;
	if ((stmt = sq_stmt(s, SQ_EVENTS_AFTER, err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, s->last_event);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		s->last_event = sqlite3_column_int64(stmt, 0);
		sr_store_changes_add(out, (const char *)sqlite3_column_text(stmt, 1));
	}
	if (rc != SQLITE_DONE) {
		sq_fail(s, err, "reading the changes");
		sq_reset(stmt);
		return -1;
	}
	sq_reset(stmt);
	s->data_version = dv;
	s->wrote = 0;
	return 0;
}

static int
sq_info(struct sr_store *st, struct sr_store_info *out, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;
	int rc;

	memset(out, 0, sizeof *out);
	out->schema_version = SR_SQLITE_SCHEMA_VERSION;
	snprintf(out->server, sizeof out->server, "SQLite %s", sqlite3_libversion());
	if (sq_simple(s, SQ_BEGIN_READ, "counting", err) != 0)
		return -1;
	if ((stmt = sq_stmt(s, SQ_COUNTS, err)) == NULL)
		return end_read(s, -1, err);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->incidents = sqlite3_column_int64(stmt, 0);
		out->open = sqlite3_column_int64(stmt, 1);
		out->events = sqlite3_column_int64(stmt, 2);
		out->alert_links = sqlite3_column_int64(stmt, 3);
	} else {
		sq_fail(s, err, "counting");
	}
	sq_reset(stmt);
	return end_read(s, rc == SQLITE_ROW ? 0 : -1, err);
}

static int
sq_ping(struct sr_store *st, char **err)
{
	int64_t dv;

	return sq_int(sq(st), SQ_DATA_VERSION, &dv, "reading the database", err);
}

/* --- on-call overrides --- */

static int
sq_override_add(struct sr_store *st, struct sr_override *o, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;

	if (check_writable(s, "add an override", err) != 0)
		return -1;
	if ((stmt = sq_stmt(s, SQ_OVERRIDE_ADD, err)) == NULL)
		return -1;
	bind_text(stmt, 1, o->rotation);
	bind_text(stmt, 2, o->who);
	sqlite3_bind_int64(stmt, 3, o->from);
	sqlite3_bind_int64(stmt, 4, o->until);
	sqlite3_bind_int64(stmt, 5, o->created);
	bind_text(stmt, 6, o->created_by != NULL ? o->created_by : "unknown");
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sq_fail(s, err, "adding an override");
		sq_reset(stmt);
		return -1;
	}
	o->id = sqlite3_column_int64(stmt, 0);
	sqlite3_step(stmt);
	sq_reset(stmt);
	return 0;
}

static int
sq_override_list(struct sr_store *st, const char *rotation, sr_time ending_after,
		 sr_time starting_before, struct sr_override_list *out, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;

	if ((stmt = sq_stmt(s, SQ_OVERRIDE_LIST, err)) == NULL)
		return -1;
	bind_text(stmt, 1, rotation);
	sqlite3_bind_int64(stmt, 2, ending_after);
	sqlite3_bind_int64(stmt, 3, starting_before);
	return each_row(s, stmt, 1, sr_store_add_override_row, out, "listing overrides", err);
}

static int
sq_override_remove(struct sr_store *st, int64_t id, char **err)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *stmt;

	if (check_writable(s, "remove an override", err) != 0)
		return -1;
	if ((stmt = sq_stmt(s, SQ_OVERRIDE_REMOVE, err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (sq_run(s, stmt, "removing an override", err) != 0)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return sr_err(err, "no override %lld", (long long)id);
	return 0;
}

/*
 * Runs a verbatim copy's INSERT OR IGNORE of the n values v (store.h); *existed when the row
 * was there. verb and doing name the copy in messages.
 */
static int
import_row(struct sq_store *s, enum sq_stmt_id id, const struct sr_store_val *v, int n,
	   const char *verb, const char *doing, int *existed, char **err)
{
	sqlite3_stmt *stmt;

	*existed = 0;
	if (check_writable(s, verb, err) != 0 || (stmt = sq_stmt(s, id, err)) == NULL)
		return -1;
	for (int i = 0; i < n; i++) {
		if (v[i].is_num)
			sqlite3_bind_int64(stmt, i + 1, v[i].num);
		else
			bind_text(stmt, i + 1, v[i].text);
	}
	if (sq_run(s, stmt, doing, err) != 0)
		return -1;
	*existed = sqlite3_changes(s->db) == 0;
	return 0;
}

static int
sq_outbox_import(struct sr_store *st, const struct sr_outbox_msg *m, int *existed, char **err)
{
	struct sr_store_val v[SR_STORE_OUTBOX_NCOLS];

	sr_store_outbox_vals(m, v);
	return import_row(sq(st), SQ_OUTBOX_IMPORT, v, SR_STORE_OUTBOX_NCOLS,
			  "copy an outbox message", "copying an outbox message", existed, err);
}

static int
sq_override_import(struct sr_store *st, const struct sr_override *o, int *existed, char **err)
{
	struct sr_store_val v[SR_STORE_OVERRIDE_NCOLS];

	sr_store_override_vals(o, v);
	return import_row(sq(st), SQ_OVERRIDE_IMPORT, v, SR_STORE_OVERRIDE_NCOLS,
			  "copy an override", "copying an override", existed, err);
}

static const struct sr_store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.create = sq_create,
	.get = sq_get,
	.update = sr_store_update_by_send,
	.list = sq_list,
	.events = sq_events,
	.cache_put = sq_cache_put,
	.cache_get = sq_cache_get,
	.cache_put_stream = sq_cache_put_stream,
	.chain_walk = sq_chain_walk,
	.chain_head = read_head,
	.actions = sq_actions,
	.stats = sq_stats,
	.send = sr_store_send_tx,
	.send_rows = update_rows,
	.outbox_list = sq_outbox_list,
	.outbox_claim = sq_outbox_claim,
	.outbox_set = sq_outbox_set,
	.outbox_drop = sq_outbox_drop,
	.import = sq_import,
	.override_import = sq_override_import,
	.outbox_import = sq_outbox_import,
	.watch = sq_watch,
	.watch_fd = sq_watch_fd,
	.changes = sq_changes,
	.info = sq_info,
	.ping = sq_ping,
	.override_add = sq_override_add,
	.override_list = sq_override_list,
	.override_remove = sq_override_remove,
};

/* SPDX-License-Identifier: MIT */
/*
 * test_store.c: the store suite, one suite for both backends: round trips, id sequences,
 * concurrency, conflicts, live updates, verbatim copies on SQLite always and on PostgreSQL
 * when SITREP_TEST_PG names a server (tests/integration/store_pg.sh starts one); then the
 * SQLite-only cases (migrations of old files, read-only files, crashes).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "change.h"
#include "outbox.h"
#include "store.h"
#include "tmpdir.h"

/* 2026-03-01T10:00:00Z and 2027-01-01T00:00:05Z. */
#define T2026 ((sr_time)1772359200)
#define T2027 ((sr_time)1798761605)

/* --- temp directories --- */

struct fx {
	int pg;			/* the PostgreSQL group */
	char dir[64];
	char db[512];		/* what the store opens: a SQLite path, or a URL with its schema */
	char schema[48];	/* PostgreSQL: this test's own schema, dropped afterwards */
};

/* SITREP_TEST_PG: a postgresql:// URL of a test server (password included), or NULL. */
static const char *pg_url;

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	chmod(path, 0700);	/* undo the read-only test's chmod before removing */
	return remove(path);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	sr_test_tmp(f->dir, sizeof f->dir, "sitrep-store");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof f->db, "%s/state/sitrep.db", f->dir);
	*state = f;
	return 0;
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static PGconn *
pg_raw_connect(const struct fx *f)
{
	PGconn *c = PQconnectdb(pg_url);
	PGresult *res;
	char sql[128];

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connecting to the test server: %s", PQerrorMessage(c));
	PQsetNoticeProcessor(c, quiet, NULL);
	snprintf(sql, sizeof sql, "SET search_path TO \"%s\"", f->schema);
	res = PQexec(c, sql);
	PQclear(res);
	return c;
}

/* Each PostgreSQL test gets a schema of its own (sitrep_schema=...), dropped afterwards. */
static int
setup_pg(void **state)
{
	static int n;
	struct fx *f;

	if (setup(state) != 0)
		return -1;
	f = *state;
	f->pg = 1;
	snprintf(f->schema, sizeof f->schema, "t%d_%d", (int)getpid(), ++n);
	snprintf(f->db, sizeof f->db, "%s%csitrep_schema=%s", pg_url,
		 strchr(pg_url, '?') != NULL ? '&' : '?', f->schema);
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (f->pg) {
		PGconn *c = pg_raw_connect(f);
		char sql[128];

		snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS \"%s\" CASCADE", f->schema);
		PQclear(PQexec(c, sql));
		PQfinish(c);
	}
	chmod(f->dir, 0700);
	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* --- helpers --- */

static struct sr_store *
open_ok(const char *path)
{
	char *err = NULL;
	struct sr_store *st = sr_store_open(path, &err);

	if (st == NULL)
		fail_msg("open %s: %s", path, err);
	assert_null(err);
	return st;
}

/* A minimal new incident (only what the schema requires) created at t. */
static void
plain_incident(struct sr_incident *inc, const char *title, sr_time t)
{
	sr_incident_init(inc);
	inc->title = strdup(title);
	inc->sev = SR_SEV_P3;
	inc->status = SR_ST_TRIGGERED;
	inc->created_at = t;
}

static int
create_plain(struct sr_store *st, const char *title, sr_time t, char *id_out)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;
	int rc;

	plain_incident(&inc, title, t);
	sr_event_list_add(&ev, t, "tester", SR_EV_CREATED, "created P3 \"%s\"", title);
	rc = st->ops->create(st, &inc, &ev, &err);
	if (rc != 0)
		fprintf(stderr, "create: %s\n", err);
	if (rc == 0 && id_out != NULL)
		snprintf(id_out, SR_ID_MAX, "%s", inc.id);
	free(err);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return rc;
}

/* Runs one SQL statement on a raw connection and returns sqlite's result code. */
static int
sq_exec(const char *path, const char *sql, char *msg, size_t msgsz)
{
	sqlite3 *db = NULL;
	char *e = NULL;
	int rc;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	rc = sqlite3_exec(db, sql, NULL, NULL, &e);
	if (msg != NULL)
		snprintf(msg, msgsz, "%s", e != NULL ? e : "");
	sqlite3_free(e);
	sqlite3_close(db);
	return rc;
}

/* The first column of the first row of sql, as an integer. */
static int64_t
sq_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int64_t v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* All rows of sql (one text column) joined with newlines, allocated. */
static char *
sq_text(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	size_t len = 0;
	char *out = calloc(1, 1);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(stmt, 0);
		size_t n = strlen(t != NULL ? t : "");

		char *grown = realloc(out, len + n + 2);

		assert_non_null(grown);
		out = grown;
		memcpy(out + len, t != NULL ? t : "", n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return out;
}

/* The same three on the test's store, whichever backend (tables found through the schema). */
static int
fx_exec(const struct fx *f, const char *sql, char *msg, size_t msgsz)
{
	PGconn *c;
	PGresult *res;
	int bad;

	if (!f->pg)
		return sq_exec(f->db, sql, msg, msgsz) == SQLITE_OK ? 0 : -1;
	c = pg_raw_connect(f);
	res = PQexec(c, sql);
	bad = PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK;
	if (msg != NULL) {
		const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

		snprintf(msg, msgsz, "%s", m != NULL ? m : "");
	}
	PQclear(res);
	PQfinish(c);
	return bad ? -1 : 0;
}

static int64_t
fx_int(const struct fx *f, const char *sql)
{
	PGconn *c;
	PGresult *res;
	int64_t v;

	if (!f->pg)
		return sq_int(f->db, sql);
	c = pg_raw_connect(f);
	res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1)
		fail_msg("%s: %s", sql, PQresultErrorMessage(res));
	v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	PQfinish(c);
	return v;
}

static void
assert_str_or_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
assert_same_incident(const struct sr_incident *a, const struct sr_incident *b)
{
	assert_string_equal(a->id, b->id);
	assert_int_equal(a->year, b->year);
	assert_int_equal(a->seq, b->seq);
	assert_str_or_null(a->title, b->title);
	assert_str_or_null(a->service, b->service);
	assert_str_or_null(a->impact, b->impact);
	assert_str_or_null(a->root_cause, b->root_cause);
	assert_str_or_null(a->resolution, b->resolution);
	assert_int_equal(a->sev, b->sev);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->level, b->level);
	for (int i = 0; i < SR_ROLE_COUNT; i++)
		assert_str_or_null(a->roles[i], b->roles[i]);
	assert_int_equal(a->n_alerts, b->n_alerts);
	for (size_t i = 0; i < a->n_alerts; i++)
		assert_string_equal(a->alerts[i], b->alerts[i]);
	assert_int_equal(a->created_at, b->created_at);
	assert_int_equal(a->acked_at, b->acked_at);
	assert_int_equal(a->resolved_at, b->resolved_at);
	assert_int_equal(a->closed_at, b->closed_at);
	assert_int_equal(a->last_update_at, b->last_update_at);
	assert_int_equal(a->version, b->version);
}

static int
read_all(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n);
	close(fd);
	return (int)r;
}

/* --- tests --- */

/* Every field and every event survives create -> get/list/events, NULL strings included. */
static void
test_round_trip(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_incident inc, got, bare;
	struct sr_incident_list l = { 0 };
	struct sr_event_list ev = { 0 }, gotev = { 0 };
	struct stat sb;
	char dir[128], *err = NULL;

	if (f->pg) {
		assert_string_equal(st->ops->name, "postgresql");
		assert_non_null(strstr(st->where, ":***@"));	/* the password never shows */
	} else {
		assert_string_equal(st->ops->name, "sqlite");
		assert_string_equal(st->where, f->db);
		/* The state directory was created private, and so was the database. */
		snprintf(dir, sizeof dir, "%s/state", f->dir);
		assert_int_equal(stat(dir, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0700);
		assert_int_equal(stat(f->db, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
	}

	sr_incident_init(&inc);
	inc.title = strdup("Checkout 502 \"quoted\" — ünïcode");
	inc.service = strdup("checkout");
	inc.impact = strdup("EU customers\ncannot pay");
	inc.root_cause = strdup("bad deploy; DROP TABLE incidents;--");
	inc.resolution = strdup("rolled back");
	inc.sev = SR_SEV_P2;
	inc.status = SR_ST_CLOSED;
	inc.level = 2;
	inc.roles[SR_ROLE_COMMANDER] = strdup("alice");
	inc.roles[SR_ROLE_COMMS] = strdup("bob");
	inc.roles[SR_ROLE_SCRIBE] = strdup("carol");
	inc.n_alerts = 3;
	inc.alerts = calloc(3, sizeof *inc.alerts);
	inc.alerts[0] = strdup("ffff000011112222");
	inc.alerts[1] = strdup("0000aaaabbbbcccc");
	inc.alerts[2] = strdup("7777777777777777");
	inc.created_at = T2026;
	inc.acked_at = T2026 + 60;
	inc.resolved_at = T2026 + 3600;
	inc.closed_at = T2026 + 7200;
	inc.last_update_at = T2026 + 900;
	inc.version = 42;	/* ignored: a new incident starts at version 1 */
	sr_event_list_add(&ev, T2026, "alice", SR_EV_CREATED, "created P2");
	sr_event_list_add(&ev, T2026 + 60, "bob", SR_EV_NOTE, "note with 'quotes' and\ttab");
	sr_event_list_add(&ev, T2026 + 900, "bob", SR_EV_UPDATE_SENT, "update sent to #inc");

	assert_int_equal(st->ops->create(st, &inc, &ev, &err), 0);
	assert_null(err);
	assert_string_equal(inc.id, "INC-2026-001");
	assert_int_equal(inc.year, 2026);
	assert_int_equal(inc.seq, 1);
	assert_int_equal(inc.version, 1);
	for (size_t i = 0; i < ev.n; i++) {
		assert_string_equal(ev.v[i].incident, "INC-2026-001");
		assert_true(ev.v[i].id > 0);
		if (i > 0)
			assert_true(ev.v[i].id > ev.v[i - 1].id);
	}

	sr_incident_init(&got);
	assert_int_equal(st->ops->get(st, "INC-2026-001", &got, &err), 0);
	assert_same_incident(&got, &inc);
	/* get replaces what out held before (no leak under ASan). */
	assert_int_equal(st->ops->get(st, "INC-2026-001", &got, &err), 0);
	assert_same_incident(&got, &inc);

	assert_int_equal(st->ops->list(st, SR_LIST_ALL, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_same_incident(&l.v[0], &inc);
	sr_incident_list_done(&l);
	/* Closed, so not open. */
	assert_int_equal(st->ops->list(st, SR_LIST_OPEN, &l, &err), 0);
	assert_int_equal(l.n, 0);

	assert_int_equal(st->ops->events(st, "INC-2026-001", &gotev, &err), 0);
	assert_int_equal(gotev.n, ev.n);
	for (size_t i = 0; i < ev.n; i++) {
		assert_int_equal(gotev.v[i].id, ev.v[i].id);
		assert_string_equal(gotev.v[i].incident, "INC-2026-001");
		assert_int_equal(gotev.v[i].at, ev.v[i].at);
		assert_string_equal(gotev.v[i].actor, ev.v[i].actor);
		assert_int_equal(gotev.v[i].kind, ev.v[i].kind);
		assert_string_equal(gotev.v[i].detail, ev.v[i].detail);
	}

	/* NULL optional fields stay NULL; no events at all is fine too. */
	plain_incident(&bare, "bare", T2026 + 10);
	assert_int_equal(st->ops->create(st, &bare, NULL, &err), 0);
	assert_string_equal(bare.id, "INC-2026-002");
	sr_incident_done(&got);
	assert_int_equal(st->ops->get(st, bare.id, &got, &err), 0);
	assert_same_incident(&got, &bare);
	assert_null(got.service);
	assert_null(got.alerts);
	sr_event_list_done(&gotev);
	assert_int_equal(st->ops->events(st, bare.id, &gotev, &err), 0);
	assert_int_equal(gotev.n, 0);
	assert_int_equal(st->ops->list(st, SR_LIST_OPEN, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].id, "INC-2026-002");

	sr_incident_list_done(&l);
	sr_event_list_done(&gotev);
	sr_event_list_done(&ev);
	sr_incident_done(&got);
	sr_incident_done(&bare);
	sr_incident_done(&inc);
	sr_store_close(st);
}

/* Per-year sequences, newest-first listing and the open filter. */
static void
test_id_sequence(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_incident_list l = { 0 };
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char id[SR_ID_MAX], *err = NULL;

	assert_int_equal(create_plain(st, "a", T2026, id), 0);
	assert_string_equal(id, "INC-2026-001");
	assert_int_equal(create_plain(st, "b", T2026 + 1, id), 0);
	assert_string_equal(id, "INC-2026-002");
	assert_int_equal(create_plain(st, "c", T2027, id), 0);
	assert_string_equal(id, "INC-2027-001");
	/* A late entry for last year continues last year's sequence. */
	assert_int_equal(create_plain(st, "d", T2026 + 2, id), 0);
	assert_string_equal(id, "INC-2026-003");
	assert_int_equal(create_plain(st, "e", T2027 + 1, id), 0);
	assert_string_equal(id, "INC-2027-002");

	assert_int_equal(st->ops->list(st, SR_LIST_ALL, &l, &err), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.v[0].id, "INC-2027-002");
	assert_string_equal(l.v[1].id, "INC-2027-001");
	assert_string_equal(l.v[2].id, "INC-2026-003");
	assert_string_equal(l.v[3].id, "INC-2026-002");
	assert_string_equal(l.v[4].id, "INC-2026-001");
	sr_incident_list_done(&l);

	/* Resolve one and close another: the open list drops both. */
	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, "INC-2027-001", &inc, &err), 0);
	inc.status = SR_ST_RESOLVED;
	inc.resolved_at = T2027 + 100;
	sr_event_list_add(&ev, T2027 + 100, "t", SR_EV_RESOLVED, "resolved");
	assert_int_equal(st->ops->update(st, &inc, &ev, NULL, &err), 0);
	assert_int_equal(st->ops->get(st, "INC-2026-002", &inc, &err), 0);
	inc.status = SR_ST_CLOSED;
	assert_int_equal(st->ops->update(st, &inc, NULL, NULL, &err), 0);
	assert_int_equal(st->ops->list(st, SR_LIST_OPEN, &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].id, "INC-2027-002");
	assert_string_equal(l.v[1].id, "INC-2026-003");
	assert_string_equal(l.v[2].id, "INC-2026-001");
	sr_incident_list_done(&l);

	sr_event_list_done(&ev);
	sr_incident_done(&inc);
	sr_store_close(st);
}

#define WRITERS 2
#define PER_WRITER 500

/* Two processes creating at once: 1,000 distinct ids, sequence 1..1000 without gaps. */
static void
test_concurrent_writers(void **state)
{
	struct fx *f = *state;
	struct sr_store *st;
	struct sr_incident_list l = { 0 };
	pid_t pid[WRITERS];
	char seen[WRITERS * PER_WRITER + 1] = { 0 };
	char *err = NULL;

	/* No database yet: the writers also race to create the file and its schema. */
	for (int w = 0; w < WRITERS; w++) {
		pid[w] = fork();
		assert_true(pid[w] >= 0);
		if (pid[w] == 0) {
			char *e = NULL;
			struct sr_store *cs = sr_store_open(f->db, &e);
			int bad = cs == NULL;

			for (int i = 0; !bad && i < PER_WRITER; i++)
				bad = create_plain(cs, w ? "writer B" : "writer A", T2026 + i, NULL);
			if (e != NULL)
				fprintf(stderr, "child: %s\n", e);
			free(e);
			sr_store_close(cs);
			_exit(bad ? 1 : 0);
		}
	}
	for (int w = 0; w < WRITERS; w++) {
		int status;

		assert_int_equal(waitpid(pid[w], &status, 0), pid[w]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}

	st = open_ok(f->db);
	assert_int_equal(st->ops->list(st, SR_LIST_ALL, &l, &err), 0);
	assert_int_equal(l.n, WRITERS * PER_WRITER);
	for (size_t i = 0; i < l.n; i++) {
		char want[SR_ID_MAX];

		assert_true(l.v[i].seq >= 1 && l.v[i].seq <= WRITERS * PER_WRITER);
		assert_int_equal(seen[l.v[i].seq], 0);
		seen[l.v[i].seq] = 1;
		snprintf(want, sizeof want, "INC-2026-%03d", (int)l.v[i].seq);
		assert_string_equal(l.v[i].id, want);
	}
	assert_int_equal(fx_int(f, "SELECT next FROM id_seq WHERE year = 2026"),
			 WRITERS * PER_WRITER + 1);
	sr_incident_list_done(&l);
	sr_store_close(st);
}

/* Two consoles load the same incident; the second writer is told, and writes nothing. */
static void
test_update_conflict(void **state)
{
	struct fx *f = *state;
	struct sr_store *a = open_ok(f->db), *b = open_ok(f->db);
	struct sr_incident ia, ib, now;
	struct sr_event_list eva = { 0 }, evb = { 0 }, tl = { 0 };
	char *err = NULL;
	int conflict = -1;

	sr_incident_init(&ia);
	sr_incident_init(&ib);
	sr_incident_init(&now);
	assert_int_equal(create_plain(a, "shared", T2026, NULL), 0);
	assert_int_equal(a->ops->get(a, "INC-2026-001", &ia, &err), 0);
	assert_int_equal(b->ops->get(b, "INC-2026-001", &ib, &err), 0);
	assert_int_equal(ia.version, 1);
	assert_int_equal(ib.version, 1);

	/* A acknowledges and links two alerts. */
	ia.status = SR_ST_ACKNOWLEDGED;
	ia.acked_at = T2026 + 30;
	ia.n_alerts = 2;
	ia.alerts = calloc(2, sizeof *ia.alerts);
	ia.alerts[0] = strdup("aaaa");
	ia.alerts[1] = strdup("bbbb");
	sr_event_list_add(&eva, T2026 + 30, "alice", SR_EV_ACKNOWLEDGED, "acknowledged");
	assert_int_equal(a->ops->update(a, &ia, &eva, &conflict, &err), 0);
	assert_int_equal(conflict, 0);
	assert_int_equal(ia.version, 2);

	/* B, still at version 1, renames: refused with a conflict, nothing written. */
	free(ib.title);
	ib.title = strdup("renamed by B");
	ib.sev = SR_SEV_P1;
	sr_event_list_add(&evb, T2026 + 31, "bob", SR_EV_FIELD, "title renamed");
	assert_int_equal(b->ops->update(b, &ib, &evb, &conflict, &err), -1);
	assert_int_equal(conflict, 1);
	assert_non_null(err);
	assert_non_null(strstr(err, "INC-2026-001 was changed by someone else (version 2, you had 1)"));
	assert_non_null(strstr(err, "reload and try again"));
	free(err);
	err = NULL;
	assert_int_equal(ib.version, 1);
	assert_int_equal(evb.v[0].id, 0);
	assert_string_equal(evb.v[0].incident, "");

	assert_int_equal(b->ops->get(b, "INC-2026-001", &now, &err), 0);
	assert_string_equal(now.title, "shared");
	assert_int_equal(now.sev, SR_SEV_P3);
	assert_int_equal(now.status, SR_ST_ACKNOWLEDGED);
	assert_int_equal(now.version, 2);
	assert_int_equal(now.n_alerts, 2);
	assert_int_equal(b->ops->events(b, "INC-2026-001", &tl, &err), 0);
	assert_int_equal(tl.n, 2);	/* created + acknowledged; B's event is not there */
	assert_int_equal(tl.v[1].kind, SR_EV_ACKNOWLEDGED);

	/* After reloading, B's change goes through; alert links are replaced as a whole. */
	free(now.title);
	now.title = strdup("renamed by B");
	free(now.alerts[0]);
	now.alerts[0] = strdup("cccc");
	assert_int_equal(b->ops->update(b, &now, &evb, &conflict, &err), 0);
	assert_int_equal(conflict, 0);
	assert_int_equal(now.version, 3);
	assert_int_equal(a->ops->get(a, "INC-2026-001", &ia, &err), 0);
	assert_same_incident(&ia, &now);
	assert_string_equal(ia.alerts[0], "cccc");
	assert_string_equal(ia.alerts[1], "bbbb");
	assert_int_equal(fx_int(f, "SELECT count(*) FROM incident_alerts"), 2);

	/* A change that leaves the links alone does not rewrite them. */
	{
		/* the rows' identity: SQLite's rowid, PostgreSQL's inserting transaction */
		const char *stamp = f->pg ? "SELECT sum(xmin::text::bigint) FROM incident_alerts" :
					    "SELECT sum(rowid) FROM incident_alerts";
		int64_t before = fx_int(f, stamp);

		sr_event_list_done(&eva);
		sr_event_list_add(&eva, T2026 + 40, "alice", SR_EV_NOTE, "still looking");
		assert_int_equal(a->ops->update(a, &ia, &eva, &conflict, &err), 0);
		assert_int_equal(fx_int(f, stamp), before);
		sr_incident_done(&now);
		assert_int_equal(b->ops->get(b, "INC-2026-001", &now, &err), 0);
		assert_same_incident(&now, &ia);
		assert_int_equal(now.version, 4);
	}

	sr_event_list_done(&eva);
	sr_event_list_done(&evb);
	sr_event_list_done(&tl);
	sr_incident_done(&ia);
	sr_incident_done(&ib);
	sr_incident_done(&now);
	sr_store_close(a);
	sr_store_close(b);
}

static void
test_unknown_id(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;
	int conflict = -1;

	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, "INC-2026-999", &inc, &err), -1);
	assert_non_null(strstr(err, "no incident INC-2026-999"));
	free(err);
	err = NULL;
	assert_int_equal(st->ops->events(st, "INC-2026-999", &ev, &err), -1);
	assert_non_null(strstr(err, "no incident INC-2026-999"));
	assert_int_equal(ev.n, 0);
	free(err);
	err = NULL;

	plain_incident(&inc, "ghost", T2026);
	snprintf(inc.id, sizeof inc.id, "INC-2026-999");
	inc.version = 1;
	sr_event_list_add(&ev, T2026, "t", SR_EV_NOTE, "lost");
	assert_int_equal(st->ops->update(st, &inc, &ev, &conflict, &err), -1);
	assert_int_equal(conflict, 0);
	assert_non_null(strstr(err, "no incident INC-2026-999"));
	assert_non_null(strstr(err, st->where));
	free(err);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events"), 0);

	sr_event_list_done(&ev);
	sr_incident_done(&inc);
	sr_store_close(st);
}

/* A create that fails part-way stores nothing: no incident, no events, no used-up id. */
static void
test_failed_create(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char id[SR_ID_MAX], *err = NULL;

	plain_incident(&inc, "half written", T2026);
	inc.n_alerts = 1;
	inc.alerts = calloc(1, sizeof *inc.alerts);
	inc.alerts[0] = strdup("abcd");
	sr_event_list_add(&ev, T2026, "t", SR_EV_CREATED, "created");
	sr_event_list_add(&ev, T2026, "t", SR_EV_NOTE, "fine so far");
	ev.v[1].kind = (enum sr_event_kind)99;	/* fails after the incident row went in */
	assert_int_equal(st->ops->create(st, &inc, &ev, &err), -1);
	assert_non_null(strstr(err, "invalid timeline event kind 99"));
	free(err);
	err = NULL;
	assert_string_equal(inc.id, "");
	assert_int_equal(ev.v[0].id, 0);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM incidents"), 0);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events"), 0);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM incident_alerts"), 0);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM id_seq"), 0);

	/* An out-of-range severity is refused before anything starts. */
	ev.v[1].kind = SR_EV_NOTE;
	inc.sev = (enum sr_sev)7;
	assert_int_equal(st->ops->create(st, &inc, &ev, &err), -1);
	assert_non_null(strstr(err, "out of range"));
	free(err);
	err = NULL;

	/* The store is still usable and the first id is still free. */
	assert_int_equal(create_plain(st, "next", T2026, id), 0);
	assert_string_equal(id, "INC-2026-001");

	/* Likewise an update failing part-way: the row, links and version stay as they were. */
	assert_int_equal(st->ops->get(st, id, &inc, &err), 0);
	free(inc.title);
	inc.title = strdup("renamed");
	inc.n_alerts = 1;
	inc.alerts = calloc(1, sizeof *inc.alerts);
	inc.alerts[0] = strdup("ffff");
	ev.v[1].kind = (enum sr_event_kind)99;
	assert_int_equal(st->ops->update(st, &inc, &ev, NULL, &err), -1);
	assert_non_null(strstr(err, "invalid timeline event kind"));
	free(err);
	err = NULL;
	assert_int_equal(inc.version, 1);
	assert_int_equal(fx_int(f, "SELECT version FROM incidents"), 1);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM incidents WHERE title = 'next'"), 1);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM incident_alerts"), 0);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events"), 1);

	sr_event_list_done(&ev);
	sr_incident_done(&inc);
	sr_store_close(st);
}

/* The database itself refuses to edit or delete timeline events. */
static void
test_append_only(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	char msg[256];

	assert_int_equal(create_plain(st, "x", T2026, NULL), 0);
	sr_store_close(st);

	assert_int_equal(fx_exec(f, "UPDATE events SET detail = 'rewritten'", msg, sizeof msg),
			 -1);
	assert_string_equal(msg, "timeline events are append-only");
	assert_int_equal(fx_exec(f, "DELETE FROM events", msg, sizeof msg), -1);
	assert_string_equal(msg, "timeline events are append-only");
	if (f->pg) {
		/* a whole-table TRUNCATE is refused too */
		assert_int_equal(fx_exec(f, "TRUNCATE events CASCADE", msg, sizeof msg), -1);
		assert_string_equal(msg, "timeline events are append-only");
	}
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events WHERE detail LIKE 'created%'"),
			 1);
}

/* Loads the v1 fixture dump into path, as sitrep 0.1 would have left it. */
static void
load_fixture(const char *path, const char *name)
{
	char fixture[512], *sql;
	size_t n = 1 << 16;
	int r;

	snprintf(fixture, sizeof fixture, "%s/store/%s", SR_FIXTURES, name);
	sql = calloc(1, n + 1);
	r = read_all(fixture, sql, n);
	assert_true(r > 0);
	assert_int_equal(sq_exec(path, sql, NULL, 0), SQLITE_OK);
	free(sql);
}

/* The schema of the upgraded database mig is exactly the one a new database gets. */
static void
assert_fresh_schema(const char *mig, const char *dir)
{
	const char *schema_sql = "SELECT type || ' ' || name || ': ' || coalesce(sql, '') "
				 "FROM sqlite_schema ORDER BY name";
	char fresh[512], *a, *b;

	snprintf(fresh, sizeof fresh, "%s/fresh.db", dir);
	unlink(fresh);
	sr_store_close(open_ok(fresh));
	a = sq_text(mig, schema_sql);
	b = sq_text(fresh, schema_sql);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void
test_migration_v1(void **state)
{
	struct fx *f = *state;
	char mig[160], *a, *err = NULL;
	struct sr_store *st;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_incident_list l = { 0 };

	snprintf(mig, sizeof mig, "%s/v1.db", f->dir);
	load_fixture(mig, "v1.sql");
	assert_int_equal(sq_int(mig, "PRAGMA user_version"), 1);

	st = open_ok(mig);
	assert_int_equal(sq_int(mig, "PRAGMA user_version"), SR_SQLITE_SCHEMA_VERSION);
	a = sq_text(mig, "PRAGMA integrity_check");
	assert_string_equal(a, "ok\n");
	free(a);

	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, "INC-2026-001", &inc, &err), 0);
	assert_string_equal(inc.title, "Checkout returns 502");
	assert_string_equal(inc.service, "checkout");
	assert_string_equal(inc.impact, "EU customers cannot pay");
	assert_string_equal(inc.root_cause, "bad deploy of cart-svc 4.2");
	assert_string_equal(inc.resolution, "rolled back to 4.1");
	assert_int_equal(inc.sev, SR_SEV_P1);
	assert_int_equal(inc.status, SR_ST_RESOLVED);
	assert_int_equal(inc.level, 1);
	assert_string_equal(inc.roles[SR_ROLE_COMMANDER], "alice");
	assert_string_equal(inc.roles[SR_ROLE_COMMS], "bob");
	assert_null(inc.roles[SR_ROLE_SCRIBE]);
	assert_int_equal(inc.n_alerts, 2);
	assert_string_equal(inc.alerts[0], "a1b2c3d4e5f60718");
	assert_string_equal(inc.alerts[1], "0f9e8d7c6b5a4321");
	assert_int_equal(inc.created_at, 1772359200);
	assert_int_equal(inc.acked_at, 1772359500);
	assert_int_equal(inc.resolved_at, 1772363400);
	assert_int_equal(inc.closed_at, 0);
	assert_int_equal(inc.version, 7);
	/* The new column is backfilled from the last update_sent event of the timeline. */
	assert_int_equal(inc.last_update_at, 1772361300);
	assert_int_equal(st->ops->get(st, "INC-2026-002", &inc, &err), 0);
	assert_int_equal(inc.sev, SR_SEV_P3);
	assert_int_equal(inc.status, SR_ST_INVESTIGATING);
	assert_null(inc.impact);
	assert_int_equal(inc.last_update_at, 0);

	assert_int_equal(st->ops->events(st, "INC-2026-001", &ev, &err), 0);
	assert_int_equal(ev.n, 6);
	assert_int_equal(ev.v[0].kind, SR_EV_CREATED);
	assert_string_equal(ev.v[3].detail, "status update sent to #incidents");
	assert_int_equal(ev.v[5].kind, SR_EV_RESOLVED);
	assert_int_equal(st->ops->list(st, SR_LIST_OPEN, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].id, "INC-2026-002");

	/* The sequence carries on, and the new table works. */
	{
		char id[SR_ID_MAX], *body = NULL;
		size_t len = 0;
		int64_t at = 0;

		assert_int_equal(create_plain(st, "after upgrade", T2026 + 86400 * 5, id), 0);
		assert_string_equal(id, "INC-2026-003");
		assert_int_equal(st->ops->cache_put(st, "alerts:am1", "[]", 2, 99, &err), 0);
		assert_int_equal(st->ops->cache_get(st, "alerts:am1", &body, &len, &at, &err), 1);
		assert_int_equal(len, 2);
		free(body);
	}
	sr_store_close(st);

	/* The upgraded schema is exactly the schema a new database gets. */
	assert_fresh_schema(mig, f->dir);
	/* Opening again is a no-op. */
	sr_store_close(open_ok(mig));
	assert_int_equal(sq_int(mig, "PRAGMA user_version"), SR_SQLITE_SCHEMA_VERSION);

	sr_incident_list_done(&l);
	sr_event_list_done(&ev);
	sr_incident_done(&inc);
}

static void
test_newer_version(void **state)
{
	struct fx *f = *state;
	char *err = NULL, want[768];

	char sql[64];
	int newer = SR_SQLITE_SCHEMA_VERSION + 1;	/* one step past this sitrep's */

	sr_store_close(open_ok(f->db));
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newer);
	assert_int_equal(fx_exec(f, sql, NULL, 0), SQLITE_OK);
	assert_null(sr_store_open(f->db, &err));
	snprintf(want, sizeof want, "%s: schema version %d is newer than this sitrep (%d); "
		 "upgrade sitrep", f->db, newer, SR_SQLITE_SCHEMA_VERSION);
	assert_string_equal(err, want);
	free(err);
	assert_int_equal(fx_int(f, "PRAGMA user_version"), newer);
}

/* Garbage, and somebody else's SQLite database: refused by name, left as they were. */
static void
test_not_ours(void **state)
{
	struct fx *f = *state;
	char path[160], other[160], buf[4096], *err = NULL;
	const char junk[] = "this is not a database, it is a shopping list\n"
			    "eggs, milk, a second pager\n";
	int fd;

	snprintf(path, sizeof path, "%s/junk.db", f->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(write(fd, junk, sizeof junk - 1), (ssize_t)(sizeof junk - 1));
	close(fd);
	assert_null(sr_store_open(path, &err));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "not a sitrep database"));
	free(err);
	err = NULL;
	assert_int_equal(read_all(path, buf, sizeof buf), (int)sizeof buf);
	assert_memory_equal(buf, junk, sizeof junk - 1);

	snprintf(other, sizeof other, "%s/other.db", f->dir);
	assert_int_equal(sq_exec(other, "CREATE TABLE recipes (name TEXT)", NULL, 0), SQLITE_OK);
	assert_null(sr_store_open(other, &err));
	assert_non_null(strstr(err, other));
	assert_non_null(strstr(err, "other program"));
	free(err);
	err = NULL;
	assert_int_equal(sq_int(other, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(sq_int(other, "PRAGMA user_version"), 0);

	/* A path whose directory part is a file. */
	snprintf(other, sizeof other, "%s/junk.db/sitrep.db", f->dir);
	assert_null(sr_store_open(other, &err));
	assert_non_null(strstr(err, "is not a directory"));
	free(err);
}

/*
 * A PostgreSQL store that cannot connect (nothing listens on port 1) names the database
 * without its password, whichever way the password was written.
 */
static void
test_postgres_url(void **state)
{
	static const char *const where[] = {
		"postgresql://ops:s3cret@127.0.0.1:1/sitrep",
		"postgres://127.0.0.1:1/sitrep?user=x&password=s3cret&sslmode=disable",
		"host=127.0.0.1 port=1 user=ops password=s3cret dbname=sitrep",
		"host=127.0.0.1 port=1 password = 's3cret' sitrep_schema=team",
	};
	char *err = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof where / sizeof *where; i++) {
		assert_true(sr_store_is_pg(where[i]));
		assert_null(sr_store_open(where[i], &err));
		assert_non_null(err);
		assert_null(strstr(err, "s3cret"));
		assert_non_null(strstr(err, "cannot connect"));
		free(err);
		err = NULL;
	}
	assert_null(sr_store_open(where[0], &err));
	assert_non_null(strstr(err, "postgresql://ops:***@127.0.0.1:1/sitrep: cannot connect"));
	free(err);
	err = NULL;
	assert_null(sr_store_open(where[3], &err));
	assert_non_null(strstr(err, "(schema team)"));
	free(err);
	err = NULL;
	/* the schema name goes into SQL as an identifier: only plain names */
	assert_null(sr_store_open("postgresql://h/db?sitrep_schema=x\";drop", &err));
	assert_non_null(strstr(err, "sitrep_schema must be a lower-case SQL name"));
	free(err);
	err = NULL;
	/* a string libpq cannot parse is not quoted back (it may hold the password) */
	assert_null(sr_store_open("host=h password='s3cret", &err));
	assert_null(strstr(err, "s3cret"));
	assert_non_null(strstr(err, "not valid"));
	free(err);
	assert_false(sr_store_is_pg("/var/lib/sitrep.db"));
	assert_false(sr_store_is_pg("sqlite:/x=y.db"));
}

/* --- both backends: concurrency, live updates, verbatim copies --- */

/*
 * Two processes load the same incident, wait for each other, then both change it: exactly
 * one wins, the other is told of the conflict, and the timeline holds only the winner's.
 */
static void
test_concurrent_update(void **state)
{
	/* Under valgrind its forked children exit with valgrind's error code (leaks at _exit),
	 * which this test reads as their answer; make check runs it under ASan instead. */
	if (getenv("SITREP_VALGRIND") != NULL)
		skip();
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_event_list tl = { 0 };
	int ready[2], go[2], wins = 0, conflicts = 0;
	pid_t pid[2];
	char *err = NULL;

	assert_int_equal(create_plain(st, "contended", T2026, NULL), 0);
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	for (int w = 0; w < 2; w++) {
		pid[w] = fork();
		assert_true(pid[w] >= 0);
		if (pid[w] == 0) {
			char *e = NULL, c = 0;
			struct sr_store *cs = sr_store_open(f->db, &e);
			struct sr_incident inc;
			struct sr_event_list ev = { 0 };
			int conflict = -1, rc;

			sr_incident_init(&inc);
			if (cs == NULL || cs->ops->get(cs, "INC-2026-001", &inc, &e) != 0)
				_exit(10);
			if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
				_exit(11);
			inc.status = w ? SR_ST_INVESTIGATING : SR_ST_ACKNOWLEDGED;
			sr_event_list_add(&ev, T2026 + 5, w ? "bob" : "alice", SR_EV_STATUS,
					  "writer %d", w);
			rc = cs->ops->update(cs, &inc, &ev, &conflict, &e);
			if (rc != 0 && (e == NULL || strstr(e, "changed by someone else") == NULL))
				fprintf(stderr, "writer %d: %s\n", w, e);
			free(e);
			sr_event_list_done(&ev);
			sr_incident_done(&inc);
			sr_store_close(cs);
			_exit(rc == 0 ? 0 : conflict == 1 ? 1 : 12);
		}
	}
	for (int w = 0; w < 2; w++) {
		char c;

		assert_int_equal(read(ready[0], &c, 1), 1);
	}
	assert_int_equal(write(go[1], "gg", 2), 2);
	for (int w = 0; w < 2; w++) {
		int status;

		assert_int_equal(waitpid(pid[w], &status, 0), pid[w]);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) == 0)
			wins++;
		else if (WEXITSTATUS(status) == 1)
			conflicts++;
	}
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	assert_int_equal(wins, 1);
	assert_int_equal(conflicts, 1);
	assert_int_equal(fx_int(f, "SELECT version FROM incidents"), 2);
	assert_int_equal(st->ops->events(st, "INC-2026-001", &tl, &err), 0);
	assert_int_equal(tl.n, 2);	/* created + the winner's, never the loser's */
	assert_non_null(strstr(tl.v[1].detail, "writer"));
	sr_event_list_done(&tl);
	sr_store_close(st);
}

static int
has_id(const struct sr_store_changes *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->ids[i], id) == 0)
			return 1;
	return 0;
}

/*
 * Live updates: a watcher learns which incidents another connection (and itself) created
 * or changed, nothing when nothing changed, and nothing from a failed write. For
 * PostgreSQL the descriptor becomes readable when a change commits.
 */
static void
test_live_changes(void **state)
{
	struct fx *f = *state;
	struct sr_store *w = open_ok(f->db), *other = open_ok(f->db);
	struct sr_store_changes c = { 0 };
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char id1[SR_ID_MAX], id2[SR_ID_MAX], *err = NULL;

	assert_int_equal(create_plain(other, "before watching", T2026, id1), 0);
	assert_int_equal(sr_store_watch(w, &err), 0);
	assert_int_equal(sr_store_changes(w, &c, &err), 0);
	assert_int_equal(c.n, 0);
	if (f->pg)
		assert_true(sr_store_watch_fd(w) >= 0);
	else
		assert_int_equal(sr_store_watch_fd(w), -1);

	assert_int_equal(create_plain(other, "new", T2026 + 1, id2), 0);
	sr_incident_init(&inc);
	assert_int_equal(other->ops->get(other, id1, &inc, &err), 0);
	inc.status = SR_ST_ACKNOWLEDGED;
	sr_event_list_add(&ev, T2026 + 2, "t", SR_EV_ACKNOWLEDGED, "ack");
	assert_int_equal(other->ops->update(other, &inc, &ev, NULL, &err), 0);
	/*
	 * PostgreSQL delivers the notifications a moment after the commits: wait on the
	 * descriptor (as a console's poll does) until both are in, 2 s at most.
	 */
	assert_int_equal(sr_store_changes(w, &c, &err), 0);
	for (int i = 0; f->pg && c.n < 2 && i < 20; i++) {
		struct timeval tv = { 0, 100 * 1000 };
		fd_set rd;

		FD_ZERO(&rd);
		FD_SET(sr_store_watch_fd(w), &rd);
		if (select(sr_store_watch_fd(w) + 1, &rd, NULL, NULL, &tv) == 1)
			assert_int_equal(sr_store_changes(w, &c, &err), 0);
	}
	assert_int_equal(c.n, 2);
	assert_true(has_id(&c, id1));
	assert_true(has_id(&c, id2));
	assert_int_equal(c.all, 0);
	sr_store_changes_done(&c);
	assert_int_equal(sr_store_changes(w, &c, &err), 0);
	assert_int_equal(c.n, 0);

	/* a failed write announces nothing */
	ev.v[0].kind = (enum sr_event_kind)99;
	assert_int_equal(other->ops->update(other, &inc, &ev, NULL, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_store_changes(w, &c, &err), 0);
	assert_int_equal(c.n, 0);

	/* the watcher's own change is reported too (every console reloads the same way) */
	assert_int_equal(create_plain(w, "mine", T2026 + 3, id2), 0);
	assert_int_equal(sr_store_changes(w, &c, &err), 0);
	for (int i = 0; f->pg && c.n < 1 && i < 20; i++) {
		usleep(100 * 1000);
		assert_int_equal(sr_store_changes(w, &c, &err), 0);
	}
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ids[0], id2);
	sr_store_changes_done(&c);

	sr_event_list_done(&ev);
	sr_incident_done(&inc);
	sr_store_close(w);
	sr_store_close(other);
}

/*
 * import copies incidents verbatim (ids, versions, event ids and all) and leaves one that is
 * there already alone; new incidents afterwards continue the copied sequence.
 */
static void
test_import(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_incident inc, got;
	struct sr_event_list ev = { 0 }, gotev = { 0 };
	char id[SR_ID_MAX], *err = NULL;
	int existed = -1;

	sr_incident_init(&inc);
	snprintf(inc.id, sizeof inc.id, "INC-2026-041");
	inc.year = 2026;
	inc.seq = 41;
	inc.title = strdup("copied");
	inc.service = strdup("api");
	inc.sev = SR_SEV_P1;
	inc.status = SR_ST_RESOLVED;
	inc.level = 1;
	inc.created_at = T2026;
	inc.resolved_at = T2026 + 60;
	inc.version = 7;
	inc.n_alerts = 1;
	inc.alerts = calloc(1, sizeof *inc.alerts);
	inc.alerts[0] = strdup("feedface");
	sr_event_list_add(&ev, T2026, "alice", SR_EV_CREATED, "created P1");
	sr_event_list_add(&ev, T2026 + 60, "bob", SR_EV_RESOLVED, "resolved");
	ev.v[0].id = 100;
	ev.v[1].id = 250;
	assert_int_equal(st->ops->import(st, &inc, &ev, &existed, &err), 0);
	assert_int_equal(existed, 0);
	sr_incident_init(&got);
	assert_int_equal(st->ops->get(st, "INC-2026-041", &got, &err), 0);
	assert_same_incident(&got, &inc);
	assert_int_equal(st->ops->events(st, "INC-2026-041", &gotev, &err), 0);
	assert_int_equal(gotev.n, 2);
	assert_int_equal(gotev.v[0].id, 100);
	assert_int_equal(gotev.v[1].id, 250);
	assert_string_equal(gotev.v[1].actor, "bob");

	/* a second copy changes nothing */
	free(inc.title);
	inc.title = strdup("must not replace");
	assert_int_equal(st->ops->import(st, &inc, &ev, &existed, &err), 0);
	assert_int_equal(existed, 1);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM incidents WHERE title = 'copied'"), 1);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events"), 2);

	/* the next new incident and event follow the copied ones */
	assert_int_equal(create_plain(st, "after", T2026 + 100, id), 0);
	assert_string_equal(id, "INC-2026-042");
	assert_true(fx_int(f, "SELECT max(id) FROM events") > 250);

	sr_event_list_done(&ev);
	sr_event_list_done(&gotev);
	sr_incident_done(&inc);
	sr_incident_done(&got);
	sr_store_close(st);
}

/* --- PostgreSQL only: the schema of its own, reconnecting --- */

/*
 * The server ends the store's session (as a restart or an idle timeout would): the next
 * operation connects again by itself, and the watcher is told to reload everything, since
 * announcements made meanwhile were lost.
 */
static void
test_pg_reconnect(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db), *other = open_ok(f->db);
	struct sr_store_changes c = { 0 };
	struct sr_incident_list l = { 0 };
	char id[SR_ID_MAX], *err = NULL;

	assert_int_equal(sr_store_watch(st, &err), 0);
	assert_int_equal(create_plain(st, "before", T2026, NULL), 0);
	assert_int_equal(fx_exec(f, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
				 "WHERE application_name = 'sitrep' AND pid <> pg_backend_pid()",
				 NULL, 0), 0);
	/* made while the watcher is disconnected: its announcement cannot reach it */
	assert_int_equal(create_plain(other, "meanwhile", T2026 + 1, id), 0);
	assert_int_equal(st->ops->list(st, SR_LIST_ALL, &l, &err), 0);
	assert_null(err);
	assert_int_equal(l.n, 2);
	assert_int_equal(create_plain(st, "after", T2026 + 2, NULL), 0);
	assert_int_equal(sr_store_changes(st, &c, &err), 0);
	assert_int_equal(c.all, 1);
	sr_store_changes_done(&c);
	sr_incident_list_done(&l);
	sr_store_close(st);
	sr_store_close(other);
}

/* A schema holding somebody else's tables is refused; a newer schema version too. */
static void
test_pg_schema(void **state)
{
	struct fx *f = *state;
	char sql[256], *err = NULL, want[600];
	struct sr_store *st;

	snprintf(sql, sizeof sql, "CREATE SCHEMA \"%s\"; CREATE TABLE \"%s\".recipes (name text)",
		 f->schema, f->schema);
	assert_int_equal(fx_exec(f, sql, NULL, 0), 0);
	assert_null(sr_store_open(f->db, &err));
	assert_non_null(strstr(err, "other program"));
	free(err);
	err = NULL;
	assert_int_equal(fx_int(f, "SELECT count(*) FROM pg_tables WHERE tablename = 'incidents' "
				"AND schemaname = current_schema()"), 0);
	assert_int_equal(fx_exec(f, "DROP TABLE recipes", NULL, 0), 0);

	/* two stores opening a new schema at once: both work, the schema is made once */
	st = open_ok(f->db);
	assert_int_equal(fx_int(f, "SELECT version FROM schema_version"), SR_PG_SCHEMA_VERSION);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM schema_version"), 1);
	snprintf(want, sizeof want, "%s", st->where);
	sr_store_close(st);
	assert_int_equal(fx_exec(f, "UPDATE schema_version SET version = 9", NULL, 0), 0);
	assert_null(sr_store_open(f->db, &err));
	assert_non_null(strstr(err, "schema version 9 is newer than this sitrep"));
	assert_non_null(strstr(err, want));
	free(err);
}
/*
 * A database the user may read but not write. Tests run as root, which ignores file modes,
 * so the checks run in a child that first drops to the "nobody" user (as a normal user the
 * modes alone do it). With the directory read-only too, SQLite cannot create the WAL index
 * beside the file, so the store reads it as an immutable snapshot (--readonly must work on a
 * file the user can only read); with a writable directory the store opens read-only. Either
 * way the incidents are read and every write is refused. Returns the child's exit status.
 */
static int
readonly_child(const char *db, int dir_writable)
{
	char *e = NULL, id[SR_ID_MAX];
	struct sr_store *st;
	struct sr_incident_list l = { 0 };
	struct sr_incident inc;
	char shm[512];
	int had_shm;

	snprintf(shm, sizeof shm, "%s-shm", db);
	had_shm = access(shm, F_OK) == 0;	/* the owner's, kept by its last close */
	if (geteuid() == 0) {
		struct passwd *pw = getpwnam("nobody");

		if (pw == NULL || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
			return 10;
	}
	if (access(db, W_OK) == 0)
		return 11;	/* the file is still writable: the test would prove nothing */
	st = sr_store_open(db, &e);
	if (st == NULL) {
		fprintf(stderr, "read-only open: %s\n", e);
		return 13;
	}
	if (st->ops->list(st, SR_LIST_ALL, &l, &e) != 0 || l.n != 1)
		return 14;
	sr_incident_list_done(&l);
	if (create_plain(st, "must not be written", T2026, id) == 0)
		return 15;
	sr_incident_init(&inc);
	if (st->ops->get(st, "INC-2026-001", &inc, &e) != 0)
		return 16;
	free(inc.title);
	inc.title = strdup("changed");
	if (st->ops->update(st, &inc, NULL, NULL, &e) == 0)
		return 17;
	if (e == NULL || strstr(e, "read-only") == NULL || strstr(e, db) == NULL)
		return 18;
	if (strstr(e, "disk full") != NULL || strstr(e, "nothing was written") != NULL)
		return 20;	/* only I/O errors and a full disk point at the disk */
	fprintf(stderr, "read-only update: %s\n", e);
	free(e);
	e = NULL;
	if (st->ops->cache_put(st, "x", "y", 1, 1, &e) == 0)
		return 19;
	free(e);
	sr_incident_done(&inc);
	sr_store_close(st);
	/* a snapshot read leaves nothing behind in a directory we cannot write */
	if (!dir_writable && !had_shm && access(shm, F_OK) == 0)
		return 12;
	return 0;
}

static void
run_readonly_child(const char *db, int dir_writable)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(readonly_child(db, dir_writable));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_readonly(void **state)
{
	/* Under valgrind its forked children exit with valgrind's error code (leaks at _exit),
	 * which this test reads as their answer; make check runs it under ASan instead. */
	if (getenv("SITREP_VALGRIND") != NULL)
		skip();
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	char dir[128];

	assert_int_equal(create_plain(st, "existing", T2026, NULL), 0);
	sr_store_close(st);
	/*
	 * The owner's last close keeps the WAL, emptied into the file, and its index beside
	 * the file (no creating and deleting both on every command), private like the file.
	 */
	for (int i = 0; i < 2; i++) {
		char side[600];
		struct stat sb;

		snprintf(side, sizeof side, "%s-%s", f->db, i ? "shm" : "wal");
		assert_int_equal(stat(side, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		if (i == 0)
			assert_int_equal(sb.st_size, 0);
	}
	snprintf(dir, sizeof dir, "%s/state", f->dir);
	/* Others may enter the directories and read the file, but write neither. */
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(chmod(dir, 0555), 0);
	assert_int_equal(chmod(f->db, 0444), 0);
	/* with the owner's private -wal and -shm beside it, and without them */
	run_readonly_child(f->db, 0);
	for (int i = 0; i < 2; i++) {
		char side[600];

		snprintf(side, sizeof side, "%s-%s", f->db, i ? "shm" : "wal");
		assert_int_equal(unlink(side), 0);
	}
	run_readonly_child(f->db, 0);
	/* Now the directory is writable (the WAL index can be made), the file still is not. */
	assert_int_equal(chmod(dir, 0777), 0);
	run_readonly_child(f->db, 1);

	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(chmod(f->db, 0600), 0);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM incidents"), 1);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM incidents WHERE title = 'existing'"),
			 1);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events"), 1);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM feed_cache"), 0);
	assert_int_equal(fx_int(f, "SELECT version FROM incidents"), 1);
}

/*
 * Crash safety: a child creates incidents in a loop and reports each id once create()
 * returned; the parent kills it with SIGKILL at a random point. Every reported incident must
 * be there, and the file must pass integrity_check.
 */
static void
test_crash_safety(void **state)
{
	struct fx *f = *state;
	int pfd[2], status;
	pid_t pid;
	char rec[SR_ID_MAX], *err = NULL;
	char (*ids)[SR_ID_MAX] = calloc(10001, SR_ID_MAX);
	size_t n = 0, kill_after;
	struct sr_store *st;
	struct sr_incident inc;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();

	srand(seed);
	kill_after = 1000 + (size_t)(rand() % 4000);
	print_message("crash test: seed %u, SIGKILL after %zu reported creates\n", seed, kill_after);
	sr_store_close(open_ok(f->db));
	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sr_store *cs;
		char *e = NULL;

		close(pfd[0]);
		cs = sr_store_open(f->db, &e);
		if (cs == NULL)
			_exit(1);
		for (int i = 0; i < 10000; i++) {
			char id[SR_ID_MAX] = { 0 };

			if (create_plain(cs, "crash test", T2026 + i, id) != 0)
				_exit(2);
			/* One record per write, smaller than PIPE_BUF: never torn. */
			if (write(pfd[1], id, sizeof id) != (ssize_t)sizeof id)
				_exit(3);
		}
		_exit(0);
	}
	close(pfd[1]);
	for (;;) {
		ssize_t r = read(pfd[0], rec, sizeof rec);

		if (r == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		assert_int_equal(r, (ssize_t)sizeof rec);
		memcpy(ids[n++], rec, sizeof rec);
		if (n == kill_after)
			kill(pid, SIGKILL);
	}
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* Killed mid-run (a very fast child might finish all 10,000 first; then it exited 0). */
	assert_true((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ||
		    (WIFEXITED(status) && WEXITSTATUS(status) == 0 && n == 10000));
	assert_true(n >= kill_after);

	st = open_ok(f->db);
	{
		char *ic = sq_text(f->db, "PRAGMA integrity_check");

		assert_string_equal(ic, "ok\n");
		free(ic);
	}
	sr_incident_init(&inc);
	for (size_t i = 0; i < n; i++) {
		if (st->ops->get(st, ids[i], &inc, &err) != 0)
			fail_msg("reported incident %s is missing: %s", ids[i], err);
	}
	/* At most the one create that committed but was not yet reported is extra; no gaps. */
	{
		int64_t count = fx_int(f, "SELECT count(*) FROM incidents");
		int64_t maxseq = fx_int(f, "SELECT max(seq) FROM incidents");

		assert_true(count == (int64_t)n || count == (int64_t)n + 1);
		assert_int_equal(maxseq, count);
		assert_int_equal(fx_int(f, "SELECT count(*) FROM events"), count);
	}
	print_message("crash test: %zu reported, all present, integrity ok\n", n);
	sr_incident_done(&inc);
	sr_store_close(st);
	free(ids);
}

static void
test_feed_cache(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	const char bin[] = "{\"data\":\0\x01\xff}";
	char *body = NULL, *err = NULL;
	size_t len = 0;
	int64_t at = 0;

	assert_int_equal(st->ops->cache_get(st, "prom:default", &body, &len, &at, &err), 0);
	assert_null(body);
	assert_int_equal(st->ops->cache_put(st, "prom:default", bin, sizeof bin - 1, 1000, &err), 0);
	assert_int_equal(st->ops->cache_get(st, "prom:default", &body, &len, &at, &err), 1);
	assert_int_equal(len, sizeof bin - 1);
	assert_memory_equal(body, bin, len);
	assert_int_equal(body[len], '\0');
	assert_int_equal(at, 1000);
	free(body);

	/* The last good body replaces the previous one. */
	assert_int_equal(st->ops->cache_put(st, "prom:default", "new", 3, 2000, &err), 0);
	assert_int_equal(st->ops->cache_put(st, "am:eu", "", 0, 2001, &err), 0);
	assert_int_equal(st->ops->cache_get(st, "prom:default", &body, &len, &at, &err), 1);
	assert_int_equal(len, 3);
	assert_string_equal(body, "new");
	assert_int_equal(at, 2000);
	free(body);
	assert_int_equal(st->ops->cache_get(st, "am:eu", &body, &len, &at, &err), 1);
	assert_int_equal(len, 0);
	assert_string_equal(body, "");
	assert_int_equal(at, 2001);
	free(body);
	sr_store_close(st);

	/* It survives a restart. */
	st = open_ok(f->db);
	assert_int_equal(st->ops->cache_get(st, "prom:default", &body, &len, NULL, &err), 1);
	assert_string_equal(body, "new");
	free(body);
	assert_null(err);
	sr_store_close(st);
	sr_store_close(NULL);
}

/* A reader over a byte array for cache_put_stream, giving at most step bytes a call. */
struct src {
	const unsigned char *p;
	size_t len, off, step, fail_at;
};

static long
src_read(void *arg, char *buf, size_t n)
{
	struct src *s = arg;

	if (s->fail_at != 0 && s->off >= s->fail_at)
		return -1;
	if (n > s->step)
		n = s->step;
	if (n > s->len - s->off)
		n = s->len - s->off;
	memcpy(buf, s->p + s->off, n);
	s->off += n;
	return (long)n;
}

/* A body written piece by piece reads back byte for byte; a failed one leaves the old one. */
static void
test_feed_cache_stream(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	size_t big = 3 * 1024 * 1024 + 12345;
	unsigned char *data = malloc(big);
	struct src src;
	char *body = NULL, *err = NULL;
	size_t len = 0;
	int64_t at = 0;

	for (size_t i = 0; i < big; i++)
		data[i] = (unsigned char)(i * 7 + (i >> 13));
	assert_non_null(st->ops->cache_put_stream);
	/* over an existing small body, in odd-sized pieces */
	assert_int_equal(st->ops->cache_put(st, "alerts:main", "old", 3, 10, &err), 0);
	src = (struct src){ data, big, 0, 10007, 0 };
	assert_int_equal(st->ops->cache_put_stream(st, "alerts:main", big, 20, src_read, &src,
						   &err), 0);
	assert_null(err);
	assert_int_equal(st->ops->cache_get(st, "alerts:main", &body, &len, &at, &err), 1);
	assert_int_equal(len, big);
	assert_int_equal(at, 20);
	assert_memory_equal(body, data, big);
	free(body);

	/* the reader fails half-way: an error naming the feed, the previous body kept */
	src = (struct src){ data, 1000, 0, 100, 500 };
	assert_int_equal(st->ops->cache_put_stream(st, "alerts:main", 1000, 30, src_read, &src,
						   &err), -1);
	assert_non_null(strstr(err, "caching feed alerts:main"));
	free(err);
	err = NULL;
	assert_int_equal(st->ops->cache_get(st, "alerts:main", &body, &len, &at, &err), 1);
	assert_int_equal(len, big);
	assert_int_equal(at, 20);
	free(body);

	/* empty, and a second source beside it */
	src = (struct src){ data, 0, 0, 1, 0 };
	assert_int_equal(st->ops->cache_put_stream(st, "alerts:eu", 0, 40, src_read, &src, &err), 0);
	assert_int_equal(st->ops->cache_get(st, "alerts:eu", &body, &len, &at, &err), 1);
	assert_int_equal(len, 0);
	free(body);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM feed_cache"), 2);
	sr_store_close(st);
	body = sq_text(f->db, "PRAGMA integrity_check");
	assert_string_equal(body, "ok\n");
	free(body);
	free(data);
}

/* 2 -> 3 moves the cache's body to the last column and keeps what was cached. */
static void
test_migration_v2(void **state)
{
	struct fx *f = *state;
	char mig[512], *a, *body = NULL, *err = NULL;
	struct sr_store *st;
	size_t len = 0;
	int64_t at = 0;

	snprintf(mig, sizeof mig, "%s/v2.db", f->dir);
	load_fixture(mig, "v2.sql");
	assert_int_equal(sq_int(mig, "PRAGMA user_version"), 2);
	st = open_ok(mig);
	assert_int_equal(sq_int(mig, "PRAGMA user_version"), SR_SQLITE_SCHEMA_VERSION);
	assert_int_equal(st->ops->cache_get(st, "alerts:main", &body, &len, &at, &err), 1);
	assert_string_equal(body, "[{\"labels\":{\"alertname\":\"A\"},\"fingerprint\":\"f1\"}]");
	assert_int_equal(at, 1772359200);
	free(body);
	sr_store_close(st);
	a = sq_text(mig, "SELECT group_concat(name) FROM pragma_table_info('feed_cache')");
	assert_string_equal(a, "source,fetched_at,body\n");
	free(a);
	assert_fresh_schema(mig, f->dir);
}

/* A console's list: every open incident however old, plus only the newest finished ones. */
static void
test_list_recent(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_incident_list l = { 0 };
	char id[SR_ID_MAX], *err = NULL, msg[256];
	int n = SR_LIST_RECENT_N + 30;

	for (int i = 0; i < n; i++)
		assert_int_equal(create_plain(st, "r", T2026 + i, id), 0);
	sr_store_close(st);
	/* all but the five oldest are finished */
	assert_int_equal(fx_exec(f, "UPDATE incidents SET status = 'closed' WHERE seq > 5",
				  msg, sizeof(msg)), SQLITE_OK);
	st = open_ok(f->db);
	assert_int_equal(st->ops->list(st, SR_LIST_RECENT, &l, &err), 0);
	assert_int_equal(l.n, 5 + SR_LIST_RECENT_N);
	assert_int_equal(l.v[0].seq, n);	/* newest first */
	for (size_t i = 1; i < l.n; i++)
		assert_true(l.v[i - 1].created_at >= l.v[i].created_at);
	for (size_t i = 0; i < l.n; i++)	/* the dropped ones are old and finished */
		assert_true(l.v[i].seq <= 5 || l.v[i].seq > n - SR_LIST_RECENT_N);
	assert_int_equal(l.v[l.n - 1].seq, 1);	/* the oldest open one is still there */
	sr_incident_list_done(&l);
	/* a recent list carries each incident's alert links too */
	sr_store_close(st);
	/* PostgreSQL keeps each link's position (SQLite orders them by rowid) */
	assert_int_equal(fx_exec(f, f->pg ? "INSERT INTO incident_alerts (incident_id, "
				  "fingerprint, pos) VALUES ('INC-2026-001', 'fp-a', 0), "
				  "('INC-2026-001', 'fp-b', 1)" :
				  "INSERT INTO incident_alerts (incident_id, fingerprint) "
				  "VALUES ('INC-2026-001', 'fp-a'), ('INC-2026-001', 'fp-b')",
				  msg, sizeof(msg)), 0);
	st = open_ok(f->db);
	assert_int_equal(st->ops->list(st, SR_LIST_RECENT, &l, &err), 0);
	assert_int_equal(l.v[l.n - 1].n_alerts, 2);
	assert_int_equal(l.v[0].n_alerts, 0);
	sr_incident_list_done(&l);
	assert_int_equal(st->ops->list(st, SR_LIST_ALL, &l, &err), 0);
	assert_int_equal(l.n, (size_t)n);
	sr_incident_list_done(&l);
	sr_store_close(st);
}

/* The suite every backend must pass. */
/* --- outbox, verifiable timeline, review and action items, overrides: on both backends --- */

/* Appends a note event to id (read, changed, written back); returns the event's row id. */
static int64_t
add_note(struct sr_store *st, const char *id, const char *text, sr_time at)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;
	int64_t eid;

	sr_incident_init(&inc);
	if (st->ops->get(st, id, &inc, &err) != 0)
		fail_msg("get %s: %s", id, err);
	sr_event_list_add(&ev, at, "tester", SR_EV_NOTE, "%s", text);
	if (st->ops->update(st, &inc, &ev, NULL, &err) != 0)
		fail_msg("update %s: %s", id, err);
	eid = ev.v[0].id;
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return eid;
}

/* Raw SQL that lifts the append-only guard of the events table, as a tamperer would. */
static const char *
unguard(const struct fx *f)
{
	return f->pg ? "ALTER TABLE events DISABLE TRIGGER events_no_change; " :
		       "DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete; ";
}

static void
fx_must(const struct fx *f, const char *fmt, ...)
{
	char sql[512], msg[256];
	va_list ap;
	int n;

	n = snprintf(sql, sizeof sql, "%s", unguard(f));
	va_start(ap, fmt);
	vsnprintf(sql + n, sizeof sql - (size_t)n, fmt, ap);
	va_end(ap);
	if (fx_exec(f, sql, msg, sizeof msg) != 0)
		fail_msg("%s: %s", sql, msg);
}

static void
chain_check(struct sr_store *st, const char *id, struct sr_chain_check *c)
{
	char *err = NULL;

	sr_chain_check_init(c);
	if (st->ops->chain_walk(st, id, sr_chain_check_row, c, &err) != 0)
		fail_msg("chain_walk: %s", err);
	sr_chain_check_end(c);
}

/* Every write chains its events; edits, deletions and insertions by raw SQL are named. */
static void
test_chain_tamper(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	char ids[3][SR_ID_MAX], head[SR_HASH_HEX], h[SR_HASH_HEX] = "", prev[SR_HASH_HEX];
	int64_t eid[3][3], n;
	struct sr_chain_check c;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	for (int k = 0; k < 3; k++) {
		assert_int_equal(create_plain(st, "chained", T2026 + k, ids[k]), 0);
		for (int j = 0; j < 3; j++)
			eid[k][j] = add_note(st, ids[k], "step", T2026 + 10 * j + k);
	}
	/* the head is the hash chain of the stored events, computed here independently */
	assert_int_equal(st->ops->events(st, ids[0], &ev, &err), 0);
	assert_int_equal(ev.n, 4);
	for (size_t i = 0; i < ev.n; i++) {
		memcpy(prev, h, sizeof prev);
		sr_chain_hash(prev, (int64_t)i + 1, ids[0], ev.v[i].at, ev.v[i].actor,
			      sr_event_kind_name(ev.v[i].kind), ev.v[i].detail, h);
	}
	sr_event_list_done(&ev);
	assert_int_equal(st->ops->chain_head(st, ids[0], &n, head, &err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(head, h);
	chain_check(st, NULL, &c);
	assert_int_equal(c.n_found, 0);
	assert_int_equal(c.events, 12);
	assert_int_equal(c.incidents, 3);
	sr_chain_check_done(&c);

	/* behind sitrep's back: one edit, one deletion, one insertion */
	fx_must(f, "UPDATE events SET detail = 'nothing happened' WHERE id = %" PRId64, eid[0][1]);
	fx_must(f, "DELETE FROM events WHERE id = %" PRId64, eid[1][1]);
	fx_must(f, "INSERT INTO events (id, incident_id, at, actor, kind, detail) VALUES "
		"(%" PRId64 ", '%s', %" PRId64 ", 'mallory', 'note', 'all fine')",
		eid[2][2] + 1000, ids[2], (int64_t)T2026 + 99);
	chain_check(st, NULL, &c);
	assert_int_equal(c.n_found, 3);
	for (size_t i = 0; i < c.n_found; i++) {
		static const enum sr_chain_problem want[] = { SR_CHAIN_ALTERED, SR_CHAIN_DELETED,
							       SR_CHAIN_INSERTED };
		const int64_t want_id[] = { eid[0][1], eid[1][2], eid[2][2] + 1000 };

		assert_string_equal(c.found[i].incident, ids[i]);
		assert_int_equal(c.found[i].what, want[i]);
		assert_int_equal(c.found[i].event_id, want_id[i]);
	}
	sr_chain_check_done(&c);
	/* checking one incident alone */
	chain_check(st, ids[1], &c);
	assert_int_equal(c.n_found, 1);
	assert_int_equal(c.found[0].what, SR_CHAIN_DELETED);
	sr_chain_check_done(&c);
	assert_int_equal(st->ops->chain_walk(st, "INC-2026-999", sr_chain_check_row, &c, &err), -1);
	assert_non_null(strstr(err, "no incident INC-2026-999"));
	free(err);
	sr_store_close(st);
}

/* Review fields and action items: written with the incident, read back, listed, counted. */
static void
test_review_actions(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_incident inc, got;
	struct sr_event_list ev = { 0 };
	struct sr_action_list l = { 0 };
	struct sr_action_filter open_bob = { 1, "bob", NULL };
	char *err = NULL;

	plain_incident(&inc, "reviewed", T2026);
	inc.review[SR_RV_SUMMARY] = strdup("the cache fell over");
	inc.review[SR_RV_LUCKY] = strdup("it was 3 a.m. \"quiet\" \xe2\x9c\x93");
	assert_int_equal(sr_incident_action_add(&inc, "add a cache alert", "bob", T2026 + 86400,
						SR_AK_DETECT, "alice", T2026, &ev, &err), 0);
	assert_int_equal(sr_incident_action_add(&inc, "runbook", "carol", T2026 + 3600,
						SR_AK_PROCESS, "alice", T2026, &ev, &err), 0);
	assert_int_equal(st->ops->create(st, &inc, &ev, &err), 0);
	assert_true(inc.actions[0].id > 0 && inc.actions[1].id > inc.actions[0].id);
	sr_event_list_done(&ev);

	sr_incident_init(&got);
	assert_int_equal(st->ops->get(st, inc.id, &got, &err), 0);
	assert_string_equal(got.review[SR_RV_SUMMARY], "the cache fell over");
	assert_string_equal(got.review[SR_RV_LUCKY], inc.review[SR_RV_LUCKY]);
	assert_null(got.review[SR_RV_TRIGGER]);
	assert_int_equal(got.n_actions, 2);
	assert_string_equal(got.actions[0].text, "add a cache alert");
	assert_string_equal(got.actions[0].owner, "bob");
	assert_int_equal(got.actions[0].kind, SR_AK_DETECT);
	assert_int_equal(got.actions[0].due, T2026 + 86400);
	assert_string_equal(got.actions[0].incident, inc.id);

	/* one done, one field more, another changed: an update writes just those */
	sr_set_str(&got.review[SR_RV_TRIGGER], "a deploy");
	sr_set_str(&got.review[SR_RV_SUMMARY], "the cache fell over twice");
	assert_int_equal(sr_incident_action_done(&got, got.actions[1].id, "carol", T2026 + 600,
						 &ev, &err), 0);
	assert_int_equal(st->ops->update(st, &got, &ev, NULL, &err), 0);
	sr_event_list_done(&ev);
	sr_incident_done(&got);
	sr_incident_init(&got);
	assert_int_equal(st->ops->get(st, inc.id, &got, &err), 0);
	assert_string_equal(got.review[SR_RV_TRIGGER], "a deploy");
	assert_string_equal(got.review[SR_RV_SUMMARY], "the cache fell over twice");
	assert_int_equal(got.actions[1].done_at, T2026 + 600);
	assert_string_equal(got.actions[1].done_by, "carol");
	assert_int_equal(got.actions[0].done_at, 0);

	/* across incidents: all, open ones of bob, none of a stranger */
	assert_int_equal(st->ops->actions(st, NULL, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].owner, "carol");	/* by due date */
	sr_action_list_done(&l);
	assert_int_equal(st->ops->actions(st, &open_bob, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].text, "add a cache alert");
	sr_action_list_done(&l);
	open_bob.owner = "nobody";
	assert_int_equal(st->ops->actions(st, &open_bob, &l, &err), 0);
	assert_int_equal(l.n, 0);
	sr_action_list_done(&l);
	sr_incident_done(&got);
	sr_incident_done(&inc);
	sr_store_close(st);
}

struct stats_count {
	int incidents, escalations, updates;
	int level;
	sr_time last_update;
};

static void
sc_incident(void *arg, const struct sr_stats_incident *row)
{
	struct stats_count *c = arg;

	c->incidents++;
	assert_int_equal(row->sev, SR_SEV_P3);
}

static void
sc_escalation(void *arg, const char *id, int level)
{
	struct stats_count *c = arg;

	(void)id;
	c->escalations++;
	c->level = level;
}

static void
sc_update(void *arg, const char *id, sr_time at)
{
	struct stats_count *c = arg;

	(void)id;
	assert_true(at >= c->last_update);	/* in time order */
	c->last_update = at;
	c->updates++;
}

/* stats hands over the incidents of the window, escalations and updates sent since. */
static void
test_stats_rows(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct stats_count c = { 0 };
	struct sr_stats_sink k = { &c, sc_incident, sc_escalation, sc_update };
	struct sr_stats_query q = { T2026, T2026 + 1000, NULL };
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char id[SR_ID_MAX], *err = NULL;

	assert_int_equal(create_plain(st, "in", T2026 + 5, id), 0);
	assert_int_equal(create_plain(st, "out", T2026 + 5000, NULL), 0);
	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, id, &inc, &err), 0);
	sr_event_list_add(&ev, T2026 + 30, "t", SR_EV_UPDATE_SENT, "update");
	sr_event_list_add(&ev, T2026 + 20, "t", SR_EV_ESCALATED, "escalated L1 -> L3");
	sr_event_list_add(&ev, T2026 + 10, "t", SR_EV_UPDATE_SENT, "update");
	assert_int_equal(st->ops->update(st, &inc, &ev, NULL, &err), 0);
	assert_int_equal(st->ops->stats(st, &q, &k, &err), 0);
	assert_int_equal(c.incidents, 1);
	assert_int_equal(c.escalations, 1);
	assert_int_equal(c.level, 2);
	assert_int_equal(c.updates, 2);
	sr_event_list_done(&ev);
	sr_incident_done(&inc);
	sr_store_close(st);
}

/* --- statistics from each incident's summary, against statistics from its events --- */

struct oracle_update {
	char id[SR_ID_MAX];
	sr_time at;
};

static int
cmp_update_at(const void *a, const void *b)
{
	const struct oracle_update *x = a, *y = b;

	return (x->at > y->at) - (x->at < y->at);
}

/*
 * Statistics of q computed from the timelines, the way sitrep computed them before the
 * summary (schema 8): the incidents of the window first, then every escalation event and
 * every update_sent event at or after q->since of any incident, the updates in time order.
 */
static void
stats_from_events(struct sr_store *st, const struct sr_config *cfg, sr_time now,
		  const struct sr_stats_query *q, struct sr_stats *s)
{
	struct sr_incident_list l = { 0 };
	struct oracle_update *up = NULL;
	size_t n_up = 0;
	struct sr_stats_sink k;
	char *err = NULL;

	assert_int_equal(st->ops->list(st, SR_LIST_ALL, &l, &err), 0);
	sr_stats_init(s, cfg, now, q);
	k = sr_stats_sink(s);
	for (size_t i = 0; i < l.n; i++) {
		const struct sr_incident *inc = &l.v[i];
		struct sr_stats_incident r = { .id = inc->id, .service = inc->service,
					       .sev = inc->sev, .status = inc->status,
					       .created = inc->created_at, .acked = inc->acked_at,
					       .resolved = inc->resolved_at,
					       .closed = inc->closed_at };

		if (inc->created_at >= q->since && inc->created_at < q->until &&
		    (q->service == NULL ||
		     (inc->service != NULL && strcmp(inc->service, q->service) == 0)))
			k.incident(k.arg, &r);
	}
	for (size_t i = 0; i < l.n; i++) {
		struct sr_event_list ev = { 0 };

		assert_int_equal(st->ops->events(st, l.v[i].id, &ev, &err), 0);
		for (size_t j = 0; j < ev.n; j++) {
			int from, to;

			if (ev.v[j].at < q->since)
				continue;
			if (ev.v[j].kind == SR_EV_ESCALATED &&
			    sscanf(ev.v[j].detail, "escalated L%d -> L%d", &from, &to) == 2)
				k.escalation(k.arg, l.v[i].id, to - 1);
			if (ev.v[j].kind == SR_EV_UPDATE_SENT) {
				up = realloc(up, (n_up + 1) * sizeof *up);
				assert_non_null(up);
				snprintf(up[n_up].id, sizeof up[n_up].id, "%s", l.v[i].id);
				up[n_up++].at = ev.v[j].at;
			}
		}
		sr_event_list_done(&ev);
	}
	if (n_up > 0)
		qsort(up, n_up, sizeof *up, cmp_update_at);
	for (size_t i = 0; i < n_up; i++)
		k.update(k.arg, up[i].id, up[i].at);
	free(up);
	sr_stats_finish(s);
	sr_incident_list_done(&l);
}

static void
assert_times_equal(const struct sr_stat_times *a, const struct sr_stat_times *b)
{
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->median, b->median);
	assert_int_equal(a->p90, b->p90);
}

/* st's statistics of [since, until) (of service) at now equal those of its events. */
static void
assert_stats_match(struct sr_store *st, const struct sr_config *cfg, sr_time now,
		   sr_time since, sr_time until, const char *service)
{
	struct sr_stats_query q = { since, until, service };
	struct sr_stats got, want;
	char *err = NULL;

	assert_int_equal(sr_store_stats(st, cfg, now, &q, &got, &err), 0);
	stats_from_events(st, cfg, now, &q, &want);
	assert_int_equal(got.incidents, want.incidents);
	assert_int_equal(got.open, want.open);
	for (int v = 0; v < SR_SEV_COUNT; v++) {
		assert_int_equal(got.by_sev[v], want.by_sev[v]);
		assert_int_equal(got.respond_n[v], want.respond_n[v]);
		assert_int_equal(got.respond_breached[v], want.respond_breached[v]);
		assert_int_equal(got.resolve_n[v], want.resolve_n[v]);
		assert_int_equal(got.resolve_breached[v], want.resolve_breached[v]);
	}
	for (int l = 0; l < SR_LEVEL_COUNT; l++)
		assert_int_equal(got.escalations[l], want.escalations[l]);
	assert_int_equal(got.updates, want.updates);
	assert_int_equal(got.updates_on_time, want.updates_on_time);
	assert_times_equal(&got.mtta, &want.mtta);
	assert_times_equal(&got.mttr, &want.mttr);
	assert_int_equal(got.n_service, want.n_service);
	for (size_t i = 0; i < got.n_service; i++) {
		assert_string_equal(got.by_service[i].key, want.by_service[i].key);
		assert_int_equal(got.by_service[i].n, want.by_service[i].n);
	}
	sr_stats_done(&got);
	sr_stats_done(&want);
}

/* The windows every check looks at: all, one cutting through the timelines, one service. */
static void
assert_stats_windows(struct sr_store *st, const struct sr_config *cfg, sr_time now)
{
	assert_stats_match(st, cfg, now, 0, now + 1, NULL);
	assert_stats_match(st, cfg, now, T2026 + 3600, now + 1, NULL);
	assert_stats_match(st, cfg, now, T2026, now + 1, "db");
	assert_stats_match(st, cfg, now, T2026 + 2 * 3600, T2026 + 3 * 3600, NULL);
}

static void
change_ok(struct sr_store *st, const struct sr_config *cfg, const char *id,
	  const struct sr_change *ch, sr_time now)
{
	struct sr_incident out;
	int conflict = 0;
	char *err = NULL;

	sr_incident_init(&out);
	if (sr_change_commit(st, id, ch, cfg, "alice", now, &out, NULL, &conflict, &err) != 0)
		fail_msg("change %d of %s at %lld: %s", (int)ch->op, id, (long long)now, err);
	sr_incident_done(&out);
}

static void
new_ok(struct sr_store *st, const char *title, const char *service, enum sr_sev sev,
       sr_time now, char id[SR_ID_MAX])
{
	struct sr_new_incident n = { .title = title, .service = service, .sev = sev };
	struct sr_incident out;
	char *err = NULL;

	sr_incident_init(&out);
	if (sr_change_create(st, &n, "alice", now, &out, NULL, &err) != 0)
		fail_msg("creating %s: %s", title, err);
	snprintf(id, SR_ID_MAX, "%s", out.id);
	sr_incident_done(&out);
}

/* The schema before the summary, as that sitrep left it (SQLite 8, PostgreSQL 3). */
static void
downgrade_before_summary(struct fx *f)
{
	char msg[256];

	if (f->pg)
		assert_int_equal(fx_exec(f, "ALTER TABLE incidents DROP COLUMN stats_events; "
					 "CREATE INDEX events_escalated ON events (at, incident_id, "
					 "detail) WHERE kind = 'escalated'; CREATE INDEX "
					 "events_update_sent ON events (at, incident_id) WHERE kind = "
					 "'update_sent'; UPDATE schema_version SET version = 3", msg,
					 sizeof msg), 0);
	else
		assert_int_equal(fx_exec(f, "DROP INDEX incidents_stats; ALTER TABLE incidents "
					 "DROP COLUMN stats_events; CREATE INDEX incidents_stats ON "
					 "incidents (created_at, service, sev, status, acked_at, "
					 "resolved_at, closed_at, id); CREATE INDEX events_escalated ON "
					 "events (at, incident_id, detail, kind) WHERE kind = "
					 "'escalated'; CREATE INDEX events_update_sent ON events (at, "
					 "incident_id, kind) WHERE kind = 'update_sent'; "
					 "PRAGMA user_version = 8", msg, sizeof msg), 0);
}

/*
 * The summary stays what the timelines say through every kind of change: creation, ticks
 * (escalations due), acknowledgement, manual escalation and de-escalation, updates sent on
 * time and late, a severity change (the cadence judged is the current severity's), resolve,
 * reopen, close, notes; a copy into this store (import) and out of it; events stamped out of
 * order and before their incident's creation; and after the schema step that adds it, which
 * fills it from the stored events. Statistics from the summary equal statistics from the
 * events (stats_from_events, sitrep's computation before the summary) for several windows.
 */
static void
test_stats_summary(void **state)
{
	struct fx *f = *state;
	struct sr_config cfg;
	struct sr_store *st, *side, *copy;
	struct sr_store_copied c;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char side_path[600], copy_path[600], a[SR_ID_MAX], b[SR_ID_MAX], d[SR_ID_MAX];
	char e[SR_ID_MAX], *err = NULL;
	const struct sr_change ack = { .op = SR_CH_ACK }, tick = { .op = SR_CH_TICK };
	const struct sr_change up = { .op = SR_CH_UPDATE_SENT, .b = "status" };
	const struct sr_change esc = { .op = SR_CH_ESCALATE }, deesc = { .op = SR_CH_DEESCALATE };
	const struct sr_change to_p1 = { .op = SR_CH_SEV, .a = "P1" };
	const struct sr_change reopen = { .op = SR_CH_STATUS, .a = "investigating" };
	const struct sr_change resolve = { .op = SR_CH_RESOLVE }, close = { .op = SR_CH_CLOSE };
	const struct sr_change note = { .op = SR_CH_NOTE, .a = "looking" };
	sr_time now = T2026 + 30 * 3600;

	sr_config_init(&cfg);
	/* incidents made elsewhere and copied in: the import path writes their summary */
	snprintf(side_path, sizeof side_path, "%s/side.db", f->dir);
	side = open_ok(side_path);
	new_ok(side, "copied", "db", SR_SEV_P2, T2026 - 600, a);
	change_ok(side, &cfg, a, &up, T2026 - 60);
	change_ok(side, &cfg, a, &esc, T2026);
	change_ok(side, &cfg, a, &up, T2026 + 3600);
	st = open_ok(f->db);
	assert_int_equal(sr_store_copy(side, st, &c, &err), 0);
	assert_int_equal(c.copied, 1);
	sr_store_close(side);
	assert_stats_windows(st, &cfg, now);

	new_ok(st, "api down", "api", SR_SEV_P1, T2026 + 60, b);
	assert_stats_windows(st, &cfg, now);
	change_ok(st, &cfg, b, &tick, T2026 + 60 + 16 * 60);	/* L2 due after 15 min */
	change_ok(st, &cfg, b, &up, T2026 + 60 + 17 * 60);	/* late for P1 */
	change_ok(st, &cfg, b, &ack, T2026 + 60 + 18 * 60);
	change_ok(st, &cfg, b, &up, T2026 + 60 + 30 * 60);	/* on time */
	change_ok(st, &cfg, b, &esc, T2026 + 60 + 31 * 60);
	change_ok(st, &cfg, b, &deesc, T2026 + 60 + 32 * 60);
	change_ok(st, &cfg, b, &esc, T2026 + 60 + 33 * 60);
	assert_stats_windows(st, &cfg, now);
	change_ok(st, &cfg, b, &resolve, T2026 + 3 * 3600);
	change_ok(st, &cfg, b, &reopen, T2026 + 4 * 3600);
	change_ok(st, &cfg, b, &up, T2026 + 5 * 3600);
	change_ok(st, &cfg, b, &resolve, T2026 + 6 * 3600);
	change_ok(st, &cfg, b, &close, T2026 + 7 * 3600);
	assert_stats_windows(st, &cfg, now);

	new_ok(st, "db slow", "db", SR_SEV_P3, T2026 + 2 * 3600, d);
	change_ok(st, &cfg, d, &up, T2026 + 2 * 3600 + 600);
	change_ok(st, &cfg, d, &note, T2026 + 2 * 3600 + 700);
	change_ok(st, &cfg, d, &up, T2026 + 2 * 3600 + 1800);
	change_ok(st, &cfg, d, &to_p1, T2026 + 2 * 3600 + 1900);	/* now judged as P1 */
	change_ok(st, &cfg, d, &up, T2026 + 2 * 3600 + 3000);
	change_ok(st, &cfg, d, &tick, T2026 + 20 * 3600);	/* never acknowledged: to L4 */
	assert_stats_windows(st, &cfg, now);

	/* written straight through the store: out of time order, one before its creation */
	new_ok(st, "skewed", "db", SR_SEV_P2, T2026 + 3 * 3600, e);
	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, e, &inc, &err), 0);
	sr_event_list_add(&ev, T2026 + 3 * 3600 + 1000, "t", SR_EV_UPDATE_SENT, "first");
	sr_event_list_add(&ev, T2026 + 3 * 3600 + 3500, "t", SR_EV_UPDATE_SENT, "third");
	sr_event_list_add(&ev, T2026 + 3 * 3600 + 2000, "t", SR_EV_UPDATE_SENT, "second");
	sr_event_list_add(&ev, T2026 + 3 * 3600 - 100, "t", SR_EV_UPDATE_SENT, "before");
	sr_event_list_add(&ev, T2026 + 3 * 3600 - 50, "t", SR_EV_ESCALATED,
			  "escalated L1 -> L3 (x, y)");
	sr_event_list_add(&ev, T2026 + 3 * 3600 + 10, "t", SR_EV_ESCALATED, "escalated oddly");
	assert_int_equal(st->ops->update(st, &inc, &ev, NULL, &err), 0);
	sr_event_list_done(&ev);
	sr_incident_done(&inc);
	assert_stats_windows(st, &cfg, now);
	assert_stats_match(st, &cfg, now, T2026 + 3 * 3600, now + 1, NULL);
	assert_stats_match(st, &cfg, now, T2026 + 3 * 3600 + 2000, now + 1, NULL);

	/* copied out of this store: the copy's summaries are its own events' */
	snprintf(copy_path, sizeof copy_path, "%s/copy.db", f->dir);
	copy = open_ok(copy_path);
	assert_int_equal(sr_store_copy(st, copy, &c, &err), 0);
	assert_int_equal(c.copied, 4);
	assert_stats_windows(copy, &cfg, now);
	sr_store_close(copy);
	sr_store_close(st);

	/* the store as the schema before the summary left it: the step fills it in place */
	downgrade_before_summary(f);
	st = open_ok(f->db);
	if (f->pg)
		assert_int_equal(fx_int(f, "SELECT version FROM schema_version"),
				 SR_PG_SCHEMA_VERSION);
	else
		assert_int_equal(fx_int(f, "PRAGMA user_version"), SR_SQLITE_SCHEMA_VERSION);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM incidents WHERE stats_events <> ''"), 4);
	assert_stats_windows(st, &cfg, now);
	assert_stats_match(st, &cfg, now, T2026 + 3 * 3600 + 2000, now + 1, NULL);
	/* and goes on being written */
	change_ok(st, &cfg, d, &up, T2026 + 25 * 3600);
	assert_stats_windows(st, &cfg, now);
	sr_store_close(st);
	sr_config_done(&cfg);
}

/*
 * A summary edited behind sitrep's back is read up to where it stops making sense: what
 * parsed counts, the rest is ignored (verify names the timeline's tampering; statistics
 * never read past the text or overflow on a number too long).
 */
static void
test_stats_summary_damaged(void **state)
{
	static const struct {
		const char *text;
		int64_t updates, escalations;
	} cases[] = {
		{ "u10;e2@x;u20;", 1, 0 },
		{ "u10;e3@20;u30", 1, 1 },
		{ "e2@5;u99999999999999999999999999;u1;", 0, 1 },
		{ "u-5;u", 1, 0 },
		{ "x;u5;", 0, 0 },
		{ "e99999999999@5;e0@5;e-1@5;u5;", 1, 0 },
	};
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_config cfg;
	char id[SR_ID_MAX], sql[256], msg[256], *err = NULL;

	sr_config_init(&cfg);
	assert_int_equal(create_plain(st, "damaged", T2026 + 5, id), 0);
	for (size_t i = 0; i < SR_ARRAY_LEN(cases); i++) {
		struct sr_stats_query q = { 0, T2026 + 1000, NULL };
		struct sr_stats s;
		int64_t esc = 0;

		snprintf(sql, sizeof sql, "UPDATE incidents SET stats_events = '%s'", cases[i].text);
		assert_int_equal(fx_exec(f, sql, msg, sizeof msg), 0);
		assert_int_equal(sr_store_stats(st, &cfg, T2026 + 1000, &q, &s, &err), 0);
		for (int l = 0; l < SR_LEVEL_COUNT; l++)
			esc += s.escalations[l];
		if (s.updates != cases[i].updates || esc != cases[i].escalations)
			fail_msg("%s: %lld updates, %lld escalations", cases[i].text,
				 (long long)s.updates, (long long)esc);
		sr_stats_done(&s);
	}
	sr_store_close(st);
	sr_config_done(&cfg);
}

/*
 * A database sitrep made at schema 8 (tests/fixtures/store/v8.sql, its CLI's commands listed
 * there) is upgraded in place, and its statistics are what that sitrep answered (its `stats
 * --json`, recorded) and what the events say.
 */
static void
test_migration_v8(void **state)
{
	struct fx *f = *state;
	struct sr_config cfg;
	struct sr_stats s;
	struct sr_stats_query q = { 1793491200, 1794268800, NULL };	/* Nov 1 .. Nov 10 */
	sr_time now = 1794268800;
	char mig[512], *err = NULL;
	struct sr_store *st;

	snprintf(mig, sizeof mig, "%s/v8.db", f->dir);
	load_fixture(mig, "v8.sql");
	assert_int_equal(sq_int(mig, "PRAGMA user_version"), 8);
	st = open_ok(mig);
	assert_int_equal(sq_int(mig, "PRAGMA user_version"), SR_SQLITE_SCHEMA_VERSION);
	sr_config_init(&cfg);
	assert_int_equal(sr_store_stats(st, &cfg, now, &q, &s, &err), 0);
	/* schema 8's answer: 3 incidents; L2 3, L3 3, L4 1; 6 updates, none on time */
	assert_int_equal(s.incidents, 3);
	assert_int_equal(s.escalations[1], 3);
	assert_int_equal(s.escalations[2], 3);
	assert_int_equal(s.escalations[3], 1);
	assert_int_equal(s.updates, 6);
	assert_int_equal(s.updates_on_time, 0);
	assert_int_equal(s.mttr.p90, 21600);
	sr_stats_done(&s);
	q.since = 1788220800;	/* Sep 1: the P4 of October too */
	assert_int_equal(sr_store_stats(st, &cfg, now, &q, &s, &err), 0);
	assert_int_equal(s.incidents, 4);
	assert_int_equal(s.escalations[1], 4);
	assert_int_equal(s.updates, 8);
	assert_int_equal(s.updates_on_time, 2);
	sr_stats_done(&s);
	assert_stats_match(st, &cfg, now, 1793491200, now, NULL);
	assert_stats_match(st, &cfg, now, 1793692800, now, NULL);	/* Nov 3 08:00 */
	sr_store_close(st);
	sr_config_done(&cfg);
	assert_fresh_schema(mig, f->dir);
}

/* A message stored with its "update sent" event, claimed once, delivered, never reused. */
static void
test_outbox(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db), *other = open_ok(f->db);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_outbox_msg m = { 0 };
	struct sr_outbox_list l = { 0 };
	struct sr_outbox_filter undelivered = { NULL, NULL, 1, 0 };
	const struct sr_outbox_claimer by111 = { 111, "here", 1000, 0 };
	const struct sr_outbox_claimer by222 = { 222, "there", 1000, 0 };
	char id[SR_ID_MAX], *err = NULL;
	int claimed = -1, conflict = -1;
	int64_t first;

	assert_int_equal(create_plain(st, "talked about", T2026, id), 0);
	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, id, &inc, &err), 0);
	snprintf(m.incident, sizeof m.incident, "%s", id);
	m.target = strdup("ops");
	m.kind = strdup("update");
	m.payload = strdup("{\"text\":\"hi\"}");
	m.text = strdup("hi");
	m.created_at = T2026 + 60;
	m.next_at = 1000;
	inc.last_update_at = T2026 + 60;
	sr_event_list_add(&ev, T2026 + 60, "alice", SR_EV_UPDATE_SENT, "hi");
	assert_int_equal(st->ops->send(st, &inc, &ev, &m, &conflict, &err), 0);
	assert_int_equal(conflict, 0);
	first = m.id;
	assert_true(first > 0);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events WHERE kind = 'update_sent'"), 1);
	sr_event_list_done(&ev);

	/* a stale writer: neither the event nor the message is stored */
	inc.version--;
	sr_event_list_add(&ev, T2026 + 70, "bob", SR_EV_UPDATE_SENT, "stale");
	assert_int_equal(st->ops->send(st, &inc, &ev, &m, &conflict, &err), -1);
	assert_int_equal(conflict, 1);
	assert_int_equal(m.id, first);
	free(err);
	err = NULL;
	sr_event_list_done(&ev);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events WHERE kind = 'update_sent'"), 1);

	assert_int_equal(st->ops->outbox_list(st, &undelivered, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].id, first);
	assert_int_equal(l.v[0].state, SR_OB_PENDING);
	assert_string_equal(l.v[0].payload, "{\"text\":\"hi\"}");
	assert_string_equal(l.v[0].incident, id);
	assert_null(l.v[0].ts);
	sr_outbox_list_done(&l);

	/* two senders (two connections): exactly one claims it */
	assert_int_equal(st->ops->outbox_claim(st, first, SR_OB_PENDING, &by111, &claimed, &err), 0);
	assert_int_equal(claimed, 1);
	assert_int_equal(other->ops->outbox_claim(other, first, SR_OB_PENDING, &by222, &claimed,
						  &err), 0);
	assert_int_equal(claimed, 0);
	m.state = SR_OB_SENT;
	m.attempts = 1;
	m.claimed_by = 0;
	m.sent_ms = 1772359260123LL;
	m.ts = strdup("1772359260.000100");
	assert_int_equal(st->ops->outbox_set(st, &m, &err), 0);
	assert_int_equal(st->ops->outbox_list(st, &undelivered, &l, &err), 0);
	assert_int_equal(l.n, 0);
	sr_outbox_list_done(&l);
	assert_int_equal(other->ops->outbox_list(other, NULL, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].state, SR_OB_SENT);
	assert_int_equal(l.v[0].attempts, 1);
	assert_int_equal(l.v[0].sent_ms, 1772359260123LL);
	assert_string_equal(l.v[0].ts, "1772359260.000100");
	sr_outbox_list_done(&l);
	/* a delivered message cannot be dropped, nor claimed again */
	assert_int_equal(st->ops->outbox_drop(st, first, &err), -1);
	assert_non_null(strstr(err, "no undelivered message"));
	free(err);
	err = NULL;
	assert_int_equal(st->ops->outbox_claim(st, first, SR_OB_PENDING, &by111, &claimed, &err), 0);
	assert_int_equal(claimed, 0);

	/* a dropped message's id is never given again (it is what finds a delivery) */
	sr_event_list_add(&ev, T2026 + 80, "alice", SR_EV_UPDATE_SENT, "second");
	assert_int_equal(st->ops->send(st, &inc, &ev, &m, &conflict, &err), -1);	/* stale */
	free(err);
	err = NULL;
	sr_incident_done(&inc);
	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, id, &inc, &err), 0);
	assert_int_equal(st->ops->send(st, &inc, &ev, &m, &conflict, &err), 0);
	assert_true(m.id > first);
	first = m.id;
	assert_int_equal(st->ops->outbox_drop(st, first, &err), 0);
	sr_event_list_done(&ev);
	sr_event_list_add(&ev, T2026 + 90, "alice", SR_EV_UPDATE_SENT, "third");
	assert_int_equal(st->ops->send(st, &inc, &ev, &m, &conflict, &err), 0);
	assert_true(m.id > first);
	sr_event_list_done(&ev);
	sr_outbox_msg_done(&m);
	sr_incident_done(&inc);
	sr_store_close(other);
	sr_store_close(st);
}

/* On-call overrides: added, listed by rotation (any case) and end, removed, checked. */
static void
test_overrides(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_override o = { 0 };
	struct sr_override_list l = { 0 };
	char *err = NULL;
	const struct {
		const char *rot, *who;
		sr_time from, until;
	} add[] = {
		{ "primary", "eve", T2026 + 7200, T2026 + 10800 },
		{ "Primary", "dan", T2026, T2026 + 3600 },
		{ "secondary", "fay", T2026, T2026 + 60 },
	};
	int64_t ids[3];

	for (size_t i = 0; i < 3; i++) {
		o.rotation = (char *)add[i].rot;
		o.who = (char *)add[i].who;
		o.from = add[i].from;
		o.until = add[i].until;
		o.created = T2026 - 100;
		o.created_by = (char *)"alice";
		assert_int_equal(st->ops->override_add(st, &o, &err), 0);
		ids[i] = o.id;
		assert_true(i == 0 || ids[i] > ids[i - 1]);
	}
	assert_int_equal(st->ops->override_list(st, "PRIMARY", T2026, INT64_MAX, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].who, "dan");	/* by start */
	assert_string_equal(l.v[1].who, "eve");
	assert_int_equal(l.v[1].until, T2026 + 10800);
	assert_string_equal(l.v[1].created_by, "alice");
	assert_int_equal(l.v[1].created, T2026 - 100);
	sr_override_list_done(&l);
	assert_int_equal(st->ops->override_list(st, NULL, T2026 + 3600, INT64_MAX, &l, &err), 0);
	assert_int_equal(l.n, 1);	/* dan's ended at that moment; fay's before */
	sr_override_list_done(&l);
	/* a window: those starting before its end only (eve starts exactly at it) */
	assert_int_equal(st->ops->override_list(st, NULL, T2026 - 1, T2026 + 7200, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].who, "dan");
	assert_string_equal(l.v[1].who, "fay");
	sr_override_list_done(&l);
	assert_int_equal(st->ops->override_list(st, NULL, T2026 - 1, T2026 + 7201, &l, &err), 0);
	assert_int_equal(l.n, 3);
	sr_override_list_done(&l);
	assert_int_equal(st->ops->override_remove(st, ids[0], &err), 0);
	assert_int_equal(st->ops->override_remove(st, ids[0], &err), -1);
	assert_non_null(strstr(err, "no override"));
	free(err);
	err = NULL;
	/* an empty stretch is refused by the database itself */
	o.from = o.until;
	assert_int_equal(st->ops->override_add(st, &o, &err), -1);
	free(err);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM oncall_overrides"), 2);
	sr_store_close(st);
}

/*
 * store migrate's copy from this backend to a SQLite file and back into a fresh store of
 * this backend: review fields, action items, chains, overrides and outbox messages verbatim,
 * twice without duplicating, the sums equal.
 */
static void
test_copy_everything(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db), *mid, *back;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_outbox_msg m = { 0 };
	struct sr_override o = { 0 };
	struct sr_store_copied c;
	char path[600], back_where[600], *err = NULL;
	int conflict;

	plain_incident(&inc, "migrated", T2026);
	inc.review[SR_RV_SUMMARY] = strdup("summed up");
	assert_int_equal(sr_incident_action_add(&inc, "fix it", "bob", T2026 + 86400,
						SR_AK_PREVENT, "alice", T2026, &ev, &err), 0);
	assert_int_equal(st->ops->create(st, &inc, &ev, &err), 0);
	sr_event_list_done(&ev);
	snprintf(m.incident, sizeof m.incident, "%s", inc.id);
	m.target = strdup("ops");
	m.kind = strdup("update");
	m.payload = strdup("{}");
	m.text = strdup("going out");
	m.created_at = T2026;
	sr_event_list_add(&ev, T2026 + 1, "alice", SR_EV_UPDATE_SENT, "going out");
	assert_int_equal(st->ops->send(st, &inc, &ev, &m, &conflict, &err), 0);
	sr_event_list_done(&ev);
	{
		/* a claim from another host travels with the message */
		const struct sr_outbox_claimer by = { 4242, "box-a", 1234567, 0 };
		int claimed = 0;

		assert_int_equal(st->ops->outbox_claim(st, m.id, SR_OB_PENDING, &by, &claimed, &err),
				 0);
		assert_int_equal(claimed, 1);
	}
	o.rotation = (char *)"primary";
	o.who = (char *)"dan";
	o.from = T2026;
	o.until = T2026 + 60;
	o.created_by = (char *)"alice";
	assert_int_equal(st->ops->override_add(st, &o, &err), 0);

	snprintf(path, sizeof path, "%s/copy.db", f->dir);
	mid = open_ok(path);
	assert_int_equal(sr_store_copy(st, mid, &c, &err), 0);
	assert_int_equal(c.copied, 1);
	assert_int_equal(c.overrides, 1);
	assert_int_equal(c.messages, 1);
	assert_int_equal(c.chained, 2);
	assert_int_equal(c.to.actions, 1);
	assert_true(c.from.checksum == c.to.checksum);
	assert_int_equal(sr_store_copy(st, mid, &c, &err), 0);	/* again: nothing new */
	assert_int_equal(c.copied + c.overrides + c.messages, 0);
	assert_int_equal(c.existed, 1);

	/* and back, into a fresh store of this backend */
	if (f->pg)
		snprintf(back_where, sizeof back_where, "%s_b", f->db);
	else
		snprintf(back_where, sizeof back_where, "%s/back.db", f->dir);
	back = open_ok(back_where);
	assert_int_equal(sr_store_copy(mid, back, &c, &err), 0);
	assert_int_equal(c.copied, 1);
	{
		struct sr_store_sum a, b;
		struct sr_incident got;
		struct sr_outbox_list l = { 0 };

		assert_int_equal(sr_store_sum(st, &a, &err), 0);
		assert_int_equal(sr_store_sum(back, &b, &err), 0);
		assert_true(a.checksum == b.checksum);
		sr_incident_init(&got);
		assert_int_equal(back->ops->get(back, inc.id, &got, &err), 0);
		assert_string_equal(got.review[SR_RV_SUMMARY], "summed up");
		assert_int_equal(got.actions[0].id, inc.actions[0].id);
		sr_incident_done(&got);
		assert_int_equal(back->ops->outbox_list(back, NULL, &l, &err), 0);
		assert_int_equal(l.n, 1);
		assert_int_equal(l.v[0].id, m.id);
		assert_string_equal(l.v[0].claimed_host, "box-a");
		assert_int_equal(l.v[0].claimed_at, 1234567);
		assert_int_equal(l.v[0].claimed_by, 4242);
		sr_outbox_list_done(&l);
		/* new rows get ids past the copied ones */
		o.id = 0;
		assert_int_equal(back->ops->override_add(back, &o, &err), 0);
		assert_true(o.id > 1);
	}
	/*
	 * A source whose timeline was edited behind sitrep's back: the copy is chained afresh
	 * from what is stored, so its chain head differs from the source's recorded one and
	 * the copy is refused, not passed off as verified.
	 */
	assert_int_equal(sq_exec(path, "DROP TRIGGER events_no_update; UPDATE events SET detail = "
			       "'rewritten' WHERE kind = 'update_sent'", NULL, 0), SQLITE_OK);
	sr_store_close(mid);
	mid = open_ok(path);
	sr_store_close(back);
	snprintf(path, sizeof path, "%s/third.db", f->dir);
	back = open_ok(path);
	assert_int_equal(sr_store_copy(mid, back, &c, &err), -1);
	assert_non_null(strstr(err, "differ after the copy"));
	free(err);
	err = NULL;
	if (f->pg) {
		char sql[128];

		snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS \"%s_b\" CASCADE", f->schema);
		fx_exec(f, sql, NULL, 0);
	}
	sr_outbox_msg_done(&m);
	sr_incident_done(&inc);
	sr_store_close(back);
	sr_store_close(mid);
	sr_store_close(st);
}

/*
 * A version 1 store (what sitrep kept on PostgreSQL before the outbox, the chain, reviews and
 * overrides) with events: opening it migrates to version 2 in one step and chains the
 * stored events exactly as sitrep would have, append-only guard back in place.
 */
static void
test_pg_migration_v2(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	char ids[2][SR_ID_MAX], heads[2][SR_HASH_HEX], head[SR_HASH_HEX], msg[256], *err = NULL;
	int64_t n;
	struct sr_chain_check c;

	for (int k = 0; k < 2; k++) {
		assert_int_equal(create_plain(st, "old", T2026 + k, ids[k]), 0);
		add_note(st, ids[k], "one", T2026 + 10);
		if (k == 0)
			add_note(st, ids[k], "two", T2026 + 20);
		assert_int_equal(st->ops->chain_head(st, ids[k], &n, heads[k], &err), 0);
		assert_int_equal(n, k == 0 ? 3 : 2);
	}
	sr_store_close(st);
	/* back to version 1, as an older sitrep left it */
	assert_int_equal(fx_exec(f, "DROP TABLE outbox, event_chain, incident_review, actions, "
				 "oncall_overrides; DROP INDEX incidents_stats; "
				 "ALTER TABLE incidents DROP COLUMN stats_events; "
				 "ALTER TABLE events DROP COLUMN pos, DROP COLUMN hash; "
				 "UPDATE schema_version SET version = 1", msg, sizeof msg), 0);
	st = open_ok(f->db);
	assert_int_equal(fx_int(f, "SELECT version FROM schema_version"), SR_PG_SCHEMA_VERSION);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(st->ops->chain_head(st, ids[k], &n, head, &err), 0);
		assert_int_equal(n, k == 0 ? 3 : 2);
		assert_string_equal(head, heads[k]);
	}
	chain_check(st, NULL, &c);
	assert_int_equal(c.n_found, 0);
	assert_int_equal(c.events, 5);
	sr_chain_check_done(&c);
	assert_int_equal(fx_exec(f, "UPDATE events SET detail = 'x'", msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "append-only"));
	/* and the new tables work */
	add_note(st, ids[1], "after", T2026 + 30);
	assert_int_equal(st->ops->chain_head(st, ids[1], &n, head, &err), 0);
	assert_int_equal(n, 3);
	sr_store_close(st);
}

/* SQLite's plan for sql: the detail column of EXPLAIN QUERY PLAN, allocated. */
static char *
sq_plan(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql), *out = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(stmt, 3);
		size_t n = (out != NULL ? strlen(out) : 0) + strlen(t != NULL ? t : "") + 2;
		char *grown = realloc(out, n);

		assert_non_null(grown);
		if (out == NULL)
			grown[0] = '\0';
		out = grown;
		strcat(out, t != NULL ? t : "");
		strcat(out, "\n");
	}
	sqlite3_finalize(stmt);
	sqlite3_free(q);
	sqlite3_close(db);
	return out != NULL ? out : calloc(1, 1);
}

/* A pid that ran here and is gone now (a reaped child's). */
static int64_t
dead_pid(void)
{
	pid_t p = fork();

	assert_true(p >= 0);
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return (int64_t)p;
}

/*
 * Senders on several hosts: a claim records host, pid and time; one made on another host is
 * never judged dead by a local pid check (its pid may be anybody's here) but taken over once
 * its lease ran out, by one recoverer only; one made here is judged by its pid.
 */
static void
test_outbox_hosts(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_outbox_msg m = { 0 };
	struct sr_outbox_list l = { 0 };
	struct sr_target tg = { 0 };
	struct sr_config cfg = { 0 };
	struct sr_outbox_pass pass;
	int64_t gone = dead_pid(), lease;
	const struct sr_outbox_claimer far = { gone, "box-b", 5000, 0 };
	struct sr_outbox_claimer me = { (int64_t)getpid(), "box-a", 0, 0 };
	char id[SR_ID_MAX], *err = NULL;
	int claimed = -1, conflict = -1;

	tg.name = (char *)"ops";
	tg.type = SR_TARGET_SLACK;
	tg.webhook = (char *)"https://hooks.example.com/x";
	tg.t.connect_timeout_ms = 3000;
	tg.t.timeout_ms = 10000;
	cfg.targets = &tg;
	cfg.n_targets = 1;
	lease = sr_outbox_lease_ms(&tg);
	assert_int_equal(lease, 300000);

	assert_int_equal(create_plain(st, "far away", T2026, id), 0);
	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, id, &inc, &err), 0);
	snprintf(m.incident, sizeof m.incident, "%s", id);
	m.target = strdup("ops");
	m.kind = strdup("update");
	m.payload = strdup("{}");
	m.text = strdup("hello");
	m.created_at = T2026;
	sr_event_list_add(&ev, T2026 + 1, "alice", SR_EV_UPDATE_SENT, "hello");
	assert_int_equal(st->ops->send(st, &inc, &ev, &m, &conflict, &err), 0);
	assert_int_equal(st->ops->outbox_claim(st, m.id, SR_OB_PENDING, &far, &claimed, &err), 0);
	assert_int_equal(claimed, 1);
	assert_int_equal(st->ops->outbox_list(st, NULL, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].state, SR_OB_SENDING);
	assert_int_equal(l.v[0].claimed_by, gone);
	assert_string_equal(l.v[0].claimed_host, "box-b");
	assert_int_equal(l.v[0].claimed_at, 5000);

	/* the pid is dead here, but it was box-b's: only the lease tells */
	me.at_ms = 5000 + lease - 1;
	assert_int_equal(sr_outbox_claim_stale(&l.v[0], &me, lease), 0);
	assert_int_equal(sr_outbox_deliver_as(st, &cfg, NULL, &me, &pass, &err), 0);
	assert_int_equal(pass.recovered, 0);
	me.at_ms = 5000 + lease;
	assert_int_equal(sr_outbox_claim_stale(&l.v[0], &me, lease), 1);
	/* a claim made here: its pid decides, at once, whatever the lease */
	me.at_ms = 5001;
	free(l.v[0].claimed_host);
	l.v[0].claimed_host = strdup("box-a");
	assert_int_equal(sr_outbox_claim_stale(&l.v[0], &me, lease), 1);
	l.v[0].claimed_by = (int64_t)getppid();
	assert_int_equal(sr_outbox_claim_stale(&l.v[0], &me, lease), 0);
	l.v[0].claimed_by = me.pid;	/* this sender's own */
	assert_int_equal(sr_outbox_claim_stale(&l.v[0], &me, lease), 0);
	sr_outbox_list_done(&l);

	/* taking a claim over is compare-and-set on the claim seen: one recoverer goes on */
	{
		struct sr_outbox_claimer a = { 7, "box-c", 9000, 4999 }, b = { 8, "box-d", 9000, 5000 };

		assert_int_equal(st->ops->outbox_claim(st, m.id, SR_OB_SENDING, &a, &claimed, &err),
				 0);
		assert_int_equal(claimed, 0);	/* not the claim it saw */
		assert_int_equal(st->ops->outbox_claim(st, m.id, SR_OB_SENDING, &b, &claimed, &err),
				 0);
		assert_int_equal(claimed, 1);
		assert_int_equal(st->ops->outbox_claim(st, m.id, SR_OB_SENDING, &b, &claimed, &err),
				 0);
		assert_int_equal(claimed, 0);	/* taken already: it is box-d's now */
	}
	/* box-d's lease runs out: a webhook message becomes "unknown" (it may have arrived) */
	me.at_ms = 9000 + lease;
	assert_int_equal(sr_outbox_deliver_as(st, &cfg, NULL, &me, &pass, &err), 0);
	assert_int_equal(pass.recovered, 1);
	assert_int_equal(st->ops->outbox_list(st, NULL, &l, &err), 0);
	assert_int_equal(l.v[0].state, SR_OB_UNKNOWN);
	assert_null(l.v[0].claimed_host);
	assert_int_equal(l.v[0].claimed_at, 0);
	assert_int_equal(l.v[0].claimed_by, 0);
	sr_outbox_list_done(&l);
	sr_event_list_done(&ev);
	sr_outbox_msg_done(&m);
	sr_incident_done(&inc);
	sr_store_close(st);
}

/*
 * The step that added the claim's host (SQLite 7 -> 8, PostgreSQL 2 -> 3): a store of the
 * version before, with a message claimed the old way, is migrated in place; the old claim
 * reads with no host (so only its lease can free it) and statistics get their index.
 */
static void
test_migration_claim_host(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_outbox_list l = { 0 };
	char id[SR_ID_MAX], msg[256], *err = NULL;

	assert_int_equal(create_plain(st, "before", T2026, id), 0);
	sr_store_close(st);
	/* the version before, as that sitrep left it (the partial indexes of events too) */
	if (f->pg)
		assert_int_equal(fx_exec(f, "DROP INDEX incidents_stats; ALTER TABLE outbox DROP "
					 "COLUMN claimed_host, DROP COLUMN claimed_at; ALTER TABLE "
					 "incidents DROP COLUMN stats_events; CREATE INDEX "
					 "events_escalated ON events (at, incident_id, detail) WHERE "
					 "kind = 'escalated'; CREATE INDEX events_update_sent ON events "
					 "(at, incident_id) WHERE kind = 'update_sent'; "
					 "UPDATE schema_version SET version = 2", msg, sizeof msg), 0);
	else
		assert_int_equal(fx_exec(f, "DROP INDEX incidents_stats; ALTER TABLE outbox DROP "
					 "COLUMN claimed_host; ALTER TABLE outbox DROP COLUMN "
					 "claimed_at; ALTER TABLE incidents DROP COLUMN stats_events; "
					 "CREATE INDEX events_escalated ON events (at, incident_id, "
					 "detail) WHERE kind = 'escalated'; CREATE INDEX "
					 "events_update_sent ON events (at, incident_id) WHERE kind = "
					 "'update_sent'; PRAGMA user_version = 7", msg, sizeof msg), 0);
	{
		char sql[512];

		snprintf(sql, sizeof sql, "INSERT INTO outbox (incident_id, target, kind, payload, "
			 "text, state, claimed_by, created_at, next_at) VALUES ('%s', 'ops', "
			 "'update', '{}', 'old', 'sending', 4321, %lld, 0)", id, (long long)T2026);
		assert_int_equal(fx_exec(f, sql, msg, sizeof msg), 0);
	}
	st = open_ok(f->db);
	if (f->pg) {
		assert_int_equal(fx_int(f, "SELECT version FROM schema_version"),
				 SR_PG_SCHEMA_VERSION);
		assert_int_equal(fx_int(f, "SELECT count(*) FROM pg_indexes WHERE indexname = "
				     "'incidents_stats' AND schemaname = current_schema()"), 1);
	} else {
		char *plan;

		assert_int_equal(fx_int(f, "PRAGMA user_version"), SR_SQLITE_SCHEMA_VERSION);
		plan = sq_plan(f->db, "SELECT " SR_STORE_STATS_COLS " FROM incidents WHERE "
			       "created_at >= ?1 AND created_at < ?2 AND (?3 IS NULL OR service = ?3)");
		if (strstr(plan, "COVERING INDEX incidents_stats") == NULL)
			fail_msg("plan: %s", plan);
		free(plan);
	}
	/* statistics read no event: the partial indexes that served them are gone */
	assert_int_equal(fx_int(f, f->pg ? "SELECT count(*) FROM pg_indexes WHERE indexname "
				"IN ('events_escalated', 'events_update_sent') AND schemaname = "
				"current_schema()" : "SELECT count(*) FROM sqlite_schema WHERE name "
				"IN ('events_escalated', 'events_update_sent')"), 0);
	assert_int_equal(st->ops->outbox_list(st, NULL, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].claimed_by, 4321);
	assert_null(l.v[0].claimed_host);
	assert_int_equal(l.v[0].claimed_at, 0);
	sr_outbox_list_done(&l);
	sr_store_close(st);
}

#define BOTH(setup_fn) \
	cmocka_unit_test_setup_teardown(test_round_trip, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_id_sequence, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_concurrent_writers, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_update_conflict, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_concurrent_update, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_unknown_id, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_failed_create, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_append_only, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_feed_cache, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_list_recent, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_live_changes, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_import, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_chain_tamper, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_review_actions, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_stats_rows, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_stats_summary, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_stats_summary_damaged, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_outbox, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_outbox_hosts, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_migration_claim_host, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_overrides, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_copy_everything, setup_fn, teardown)

/* An empty file that carries another program's application_id is refused and left as it was. */
static void
test_foreign_application_id(void **state)
{
	struct fx *f = *state;
	char path[160], *err = NULL;

	snprintf(path, sizeof path, "%s/app.db", f->dir);
	assert_int_equal(sq_exec(path, "PRAGMA application_id = 42", NULL, 0), SQLITE_OK);
	assert_null(sr_store_open(path, &err));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "some other program"));
	free(err);
	err = NULL;
	assert_int_equal(sq_int(path, "PRAGMA application_id"), 42);
	assert_int_equal(sq_int(path, "PRAGMA user_version"), 0);
	assert_int_equal(sq_int(path, "SELECT count(*) FROM sqlite_schema"), 0);

	/* a schema version but someone else's id: not ours either */
	snprintf(path, sizeof path, "%s/app2.db", f->dir);
	assert_int_equal(sq_exec(path, "PRAGMA application_id = 42; PRAGMA user_version = 2",
				  NULL, 0), SQLITE_OK);
	assert_null(sr_store_open(path, &err));
	assert_non_null(strstr(err, "not a sitrep database (application id 42"));
	free(err);
	err = NULL;
	assert_int_equal(sq_int(path, "PRAGMA user_version"), 2);
	assert_int_equal(sq_int(path, "SELECT count(*) FROM sqlite_schema"), 0);

	/* an empty file with no id at all is a new store */
	snprintf(path, sizeof path, "%s/new.db", f->dir);
	assert_int_equal(sq_exec(path, "PRAGMA user_version = 0", NULL, 0), SQLITE_OK);
	sr_store_close(open_ok(path));
	assert_int_equal(sq_int(path, "PRAGMA application_id"), 0x53495452);
	assert_int_equal(sq_int(path, "PRAGMA user_version"), SR_SQLITE_SCHEMA_VERSION);
}

/* An event whose kind could not be read back is refused, and nothing of the incident is kept. */
static void
test_invalid_event_kind(void **state)
{
	struct fx *f = *state;
	struct sr_store *st = open_ok(f->db);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL, id[SR_ID_MAX];

	plain_incident(&inc, "bad kind", T2026);
	sr_event_list_add(&ev, T2026, "tester", SR_EV_CREATED, "created");
	sr_event_list_add(&ev, T2026, "tester", (enum sr_event_kind)999, "what is this");
	assert_int_equal(st->ops->create(st, &inc, &ev, &err), -1);
	assert_non_null(strstr(err, "invalid timeline event kind 999"));
	free(err);
	err = NULL;
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	assert_int_equal(sq_int(f->db, "SELECT count(*) FROM incidents"), 0);
	assert_int_equal(sq_int(f->db, "SELECT count(*) FROM events"), 0);
	/* the store still works, and the number was not used up */
	assert_int_equal(create_plain(st, "good", T2026, id), 0);
	assert_string_equal(id, "INC-2026-001");
	sr_store_close(st);
}

/* The values a verbatim copy writes, read back as a backend's row would give them. */
static const char *
vrow_text(const struct sr_store_row *r, int col)
{
	const struct sr_store_val *v = r->res;

	return v[col].is_num ? NULL : v[col].text;
}

static int64_t
vrow_num(const struct sr_store_row *r, int col)
{
	const struct sr_store_val *v = r->res;

	return v[col].is_num ? v[col].num : 0;
}

static int
vrow_is_int(const struct sr_store_row *r, int col)
{
	return ((const struct sr_store_val *)r->res)[col].is_num;
}

/* The position of name in a column list such as SR_STORE_OUTBOX_COLS, or -1. */
static int
col_of(const char *cols, const char *name)
{
	int i = 0;

	for (const char *p = cols; *p != '\0'; i++) {
		size_t n = strcspn(p, ",");

		if (n == strlen(name) && strncmp(p, name, n) == 0)
			return i;
		p += n;
		p += strspn(p, ", ");
	}
	return -1;
}

/*
 * sr_store_outbox_vals / sr_store_override_vals write each field in the column the row
 * readers read it from (one table for both ways), with the NOT NULL columns filled.
 */
static void
test_copy_values(void **state)
{
	struct sr_store_val v[SR_STORE_OUTBOX_NCOLS];
	struct sr_store_row row = { vrow_text, vrow_num, vrow_is_int, v, 0 };
	struct sr_outbox_msg m = { .id = 7, .target = "ops", .kind = "update", .payload = "{}",
				   .text = "hello", .error = "boom", .ts = "1.2",
				   .state = SR_OB_SENDING, .attempts = 3, .claimed_by = 42,
				   .claimed_host = "host-a", .claimed_at = 1001, .created_at = 1002,
				   .next_at = 1003, .sent_ms = 1004 };
	struct sr_outbox_msg b;
	struct sr_override o = { .id = 9, .rotation = "primary", .who = "alice", .from = 100,
				 .until = 200, .created = 50, .created_by = "bob" }, ob;

	(void)state;
	snprintf(m.incident, sizeof m.incident, "INC-2026-004");
	memset(v, 0xa5, sizeof v);
	sr_store_outbox_vals(&m, v);
	/* in the columns the SQL names */
	assert_string_equal(v[col_of(SR_STORE_OUTBOX_COLS, "incident_id")].text, "INC-2026-004");
	assert_string_equal(v[col_of(SR_STORE_OUTBOX_COLS, "target")].text, "ops");
	assert_string_equal(v[col_of(SR_STORE_OUTBOX_COLS, "payload")].text, "{}");
	assert_string_equal(v[col_of(SR_STORE_OUTBOX_COLS, "state")].text, "sending");
	assert_string_equal(v[col_of(SR_STORE_OUTBOX_COLS, "claimed_host")].text, "host-a");
	assert_int_equal(v[col_of(SR_STORE_OUTBOX_COLS, "attempts")].num, 3);
	assert_int_equal(v[col_of(SR_STORE_OUTBOX_COLS, "next_at")].num, 1003);
	assert_int_equal(v[col_of(SR_STORE_OUTBOX_COLS, "claimed_at")].num, 1001);
	assert_int_equal(col_of(SR_STORE_OUTBOX_COLS, "claimed_at"), SR_STORE_OUTBOX_NCOLS - 1);
	sr_store_read_outbox(&row, &b);
	assert_int_equal(b.id, 7);
	assert_string_equal(b.incident, "INC-2026-004");
	assert_string_equal(b.target, "ops");
	assert_string_equal(b.kind, "update");
	assert_string_equal(b.payload, "{}");
	assert_string_equal(b.text, "hello");
	assert_string_equal(b.error, "boom");
	assert_string_equal(b.ts, "1.2");
	assert_int_equal(b.state, SR_OB_SENDING);
	assert_int_equal(b.attempts, 3);
	assert_int_equal(b.claimed_by, 42);
	assert_string_equal(b.claimed_host, "host-a");
	assert_int_equal(b.claimed_at, 1001);
	assert_int_equal(b.created_at, 1002);
	assert_int_equal(b.next_at, 1003);
	assert_int_equal(b.sent_ms, 1004);
	sr_outbox_msg_done(&b);
	/* text is NOT NULL; an unset error stays NULL */
	m.text = NULL;
	m.error = NULL;
	sr_store_outbox_vals(&m, v);
	assert_string_equal(v[5].text, "");
	assert_false(v[6].is_num);
	assert_null(v[6].text);

	memset(v, 0xa5, sizeof v);
	sr_store_override_vals(&o, v);
	assert_string_equal(v[col_of(SR_STORE_OVERRIDE_COLS, "who")].text, "alice");
	assert_int_equal(v[col_of(SR_STORE_OVERRIDE_COLS, "ends_at")].num, 200);
	assert_int_equal(col_of(SR_STORE_OVERRIDE_COLS, "created_by"), SR_STORE_OVERRIDE_NCOLS - 1);
	sr_store_read_override(&row, &ob);
	assert_int_equal(ob.id, 9);
	assert_string_equal(ob.rotation, "primary");
	assert_string_equal(ob.who, "alice");
	assert_int_equal(ob.from, 100);
	assert_int_equal(ob.until, 200);
	assert_int_equal(ob.created, 50);
	assert_string_equal(ob.created_by, "bob");
	sr_override_done(&ob);
	o.created_by = NULL;
	sr_store_override_vals(&o, v);
	assert_string_equal(v[6].text, "unknown");
}

int
main(void)
{
	const struct CMUnitTest sqlite_tests[] = {
		BOTH(setup),
		cmocka_unit_test_setup_teardown(test_migration_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_ours, setup, teardown),
		cmocka_unit_test(test_postgres_url),
		cmocka_unit_test(test_copy_values),
		cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_safety, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_cache_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_v8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_application_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_event_kind, setup, teardown),
	};
	const struct CMUnitTest pg_tests[] = {
		BOTH(setup_pg),
		cmocka_unit_test_setup_teardown(test_pg_schema, setup_pg, teardown),
		cmocka_unit_test_setup_teardown(test_pg_reconnect, setup_pg, teardown),
		cmocka_unit_test_setup_teardown(test_pg_migration_v2, setup_pg, teardown),
	};
	int rc;

	pg_url = getenv("SITREP_TEST_PG");
	if (pg_url != NULL && *pg_url == '\0')
		pg_url = NULL;
	/* SITREP_TEST_BACKEND=postgresql runs only the PostgreSQL group (store_pg.sh). */
	if (pg_url != NULL && getenv("SITREP_TEST_BACKEND") != NULL &&
	    strcmp(getenv("SITREP_TEST_BACKEND"), "postgresql") == 0)
		return cmocka_run_group_tests_name("store on postgresql", pg_tests, NULL, NULL);
	rc = cmocka_run_group_tests_name("store on sqlite", sqlite_tests, NULL, NULL);
	if (pg_url == NULL) {
		print_message("store on postgresql: skipped (SITREP_TEST_PG not set; "
			      "tests/integration/store_pg.sh runs it against a real server)\n");
		return rc;
	}
	return rc | cmocka_run_group_tests_name("store on postgresql", pg_tests, NULL, NULL);
}

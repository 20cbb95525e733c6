/* SPDX-License-Identifier: MIT */
/* test_chain.c: SHA-256 (NIST vectors), the timeline hash chain, its migration and tampering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "chain.h"
#include "change.h"
#include "outbox.h"
#include "store.h"
#include "tmpdir.h"

static char dir[256];

static int
setup(void **state)
{
	sr_test_tmp(dir, sizeof dir, "sitrep-chain");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Runs sql on the file as the sqlite3 shell would (no sitrep involved). */
static void
raw(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static void
load_fixture(const char *path, const char *name)
{
	char fixture[512], *sql = NULL, *err = NULL;
	size_t n;

	snprintf(fixture, sizeof fixture, "%s/store/%s", SR_FIXTURES, name);
	assert_int_equal(sr_read_file(fixture, 1 << 20, &sql, &n, &err), 0);
	raw(path, sql);
	free(sql);
}

/* --- SHA-256 against the FIPS 180-4 examples (NIST CSRC) --- */

static void
test_sha256_nist(void **state)
{
	char out[SR_HASH_HEX], *million = malloc(1000000);

	sr_sha256_hex("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sr_sha256_hex("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sr_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, out);
	assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', 1000000);
	sr_sha256_hex(million, 1000000, out);
	assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* Length-prefixed fields: moving a byte from one field to the next changes the hash. */
static void
test_hash_fields_unambiguous(void **state)
{
	char a[SR_HASH_HEX], b[SR_HASH_HEX];

	sr_chain_hash("", 1, "INC-2026-001", 10, "ab", "note", "c", a);
	sr_chain_hash("", 1, "INC-2026-001", 10, "a", "note", "bc", b);
	assert_string_not_equal(a, b);
	sr_chain_hash("", 2, "INC-2026-001", 10, "ab", "note", "c", b);
	assert_string_not_equal(a, b);
}

/* --- verify through the store --- */

/* Runs the checker over id (NULL: all) and returns it (caller calls sr_chain_check_done). */
static void
check(struct sr_store *st, const char *id, struct sr_chain_check *c)
{
	char *err = NULL;

	sr_chain_check_init(c);
	if (st->ops->chain_walk(st, id, sr_chain_check_row, c, &err) != 0)
		fail_msg("%s", err);
	sr_chain_check_end(c);
}

static struct sr_store *
open_ok(const char *path)
{
	char *err = NULL;
	struct sr_store *st = sr_store_open(path, &err);

	if (st == NULL)
		fail_msg("%s", err);
	return st;
}

static void
test_migration_chains_fixtures(void **state)
{
	static const struct {
		const char *fixture, *id, *head;
		int64_t n;
	} want[] = {
		/* computed independently with Python's hashlib over the fixture rows */
		{ "v1.sql", "INC-2026-001",
		  "1d7775f5444d727225fcf62ffe8fda32c9e1d1b60bdbce651056dbe88c3f246d", 6 },
		{ "v1.sql", "INC-2026-002",
		  "6b7c0100ce603fa4c7e4bc29b1467b7fcf4e7d6a9d1d962fedaed73ab164ece6", 3 },
		{ "v2.sql", "INC-2026-001",
		  "00b3379c7c203e0aca4b4d3833c6f2696b20dc3271c0ca7b9649019d307238f7", 1 },
	};

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char path[512], head[SR_HASH_HEX], *err = NULL;
		struct sr_store *st;
		struct sr_chain_check c;
		int64_t n;

		snprintf(path, sizeof path, "%s/m%zu.db", dir, i);
		load_fixture(path, want[i].fixture);
		st = open_ok(path);
		assert_int_equal(st->ops->chain_head(st, want[i].id, &n, head, &err), 0);
		assert_int_equal(n, want[i].n);
		assert_string_equal(head, want[i].head);
		check(st, NULL, &c);
		assert_int_equal(c.n_found, 0);
		sr_chain_check_done(&c);
		sr_store_close(st);
		/* The append-only trigger was put back after the backfill. */
		{
			sqlite3 *db;

			assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
			assert_int_equal(sqlite3_exec(db, "UPDATE events SET detail = 'x'", NULL,
						      NULL, NULL), SQLITE_CONSTRAINT);
			sqlite3_close(db);
		}
	}
}

/* A store with INC-2026-001 (events 1..5) and INC-2026-002 (events 6..7) written by sitrep. */
static struct sr_store *
seeded(const char *path, const struct sr_config *cfg)
{
	struct sr_store *st;
	char *err = NULL;
	const char *notes[] = { "one", "two", "three", "four" };

	unlink(path);
	st = open_ok(path);
	for (int k = 0; k < 2; k++) {
		struct sr_incident inc;
		struct sr_event_list ev = { 0 };

		assert_int_equal(sr_incident_new(&inc, k ? "B" : "A", NULL, SR_SEV_P2, NULL, "t",
						 1772359200, &ev, &err), 0);
		assert_int_equal(st->ops->create(st, &inc, &ev, &err), 0);
		for (int j = 0; j < (k ? 1 : 4); j++) {
			struct sr_change ch = { .op = SR_CH_NOTE, .a = notes[j] };

			assert_int_equal(sr_change_commit(st, inc.id, &ch, cfg, "t",
							  1772359300 + j, NULL, NULL, NULL,
							  &err), 0);
		}
		sr_incident_done(&inc);
		sr_event_list_done(&ev);
	}
	return st;
}

#define T0 1772359200

/* Rows of one incident with a sound chain of n events (ids from id0), head included. */
struct rows {
	struct sr_chain_row r[4];
	char h[4][SR_HASH_HEX];
	char detail[4][16];
};

static void
sound_rows(struct rows *w, const char *incident, int64_t id0, int n)
{
	for (int i = 0; i < n; i++) {
		snprintf(w->detail[i], sizeof w->detail[i], "step %d", i + 1);
		sr_chain_hash(i ? w->h[i - 1] : "", i + 1, incident, T0 + i, "dana", "note",
			      w->detail[i], w->h[i]);
		w->r[i] = (struct sr_chain_row){ .incident = incident, .id = id0 + i, .at = T0 + i,
						 .actor = "dana", .kind = "note",
						 .detail = w->detail[i], .pos = i + 1,
						 .hash = w->h[i], .head_n = n, .head = w->h[n - 1] };
	}
}

/* Feeds n rows to c: the checker takes every row (returns 0: a walk never stops early). */
static void
feed_rows(struct sr_chain_check *c, const struct sr_chain_row *r, int n)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(sr_chain_check_row(c, &r[i]), 0);
}

/*
 * The checker's verdicts row by row: the last event rewritten with a hash that fits the
 * chain but not the head; rows without a hash or a position; a problem in every incident
 * (each named, none stops the walk); an incident without events; a head edited to claim
 * no events.
 */
static void
test_check_rows(void **state)
{
	struct sr_chain_check c;
	struct rows a, b;
	struct sr_chain_row empty = { .incident = "INC-C", .id = 0, .head_n = 0, .head = "" };
	char forged[SR_HASH_HEX];

	(void)state;
	/* the last event edited and its hash recomputed: only the head can tell */
	sound_rows(&a, "INC-A", 11, 3);
	a.r[2].detail = "nothing happened";
	sr_chain_hash(a.h[1], 3, "INC-A", T0 + 2, "dana", "note", "nothing happened", forged);
	a.r[2].hash = forged;
	sr_chain_check_init(&c);
	feed_rows(&c, a.r, 3);
	sr_chain_check_end(&c);
	assert_int_equal(c.n_found, 1);
	assert_int_equal(c.found[0].what, SR_CHAIN_ALTERED);
	assert_int_equal(c.found[0].event_id, 13);
	assert_string_equal(c.found[0].text, "event #13 (position 3) altered: its hash was "
			    "rewritten and no longer matches the chain head");
	sr_chain_check_done(&c);

	/* a row with a position but no hash, and one with a hash but no position */
	for (int k = 0; k < 2; k++) {
		sound_rows(&a, "INC-A", 11, 3);
		if (k == 0)
			a.r[1].hash = NULL;
		else
			a.r[1].pos = 0;
		sr_chain_check_init(&c);
		feed_rows(&c, a.r, 3);
		sr_chain_check_end(&c);
		assert_int_equal(c.n_found, 1);
		assert_int_equal(c.found[0].what, SR_CHAIN_INSERTED);
		assert_int_equal(c.found[0].event_id, 12);
		assert_non_null(strstr(c.found[0].text, "it has no chain hash"));
		sr_chain_check_done(&c);
	}

	/* a problem in each of two incidents, an incident without events between them */
	sound_rows(&a, "INC-A", 11, 3);
	sound_rows(&b, "INC-B", 21, 3);
	a.r[1].detail = "edited";
	b.r[2].detail = "edited too";
	sr_chain_check_init(&c);
	feed_rows(&c, a.r, 3);
	feed_rows(&c, &empty, 1);
	feed_rows(&c, b.r, 3);
	sr_chain_check_end(&c);
	assert_int_equal(c.incidents, 3);
	assert_int_equal(c.events, 6);
	assert_int_equal(c.n_found, 2);
	assert_string_equal(c.found[0].incident, "INC-A");
	assert_int_equal(c.found[0].event_id, 12);
	assert_string_equal(c.found[1].incident, "INC-B");
	assert_int_equal(c.found[1].event_id, 23);
	sr_chain_check_done(&c);

	/* a head edited to claim no events, after a sound incident: no event to name */
	sound_rows(&a, "INC-A", 11, 3);
	empty.head = "0000";
	sr_chain_check_init(&c);
	feed_rows(&c, a.r, 3);
	feed_rows(&c, &empty, 1);
	sr_chain_check_end(&c);
	assert_int_equal(c.n_found, 1);
	assert_string_equal(c.found[0].incident, "INC-C");
	assert_int_equal(c.found[0].what, SR_CHAIN_ALTERED);
	assert_int_equal(c.found[0].event_id, 0);
	sr_chain_check_done(&c);
}

/* Tampers with path through SQL and expects one finding (incident, kind, event id). */
static void
tamper(const struct sr_config *cfg, const char *sql, enum sr_chain_problem what, int64_t id,
       const char *text)
{
	char path[512];
	struct sr_store *st;
	struct sr_chain_check c;

	snprintf(path, sizeof path, "%s/t.db", dir);
	st = seeded(path, cfg);
	check(st, NULL, &c);
	assert_int_equal(c.n_found, 0);
	assert_int_equal(c.events, 7);
	assert_int_equal(c.incidents, 2);
	sr_chain_check_done(&c);
	sr_store_close(st);

	raw(path, sql);
	st = open_ok(path);
	check(st, NULL, &c);
	if (c.n_found != 1)
		fail_msg("%s: %zu findings", sql, c.n_found);
	assert_string_equal(c.found[0].incident, "INC-2026-001");
	assert_int_equal(c.found[0].what, what);
	assert_int_equal(c.found[0].event_id, id);
	if (strstr(c.found[0].text, text) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", c.found[0].text, text);
	sr_chain_check_done(&c);
	/* the other incident is untouched, and checking it alone says so */
	check(st, "INC-2026-002", &c);
	assert_int_equal(c.n_found, 0);
	sr_chain_check_done(&c);
	sr_store_close(st);
}

static void
test_tamper(void **state)
{
	struct sr_config cfgv, *cfg = &cfgv;

	sr_config_init(cfg);
	/* edit: the content of event 3 */
	tamper(cfg, "DROP TRIGGER events_no_update; UPDATE events SET detail = 'nothing happened' "
	       "WHERE id = 3", SR_CHAIN_ALTERED, 3, "event #3 (position 3) altered");
	/* edit: the time or the actor count too */
	tamper(cfg, "DROP TRIGGER events_no_update; UPDATE events SET at = at - 60 WHERE id = 2",
	       SR_CHAIN_ALTERED, 2, "event #2 (position 2) altered");
	tamper(cfg, "DROP TRIGGER events_no_update; UPDATE events SET actor = 'mallory' WHERE id = 1",
	       SR_CHAIN_ALTERED, 1, "event #1 (position 1) altered");
	/* delete: one in the middle, then the last one */
	tamper(cfg, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 2",
	       SR_CHAIN_DELETED, 3, "event at position 2 deleted (just before event #3");
	tamper(cfg, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id IN (2, 3)",
	       SR_CHAIN_DELETED, 4, "events at position 2..3 deleted");
	tamper(cfg, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 5",
	       SR_CHAIN_DELETED, 0, "event at position 5 deleted (the chain head records 5");
	/* insert: a plain row, a row that copies a position, a forged row after the end */
	tamper(cfg, "INSERT INTO events (id, incident_id, at, actor, kind, detail) VALUES "
	       "(100, 'INC-2026-001', 1772359350, 'mallory', 'note', 'all fine')",
	       SR_CHAIN_INSERTED, 100, "event #100 (\"note\" at position 6) inserted");
	tamper(cfg, "INSERT INTO events SELECT 100, incident_id, at, actor, kind, 'forged', pos, hash "
	       "FROM events WHERE id = 5", SR_CHAIN_INSERTED, 100, "claims position 5");
	tamper(cfg, "INSERT INTO events SELECT 100, incident_id, at, actor, kind, detail, pos + 1, "
	       "hash FROM events WHERE id = 5", SR_CHAIN_INSERTED, 100,
	       "after the last recorded event");
	/* the record of the chain head itself */
	tamper(cfg, "DELETE FROM event_chain WHERE incident_id = 'INC-2026-001'", SR_CHAIN_DELETED,
	       0, "chain head");
	sr_config_done(cfg);
}

/* Events written in several transactions chain on from the stored head. */
static void
test_chain_across_writes(void **state)
{
	struct sr_config cfgv, *cfg = &cfgv;
	char path[512], head[SR_HASH_HEX], h[SR_HASH_HEX], *err = NULL;
	struct sr_event_list ev = { 0 };
	struct sr_store *st;
	int64_t n;

	sr_config_init(cfg);
	snprintf(path, sizeof path, "%s/w.db", dir);
	st = seeded(path, cfg);
	assert_int_equal(st->ops->events(st, "INC-2026-001", &ev, &err), 0);
	assert_int_equal(ev.n, 5);
	h[0] = '\0';
	for (size_t i = 0; i < ev.n; i++) {
		char prev[SR_HASH_HEX];

		memcpy(prev, h, sizeof prev);
		sr_chain_hash(prev, (int64_t)i + 1, "INC-2026-001", ev.v[i].at, ev.v[i].actor,
			      sr_event_kind_name(ev.v[i].kind), ev.v[i].detail, h);
	}
	assert_int_equal(st->ops->chain_head(st, "INC-2026-001", &n, head, &err), 0);
	assert_int_equal(n, 5);
	assert_string_equal(head, h);
	assert_int_equal(st->ops->chain_head(st, "INC-2026-009", &n, head, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(st->ops->chain_walk(st, "INC-2026-009", sr_chain_check_row, NULL, &err),
			 -1);
	assert_non_null(strstr(err, "no incident INC-2026-009"));
	free(err);
	sr_event_list_done(&ev);
	sr_store_close(st);
	sr_config_done(cfg);
}

/* A backend without the post-mortem operations is refused by name, not called. */
static void
test_backend_without_chain(void **state)
{
	struct sr_store_ops ops = { .name = "postgresql" };
	struct sr_store st = { .ops = &ops, .where = "postgresql://db/sitrep" };
	char *err = NULL;

	assert_int_equal(sr_store_has_postmortem(&st, &err), -1);
	assert_string_equal(err, "postgresql://db/sitrep: the postgresql store does not keep the "
			    "post-mortem data (verifiable timeline, action items, statistics) yet");
	free(err);
}

/*
 * Nor is one without the outbox (its entry points refuse it before any op is called) or
 * without on-call overrides.
 */
static void
test_backend_without_outbox(void **state)
{
	struct sr_store_ops ops = { .name = "postgresql" };
	struct sr_store st = { .ops = &ops, .where = "postgresql://db/sitrep" };
	const char *want = "postgresql://db/sitrep: the postgresql store has no outbox (status "
			   "messages to Slack or Mattermost) yet";
	struct sr_config cfg;
	struct sr_outbox_pass pass;
	char *err = NULL;

	(void)state;
	assert_int_equal(sr_store_has_outbox(&st, &err), -1);
	assert_string_equal(err, want);
	free(err);
	err = NULL;
	assert_int_equal(sr_outbox_retry(&st, 1, 0, &err), -1);
	assert_string_equal(err, want);
	free(err);
	err = NULL;
	sr_config_init(&cfg);
	assert_int_equal(sr_outbox_deliver(&st, &cfg, NULL, 1, 0, &pass, &err), -1);
	assert_string_equal(err, want);
	free(err);
	sr_config_done(&cfg);
	err = NULL;
	assert_int_equal(sr_store_has_overrides(&st, &err), -1);
	assert_string_equal(err, "postgresql://db/sitrep: the postgresql store does not keep "
			    "on-call overrides yet");
	free(err);
}

/* --- mutation round 5 (seed 29) --- */

/* A deletion at the end says how many are left; deleting every event says the whole
 * timeline went. */
static void
test_tamper_left(void **state)
{
	struct sr_config cfgv, *cfg = &cfgv;

	(void)state;
	sr_config_init(cfg);
	tamper(cfg, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 5",
	       SR_CHAIN_DELETED, 0, "(the chain head records 5 events, 4 are left)");
	tamper(cfg, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE incident_id = "
	       "'INC-2026-001'", SR_CHAIN_DELETED, 0,
	       "(the chain head records 5 events, 0 are left: the whole timeline)");
	sr_config_done(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_nist),
		cmocka_unit_test(test_hash_fields_unambiguous),
		cmocka_unit_test(test_migration_chains_fixtures),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_chain_across_writes),
		cmocka_unit_test(test_backend_without_chain),
		cmocka_unit_test(test_backend_without_outbox),
		cmocka_unit_test(test_check_rows),
		cmocka_unit_test(test_tamper_left),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: MIT */
/* test_feed.c: schedule, backoff, staleness, last-good cache and alert transitions, fake time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "feed.h"
#include "spool.h"
#include "stand_in.h"
#include "tmpdir.h"

static pid_t server_pid;
static int server_fd = -1;	/* our end of the server's stdout, open while it runs */
static int server_port;

static void
test_backoff(void **state)
{
	(void)state;
	assert_int_equal(sr_feed_backoff(15, 0), 15);
	assert_int_equal(sr_feed_backoff(15, 1), 15);	/* the first retry one interval later */
	assert_int_equal(sr_feed_backoff(15, 2), 30);	/* capped: probed every 30 s */
	assert_int_equal(sr_feed_backoff(15, 60), 30);
	assert_int_equal(sr_feed_backoff(2, 1), 2);
	assert_int_equal(sr_feed_backoff(2, 2), 4);
	assert_int_equal(sr_feed_backoff(2, 4), 16);
	assert_int_equal(sr_feed_backoff(2, 5), 30);
	assert_int_equal(sr_feed_backoff(600, 0), 600);	/* healthy: its own interval */
	assert_int_equal(sr_feed_backoff(600, 1), 30);	/* failing: probed every 30 s */
	assert_int_equal(sr_feed_backoff(0, 0), 1);
}

static void
test_schedule(void **state)
{
	struct sr_feed_state st;
	sr_time t = 1000;

	(void)state;
	sr_feed_state_init(&st, "alerts:main", 15, t);
	assert_true(sr_feed_due(&st, t));
	assert_true(sr_feed_stale(&st, t));	/* nothing yet */
	assert_int_equal(sr_feed_age(&st, t), -1);
	sr_feed_started(&st, t);
	assert_false(sr_feed_due(&st, t + 100));	/* in flight */
	sr_feed_succeeded(&st, t + 1);
	assert_false(sr_feed_stale(&st, t + 1));
	assert_false(sr_feed_due(&st, t + 15));
	assert_true(sr_feed_due(&st, t + 16));
	assert_int_equal(sr_feed_wait_ms(&st, 1, t + 6, 60000), 10000);

	/* Failures: 15, 30, 30, 30 s between attempts (probed at least every 30 s). */
	t += 16;
	{
		const int64_t waits[] = { 15, 30, 30, 30, 30, 30 };

		for (size_t i = 0; i < SR_ARRAY_LEN(waits); i++) {
			assert_true(sr_feed_due(&st, t));
			sr_feed_started(&st, t);
			sr_feed_failed(&st, t, "GET http://am: Couldn't connect");
			assert_true(sr_feed_stale(&st, t));
			assert_false(sr_feed_due(&st, t + waits[i] - 1));
			t += waits[i];
		}
	}
	assert_string_equal(st.last_err, "GET http://am: Couldn't connect");
	assert_int_equal(sr_feed_age(&st, t), t - 1001);
	/* Recovery resets the backoff: the next failure waits one interval again. */
	sr_feed_started(&st, t);
	sr_feed_succeeded(&st, t);
	assert_null(st.last_err);
	assert_int_equal(st.failures, 0);
	assert_int_equal(st.next_due, t + 15);
	sr_feed_started(&st, t + 15);
	sr_feed_failed(&st, t + 15, "again");
	assert_int_equal(st.next_due, t + 30);
	sr_feed_started(&st, t + 30);
	sr_feed_succeeded(&st, t + 30);
	t += 30;
	/* Not polled for more than two intervals: stale even without a failure. */
	assert_false(sr_feed_stale(&st, t + 30));
	assert_true(sr_feed_stale(&st, t + 31));
	sr_feed_state_done(&st);
}

static void
test_wait_many(void **state)
{
	struct sr_feed_state st[3];

	(void)state;
	sr_feed_state_init(&st[0], "a", 15, 100);
	sr_feed_state_init(&st[1], "b", 30, 100);
	sr_feed_state_init(&st[2], "c", 30, 100);
	sr_feed_started(&st[0], 100);
	sr_feed_succeeded(&st[0], 100);	/* due 115 */
	sr_feed_started(&st[1], 100);
	sr_feed_failed(&st[1], 100, "x");	/* due 160 */
	sr_feed_started(&st[2], 100);	/* in flight: not waited for */
	assert_int_equal(sr_feed_wait_ms(st, 3, 105, 60000), 10000);
	assert_int_equal(sr_feed_wait_ms(st, 3, 120, 60000), 0);
	assert_int_equal(sr_feed_wait_ms(st, 3, 105, 500), 500);
	for (int i = 0; i < 3; i++)
		sr_feed_state_done(&st[i]);
}

static void
add(struct sr_am_alerts *a, const char *fp, const char *name, enum sr_am_state s,
    const char *silence, sr_time ends)
{
	struct sr_am_alert *x;

	a->v = sr_xgrow(a->v, &a->cap, a->n + 1, sizeof(*a->v));
	x = &a->v[a->n++];
	memset(x, 0, sizeof(*x));
	x->fingerprint = sr_xstrdup(fp);
	x->labels = sr_xcalloc(1, sizeof(*x->labels));
	x->labels[0].name = sr_xstrdup("alertname");
	x->labels[0].value = sr_xstrdup(name);
	x->n_labels = 1;
	x->state = s;
	x->ends_at = ends;
	if (silence != NULL) {
		x->silenced_by = sr_xcalloc(1, sizeof(char *));
		x->silenced_by[0] = sr_xstrdup(silence);
		x->n_silenced_by = 1;
	}
}

static const struct sr_feed_event *
find_ev(const struct sr_feed_events *ev, const char *fp)
{
	for (size_t i = 0; i < ev->n; i++)
		if (strcmp(ev->v[i].fingerprint, fp) == 0)
			return &ev->v[i];
	return NULL;
}

static void
test_transitions(void **state)
{
	struct sr_am_alerts p, c;
	struct sr_feed_events ev;
	sr_time now = 5000;

	(void)state;
	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	memset(&ev, 0, sizeof(ev));
	add(&p, "stay", "Stay", SR_AM_ACTIVE, NULL, 0);
	add(&p, "gone", "Gone", SR_AM_ACTIVE, NULL, 0);
	add(&p, "ended", "Ended", SR_AM_ACTIVE, NULL, 0);
	add(&p, "tosil", "ToSil", SR_AM_ACTIVE, NULL, 0);
	add(&p, "unsil", "Unsil", SR_AM_SUPPRESSED, "s9", 0);
	add(&p, "inh", "Inh", SR_AM_SUPPRESSED, NULL, 0);
	add(&c, "new", "New", SR_AM_ACTIVE, NULL, 0);
	add(&c, "ended", "Ended", SR_AM_ACTIVE, NULL, now - 1);	/* endsAt passed */
	add(&c, "tosil", "ToSil", SR_AM_SUPPRESSED, "s1", 0);
	add(&c, "unsil", "Unsil", SR_AM_ACTIVE, NULL, 0);
	add(&c, "stay", "Stay", SR_AM_ACTIVE, NULL, now + 100);
	add(&c, "newsil", "NewSil", SR_AM_SUPPRESSED, "s2", 0);
	add(&c, "inh", "Inh", SR_AM_ACTIVE, NULL, 0);

	/* First poll: no baseline, no news. */
	sr_feed_alert_diff(NULL, &c, now, &ev);
	assert_int_equal(ev.n, 0);

	sr_feed_alert_diff(&p, &c, now, &ev);
	assert_int_equal(ev.n, 6);
	assert_int_equal(find_ev(&ev, "new")->kind, SR_FEED_EV_FIRING);
	assert_string_equal(find_ev(&ev, "new")->alertname, "New");
	assert_int_equal(find_ev(&ev, "new")->at, now);
	assert_int_equal(find_ev(&ev, "gone")->kind, SR_FEED_EV_RESOLVED);
	assert_int_equal(find_ev(&ev, "ended")->kind, SR_FEED_EV_RESOLVED);
	assert_int_equal(find_ev(&ev, "tosil")->kind, SR_FEED_EV_SILENCED);
	assert_string_equal(find_ev(&ev, "tosil")->silenced_by, "s1");
	assert_int_equal(find_ev(&ev, "unsil")->kind, SR_FEED_EV_UNSILENCED);
	assert_int_equal(find_ev(&ev, "inh")->kind, SR_FEED_EV_FIRING);
	assert_null(find_ev(&ev, "stay"));
	assert_null(find_ev(&ev, "newsil"));
	assert_string_equal(sr_feed_ev_name(SR_FEED_EV_SILENCED), "silenced");
	sr_feed_events_done(&ev);

	/* The same poll twice: nothing changed. */
	sr_feed_alert_diff(&c, &c, now, &ev);
	assert_int_equal(ev.n, 0);
	sr_am_alerts_done(&p);
	sr_am_alerts_done(&c);
}

static void
test_cache(void **state)
{
	char path[64];
	char *db, *err = NULL, *body = NULL;
	struct sr_store *st;
	size_t len = 0;
	sr_time at = 0;
	int fd;

	(void)state;
	sr_test_tmp(path, sizeof(path), "sitrep-feed-test");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	db = sr_xasprintf("%s.db", path);
	st = sr_store_open(db, &err);
	if (st == NULL)
		fail_msg("store: %s", err);
	assert_int_equal(sr_feed_cache_load(st, "alerts:main", &body, &len, &at, &err), 0);
	assert_int_equal(sr_feed_cache_save(st, "alerts:main", "[1]", 3, 1700000000, &err), 0);
	assert_int_equal(sr_feed_cache_save(st, "alerts:main", "[1,2]", 5, 1700000060, &err), 0);
	assert_int_equal(sr_feed_cache_load(st, "alerts:main", &body, &len, &at, &err), 1);
	assert_int_equal(len, 5);
	assert_memory_equal(body, "[1,2]", 5);
	assert_int_equal(at, 1700000060);
	free(body);
	sr_store_close(st);
	/* A new process (console restarted with the network down) still finds it. */
	st = sr_store_open(db, &err);
	assert_non_null(st);
	assert_int_equal(sr_feed_cache_load(st, "alerts:main", &body, &len, &at, &err), 1);
	assert_int_equal(at, 1700000060);
	free(body);

	/* From a spool, in a file and in memory alike: the bytes arrive whole. */
	for (int mem = 0; mem <= 1; mem++) {
		struct sr_spool sp;
		size_t total = 0, n = 200000 + (size_t)mem;
		FILE *copy = tmpfile();
		char *back;

		sr_spool_init(&sp);
		if (mem) {
			assert_true(sp.fd >= 0);	/* /tmp is writable here */
			close(sp.fd);
			sp.fd = -1;
		}
		for (size_t i = 0; i < n; i += 1000) {
			char piece[1000];

			for (size_t k = 0; k < sizeof(piece); k++)
				piece[k] = (char)('a' + (i + k) % 26);
			if (i % 3000 == 0) {
				assert_int_equal(sr_spool_write(&sp, piece, sizeof(piece)), 0);
			} else {
				sr_buf_add(&sp.b, piece, sizeof(piece));
				assert_int_equal(sr_spool_drain(&sp), 0);
			}
			total += sizeof(piece);
		}
		assert_int_equal(sr_spool_size(&sp), total);
		if (!mem)
			assert_true(sp.b.len < SR_SPOOL_CHUNK);	/* the rest went to the file */
		assert_int_equal(sr_feed_cache_save_spool(st, "alerts:big", &sp, 1700000100, &err),
				 0);
		assert_int_equal(sr_feed_cache_load(st, "alerts:big", &body, &len, &at, &err), 1);
		assert_int_equal(len, total);
		for (size_t k = 0; k < len; k++)
			if (body[k] != (char)('a' + k % 26))
				fail_msg("byte %zu differs (memory: %d)", k, mem);
		free(body);
		/* copied out too, twice (the read position starts over) */
		assert_non_null(copy);
		assert_int_equal(sr_spool_copy(&sp, copy, &err), 0);
		assert_int_equal(sr_spool_copy(&sp, copy, &err), 0);
		assert_int_equal(ftell(copy), (long)(2 * total));
		rewind(copy);
		back = malloc(total);
		assert_int_equal(fread(back, 1, total, copy), total);
		assert_int_equal(back[total - 1], (char)('a' + (total - 1) % 26));
		free(back);
		fclose(copy);
		sr_spool_done(&sp);
	}
	sr_store_close(st);
	/* No store: nothing cached, saving fails with a message. */
	assert_int_equal(sr_feed_cache_load(NULL, "k", &body, &len, &at, &err), 0);
	assert_int_equal(sr_feed_cache_save(NULL, "k", "x", 1, 1, &err), -1);
	free(err);
	unlink(db);
	{
		char *wal = sr_xasprintf("%s-wal", db), *shm = sr_xasprintf("%s-shm", db);

		unlink(wal);
		unlink(shm);
		free(wal);
		free(shm);
	}
	free(db);
}

/* --- the live feeds against a local server (http_server.py) with canned answers --- */

static int
start_server(void **state)
{
	(void)state;
	server_port = sr_test_stand_in(SR_HTTP_SERVER, &server_pid, &server_fd);
	return server_port > 0 ? 0 : -1;
}

static int
stop_server(void **state)
{
	(void)state;
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
	}
	if (server_fd >= 0)
		close(server_fd);
	return 0;
}

static void
ignore(void *arg, struct sr_http_response *r)
{
	(void)r;
	*(int *)arg = 1;
}

/* Sets what the server answers on path. */
static void
set_answer(const char *path, int status, const char *body)
{
	char *err = NULL, *url = sr_xasprintf("http://127.0.0.1:%d/set?path=%s&status=%d",
					      server_port, path, status);
	struct sr_http *h = sr_http_new(&err);
	struct sr_http_request rq = { .method = "POST", .url = url, .body = body,
				      .body_len = strlen(body) };
	int done = 0;

	assert_int_equal(sr_http_submit(h, &rq, ignore, &done, &err), 0);
	assert_int_equal(sr_http_run(h, &err), 0);
	assert_true(done);
	sr_http_free(h);
	free(url);
}

static char *
alert_json(const char *fp, const char *name)
{
	return sr_xasprintf("{\"labels\":{\"alertname\":\"%s\",\"severity\":\"critical\"},"
			    "\"annotations\":{},\"fingerprint\":\"%s\",\"receivers\":[],"
			    "\"startsAt\":\"2026-11-23T19:00:00Z\",\"endsAt\":\"2030-01-01T00:00:00Z\","
			    "\"updatedAt\":\"2026-11-23T19:00:00Z\",\"status\":{\"state\":\"active\","
			    "\"silencedBy\":[],\"inhibitedBy\":[]}}", name, fp);
}

static void
set_alerts(const char *path, const char *fp, const char *name)
{
	char *a = alert_json(fp, name), *body = sr_xasprintf("[%s]", a);

	set_answer(path, 200, body);
	free(a);
	free(body);
}

/* Polls until cond holds or about 5 s pass; every completion is stamped now. */
#define PUMP_UNTIL(f, now, cond) do { \
		char *e_ = NULL; \
		for (int i_ = 0; i_ < 100 && !(cond); i_++) { \
			assert_true(sr_feeds_wait(f, NULL, 0, 50, &e_) >= 0); \
			sr_feeds_update(f, now, &e_); \
			free(e_); \
			e_ = NULL; \
		} \
		if (!(cond)) \
			dump(f); \
		assert_true(cond); \
	} while (0)

static void
dump(const struct sr_feeds *f)
{
	for (size_t i = 0; i < f->n_am; i++)
		fprintf(stderr, "am %zu: ok %lld fail %u err %s flight %d\n", i,
			(long long)f->am[i].st.last_ok, f->am[i].st.failures,
			f->am[i].st.last_err ? f->am[i].st.last_err : "-", f->am[i].st.in_flight);
	for (size_t i = 0; i < f->n_panels; i++)
		fprintf(stderr, "panel %zu: has %d err %s\n", i, f->panels[i].has_res,
			f->panels[i].st.last_err ? f->panels[i].st.last_err : "-");
	for (size_t i = 0; i < f->n_checks; i++)
		fprintf(stderr, "check %zu: has %d detail %s\n", i, f->checks[i].has_result,
			f->checks[i].detail ? f->checks[i].detail : "-");
}

static const struct sr_feed_event *
find_ev_kind(const struct sr_feed_events *ev, const char *fp, enum sr_feed_ev_kind k)
{
	for (size_t i = 0; i < ev->n; i++)
		if (strcmp(ev->v[i].fingerprint, fp) == 0 && ev->v[i].kind == k)
			return &ev->v[i];
	return NULL;
}

/* Removes a SQLite store and its journal files. */
static void
rm_db(const char *db)
{
	const char *suffix[] = { "", "-wal", "-shm" };

	for (size_t i = 0; i < 3; i++) {
		char *p = sr_xasprintf("%s%s", db, suffix[i]);

		unlink(p);
		free(p);
	}
}

static void
test_live_feeds(void **state)
{
	char dir[64], *conf, *db, *err = NULL, *text;
	struct sr_config cfg;
	struct sr_store *st;
	struct sr_feeds *f;
	sr_time t0 = 1795460000, t1 = t0 + 15;
	FILE *fp;
	size_t len;
	char *range = NULL;

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-feeds");
	assert_non_null(mkdtemp(dir));
	conf = sr_xasprintf("%s/sitrep.conf", dir);
	db = sr_xasprintf("%s/sitrep.db", dir);
	fp = fopen(conf, "w");
	fprintf(fp, "[prometheus]\nurl = http://127.0.0.1:%d/mp\n"
		"[alertmanager a]\nurl = http://127.0.0.1:%d/ma\n"
		"[alertmanager b]\nurl = http://127.0.0.1:%d/mb\n"
		"[panel up]\nquery = up\nrange = 10m\n"
		"[check ok]\nurl = http://127.0.0.1:%d/ok\n"
		"[check hang]\nurl = http://127.0.0.1:%d/hang\ntimeout = 1s\n",
		server_port, server_port, server_port, server_port, server_port);
	fclose(fp);
	sr_config_init(&cfg);
	if (sr_config_load(&cfg, conf, 1, &err) < 0)
		fail_msg("config: %s", err);
	st = sr_store_open(db, &err);
	assert_non_null(st);
	text = sr_xasprintf("%s/prom/query_range.json", SR_FIXTURES);
	assert_int_equal(sr_read_file(text, 1 << 20, &range, &len, &err), 0);
	free(text);
	set_answer("/mp/api/v1/query_range", 200, range);
	set_alerts("/ma/api/v2/alerts", "fx", "X");
	set_alerts("/mb/api/v2/alerts", "fz", "Z");

	/* First round: everything starts; the hanging check does not hold the others up. */
	f = sr_feeds_new(&cfg, st, NULL, t0);
	assert_non_null(f);
	assert_int_equal(f->alerts.n, 0);
	assert_int_equal(sr_feeds_update(f, t0, &err), 0);
	assert_true(sr_feeds_busy(f));
	PUMP_UNTIL(f, t0, f->am[0].st.last_ok && f->am[1].st.last_ok && f->panels[0].has_res &&
		   f->checks[0].has_result);
	assert_false(f->checks[1].has_result);	/* still hanging */
	assert_int_equal(f->alerts.n, 2);
	assert_string_equal(f->alerts.v[0].instances[0], "a");
	assert_true(f->changed & SR_FEEDS_ALERTS);
	assert_int_equal(f->events.n, 0);	/* no earlier poll: no news */
	assert_int_equal(f->panels[0].res.type, SR_PROM_MATRIX);
	assert_int_equal(f->panels[0].res.n_series, 2);
	assert_false(sr_feed_stale(&f->panels[0].st, t0));
	assert_true(f->checks[0].ok);
	assert_int_equal(f->checks[0].status, 200);
	PUMP_UNTIL(f, t0, f->checks[1].has_result);
	assert_false(f->checks[1].ok);
	assert_non_null(strstr(f->checks[1].detail, "Timeout"));

	/* Second round at t0+15: X resolved and Y firing on a; b fails and backs off. */
	set_alerts("/ma/api/v2/alerts", "fy", "Y");
	set_answer("/mb/api/v2/alerts", 500, "\"internal trouble\"");
	f->changed = 0;
	assert_int_equal(sr_feeds_wait_ms(f, t0 + 5, 60000), 10000);
	assert_int_equal(sr_feeds_update(f, t1, &err), 0);
	assert_true(f->am[0].st.in_flight && f->am[1].st.in_flight);
	assert_false(f->panels[0].st.in_flight);	/* 30 s interval */
	PUMP_UNTIL(f, t1, !f->am[0].st.in_flight && !f->am[1].st.in_flight);
	assert_int_equal(f->am[1].st.failures, 1);
	assert_non_null(strstr(f->am[1].st.last_err, "HTTP 500: internal trouble"));
	assert_true(sr_feed_stale(&f->am[1].st, t1));
	assert_int_equal(f->alerts.n, 2);	/* Y from a, Z still from b's last good answer */
	assert_non_null(find_ev_kind(&f->events, "fx", SR_FEED_EV_RESOLVED));
	assert_non_null(find_ev_kind(&f->events, "fy", SR_FEED_EV_FIRING));
	assert_int_equal(f->events.n, 2);
	assert_int_equal(f->events.v[0].at, t1);
	/* the rows carry the transition: Y is new at t1, Z unchanged since the first answer */
	for (size_t i = 0; i < f->alerts.n; i++)
		assert_int_equal(f->alerts.v[i].feed.change,
				 strcmp(f->alerts.v[i].fingerprint, "fy") == 0 ? SR_AM_NEW :
				 SR_AM_SAME);
	{
		struct sr_feeds_status fs;

		/* one definition of stale: b failed since its last good answer */
		sr_feeds_status(f, SR_FEEDS_ALERTS, t1, &fs);
		assert_int_equal(fs.health, SR_FEEDS_STALE);
		assert_int_equal(fs.fetched_at, t0);
		assert_int_equal(fs.next_try, t1 + 15);	/* b's first retry: one interval */
		sr_feeds_status(f, SR_FEEDS_PANELS, t1, &fs);
		assert_int_equal(fs.health, SR_FEEDS_OK);
		sr_feeds_status(f, SR_FEEDS_PANELS, t0 + 61, &fs);	/* two intervals + 1 s */
		assert_int_equal(fs.health, SR_FEEDS_STALE);
	}
	sr_feed_events_done(&f->events);
	/* b tries again one interval (15 s) after its first failure; a polls every 15 s. */
	sr_feeds_update(f, t1 + 14, &err);
	assert_false(f->am[1].st.in_flight);
	PUMP_UNTIL(f, t1 + 14, !sr_feeds_busy(f));
	sr_feeds_update(f, t1 + 15, &err);
	assert_true(f->am[1].st.in_flight);
	PUMP_UNTIL(f, t1 + 15, !sr_feeds_busy(f));
	{
		struct sr_feeds_status fs;

		/* b failed twice: its next try 30 s later, and the header can say so */
		sr_feeds_status(f, SR_FEEDS_ALERTS, t1 + 15, &fs);
		assert_int_equal(f->am[1].st.failures, 2);
		assert_int_equal(fs.next_try, t1 + 15 + 30);
		/* g / C-l: every source due now, whatever its backoff */
		assert_true(sr_feeds_poll_all_now(f, t1 + 16) >= 2);
		assert_int_equal(f->am[1].st.next_due, t1 + 16);
		sr_feeds_update(f, t1 + 16, &err);
		assert_true(f->am[1].st.in_flight);
		PUMP_UNTIL(f, t1 + 16, !sr_feeds_busy(f));
	}
	sr_feeds_free(f);

	/* A restart with the network down: last good data at once, marked stale, with its age. */
	sr_config_done(&cfg);
	sr_config_init(&cfg);
	fp = fopen(conf, "w");
	fprintf(fp, "[prometheus]\nurl = http://127.0.0.1:1/mp\n"
		"[alertmanager a]\nurl = http://127.0.0.1:1/ma\n"
		"[alertmanager b]\nurl = http://127.0.0.1:1/mb\n"
		"[panel up]\nquery = up\nrange = 10m\n");
	fclose(fp);
	assert_int_equal(sr_config_load(&cfg, conf, 1, &err), 0);
	f = sr_feeds_new(&cfg, st, NULL, t1 + 100);
	assert_non_null(f);
	assert_int_equal(f->alerts.n, 2);
	assert_true(sr_feed_stale(&f->am[0].st, t1 + 100));
	/*
	 * a's answer changed at t1 and was kept then; the same answer at t1+29 was not written
	 * again (an unchanged answer is rewritten at most every SR_FEED_CACHE_EVERY seconds)
	 */
	assert_int_equal(sr_feed_age(&f->am[0].st, t1 + 100), 100);
	assert_int_equal(sr_feed_age(&f->am[1].st, t1 + 100), 100 + 15);	/* b's at t0 */
	assert_true(f->panels[0].has_res);
	assert_true(sr_feed_stale(&f->panels[0].st, t1 + 100));
	sr_feeds_update(f, t1 + 100, &err);
	PUMP_UNTIL(f, t1 + 100, !sr_feeds_busy(f));
	free(err);
	err = NULL;
	assert_int_equal(f->alerts.n, 2);	/* failures keep the last good data */
	assert_non_null(strstr(f->am[0].st.last_err, "Couldn't connect"));
	sr_feeds_free(f);

	sr_store_close(st);
	sr_config_done(&cfg);
	free(range);
	unlink(conf);
	rm_db(db);
	rmdir(dir);
	free(conf);
	free(db);
}

/*
 * A command's fetch (sitrep alerts): only the Alertmanagers, asked once, matchers applied
 * to what the cache gives too, the cache read only for the instance that failed, and a
 * filtered answer not kept as the last good one.
 */
static void
test_feeds_once(void **state)
{
	char dir[64], *conf, *db, *err = NULL, *body = NULL, *xa, *ya, *za, *cached;
	char *args[] = { (char *)"alertname=~\"[XZ]\"" };
	struct sr_am_filter every = { 1, 1, 1, 1 };
	struct sr_feeds_opts o = { SR_FEEDS_ALERTS, &every, NULL, SR_FEEDS_CACHE_ON_FAILURE, 1 };
	struct sr_matchers m;
	struct sr_config cfg;
	struct sr_store *st;
	struct sr_feeds *f;
	sr_time t0 = 1795460000, at = 0;
	size_t len = 0;
	FILE *fp;

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-once");
	assert_non_null(mkdtemp(dir));
	conf = sr_xasprintf("%s/sitrep.conf", dir);
	db = sr_xasprintf("%s/sitrep.db", dir);
	fp = fopen(conf, "w");
	fprintf(fp, "[prometheus]\nurl = http://127.0.0.1:%d/mp\n"
		"[alertmanager a]\nurl = http://127.0.0.1:%d/oa\n"
		"[alertmanager b]\nurl = http://127.0.0.1:1/ob\n"
		"[panel up]\nquery = up\n[check ok]\nurl = http://127.0.0.1:%d/ok\n",
		server_port, server_port, server_port);
	fclose(fp);
	sr_config_init(&cfg);
	if (sr_config_load(&cfg, conf, 1, &err) < 0)
		fail_msg("config: %s", err);
	st = sr_store_open(db, &err);
	assert_non_null(st);
	/* a answers X and Y (the test server ignores the filter: the engine applies it too) */
	xa = alert_json("fx", "X");
	ya = alert_json("fy", "Y");
	za = alert_json("fz", "Z");
	body = sr_xasprintf("[%s,%s]", xa, ya);
	set_answer("/oa/api/v2/alerts", 200, body);
	free(body);
	/* b is down; its last good answer (Z and X) is in the store since t0 - 60 */
	cached = sr_xasprintf("[%s,%s]", za, xa);
	assert_int_equal(sr_feed_cache_save(st, "alerts:b", cached, strlen(cached), t0 - 60, &err),
			 0);
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse_args(&m, 1, args, &err), 0);
	o.match = &m;

	f = sr_feeds_open(&cfg, st, NULL, t0, &o);
	assert_int_equal(f->n_am, 2);
	assert_int_equal(f->n_panels, 0);	/* only what was asked for */
	assert_int_equal(f->n_checks, 0);
	assert_int_equal(f->alerts.n, 0);	/* no cache read before an answer failed */
	assert_int_equal(sr_feeds_once(f, t0, &err), 0);
	assert_false(sr_feeds_busy(f));
	assert_null(f->am[0].st.last_err);
	assert_non_null(strstr(f->am[1].st.last_err, "Couldn't connect"));
	assert_true(f->am[1].st.cached);
	assert_int_equal(f->am[1].st.last_ok, t0 - 60);
	/* X seen by both (merged by fingerprint), Z from b's cache; Y filtered out */
	assert_int_equal(f->alerts.n, 2);
	for (size_t i = 0; i < f->alerts.n; i++) {
		const struct sr_am_alert *a = &f->alerts.v[i];

		assert_int_equal(a->n_instances, strcmp(a->fingerprint, "fx") == 0 ? 2 : 1);
		assert_string_not_equal(a->fingerprint, "fy");
	}
	/* a filtered answer is not the last good one */
	assert_int_equal(sr_feed_cache_load(st, "alerts:a", &body, &len, &at, &err), 0);
	sr_feeds_free(f);

	/* unfiltered and allowed to keep: a's answer becomes its last good one */
	o.match = NULL;
	o.no_save = 0;
	f = sr_feeds_open(&cfg, st, NULL, t0 + 1, &o);
	assert_int_equal(sr_feeds_once(f, t0 + 1, &err), 0);
	assert_int_equal(f->alerts.n, 3);
	sr_feeds_free(f);
	assert_int_equal(sr_feed_cache_load(st, "alerts:a", &body, &len, &at, &err), 1);
	assert_int_equal(at, t0 + 1);
	free(body);

	sr_matchers_done(&m);
	sr_store_close(st);
	sr_config_done(&cfg);
	free(xa);
	free(ya);
	free(za);
	free(cached);
	rm_db(db);
	unlink(conf);
	rmdir(dir);
	free(conf);
	free(db);
}

/* Writes text to DIR/NAME. */
static void
put_file(const char *dir, const char *name, const char *text)
{
	char *path = sr_xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	free(path);
}

static void
rm_dir(const char *dir, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *p = sr_xasprintf("%s/%s", dir, names[i]);

		unlink(p);
		free(p);
	}
	rmdir(dir);
}

static const struct sr_am_alert *
find_alert(const struct sr_feeds *f, const char *fp)
{
	for (size_t i = 0; i < f->alerts.n; i++)
		if (strcmp(f->alerts.v[i].fingerprint, fp) == 0)
			return &f->alerts.v[i];
	return NULL;
}

/*
 * An HA pair answering the same alerts: one alert each, naming both instances; unchanged
 * bytes are not parsed again; an alert one instance drops stays while the other has it.
 * A panel names its [prometheus] source in another case than the section: that one is used.
 */
static void
test_ha_pair(void **state)
{
	char dir[64], *conf, *err = NULL, *x, *y, *both, *only_x, *range;
	struct sr_config cfg;
	struct sr_feeds *f;
	const struct sr_am_alert *a;
	sr_time t0 = 1795460000;
	size_t len;
	static const char *const files[] = { "sitrep.conf" };

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-ha");
	assert_non_null(mkdtemp(dir));
	conf = sr_xasprintf("[prometheus first]\nurl = http://127.0.0.1:1/nothing\n"
			    "[prometheus Second]\nurl = http://127.0.0.1:%d/hp\n"
			    "[alertmanager a]\nurl = http://127.0.0.1:%d/ha\n"
			    "[alertmanager b]\nurl = http://127.0.0.1:%d/hb\n"
			    "[panel up]\nquery = up\nsource = second\n",
			    server_port, server_port, server_port);
	put_file(dir, "sitrep.conf", conf);
	free(conf);
	conf = sr_xasprintf("%s/sitrep.conf", dir);
	sr_config_init(&cfg);
	if (sr_config_load(&cfg, conf, 1, &err) < 0)
		fail_msg("config: %s", err);
	x = alert_json("hx", "X");
	y = alert_json("hy", "Y");
	both = sr_xasprintf("[%s,%s]", x, y);
	only_x = sr_xasprintf("[%s]", x);
	range = sr_xasprintf("%s/prom/query_range.json", SR_FIXTURES);
	{
		char *body = NULL;

		assert_int_equal(sr_read_file(range, 1 << 20, &body, &len, &err), 0);
		set_answer("/hp/api/v1/query_range", 200, body);
		free(body);
	}
	set_answer("/ha/api/v2/alerts", 200, both);
	set_answer("/hb/api/v2/alerts", 200, both);

	f = sr_feeds_new(&cfg, NULL, NULL, t0);
	assert_int_equal(sr_feeds_update(f, t0, &err), 0);
	PUMP_UNTIL(f, t0, f->am[0].st.last_ok && f->am[1].st.last_ok && f->panels[0].has_res);
	assert_int_equal(f->alerts.n, 2);
	a = find_alert(f, "hx");
	assert_non_null(a);
	assert_int_equal(a->n_instances, 2);
	assert_string_equal(a->instances[0], "a");
	assert_string_equal(a->instances[1], "b");
	assert_int_equal(f->panels[0].res.n_series, 2);	/* from Second, not first */
	/* the same answers again: every alert is known from the same bytes, none parsed */
	sr_feeds_update(f, t0 + 15, &err);
	PUMP_UNTIL(f, t0 + 15, f->am[0].st.last_ok == t0 + 15 && f->am[1].st.last_ok == t0 + 15);
	assert_int_equal(f->am[0].n_read + f->am[1].n_read, 0);
	assert_int_equal(f->am[0].n_skipped + f->am[1].n_skipped, 4);
	assert_int_equal(f->alerts.n, 2);
	assert_int_equal(find_alert(f, "hx")->n_instances, 2);

	/* b drops Y: still firing (a has it), only a named */
	set_answer("/hb/api/v2/alerts", 200, only_x);
	sr_feeds_update(f, t0 + 30, &err);
	PUMP_UNTIL(f, t0 + 30, f->am[0].st.last_ok == t0 + 30 && f->am[1].st.last_ok == t0 + 30);
	assert_int_equal(f->am[0].n_read, 0);	/* a's answer was unchanged: nothing parsed */
	a = find_alert(f, "hy");
	assert_non_null(a);
	assert_int_equal(a->n_instances, 1);
	assert_string_equal(a->instances[0], "a");
	assert_int_equal(f->events.n, 0);
	/* a drops it too: resolved, once */
	set_answer("/ha/api/v2/alerts", 200, only_x);
	sr_feeds_update(f, t0 + 45, &err);
	PUMP_UNTIL(f, t0 + 45, f->am[0].st.last_ok == t0 + 45 && f->am[1].st.last_ok == t0 + 45);
	assert_null(find_alert(f, "hy"));
	assert_int_equal(f->alerts.n, 1);
	assert_int_equal(f->events.n, 1);
	assert_int_equal(f->events.v[0].kind, SR_FEED_EV_RESOLVED);
	assert_string_equal(f->events.v[0].fingerprint, "hy");
	/* X comes back silenced on a: the merged alert stays active (b says so) */
	{
		char *sx = sr_xasprintf("[{\"labels\":{\"alertname\":\"X\",\"severity\":\"critical\"},"
					"\"annotations\":{\"summary\":\"now with a summary\"},"
					"\"fingerprint\":\"hx\",\"receivers\":[],"
					"\"startsAt\":\"2026-11-23T19:00:00Z\","
					"\"endsAt\":\"2030-01-01T00:00:00Z\",\"status\":{\"state\":"
					"\"suppressed\",\"silencedBy\":[\"s9\"],\"inhibitedBy\":[]}}]");

		set_answer("/ha/api/v2/alerts", 200, sx);
		free(sx);
	}
	sr_feed_events_done(&f->events);
	sr_feeds_update(f, t0 + 60, &err);
	PUMP_UNTIL(f, t0 + 60, f->am[0].st.last_ok == t0 + 60 && f->am[1].st.last_ok == t0 + 60);
	a = find_alert(f, "hx");
	assert_non_null(a);
	assert_int_equal(a->state, SR_AM_ACTIVE);
	assert_int_equal(a->feed.change, SR_AM_CHANGED);	/* its annotations changed */
	assert_int_equal(a->feed.change_at, t0 + 60);
	sr_feeds_free(f);

	free(range);
	free(x);
	free(y);
	free(both);
	free(only_x);
	free(conf);
	sr_config_done(&cfg);
	rm_dir(dir, files, SR_ARRAY_LEN(files));
}

/*
 * The demo recording is a source like any other: its times are shifted to now, its panels
 * read, and a demo silence is applied by the source when it reads (the list is read again,
 * not edited): the alert turns silenced, then active again when the silence ends.
 */
static void
test_demo_source(void **state)
{
	char dir[64], *conf, *err = NULL;
	struct sr_config cfg;
	struct sr_feeds *f;
	struct sr_matchers ms;
	const struct sr_am_alert *a;
	struct sr_feeds_status fs;
	sr_time t0 = 1795460000;
	static const char *const files[] = { "sitrep.conf", "alerts.json", "panel-error-rate.json" };

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-demo");
	assert_non_null(mkdtemp(dir));
	put_file(dir, "sitrep.conf", "[panel Error rate]\nquery = x\n[panel missing]\nquery = y\n");
	put_file(dir, "alerts.json",
		 "[{\"labels\":{\"alertname\":\"DemoA\",\"service\":\"checkout\"},\"annotations\":{},"
		 "\"fingerprint\":\"da\",\"receivers\":[],\"startsAt\":\"{{now-5m}}\","
		 "\"endsAt\":\"{{now+4m}}\",\"status\":{\"state\":\"active\",\"silencedBy\":[],"
		 "\"inhibitedBy\":[]}},"
		 "{\"labels\":{\"alertname\":\"DemoB\",\"service\":\"search\"},\"annotations\":{},"
		 "\"fingerprint\":\"db\",\"receivers\":[],\"startsAt\":\"{{now-1h}}\","
		 "\"endsAt\":\"{{now+4m}}\",\"status\":{\"state\":\"active\",\"silencedBy\":[],"
		 "\"inhibitedBy\":[]}}]");
	put_file(dir, "panel-error-rate.json",
		 "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
		 "{},\"values\":[[{{unix-60s}},\"1\"],[{{unix}},\"2.5\"]]}]}}");
	conf = sr_xasprintf("%s/sitrep.conf", dir);
	sr_config_init(&cfg);
	if (sr_config_load(&cfg, conf, 1, &err) < 0)
		fail_msg("config: %s", err);

	f = sr_feeds_new(&cfg, NULL, dir, t0);
	assert_int_equal(f->n_am, 1);
	assert_int_equal(sr_feeds_update(f, t0, &err), 0);	/* read at once: nothing in flight */
	assert_false(sr_feeds_busy(f));
	assert_int_equal(f->alerts.n, 2);
	a = find_alert(f, "da");
	assert_non_null(a);
	assert_int_equal(a->starts_at, t0 - 300);
	assert_string_equal(a->instances[0], "demo");
	assert_true(f->panels[0].has_res);
	assert_int_equal(f->panels[0].res.series[0].samples[1].t, t0);
	assert_false(f->panels[1].has_res);	/* no recording for it: that panel fails */
	assert_non_null(strstr(f->panels[1].st.last_err, "panel-missing.json"));
	sr_feeds_status(f, SR_FEEDS_ALERTS, t0, &fs);
	assert_int_equal(fs.health, SR_FEEDS_OK);

	sr_matchers_init(&ms);
	assert_int_equal(sr_matchers_parse(&ms, "{service=\"checkout\"}", &err), 0);
	assert_int_equal(sr_feeds_silence_demo(f, &ms, t0 + 150, t0 + 15, &err), 1);
	sr_matchers_done(&ms);
	a = find_alert(f, "da");
	assert_int_equal(a->n_silenced_by, 1);
	assert_string_equal(a->silenced_by[0], "demo-silence-1");
	assert_int_equal(a->state, SR_AM_SUPPRESSED);
	assert_int_equal(a->feed.change, SR_AM_CHANGED);
	assert_int_equal(find_alert(f, "db")->n_silenced_by, 0);
	assert_int_equal(f->events.n, 1);
	assert_int_equal(f->events.v[0].kind, SR_FEED_EV_SILENCED);
	assert_string_equal(f->events.v[0].silenced_by, "demo-silence-1");
	sr_feed_events_done(&f->events);

	/* the recording is read again every 15 s; after t0+100 the silence no longer applies */
	assert_int_equal(sr_feeds_update(f, t0 + 25, &err), 0);
	assert_int_equal(find_alert(f, "da")->n_silenced_by, 1);
	assert_int_equal(f->events.n, 0);
	/* at its end the silence no longer applies (it covers [start, end)) */
	assert_int_equal(sr_feeds_update(f, t0 + 150, &err), 0);
	a = find_alert(f, "da");
	assert_int_equal(a->n_silenced_by, 0);
	assert_int_equal(f->events.n, 1);
	assert_int_equal(f->events.v[0].kind, SR_FEED_EV_UNSILENCED);
	/* a recording longer than one 64 KiB piece: placeholders cut in two still expand */
	{
		struct sr_buf b;

		sr_buf_init(&b);
		sr_buf_adds(&b, "[");
		for (int i = 0; i < 700; i++)
			sr_buf_printf(&b, "%s{\"labels\":{\"alertname\":\"Big%d\"},"
				      "\"annotations\":{},\"fingerprint\":\"big%d\",\"receivers\""
				      ":[],\"startsAt\":\"{{now-5m}}\",\"endsAt\":\"{{now+4m}}\","
				      "\"status\":{\"state\":\"active\",\"silencedBy\":[],"
				      "\"inhibitedBy\":[]}}", i ? "," : "", i, i);
		sr_buf_adds(&b, "]");
		assert_true(b.len > 2 * 64 * 1024);
		put_file(dir, "alerts.json", b.data);
		sr_buf_done(&b);
		assert_int_equal(sr_feeds_update(f, t0 + 200, &err), 0);
		assert_int_equal(f->alerts.n, 700);
		for (size_t i = 0; i < f->alerts.n; i++) {
			assert_int_equal(f->alerts.v[i].starts_at, t0 + 200 - 300);
			assert_int_equal(f->alerts.v[i].ends_at, t0 + 200 + 240);
		}
	}
	/* live sources do not take demo silences */
	sr_feeds_free(f);
	f = sr_feeds_new(&cfg, NULL, NULL, t0);
	sr_matchers_init(&ms);
	assert_int_equal(sr_feeds_silence_demo(f, &ms, t0 + 1, t0, &err), -1);
	free(err);
	sr_matchers_done(&ms);
	sr_feeds_free(f);

	free(conf);
	sr_config_done(&cfg);
	rm_dir(dir, files, SR_ARRAY_LEN(files));
}

/* What a series callback was given. */
struct series_got {
	int called;
	long status;
	char *err, *url, *method, *body;
};

static void
series_cb(void *arg, struct sr_http_response *r)
{
	struct series_got *g = arg;

	g->called++;
	g->status = r->status;
	g->err = r->err ? sr_xstrdup(r->err) : NULL;
	g->url = sr_xstrdup(r->url ? r->url : "");
	g->method = sr_xstrdup(r->method ? r->method : "");
	g->body = sr_xstrdup(r->body ? r->body : "");
}

static void
series_got_done(struct series_got *g)
{
	free(g->err);
	free(g->url);
	free(g->method);
	free(g->body);
	memset(g, 0, sizeof(*g));
}

/*
 * A check judged against its expected status (not always 200); an alert's transition time;
 * an answer that empties the list is kept as the last good copy (a restart does not bring
 * back resolved alerts); an alert's series through the first [prometheus].
 */
static void
test_live_edges(void **state)
{
	char dir[64], *conf, *db, *err = NULL, *range = NULL, *text;
	struct sr_config cfg;
	struct sr_store *st;
	struct sr_feeds *f;
	struct series_got g = { 0 };
	sr_time t0 = 1795460000;
	const struct sr_am_alert *a;
	size_t len;
	FILE *fp;

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-edges");
	assert_non_null(mkdtemp(dir));
	conf = sr_xasprintf("%s/sitrep.conf", dir);
	db = sr_xasprintf("%s/sitrep.db", dir);
	fp = fopen(conf, "w");
	fprintf(fp, "[prometheus]\nurl = http://127.0.0.1:%d/ep\n"
		"[alertmanager a]\nurl = http://127.0.0.1:%d/ea\n"
		"[panel up]\nquery = up\n"
		"[check want404]\nurl = http://127.0.0.1:%d/ea-missing\nexpect_status = 404\n"
		"[check want204]\nurl = http://127.0.0.1:%d/ok\nexpect_status = 204\n",
		server_port, server_port, server_port, server_port);
	fclose(fp);
	sr_config_init(&cfg);
	if (sr_config_load(&cfg, conf, 1, &err) < 0)
		fail_msg("config: %s", err);
	st = sr_store_open(db, &err);
	assert_non_null(st);
	set_alerts("/ea/api/v2/alerts", "fa", "A");
	text = sr_xasprintf("%s/prom/query_range.json", SR_FIXTURES);
	assert_int_equal(sr_read_file(text, 1 << 20, &range, &len, &err), 0);
	free(text);
	set_answer("/ep/api/v1/query_range", 200, range);
	f = sr_feeds_new(&cfg, st, NULL, t0);
	{
		struct sr_feeds_status fs;

		/* nothing asked yet: waiting, not off, not failed */
		sr_feeds_status(f, SR_FEEDS_ALERTS, t0, &fs);
		assert_int_equal(fs.health, SR_FEEDS_WAIT);
	}
	assert_int_equal(sr_feeds_update(f, t0, &err), 0);
	PUMP_UNTIL(f, t0, f->am[0].st.last_ok && f->checks[0].has_result &&
		   f->checks[1].has_result && f->panels[0].has_res);
	assert_true(f->checks[0].ok);
	assert_int_equal(f->checks[0].status, 404);
	assert_null(f->checks[0].detail);
	assert_false(f->checks[1].ok);
	assert_int_equal(f->checks[1].status, 200);
	assert_string_equal(f->checks[1].detail, "HTTP 200, expected 204");
	assert_int_equal(f->alerts.n, 1);

	/* A resolved, B new: B's row says since when */
	set_alerts("/ea/api/v2/alerts", "fb", "B");
	assert_int_equal(sr_feeds_update(f, t0 + 15, &err), 0);
	PUMP_UNTIL(f, t0 + 15, !sr_feeds_busy(f));
	a = find_alert(f, "fb");
	assert_non_null(a);
	assert_int_equal(a->feed.change, SR_AM_NEW);
	assert_int_equal(a->feed.change_at, t0 + 15);
	assert_null(find_alert(f, "fa"));

	/* the list empties: nothing left, and that is what a restart shows */
	set_answer("/ea/api/v2/alerts", 200, "[]");
	sr_feed_events_done(&f->events);
	assert_int_equal(sr_feeds_update(f, t0 + 30, &err), 0);
	PUMP_UNTIL(f, t0 + 30, !sr_feeds_busy(f));
	assert_int_equal(f->alerts.n, 0);
	assert_non_null(find_ev_kind(&f->events, "fb", SR_FEED_EV_RESOLVED));

	/* the series of an alert: a range query to the first [prometheus] */
	assert_int_equal(sr_feeds_series(f, "fb", "up", t0 + 31, series_cb, &g, &err), 0);
	PUMP_UNTIL(f, t0 + 31, g.called);
	assert_int_equal(g.status, 200);
	assert_null(g.err);
	assert_string_equal(g.method, "GET");
	assert_non_null(strstr(g.url, "/ep/api/v1/query_range?"));
	assert_string_equal(g.body, range);
	series_got_done(&g);
	assert_int_equal(sr_feeds_series(f, "fb", NULL, t0 + 31, series_cb, &g, &err), -1);
	assert_string_equal(err, "no expression in the alert's generatorURL");
	free(err);
	err = NULL;
	assert_int_equal(g.called, 0);
	sr_feeds_free(f);

	f = sr_feeds_new(&cfg, st, NULL, t0 + 35);
	assert_int_equal(f->alerts.n, 0);
	assert_true(f->changed & SR_FEEDS_PANELS);	/* the cached panel is there to draw */
	/* the cached copies keep the time they were fetched */
	assert_int_equal(sr_feed_age(&f->am[0].st, t0 + 35), 5);
	assert_int_equal(sr_feed_age(&f->panels[0].st, t0 + 35), 5);
	/* the same (empty) answer 70 s after the copy was kept: not written again */
	assert_int_equal(sr_feeds_update(f, t0 + 100, &err), 0);
	PUMP_UNTIL(f, t0 + 100, !sr_feeds_busy(f));
	assert_int_equal(f->am[0].st.last_ok, t0 + 100);
	sr_feeds_free(f);
	f = sr_feeds_new(&cfg, st, NULL, t0 + 110);
	assert_int_equal(sr_feed_age(&f->am[0].st, t0 + 110), 80);
	sr_feeds_free(f);

	/* no [prometheus]: no series */
	sr_config_done(&cfg);
	sr_config_init(&cfg);
	f = sr_feeds_new(&cfg, NULL, NULL, t0);
	assert_int_equal(sr_feeds_series(f, "fb", "up", t0, series_cb, &g, &err), -1);
	assert_string_equal(err, "no [prometheus] source to query");
	free(err);
	assert_int_equal(g.called, 0);
	sr_feeds_free(f);

	sr_store_close(st);
	sr_config_done(&cfg);
	free(range);
	{
		const char *files[] = { "sitrep.conf", "sitrep.db", "sitrep.db-wal", "sitrep.db-shm" };

		rm_dir(dir, files, SR_ARRAY_LEN(files));
	}
	free(conf);
	free(db);
}

/* The demo's series come from its recordings; an unreadable alerts recording is a failure. */
static void
test_demo_series_and_failure(void **state)
{
	char dir[64], *err = NULL;
	struct sr_config cfg;
	struct sr_feeds *f;
	struct series_got g = { 0 };
	sr_time t0 = 1795460000;
	static const char *const files[] = { "alerts.json", "expr-fx.json" };

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-demo2");
	assert_non_null(mkdtemp(dir));
	put_file(dir, "alerts.json", "[{\"labels\": oops");
	put_file(dir, "expr-fx.json", "{\"status\":\"success\"}");
	sr_config_init(&cfg);
	f = sr_feeds_new(&cfg, NULL, dir, t0);
	assert_int_equal(sr_feeds_update(f, t0, &err), 0);
	assert_false(sr_feeds_busy(f));
	assert_int_equal(f->am[0].st.failures, 1);
	assert_non_null(f->am[0].st.last_err);
	assert_int_equal(f->am[0].st.last_ok, 0);
	assert_int_equal(f->alerts.n, 0);

	/* recorded: answered before sr_feeds_series returns */
	assert_int_equal(sr_feeds_series(f, "fx", "up", t0, series_cb, &g, &err), 0);
	assert_int_equal(g.called, 1);
	assert_int_equal(g.status, 200);
	assert_null(g.err);
	assert_string_equal(g.method, "GET");
	assert_string_equal(g.url, "expr-fx.json");
	assert_string_equal(g.body, "{\"status\":\"success\"}");
	series_got_done(&g);
	/* not recorded: an answer that says so */
	assert_int_equal(sr_feeds_series(f, "fy", "up", t0, series_cb, &g, &err), 0);
	assert_int_equal(g.called, 1);
	assert_int_equal(g.status, 0);
	assert_string_equal(g.err, "no recorded series in the demo");
	assert_string_equal(g.method, "GET");
	assert_string_equal(g.url, "expr-fy.json");
	series_got_done(&g);
	sr_feeds_free(f);
	sr_config_done(&cfg);
	rm_dir(dir, files, SR_ARRAY_LEN(files));
}

#define HA_X "[{\"labels\":{\"alertname\":\"X\"},\"annotations\":{\"summary\":\"%s\"}," \
	"\"fingerprint\":\"fx\",\"receivers\":[],\"startsAt\":\"2026-11-23T19:00:00Z\"," \
	"\"endsAt\":\"2030-01-01T00:00:00Z\",\"updatedAt\":\"2026-11-23T19:00:00Z\"," \
	"\"status\":{\"state\":\"%s\",\"silencedBy\":[%s],\"inhibitedBy\":[]}}]"

/* An alert one HA instance says is active stays active while the other (polled more often)
 * keeps saying it is silenced: each instance's word is kept until that instance speaks. */
static void
test_ha_active_kept(void **state)
{
	char dir[64], *conf, *err = NULL;
	struct sr_config cfg;
	struct sr_feeds *f;
	sr_time t0 = 1795460000;
	FILE *fp;
	static const char *const files[] = { "sitrep.conf" };
	char body[1024];

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-haact");
	assert_non_null(mkdtemp(dir));
	conf = sr_xasprintf("%s/sitrep.conf", dir);
	fp = fopen(conf, "w");
	fprintf(fp, "[alertmanager a]\nurl = http://127.0.0.1:%d/ha\ninterval = 60s\n"
		"[alertmanager b]\nurl = http://127.0.0.1:%d/hb\ninterval = 15s\n",
		server_port, server_port);
	fclose(fp);
	sr_config_init(&cfg);
	if (sr_config_load(&cfg, conf, 1, &err) < 0)
		fail_msg("config: %s", err);
	snprintf(body, sizeof body, HA_X, "one", "active", "");
	set_answer("/ha/api/v2/alerts", 200, body);
	snprintf(body, sizeof body, HA_X, "one", "suppressed", "\"s1\"");
	set_answer("/hb/api/v2/alerts", 200, body);
	f = sr_feeds_new(&cfg, NULL, NULL, t0);
	assert_int_equal(sr_feeds_update(f, t0, &err), 0);
	PUMP_UNTIL(f, t0, !sr_feeds_busy(f) && f->am[0].st.last_ok && f->am[1].st.last_ok);
	assert_int_equal(f->alerts.n, 1);
	assert_int_equal(f->alerts.v[0].state, SR_AM_ACTIVE);
	/* b again (a not due for 45 s), with new words: X read anew, a's "active" still holds */
	snprintf(body, sizeof body, HA_X, "two", "suppressed", "\"s1\"");
	set_answer("/hb/api/v2/alerts", 200, body);
	assert_int_equal(sr_feeds_update(f, t0 + 15, &err), 0);
	assert_false(f->am[0].st.in_flight);
	PUMP_UNTIL(f, t0 + 15, !sr_feeds_busy(f));
	assert_int_equal(f->am[1].st.last_ok, t0 + 15);
	assert_int_equal(f->alerts.n, 1);
	assert_string_equal(f->alerts.v[0].annotations[0].value, "two");
	assert_int_equal(f->alerts.v[0].state, SR_AM_ACTIVE);
	sr_feeds_free(f);
	sr_config_done(&cfg);
	free(conf);
	rm_dir(dir, files, SR_ARRAY_LEN(files));
}

/* The watchdog is the alert of that name, still firing: no other alert stands in for it. */
static void
test_watchdog_in(void **state)
{
	struct sr_am_alert v[2];
	struct sr_label other = { "alertname", "Other" }, wd = { "alertname", "DeadMansSwitch" },
			nolabel = { "job", "x" };
	struct sr_am_alerts al = { v, 1, 2 };
	sr_time t0 = 1795460000;

	(void)state;
	memset(v, 0, sizeof v);
	v[0].labels = &other;
	v[0].n_labels = 1;
	assert_false(sr_watchdog_in(&al, "DeadMansSwitch", t0));
	v[0].labels = &nolabel;
	assert_false(sr_watchdog_in(&al, "DeadMansSwitch", t0));
	v[1].labels = &wd;
	v[1].n_labels = 1;
	al.n = 2;
	assert_true(sr_watchdog_in(&al, "DeadMansSwitch", t0));
	v[1].ends_at = t0 + 1;
	assert_true(sr_watchdog_in(&al, "DeadMansSwitch", t0));
	v[1].ends_at = t0;	/* ended now */
	assert_false(sr_watchdog_in(&al, "DeadMansSwitch", t0));
}

/* One-shot jobs all run to their end: each with its own status and answer. */
static void
test_jobs_run(void **state)
{
	struct sr_feed_job *jobs = sr_xcalloc(2, sizeof(*jobs));
	char *err = NULL;

	(void)state;
	jobs[0].name = "ok";
	jobs[0].url = sr_xasprintf("http://127.0.0.1:%d/ok", server_port);
	jobs[0].method = "GET";
	jobs[1].name = "failing";
	jobs[1].url = sr_xasprintf("http://127.0.0.1:%d/500", server_port);
	jobs[1].method = "GET";
	assert_int_equal(sr_feed_jobs_run(jobs, 2, &err), 0);
	assert_true(jobs[0].done && jobs[1].done);
	assert_int_equal(jobs[0].status, 200);
	assert_string_equal(jobs[0].resp, "{\"ok\":true}");
	assert_int_equal(jobs[0].len, 11);
	assert_null(jobs[0].err);
	assert_int_equal(jobs[1].status, 500);
	assert_non_null(strstr(jobs[1].resp, "boom"));
	sr_feed_jobs_free(jobs, 2);
}

/*
 * Dead man's switch (issue 16): the engine records when the watchdog alert was last read;
 * missing for longer than the grace it is ABSENT with a banner; a fresh engine that never saw
 * it is alive only during the grace after its start.
 */
static void
test_watchdog(void **state)
{
	char dir[] = "/tmp/sitrep-wd-XXXXXX", *conf, *err = NULL, *banner;
	struct sr_config cfg;
	struct sr_feeds *f;
	struct sr_watchdog w;
	sr_time t0 = 1795460000;
	static const char *const files[] = { "sitrep.conf", "alerts.json" };
	static const char wd[] =
		"[{\"labels\":{\"alertname\":\"Watchdog\"},\"annotations\":{},"
		"\"fingerprint\":\"wd\",\"receivers\":[],\"startsAt\":\"{{now-5m}}\","
		"\"endsAt\":\"{{now+4m}}\",\"status\":{\"state\":\"active\",\"silencedBy\":[],"
		"\"inhibitedBy\":[]}}]";

	(void)state;
	assert_non_null(mkdtemp(dir));
	put_file(dir, "sitrep.conf", "[feeds]\nwatchdog = yes\nwatchdog_grace = 3m\n");
	put_file(dir, "alerts.json", "[]");
	conf = sr_xasprintf("%s/sitrep.conf", dir);
	sr_config_init(&cfg);
	if (sr_config_load(&cfg, conf, 1, &err) < 0)
		fail_msg("config: %s", err);
	assert_string_equal(sr_watchdog_name(&cfg), "Watchdog");

	f = sr_feeds_new(&cfg, NULL, dir, t0);
	assert_int_equal(sr_feeds_update(f, t0, &err), 0);
	sr_feeds_watchdog(f, t0 + 180, &w);
	assert_int_equal(w.health, SR_WD_ALIVE);	/* within the grace of the start */
	sr_feeds_watchdog(f, t0 + 181, &w);
	assert_int_equal(w.health, SR_WD_ABSENT);
	banner = sr_watchdog_banner(&w);
	assert_string_equal(banner, "ALERTING PIPELINE: Watchdog not seen");
	free(banner);
	/* it arrives: alive */
	put_file(dir, "alerts.json", wd);
	assert_int_equal(sr_feeds_update(f, t0 + 200, &err), 0);
	sr_feeds_watchdog(f, t0 + 200, &w);
	assert_int_equal(w.health, SR_WD_ALIVE);
	assert_int_equal(w.absent_for, 0);
	assert_null(sr_watchdog_banner(&w));
	/* it goes: absent once the grace has passed since the last sighting */
	put_file(dir, "alerts.json", "[]");
	assert_int_equal(sr_feeds_update(f, t0 + 215, &err), 0);
	sr_feeds_watchdog(f, t0 + 380, &w);
	assert_int_equal(w.health, SR_WD_ALIVE);
	sr_feeds_watchdog(f, t0 + 381, &w);
	assert_int_equal(w.health, SR_WD_ABSENT);
	assert_int_equal(w.absent_for, 181);
	banner = sr_watchdog_banner(&w);
	assert_string_equal(banner, "ALERTING PIPELINE: Watchdog absent for 3m01s");
	free(banner);
	sr_feeds_free(f);
	/* off unless configured; a one-shot judgement with no sighting is absent */
	sr_set_str(&cfg.watchdog, "");
	sr_watchdog_judge(&cfg, 0, 0, t0, &w);
	assert_int_equal(w.health, SR_WD_OFF);
	sr_set_str(&cfg.watchdog, "DeadMansSwitch");
	sr_watchdog_judge(&cfg, 0, 0, t0, &w);
	assert_int_equal(w.health, SR_WD_ABSENT);
	assert_string_equal(w.name, "DeadMansSwitch");
	free(conf);
	sr_config_done(&cfg);
	rm_dir(dir, files, SR_ARRAY_LEN(files));
}

/* --- mutation round 5 (seed 17) --- */

/* A demo panel's recording is named from the panel's name: letters lowered (A and Z
 * included), digits kept, anything else a '-'. */
static void
test_demo_panel_file(void **state)
{
	char dir[64], *conf, *err = NULL;
	struct sr_config cfg;
	struct sr_feeds *f;
	sr_time t0 = 1795460000;
	static const char *const files[] = { "sitrep.conf", "alerts.json", "panel-az-09-z.json" };

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-demo");
	assert_non_null(mkdtemp(dir));
	put_file(dir, "sitrep.conf", "[panel AZ 09_Z]\nquery = x\n");
	put_file(dir, "alerts.json", "[]");
	put_file(dir, "panel-az-09-z.json",
		 "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
		 "{},\"value\":[{{unix}},\"7\"]}]}}");
	conf = sr_xasprintf("%s/sitrep.conf", dir);
	sr_config_init(&cfg);
	if (sr_config_load(&cfg, conf, 1, &err) < 0)
		fail_msg("config: %s", err);
	f = sr_feeds_new(&cfg, NULL, dir, t0);
	assert_int_equal(sr_feeds_update(f, t0, &err), 0);
	if (!f->panels[0].has_res)
		fail_msg("panel not read: %s", f->panels[0].st.last_err ? f->panels[0].st.last_err : "?");
	/* a demo feed has no connection to wait on: waiting succeeds at once */
	assert_int_equal(sr_feeds_wait(f, NULL, 0, 0, &err), 0);
	assert_null(err);
	sr_feeds_free(f);
	free(conf);
	sr_config_done(&cfg);
	rm_dir(dir, files, SR_ARRAY_LEN(files));
}

/* A judgement writes the whole struct: one reused after an earlier judgement (or never
 * initialised) keeps nothing of it when the watchdog is off. */
static void
test_watchdog_off_clears(void **state)
{
	struct sr_config cfg;
	struct sr_watchdog w;

	(void)state;
	sr_config_init(&cfg);
	memset(&w, 0x5a, sizeof(w));
	sr_watchdog_judge(&cfg, 0, 0, 1795460000, &w);
	assert_int_equal(w.health, SR_WD_OFF);
	assert_null(w.name);
	assert_int_equal(w.absent_for, 0);
	sr_config_done(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_wait_many),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_live_feeds),
		cmocka_unit_test(test_feeds_once),
		cmocka_unit_test(test_ha_pair),
		cmocka_unit_test(test_demo_source),
		cmocka_unit_test(test_watchdog),
		cmocka_unit_test(test_live_edges),
		cmocka_unit_test(test_demo_series_and_failure),
		cmocka_unit_test(test_ha_active_kept),
		cmocka_unit_test(test_watchdog_in),
		cmocka_unit_test(test_jobs_run),
		cmocka_unit_test(test_demo_panel_file),
		cmocka_unit_test(test_watchdog_off_clears),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, start_server, stop_server);
}

/* SPDX-License-Identifier: MIT */
/* test_feed.c: schedule, backoff, staleness, last-good cache and alert transitions, fake time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed.h"

static void
test_backoff(void **state)
{
	(void)state;
	assert_int_equal(sr_feed_backoff(15, 0), 15);
	assert_int_equal(sr_feed_backoff(15, 1), 30);
	assert_int_equal(sr_feed_backoff(15, 2), 60);
	assert_int_equal(sr_feed_backoff(15, 4), 240);
	assert_int_equal(sr_feed_backoff(15, 5), 300);	/* capped at 5 minutes */
	assert_int_equal(sr_feed_backoff(15, 60), 300);
	assert_int_equal(sr_feed_backoff(600, 0), 300);
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

	/* Failures: 30, 60, 120, 240, 300, 300 s between attempts; data ages meanwhile. */
	t += 16;
	{
		const int64_t waits[] = { 30, 60, 120, 240, 300, 300 };

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
	/* Recovery resets the backoff. */
	sr_feed_started(&st, t);
	sr_feed_succeeded(&st, t);
	assert_null(st.last_err);
	assert_int_equal(st.failures, 0);
	assert_int_equal(st.next_due, t + 15);
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
	char path[] = "/tmp/sitrep-feed-test-XXXXXX";
	char *db, *err = NULL, *body = NULL;
	struct sr_store *st;
	size_t len = 0;
	sr_time at = 0;
	int fd = mkstemp(path);

	(void)state;
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_wait_many),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * test_soak.c: resource bounds. A 24-hour fast-forward soak (fixed-clock ticks) of what a
 * console does — alert polls, transition detection, last-good caching, timer ticks,
 * escalations, incidents opened and closed — must not grow the live heap; streaming 100,000
 * alerts must not hold them all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SR_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SR_ASAN 1
#endif
#ifdef SR_ASAN
/* From <sanitizer/allocator_interface.h>, which gcc's Debian packages do not ship. */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#include "alertmgr.h"
#include "feed.h"
#include "incident.h"
#include "store.h"
#include "tmpdir.h"

#define T0 ((sr_time)1795403520)	/* 2026-11-23T03:12:00Z */

/* Bytes the program holds on the heap now (ASan's count under ASan, glibc's otherwise). */
static size_t
live_bytes(void)
{
#ifdef SR_ASAN
	return __sanitizer_get_current_allocated_bytes();
#else
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
#endif
}

static long
rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = -1;
	fclose(f);
	return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* An Alertmanager answer: `n` alerts from a pool, a rotating window of them firing. */
static char *
alerts_body(unsigned poll, size_t n, size_t *len)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_addc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		unsigned id = (unsigned)((poll / 8 + i) % (n * 2));	/* slow churn */
		int silenced = id % 17 == 0;

		sr_buf_printf(&b,
			      "%s{\"labels\":{\"alertname\":\"Alert%u\",\"severity\":\"%s\","
			      "\"instance\":\"host-%u:9100\",\"job\":\"node\"},"
			      "\"annotations\":{\"summary\":\"Alert %u is firing on host-%u\"},"
			      "\"startsAt\":\"2026-11-23T03:00:00Z\",\"endsAt\":\"2030-01-01T00:00:00Z\","
			      "\"updatedAt\":\"2026-11-23T03:00:00Z\",\"fingerprint\":\"%016x\","
			      "\"generatorURL\":\"http://prom:9090/graph?g0.expr=up\","
			      "\"status\":{\"state\":\"%s\",\"silencedBy\":[%s],\"inhibitedBy\":[]},"
			      "\"receivers\":[{\"name\":\"oncall\"}]}",
			      i ? "," : "", id, id % 3 ? "warning" : "critical", id, id, id, id,
			      silenced ? "suppressed" : "active",
			      silenced ? "\"5a1e0000-0000-0000-0000-000000000001\"" : "");
	}
	sr_buf_addc(&b, ']');
	*len = b.len;
	return sr_buf_steal(&b);
}

struct soak {
	struct sr_config cfg;
	struct sr_store *st;
	char dir[64];
	unsigned created;
};

static void
open_incident(struct soak *s, sr_time now)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL, title[64];

	snprintf(title, sizeof(title), "soak incident %u", s->created++);
	assert_int_equal(sr_incident_new(&inc, title, "soak", (enum sr_sev)(s->created % 4), NULL,
					 "soak", now, &ev, &err), 0);
	assert_int_equal(sr_incident_link_alert(&inc, "0000000000000001", NULL, "soak", now, &ev,
						&err), 0);
	if (s->st->ops->create(s->st, &inc, &ev, &err) != 0)
		fail_msg("create: %s", err);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
}

/* Loads, changes through fn, stores: what the console does on every action. */
static void
work_open(struct soak *s, sr_time now, int close_oldest)
{
	struct sr_incident_list l = { 0 };
	char *err = NULL;

	if (s->st->ops->list(s->st, SR_LIST_OPEN, &l, &err) != 0)
		fail_msg("list: %s", err);
	for (size_t i = 0; i < l.n; i++) {
		struct sr_incident *inc = &l.v[i];
		struct sr_event_list ev = { 0 };
		struct sr_timers t;

		sr_incident_timers(inc, &s->cfg, now, &t);
		sr_incident_tick(inc, &s->cfg, now, &ev);
		if (close_oldest && i + 1 == l.n) {
			if (inc->status == SR_ST_TRIGGERED)
				assert_int_equal(sr_incident_ack(inc, "soak", now, &ev, &err), 0);
			assert_int_equal(sr_incident_resolve(inc, "soak", "soak", "soak", now, &ev,
							     &err), 0);
			assert_int_equal(sr_incident_close(inc, "soak", now, &ev, &err), 0);
		}
		if (ev.n > 0 && s->st->ops->update(s->st, inc, &ev, NULL, &err) != 0)
			fail_msg("update: %s", err);
		sr_event_list_done(&ev);
	}
	sr_incident_list_done(&l);
}

/* One simulated day, a second at a time; returns live-heap growth after the first hour. */
static long
soak_day(struct soak *s, sr_time hours)
{
	struct sr_am_alerts prev = { 0 }, cur;
	int have_prev = 0;
	struct sr_feed_state fs;
	size_t base = 0;
	long base_rss = 0;
	unsigned polls = 0, events = 0;
	char *err = NULL;

	sr_feed_state_init(&fs, "alerts:main", 15, T0);
	for (sr_time now = T0; now < T0 + hours * 3600; now++) {
		if (sr_feed_due(&fs, now)) {
			size_t len;
			char *body = alerts_body(polls++, 60, &len);
			struct sr_feed_events fev = { 0 };

			sr_feed_started(&fs, now);
			memset(&cur, 0, sizeof(cur));
			if (polls % 10 == 0) {	/* every tenth poll fails: backoff path */
				sr_feed_failed(&fs, now, "connection refused");
				sr_am_alerts_done(&cur);
			} else {
				if (sr_am_parse_alerts(body, len, 200, "http://am/api/v2/alerts", &cur,
						       &err) != 0)
					fail_msg("parse: %s", err);
				sr_feed_alert_diff(have_prev ? &prev : NULL, &cur, now, &fev);
				events += (unsigned)fev.n;
				sr_feed_events_done(&fev);
				if (sr_feed_cache_save(s->st, fs.key, body, len, now, &err) != 0)
					fail_msg("cache: %s", err);
				sr_feed_succeeded(&fs, now);
				if (have_prev)
					sr_am_alerts_done(&prev);
				prev = cur;
				have_prev = 1;
			}
			free(body);
		}
		if (now % 60 == 0)
			work_open(s, now, now % 1500 == 0);
		if (now % 1800 == 0)
			open_incident(s, now);
		if (now == T0 + 3600) {
			base = live_bytes();
			base_rss = rss_kb();
		}
	}
	if (have_prev)
		sr_am_alerts_done(&prev);
	sr_feed_state_done(&fs);
	assert_true(events > 0);
	printf("soak: %lld h simulated, %u polls, %u alert transitions, %u incidents; live heap "
	       "%zu -> %zu bytes, RSS %ld -> %ld KiB\n",
	       (long long)hours, polls, events, s->created, base, live_bytes(), base_rss,
	       rss_kb());
#ifndef SR_ASAN
	/* ASan's quarantine keeps freed memory resident by design; elsewhere RSS must hold */
	if (base_rss > 0 && rss_kb() - base_rss > 1024)
		fail_msg("RSS grew from %ld to %ld KiB over the soak", base_rss, rss_kb());
#endif
	return (long)live_bytes() - (long)base;
}

static void
test_soak_24h(void **state)
{
	struct soak s = { 0 };
	char *err = NULL, path[96];
	/* under valgrind (check-valgrind) a shorter day keeps the run short; leaks are its job */
	sr_time hours = getenv("SITREP_VALGRIND") ? 3 : 24;
	long growth;

	(void)state;
	sr_test_tmp(s.dir, sizeof(s.dir), "sitrep-soak");
	assert_non_null(mkdtemp(s.dir));
	snprintf(path, sizeof(path), "%s/s.db", s.dir);
	sr_config_init(&s.cfg);
	s.st = sr_store_open(path, &err);
	if (s.st == NULL)
		fail_msg("open: %s", err);
	growth = soak_day(&s, hours);
	/* SQLite's page cache and statement caches are warm after the first hour */
	if (growth > 256 * 1024)
		fail_msg("live heap grew by %ld bytes over the soak", growth);
	sr_store_close(s.st);
	sr_config_done(&s.cfg);
	snprintf(path, sizeof(path), "rm -rf '%s'", s.dir);
	assert_int_equal(system(path), 0);
}

struct stream {
	size_t n, base, peak;
};

static void
count_alert(void *arg, struct sr_am_alert *a)
{
	struct stream *s = arg;
	size_t now = live_bytes();

	(void)a;
	s->n++;
	if (now > s->peak)
		s->peak = now;
}

static void
test_100k_alerts_streamed(void **state)
{
	struct stream s = { 0 };
	size_t len;
	char *err = NULL;
	char *body = alerts_body(0, getenv("SITREP_VALGRIND") ? 10000 : 100000, &len);

	(void)state;
	s.base = s.peak = live_bytes();
	if (sr_am_parse_alerts_each(body, len, 200, "http://am/api/v2/alerts", count_alert, &s,
				    &err) != 0)
		fail_msg("parse: %s", err);
	printf("100k alerts: %zu alerts from %zu bytes; peak extra heap while streaming %zu "
	       "bytes\n", s.n, len, s.peak - s.base);
	assert_true(s.n >= 10000);
	/* streaming keeps one alert at a time, not the whole answer */
	assert_true(s.peak - s.base < 1024 * 1024);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_100k_alerts_streamed),
		cmocka_unit_test(test_soak_24h),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

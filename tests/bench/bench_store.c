/* SPDX-License-Identifier: MIT */
/* bench_store.c: SQLite store figures at 100,000 incidents and 1,000,000 timeline events. */
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "incident.h"
#include "store.h"

#ifndef N_INCIDENTS		/* -DN_INCIDENTS=... for a quick run while profiling */
#define N_INCIDENTS 100000
#endif
#define EVENTS_PER 10		/* 1,000,000 events in all */
#define OPEN_EVERY 100		/* 1 in 100 stays open: 1,000 open incidents */
#define REPEATS 31
#ifndef LIFECYCLES
#define LIFECYCLES 5000
#endif

#define T0 ((sr_time)1735689600)	/* 2025-01-01T00:00:00Z */
#define STEP ((sr_time)600)		/* one incident every 10 minutes: ~1.9 years */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return v[n / 2];
}

static void
die(const char *what, char *err)
{
	fprintf(stderr, "bench_store: %s: %s\n", what, err != NULL ? err : "failed");
	free(err);
	exit(1);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static const char *
verdict(int ok)
{
	return ok ? "PASS" : "FAIL";
}

/* Fills the store through the store API: every incident one create() transaction. */
static void
build(struct sr_store *st)
{
	static const enum sr_event_kind kinds[EVENTS_PER] = {
		SR_EV_CREATED, SR_EV_ALERT_LINKED, SR_EV_ACKNOWLEDGED, SR_EV_ROLE, SR_EV_STATUS,
		SR_EV_NOTE, SR_EV_UPDATE_SENT, SR_EV_STATUS, SR_EV_RESOLVED, SR_EV_CLOSED,
	};
	char *err = NULL;

	for (int i = 0; i < N_INCIDENTS; i++) {
		struct sr_incident inc;
		struct sr_event_list ev = { 0 };
		sr_time t = T0 + (sr_time)i * STEP;
		int open = i % OPEN_EVERY == OPEN_EVERY / 2, acked = (i / OPEN_EVERY) % 2;

		sr_incident_init(&inc);
		inc.title = sr_xasprintf("Synthetic incident %d: error rate above 5%%", i);
		inc.service = sr_xasprintf("svc-%d", i % 37);
		inc.impact = sr_xstrdup("some customers see errors");
		inc.sev = (enum sr_sev)(i % SR_SEV_COUNT);
		inc.created_at = t;
		inc.roles[SR_ROLE_COMMANDER] = sr_xstrdup("alice");
		inc.alerts = sr_xcalloc(1, sizeof *inc.alerts);
		inc.alerts[0] = sr_xasprintf("%016x", (unsigned)i * 2654435761u);
		inc.n_alerts = 1;
		if (open) {
			/*
			 * Half of the open ones are still unacknowledged; being old, they were
			 * escalated to L4 long ago (as ticks would have recorded).
			 */
			inc.status = acked ? SR_ST_INVESTIGATING : SR_ST_TRIGGERED;
			inc.acked_at = acked ? t + 120 : 0;
			inc.level = acked ? 0 : SR_LEVEL_COUNT - 1;
		} else {
			inc.status = i % 3 ? SR_ST_CLOSED : SR_ST_RESOLVED;
			inc.acked_at = t + 120;
			inc.resolved_at = t + 3000;
			inc.closed_at = inc.status == SR_ST_CLOSED ? t + 6000 : 0;
			inc.root_cause = sr_xstrdup("a bad deploy");
			inc.resolution = sr_xstrdup("rolled back");
		}
		for (int e = 0; e < EVENTS_PER; e++)
			sr_event_list_add(&ev, t + e * 60, "alice", kinds[e],
					  "synthetic event %d of incident %d", e, i);
		if (st->ops->create(st, &inc, &ev, &err) != 0)
			die("building", err);
		sr_event_list_done(&ev);
		sr_incident_done(&inc);
	}
}

int
main(void)
{
	char dir[] = "/tmp/sitrep-bench-XXXXXX", path[64], *err = NULL;
	struct sr_store *st;
	struct sr_config cfg;
	struct sr_incident_list l = { 0 };
	double t, list_ms[REPEATS], tick_ms[REPEATS], both_ms[REPEATS], worst_ms[REPEATS];
	double build_s, life_s;
	sr_time now = T0 + (sr_time)N_INCIDENTS * STEP + 3600;
	size_t n_open = 0, worst_events = 0;
	int escalations = 0;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/sitrep.db", dir);
	sr_config_init(&cfg);
	if ((st = sr_store_open(path, &err)) == NULL)
		die("open", err);

	t = now_ms();
	build(st);
	build_s = (now_ms() - t) / 1e3;
	printf("store: built %d incidents and %d timeline events through the store API in %.1f s "
	       "(%.0f creates/s)\n", N_INCIDENTS, N_INCIDENTS * EVENTS_PER, build_s,
	       N_INCIDENTS / build_s);

	/* 1. list the open incidents. */
	for (int r = 0; r < REPEATS; r++) {
		t = now_ms();
		if (st->ops->list(st, SR_LIST_OPEN, &l, &err) != 0)
			die("list", err);
		list_ms[r] = now_ms() - t;
		n_open = l.n;
		sr_incident_list_done(&l);
	}

	/*
	 * 2. a timer tick over the loaded open incidents (timers for the screen, and any
	 * escalation due); list + tick together; and, for information, the worst case where
	 * every unacknowledged incident crosses all levels in the same tick.
	 */
	for (int r = 0; r < REPEATS; r++) {
		struct sr_event_list ev = { 0 };
		double t0 = now_ms(), t1;

		if (st->ops->list(st, SR_LIST_OPEN, &l, &err) != 0)
			die("list", err);
		t1 = now_ms();
		for (size_t i = 0; i < l.n; i++) {
			struct sr_timers tm;

			sr_incident_timers(&l.v[i], &cfg, now, &tm);
			escalations += sr_incident_tick(&l.v[i], &cfg, now, &ev);
		}
		tick_ms[r] = now_ms() - t1;
		both_ms[r] = now_ms() - t0;
		sr_event_list_done(&ev);

		for (size_t i = 0; i < l.n; i++)
			l.v[i].level = 0;
		t1 = now_ms();
		for (size_t i = 0; i < l.n; i++) {
			struct sr_timers tm;

			sr_incident_timers(&l.v[i], &cfg, now, &tm);
			sr_incident_tick(&l.v[i], &cfg, now, &ev);
		}
		worst_ms[r] = now_ms() - t1;
		worst_events = ev.n;
		sr_event_list_done(&ev);
		sr_incident_list_done(&l);
	}

	/* 3. create + ack + resolve, each a store transaction as the CLI does it. */
	t = now_ms();
	for (int i = 0; i < LIFECYCLES; i++) {
		struct sr_incident inc;
		struct sr_event_list ev = { 0 };
		char id[SR_ID_MAX];
		sr_time at = now + i;

		sr_incident_init(&inc);
		if (sr_incident_new(&inc, "Checkout latency", "checkout", SR_SEV_P2, NULL, "bench",
				    at, &ev, &err) != 0 || st->ops->create(st, &inc, &ev, &err) != 0)
			die("create", err);
		snprintf(id, sizeof id, "%s", inc.id);
		sr_event_list_done(&ev);

		if (st->ops->get(st, id, &inc, &err) != 0 ||
		    sr_incident_ack(&inc, "bench", at + 1, &ev, &err) != 0 ||
		    st->ops->update(st, &inc, &ev, NULL, &err) != 0)
			die("ack", err);
		sr_event_list_done(&ev);

		if (st->ops->get(st, id, &inc, &err) != 0 ||
		    sr_incident_resolve(&inc, "cache stampede", "raised TTL", "bench", at + 2, &ev,
					&err) != 0 ||
		    st->ops->update(st, &inc, &ev, NULL, &err) != 0)
			die("resolve", err);
		sr_event_list_done(&ev);
		sr_incident_done(&inc);
	}
	life_s = (now_ms() - t) / 1e3;

	{
		double ml = median(list_ms, REPEATS), mt = median(tick_ms, REPEATS);
		double mb = median(both_ms, REPEATS), rate = LIFECYCLES / life_s;

		printf("store: list open (%zu of %d incidents), median of %d: %.2f ms "
		       "(target < 5 ms) %s\n", n_open, N_INCIDENTS, REPEATS, ml, verdict(ml < 5.0));
		printf("store: timer tick over %zu open incidents, median of %d: %.3f ms "
		       "(target < 2 ms) %s\n", n_open, REPEATS, mt, verdict(mt < 2.0));
		printf("store: list + tick together, median of %d: %.2f ms (%d escalations were "
		       "due)\n", REPEATS, mb, escalations);
		printf("store: worst-case tick, every unacknowledged incident escalating L1 -> L4 "
		       "at once (%zu events), median of %d: %.3f ms (for information)\n",
		       worst_events, REPEATS, median(worst_ms, REPEATS));
		printf("store: create + ack + resolve: %d incidents in %.2f s = %.0f incidents/s "
		       "(target >= 5000/s) %s\n", LIFECYCLES, life_s, rate, verdict(rate >= 5000));
	}

	sr_store_close(st);
	sr_config_done(&cfg);
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	return 0;
}

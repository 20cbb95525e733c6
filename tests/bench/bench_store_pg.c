/* SPDX-License-Identifier: MIT */
/*
 * bench_store_pg.c: the team store's figures, PostgreSQL over loopback beside SQLite:
 * create+ack+resolve throughput, and live updates: 10 watchers while a writer makes 100
 * changes a second, every change seen, p50/p99 from the commit to the watcher having
 * reloaded the incident. Needs SITREP_BENCH_PG (tests/bench/bench_store_pg.sh starts a server).
 */
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "incident.h"
#include "store.h"

#define T0 ((sr_time)1772359200)
#define WATCHERS 10
#define RATE 100		/* changes a second */
#define LIFECYCLES 300

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
die(const char *what, char *err)
{
	fprintf(stderr, "bench_store_pg: %s: %s\n", what, err != NULL ? err : "failed");
	free(err);
	exit(1);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static struct sr_store *
open_or_die(const char *where)
{
	char *err = NULL;
	struct sr_store *st = sr_store_open(where, &err);

	if (st == NULL)
		die("open", err);
	return st;
}

/* One status change through the store with its event, as the change path stores it. */
static void
change(struct sr_store *st, struct sr_incident *inc, enum sr_status to, enum sr_event_kind k,
       sr_time at)
{
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	inc->status = to;
	sr_event_list_add(&ev, at, "bench", k, "%s", sr_status_name(to));
	if (st->ops->update(st, inc, &ev, NULL, &err) != 0)
		die("update", err);
	sr_event_list_done(&ev);
}

/* create + ack + resolve, n times: lifecycles a second. */
static double
lifecycles(const char *where, int n)
{
	struct sr_store *st = open_or_die(where);
	double t0 = now_ms();

	for (int i = 0; i < n; i++) {
		struct sr_incident inc;
		struct sr_event_list ev = { 0 };
		char *err = NULL;

		sr_incident_init(&inc);
		inc.title = sr_xstrdup("bench");
		inc.sev = SR_SEV_P3;
		inc.created_at = T0 + i;
		sr_event_list_add(&ev, T0 + i, "bench", SR_EV_CREATED, "created");
		if (st->ops->create(st, &inc, &ev, &err) != 0)
			die("create", err);
		sr_event_list_done(&ev);
		change(st, &inc, SR_ST_ACKNOWLEDGED, SR_EV_ACKNOWLEDGED, T0 + i + 1);
		change(st, &inc, SR_ST_RESOLVED, SR_EV_RESOLVED, T0 + i + 2);
		sr_incident_done(&inc);
	}
	t0 = now_ms() - t0;
	sr_store_close(st);
	return n / (t0 / 1e3);
}

/*
 * A watcher: waits on the store's descriptor (PostgreSQL) or ticks every 10 ms (SQLite
 * has none; the console ticks once a second), reloads each changed incident, and records
 * for each version seen the moment it had it. Exits when the writer's last version is seen.
 */
static void
watcher(const char *where, int last, double *seen)
{
	struct sr_store *st = open_or_die(where);
	struct sr_store_changes c = { 0 };
	struct sr_incident inc;
	char *err = NULL;
	int have = 0;
	double deadline = now_ms() + 1000.0 * (last / RATE + 30);

	sr_incident_init(&inc);
	if (sr_store_watch(st, &err) != 0)
		die("watch", err);
	*seen = -2;	/* ready */
	while (have < last && now_ms() < deadline) {
		struct pollfd p = { sr_store_watch_fd(st), POLLIN, 0 };

		if (p.fd >= 0)
			poll(&p, 1, 100);
		else
			usleep(10 * 1000);
		if (sr_store_changes(st, &c, &err) != 0)
			die("changes", err);
		for (size_t i = 0; i < c.n; i++) {
			if (st->ops->get(st, c.ids[i], &inc, &err) != 0)
				die("get", err);
			for (int v = have + 1; v <= inc.version - 1 && v <= last; v++)
				seen[v] = now_ms();
			if (inc.version - 1 > have)
				have = (int)inc.version - 1;
		}
		sr_store_changes_done(&c);
	}
	sr_incident_done(&inc);
	sr_store_close(st);
	_exit(have >= last ? 0 : 1);
}

/* The writer changes one incident RATE times a second for secs; 10 watchers follow. */
static void
watch_bench(const char *label, const char *where, int secs)
{
	int n = RATE * secs;
	/* shared with the watchers: [0..n] commit start times, then WATCHERS rows of seen times */
	double *shm = mmap(NULL, sizeof(double) * (size_t)(n + 1) * (WATCHERS + 1),
			   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct sr_store *st = open_or_die(where);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	double *lat, t0;
	pid_t pid[WATCHERS];
	char *err = NULL;
	int ok = 0;
	size_t m = 0;

	if (shm == MAP_FAILED)
		die("mmap", NULL);
	sr_incident_init(&inc);
	inc.title = sr_xstrdup("watched");
	inc.sev = SR_SEV_P2;
	inc.created_at = T0;
	if (st->ops->create(st, &inc, &ev, &err) != 0)
		die("create", err);
	for (int w = 0; w < WATCHERS; w++) {
		double *seen = shm + (size_t)(n + 1) * (size_t)(w + 1);

		seen[0] = 0;
		if ((pid[w] = fork()) == 0)
			watcher(where, n, seen);
	}
	for (int w = 0; w < WATCHERS; w++)	/* every watcher listening before the first change */
		while (shm[(size_t)(n + 1) * (size_t)(w + 1)] != -2)
			usleep(1000);
	t0 = now_ms();
	for (int v = 1; v <= n; v++) {
		double due = t0 + 1000.0 * v / RATE;

		while (now_ms() < due)
			usleep(200);
		shm[v] = now_ms();
		sr_event_list_add(&ev, T0 + v, "bench", SR_EV_NOTE, "change %d", v);
		if (st->ops->update(st, &inc, &ev, NULL, &err) != 0)
			die("update", err);
		sr_event_list_done(&ev);
	}
	for (int w = 0; w < WATCHERS; w++) {
		int status;

		waitpid(pid[w], &status, 0);
		ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	lat = malloc(sizeof *lat * (size_t)n * WATCHERS);
	for (int w = 0; w < WATCHERS; w++)
		for (int v = 1; v <= n; v++) {
			double s = shm[(size_t)(n + 1) * (size_t)(w + 1) + (size_t)v];

			if (s > 0)
				lat[m++] = s - shm[v];
		}
	qsort(lat, m, sizeof *lat, cmp_double);
	printf("%-10s %d watchers, %d changes/s for %d s: %d/%d watchers saw all %d changes "
	       "(%zu of %d sightings); commit -> reloaded p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
	       label, WATCHERS, RATE, secs, ok, WATCHERS, n, m, n * WATCHERS,
	       m ? lat[m / 2] : -1.0, m ? lat[(size_t)((double)m * 0.99)] : -1.0,
	       m ? lat[m - 1] : -1.0);
	free(lat);
	sr_incident_done(&inc);
	sr_store_close(st);
	munmap(shm, sizeof(double) * (size_t)(n + 1) * (WATCHERS + 1));
}

int
main(void)
{
	const char *pg = getenv("SITREP_BENCH_PG");
	const char *dir = getenv("SITREP_BENCH_DIR");
	int secs = getenv("SITREP_BENCH_SECONDS") ? atoi(getenv("SITREP_BENCH_SECONDS")) : 30;
	char *sq, *sq2;

	if (pg == NULL || dir == NULL) {
		printf("bench_store_pg: skipped here (tests/bench/bench_store_pg.sh runs it with a "
		       "PostgreSQL server)\n");
		return 0;
	}
	if (secs < 1)
		secs = 1;
	sq = sr_xasprintf("%s/life.db", dir);
	sq2 = sr_xasprintf("%s/watch.db", dir);
	printf("create+ack+resolve, %d lifecycles (3 transactions each):\n", LIFECYCLES);
	printf("  postgresql (loopback) %8.0f lifecycles/s\n", lifecycles(pg, LIFECYCLES));
	printf("  sqlite (peer)         %8.0f lifecycles/s\n", lifecycles(sq, LIFECYCLES));
	watch_bench("postgresql", pg, secs);
	watch_bench("sqlite", sq2, secs);
	free(sq);
	free(sq2);
	return 0;
}

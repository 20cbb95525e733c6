/* SPDX-License-Identifier: MIT */
/*
 * bench_ack.c: what acknowledgement extension adds to a tick with 1,000 acknowledged alerts
 * (issue 16): parsing the Alertmanager's silences answer and planning every extension
 * (sr_ack_plan: each ack silence recognised, matched to the firing alert that names it, its
 * incident asked once), beside the peer every tick pays anyway: parsing the same
 * Alertmanager's 1,000-alert answer. The console's tick (tui_silences_ack_tick) does that and
 * also indexes the list by ID (sr_ack_index, for "acked by" in the alerts view) and builds
 * each extension's body (sr_ack_extend_body): its whole added cost is printed too. Best of 20
 * runs, in this run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ack.h"
#include "util.h"

#define N 1000
#define INCIDENTS 20
#define NOW ((sr_time)1795403520)

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
open_of(void *arg, const char *id)
{
	(void)arg;
	(void)id;
	return 1;
}

int
main(void)
{
	struct sr_buf alerts, sils;
	double best_ack = 1e9, best_peer = 1e9, best_plan = 1e9, best_console = 1e9;
	size_t planned = 0;

	sr_buf_init(&alerts);
	sr_buf_init(&sils);
	sr_buf_adds(&alerts, "[");
	sr_buf_adds(&sils, "[");
	for (int i = 0; i < N; i++) {
		/* acknowledged 10 minutes ago for 15: 5 left, under half: every one is extended */
		sr_buf_printf(&alerts, "%s{\"labels\":{\"alertname\":\"DiskFull\",\"instance\":"
			      "\"db-%d:9100\",\"severity\":\"critical\",\"job\":\"node\"},"
			      "\"annotations\":{\"summary\":\"disk %d almost full\"},"
			      "\"fingerprint\":\"%016x\",\"receivers\":[{\"name\":\"x\"}],"
			      "\"startsAt\":\"2026-11-23T02:00:00Z\",\"endsAt\":\"2026-11-23T05:00:00Z\","
			      "\"updatedAt\":\"2026-11-23T03:00:00Z\",\"generatorURL\":\"http://p/g\","
			      "\"status\":{\"state\":\"suppressed\",\"silencedBy\":[\"s-%06d\"],"
			      "\"inhibitedBy\":[]}}", i ? "," : "", i, i, (unsigned)i * 2654435761u, i);
		sr_buf_printf(&sils, "%s{\"id\":\"s-%06d\",\"matchers\":["
			      "{\"name\":\"alertname\",\"value\":\"DiskFull\",\"isRegex\":false,\"isEqual\":true},"
			      "{\"name\":\"instance\",\"value\":\"db-%d:9100\",\"isRegex\":false,\"isEqual\":true},"
			      "{\"name\":\"job\",\"value\":\"node\",\"isRegex\":false,\"isEqual\":true},"
			      "{\"name\":\"severity\",\"value\":\"critical\",\"isRegex\":false,\"isEqual\":true}],"
			      "\"startsAt\":\"2026-11-23T03:02:00Z\",\"endsAt\":\"2026-11-23T03:17:00Z\","
			      "\"updatedAt\":\"2026-11-23T03:02:00Z\",\"createdBy\":\"alice\","
			      "\"comment\":\"ACK! INC-2026-%03d by alice\",\"status\":{\"state\":\"active\"}}",
			      i ? "," : "", i, i, i % INCIDENTS);
	}
	sr_buf_adds(&alerts, "]");
	sr_buf_adds(&sils, "]");
	for (int r = 0; r < 20; r++) {
		struct sr_am_alerts al;
		struct sr_am_silences sil;
		struct sr_ack_plan_item *plan;
		char *err = NULL;
		double t0, t1, t1b, t2, t3;

		t0 = mono();
		if (sr_am_parse_alerts(alerts.data, alerts.len, 200, "bench", &al, &err) < 0) {
			fprintf(stderr, "bench_ack: %s\n", err);
			return 1;
		}
		t1 = mono();
		if (sr_am_parse_silences(sils.data, sils.len, 200, "bench", &sil, &err) < 0) {
			fprintf(stderr, "bench_ack: %s\n", err);
			return 1;
		}
		t1b = mono();
		planned = sr_ack_plan(&sil, &al, "ACK! {incident} by {user}", open_of, NULL, NOW,
				      900, &plan);
		t2 = mono();
		{
			/* the console's share beyond the plan: the ID index and the bodies */
			struct sr_am_silences idx;

			idx.n = sil.n;
			idx.v = malloc((sil.n + 1) * sizeof(*idx.v));
			memcpy(idx.v, sil.v, sil.n * sizeof(*idx.v));
			sr_ack_index(&idx);
			for (size_t k = 0; k < planned; k++)
				free(sr_ack_extend_body(&sil.v[plan[k].silence], NOW, 900));
			free(idx.v);
		}
		t3 = mono();
		if (t3 - t1 < best_console)
			best_console = t3 - t1;
		if (t1 - t0 < best_peer)
			best_peer = t1 - t0;
		if (t2 - t1 < best_ack)
			best_ack = t2 - t1;
		if (t2 - t1b < best_plan)
			best_plan = t2 - t1b;
		sr_ack_plan_free(plan, planned);
		sr_am_silences_done(&sil);
		sr_am_alerts_done(&al);
	}
	if (planned != N) {
		fprintf(stderr, "bench_ack: %zu of %d acknowledgements planned for extension\n",
			planned, N);
		return 1;
	}
	printf("bench_ack: %d acked alerts, %d incidents: ack extension adds %.2f ms a tick "
	       "(silences answer parsed, then %zu extensions planned in %.2f ms)\n", N, INCIDENTS,
	       best_ack * 1e3, planned, best_plan * 1e3);
	printf("bench_ack: the console's added cost a tick with %d acked alerts: %.2f ms (silences "
	       "answer parsed and indexed by ID, %zu extensions planned, their bodies built)\n",
	       N, best_console * 1e3, planned);
	printf("bench_ack: peer, the same tick's 1,000-alert answer parsed: %.2f ms "
	       "(%zu KB alerts, %zu KB silences)\n", best_peer * 1e3, alerts.len / 1024,
	       sils.len / 1024);
	sr_buf_done(&alerts);
	sr_buf_done(&sils);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * bench_slack.c: rendering the `update` message (data model + template + mrkdwn and Block Kit)
 * for an incident with 10,000 timeline events; budget 2 ms. Median of 51 runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "slack.h"

#define T0 1795403520
#define RUNS 51

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median_render(const struct sr_slack_input *in, enum sr_slack_kind k, enum sr_slack_format f)
{
	double t[RUNS];

	for (int r = 0; r < RUNS; r++) {
		struct sr_buf b;
		char *err = NULL;
		double t0 = now_ms();

		sr_buf_init(&b);
		if (sr_slack_render(&b, k, f, in, &err) != 0) {
			fprintf(stderr, "%s\n", err);
			exit(1);
		}
		t[r] = now_ms() - t0;
		sr_buf_done(&b);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp);
	return t[RUNS / 2];
}

int
main(void)
{
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;
	double text, mrkdwn, blocks;

	sr_config_init(&cfg);
	sr_incident_init(&inc);
	if (sr_incident_new(&inc, "Checkout API returning 5xx", "checkout", SR_SEV_P1,
			    "Customers cannot pay", "dana", T0, &ev, &err) != 0)
		return 1;
	strcpy(inc.id, "INC-2026-005");
	for (int i = 1; i < 10000; i++)
		sr_event_list_add(&ev, T0 + i, "sam", SR_EV_NOTE, "note %d: error rate %d%%", i,
				  i % 100);
	{
		struct sr_slack_input in = { .inc = &inc, .events = &ev, .cfg = &cfg,
					     .now = T0 + 10000 };

		text = median_render(&in, SR_SLACK_UPDATE, SR_FMT_TEXT);
		mrkdwn = median_render(&in, SR_SLACK_UPDATE, SR_FMT_MRKDWN);
		blocks = median_render(&in, SR_SLACK_UPDATE, SR_FMT_BLOCKS);
	}
	printf("render update, 10,000 timeline events (median of %d): text %.3f ms, mrkdwn %.3f "
	       "ms, blocks %.3f ms (budget 2 ms)\n", RUNS, text, mrkdwn, blocks);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_config_done(&cfg);
	return blocks < 2.0 && mrkdwn < 2.0 && text < 2.0 ? 0 : 1;
}

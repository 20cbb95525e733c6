/* SPDX-License-Identifier: MIT */
/* fuzz_alertmgr.c: Alertmanager alerts, groups and silences answers from arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alertmgr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
count(void *arg, struct sr_am_alert *a)
{
	(void)a;
	(*(size_t *)arg)++;
}

/*
 * The incremental reader fed in pieces (sizes taken from the data itself) must agree with
 * the one-shot parse: same verdict, same number of alerts.
 */
static void
pieces_agree(const char *body, size_t size, int whole_ok, size_t whole_n)
{
	struct sr_am_reader *x;
	size_t n = 0, off = 0, step = size > 0 ? (unsigned char)body[0] % 17 + 1 : 1;
	char *err = NULL;
	int rc = 0;

	x = sr_am_reader_new("fuzz", size, count, &n);
	while (rc == 0 && off < size) {
		size_t k = size - off < step ? size - off : step;

		rc = sr_am_reader_feed(x, body + off, k, &err);
		off += k;
		step = step * 3 % 23 + 1;
	}
	if (rc == 0)
		rc = sr_am_reader_end(x, &err);
	if ((rc == 0) != whole_ok || (rc != 0 && err == NULL) || (whole_ok && n != whole_n))
		abort();
	free(err);
	sr_am_reader_free(x);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *body = malloc(size ? size : 1), *err = NULL, *id = NULL;
	struct sr_am_alerts a, b, all;
	struct sr_am_groups g;
	struct sr_am_silences s;

	if (size)
		memcpy(body, data, size);
	memset(&all, 0, sizeof(all));
	if (sr_am_parse_alerts(body, size, 200, "fuzz", &a, &err) == 0) {
		size_t n = a.n;

		pieces_agree(body, size, 1, n);
		/* The same answer from two instances merges into at most n alerts, all tagged. */
		if (sr_am_parse_alerts(body, size, 200, "fuzz", &b, &err) != 0)
			abort();
		sr_am_alerts_merge(&all, &a, "one");
		sr_am_alerts_merge(&all, &b, "two");
		if (all.n > n)
			abort();
		for (size_t i = 0; i < all.n; i++)
			if (all.v[i].n_instances < 1 || all.v[i].n_instances > 2)
				abort();
		sr_am_alerts_sort(&all);
	} else if (err == NULL) {
		abort();
	} else {
		pieces_agree(body, size, 0, 0);
	}
	sr_am_alerts_done(&a);
	sr_am_alerts_done(&all);
	free(err);
	err = NULL;
	if (sr_am_parse_groups(body, size, 200, "fuzz", &g, &err) < 0 && err == NULL)
		abort();
	sr_am_groups_done(&g);
	free(err);
	err = NULL;
	if (sr_am_parse_silences(body, size, 200, "fuzz", &s, &err) < 0 && err == NULL)
		abort();
	sr_am_silences_done(&s);
	free(err);
	err = NULL;
	if (sr_am_parse_silence_id(body, size, 200, "fuzz", &id, &err) < 0 && err == NULL)
		abort();
	free(id);
	free(err);
	err = NULL;
	if (sr_am_parse_alerts(body, size, 503, "fuzz", &a, &err) == 0 || err == NULL)
		abort();	/* an error status always fails, with a message */
	sr_am_alerts_done(&a);
	free(err);
	free(body);
	return 0;
}

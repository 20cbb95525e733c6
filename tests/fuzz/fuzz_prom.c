/* SPDX-License-Identifier: MIT */
/* fuzz_prom.c: Prometheus query, alerts and rules answers from arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Differential check: a successful answer read again with an "errorType" member inserted
 * (which sends it through the cJSON reader instead of the fast one) gives the same result.
 */
static void
compare_readers(const char *body, size_t size, const struct sr_prom_result *a)
{
	const char *brace = memchr(body, '{', size);
	struct sr_prom_result b;
	struct sr_buf dom;

	if (brace == NULL || (a->type != SR_PROM_VECTOR && a->type != SR_PROM_MATRIX))
		return;
	for (const char *p = body; p < brace; p++)
		if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
			return;
	sr_buf_init(&dom);
	sr_buf_add(&dom, body, (size_t)(brace - body) + 1);
	sr_buf_adds(&dom, "\"errorType\":\"\",");
	sr_buf_add(&dom, brace + 1, size - (size_t)(brace - body) - 1);
	/* What the fast reader accepts, cJSON accepts too. */
	if (sr_prom_parse_query(dom.data, dom.len, 200, "fuzz", &b, NULL) != 0)
		abort();
	{
		if (b.type != a->type || b.n_series != a->n_series)
			abort();
		for (size_t i = 0; i < a->n_series; i++) {
			if (a->series[i].n_samples != b.series[i].n_samples ||
			    a->series[i].n_labels != b.series[i].n_labels ||
			    memcmp(a->series[i].samples, b.series[i].samples,
				   a->series[i].n_samples * sizeof(struct sr_prom_sample)) != 0)
				abort();
			for (size_t k = 0; k < a->series[i].n_labels; k++)
				if (strcmp(a->series[i].labels[k].name, b.series[i].labels[k].name) ||
				    strcmp(a->series[i].labels[k].value, b.series[i].labels[k].value))
					abort();
		}
	}
	sr_prom_result_done(&b);
	sr_buf_done(&dom);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: the parsers must not read past len (ASan catches it). */
	char *body = malloc(size ? size : 1);
	struct sr_prom_result r;
	struct sr_prom_alerts a;
	struct sr_prom_rules ru;
	char *err = NULL;
	const long statuses[] = { 200, 400 };

	if (size)
		memcpy(body, data, size);
	for (size_t k = 0; k < 2; k++) {
		if (sr_prom_parse_query(body, size, statuses[k], "fuzz", &r, &err) == 0) {
			size_t total = 0;

			if (err != NULL)
				abort();	/* success never leaves a message */
			for (size_t i = 0; i < r.n_series; i++) {
				char buf[40];

				for (size_t j = 0; j < r.series[i].n_samples; j++)
					sr_prom_format_value(r.series[i].samples[j].v, buf, sizeof(buf));
				total += r.series[i].n_samples;
			}
			if (r.type == SR_PROM_STRING && r.string == NULL)
				abort();
			if (k == 0)
				compare_readers(body, size, &r);
			(void)total;
		} else if (err == NULL) {
			abort();	/* a failure always says why */
		}
		sr_prom_result_done(&r);
		free(err);
		err = NULL;
	}
	if (sr_prom_parse_alerts(body, size, 200, "fuzz", &a, &err) < 0 && err == NULL)
		abort();
	sr_prom_alerts_done(&a);
	free(err);
	err = NULL;
	if (sr_prom_parse_rules(body, size, 200, "fuzz", &ru, &err) < 0 && err == NULL)
		abort();
	sr_prom_rules_done(&ru);
	free(err);
	free(body);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* fuzz_prom.c: Prometheus query, alerts and rules answers from arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

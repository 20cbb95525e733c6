/* SPDX-License-Identifier: MIT */
/* fuzz_matcher.c: amtool matcher lists from arbitrary text; what parses formats and re-parses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matcher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = sr_xstrndup((const char *)data, size), *err = NULL;
	struct sr_matchers m;
	struct sr_label l[] = { { "alertname", "HighErrorRate" }, { "severity", "critical" } };

	sr_matchers_init(&m);
	if (strlen(s) == size && sr_matchers_parse(&m, s, &err) == 0) {
		for (size_t i = 0; i < m.n; i++) {
			struct sr_matchers again;
			struct sr_buf b;

			sr_matchers_init(&again);
			sr_buf_init(&b);
			sr_matcher_format(&b, &m.v[i]);
			/* The canonical form reads back to the same matcher. */
			if (sr_matcher_parse(&again, b.data, NULL) != 0 || again.n != 1 ||
			    strcmp(again.v[0].name, m.v[i].name) != 0 ||
			    strcmp(again.v[0].value, m.v[i].value) != 0 ||
			    again.v[0].op != m.v[i].op)
				abort();
			sr_buf_done(&b);
			sr_matchers_done(&again);
		}
		(void)sr_matchers_match(&m, l, 2);
	}
	free(err);
	sr_matchers_done(&m);
	free(s);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* fuzz_clock.c: RFC 3339 times and durations on arbitrary text, round-tripped. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = sr_xstrndup((const char *)data, size);
	char *err = NULL, buf[64];
	sr_time t;
	int64_t d;

	if (sr_time_parse(s, &t, &err) == 0) {
		sr_time again;

		/* what we print, we read back to the same instant */
		sr_time_format(t, buf, sizeof(buf));
		if (t > -62135596800LL && t < 253402300800LL &&
		    (sr_time_parse(buf, &again, NULL) != 0 || again != t))
			abort();
	}
	free(err);
	err = NULL;
	if (sr_duration_parse(s, &d, &err) == 0)
		sr_duration_format(d, buf, sizeof(buf));
	free(err);
	free(s);
	return 0;
}

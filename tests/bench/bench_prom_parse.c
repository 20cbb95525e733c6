/* SPDX-License-Identifier: MIT */
/* bench_prom_parse.c: parse a 10,000-series range answer (>= 20 MB) from a file; target 100 MB/s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prom.h"

#define SERIES 10000
#define POINTS 64
#define TARGET_MBS 100.0

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Values as Prometheus writes them: integers, short decimals and full-precision floats. */
static void
value(struct sr_buf *b, unsigned *seed, int j)
{
	double v;

	*seed = *seed * 1103515245u + 12345u;
	v = (double)(*seed >> 8) / (double)(1u << 24) * 1000.0;
	switch (j % 3) {
	case 0:
		sr_buf_printf(b, "\"%u\"", *seed >> 20);
		break;
	case 1:
		sr_buf_printf(b, "\"%.3f\"", v);
		break;
	default:
		sr_buf_printf(b, "\"%.17g\"", v);
	}
}

int
main(void)
{
	struct sr_buf b;
	char path[] = "/tmp/sitrep-bench-matrix-XXXXXX", *data = NULL, *err = NULL;
	size_t len = 0, samples = 0;
	unsigned seed = 42;
	double best = 1e9;
	int fd;
	FILE *f;

	sr_buf_init(&b);
	sr_buf_adds(&b, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
	for (int i = 0; i < SERIES; i++) {
		sr_buf_printf(&b, "%s{\"metric\":{\"__name__\":\"http_request_duration_seconds_bucket\","
			      "\"instance\":\"app-%d.prod.example.com:9100\",\"job\":\"api\","
			      "\"handler\":\"/api/v1/items/%d\",\"le\":\"0.25\",\"method\":\"GET\"},"
			      "\"values\":[", i ? "," : "", i % 97, i);
		for (int j = 0; j < POINTS; j++) {
			sr_buf_printf(&b, "%s[%d.%03d,", j ? "," : "", 1795460000 + j * 15,
				      (i * 7 + j) % 1000);
			value(&b, &seed, j);
			sr_buf_addc(&b, ']');
		}
		sr_buf_adds(&b, "]}");
	}
	sr_buf_adds(&b, "]}}");

	fd = mkstemp(path);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		perror("bench_prom_parse: temp file");
		return 1;
	}
	fwrite(b.data, 1, b.len, f);
	fclose(f);
	sr_buf_done(&b);
	if (sr_read_file(path, (size_t)1 << 30, &data, &len, &err) < 0) {
		fprintf(stderr, "bench_prom_parse: %s\n", err);
		return 1;
	}
	unlink(path);

	for (int run = 0; run < 5; run++) {
		struct sr_prom_result r;
		double t0 = mono(), dt;

		if (sr_prom_parse_query(data, len, 200, path, &r, &err) < 0) {
			fprintf(stderr, "bench_prom_parse: %s\n", err);
			return 1;
		}
		dt = mono() - t0;
		if (dt < best)
			best = dt;
		samples = 0;
		for (size_t i = 0; i < r.n_series; i++)
			samples += r.series[i].n_samples;
		if (r.n_series != SERIES || samples != (size_t)SERIES * POINTS) {
			fprintf(stderr, "bench_prom_parse: wrong result (%zu series)\n", r.n_series);
			return 1;
		}
		sr_prom_result_done(&r);
	}
	free(data);
	printf("matrix answer: %d series, %zu samples, %.1f MB\n", SERIES, samples, len / 1e6);
	printf("parse (best of 5): %.3f s = %.1f MB/s; target %.0f MB/s: ratio %.2fx %s\n", best,
	       len / 1e6 / best, TARGET_MBS, len / 1e6 / best / TARGET_MBS,
	       len / 1e6 / best >= TARGET_MBS ? "(ok)" : "(BELOW TARGET)");
	if (len < 20 * 1000 * 1000)
		printf("warning: answer smaller than 20 MB\n");
	return 0;
}

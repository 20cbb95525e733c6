/* SPDX-License-Identifier: MIT */
/* bench_runbook_render.c: in-process cost of laying out and rendering one Markdown file. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "markdown.h"
#include "render_ansi.h"
#include "util.h"

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* usage: bench_runbook_render FILE [WIDTH [RUNS]]; prints the best and mean time per run */
int
main(int argc, char **argv)
{
	int width = argc > 2 ? atoi(argv[2]) : 100, runs = argc > 3 ? atoi(argv[3]) : 20, i;
	double best = 1e9, sum = 0;
	size_t bytes = 0;

	if (argc < 2) {	/* `make bench` runs every program bare; the script gives it a file */
		printf("(measured by tests/bench/bench_runbook.sh on its generated 1 MB file)\n");
		return 0;
	}
	for (i = 0; i < runs; i++) {
		char *err = NULL;
		struct sr_buf b;
		double t = now_ms();
		struct sr_doc *doc = sr_md_load(argv[1], width, 0, &err);

		if (doc == NULL) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		sr_buf_init(&b);
		sr_render_doc(&b, doc, 0, 0);
		t = now_ms() - t;
		bytes = b.len;
		sr_buf_done(&b);
		sr_doc_free(doc);
		sum += t;
		if (t < best)
			best = t;
	}
	printf("in-process load+layout+render at width %d: best %.1f ms, mean %.1f ms (%zu bytes "
	       "out, %d runs)\n", width, best, sum / runs, bytes, runs);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* bench_config.c: load 1 MiB configs (45,000 query continuation lines; 9,000 sections) with
 * sr_config_load beside inih's own ini_parse of the same file; target < 50 ms each. CPU time
 * (clock()), best of 5, so that other processes on a shared machine do not count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ini.h>

#include "config.h"
#include "util.h"

#define TARGET_MS 50.0
#define RUNS 5

static int
count_pair(void *user, const char *section, const char *name, const char *value)
{
	(void)section, (void)name, (void)value;
	++*(size_t *)user;
	return 1;
}

/* Writes the config to a temporary file (mode 0600) and returns its size. */
static size_t
make(char *path, int kind)
{
	struct sr_buf b;
	int fd = mkstemp(path);
	size_t len;

	sr_buf_init(&b);
	sr_buf_adds(&b, "[prometheus]\nurl = http://127.0.0.1:9/\n");
	if (kind == 0) {
		sr_buf_adds(&b, "[panel long]\nquery = sum(\n");
		for (int i = 0; b.len < 1024 * 1024 - 64; i++)
			sr_buf_printf(&b, "  rate(m_%06d[5m]) +\n", i);
		sr_buf_adds(&b, "  0)\n");
	} else {
		for (int i = 0; b.len < 1024 * 1024 - 256; i++)
			sr_buf_printf(&b, "[check c%05d]\nurl = http://127.0.0.1:9/%d\ninterval = 30s\n"
				      "; a comment line\n", i, i);
	}
	if (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len) {
		perror("bench_config: writing the config");
		exit(1);
	}
	close(fd);
	len = b.len;
	sr_buf_done(&b);
	return len;
}

int
main(void)
{
	static const char *const names[] = { "45,000-line query", "sections and keys" };
	int over = 0;

	for (int kind = 0; kind < 2; kind++) {
		char path[] = "/tmp/sitrep-bench-config-XXXXXX";
		size_t len = make(path, kind), pairs = 0;
		double best = 1e9, best_ini = 1e9;

		for (int r = 0; r < RUNS; r++) {
			struct sr_config cfg;
			char *err = NULL;
			double t0 = (double)clock() / CLOCKS_PER_SEC;

			sr_config_init(&cfg);
			if (sr_config_load(&cfg, path, 1, &err) != 0) {
				fprintf(stderr, "bench_config: %s\n", err);
				unlink(path);
				return 1;
			}
			t0 = (double)clock() / CLOCKS_PER_SEC - t0;
			if (t0 < best)
				best = t0;
			sr_config_done(&cfg);

			pairs = 0;
			t0 = (double)clock() / CLOCKS_PER_SEC;
			ini_parse(path, count_pair, &pairs);
			t0 = (double)clock() / CLOCKS_PER_SEC - t0;
			if (t0 < best_ini)
				best_ini = t0;
		}
		unlink(path);
		printf("config load, %s (%zu KiB): sitrep %.1f ms, inih ini_parse %.1f ms "
		       "(%zu pairs); target < %.0f ms: %s\n", names[kind], len / 1024, best * 1e3,
		       best_ini * 1e3, pairs, TARGET_MS, best * 1e3 < TARGET_MS ? "met" : "MISSED");
		over += best * 1e3 >= TARGET_MS;
	}
	return over ? 1 : 0;
}

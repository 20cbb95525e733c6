/* SPDX-License-Identifier: MIT */
/*
 * bench_cli.c: one sitrep command run in-process 21 times against a store, best run printed
 * as CPU time beside wall time (the machine may be shared; CPU time is what the targets of
 * the post-mortem benches apply to). Output goes to /dev/null.
 *   bench_cli DB DATADIR NOW LABEL TARGET_MS COMMAND [ARGS...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static double
secs(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct sr_config cfg;
	struct sr_session ses;
	struct sr_cli cli = { 0 };
	const struct sr_cli_command *cmd = sr_cli_commands;
	double best_cpu = 1e9, best_wall = 1e9;
	char *err = NULL;

	if (argc < 7) {
		fprintf(stderr, "usage: bench_cli DB DATADIR NOW LABEL TARGET_MS COMMAND [ARGS...]\n");
		return 2;
	}
	while (cmd->name != NULL && strcmp(cmd->name, argv[6]) != 0)
		cmd++;
	sr_config_init(&cfg);
	if (cmd->name == NULL || sr_session_init(&ses, &cfg, argv[1], argv[2], 0, &err) != 0 ||
	    sr_time_parse(argv[3], &ses.now, &err) != 0) {
		fprintf(stderr, "bench_cli: unknown command or bad NOW\n");
		free(err);
		return 2;
	}
	cli.ses = &ses;
	cli.out = fopen("/dev/null", "w");
	cli.errf = stderr;
	for (int i = 0; i < 21; i++) {
		int n = argc - 6;
		char **av = calloc((size_t)n + 1, sizeof *av);
		double c0, w0, c, w;

		memcpy(av, argv + 6, (size_t)n * sizeof *av);
		c0 = secs(CLOCK_PROCESS_CPUTIME_ID);
		w0 = secs(CLOCK_MONOTONIC);
		if (cmd->run(&cli, n, av) != 0) {
			fprintf(stderr, "bench_cli: %s failed\n", argv[6]);
			return 1;
		}
		c = secs(CLOCK_PROCESS_CPUTIME_ID) - c0;
		w = secs(CLOCK_MONOTONIC) - w0;
		free(av);
		if (c < best_cpu)
			best_cpu = c;
		if (w < best_wall)
			best_wall = w;
	}
	printf("%s: %.1f ms CPU, %.1f ms wall (best of 21 in one process; target < %s ms)\n",
	       argv[4], best_cpu * 1e3, best_wall * 1e3, argv[5]);
	sr_session_done(&ses);
	fclose(cli.out);
	sr_config_done(&cfg);
	return 0;
}

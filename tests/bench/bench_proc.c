/* SPDX-License-Identifier: MIT */
/*
 * bench_proc.c: a command run as a whole process N times (stdout to /dev/null), the best run
 * printed as wall time, CPU time (user + system, from wait4) and page faults. On a shared
 * machine wall time follows the load; CPU time less so, and the page faults (each first
 * touch of a page, ~30 us on this VM) not at all.
 *   bench_proc LABEL RUNS COMMAND [ARGS...]
 * Prints "LABEL: W ms wall, C ms CPU, F page faults (best of RUNS, whole process)".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double
tv_ms(struct timeval tv)
{
	return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

int
main(int argc, char **argv)
{
	double best_wall = 1e12, best_cpu = 1e12;
	long best_flt = -1;
	int runs;

	if (argc < 4 || (runs = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: bench_proc LABEL RUNS COMMAND [ARGS...]\n");
		return 2;
	}
	for (int i = 0; i < runs; i++) {
		struct rusage ru;
		double w0 = now_ms(), w;
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			perror("bench_proc: fork");
			return 1;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0)
				dup2(fd, 1);
			execvp(argv[3], argv + 3);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench_proc: %s failed\n", argv[3]);
			return 1;
		}
		w = now_ms() - w0;
		if (w < best_wall)
			best_wall = w;
		if (tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime) < best_cpu)
			best_cpu = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
		if (best_flt < 0 || ru.ru_minflt + ru.ru_majflt < best_flt)
			best_flt = ru.ru_minflt + ru.ru_majflt;
	}
	printf("%s: %.1f ms wall, %.1f ms CPU, %ld page faults (best of %d, whole process)\n",
	       argv[1], best_wall, best_cpu, best_flt, runs);
	return 0;
}

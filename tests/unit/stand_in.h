/* SPDX-License-Identifier: MIT */
/* stand_in.h: starts tests/unit/http_server.py for a unit test (loopback, a free port). */
#ifndef SR_TEST_STAND_IN_H
#define SR_TEST_STAND_IN_H

#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/*
 * Starts python3 SCRIPT; *pid is the server, *fd the read end of its stdout (kept open while
 * it runs). Returns the port it printed first, or -1.
 */
static inline int
sr_test_stand_in(const char *script, pid_t *pid, int *fd)
{
	int p[2];
	char line[32];
	ssize_t n;
	pid_t parent = getpid();

	if (pipe(p) < 0)
		return -1;
	*pid = fork();
	if (*pid < 0)
		return -1;
	if (*pid == 0) {
#ifdef __linux__
		/* a test that crashes (a mutant, an ASan abort) takes its server with it */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
			_exit(127);
#else
		(void)parent;
#endif
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execlp("python3", "python3", script, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	*fd = p[0];
	n = read(p[0], line, sizeof(line) - 1);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	return atoi(line);
}

#endif

/* SPDX-License-Identifier: MIT */
/* tmpdir.h: where the unit tests make their scratch files (header only). */
#ifndef SR_TEST_TMPDIR_H
#define SR_TEST_TMPDIR_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sr_test_tmp: BUF = "$TMPDIR/NAME-XXXXXX" for mkstemp or mkdtemp ("/tmp" when TMPDIR is unset,
 * empty or too long for BUF). make check gives each run its own short TMPDIR and fails when a
 * test leaves anything in it. */
static inline void
sr_test_tmp(char *buf, size_t n, const char *name)
{
	const char *t = getenv("TMPDIR");

	if (t == NULL || *t == '\0' || strlen(t) + strlen(name) + 9 > n)
		t = "/tmp";
	snprintf(buf, n, "%s/%s-XXXXXX", t, name);
}
#endif

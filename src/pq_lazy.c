/* SPDX-License-Identifier: MIT */
/* pq_lazy.c: dlopen()s libpq on first use (see pq_lazy.h for why). */
#define SR_PQ_LAZY_IMPL 1
#include "pq_lazy.h"
#include "lazy.h"

struct sr_pq_api sr_pq;

#define SR_PQ_SONAME "libpq.so.5"

#define SLOT(name) SR_LAZY_SLOT(sr_pq, name)

int
sr_pq_load(char **err)
{
	static int loaded;
	static const char *const names[] = { SR_PQ_FUNCS(SR_LAZY_NAME) };
	void *const slots[] = { SR_PQ_FUNCS(SLOT) };

	if (!loaded && sr_lazy_load(SR_PQ_SONAME, "libpq5", names, slots,
				    sizeof(names) / sizeof(names[0]), err) != 0)
		return -1;
	loaded = 1;
	return 0;
}

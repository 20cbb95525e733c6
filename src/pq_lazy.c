/* SPDX-License-Identifier: MIT */
/* pq_lazy.c: dlopen()s libpq on first use (see pq_lazy.h for why). */
#define SR_PQ_LAZY_IMPL 1
#include "pq_lazy.h"
#include "lazy.h"

struct sr_pq_api sr_pq;

#define SR_PQ_SONAME "libpq.so.5"

#define SLOT(name) SR_LAZY_SLOT(sr_pq, name)

SR_LAZY_LOADER(sr_pq_load, SR_PQ_FUNCS, SR_LAZY_NAME, SLOT, SR_PQ_SONAME, "libpq5",
	       (void)0)

/* SPDX-License-Identifier: MIT */
/* ical_lazy.c: dlopen()s libical on first use (see ical_lazy.h for why). */
#define SR_ICAL_LAZY_IMPL 1
#include "ical_lazy.h"
#include "lazy.h"

struct sr_ical_api sr_ical;

#define SR_ICAL_SONAME "libical.so.3"

#define SLOT(name) SR_LAZY_SLOT(sr_ical, name)

SR_LAZY_LOADER(sr_ical_load, SR_ICAL_FUNCS, SR_LAZY_NAME, SLOT, SR_ICAL_SONAME, "libical3",
	       (void)0)

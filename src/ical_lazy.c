/* SPDX-License-Identifier: MIT */
/* ical_lazy.c: dlopen()s libical on first use (see ical_lazy.h for why). */
#define SR_ICAL_LAZY_IMPL 1
#include "ical_lazy.h"
#include "lazy.h"

struct sr_ical_api sr_ical;

#define SR_ICAL_SONAME "libical.so.3"

#define SLOT(name) SR_LAZY_SLOT(sr_ical, name)

int
sr_ical_load(char **err)
{
	static int loaded;
	static const char *const names[] = { SR_ICAL_FUNCS(SR_LAZY_NAME) };
	void *const slots[] = { SR_ICAL_FUNCS(SLOT) };

	if (!loaded && sr_lazy_load(SR_ICAL_SONAME, "libical3", names, slots,
				    sizeof(names) / sizeof(names[0]), err) != 0)
		return -1;
	loaded = 1;
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* lazy.c: dlopen() of libpq and libical on first use (see lazy.h for why). */
#define SR_LAZY_IMPL 1
#include <dlfcn.h>
#include <string.h>

#include "ical_lazy.h"
#include "pq_lazy.h"
#include "util.h"

struct sr_pq_api sr_pq;
struct sr_ical_api sr_ical;

int
sr_lazy_load(const char *soname, const char *package, const char *const *names, void **slots,
	     size_t n, char **err)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (h == NULL)
		return sr_err(err, "cannot load %s (install the Debian package %s): %s", soname,
			      package, dlerror());
	for (size_t i = 0; i < n; i++) {
		if ((slots[i] = dlsym(h, names[i])) == NULL)
			return sr_err(err, "%s has no %s: too old?", soname, names[i]);
	}
	return 0;
}

/* Resolves each name into the table's member of that name (object pointers, then copied). */
#define SR_LAZY_TABLE(tbl, funcs, soname, package, err)                                  \
	do {                                                                               \
		static int done;                                                           \
		static const char *const names[] = { funcs(NAME) };                        \
		void *slots[SR_ARRAY_LEN(names)];                                          \
		size_t k = 0;                                                              \
                                                                                           \
		if (done)                                                                  \
			return 0;                                                          \
		if (sr_lazy_load(soname, package, names, slots, SR_ARRAY_LEN(names), err)  \
		    != 0)                                                                  \
			return -1;                                                         \
		funcs(COPY);                                                               \
		(void)k;                                                                   \
		done = 1; /* after the table is whole */                                   \
		return 0;                                                                  \
	} while (0)
#define NAME(name) #name,

int
sr_pq_load(char **err)
{
#define COPY(name) memcpy(&sr_pq.name, &slots[k++], sizeof(void *));
	SR_LAZY_TABLE(sr_pq, SR_PQ_FUNCS, "libpq.so.5", "libpq5", err);
#undef COPY
}

int
sr_ical_load(char **err)
{
#define COPY(name) memcpy(&sr_ical.name, &slots[k++], sizeof(void *));
	SR_LAZY_TABLE(sr_ical, SR_ICAL_FUNCS, "libical.so.3", "libical3", err);
#undef COPY
}

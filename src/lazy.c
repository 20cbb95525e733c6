/* SPDX-License-Identifier: MIT */
/* lazy.c: dlopen() and dlsym() for the libraries loaded on first use (lazy.h). */
#include <dlfcn.h>
#include <string.h>

#include "lazy.h"
#include "util.h"

int
sr_lazy_load(const char *soname, const char *package, const char *const *names,
	     void *const *slots, size_t n, char **err)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);

	if (h == NULL)
		return sr_err(err, "cannot load %s (install the Debian package %s): %s", soname,
			      package, dlerror());
	for (size_t i = 0; i < n; i++) {
		void *sym = dlsym(h, names[i]);

		if (sym == NULL)
			return sr_err(err, "%s has no %s: too old?", soname, names[i]);
		/* a data pointer into a function pointer's bytes, as POSIX allows */
		memcpy(slots[i], &sym, sizeof(sym));
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* curl_lazy.c: dlopen()s libcurl on first use (see curl_lazy.h for why). */
#define SR_CURL_LAZY_IMPL 1
#include <dlfcn.h>
#include <string.h>

#include "curl_lazy.h"
#include "util.h"

struct sr_curl_api sr_curl;

#define SR_CURL_SONAME "libcurl.so.4"

int
sr_curl_load(char **err)
{
	static int loaded;
	void *h;

	if (loaded)
		return 0;
	/* RTLD_NODELETE: libcurl's atexit work must find its code still mapped */
	h = dlopen(SR_CURL_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (h == NULL)
		return sr_err(err, "cannot load %s (install the Debian package libcurl4): %s",
			      SR_CURL_SONAME, dlerror());
#define X(ret, name, args)                                                         \
	{                                                                          \
		void *sym = dlsym(h, #name);                                       \
		if (sym == NULL)                                                   \
			return sr_err(err, "%s has no %s: too old?", SR_CURL_SONAME, \
				      #name);                                      \
		memcpy(&sr_curl.name, &sym, sizeof(sym));                          \
	}
	SR_CURL_FUNCS(X)
#undef X
	loaded = 1;
	return 0;
}

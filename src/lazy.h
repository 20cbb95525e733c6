/* SPDX-License-Identifier: MIT */
/*
 * lazy.h: shared libraries loaded on first use. Linking libpq (Kerberos, LDAP, OpenSSL, SASL,
 * GnuTLS: about 20 libraries) and libical (ICU and the C++ runtime) made every start of
 * sitrep map and relocate 38 libraries: about 75 % of the CPU time of a short command such
 * as `sitrep slack ID --send` went to the dynamic loader and page faults. A front end that
 * calls the library first loads it; src/pq_lazy.h and src/ical_lazy.h route the calls of
 * the files that include them through tables filled by sr_lazy_load. See
 * docs/architecture.md.
 */
#ifndef SR_LAZY_H
#define SR_LAZY_H

#include <stddef.h>

/*
 * dlopen()s soname (RTLD_NODELETE: atexit handlers find their code) and resolves names[i]
 * into slots[i] for i < n. Returns 0, or -1 with *err naming the library, the Debian
 * package and dlerror()'s reason.
 */
int sr_lazy_load(const char *soname, const char *package, const char *const *names,
		 void **slots, size_t n, char **err);

/* Loads libpq.so.5 for src/store_pg.c and src/dbcheck.c (once). */
int sr_pq_load(char **err);
/* Loads libical.so.3 for src/ical.c (once). */
int sr_ical_load(char **err);

#endif

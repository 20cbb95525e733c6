/* SPDX-License-Identifier: MIT */
/*
 * lazy.h: shared libraries loaded on first use (dlopen), for the libraries only some
 * commands need: every library linked is paid for by every start of sitrep (see
 * ical_lazy.h, pq_lazy.h). The including module keeps a table of function pointers.
 */
#ifndef SR_LAZY_H
#define SR_LAZY_H

#include <stddef.h>

/*
 * Opens soname (kept loaded until exit: its exit handlers must find their code) and stores
 * the address of each of the n functions names[i] into the function pointer at slots[i].
 * Returns 0, or -1 with *err naming soname, the Debian package that has it, and why (or
 * "SONAME has no NAME: too old?").
 */
int sr_lazy_load(const char *soname, const char *package, const char *const *names,
		 void *const *slots, size_t n, char **err);

/* For X-macro lists of function names: the names, and the slots of a table tab. */
#define SR_LAZY_NAME(name) #name,
#define SR_LAZY_SLOT(tab, name) (void *)&(tab).name,

/*
 * Defines int fn(char **err), the one loader of a library: the first call that succeeds
 * loads soname (from the Debian package package) with sr_lazy_load, fills the slots of the
 * X-macro list FUNCS (NAME and SLOT: its entries' name string and slot address, as above)
 * and runs the statement then; later calls return 0 at once. -1 with *err as sr_lazy_load.
 */
#define SR_LAZY_LOADER(fn, FUNCS, NAME, SLOT, soname, package, then) \
	int fn(char **err) \
	{ \
		static int loaded; \
		static const char *const names[] = { FUNCS(NAME) }; \
		void *const slots[] = { FUNCS(SLOT) }; \
\
		if (loaded) \
			return 0; \
		if (sr_lazy_load(soname, package, names, slots, \
				 sizeof(names) / sizeof(names[0]), err) != 0) \
			return -1; \
		then; \
		loaded = 1; \
		return 0; \
	}

#endif

/* SPDX-License-Identifier: MIT */
/* curl_lazy.c: dlopen()s libcurl on first use (see curl_lazy.h for why). */
#define SR_CURL_LAZY_IMPL 1
#include <dlfcn.h>
#include <string.h>

#include "curl_lazy.h"
#include "lazy.h"

struct sr_curl_api sr_curl;

/*
 * The GnuTLS flavour (Debian's libcurl3-gnutls, the one git uses): the OpenSSL flavour
 * initialises OpenSSL (its configuration, engines and providers) in curl_global_init(),
 * about 1.7 MB of pages that every network command would carry. See docs/architecture.md.
 */
#define SR_CURL_SONAME "libcurl-gnutls.so.4"
#define SR_CURL_PACKAGE "libcurl3-gnutls"

/*
 * libcurl links libssh2, whose initialisation (run from curl_global_init) sets up all of
 * OpenSSL's engines and ciphers for SSH, which sitrep never speaks (the protocols are
 * limited to http and https). libssh2 counts its initialisations and does the crypto part
 * only in the first one, so one with LIBSSH2_INIT_NO_CRYPTO first tells it to skip that.
 */
#define SR_SSH2_SONAME "libssh2.so.1"
#define SR_SSH2_INIT_NO_CRYPTO 0x0001

static void
ssh2_skip_crypto(void)
{
	void *h = dlopen(SR_SSH2_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
	void *sym;
	int (*init)(int);

	if (h == NULL)
		return;		/* this libcurl was built without SSH */
	sym = dlsym(h, "libssh2_init");
	if (sym != NULL) {
		memcpy(&init, &sym, sizeof(sym));
		init(SR_SSH2_INIT_NO_CRYPTO);
	}
	dlclose(h);	/* drops only the reference RTLD_NOLOAD took */
}

#define NAME(ret, name, args) #name,
#define SLOT(ret, name, args) (void *)&sr_curl.name,
SR_LAZY_LOADER(sr_curl_load, SR_CURL_FUNCS, NAME, SLOT, SR_CURL_SONAME, SR_CURL_PACKAGE,
	       ssh2_skip_crypto())

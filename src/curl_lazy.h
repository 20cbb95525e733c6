/* SPDX-License-Identifier: MIT */
/*
 * curl_lazy.h: libcurl, loaded on first use. Linking libcurl costs every start of sitrep
 * about 4 ms (its ~30 dependent libraries and their constructors), also for the commands
 * that never touch the network (incidents, runbooks). So src/http.c includes this after
 * <curl/curl.h>: each curl_* call it makes goes through a table filled by dlopen() of
 * libcurl.so.4 the first time sr_curl_load() runs. Only src/http.c may include it.
 */
#ifndef SR_CURL_LAZY_H
#define SR_CURL_LAZY_H

#include <curl/curl.h>

/* The functions sitrep uses, with libcurl's own prototypes. */
#define SR_CURL_FUNCS(X)                                                                   \
	X(CURLcode, curl_global_init, (long flags))                                        \
	X(CURL *, curl_easy_init, (void))                                                  \
	X(CURLcode, curl_easy_setopt, (CURL * curl, CURLoption option, ...))               \
	X(CURLcode, curl_easy_getinfo, (CURL * curl, CURLINFO info, ...))                  \
	X(void, curl_easy_cleanup, (CURL * curl))                                          \
	X(const char *, curl_easy_strerror, (CURLcode code))                               \
	X(struct curl_slist *, curl_slist_append, (struct curl_slist * list, const char *s)) \
	X(void, curl_slist_free_all, (struct curl_slist * list))                           \
	X(CURLM *, curl_multi_init, (void))                                                \
	X(CURLMcode, curl_multi_add_handle, (CURLM * m, CURL * e))                         \
	X(CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL * e))                      \
	X(CURLMcode, curl_multi_perform, (CURLM * m, int *running))                        \
	X(CURLMcode, curl_multi_poll,                                                      \
	  (CURLM * m, struct curl_waitfd extra_fds[], unsigned int n, int timeout_ms, int *ret)) \
	X(CURLMsg *, curl_multi_info_read, (CURLM * m, int *msgs_in_queue))                \
	X(CURLMcode, curl_multi_cleanup, (CURLM * m))                                      \
	X(const char *, curl_multi_strerror, (CURLMcode code))                             \
	X(CURLMcode, curl_multi_wakeup, (CURLM * m))

struct sr_curl_api {
#define X(ret, name, args) ret(*name) args;
	SR_CURL_FUNCS(X)
#undef X
};

/* The loaded table; valid only after sr_curl_load() returned 0. */
extern struct sr_curl_api sr_curl;

/*
 * Loads libcurl.so.4 and resolves every function (once; later calls return at once).
 * Returns 0, or -1 with *err naming the library and dlerror()'s reason.
 */
int sr_curl_load(char **err);

/* From here on, curl_* calls in the including file go through the table. */
#ifndef SR_CURL_LAZY_IMPL
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init (sr_curl.curl_global_init)
#define curl_easy_init (sr_curl.curl_easy_init)
#define curl_easy_setopt (sr_curl.curl_easy_setopt)
#define curl_easy_getinfo (sr_curl.curl_easy_getinfo)
#define curl_easy_cleanup (sr_curl.curl_easy_cleanup)
#define curl_easy_strerror (sr_curl.curl_easy_strerror)
#define curl_slist_append (sr_curl.curl_slist_append)
#define curl_slist_free_all (sr_curl.curl_slist_free_all)
#define curl_multi_init (sr_curl.curl_multi_init)
#define curl_multi_add_handle (sr_curl.curl_multi_add_handle)
#define curl_multi_remove_handle (sr_curl.curl_multi_remove_handle)
#define curl_multi_perform (sr_curl.curl_multi_perform)
#define curl_multi_poll (sr_curl.curl_multi_poll)
#define curl_multi_info_read (sr_curl.curl_multi_info_read)
#define curl_multi_cleanup (sr_curl.curl_multi_cleanup)
#define curl_multi_strerror (sr_curl.curl_multi_strerror)
#define curl_multi_wakeup (sr_curl.curl_multi_wakeup)
#endif

#endif

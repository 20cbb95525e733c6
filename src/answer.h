/* SPDX-License-Identifier: MIT */
/* answer.h: the one interface of every reader of an HTTP answer (Prometheus, Alertmanager). */
#ifndef SR_ANSWER_H
#define SR_ANSWER_H

#include <stddef.h>

/*
 * SR_ANSWER_READER(name, out_type) declares a reader of one answer:
 *   int name(const char *body, size_t len, long status, const char *url, out_type *out,
 *            char **err);
 * It reads body (len bytes) that came with HTTP status from url (used in messages only) into
 * out, which it initialises; free out with the matching _done even after a failure. Returns 0,
 * or -1 with *err allocated: a 4xx/5xx or an error envelope fails with "URL: HTTP 400: <the
 * server's message>", a body that is not JSON or not the expected shape with "unexpected
 * response from URL: ...".
 */
#define SR_ANSWER_READER(name, out_type) \
	int name(const char *body, size_t len, long status, const char *url, out_type *out, \
		 char **err)

#endif

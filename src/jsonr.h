/* SPDX-License-Identifier: MIT */
/* jsonr.h: a strict streaming JSON reader for large feed answers (no DOM, few allocations). */
#ifndef SR_JSONR_H
#define SR_JSONR_H

#include <stddef.h>

#include "util.h"

/*
 * A cursor over len bytes of JSON. Every reader function returns -1 (or 0 / NULL, as said)
 * on input it does not accept; callers then give up and let cJSON produce the exact error.
 */
struct sr_jr {
	const char *p, *end;
	int depth;
	struct sr_buf tmp;	/* scratch for keys */
};

void sr_jr_init(struct sr_jr *r, const char *s, size_t len);
void sr_jr_done(struct sr_jr *r);
/* Skips whitespace. */
void sr_jr_ws(struct sr_jr *r);
/* Consumes c (after whitespace) and returns 1, or returns 0 when the next byte is not c. */
int sr_jr_lit(struct sr_jr *r, char c);
/* Reads a string into b (emptied first, NUL-terminated unless empty). 0 or -1. */
int sr_jr_string(struct sr_jr *r, struct sr_buf *b);
/* Reads an object key and its ':'; returns the key (valid until the next call) or NULL. */
const char *sr_jr_key(struct sr_jr *r);
/* Reads a string and returns an allocated copy, or NULL. */
char *sr_jr_strdup(struct sr_jr *r);
/* Reads a number. 0 or -1. */
int sr_jr_number(struct sr_jr *r, double *out);
/* Converts the n bytes of a JSON number (exactly; no NUL needed). 0 or -1. */
int sr_jr_number_text(const char *s, size_t n, double *out);
/* Skips one value of any type (nesting at most 64 deep). 0 or -1. */
int sr_jr_skip(struct sr_jr *r, struct sr_buf *tmp);
/* Consumes a literal null and returns 1, or returns 0. */
int sr_jr_null(struct sr_jr *r);
/* True when only whitespace (or one final NUL) is left. */
int sr_jr_at_end(struct sr_jr *r);

struct cJSON;
/*
 * Parses exactly len bytes with cJSON (for small answers and exact error positions):
 * trailing bytes other than whitespace make it invalid. Returns the tree (free it with
 * cJSON_Delete) or NULL.
 */
struct cJSON *sr_json_parse_whole(const char *body, size_t len);

#endif

/* SPDX-License-Identifier: MIT */
/* jsonr.h: a strict streaming JSON reader for large feed answers (no DOM, few allocations). */
#ifndef SR_JSONR_H
#define SR_JSONR_H

#include <stddef.h>

#include "clock.h"
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
/* Points r at other bytes, keeping its scratch buffer. */
void sr_jr_reset(struct sr_jr *r, const char *s, size_t len);
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
/*
 * Steps through the members of an object (open '{') or the elements of an array (open
 * '['): *at is 0 before the opening bracket. Returns 1 when a member follows (an object's
 * key, not empty, is then read into key with its ':'; an element is left to the caller),
 * 0 once the closing bracket is read, -1 on anything else.
 */
int sr_jr_next(struct sr_jr *r, char open, struct sr_buf *key, int *at);
/* Consumes a literal null and returns 1, or returns 0. */
int sr_jr_null(struct sr_jr *r);
/* True when only whitespace (or one final NUL) is left. */
int sr_jr_at_end(struct sr_jr *r);

/*
 * Splits a JSON array that arrives in pieces (an HTTP body being received) into its
 * elements, so that each can be read whole while the rest is still on the wire. Only the
 * array's own punctuation is checked here; each element is handed on as its exact bytes
 * for a reader (sr_jr) to check. At most one element is held in memory at a time.
 */
struct sr_jsplit {
	int state;		/* private */
	int depth, in_str, esc;
	char open;		/* first byte of the element being read */
	size_t max;		/* largest element accepted, in bytes */
	size_t offset;		/* bytes consumed so far */
	size_t count;		/* elements handed on so far */
	struct sr_buf elem;	/* the element being read, when it spans pieces */
};

/* Gets one element: its bytes (not NUL-terminated) and index. 0, or -1 to stop. */
typedef int (*sr_jsplit_fn)(void *arg, const char *elem, size_t len, size_t idx);

/* Prepares s for a new array whose elements are at most max bytes long. */
void sr_jsplit_init(struct sr_jsplit *s, size_t max);
void sr_jsplit_done(struct sr_jsplit *s);
/*
 * Consumes n more bytes, calling fn for each element they complete. Returns 0; -1 when fn
 * returned -1 (*err untouched: fn keeps its own reason), or when the bytes are not a JSON
 * array, with *err saying what was expected at which byte ("invalid JSON at byte 12:
 * expected ',' or ']'", "expected an array").
 */
int sr_jsplit_feed(struct sr_jsplit *s, const char *p, size_t n, sr_jsplit_fn fn, void *arg,
		   char **err);
/* After the last piece: 0 when the array was complete, else -1 with *err. */
int sr_jsplit_end(struct sr_jsplit *s, char **err);

struct cJSON;
/*
 * Parses exactly len bytes with cJSON (for small answers and exact error positions):
 * trailing bytes other than whitespace make it invalid. Returns the tree (free it with
 * cJSON_Delete) or NULL.
 */
struct cJSON *sr_json_parse_whole(const char *body, size_t len);
/* obj's member key: a copy when it is a string, else NULL. */
char *sr_json_opt_str(const struct cJSON *obj, const char *key);
/* obj's member key as an RFC 3339 time: 0 when it is missing, not a string or not a time. */
sr_time sr_json_opt_time(const struct cJSON *obj, const char *key);
/*
 * A table-driven read of an object's optional members into a struct: each row names the
 * member, its kind and the field's offset (a char * taken with sr_json_opt_str, an sr_time
 * with sr_json_opt_time). sr_json_fields_free frees the strings of the same table.
 */
enum sr_json_kind { SR_JSON_STR, SR_JSON_TIME };
struct sr_json_member {
	const char *key;
	enum sr_json_kind kind;
	size_t off;
};
void sr_json_fields(const struct cJSON *obj, void *out, const struct sr_json_member *m, size_t n);
void sr_json_fields_free(void *out, const struct sr_json_member *m, size_t n);

#endif

/* SPDX-License-Identifier: MIT */
/* util.h: allocation, error strings and a growable byte buffer shared by every module. */
#ifndef SR_UTIL_H
#define SR_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define SR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SR_PRINTF(a, b)
#endif

#define SR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/*
 * Frees each item of the list l (an array v of n items) with done(&item), then the array:
 * what every sr_*_list_done does before it empties its list.
 */
#define SR_LIST_DONE(l, done)                           \
	do {                                            \
		for (size_t i_ = 0; i_ < (l)->n; i_++)  \
			done(&(l)->v[i_]);              \
		free((l)->v);                           \
	} while (0)

/*
 * Allocation that cannot fail: on out-of-memory these print one line to stderr and abort().
 * An on-call console that has run out of memory cannot do anything useful, and checking
 * every small allocation would bury the logic (the same choice as tmux's xmalloc).
 */
void *sr_xmalloc(size_t n);
void *sr_xcalloc(size_t n, size_t size);
void *sr_xrealloc(void *p, size_t n);
/* Grows an array to hold at least need items of size bytes; *cap is updated. */
void *sr_xgrow(void *p, size_t *cap, size_t need, size_t size);
/*
 * A chain of memory blocks filled one after the other (an arena: the post-mortem model's
 * data, a packed event list's strings), newest first.
 */
struct sr_block {
	struct sr_block *prev;	/* the block made before this one */
	size_t used, cap;
	_Alignas(max_align_t) unsigned char mem[];
};
/*
 * n bytes at the end of the newest block *head (which may be NULL); when it lacks room, a
 * new block of max(n, min) bytes becomes the newest (*spare instead, when spare is not NULL
 * and *spare holds a block of min bytes: one already touched). Never NULL.
 */
void *sr_block_alloc(struct sr_block **head, struct sr_block **spare, size_t n, size_t min);
/*
 * Frees the chain from newest on, oldest block first: freed newest first, each block at the
 * top of the heap went back to the system on its own (1,000 brk calls for a 10,000-event
 * export's model).
 */
void sr_block_free(struct sr_block *newest);
/* Returns a copy of s (NULL when s is NULL). */
char *sr_xstrdup(const char *s);
char *sr_xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string. */
char *sr_xasprintf(const char *fmt, ...) SR_PRINTF(1, 2);
char *sr_xvasprintf(const char *fmt, va_list ap) SR_PRINTF(1, 0);

/*
 * Sets *err (when err is not NULL and *err is NULL) to a newly allocated message and returns
 * -1, so a failing function can end with `return sr_err(err, "...", ...);`. A message already
 * in *err is kept: the first, innermost cause wins.
 */
int sr_err(char **err, const char *fmt, ...) SR_PRINTF(2, 3);

/* Replaces *dst with a copy of src, freeing the old value. */
void sr_set_str(char **dst, const char *src);
/* Frees the n strings of v, then v (NULL with n 0 is fine): a list of allocated strings. */
void sr_strv_free(char **v, size_t n);

/* A growable byte buffer, always NUL-terminated once anything was appended. */
struct sr_buf {
	char *data;
	size_t len;
	size_t cap;
};

void sr_buf_init(struct sr_buf *b);
void sr_buf_done(struct sr_buf *b);
void sr_buf_add(struct sr_buf *b, const void *p, size_t n);
void sr_buf_adds(struct sr_buf *b, const char *s);
void sr_buf_addc(struct sr_buf *b, char c);
void sr_buf_printf(struct sr_buf *b, const char *fmt, ...) SR_PRINTF(2, 3);
/* Hands the contents to the caller (who frees it) and empties the buffer. Never NULL. */
char *sr_buf_steal(struct sr_buf *b);

/* Case-insensitive ASCII comparison, not locale dependent. */
int sr_strcaseeq(const char *a, const char *b);
/* Levenshtein distance between two short ASCII strings (case-insensitive), for "did you mean". */
size_t sr_edit_distance(const char *a, const char *b);
/*
 * Opens path for reading when it is a regular file, without blocking on a FIFO: returns the
 * descriptor (blocking again, close-on-exec) and fills *st (may be NULL), or -1 with errno
 * kept and *err saying why ("PATH: not a regular file (a FIFO)", "PATH: No such file...").
 */
struct stat;
int sr_open_regular(const char *path, struct stat *st, char **err);
/* Reads a whole regular file into memory (NUL-terminated). Fails with the path and why; a
 * FIFO, device or directory is refused without reading. */
int sr_read_file(const char *path, size_t max, char **out, size_t *len, char **err);

/*
 * Where the parts of a URL are, read as libcurl reads it: the authority ends at the first '/',
 * '?' or '#' after "://", the userinfo at the authority's first '@', the password at the
 * userinfo's first ':'. So a password holding an unencoded '/', '?' or '#' ends the authority
 * early, and libcurl then fails on a bad host or port. Offsets into the URL.
 */
struct sr_url_parts {
	size_t auth, auth_end;		/* the authority: [userinfo@]host[:port] */
	int has_userinfo, has_password;
	size_t user, user_end, pass, pass_end;
	size_t host;			/* host[:port] up to auth_end */
};
/* Returns 0 and fills *out, or -1 when libcurl could not parse url (no scheme, a bad host
 * or port): such a URL may hold a secret anywhere. */
int sr_url_split(const char *url, struct sr_url_parts *out);
/* True when url carries a password, or cannot be parsed (and so may hide one). */
int sr_url_has_secret(const char *url);

/* Appends s[0..len) to b in base64 (RFC 4648, padded). */
void sr_base64_add(struct sr_buf *b, const char *s, size_t len);

#endif

/* SPDX-License-Identifier: MIT */
/* template.h: Mustache templates rendered against a data tree, escaping chosen by the renderer. */
#ifndef SR_TEMPLATE_H
#define SR_TEMPLATE_H

#include <stddef.h>

#include "util.h"

/* --- the data a template sees: a tree of values held by one arena --- */

enum sr_tval_type { SR_TV_NULL, SR_TV_BOOL, SR_TV_NUM, SR_TV_STR, SR_TV_LIST, SR_TV_OBJ };

struct sr_tval {
	enum sr_tval_type type;
	int b;			/* SR_TV_BOOL */
	double num;		/* SR_TV_NUM */
	const char *str;	/* SR_TV_STR: NUL-terminated copy, len bytes */
	size_t len;
	const char *key;	/* the member name when this value sits in an object */
	struct sr_tval *first, *last, *next;	/* list items / object members, in order */
	size_t n;		/* how many items or members */
	const struct sr_tv_lazy *lazy;	/* a list made on reading (sr_tv_lazy_list), else NULL */
};

/* Owns every value and string of one tree; freeing it frees them all. */
struct sr_tdata;

struct sr_tdata *sr_tdata_new(void);
void sr_tdata_free(struct sr_tdata *d);	/* NULL is fine */

/* New values, owned by d. Strings are copied (NULL becomes the empty string). */
struct sr_tval *sr_tv_null(struct sr_tdata *d);
struct sr_tval *sr_tv_bool(struct sr_tdata *d, int b);
struct sr_tval *sr_tv_num(struct sr_tdata *d, double x);
struct sr_tval *sr_tv_str(struct sr_tdata *d, const char *s);
struct sr_tval *sr_tv_strn(struct sr_tdata *d, const char *s, size_t len);
struct sr_tval *sr_tv_list(struct sr_tdata *d);
struct sr_tval *sr_tv_obj(struct sr_tdata *d);

/*
 * A list of n items made only while they are read, so a long one is never held whole (a
 * 10,000-event timeline: 1.6 kB of nodes per item otherwise). item(arg, i, d) builds item i
 * (0 <= i < n) into d, d being the tree's own data; arg must live as long as the tree. Its
 * readers (sr_tv_first / sr_tv_next, hence sr_tpl_render and sr_tpl_check) make one item at a
 * time and give its memory back when they move on. Nothing may be pushed onto it.
 */
typedef struct sr_tval *(*sr_tv_item_fn)(const void *arg, size_t i, struct sr_tdata *d);
struct sr_tval *sr_tv_lazy_list(struct sr_tdata *d, size_t n, sr_tv_item_fn item,
				const void *arg);

/* Walks a list's items or an object's members, made-on-reading lists included. */
struct sr_tv_iter {
	const struct sr_tval *of, *cur;
	size_t i;
	void *mark_chunk;	/* lazy lists: the data's top before the current item */
	size_t mark_used;
};
/*
 * The first item (member) of v, or NULL when none (or v is not a list or object). An item of a
 * lazy list stays valid until the next sr_tv_next on it; after the last (NULL) its memory is
 * given back. A walk left early keeps its last item until the data is freed.
 */
const struct sr_tval *sr_tv_first(struct sr_tv_iter *it, const struct sr_tval *v);
const struct sr_tval *sr_tv_next(struct sr_tv_iter *it);

/* n bytes owned by d, a copy of src (zeroed when src is NULL): what an item builder reads. */
void *sr_tv_keep(struct sr_tdata *d, const void *src, size_t n);

/* Bytes d holds for its values and strings (what a tree costs in memory). */
size_t sr_tdata_bytes(const struct sr_tdata *d);

/* Appends v to a list (returns v). */
struct sr_tval *sr_tv_push(struct sr_tval *list, struct sr_tval *v);
/* Adds member key = v to an object (key copied into d; returns v). Keys are not de-duplicated. */
struct sr_tval *sr_tv_set(struct sr_tdata *d, struct sr_tval *obj, const char *key,
			  struct sr_tval *v);
/* Shorthands: set a string, number or bool member; set and return a new object or list. */
void sr_tv_set_str(struct sr_tdata *d, struct sr_tval *obj, const char *key, const char *s);
void sr_tv_set_num(struct sr_tdata *d, struct sr_tval *obj, const char *key, double x);
void sr_tv_set_bool(struct sr_tdata *d, struct sr_tval *obj, const char *key, int b);
struct sr_tval *sr_tv_set_obj(struct sr_tdata *d, struct sr_tval *obj, const char *key);
struct sr_tval *sr_tv_set_list(struct sr_tdata *d, struct sr_tval *obj, const char *key);
/* The first member named key (len bytes) of obj, or NULL (also when obj is not an object). */
const struct sr_tval *sr_tv_get(const struct sr_tval *obj, const char *key, size_t len);

/*
 * Parses JSON text into a tree owned by d (objects keep member order). Returns the root, or
 * NULL with *err set ("JSON: ...") on a syntax error.
 */
struct sr_tval *sr_tv_from_json(struct sr_tdata *d, const char *json, size_t len, char **err);

/* --- templates --- */

struct sr_tpl;

/*
 * Parses a Mustache template (len bytes of src, copied). name is used in error messages
 * ("name:line:column: ..."). Fails on an unclosed tag or section, a section closed by another
 * name, an empty tag or a bad set-delimiter tag. Returns NULL with *err set on failure.
 */
struct sr_tpl *sr_tpl_parse(const char *name, const char *src, size_t len, char **err);
void sr_tpl_free(struct sr_tpl *t);	/* NULL is fine */

/*
 * Checks every name t uses against schema, a sample data tree holding every field a template
 * may name (lists hold one sample item; an empty list accepts any name below it). Returns 0,
 * or -1 with *err = "name:line:column: unknown field \"x.y\" (did you mean \"x.z\"?)".
 * Partials are not followed: check each partial file on its own.
 */
int sr_tpl_check(const struct sr_tpl *t, const struct sr_tval *schema, char **err);

/*
 * Writes s (len bytes of data, never template text) to b in an output format: an escaper.
 * arg is sr_tpl_out.arg.
 */
typedef void (*sr_tpl_escape_fn)(struct sr_buf *b, const char *s, size_t len, void *arg);
/*
 * Gives the source of partial name (len bytes): returns 0 with *src and *len set (owned by the
 * callee, valid during the render), or -1 when there is no such partial (it renders empty).
 */
typedef int (*sr_tpl_partial_fn)(void *arg, const char *name, const char **src, size_t *len);

struct sr_tpl_out {
	sr_tpl_escape_fn escape;	/* double mustache; NULL = sr_tpl_esc_html */
	sr_tpl_escape_fn raw;		/* triple mustache and the ampersand tag; NULL = verbatim */
	void *arg;
	sr_tpl_partial_fn partial;	/* NULL = no partials */
	void *partial_arg;
	/*
	 * Called after each list item rendered while out holds SR_TPL_FLUSH bytes or more: it
	 * may take a prefix of out away (write it out), so a long render is not held whole.
	 * NULL = out keeps everything.
	 */
	void (*flush)(void *arg, struct sr_buf *out);
	void *flush_arg;
};

#define SR_TPL_FLUSH 65536

/*
 * Appends t rendered against data to out. Fails (-1, *err) only when a partial does not
 * parse; partials nest at most 64 deep and at most 4,096
 * are rendered in one call (those beyond render empty).
 */
int sr_tpl_render(const struct sr_tpl *t, const struct sr_tval *data,
		  const struct sr_tpl_out *o, struct sr_buf *out, char **err);

/* --- escapers (all take arg NULL, except text: arg != NULL means ASCII only) --- */

/* HTML: & " < > ' become entities; bytes otherwise verbatim (the Mustache spec's escaping). */
void sr_tpl_esc_html(struct sr_buf *b, const char *s, size_t len, void *arg);
/* Plain text: sanitised like every terminal output (src/text.c), one line. */
void sr_tpl_esc_text(struct sr_buf *b, const char *s, size_t len, void *arg);
/*
 * Slack mrkdwn: sanitised to one line, then & < > as entities (so "<!channel>" and "<@U1>"
 * show as text), a backtick as U+02CB (no code span can open), and "@channel", "@here",
 * "@everyone" broken by a word joiner.
 */
void sr_tpl_esc_mrkdwn(struct sr_buf *b, const char *s, size_t len, void *arg);
/* Markdown (Mattermost): sanitised to one line, Markdown punctuation backslash-escaped, and
 * every "@" followed by a word joiner so no @mention fires. */
void sr_tpl_esc_markdown(struct sr_buf *b, const char *s, size_t len, void *arg);
/* JSON string contents: sanitised to one line, then " \ and controls escaped. */
void sr_tpl_esc_json(struct sr_buf *b, const char *s, size_t len, void *arg);

/* Appends s as a JSON string contents (no quotes), sanitising nothing: for already-clean text. */
void sr_tpl_json_chars(struct sr_buf *b, const char *s, size_t len);

#endif

/* SPDX-License-Identifier: MIT */
/* template.c: a Mustache engine (spec 1.3 core modules) over an arena-held data tree. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "template.h"
#include "text.h"

/* --- the data tree --- */

#define CHUNK_MIN 16384

struct sr_tdata {
	struct sr_block *head;
	struct sr_block *spare;	/* a block given back by a lazy list's item, kept for the next */
};

/* A list made on reading (sr_tv_lazy_list). */
struct sr_tv_lazy {
	sr_tv_item_fn item;
	const void *arg;
	struct sr_tdata *d;
};

struct sr_tdata *
sr_tdata_new(void)
{
	return sr_xcalloc(1, sizeof(struct sr_tdata));
}

void
sr_tdata_free(struct sr_tdata *d)
{
	if (!d)
		return;
	sr_block_free(d->head);
	free(d->spare);
	free(d);
}

size_t
sr_tdata_bytes(const struct sr_tdata *d)
{
	size_t n = 0;

	for (const struct sr_block *c = d->head; c != NULL; c = c->prev)
		n += c->cap;
	return n;
}

/*
 * Gives back everything allocated since the mark (chunk, used): what a lazy list's item
 * took. The arena is a stack, so the item's memory is the top of it.
 */
static void
release(struct sr_tdata *d, struct sr_block *mark, size_t used)
{
	struct sr_block *c;

	while ((c = d->head) != mark && c != NULL) {
		d->head = c->prev;
		if (d->spare == NULL && c->cap == CHUNK_MIN) {
			d->spare = c;
		} else {
			free(c);
		}
	}
	if (d->head != NULL)
		d->head->used = used;
}

static void *
arena(struct sr_tdata *d, size_t n)
{
	/* a spare block is already touched: no page faults */
	return sr_block_alloc(&d->head, &d->spare, (n + 15) & ~(size_t)15, CHUNK_MIN);
}

void *
sr_tv_keep(struct sr_tdata *d, const void *src, size_t n)
{
	void *p = arena(d, n);

	if (src != NULL)
		memcpy(p, src, n);
	else
		memset(p, 0, n);
	return p;
}

static const char *
arena_str(struct sr_tdata *d, const char *s, size_t len)
{
	char *p = arena(d, len + 1);

	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static struct sr_tval *
tv_new(struct sr_tdata *d, enum sr_tval_type type)
{
	struct sr_tval *v = arena(d, sizeof(*v));

	memset(v, 0, sizeof(*v));
	v->type = type;
	return v;
}

struct sr_tval *
sr_tv_null(struct sr_tdata *d)
{
	return tv_new(d, SR_TV_NULL);
}

struct sr_tval *
sr_tv_bool(struct sr_tdata *d, int b)
{
	struct sr_tval *v = tv_new(d, SR_TV_BOOL);

	v->b = b != 0;
	return v;
}

struct sr_tval *
sr_tv_num(struct sr_tdata *d, double x)
{
	struct sr_tval *v = tv_new(d, SR_TV_NUM);

	v->num = x;
	return v;
}

struct sr_tval *
sr_tv_strn(struct sr_tdata *d, const char *s, size_t len)
{
	struct sr_tval *v = tv_new(d, SR_TV_STR);

	v->str = arena_str(d, s ? s : "", s ? len : 0);
	v->len = s ? len : 0;
	return v;
}

struct sr_tval *
sr_tv_str(struct sr_tdata *d, const char *s)
{
	return sr_tv_strn(d, s, s ? strlen(s) : 0);
}

struct sr_tval *
sr_tv_list(struct sr_tdata *d)
{
	return tv_new(d, SR_TV_LIST);
}

struct sr_tval *
sr_tv_obj(struct sr_tdata *d)
{
	return tv_new(d, SR_TV_OBJ);
}

struct sr_tval *
sr_tv_lazy_list(struct sr_tdata *d, size_t n, sr_tv_item_fn item, const void *arg)
{
	struct sr_tval *v = tv_new(d, SR_TV_LIST);
	struct sr_tv_lazy *lz = arena(d, sizeof(*lz));

	lz->item = item;
	lz->arg = arg;
	lz->d = d;
	v->lazy = lz;
	v->n = n;
	return v;
}

/* Makes item it->i of a lazy list on top of its data, remembering where the top was. */
static const struct sr_tval *
lazy_item(struct sr_tv_iter *it)
{
	const struct sr_tv_lazy *lz = it->of->lazy;

	if (it->i >= it->of->n)
		return it->cur = NULL;
	it->mark_chunk = lz->d->head;
	it->mark_used = lz->d->head != NULL ? lz->d->head->used : 0;
	return it->cur = lz->item(lz->arg, it->i, lz->d);
}

const struct sr_tval *
sr_tv_first(struct sr_tv_iter *it, const struct sr_tval *v)
{
	memset(it, 0, sizeof(*it));
	it->of = v;
	if (v == NULL || (v->type != SR_TV_LIST && v->type != SR_TV_OBJ))
		return NULL;
	if (v->lazy != NULL)
		return lazy_item(it);
	return it->cur = v->first;
}

const struct sr_tval *
sr_tv_next(struct sr_tv_iter *it)
{
	if (it->cur == NULL)
		return NULL;
	if (it->of->lazy == NULL)
		return it->cur = it->cur->next;
	release(it->of->lazy->d, it->mark_chunk, it->mark_used);
	it->i++;
	return lazy_item(it);
}

struct sr_tval *
sr_tv_push(struct sr_tval *list, struct sr_tval *v)
{
	v->next = NULL;
	if (list->last)
		list->last->next = v;
	else
		list->first = v;
	list->last = v;
	list->n++;
	return v;
}

struct sr_tval *
sr_tv_set(struct sr_tdata *d, struct sr_tval *obj, const char *key, struct sr_tval *v)
{
	v->key = arena_str(d, key, strlen(key));
	return sr_tv_push(obj, v);
}

void
sr_tv_set_str(struct sr_tdata *d, struct sr_tval *obj, const char *key, const char *s)
{
	sr_tv_set(d, obj, key, sr_tv_str(d, s));
}

void
sr_tv_set_num(struct sr_tdata *d, struct sr_tval *obj, const char *key, double x)
{
	sr_tv_set(d, obj, key, sr_tv_num(d, x));
}

void
sr_tv_set_bool(struct sr_tdata *d, struct sr_tval *obj, const char *key, int b)
{
	sr_tv_set(d, obj, key, sr_tv_bool(d, b));
}

struct sr_tval *
sr_tv_set_obj(struct sr_tdata *d, struct sr_tval *obj, const char *key)
{
	return sr_tv_set(d, obj, key, sr_tv_obj(d));
}

struct sr_tval *
sr_tv_set_list(struct sr_tdata *d, struct sr_tval *obj, const char *key)
{
	return sr_tv_set(d, obj, key, sr_tv_list(d));
}

const struct sr_tval *
sr_tv_get(const struct sr_tval *obj, const char *key, size_t len)
{
	if (!obj || obj->type != SR_TV_OBJ)
		return NULL;
	for (const struct sr_tval *m = obj->first; m; m = m->next)
		if ((len == 0 || m->key[0] == key[0]) && strncmp(m->key, key, len) == 0 &&
		    m->key[len] == '\0')
			return m;
	return NULL;
}

static struct sr_tval *
from_cjson(struct sr_tdata *d, const cJSON *j)
{
	struct sr_tval *v;

	if (cJSON_IsBool(j))
		return sr_tv_bool(d, cJSON_IsTrue(j));
	if (cJSON_IsNumber(j))
		return sr_tv_num(d, j->valuedouble);
	if (cJSON_IsString(j))
		return sr_tv_str(d, j->valuestring);
	if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
		v = cJSON_IsArray(j) ? sr_tv_list(d) : sr_tv_obj(d);
		for (const cJSON *c = j->child; c; c = c->next) {
			if (v->type == SR_TV_OBJ)
				sr_tv_set(d, v, c->string ? c->string : "", from_cjson(d, c));
			else
				sr_tv_push(v, from_cjson(d, c));
		}
		return v;
	}
	return sr_tv_null(d);
}

struct sr_tval *
sr_tv_from_json(struct sr_tdata *d, const char *json, size_t len, char **err)
{
	cJSON *j = cJSON_ParseWithLength(json, len);
	struct sr_tval *v;

	if (!j) {
		sr_err(err, "JSON: syntax error");
		return NULL;
	}
	v = from_cjson(d, j);
	cJSON_Delete(j);
	return v;
}

/* --- parsing --- */

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
	enum node_kind kind;
	const char *s;		/* text, or the tag's name (NUL-terminated in t->names) */
	size_t len;
	size_t end;		/* sections: index of the first node after the section */
	unsigned line, col;
	const char *indent;	/* partials: the standalone tag's indentation ("" if none) */
	size_t indent_len;
	size_t name_off;	/* while parsing: offset of the name in t->names */
};

struct sr_tpl {
	char *name;
	char *src;
	size_t len;
	struct node *v;
	size_t n, cap;
	struct sr_buf names;	/* tag names and indents, each NUL-terminated */
};

#define DELIM_MAX 32
#define NEST_MAX 256
#define PARTIAL_DEPTH 64
/* Partials rendered per render at most: a template naming itself twice would otherwise double
 * its work at every level. */
#define PARTIAL_BUDGET 4096

struct parser {
	struct sr_tpl *t;
	const char *src;
	size_t len;
	char otag[DELIM_MAX + 2], ctag[DELIM_MAX + 2];
	size_t olen, clen;
	size_t line_pos;	/* position up to which line/col were counted */
	unsigned line, col;
	size_t open[NEST_MAX];
	size_t n_open;
};

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Line and column (1-based, columns in code points) of position p. */
static void
position(struct parser *ps, size_t p, unsigned *line, unsigned *col)
{
	for (; ps->line_pos < p; ps->line_pos++) {
		unsigned char c = (unsigned char)ps->src[ps->line_pos];

		if (c == '\n') {
			ps->line++;
			ps->col = 1;
		} else if ((c & 0xC0) != 0x80) {
			ps->col++;
		}
	}
	*line = ps->line;
	*col = ps->col;
}

/* "name:line:col: what" and, when arg is not NULL, ' "arg"' (alen bytes). */
static int
perr(struct parser *ps, size_t p, char **err, const char *what, const char *arg, size_t alen)
{
	unsigned line, col;

	position(ps, p, &line, &col);
	if (arg)
		return sr_err(err, "%s:%u:%u: %s \"%.*s\"", ps->t->name, line, col, what,
			      (int)alen, arg);
	return sr_err(err, "%s:%u:%u: %s", ps->t->name, line, col, what);
}

static struct node *
add_node(struct parser *ps, enum node_kind kind)
{
	struct sr_tpl *t = ps->t;
	struct node *n;

	t->v = sr_xgrow(t->v, &t->cap, t->n + 1, sizeof(*t->v));
	n = &t->v[t->n++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->indent = "";
	return n;
}

static void
add_text(struct parser *ps, size_t from, size_t to)
{
	struct node *n;

	if (to <= from)
		return;
	n = add_node(ps, N_TEXT);
	n->s = ps->src + from;
	n->len = to - from;
}

static const char *
find(const char *hay, size_t hlen, size_t from, const char *needle, size_t nlen)
{
	if (from > hlen || nlen == 0)
		return NULL;
	return memmem(hay + from, hlen - from, needle, nlen);
}

static int
set_delims(struct parser *ps, const char *c, size_t len, size_t at, char **err)
{
	size_t i = 0, a, b;

	while (i < len && !is_ws(c[i]))
		i++;
	a = i;
	while (i < len && is_ws(c[i]))
		i++;
	b = i;
	while (i < len && !is_ws(c[i]))
		i++;
	if (a == 0 || b == a || i == b || i != len || a > DELIM_MAX || i - b > DELIM_MAX ||
	    memchr(c, '=', a) || memchr(c + b, '=', i - b))
		return perr(ps, at, err, "bad delimiter tag (want {{=<open> <close>=}}):", c, len);
	memcpy(ps->otag, c, a);
	ps->olen = a;
	memcpy(ps->ctag, c + b, i - b);
	ps->clen = i - b;
	return 0;
}

/* Stores the name (len bytes) of the last node; names live in t->names until parsing ends. */
static void
name_node(struct parser *ps, const char *s, size_t len)
{
	struct sr_tpl *t = ps->t;

	t->v[t->n - 1].name_off = t->names.len;
	sr_buf_add(&t->names, s, len);
	sr_buf_addc(&t->names, '\0');
	t->v[t->n - 1].len = len;
}

static int
parse(struct parser *ps, char **err)
{
	const char *src = ps->src;
	size_t len = ps->len, pos = 0;

	while (pos < len) {
		const char *o = find(src, len, pos, ps->otag, ps->olen), *cl;
		size_t tag = o ? (size_t)(o - src) : len, q, cstart, tag_end;
		char type, closer[DELIM_MAX + 2];
		size_t closer_len;
		const char *c;
		size_t clen;
		int standalone = 0;
		size_t text_end = tag, indent_from = tag;
		struct node *n;

		if (!o) {
			add_text(ps, pos, len);
			break;
		}
		q = tag + ps->olen;
		type = q < len ? src[q] : '\0';
		memcpy(closer, ps->ctag, ps->clen);
		closer_len = ps->clen;
		if (type == '{' || type == '=') {
			closer[0] = type == '{' ? '}' : '=';
			memcpy(closer + 1, ps->ctag, ps->clen);
			closer_len = ps->clen + 1;
		}
		if (strchr("{&#^/!>=", type) && type != '\0')
			q++;
		else
			type = 'v';
		cl = find(src, len, q, closer, closer_len);
		if (!cl)
			return perr(ps, tag, err, "unclosed tag", NULL, 0);
		cstart = (size_t)(cl - src);
		tag_end = cstart + closer_len;
		c = src + q;
		clen = cstart - q;
		while (clen && is_ws(*c)) {
			c++;
			clen--;
		}
		while (clen && is_ws(c[clen - 1]))
			clen--;

		if (strchr("#^/!>=", type)) {
			/* standalone: only blanks between the line start and the tag, and after it */
			size_t i = tag, j = tag_end;

			while (i > pos && (src[i - 1] == ' ' || src[i - 1] == '\t'))
				i--;
			if ((i == pos && (pos == 0 || src[pos - 1] == '\n')) ||
			    (i > pos && src[i - 1] == '\n')) {
				while (j < len && (src[j] == ' ' || src[j] == '\t'))
					j++;
				if (j == len || src[j] == '\n' ||
				    (src[j] == '\r' && j + 1 < len && src[j + 1] == '\n')) {
					standalone = 1;
					text_end = indent_from = i;
					tag_end = j == len ? len : j + (src[j] == '\r' ? 2 : 1);
				}
			}
		}
		add_text(ps, pos, text_end);

		if (type != '!' && type != '=' && clen == 0)
			return perr(ps, tag, err, "empty tag", NULL, 0);
		switch (type) {
		case '!':
			break;
		case '=':
			if (set_delims(ps, c, clen, tag, err) != 0)
				return -1;
			break;
		case '/': {
			struct node *open;

			if (ps->n_open == 0)
				return perr(ps, tag, err, "no open section to close:", c, clen);
			open = &ps->t->v[ps->open[ps->n_open - 1]];
			if (open->len != clen ||
			    memcmp(ps->t->names.data + open->name_off, c, clen) != 0) {
				unsigned l, col;

				position(ps, tag, &l, &col);
				return sr_err(err,
					      "%s:%u:%u: section \"%.*s\" (opened at %u:%u) closed by \"%.*s\"",
					      ps->t->name, l, col, (int)open->len,
					      ps->t->names.data + open->name_off, open->line,
					      open->col, (int)clen, c);
			}
			open->end = ps->t->n;
			ps->n_open--;
			break;
		}
		default:
			n = add_node(ps, type == '#'   ? N_SECTION :
					 type == '^' ? N_INVERTED :
					 type == '>' ? N_PARTIAL :
					 type == 'v' ? N_VAR :
						       N_RAW);
			position(ps, tag, &n->line, &n->col);
			name_node(ps, c, clen);
			if (type == '#' || type == '^') {
				if (ps->n_open == NEST_MAX)
					return perr(ps, tag, err, "sections nested too deep", NULL, 0);
				ps->open[ps->n_open++] = ps->t->n - 1;
			}
			if (type == '>' && standalone && indent_from < tag) {
				struct sr_tpl *t = ps->t;

				/* the indent is stored after the name; fixed up in finish() */
				t->v[t->n - 1].indent_len = tag - indent_from;
				sr_buf_add(&t->names, src + indent_from, tag - indent_from);
				sr_buf_addc(&t->names, '\0');
			}
			break;
		}
		pos = tag_end;
	}
	if (ps->n_open) {
		struct node *open = &ps->t->v[ps->open[ps->n_open - 1]];
		char *nm = sr_xstrndup(ps->t->names.data + open->name_off,
				       open->len);

		sr_err(err, "%s:%u:%u: unclosed section \"%s\"", ps->t->name, open->line, open->col,
		       nm);
		free(nm);
		return -1;
	}
	return 0;
}

/* Points names and indents into t->names now that it stops moving. */
static void
finish(struct sr_tpl *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct node *n = &t->v[i];

		if (n->kind == N_TEXT)
			continue;
		n->s = t->names.data + n->name_off;
		if (n->indent_len)
			n->indent = n->s + n->len + 1;
	}
}

struct sr_tpl *
sr_tpl_parse(const char *name, const char *src, size_t len, char **err)
{
	struct sr_tpl *t = sr_xcalloc(1, sizeof(*t));
	struct parser ps;

	t->name = sr_xstrdup(name ? name : "template");
	t->src = sr_xstrndup(src ? src : "", src ? len : 0);
	t->len = src ? len : 0;
	sr_buf_init(&t->names);
	memset(&ps, 0, sizeof(ps));
	ps.t = t;
	ps.src = t->src;
	ps.len = t->len;
	memcpy(ps.otag, "{{", 2);
	memcpy(ps.ctag, "}}", 2);
	ps.olen = ps.clen = 2;
	ps.line = ps.col = 1;
	if (parse(&ps, err) != 0) {
		sr_tpl_free(t);
		return NULL;
	}
	finish(t);
	return t;
}

void
sr_tpl_free(struct sr_tpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->src);
	free(t->v);
	sr_buf_done(&t->names);
	free(t);
}

/* --- rendering --- */

struct pcache {
	char *name, *indent;
	struct sr_tpl *t;
};

struct render {
	const struct sr_tpl_out *o;
	struct sr_buf *out;
	const struct sr_tval **stack;
	size_t depth, cap;
	struct pcache *pc;
	size_t n_pc, cap_pc;
	int pdepth;
	size_t pcount;
};

/* Resolves a (dotted) name against the context stack; NULL when missing. */
static const struct sr_tval *
lookup(const struct render *r, const char *name, size_t len)
{
	const struct sr_tval *v = NULL;
	const char *dot;
	size_t part;

	if (len == 1 && name[0] == '.')
		return r->stack[r->depth - 1];
	dot = memchr(name, '.', len);
	part = dot ? (size_t)(dot - name) : len;
	for (size_t d = r->depth; d-- > 0;)
		if ((v = sr_tv_get(r->stack[d], name, part)) != NULL)
			break;
	while (v && dot) {
		name = dot + 1;
		len -= part + 1;
		dot = memchr(name, '.', len);
		part = dot ? (size_t)(dot - name) : len;
		v = sr_tv_get(v, name, part);
	}
	return v;
}

static int
truthy(const struct sr_tval *v)
{
	if (!v)
		return 0;
	switch (v->type) {
	case SR_TV_NULL:
		return 0;
	case SR_TV_BOOL:
		return v->b;
	case SR_TV_NUM:
		return v->num != 0 && !isnan(v->num);
	case SR_TV_STR:
		return v->len > 0;
	case SR_TV_LIST:
		return v->n > 0;
	case SR_TV_OBJ:
		return 1;
	}
	return 0;
}

/* Shortest text that reads back as x ("85", "1.21"). */
static size_t
num_text(double x, char *buf, size_t n)
{
	int k;

	if (isnan(x) || isinf(x))
		return (size_t)snprintf(buf, n, "%s", isnan(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
	if (x == (double)(int64_t)x && fabs(x) < 1e15)
		return (size_t)snprintf(buf, n, "%lld", (long long)x);
	for (k = 15; k < 17; k++) {
		snprintf(buf, n, "%.*g", k, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return (size_t)snprintf(buf, n, "%.*g", k, x);
}

static void
emit(struct render *r, const struct sr_tval *v, int raw)
{
	sr_tpl_escape_fn fn = raw ? r->o->raw : r->o->escape ? r->o->escape : sr_tpl_esc_html;
	char buf[40];
	const char *s;
	size_t len;

	if (!v)
		return;
	switch (v->type) {
	case SR_TV_STR:
		s = v->str;
		len = v->len;
		break;
	case SR_TV_NUM:
		len = num_text(v->num, buf, sizeof(buf));
		s = buf;
		break;
	case SR_TV_BOOL:
		s = v->b ? "true" : "false";
		len = strlen(s);
		break;
	default:
		return;
	}
	if (fn)
		fn(r->out, s, len, r->o->arg);
	else
		sr_buf_add(r->out, s, len);
}

static void
push(struct render *r, const struct sr_tval *v)
{
	r->stack = sr_xgrow(r->stack, &r->cap, r->depth + 1, sizeof(*r->stack));
	r->stack[r->depth++] = v;
}

static int render_range(struct render *r, const struct sr_tpl *t, size_t from, size_t to,
			char **err);

/* The partial's source with indent before every line (a standalone tag's indentation). */
static char *
indented(const char *src, size_t len, const char *indent, size_t *out_len)
{
	struct sr_buf b;

	sr_buf_init(&b);
	for (size_t i = 0; i < len; i++) {
		if (i == 0 || src[i - 1] == '\n')
			sr_buf_adds(&b, indent);
		sr_buf_addc(&b, src[i]);
	}
	*out_len = b.len;
	return sr_buf_steal(&b);
}

static int
render_partial(struct render *r, const struct node *n, char **err)
{
	struct sr_tpl *pt = NULL;
	const char *src;
	size_t len;
	int rc;

	if (!r->o->partial || r->pdepth >= PARTIAL_DEPTH || r->pcount >= PARTIAL_BUDGET)
		return 0;
	r->pcount++;
	for (size_t i = 0; i < r->n_pc; i++)
		if (strcmp(r->pc[i].name, n->s) == 0 && strcmp(r->pc[i].indent, n->indent) == 0)
			pt = r->pc[i].t;
	if (!pt) {
		if (r->o->partial(r->o->partial_arg, n->s, &src, &len) != 0)
			return 0;
		if (n->indent_len) {
			size_t ilen;
			char *isrc = indented(src, len, n->indent, &ilen);

			pt = sr_tpl_parse(n->s, isrc, ilen, err);
			free(isrc);
		} else {
			pt = sr_tpl_parse(n->s, src, len, err);
		}
		if (!pt)
			return -1;
		r->pc = sr_xgrow(r->pc, &r->cap_pc, r->n_pc + 1, sizeof(*r->pc));
		r->pc[r->n_pc].name = sr_xstrdup(n->s);
		r->pc[r->n_pc].indent = sr_xstrdup(n->indent);
		r->pc[r->n_pc++].t = pt;
	}
	r->pdepth++;
	rc = render_range(r, pt, 0, pt->n, err);
	r->pdepth--;
	return rc;
}

static int
render_range(struct render *r, const struct sr_tpl *t, size_t from, size_t to, char **err)
{
	size_t i = from;

	while (i < to) {
		const struct node *n = &t->v[i];
		const struct sr_tval *v;

		switch (n->kind) {
		case N_TEXT:
			sr_buf_add(r->out, n->s, n->len);
			break;
		case N_VAR:
		case N_RAW:
			emit(r, lookup(r, n->s, n->len), n->kind == N_RAW);
			break;
		case N_SECTION:
			v = lookup(r, n->s, n->len);
			if (truthy(v)) {
				if (v->type == SR_TV_LIST) {
					struct sr_tv_iter it;

					for (const struct sr_tval *e = sr_tv_first(&it, v); e;
					     e = sr_tv_next(&it)) {
						push(r, e);
						if (render_range(r, t, i + 1, n->end, err) != 0)
							return -1;
						r->depth--;
						if (r->o->flush && r->out->len >= SR_TPL_FLUSH)
							r->o->flush(r->o->flush_arg, r->out);
					}
				} else {
					push(r, v);
					if (render_range(r, t, i + 1, n->end, err) != 0)
						return -1;
					r->depth--;
				}
			}
			i = n->end;
			continue;
		case N_INVERTED:
			if (!truthy(lookup(r, n->s, n->len)) &&
			    render_range(r, t, i + 1, n->end, err) != 0)
				return -1;
			i = n->end;
			continue;
		case N_PARTIAL:
			if (render_partial(r, n, err) != 0)
				return -1;
			break;
		}
		i++;
	}
	return 0;
}

int
sr_tpl_render(const struct sr_tpl *t, const struct sr_tval *data, const struct sr_tpl_out *o,
	      struct sr_buf *out, char **err)
{
	static const struct sr_tpl_out html = { 0 };
	struct render r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.o = o ? o : &html;
	r.out = out;
	push(&r, data);
	rc = render_range(&r, t, 0, t->n, err);
	for (size_t i = 0; i < r.n_pc; i++) {
		free(r.pc[i].name);
		free(r.pc[i].indent);
		sr_tpl_free(r.pc[i].t);
	}
	free(r.pc);
	free(r.stack);
	/* sr_buf is NUL-terminated once written to; make an empty render a valid string too */
	sr_buf_add(out, "", 0);
	return rc;
}

/* --- checking names against a schema --- */

struct check {
	const struct sr_tpl *t;
	const struct sr_tval *stack[NEST_MAX + 1];
	size_t depth;
};

static void
nearest_in(const struct sr_tval *obj, const char *part, size_t plen, const char **best,
	   size_t *best_d)
{
	char want[128];

	if (!obj || obj->type != SR_TV_OBJ)
		return;
	snprintf(want, sizeof(want), "%.*s", (int)plen, part);
	for (const struct sr_tval *m = obj->first; m; m = m->next) {
		size_t d = sr_edit_distance(want, m->key);

		if (d < *best_d) {
			*best_d = d;
			*best = m->key;
		}
	}
}

/*
 * Resolves name in the schema stack. Returns 1 when known, 0 when not (with *sugg set to an
 * allocated "did you mean" name or NULL); *found gets the schema value (NULL = anything).
 */
static int
check_name(const struct check *c, const char *name, size_t len, const struct sr_tval **found,
	   char **sugg)
{
	const struct sr_tval *v = NULL;
	const char *dot, *best = NULL, *p = name;
	size_t part, best_d = SIZE_MAX, plen = len;

	*sugg = NULL;
	*found = NULL;
	if (len == 1 && name[0] == '.') {
		*found = c->stack[c->depth - 1];
		return 1;
	}
	dot = memchr(p, '.', plen);
	part = dot ? (size_t)(dot - p) : plen;
	for (size_t d = c->depth; d-- > 0;) {
		if (!c->stack[d])
			return 1;	/* below an empty sample list: anything goes */
		if ((v = sr_tv_get(c->stack[d], p, part)) != NULL)
			break;
	}
	if (!v) {
		for (size_t d = c->depth; d-- > 0;)
			nearest_in(c->stack[d], p, part, &best, &best_d);
		goto unknown;
	}
	while (dot) {
		const struct sr_tval *up = v;

		p = dot + 1;
		plen -= part + 1;
		dot = memchr(p, '.', plen);
		part = dot ? (size_t)(dot - p) : plen;
		if (up->type == SR_TV_LIST && up->n == 0)
			return 1;
		v = sr_tv_get(up, p, part);
		if (!v) {
			nearest_in(up, p, part, &best, &best_d);
			goto unknown;
		}
	}
	*found = v;
	return 1;
unknown:
	if (best && best_d <= 3 && best_d < (part + 1) / 2 + 2)
		*sugg = sr_xasprintf("%.*s%s", (int)(p - name), name, best);
	return 0;
}

int
sr_tpl_check(const struct sr_tpl *t, const struct sr_tval *schema, char **err)
{
	struct check c;
	size_t ends[NEST_MAX + 1], n_ends = 0;
	struct sr_tdata *made = NULL;	/* lazy lists' samples are made here, given back after */
	struct sr_block *mark = NULL;
	size_t mark_used = 0;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.stack[c.depth++] = schema;
	for (size_t i = 0; i < t->n; i++) {
		const struct node *n = &t->v[i];
		const struct sr_tval *v;
		char *sugg;

		while (n_ends && ends[n_ends - 1] == i) {
			n_ends--;
			c.depth--;
		}
		if (n->kind == N_TEXT || n->kind == N_PARTIAL)
			continue;
		if (!check_name(&c, n->s, n->len, &v, &sugg)) {
			sr_err(err, "%s:%u:%u: unknown field \"%.*s\"%s%s%s", t->name, n->line,
			       n->col, (int)n->len, n->s, sugg ? " (did you mean \"" : "",
			       sugg ? sugg : "", sugg ? "\"?)" : "");
			free(sugg);
			rc = -1;
			break;
		}
		if (n->kind == N_SECTION) {
			/* a list's items are checked against its sample item */
			if (v && v->type == SR_TV_LIST && v->lazy) {
				if (made == NULL) {
					made = v->lazy->d;
					mark = made->head;
					mark_used = mark != NULL ? mark->used : 0;
				}
				v = v->n > 0 ? v->lazy->item(v->lazy->arg, 0, v->lazy->d) : NULL;
			} else if (v && v->type == SR_TV_LIST) {
				v = v->first;
			}
			ends[n_ends++] = n->end;
			c.stack[c.depth++] = v;
		}
	}
	if (made != NULL)
		release(made, mark, mark_used);
	return rc;
}

/* --- escapers --- */

void
sr_tpl_esc_html(struct sr_buf *b, const char *s, size_t len, void *arg)
{
	size_t run = 0;

	(void)arg;
	for (size_t i = 0; i < len; i++) {
		const char *e;

		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		sr_buf_add(b, s + run, i - run);
		sr_buf_adds(b, e);
		run = i + 1;
	}
	sr_buf_add(b, s + run, len - run);
}

void
sr_tpl_esc_text(struct sr_buf *b, const char *s, size_t len, void *arg)
{
	sr_text_sanitize(b, s, len, arg ? SR_SAN_ASCII : 0);
}

/* Sanitises s to one line, then hands it to fn, the format's own escaping. */
static void
with_clean(struct sr_buf *b, const char *s, size_t len,
	   void (*fn)(struct sr_buf *b, const char *s, size_t len))
{
	struct sr_buf tmp;

	sr_buf_init(&tmp);
	sr_text_sanitize(&tmp, s, len, 0);
	sr_buf_add(&tmp, "", 0);
	fn(b, tmp.data, tmp.len);
	sr_buf_done(&tmp);
}

#define WORD_JOINER "\xE2\x81\xA0"	/* U+2060 */

static int
is_broadcast(const char *p)
{
	return strncmp(p, "channel", 7) == 0 || strncmp(p, "here", 4) == 0 ||
	       strncmp(p, "everyone", 8) == 0;
}

static void
mrkdwn_chars(struct sr_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': sr_buf_adds(b, "&amp;"); break;
		case '<': sr_buf_adds(b, "&lt;"); break;
		case '>': sr_buf_adds(b, "&gt;"); break;
		case '`': sr_buf_adds(b, "\xCB\x8B"); break;	/* U+02CB */
		case '@':
			sr_buf_addc(b, '@');
			if (is_broadcast(s + i + 1))
				sr_buf_adds(b, WORD_JOINER);
			break;
		default: sr_buf_addc(b, s[i]); break;
		}
	}
}

void
sr_tpl_esc_mrkdwn(struct sr_buf *b, const char *s, size_t len, void *arg)
{
	(void)arg;
	with_clean(b, s, len, mrkdwn_chars);
}

static void
markdown_chars(struct sr_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '@') {
			sr_buf_adds(b, "@" WORD_JOINER);
			continue;
		}
		if (strchr("\\`*_[]<>#|~", s[i]) && s[i] != '\0')
			sr_buf_addc(b, '\\');
		sr_buf_addc(b, s[i]);
	}
}

void
sr_tpl_esc_markdown(struct sr_buf *b, const char *s, size_t len, void *arg)
{
	(void)arg;
	with_clean(b, s, len, markdown_chars);
}

void
sr_tpl_json_chars(struct sr_buf *b, const char *s, size_t len)
{
	size_t run = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		sr_buf_add(b, s + run, i - run);
		run = i + 1;
		switch (ch) {
		case '"': sr_buf_adds(b, "\\\""); break;
		case '\\': sr_buf_adds(b, "\\\\"); break;
		case '\n': sr_buf_adds(b, "\\n"); break;
		case '\t': sr_buf_adds(b, "\\t"); break;
		default: sr_buf_printf(b, "\\u%04x", ch); break;
		}
	}
	sr_buf_add(b, s + run, len - run);
}

void
sr_tpl_esc_json(struct sr_buf *b, const char *s, size_t len, void *arg)
{
	(void)arg;
	with_clean(b, s, len, sr_tpl_json_chars);
}

/* SPDX-License-Identifier: MIT */
/* jsonr.c: a strict, allocation-light streaming JSON reader for the large feed answers. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonr.h"
#include "text.h"

void
sr_jr_init(struct sr_jr *f, const char *s, size_t len)
{
	f->p = s;
	f->end = s + len;
	f->depth = 0;
	sr_buf_init(&f->tmp);
}

void
sr_jr_reset(struct sr_jr *f, const char *s, size_t len)
{
	f->p = s;
	f->end = s + len;
	f->depth = 0;
}

void
sr_jr_done(struct sr_jr *f)
{
	sr_buf_done(&f->tmp);
}

const char *
sr_jr_key(struct sr_jr *f)
{
	if (sr_jr_string(f, &f->tmp) < 0 || !sr_jr_lit(f, ':'))
		return NULL;
	if (f->tmp.data == NULL)
		sr_buf_adds(&f->tmp, "");
	return f->tmp.data;
}

int
sr_jr_at_end(struct sr_jr *f)
{
	sr_jr_ws(f);
	return f->p == f->end || (f->p + 1 == f->end && *f->p == '\0');
}

char *
sr_jr_strdup(struct sr_jr *f)
{
	if (sr_jr_string(f, &f->tmp) < 0)
		return NULL;
	return sr_xstrndup(f->tmp.data != NULL ? f->tmp.data : "", f->tmp.len);
}

void
sr_jr_ws(struct sr_jr *f)
{
	while (f->p < f->end && (*f->p == ' ' || *f->p == '\n' || *f->p == '\r' || *f->p == '\t'))
		f->p++;
}

int
sr_jr_lit(struct sr_jr *f, char c)
{
	sr_jr_ws(f);
	if (f->p < f->end && *f->p == c) {
		f->p++;
		return 1;
	}
	return 0;
}

int
sr_jr_next(struct sr_jr *f, char open, struct sr_buf *key, int *at)
{
	char close = open == '{' ? '}' : ']';

	if (*at == 0) {
		if (!sr_jr_lit(f, open))
			return -1;
		*at = 1;
		if (sr_jr_lit(f, close))
			return 0;
	} else if (!sr_jr_lit(f, ',')) {
		return sr_jr_lit(f, close) ? 0 : -1;
	}
	if (open == '{' && (sr_jr_string(f, key) < 0 || key->len == 0 || !sr_jr_lit(f, ':')))
		return -1;
	return 1;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads a JSON string into b (cleared first). Returns 0, or -1 on malformed input. */
int
sr_jr_string(struct sr_jr *f, struct sr_buf *b)
{
	const char *s;

	b->len = 0;
	sr_jr_ws(f);
	if (f->p >= f->end || *f->p != '"')
		return -1;
	s = ++f->p;
	for (;;) {
		const char *q = s;

		while (q < f->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
			q++;
		sr_buf_add(b, s, (size_t)(q - s));
		if (q >= f->end || (unsigned char)*q < 0x20)
			return -1;
		if (*q == '"') {
			f->p = q + 1;
			return 0;
		}
		/* An escape. */
		if (q + 1 >= f->end)
			return -1;
		switch (q[1]) {
		case '"': sr_buf_addc(b, '"'); break;
		case '\\': sr_buf_addc(b, '\\'); break;
		case '/': sr_buf_addc(b, '/'); break;
		case 'b': sr_buf_addc(b, '\b'); break;
		case 'f': sr_buf_addc(b, '\f'); break;
		case 'n': sr_buf_addc(b, '\n'); break;
		case 'r': sr_buf_addc(b, '\r'); break;
		case 't': sr_buf_addc(b, '\t'); break;
		case 'u': {
			unsigned cp = 0;
			char enc[4];

			if (q + 6 > f->end)
				return -1;
			for (int i = 2; i < 6; i++) {
				int h = hexval(q[i]);

				if (h < 0)
					return -1;
				cp = cp << 4 | (unsigned)h;
			}
			q += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && q + 8 <= f->end && q[2] == '\\' &&
			    q[3] == 'u') {
				unsigned lo = 0;
				int ok = 1;

				for (int i = 4; i < 8; i++) {
					int h = hexval(q[i]);

					if (h < 0)
						ok = 0;
					else
						lo = lo << 4 | (unsigned)h;
				}
				if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					q += 6;
				}
			}
			if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
				return -1;	/* NUL or a lone surrogate: let cJSON decide */
			sr_buf_add(b, enc, sr_utf8_encode(cp, enc));
			break;
		}
		default:
			return -1;
		}
		s = q + 2;
	}
}

static const double pow10_tab[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * Converts a JSON number text of n bytes. Exact (Clinger's fast path) when the digits fit in
 * 53 bits and the power of ten is at most 22; strtod otherwise.
 */
int
sr_jr_number_text(const char *s, size_t n, double *out)
{
	const char *p = s, *e = s + n;
	uint64_t m = 0;
	int digits = 0, exp10 = 0, neg = 0, any = 0;
	char tmp[64];

	if (p < e && *p == '-') {
		neg = 1;
		p++;
	}
	if (p >= e)
		return -1;
	if (*p == '0') {
		p++;
		any = 1;
	} else {
		while (p < e && *p >= '0' && *p <= '9') {
			if (digits < 19)
				m = m * 10 + (uint64_t)(*p - '0');
			else
				exp10++;
			digits += m != 0;
			p++;
			any = 1;
		}
	}
	if (!any)
		return -1;
	if (p < e && *p == '.') {
		p++;
		any = 0;
		while (p < e && *p >= '0' && *p <= '9') {
			if (digits < 19) {
				m = m * 10 + (uint64_t)(*p - '0');
				exp10--;
			}
			digits += m != 0;
			p++;
			any = 1;
		}
		if (!any)
			return -1;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		int eneg = 0, ev = 0;

		p++;
		if (p < e && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		any = 0;
		while (p < e && *p >= '0' && *p <= '9') {
			if (ev < 10000)
				ev = ev * 10 + (*p - '0');
			p++;
			any = 1;
		}
		if (!any)
			return -1;
		exp10 += eneg ? -ev : ev;
	}
	if (p != e)
		return -1;
	if (digits <= 15 && m < (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
		double d = (double)m;

		d = exp10 < 0 ? d / pow10_tab[-exp10] : d * pow10_tab[exp10];
		*out = neg ? -d : d;
		return 0;
	}
	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*out = strtod(tmp, NULL);
	return 0;
}

int
sr_jr_number(struct sr_jr *f, double *out)
{
	const char *s;

	sr_jr_ws(f);
	s = f->p;
	while (f->p < f->end && ((*f->p >= '0' && *f->p <= '9') || *f->p == '-' || *f->p == '+' ||
				 *f->p == '.' || *f->p == 'e' || *f->p == 'E'))
		f->p++;
	return sr_jr_number_text(s, (size_t)(f->p - s), out);
}

/* Skips any JSON value (for members sitrep does not read). */
int
sr_jr_skip(struct sr_jr *f, struct sr_buf *tmp)
{
	double d;

	sr_jr_ws(f);
	if (f->p >= f->end)
		return -1;
	switch (*f->p) {
	case '"':
		return sr_jr_string(f, tmp);
	case '{':
	case '[': {
		char close = *f->p == '{' ? '}' : ']';
		int obj = close == '}';

		if (++f->depth > 64)
			return -1;
		f->p++;
		if (sr_jr_lit(f, close)) {
			f->depth--;
			return 0;
		}
		do {
			if (obj && (sr_jr_string(f, tmp) < 0 || !sr_jr_lit(f, ':')))
				return -1;
			if (sr_jr_skip(f, tmp) < 0)
				return -1;
		} while (sr_jr_lit(f, ','));
		f->depth--;
		return sr_jr_lit(f, close) ? 0 : -1;
	}
	case 't':
		if (f->end - f->p >= 4 && memcmp(f->p, "true", 4) == 0) {
			f->p += 4;
			return 0;
		}
		return -1;
	case 'f':
		if (f->end - f->p >= 5 && memcmp(f->p, "false", 5) == 0) {
			f->p += 5;
			return 0;
		}
		return -1;
	case 'n':
		if (f->end - f->p >= 4 && memcmp(f->p, "null", 4) == 0) {
			f->p += 4;
			return 0;
		}
		return -1;
	default:
		return sr_jr_number(f, &d);
	}
}


int
sr_jr_null(struct sr_jr *f)
{
	sr_jr_ws(f);
	if (f->end - f->p >= 4 && memcmp(f->p, "null", 4) == 0) {
		f->p += 4;
		return 1;
	}
	return 0;
}

char *
sr_json_opt_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? sr_xstrdup(v->valuestring) : NULL;
}

sr_time
sr_json_opt_time(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	sr_time t = 0;

	if (cJSON_IsString(v) && sr_time_parse(v->valuestring, &t, NULL) < 0)
		t = 0;
	return t;
}

void
sr_json_fields(const cJSON *obj, void *out, const struct sr_json_member *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *field = (char *)out + m[i].off;

		if (m[i].kind == SR_JSON_STR)
			*(char **)(void *)field = sr_json_opt_str(obj, m[i].key);
		else
			*(sr_time *)(void *)field = sr_json_opt_time(obj, m[i].key);
	}
}

void
sr_json_fields_free(void *out, const struct sr_json_member *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char **field = (char **)(void *)((char *)out + m[i].off);

		if (m[i].kind == SR_JSON_STR) {
			free(*field);
			*field = NULL;
		}
	}
}

cJSON *
sr_json_parse_whole(const char *body, size_t len)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(body, len, &end, 0);

	if (root == NULL)
		return NULL;
	while (end != NULL && end < body + len && (*end == ' ' || *end == '\n' || *end == '\r' ||
						     *end == '\t' || *end == '\0'))
		end++;
	if (end == NULL || end < body + len) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* --- splitting an array that arrives in pieces --- */

/* FIRST: after '[' (an element or ']'); VALUE: after ',' (an element only). */
enum { SPLIT_START, SPLIT_FIRST, SPLIT_VALUE, SPLIT_ELEM, SPLIT_NEXT, SPLIT_END, SPLIT_FAILED };

void
sr_jsplit_init(struct sr_jsplit *s, size_t max)
{
	memset(s, 0, sizeof(*s));
	s->state = SPLIT_START;
	s->max = max;
	sr_buf_init(&s->elem);
}

void
sr_jsplit_done(struct sr_jsplit *s)
{
	sr_buf_done(&s->elem);
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static int
split_fail(struct sr_jsplit *s, size_t at, const char *what, char **err)
{
	s->state = SPLIT_FAILED;
	if (at == 0 && strcmp(what, "expected '['") == 0)
		return sr_err(err, "expected an array");
	return sr_err(err, "invalid JSON at byte %zu: %s", at, what);
}

/*
 * Scans an element from p[i]: returns the index just past its end, or n when it goes on in
 * the next piece. Scalars (numbers, literals) end at the first byte that cannot be in one.
 */
static size_t
split_scan(struct sr_jsplit *s, const char *p, size_t i, size_t n, int *complete)
{
	*complete = 0;
	if (s->open != '{' && s->open != '[' && s->open != '"') {
		for (; i < n; i++) {
			if (is_ws(p[i]) || p[i] == ',' || p[i] == ']') {
				*complete = 1;
				return i;
			}
		}
		return n;
	}
	for (; i < n; i++) {
		char c = p[i];

		if (s->in_str) {
			/* most of an answer is inside strings: skip to the next quote or escape */
			if (!s->esc && c != '"' && c != '\\') {
				while (i + 1 < n && p[i + 1] != '"' && p[i + 1] != '\\')
					i++;
				continue;
			}
			if (s->esc)
				s->esc = 0;
			else if (c == '\\')
				s->esc = 1;
			else if (c == '"')
				s->in_str = 0;
			else
				continue;
			if (s->depth == 0 && !s->in_str) {
				*complete = 1;	/* a string element */
				return i + 1;
			}
			continue;
		}
		if (c == '"') {
			s->in_str = 1;
		} else if (c == '{' || c == '[') {
			s->depth++;
		} else if (c == '}' || c == ']') {
			if (--s->depth == 0) {
				*complete = 1;
				return i + 1;
			}
		}
	}
	return n;
}

/* Hands on a finished element (from the piece itself when it did not span pieces). */
static int
split_emit(struct sr_jsplit *s, const char *p, size_t len, sr_jsplit_fn fn, void *arg)
{
	int rc;

	if (s->elem.len > 0) {
		sr_buf_add(&s->elem, p, len);
		p = s->elem.data;
		len = s->elem.len;
	}
	rc = fn(arg, p, len, s->count++);
	s->elem.len = 0;
	s->state = SPLIT_NEXT;
	if (rc < 0)
		s->state = SPLIT_FAILED;
	return rc;
}

int
sr_jsplit_feed(struct sr_jsplit *s, const char *p, size_t n, sr_jsplit_fn fn, void *arg,
	       char **err)
{
	size_t i = 0;

	while (i < n) {
		size_t at = s->offset + i;
		char c = p[i];

		if (s->state == SPLIT_ELEM) {
			int complete;
			size_t end = split_scan(s, p, i, n, &complete);

			if (s->elem.len + (end - i) > s->max)
				return split_fail(s, at, "element too large", err);
			if (complete) {
				if (split_emit(s, p + i, end - i, fn, arg) < 0)
					return -1;
			} else {
				sr_buf_add(&s->elem, p + i, end - i);
			}
			i = end;
			continue;
		}
		if (is_ws(c)) {
			i++;
			continue;
		}
		switch (s->state) {
		case SPLIT_START:
			if (c != '[')
				return split_fail(s, at, "expected '['", err);
			s->state = SPLIT_FIRST;
			break;
		case SPLIT_END:
			if (c != '\0')	/* a C string's terminator may follow */
				return split_fail(s, at, "more data after the array", err);
			break;
		case SPLIT_NEXT:
			if (c == ']')
				s->state = SPLIT_END;
			else if (c == ',')
				s->state = SPLIT_VALUE;
			else
				return split_fail(s, at, "expected ',' or ']'", err);
			break;
		case SPLIT_FIRST:
			if (c == ']') {
				s->state = SPLIT_END;
				break;
			}
			/* FALLTHROUGH */
		case SPLIT_VALUE:
			if (c == ',' || c == ']')
				return split_fail(s, at, "expected a value", err);
			/* An element starts here; the scan above reads it from this byte on. */
			s->open = c;
			s->depth = s->in_str = s->esc = 0;
			s->state = SPLIT_ELEM;
			continue;
		default:
			return -1;
		}
		i++;
	}
	s->offset += n;
	return 0;
}

int
sr_jsplit_end(struct sr_jsplit *s, char **err)
{
	switch (s->state) {
	case SPLIT_END:
		return 0;
	case SPLIT_FAILED:
		return -1;
	case SPLIT_START:
		return sr_err(err, s->offset == 0 ? "empty body, expected JSON" :
			      "expected an array");
	default:
		s->state = SPLIT_FAILED;
		return sr_err(err, "invalid JSON: the answer ends before the array does (at byte %zu)",
			      s->offset);
	}
}

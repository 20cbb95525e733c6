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

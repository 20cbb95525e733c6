/* SPDX-License-Identifier: MIT */
/* matcher.c: amtool-compatible label matchers: parsing, matching and canonical formatting. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "matcher.h"
#include "text.h"

const char *
sr_match_op_str(enum sr_match_op op)
{
	switch (op) {
	case SR_MATCH_EQ: return "=";
	case SR_MATCH_NE: return "!=";
	case SR_MATCH_RE: return "=~";
	case SR_MATCH_NRE: return "!~";
	}
	return "?";
}

void
sr_matchers_init(struct sr_matchers *m)
{
	memset(m, 0, sizeof(*m));
}

static void
matcher_done(struct sr_matcher *m)
{
	free(m->name);
	free(m->value);
	if (m->re != NULL) {
		regfree(m->re);
		free(m->re);
	}
}

void
sr_matchers_done(struct sr_matchers *m)
{
	SR_LIST_DONE(m, matcher_done);
	sr_matchers_init(m);
}

/* Go's \s: tab, newline, form feed, carriage return, space. */
static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int
is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

static int
is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/*
 * glibc's regcomp expands counted and "+" repetitions by copying the repeated part, so a
 * pattern such as "a{1000}{1000}" or "(((a+)+)+)..." makes it allocate without bound. RE2
 * (Alertmanager's engine) rejects nested repetition operators and counts above 1000; we do
 * the same and also bound the expanded size and the group depth. A lazy "?" after a
 * quantifier (valid in RE2) cannot change whether an anchored pattern matches, so it is
 * dropped for glibc. Returns the pattern to compile (allocated) or NULL with *why set.
 */
#define RE_MAX_LEN 1024
#define RE_MAX_DEPTH 16
#define RE_MAX_COUNT 1000
#define RE_MAX_SIZE 20000

static char *
re_prepare(const char *v, const char **why)
{
	size_t size[RE_MAX_DEPTH + 1], last = 0, len = strlen(v);
	int depth = 0, after_quant = 0;
	struct sr_buf out;

	if (len > RE_MAX_LEN) {
		*why = "pattern too long";
		return NULL;
	}
	size[0] = 0;
	sr_buf_init(&out);
	sr_buf_adds(&out, "");
	for (size_t i = 0; i < len; i++) {
		char c = v[i];
		size_t mult = 0;

		if (c == '*' || c == '+' || c == '?' ||
		    (c == '{' && i + 1 < len && v[i + 1] >= '0' && v[i + 1] <= '9')) {
			if (after_quant == 1 && c == '?') {
				after_quant = 2;	/* lazy marker: dropped */
				continue;
			}
			if (after_quant) {
				*why = "invalid nested repetition operator";
				goto fail;
			}
			if (c == '{') {
				size_t j = i + 1, n = 0, m = 0;

				while (j < len && v[j] >= '0' && v[j] <= '9' && n <= RE_MAX_COUNT)
					n = n * 10 + (size_t)(v[j++] - '0');
				m = n;
				if (j < len && v[j] == ',') {
					j++;
					m = RE_MAX_COUNT;
					if (j < len && v[j] >= '0' && v[j] <= '9') {
						m = 0;
						while (j < len && v[j] >= '0' && v[j] <= '9' &&
						       m <= RE_MAX_COUNT)
							m = m * 10 + (size_t)(v[j++] - '0');
					}
				}
				if (j >= len || v[j] != '}' || n > RE_MAX_COUNT || m > RE_MAX_COUNT ||
				    m < n) {
					*why = "bad repetition count (at most 1000)";
					goto fail;
				}
				sr_buf_add(&out, v + i, j + 1 - i);
				i = j;
				mult = m;
			} else {
				sr_buf_addc(&out, c);
				mult = 2;
			}
			size[depth] += last * mult;
			if (size[depth] > RE_MAX_SIZE) {
				*why = "pattern expands too much";
				goto fail;
			}
			after_quant = 1;
			continue;
		}
		after_quant = 0;
		if (c == '\\' && i + 1 < len) {
			sr_buf_add(&out, v + i, 2);
			i++;
			last = 1;
		} else if (c == '[') {
			size_t j = i + 1;

			if (j < len && v[j] == '^')
				j++;
			if (j < len && v[j] == ']')
				j++;
			while (j < len && v[j] != ']') {
				if (v[j] == '[' && j + 1 < len &&
				    (v[j + 1] == ':' || v[j + 1] == '.' || v[j + 1] == '=')) {
					const char *close = strstr(v + j + 2, v[j + 1] == ':' ? ":]" :
								   v[j + 1] == '.' ? ".]" : "=]");

					if (close == NULL)
						break;
					j = (size_t)(close - v) + 2;
					continue;
				}
				j++;
			}
			if (j >= len) {
				*why = "missing closing ]";
				goto fail;
			}
			sr_buf_add(&out, v + i, j + 1 - i);
			i = j;
			last = 1;
		} else if (c == '(') {
			if (depth >= RE_MAX_DEPTH) {
				*why = "groups nested too deeply";
				goto fail;
			}
			sr_buf_addc(&out, c);
			size[++depth] = 0;
			last = 0;
			continue;
		} else if (c == ')') {
			if (depth == 0) {
				*why = "unexpected )";
				goto fail;
			}
			sr_buf_addc(&out, c);
			last = size[depth--] + 1;
		} else if (c == '|') {
			sr_buf_addc(&out, c);
			last = 0;
			continue;
		} else {
			sr_buf_addc(&out, c);
			last = 1;
		}
		size[depth] += last;
		if (size[depth] > RE_MAX_SIZE) {
			*why = "pattern expands too much";
			goto fail;
		}
	}
	if (depth != 0) {
		*why = "missing closing )";
		goto fail;
	}
	return sr_buf_steal(&out);
fail:
	sr_buf_done(&out);
	return NULL;
}

static int
compile_re(struct sr_matcher *m, char **err)
{
	const char *why = NULL;
	char *body = re_prepare(m->value, &why), *pat;
	regex_t *re;
	int rc;

	if (body == NULL)
		return sr_err(err, "bad regular expression in matcher %s%s\"%s\": %s", m->name,
			      sr_match_op_str(m->op), m->value, why);
	pat = sr_xasprintf("^(%s)$", body);
	free(body);
	re = sr_xmalloc(sizeof(*re));
	rc = regcomp(re, pat, REG_EXTENDED | REG_NOSUB);
	free(pat);
	if (rc != 0) {
		char msg[128];

		regerror(rc, re, msg, sizeof(msg));
		free(re);
		return sr_err(err, "bad regular expression in matcher %s%s\"%s\": %s", m->name,
			      sr_match_op_str(m->op), m->value, msg);
	}
	m->re = re;
	return 0;
}

int
sr_matcher_parse(struct sr_matchers *out, const char *s, char **err)
{
	const char *p = s, *name, *raw, *end;
	size_t name_len;
	enum sr_match_op op;
	struct sr_buf val;
	int quoted = 0, escaped = 0;
	struct sr_matcher m;

	while (is_space(*p))
		p++;
	if (!is_name_start(*p))
		return sr_err(err, "bad matcher format: %s", s);
	name = p;
	while (is_name_char(*p))
		p++;
	name_len = (size_t)(p - name);
	while (is_space(*p))
		p++;
	if (p[0] == '=' && p[1] == '~') {
		op = SR_MATCH_RE;
		p += 2;
	} else if (p[0] == '=') {
		op = SR_MATCH_EQ;
		p += 1;
	} else if (p[0] == '!' && p[1] == '=') {
		op = SR_MATCH_NE;
		p += 2;
	} else if (p[0] == '!' && p[1] == '~') {
		op = SR_MATCH_NRE;
		p += 2;
	} else {
		return sr_err(err, "bad matcher format: %s", s);
	}
	while (is_space(*p))
		p++;
	raw = p;
	end = p + strlen(p);
	while (end > raw && is_space(end[-1]))
		end--;
	if (raw < end && *raw == '"') {
		raw++;
		quoted = 1;
	}
	if (!sr_utf8_valid(raw, (size_t)(end - raw)))
		return sr_err(err, "matcher value not valid UTF-8: %s", s);

	sr_buf_init(&val);
	sr_buf_adds(&val, "");
	for (const char *q = raw; q < end; q++) {
		char c = *q;

		if (escaped) {
			escaped = 0;
			if (c == 'n') {
				sr_buf_addc(&val, '\n');
			} else if (c == '"' || c == '\\') {
				sr_buf_addc(&val, c);
			} else {
				/* A spurious escape: the backslash is literal, as in Alertmanager. */
				sr_buf_addc(&val, '\\');
				sr_buf_addc(&val, c);
			}
			continue;
		}
		if (c == '\\') {
			if (q + 1 < end) {
				escaped = 1;
				continue;
			}
			sr_buf_addc(&val, '\\');
		} else if (c == '"') {
			if (!quoted || q + 1 < end) {
				sr_buf_done(&val);
				return sr_err(err, "matcher value contains unescaped double quote: %s",
					      s);
			}
			quoted = 0;
		} else {
			sr_buf_addc(&val, c);
		}
	}
	if (quoted) {
		sr_buf_done(&val);
		return sr_err(err, "matcher value contains unescaped double quote: %s", s);
	}

	memset(&m, 0, sizeof(m));
	m.name = sr_xstrndup(name, name_len);
	m.op = op;
	m.value = sr_buf_steal(&val);
	if ((op == SR_MATCH_RE || op == SR_MATCH_NRE) && compile_re(&m, err) < 0) {
		matcher_done(&m);
		return -1;
	}
	out->v = sr_xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	out->v[out->n++] = m;
	return 0;
}

int
sr_matchers_parse(struct sr_matchers *out, const char *s, char **err)
{
	size_t len = strlen(s), start = 0, n0 = out->n;
	const char *b = s;
	int in_quotes = 0, escaped = 0;

	if (len > 0 && b[0] == '{') {
		b++;
		len--;
	}
	if (len > 0 && b[len - 1] == '}')
		len--;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? b[i] : ',';
		int last = i == len;

		if (c == ',' && (!in_quotes || last)) {
			char *t = sr_xstrndup(b + start, i - start);
			const char *u = t;
			int rc = 0;

			start = i + 1;
			if (last) {
				/* The final token is skipped when blank, as in Alertmanager. */
				while (is_space(*u))
					u++;
				if (*u == '\0') {
					free(t);
					break;
				}
			}
			rc = sr_matcher_parse(out, t, err);
			free(t);
			if (rc < 0) {
				while (out->n > n0)
					matcher_done(&out->v[--out->n]);
				return -1;
			}
			continue;
		}
		if (c == ',') {
			/* Inside quotes: kept, and (as in Alertmanager) the escape state is untouched. */
		} else if (c == '"') {
			if (!escaped)
				in_quotes = !in_quotes;
			else
				escaped = 0;
		} else if (c == '\\') {
			escaped = !escaped;
		} else {
			escaped = 0;
		}
	}
	return 0;
}

int
sr_matchers_parse_args(struct sr_matchers *out, int argc, char **argv, char **err)
{
	for (int i = 0; i < argc; i++) {
		if (i == 0) {
			struct sr_matchers probe;
			char *perr = NULL;

			sr_matchers_init(&probe);
			if (sr_matcher_parse(&probe, argv[0], &perr) < 0) {
				/* Not a matcher: amtool takes a bare word as the alert name. */
				char *a = sr_xasprintf("alertname=%s", argv[0]);
				int rc = sr_matchers_parse(out, a, err);

				free(perr);
				free(a);
				sr_matchers_done(&probe);
				if (rc < 0)
					return -1;
				continue;
			}
			sr_matchers_done(&probe);
		}
		if (sr_matchers_parse(out, argv[i], err) < 0)
			return -1;
	}
	return 0;
}

const char *
sr_label_get(const struct sr_label *labels, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(labels[i].name, name) == 0)
			return labels[i].value;
	return NULL;
}

void
sr_labels_free(struct sr_label *labels, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(labels[i].name);
		free(labels[i].value);
	}
	free(labels);
}

int
sr_matcher_matches(const struct sr_matcher *m, const struct sr_label *labels, size_t n)
{
	const char *v = sr_label_get(labels, n, m->name);

	if (v == NULL)
		v = "";
	switch (m->op) {
	case SR_MATCH_EQ: return strcmp(v, m->value) == 0;
	case SR_MATCH_NE: return strcmp(v, m->value) != 0;
	case SR_MATCH_RE: return m->re != NULL && regexec(m->re, v, 0, NULL, 0) == 0;
	case SR_MATCH_NRE: return m->re == NULL || regexec(m->re, v, 0, NULL, 0) != 0;
	}
	return 0;
}

int
sr_matchers_match(const struct sr_matchers *ms, const struct sr_label *labels, size_t n)
{
	for (size_t i = 0; i < ms->n; i++)
		if (!sr_matcher_matches(&ms->v[i], labels, n))
			return 0;
	return 1;
}

void
sr_matcher_format(struct sr_buf *b, const struct sr_matcher *m)
{
	sr_buf_adds(b, m->name);
	sr_buf_adds(b, sr_match_op_str(m->op));
	sr_buf_addc(b, '"');
	for (const char *p = m->value; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			sr_buf_addc(b, '\\');
			sr_buf_addc(b, *p);
		} else if (*p == '\n') {
			sr_buf_adds(b, "\\n");
		} else {
			sr_buf_addc(b, *p);
		}
	}
	sr_buf_addc(b, '"');
}

/* SPDX-License-Identifier: MIT */
/* prom.c: Prometheus HTTP API v1 answers (query, query_range, alerts, rules) into plain structs. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "http.h"
#include "jsonr.h"
#include "prom.h"
#include "text.h"

/* --- URLs --- */

char *
sr_prom_query_url(const char *base, const char *expr, sr_time at)
{
	struct sr_buf b;

	sr_http_join_value(&b, base, "/api/v1/query?query=", expr);
	if (at > 0)
		sr_buf_printf(&b, "&time=%lld", (long long)at);
	return sr_buf_steal(&b);
}

char *
sr_prom_range_url(const char *base, const char *expr, sr_time start, sr_time end, int64_t step)
{
	struct sr_buf b;

	sr_http_join_value(&b, base, "/api/v1/query_range?query=", expr);
	sr_buf_printf(&b, "&start=%lld&end=%lld&step=%lld", (long long)start, (long long)end,
		      (long long)(step > 0 ? step : 1));
	return sr_buf_steal(&b);
}

int64_t
sr_prom_step(int64_t range, int width)
{
	int64_t s;

	if (width < 1)
		width = 1;
	s = (range + width - 1) / width;
	return s < 1 ? 1 : s;
}

const char *
sr_prom_type_name(enum sr_prom_type t)
{
	switch (t) {
	case SR_PROM_VECTOR: return "vector";
	case SR_PROM_MATRIX: return "matrix";
	case SR_PROM_SCALAR: return "scalar";
	case SR_PROM_STRING: return "string";
	}
	return "?";
}

/* --- values --- */

int
sr_prom_parse_value(const char *s, double *out)
{
	char *end;

	if (s == NULL || *s == '\0')
		return -1;
	if (strcmp(s, "NaN") == 0) {
		*out = NAN;
		return 0;
	}
	if (strcmp(s, "+Inf") == 0 || strcmp(s, "-Inf") == 0) {
		*out = s[0] == '+' ? INFINITY : -INFINITY;
		return 0;
	}
	/* Otherwise a decimal number only: no spaces, hex, "inf" or "nan" spellings. */
	if (s[strspn(s, "0123456789+-.eE")] != '\0')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0' || end == s)
		return -1;
	return 0;
}

char *
sr_prom_format_value(double v, char *buf, size_t n)
{
	if (isnan(v)) {
		snprintf(buf, n, "NaN");
	} else if (isinf(v)) {
		snprintf(buf, n, v > 0 ? "+Inf" : "-Inf");
	} else {
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(buf, n, "%.*g", prec, v);
			if (strtod(buf, NULL) == v)
				break;
		}
	}
	return buf;
}

/* --- shared JSON helpers --- */

static int
unexpected(char **err, const char *url, const char *what)
{
	return sr_err(err, "unexpected response from %s: %s", url, what);
}

/* The message of a failed answer: Prometheus's envelope, or a short clean excerpt of the body. */
static int
fail_status(cJSON *root, const char *body, size_t len, long status, const char *url, char **err)
{
	const cJSON *et = cJSON_GetObjectItemCaseSensitive(root, "errorType");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");

	if (cJSON_IsString(e)) {
		char *ce = sr_text_clean(e->valuestring);
		char *ct = sr_text_clean(cJSON_IsString(et) ? et->valuestring : "error");
		int rc = sr_err(err, "%s: HTTP %ld: %s: %s", url, status, ct, ce);

		free(ce);
		free(ct);
		return rc;
	} else {
		char *snip = sr_xstrndup(body, len > 200 ? 200 : len);
		char *c = sr_text_clean(snip);
		int rc = sr_err(err, "%s: HTTP %ld%s%s", url, status, *c ? ": " : "", c);

		free(snip);
		free(c);
		return rc;
	}
}

/*
 * Parses body and checks the envelope. On success returns the root and sets *data to the
 * "data" member. On failure returns NULL with *err set.
 */
static cJSON *
open_envelope(const char *body, size_t len, long status, const char *url, cJSON **data,
	      char **err)
{
	cJSON *root = sr_json_parse_whole(body, len);
	const cJSON *st;

	if (root == NULL || !cJSON_IsObject(root)) {
		if (status >= 300 || (status != 0 && status < 200))
			fail_status(NULL, body, len, status, url, err);
		else
			unexpected(err, url, len == 0 ? "empty body, expected JSON" :
				   "not a JSON object");
		cJSON_Delete(root);
		return NULL;
	}
	st = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (status >= 300 || (status != 0 && status < 200) ||
	    (cJSON_IsString(st) && strcmp(st->valuestring, "success") != 0)) {
		fail_status(root, body, len, status, url, err);
		cJSON_Delete(root);
		return NULL;
	}
	if (!cJSON_IsString(st)) {
		unexpected(err, url, "no \"status\" string");
		cJSON_Delete(root);
		return NULL;
	}
	*data = cJSON_GetObjectItemCaseSensitive(root, "data");
	return root;
}

/*
 * open_envelope, then data.NAME, which must be an array (*list). Returns the tree (free it
 * with cJSON_Delete), or NULL with *err.
 */
static cJSON *
open_array(const char *body, size_t len, long status, const char *url, const char *name,
	   const cJSON **list, char **err)
{
	cJSON *data = NULL, *root = open_envelope(body, len, status, url, &data, err);
	char what[64];

	if (root == NULL)
		return NULL;
	*list = cJSON_GetObjectItemCaseSensitive(data, name);
	if (!cJSON_IsArray(*list)) {
		snprintf(what, sizeof(what), "data.%s is not an array", name);
		unexpected(err, url, what);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static void
take_warnings(cJSON *root, char ***out, size_t *n)
{
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "warnings");
	const cJSON *it;
	size_t cap = 0;

	if (!cJSON_IsArray(w))
		return;
	cJSON_ArrayForEach(it, w) {
		if (!cJSON_IsString(it))
			continue;
		*out = sr_xgrow(*out, &cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = sr_xstrdup(it->valuestring);
	}
}

/* Reads a JSON object of string values into a label array. */
static int
take_labels(const cJSON *obj, struct sr_label **out, size_t *n)
{
	const cJSON *it;
	size_t cnt = 0, i = 0;

	*out = NULL;
	*n = 0;
	if (obj == NULL)
		return 0;
	if (!cJSON_IsObject(obj))
		return -1;
	cJSON_ArrayForEach(it, obj) {
		if (!cJSON_IsString(it) || it->string == NULL)
			return -1;
		cnt++;
	}
	if (cnt == 0)
		return 0;
	*out = sr_xcalloc(cnt, sizeof(**out));
	cJSON_ArrayForEach(it, obj) {
		(*out)[i].name = sr_xstrdup(it->string);
		(*out)[i].value = sr_xstrdup(it->valuestring);
		i++;
	}
	*n = cnt;
	return 0;
}

/* A [time, "value"] pair. Returns 0, or -1 when its shape is wrong. */
static int
take_sample(const cJSON *pair, struct sr_prom_sample *s)
{
	const cJSON *t, *v;

	if (!cJSON_IsArray(pair))
		return -1;
	t = pair->child;
	v = t != NULL ? t->next : NULL;
	if (!cJSON_IsNumber(t) || !cJSON_IsString(v) || v->next != NULL)
		return -1;
	s->t = t->valuedouble;
	return sr_prom_parse_value(v->valuestring, &s->v);
}

/* --- query results --- */

static void
series_done(struct sr_prom_series *s)
{
	sr_labels_free(s->labels, s->n_labels);
	free(s->samples);
}

void
sr_prom_result_done(struct sr_prom_result *r)
{
	for (size_t i = 0; i < r->n_series; i++)
		series_done(&r->series[i]);
	free(r->series);
	free(r->string);
	sr_strv_free(r->warnings, r->n_warnings);
	memset(r, 0, sizeof(*r));
}

static size_t
count_skipped(const cJSON *item, int matrix)
{
	const cJSON *h;

	if (!matrix)
		return cJSON_GetObjectItemCaseSensitive(item, "histogram") != NULL ? 1 : 0;
	h = cJSON_GetObjectItemCaseSensitive(item, "histograms");
	return cJSON_IsArray(h) ? (size_t)cJSON_GetArraySize(h) : 0;
}

static int
take_series(const cJSON *result, int matrix, struct sr_prom_result *out, const char *url,
	    char **err)
{
	const cJSON *item;
	size_t n = 0, idx = 0;
	char what[160];

	cJSON_ArrayForEach(item, result)
		n++;
	out->series = sr_xcalloc(n ? n : 1, sizeof(*out->series));
	cJSON_ArrayForEach(item, result) {
		struct sr_prom_series *s = &out->series[out->n_series];
		const cJSON *metric, *vals;

		if (!cJSON_IsObject(item)) {
			snprintf(what, sizeof(what), "data.result[%zu] is not an object", idx);
			return unexpected(err, url, what);
		}
		metric = cJSON_GetObjectItemCaseSensitive(item, "metric");
		vals = cJSON_GetObjectItemCaseSensitive(item, matrix ? "values" : "value");
		out->n_skipped += count_skipped(item, matrix);
		if (vals == NULL) {
			/* A native-histogram series (or an empty one): left out, not an error. */
			idx++;
			continue;
		}
		if (take_labels(metric, &s->labels, &s->n_labels) < 0) {
			snprintf(what, sizeof(what),
				 "data.result[%zu].metric is not an object of strings", idx);
			return unexpected(err, url, what);
		}
		out->n_series++;
		if (!matrix) {
			s->samples = sr_xmalloc(sizeof(*s->samples));
			if (take_sample(vals, &s->samples[0]) < 0) {
				snprintf(what, sizeof(what),
					 "data.result[%zu].value is not [time, \"number\"]", idx);
				return unexpected(err, url, what);
			}
			s->n_samples = 1;
		} else {
			const cJSON *p;
			size_t m = 0;

			if (!cJSON_IsArray(vals)) {
				snprintf(what, sizeof(what), "data.result[%zu].values is not an array",
					 idx);
				return unexpected(err, url, what);
			}
			cJSON_ArrayForEach(p, vals)
				m++;
			s->samples = sr_xmalloc((m ? m : 1) * sizeof(*s->samples));
			cJSON_ArrayForEach(p, vals) {
				if (take_sample(p, &s->samples[s->n_samples]) < 0) {
					snprintf(what, sizeof(what),
						 "data.result[%zu].values[%zu] is not [time, \"number\"]",
						 idx, s->n_samples);
					return unexpected(err, url, what);
				}
				s->n_samples++;
			}
		}
		idx++;
	}
	return 0;
}


/* --- fast path for query answers ---
 *
 * Range queries over many series are the largest answers sitrep reads (tens of MB), and a
 * generic DOM costs several allocations per sample. This strict, allocation-light reader
 * handles the well-formed vector and matrix answers; anything else (errors, scalars, strings,
 * odd shapes, invalid JSON) makes it give up, and the cJSON reader below produces the result
 * or the precise error message.
 */

/* A sample value: a JSON string holding a number, NaN, +Inf or -Inf. */
static int
fp_value(struct sr_jr *f, double *out)
{
	const char *s, *q;

	sr_jr_ws(f);
	if (f->p >= f->end || *f->p != '"')
		return -1;
	s = f->p + 1;
	q = s;
	while (q < f->end && *q != '"' && *q != '\\')
		q++;
	if (q >= f->end || *q != '"')
		return -1;
	f->p = q + 1;
	if (sr_jr_number_text(s, (size_t)(q - s), out) == 0)
		return 0;
	if ((size_t)(q - s) == 3 && memcmp(s, "NaN", 3) == 0)
		*out = NAN;
	else if ((size_t)(q - s) == 4 && memcmp(s, "+Inf", 4) == 0)
		*out = INFINITY;
	else if ((size_t)(q - s) == 4 && memcmp(s, "-Inf", 4) == 0)
		*out = -INFINITY;
	else
		return -1;
	return 0;
}

static int
fp_sample(struct sr_jr *f, struct sr_prom_sample *s)
{
	if (!sr_jr_lit(f, '[') || sr_jr_number(f, &s->t) < 0 || !sr_jr_lit(f, ',') ||
	    fp_value(f, &s->v) < 0 || !sr_jr_lit(f, ']'))
		return -1;
	return 0;
}

/* Reads {"name":"value",...} into labels. */
static int
fp_labels(struct sr_jr *f, struct sr_prom_series *s, struct sr_buf *tmp)
{
	size_t cap = 0;
	int at = 0, more;

	if (s->labels != NULL)
		return -1;
	while ((more = sr_jr_next(f, '{', tmp, &at)) == 1) {
		struct sr_label *l;

		s->labels = sr_xgrow(s->labels, &cap, s->n_labels + 1, sizeof(*s->labels));
		l = &s->labels[s->n_labels];
		l->name = sr_xstrndup(tmp->data, tmp->len);
		if (sr_jr_string(f, tmp) < 0) {
			free(l->name);
			return -1;
		}
		l->value = sr_xstrndup(tmp->data ? tmp->data : "", tmp->len);
		s->n_labels++;
	}
	return more;
}

/* Reads [[t,"v"],...] into s's samples. */
static int
fp_samples(struct sr_jr *f, struct sr_prom_series *s, struct sr_buf *tmp)
{
	size_t cap = 0;
	int at = 0, more;

	while ((more = sr_jr_next(f, '[', tmp, &at)) == 1) {
		s->samples = sr_xgrow(s->samples, &cap, s->n_samples + 1, sizeof(*s->samples));
		if (fp_sample(f, &s->samples[s->n_samples]) < 0)
			return -1;
		s->n_samples++;
	}
	return more;
}

/* One element of data.result. *kind becomes 1 for "value", 2 for "values", 0 for neither. */
static int
fp_series(struct sr_jr *f, struct sr_prom_result *out, size_t *cap, int *kind,
	  struct sr_buf *tmp)
{
	struct sr_prom_series s;
	int have_metric = 0, at = 0, more;

	memset(&s, 0, sizeof(s));
	*kind = 0;
	while ((more = sr_jr_next(f, '{', tmp, &at)) == 1) {
		if (strcmp(tmp->data, "metric") == 0 && !have_metric) {
			have_metric = 1;
			if (fp_labels(f, &s, tmp) < 0)
				goto fail;
		} else if (strcmp(tmp->data, "value") == 0 && *kind == 0) {
			*kind = 1;
			s.samples = sr_xmalloc(sizeof(*s.samples));
			if (fp_sample(f, &s.samples[0]) < 0)
				goto fail;
			s.n_samples = 1;
		} else if (strcmp(tmp->data, "values") == 0 && *kind == 0) {
			*kind = 2;
			if (fp_samples(f, &s, tmp) < 0)
				goto fail;
		} else {
			/* "histogram(s)" and anything newer: let the DOM reader count them. */
			goto fail;
		}
	}
	if (more < 0 || *kind == 0)
		goto fail;
	out->series = sr_xgrow(out->series, cap, out->n_series + 1, sizeof(*out->series));
	out->series[out->n_series++] = s;
	return 0;
fail:
	series_done(&s);
	return -1;
}

/* Reads data: {"resultType": ..., "result": [...]}; *rtype the type, *kinds as fast_query's. */
static int
fp_data(struct sr_jr *f, struct sr_prom_result *out, int *rtype, int *kinds, struct sr_buf *tmp)
{
	size_t cap = 0;
	int at = 0, more;

	while ((more = sr_jr_next(f, '{', tmp, &at)) == 1) {
		if (strcmp(tmp->data, "resultType") == 0) {
			if (sr_jr_string(f, tmp) < 0 || tmp->len == 0)
				return -1;
			if (strcmp(tmp->data, "vector") == 0)
				*rtype = SR_PROM_VECTOR;
			else if (strcmp(tmp->data, "matrix") == 0)
				*rtype = SR_PROM_MATRIX;
			else
				return -1;
		} else if (strcmp(tmp->data, "result") == 0) {
			int rat = 0, elem;

			while ((elem = sr_jr_next(f, '[', tmp, &rat)) == 1) {
				int kind;

				if (fp_series(f, out, &cap, &kind, tmp) < 0)
					return -1;
				*kinds |= kind;
			}
			if (elem < 0)
				return -1;
		} else if (sr_jr_skip(f, tmp) < 0) {
			return -1;
		}
	}
	return more;
}

/* Returns 0 with out filled, or 1 (out emptied) for the DOM reader to handle. */
static int
fast_query(const char *body, size_t len, struct sr_prom_result *out)
{
	struct sr_jr f;
	struct sr_buf tmp;
	int ok_status = 0, rtype = -1, kinds = 0;	/* kinds: bit 1 value, bit 2 values */
	int at = 0, more;
	size_t wcap = 0;

	sr_jr_init(&f, body, len);
	sr_buf_init(&tmp);
	while ((more = sr_jr_next(&f, '{', &tmp, &at)) == 1) {
		if (strcmp(tmp.data, "status") == 0) {
			if (sr_jr_string(&f, &tmp) < 0 || tmp.len == 0 || strcmp(tmp.data, "success") != 0)
				goto give_up;
			ok_status = 1;
		} else if (strcmp(tmp.data, "warnings") == 0) {
			int wat = 0, elem;

			while ((elem = sr_jr_next(&f, '[', &tmp, &wat)) == 1) {
				if (sr_jr_string(&f, &tmp) < 0)
					goto give_up;
				out->warnings = sr_xgrow(out->warnings, &wcap, out->n_warnings + 1,
							 sizeof(*out->warnings));
				out->warnings[out->n_warnings++] =
					sr_xstrndup(tmp.data ? tmp.data : "", tmp.len);
			}
			if (elem < 0)
				goto give_up;
		} else if (strcmp(tmp.data, "data") == 0 && rtype == -1) {
			rtype = -2;
			if (fp_data(&f, out, &rtype, &kinds, &tmp) < 0)
				goto give_up;
		} else if (strcmp(tmp.data, "error") == 0 || strcmp(tmp.data, "errorType") == 0) {
			goto give_up;
		} else if (sr_jr_skip(&f, &tmp) < 0) {
			goto give_up;
		}
	}
	if (more < 0 || !sr_jr_at_end(&f))
		goto give_up;
	if (!ok_status || rtype < 0 || (rtype == SR_PROM_VECTOR && (kinds & 2)) ||
	    (rtype == SR_PROM_MATRIX && (kinds & 1)))
		goto give_up;
	out->type = (enum sr_prom_type)rtype;
	sr_buf_done(&tmp);
	sr_jr_done(&f);
	return 0;
give_up:
	sr_buf_done(&tmp);
	sr_jr_done(&f);
	sr_prom_result_done(out);
	return 1;
}

int
sr_prom_parse_query(const char *body, size_t len, long status, const char *url,
		    struct sr_prom_result *out, char **err)
{
	cJSON *root, *data = NULL;
	const cJSON *rt, *res;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (status >= 200 && status < 300 && fast_query(body, len, out) == 0) {
		out->fast = 1;
		return 0;
	}
	root = open_envelope(body, len, status, url, &data, err);
	if (root == NULL)
		return -1;
	take_warnings(root, &out->warnings, &out->n_warnings);
	rt = cJSON_GetObjectItemCaseSensitive(data, "resultType");
	res = cJSON_GetObjectItemCaseSensitive(data, "result");
	if (!cJSON_IsObject(data) || !cJSON_IsString(rt)) {
		unexpected(err, url, "no data.resultType");
		goto out;
	}
	if (strcmp(rt->valuestring, "vector") == 0 || strcmp(rt->valuestring, "matrix") == 0) {
		int matrix = rt->valuestring[0] == 'm';

		out->type = matrix ? SR_PROM_MATRIX : SR_PROM_VECTOR;
		if (cJSON_IsNull(res) || res == NULL) {
			rc = 0;	/* an empty result may come as null */
			goto out;
		}
		if (!cJSON_IsArray(res)) {
			unexpected(err, url, "data.result is not an array");
			goto out;
		}
		rc = take_series(res, matrix, out, url, err);
	} else if (strcmp(rt->valuestring, "scalar") == 0) {
		out->type = SR_PROM_SCALAR;
		out->series = sr_xcalloc(1, sizeof(*out->series));
		out->series[0].samples = sr_xmalloc(sizeof(struct sr_prom_sample));
		out->n_series = 1;
		if (take_sample(res, &out->series[0].samples[0]) < 0) {
			unexpected(err, url, "data.result is not [time, \"number\"]");
			goto out;
		}
		out->series[0].n_samples = 1;
		rc = 0;
	} else if (strcmp(rt->valuestring, "string") == 0) {
		const cJSON *t = cJSON_IsArray(res) ? res->child : NULL;
		const cJSON *v = t != NULL ? t->next : NULL;

		out->type = SR_PROM_STRING;
		if (!cJSON_IsNumber(t) || !cJSON_IsString(v)) {
			unexpected(err, url, "data.result is not [time, \"string\"]");
			goto out;
		}
		out->string_t = t->valuedouble;
		out->string = sr_xstrdup(v->valuestring);
		rc = 0;
	} else {
		unexpected(err, url, "unknown data.resultType");
	}
out:
	cJSON_Delete(root);
	return rc;
}

/*
 * The frame every list answer shares: out (size bytes) emptied, the envelope's data.key
 * array opened, item called once with it NULL (the envelope) then with each element (it
 * reports its own shape errors), the tree freed. Returns 0, or -1 with *err.
 */
typedef int (*list_item_fn)(cJSON *root, const cJSON *it, size_t i, void *out,
			    const char *url, char **err);

static int
parse_list(const char *body, size_t len, long status, const char *url, const char *key,
	   void *out, size_t size, list_item_fn item, char **err)
{
	const cJSON *list, *it;
	cJSON *root;
	size_t i = 0;
	int rc = 0;

	memset(out, 0, size);
	if ((root = open_array(body, len, status, url, key, &list, err)) == NULL)
		return -1;
	rc = item(root, NULL, 0, out, url, err);
	cJSON_ArrayForEach(it, list)
		if (rc < 0 || (rc = item(root, it, i++, out, url, err)) < 0)
			break;
	cJSON_Delete(root);
	return rc;
}

/* --- alerts --- */

void
sr_prom_alerts_done(struct sr_prom_alerts *a)
{
	for (size_t i = 0; i < a->n; i++) {
		sr_labels_free(a->v[i].labels, a->v[i].n_labels);
		sr_labels_free(a->v[i].annotations, a->v[i].n_annotations);
		free(a->v[i].state);
		free(a->v[i].value);
	}
	free(a->v);
	sr_strv_free(a->warnings, a->n_warnings);
	memset(a, 0, sizeof(*a));
}

/* One element of data.alerts (the warnings are taken with the first). */
static int
alert_item(cJSON *root, const cJSON *it, size_t i, void *arg, const char *url, char **err)
{
	struct sr_prom_alerts *out = arg;
	struct sr_prom_alert *a;
	const cJSON *val;
	char what[120];

	if (it == NULL)		/* the envelope, before the elements */
		return take_warnings(root, &out->warnings, &out->n_warnings), 0;
	if (!cJSON_IsObject(it)) {
		snprintf(what, sizeof(what), "data.alerts[%zu] is not an object", i);
		return unexpected(err, url, what);
	}
	out->v = sr_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
	a = &out->v[out->n++];
	memset(a, 0, sizeof(*a));
	if (take_labels(cJSON_GetObjectItemCaseSensitive(it, "labels"), &a->labels,
			&a->n_labels) < 0 ||
	    take_labels(cJSON_GetObjectItemCaseSensitive(it, "annotations"), &a->annotations,
			&a->n_annotations) < 0) {
		snprintf(what, sizeof(what),
			 "data.alerts[%zu] labels or annotations are not objects of strings", i);
		return unexpected(err, url, what);
	}
	if ((a->state = sr_json_opt_str(it, "state")) == NULL) {
		snprintf(what, sizeof(what), "data.alerts[%zu].state is not a string", i);
		return unexpected(err, url, what);
	}
	a->active_at = sr_json_opt_time(it, "activeAt");
	val = cJSON_GetObjectItemCaseSensitive(it, "value");
	if (cJSON_IsString(val))
		a->value = sr_xstrdup(val->valuestring);
	return 0;
}

int
sr_prom_parse_alerts(const char *body, size_t len, long status, const char *url,
		     struct sr_prom_alerts *out, char **err)
{
	return parse_list(body, len, status, url, "alerts", out, sizeof(*out), alert_item, err);
}

/* --- rules --- */

/* A rule's string members, read and freed through one table. */
#define RULE_STR(key, field) { key, SR_JSON_STR, offsetof(struct sr_prom_rule, field) }
static const struct sr_json_member rule_members[] = {
	RULE_STR("name", name), RULE_STR("type", type), RULE_STR("query", query),
	RULE_STR("health", health), RULE_STR("state", state), RULE_STR("lastError", last_error),
};
#define N_RULE_MEMBERS (sizeof(rule_members) / sizeof(rule_members[0]))

void
sr_prom_rules_done(struct sr_prom_rules *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].group);
		free(r->v[i].file);
		sr_json_fields_free(&r->v[i], rule_members, N_RULE_MEMBERS);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* One group of data.groups: its rules appended to out. */
static int
group_item(cJSON *root, const cJSON *g, size_t i, void *arg, const char *url, char **err)
{
	struct sr_prom_rules *out = arg;
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(g, "rules"), *ru;
	const cJSON *gname = cJSON_GetObjectItemCaseSensitive(g, "name");

	(void)root;
	(void)i;
	if (g == NULL)
		return 0;
	if (!cJSON_IsArray(rules) || !cJSON_IsString(gname))
		return unexpected(err, url, "a rule group has no name or rules array");
	cJSON_ArrayForEach(ru, rules) {
		struct sr_prom_rule *u;
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(ru, "duration");
		const cJSON *al = cJSON_GetObjectItemCaseSensitive(ru, "alerts");

		if (!cJSON_IsObject(ru) ||
		    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ru, "name")))
			return unexpected(err, url, "a rule is not an object with a name");
		out->v = sr_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		u = &out->v[out->n++];
		memset(u, 0, sizeof(*u));
		u->group = sr_xstrdup(gname->valuestring);
		u->file = sr_json_opt_str(g, "file");
		sr_json_fields(ru, u, rule_members, N_RULE_MEMBERS);
		if (u->last_error != NULL && *u->last_error == '\0') {
			free(u->last_error);
			u->last_error = NULL;
		}
		u->duration = cJSON_IsNumber(d) ? d->valuedouble : 0;
		u->n_alerts = cJSON_IsArray(al) ? (size_t)cJSON_GetArraySize(al) : 0;
	}
	return 0;
}

int
sr_prom_parse_rules(const char *body, size_t len, long status, const char *url,
		    struct sr_prom_rules *out, char **err)
{
	return parse_list(body, len, status, url, "groups", out, sizeof(*out), group_item, err);
}

/* --- alert history --- */

char *
sr_alert_history_url(const char *base, const char *alertname, sr_time now)
{
	struct sr_buf e;
	char *url;

	sr_buf_init(&e);
	sr_buf_adds(&e, "ALERTS{alertstate=\"firing\",alertname=\"");
	for (const char *p = alertname; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			sr_buf_addc(&e, '\\');
		sr_buf_addc(&e, *p);
	}
	sr_buf_adds(&e, "\"}");
	url = sr_prom_range_url(base, e.data, now - SR_HISTORY_RANGE, now, SR_HISTORY_STEP);
	sr_buf_done(&e);
	return url;
}

void
sr_alert_history_cells(const struct sr_prom_result *res, sr_time now, size_t n,
		       struct sr_alert_history *out)
{
	sr_time from = now - SR_HISTORY_RANGE;
	/* one flag a step, over every series: a label set that fired twice counts once */
	size_t steps = SR_HISTORY_RANGE / SR_HISTORY_STEP + 1, run = 0;
	unsigned char *on = sr_xcalloc(steps, 1);

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->cell = sr_xcalloc(n ? n : 1, 1);
	for (size_t s = 0; res != NULL && s < res->n_series; s++) {
		const struct sr_prom_series *se = &res->series[s];

		for (size_t k = 0; k < se->n_samples; k++) {
			double t = se->samples[k].t;
			size_t i;

			if (t < (double)from || t > (double)now || !(se->samples[k].v > 0))
				continue;
			i = (size_t)((t - (double)from) / SR_HISTORY_STEP + 0.5);
			on[i < steps ? i : steps - 1] = 1;
			if ((sr_time)t > out->last_fired)
				out->last_fired = (sr_time)t;
		}
	}
	for (size_t i = 0; i < steps; i++) {
		if (on[i]) {
			out->firing_seconds += SR_HISTORY_STEP;
			if (run++ == 0)
				out->episodes++;
			if (n > 0) {
				size_t c = (size_t)((int64_t)i * SR_HISTORY_STEP * (int64_t)n /
						    SR_HISTORY_RANGE);

				out->cell[c < n ? c : n - 1] = 1;	/* now itself: the last */
			}
		} else {
			run = 0;
		}
	}
	free(on);
}

void
sr_alert_history_done(struct sr_alert_history *h)
{
	free(h->cell);
	memset(h, 0, sizeof(*h));
}

char *
sr_alert_history_strip(const struct sr_alert_history *h, const char *on, const char *off)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	for (size_t i = 0; i < h->n; i++)
		sr_buf_adds(&b, h->cell[i] ? on : off);
	return sr_buf_steal(&b);
}

/* SPDX-License-Identifier: MIT */
/*
 * cli_export.c: `sitrep export ID`: the post-mortem draft of an incident as Markdown (a
 * Mustache layout: sre, pagerduty or a file of the team's own) or as JSON (the model itself,
 * docs/postmortem.schema.json), to stdout or a file.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alertmgr.h"
#include "http.h"
#include "prom.h"
#include "chain.h"
#include "cli.h"
#include "postmortem.h"
#include "text.h"

/* --- where the draft goes: written out in pieces as it is made, secrets scrubbed --- */

/*
 * A 10,000-event draft is 1-4 MB: held whole, its first-touched pages cost more than making
 * it. So the document is written out whenever the buffer holds SR_TPL_FLUSH bytes, as whole
 * lines: no secret holds a line break, so scrubbing line by line is scrubbing the whole (a
 * secret with a line break keeps the document whole until the end, as before).
 */
struct sink {
	FILE *f;
	char **sec;		/* the configuration's secrets */
	size_t n_sec;
	int lines;		/* whole lines may go out early */
	int err;		/* errno of the first failed write */
};

static void
sink_write(struct sink *k, struct sr_buf *b, size_t n)
{
	size_t left = b->len - n;

	n = sr_text_scrub(b->data, n, (const char *const *)k->sec, k->n_sec);
	if (n > 0 && fwrite(b->data, 1, n, k->f) != n && k->err == 0)
		k->err = errno != 0 ? errno : EIO;
	memmove(b->data, b->data + b->len - left, left);
	b->len = left;
	if (b->data != NULL)
		b->data[left] = '\0';
}

/* sr_tpl_out.flush: the buffer's whole lines go out. */
static void
sink_flush(void *arg, struct sr_buf *b)
{
	struct sink *k = arg;
	const char *nl = k->lines && b->len > 0 ? memrchr(b->data, '\n', b->len) : NULL;

	if (nl != NULL)
		sink_write(k, b, (size_t)(nl - b->data) + 1);
}

/* --- JSON: the model as it is, two-space indented (stable: golden files compare it) --- */

static void
indent(struct sr_buf *b, int depth)
{
	static const char sp[] = "\n                                ";	/* 32 spaces */
	size_t n = 2 * (size_t)depth, k = n < 32 ? n : 32;

	sr_buf_add(b, sp, 1 + k);	/* a line's indent in one piece (10,000 events: 130,000) */
	for (n -= k; n > 0; n -= k) {
		k = n < 32 ? n : 32;
		sr_buf_add(b, sp + 1, k);
	}
}

static void
json_value(struct sr_buf *b, const struct sr_tval *v, int depth, struct sink *k)
{
	const struct sr_tval *m;
	struct sr_tv_iter it;
	char num[64];
	int any = 0;

	switch (v->type) {
	case SR_TV_NULL:
		sr_buf_adds(b, "null");
		break;
	case SR_TV_BOOL:
		sr_buf_adds(b, v->b ? "true" : "false");
		break;
	case SR_TV_NUM:
		if (isnan(v->num) || isinf(v->num))
			sr_buf_adds(b, "null");
		else if (v->num == floor(v->num) && fabs(v->num) < 9007199254740992.0) {
			char d[24], *p = d + sizeof d;
			long long x = (long long)v->num;
			unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x :
					       (unsigned long long)x;

			do	/* by hand: printf was a sixth of a 10,000-event export */
				*--p = (char)('0' + u % 10);
			while ((u /= 10) > 0);
			if (x < 0)
				*--p = '-';
			sr_buf_add(b, p, (size_t)(d + sizeof d - p));
		} else {
			snprintf(num, sizeof num, "%.17g", v->num);
			sr_buf_adds(b, num);
		}
		break;
	case SR_TV_STR:
		sr_json_str(b, v->str);
		break;
	case SR_TV_LIST:
	case SR_TV_OBJ:
		sr_buf_addc(b, v->type == SR_TV_LIST ? '[' : '{');
		/* a timeline's lists are made while read (sr_tv_lazy_list): one item at a time */
		for (m = sr_tv_first(&it, v); m != NULL; m = sr_tv_next(&it), any = 1) {
			if (any)
				sr_buf_addc(b, ',');
			indent(b, depth + 1);
			if (v->type == SR_TV_OBJ) {
				sr_json_str(b, m->key);
				sr_buf_adds(b, ": ");
			}
			json_value(b, m, depth + 1, k);
			if (b->len >= SR_TPL_FLUSH)
				sink_flush(k, b);
		}
		if (any)
			indent(b, depth);
		sr_buf_addc(b, v->type == SR_TV_LIST ? ']' : '}');
		break;
	}
}

/* --- what the export reads besides the incident --- */

/* Local time beside UTC when the zone differs ([general] timezone, else TZ / the system's). */
static const char *
local_time(void *arg, sr_time t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (*(const int *)arg)
		return NULL;	/* the zone is UTC, and always was */
	if (localtime_r(&tt, &tm) == NULL || (tm.tm_gmtoff == 0 && strcmp(tm.tm_zone, "UTC") == 0) ||
	    (tm.tm_gmtoff == 0 && strcmp(tm.tm_zone, "GMT") == 0))
		return NULL;
	if (strftime(buf, n, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		return NULL;
	return buf;
}

/*
 * The linked alerts as the last Alertmanager snapshot of each source (the feed's last-good
 * cache) describes them: labels, startsAt, generatorURL. found[i] is NULL when no snapshot
 * has inc->alerts[i].
 */
static void
linked_alerts(struct sr_cli *cli, struct sr_store *st, const struct sr_incident *inc,
	      struct sr_am_alerts *all, const struct sr_am_alert **found)
{
	for (size_t s = 0; s < cli->ses->cfg->n_am; s++) {
		char *key = sr_xasprintf("alerts:%s", cli->ses->cfg->am[s].name), *body = NULL;
		char *err = NULL;
		size_t len = 0;
		int64_t at;

		if (st->ops->cache_get != NULL &&
		    st->ops->cache_get(st, key, &body, &len, &at, &err) == 1)
			sr_am_parse_alerts(body, len, 200, key, all, &err);
		free(err);
		free(body);
		free(key);
	}
	for (size_t i = 0; i < inc->n_alerts; i++) {
		found[i] = NULL;
		for (size_t k = 0; k < all->n && found[i] == NULL; k++)
			if (all->v[k].fingerprint != NULL &&
			    strcmp(all->v[k].fingerprint, inc->alerts[i]) == 0)
				found[i] = &all->v[k];
	}
}

/* The layout's Mustache source: a shipped one by name, else the file given. */
static int
load_layout(struct sr_cli *cli, const char *layout, char **path, char **src, size_t *len,
	    char **err)
{
	if (strcmp(layout, "sre") == 0 || strcmp(layout, "pagerduty") == 0)
		*path = sr_xasprintf("%s/postmortem/%s.md", cli->ses->datadir, layout);
	else
		*path = sr_xstrdup(layout);
	return sr_read_file(*path, 1 << 20, src, len, err);
}

/*
 * The draft goes to path through a temporary file beside it, so a reader never sees half a
 * draft: open_out opens it (*tmp), close_out renames it over path, or removes it when the
 * export failed (failed) or a write did (k->err).
 */
static FILE *
open_out(const char *path, char **tmp, char **err)
{
	FILE *f;

	*tmp = sr_xasprintf("%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(*tmp, "w")) == NULL) {
		sr_err(err, "%s: %s", path, strerror(errno));
		free(*tmp);
		*tmp = NULL;
	}
	return f;
}

static int
close_out(const char *path, char *tmp, FILE *f, int failed, int werr, char **err)
{
	int rc = failed ? -1 : 0;	/* a failed export has its message already */

	if (rc == 0 && werr != 0)
		rc = sr_err(err, "%s: %s", path, strerror(werr));
	if (fclose(f) != 0 && rc == 0)
		rc = sr_err(err, "%s: %s", path, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = sr_err(err, "%s: %s", path, strerror(errno));
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* --- metrics around the incident: one range query per panel and per linked alert --- */

#define SERIES_PER_QUERY 4	/* a query with more series shows its first ones */
#define MARGIN (30 * 60)	/* before detection and after resolution */

struct mquery {
	char *title, *expr, *url, *graph;
	const struct sr_source *src;
	/* answer */
	long status;
	char *body, *err;
	size_t len;
	struct sr_prom_result r;
	int parsed;
};

struct metrics {
	struct mquery *q;
	size_t n;
	struct sr_pm_series *series;
	size_t n_series;
	char **labels;			/* per series */
	sr_time **t;
	double **v;
	struct sr_pm_metrics out;
	char *error;
};

static void
mquery_cb(void *arg, struct sr_http_response *r)
{
	struct mquery *q = arg;

	q->status = r->status;
	q->body = r->body;
	q->len = r->len;
	r->body = NULL;
	q->err = r->err != NULL ? sr_xstrdup(r->err) : NULL;
}

/* The expression of an alert's generatorURL (Prometheus's "g0.expr" parameter), or NULL. */
static char *
expr_of(const char *url)
{
	const char *p = url != NULL ? strstr(url, "g0.expr=") : NULL;
	struct sr_buf b;

	if (p == NULL)
		return NULL;
	sr_buf_init(&b);
	for (p += 8; *p != '\0' && *p != '&'; p++) {
		unsigned hi, lo;

		if (*p == '%' && sscanf(p + 1, "%1x%1x", &hi, &lo) == 2) {
			sr_buf_addc(&b, (char)(hi * 16 + lo));
			p += 2;
		} else {
			sr_buf_addc(&b, *p == '+' ? ' ' : *p);
		}
	}
	return b.len > 0 ? sr_buf_steal(&b) : (sr_buf_done(&b), NULL);
}

static void
add_query(struct metrics *m, const struct sr_source *src, const char *title, const char *expr,
	  sr_time start, sr_time end)
{
	struct mquery *q;
	struct sr_buf g;
	char *base;

	if (src == NULL || expr == NULL || expr[0] == '\0')
		return;
	m->q = sr_xrealloc(m->q, (m->n + 1) * sizeof *m->q);
	q = &m->q[m->n++];
	memset(q, 0, sizeof *q);
	q->src = src;
	q->title = sr_xstrdup(title);
	q->expr = sr_xstrdup(expr);
	q->url = sr_prom_range_url(src->t.url, expr, start, end, sr_prom_step(end - start, 240));
	/* the graph link: the same window in Prometheus's own UI */
	sr_buf_init(&g);
	base = sr_http_join(src->t.url, "/graph?g0.expr=");
	sr_buf_adds(&g, base);
	free(base);
	sr_http_urlencode(&g, expr);
	sr_buf_printf(&g, "&g0.tab=0&g0.range_input=%llds&g0.end_input=",
		      (long long)(end - start));
	{
		char ts[32];

		sr_time_format(end, ts, sizeof ts);
		ts[10] = ' ';
		ts[19] = '\0';
		sr_http_urlencode(&g, ts);
	}
	q->graph = sr_http_redact(g.data);
	sr_buf_done(&g);
}

static void
metrics_done(struct metrics *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->q[i].title);
		free(m->q[i].expr);
		free(m->q[i].url);
		free(m->q[i].graph);
		free(m->q[i].body);
		free(m->q[i].err);
		if (m->q[i].parsed)
			sr_prom_result_done(&m->q[i].r);
	}
	free(m->q);
	for (size_t i = 0; i < m->n_series; i++) {
		free(m->labels[i]);
		free(m->t[i]);
		free(m->v[i]);
	}
	free(m->labels);
	free(m->t);
	free(m->v);
	free(m->series);
	free(m->error);
}

/* {a="b", c="d"} of a series (without __name__), or NULL when it has no other label. */
static char *
labels_text(const struct sr_prom_series *s)
{
	struct sr_buf b;

	sr_buf_init(&b);
	for (size_t i = 0; i < s->n_labels; i++) {
		if (strcmp(s->labels[i].name, "__name__") == 0)
			continue;
		sr_buf_printf(&b, "%s%s=\"%s\"", b.len ? ", " : "{", s->labels[i].name,
			      s->labels[i].value);
	}
	if (b.len == 0) {
		sr_buf_done(&b);
		return NULL;
	}
	sr_buf_addc(&b, '}');
	return sr_buf_steal(&b);
}

static void
add_series(struct metrics *m, const struct mquery *q, const struct sr_prom_series *s)
{
	size_t k = m->n_series++;
	struct sr_pm_series *ps;

	m->series = sr_xrealloc(m->series, m->n_series * sizeof *m->series);
	m->labels = sr_xrealloc(m->labels, m->n_series * sizeof *m->labels);
	m->t = sr_xrealloc(m->t, m->n_series * sizeof *m->t);
	m->v = sr_xrealloc(m->v, m->n_series * sizeof *m->v);
	m->labels[k] = s != NULL ? labels_text(s) : NULL;
	m->t[k] = sr_xcalloc(s != NULL && s->n_samples ? s->n_samples : 1, sizeof **m->t);
	m->v[k] = sr_xcalloc(s != NULL && s->n_samples ? s->n_samples : 1, sizeof **m->v);
	for (size_t i = 0; s != NULL && i < s->n_samples; i++) {
		m->t[k][i] = (sr_time)s->samples[i].t;
		m->v[k][i] = s->samples[i].v;
	}
	ps = &m->series[k];
	memset(ps, 0, sizeof *ps);
	ps->title = q->title;
	ps->expr = q->expr;
	ps->labels = m->labels[k];
	ps->graph_url = q->graph;
	ps->t = m->t[k];
	ps->v = m->v[k];
	ps->n = s != NULL ? s->n_samples : 0;
}

/*
 * Asks every [prometheus] source for the panels' queries and the linked alerts' expressions
 * over [detected - 30m, resolved + 30m] (up to now), all at once. What cannot be had leaves
 * the reason in m->out.error; the export goes on either way.
 */
static void
fetch_metrics(struct sr_cli *cli, const struct sr_incident *inc,
	      const struct sr_am_alert *const *alerts, sr_time detected, struct metrics *m)
{
	const struct sr_config *cfg = cli->ses->cfg;
	sr_time start = detected - MARGIN;
	sr_time end = (inc->resolved_at ? inc->resolved_at : cli->ses->now) + MARGIN;
	struct sr_http *h;
	char *err = NULL;
	size_t failed = 0;

	if (end > cli->ses->now)
		end = cli->ses->now;
	m->out.requested = 1;
	m->out.start = start;
	m->out.end = end;
	for (size_t i = 0; i < cfg->n_panels; i++)
		add_query(m, sr_config_prom(cfg, cfg->panels[i].source), cfg->panels[i].name,
			  cfg->panels[i].query, start, end);
	for (size_t i = 0; i < inc->n_alerts; i++) {
		char *expr = alerts[i] != NULL ? expr_of(alerts[i]->generator_url) : NULL;
		char *title = sr_xasprintf("alert %s", inc->alerts[i]);

		for (size_t k = 0; alerts[i] != NULL && k < alerts[i]->n_labels; k++)
			if (strcmp(alerts[i]->labels[k].name, "alertname") == 0) {
				free(title);
				title = sr_xasprintf("alert %s", alerts[i]->labels[k].value);
			}
		add_query(m, sr_config_prom(cfg, NULL), title, expr, start, end);
		free(title);
		free(expr);
	}
	if (m->n == 0) {
		m->error = sr_xstrdup("no panel or linked alert has an expression to ask "
				      "Prometheus about");
		m->out.error = m->error;
		return;
	}
	if ((h = sr_http_new(&err)) == NULL) {
		m->error = err;
		m->out.error = m->error;
		return;
	}
	for (size_t i = 0; i < m->n; i++) {
		struct sr_http_request rq = { .url = m->q[i].url, .t = &m->q[i].src->t };

		sr_http_submit(h, &rq, mquery_cb, &m->q[i], &m->q[i].err);
	}
	if (sr_http_run(h, &err) != 0) {
		m->error = err;
		err = NULL;
	}
	sr_http_free(h);
	for (size_t i = 0; i < m->n; i++) {
		struct mquery *q = &m->q[i];
		char *safe;

		if (q->err == NULL && q->body != NULL) {
			safe = sr_http_redact(q->url);
			q->parsed = 1;
			if (sr_prom_parse_query(q->body, q->len, q->status, safe, &q->r, &q->err) != 0)
				q->err = q->err != NULL ? q->err : sr_xstrdup("bad answer");
			free(safe);
		}
		if (q->err != NULL) {
			failed++;
			if (m->error == NULL) {
				safe = sr_http_redact(q->src->t.url);
				m->error = sr_xasprintf("Prometheus (%s at %s) could not be asked: %s",
							q->src->name, safe, q->err);
				free(safe);
			}
			/* said beside its title; the other queries still count */
			safe = q->title;
			q->title = sr_xasprintf("%s (could not be asked: %s)", safe, q->err);
			free(safe);
			add_series(m, q, NULL);
			continue;
		}
		for (size_t k = 0; k < q->r.n_series && k < SERIES_PER_QUERY; k++)
			add_series(m, q, &q->r.series[k]);
		if (q->r.n_series == 0)
			add_series(m, q, NULL);
	}
	/* one query failing is said; all of them failing means no metrics at all */
	if (failed == m->n)
		m->out.error = m->error;
	m->out.series = m->series;
	m->out.n_series = m->n_series;
}

/* --- the command --- */

struct export_opts {
	const char *id, *format, *layout, *output;
	int metrics;
};

/* Writes the document to k (the rest of it left in out); returns 0 or -1 with *err. */
static int
export_doc(struct sr_cli *cli, const struct export_opts *o, struct sr_buf *out,
	   struct sink *k, char **err)
{
	struct sr_store *st = cli->ses->store;	/* opened and checked by the caller */
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_am_alerts all = { 0 };
	const struct sr_am_alert **found = NULL;
	struct sr_pm_input in = { 0 };
	struct sr_tdata *d = NULL;
	struct sr_tval *model;
	struct metrics m = { 0 };
	char head[SR_HASH_HEX], *path = NULL, *src = NULL;
	size_t len = 0;
	int rc = -1, utc_zone;

	sr_incident_init(&inc);
	sr_event_list_pack(&ev);	/* read only, whole: its strings in blocks (half the memory) */
	if (st->ops->get(st, o->id, &inc, err) != 0 || st->ops->events(st, o->id, &ev, err) != 0 ||
	    st->ops->chain_head(st, o->id, &in.chain_n, head, err) != 0)
		goto out;
	if (strcmp(o->format, "md") == 0 &&
	    load_layout(cli, o->layout, &path, &src, &len, err) != 0)
		goto out;
	found = sr_xcalloc(inc.n_alerts ? inc.n_alerts : 1, sizeof *found);
	linked_alerts(cli, st, &inc, &all, found);

	in.cfg = cli->ses->cfg;
	in.inc = &inc;
	in.ev = &ev;
	in.chain_head = head;
	in.alerts = found;
	/* [general] timezone names the local time shown beside UTC (else TZ / the system's) */
	if (cli->ses->cfg->timezone != NULL && cli->ses->cfg->timezone[0] != '\0') {
		setenv("TZ", cli->ses->cfg->timezone, 1);
		tzset();
	}
	/*
	 * Etc/UTC (or TZ=UTC0) has no other offset at any time: no local time is shown beside
	 * any event, and 18,000 localtime_r calls (a tenth of a 10,000-event export) are saved.
	 * Only the name "UTC" is trusted: a zone at GMT today may have had another offset once.
	 */
	tzset();
	utc_zone = timezone == 0 && daylight == 0 && strcmp(tzname[0], "UTC") == 0;
	in.local = local_time;
	in.local_arg = &utc_zone;
	in.now = cli->ses->now;
	if (o->metrics && cli->ses->cfg->n_prom > 0) {
		sr_time detected = inc.created_at;

		for (size_t i = 0; i < inc.n_alerts; i++)
			if (found[i] != NULL && found[i]->starts_at != 0 &&
			    found[i]->starts_at < detected)
				detected = found[i]->starts_at;
		fetch_metrics(cli, &inc, found, detected, &m);
		in.metrics = &m.out;
	}
	d = sr_tdata_new();
	model = sr_pm_model(d, &in);
	if (strcmp(o->format, "json") == 0) {
		json_value(out, model, 0, k);
		sr_buf_addc(out, '\n');
		rc = 0;
	} else {
		rc = sr_pm_render_to(model, path, src, len, sink_flush, k, out, err);
	}
	if (rc == 0 && out->len > 0)
		sink_write(k, out, out->len);
out:
	sr_tdata_free(d);
	metrics_done(&m);
	free(found);
	sr_am_alerts_done(&all);
	free(path);
	free(src);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return rc;
}

int
sr_cli_export(struct sr_cli *cli, int argc, char **argv)
{
	struct export_opts o = { .format = "md", .layout = "sre" };
	int n, rc, no_metrics = 0;
	char *pos[1], *err = NULL;
	const struct sr_cli_opt opts[] = {
		{ "format", &o.format, NULL }, { "layout", &o.layout, NULL },
		{ "output", &o.output, NULL }, { "no-metrics", NULL, &no_metrics },
		{ NULL, NULL, NULL },
	};
	struct sr_buf doc;
	struct sink k = { 0 };
	char *tmp = NULL;
	int to_file;

	if (sr_cli_wants_help(argc, argv)) {
		fputs("usage: sitrep export ID [--format md|json] [--layout sre|pagerduty|FILE] "
		      "[-o FILE] [--no-metrics]\n"
		      "  the post-mortem draft of an incident, computed from its timeline\n",
		      cli->out);
		return SR_EXIT_OK;
	}
	for (int i = 1; i < argc; i++)	/* "-o FILE" is the usual spelling */
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = (char *)"--output";
	if ((rc = sr_cli_parse(cli, "export", argc, argv, opts, pos, 1, &n)) != 0)
		return rc;
	if (n != 1)
		return sr_cli_usage(cli, "export", "give one incident ID");
	if (strcmp(o.format, "md") != 0 && strcmp(o.format, "json") != 0)
		return sr_cli_usage(cli, "export", "bad --format \"%s\": md or json", o.format);
	o.id = pos[0];
	o.metrics = !no_metrics;
	if (sr_cli_pm_store(cli) == NULL)
		return SR_EXIT_FAIL;
	/* no secret of the configuration in an export, whatever field holds it */
	k.sec = sr_config_secrets(cli->ses->cfg, &k.n_sec);
	k.lines = 1;
	for (size_t i = 0; i < k.n_sec; i++)
		if (k.sec[i] != NULL && strchr(k.sec[i], '\n') != NULL)
			k.lines = 0;
	to_file = o.output != NULL && strcmp(o.output, "-") != 0;
	k.f = to_file ? open_out(o.output, &tmp, &err) : cli->out;
	sr_buf_init(&doc);
	rc = k.f != NULL ? export_doc(cli, &o, &doc, &k, &err) : -1;
	if (to_file && k.f != NULL && close_out(o.output, tmp, k.f, rc != 0, k.err, &err) != 0)
		rc = -1;
	sr_buf_done(&doc);
	sr_secrets_free(k.sec, k.n_sec);
	if (rc != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	return SR_EXIT_OK;
}

/* SPDX-License-Identifier: MIT */
/* cli_feed.c: `sitrep query`, `sitrep alerts`, `sitrep silence ...` and `sitrep check`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "alertmgr.h"
#include "cli.h"
#include "change.h"
#include "format.h"
#include "feed.h"
#include "http.h"
#include "prom.h"
#include "spool.h"
#include "text.h"

/* --- fetching: every request of a command runs at once, through the feed engine --- */

/*
 * When job j failed before any answer (connection, timeout, size cap), reports its error once,
 * sets *rc to failure and returns 1; returns 0 when there is an answer to parse.
 */
static int
job_failed(struct sr_cli *cli, struct sr_feed_job *j, int *rc)
{
	if (j->err == NULL)
		return 0;
	sr_cli_fail(cli, SR_EXIT_FAIL, j->err);
	j->err = NULL;
	*rc = SR_EXIT_FAIL;
	return 1;
}

/*
 * Parses job j's answer with parse (an sr_*_parse_* taking body, length, status, the URL for
 * messages, out, err) into out, with the URL's secrets redacted; a bad answer is reported and
 * sets *rc to failure (out is then empty). A macro: the parsers' out types differ.
 */
#define JOB_PARSE(cli, j, parse, out, rc)                                                    \
	do {                                                                                 \
		char *jp_err = NULL, *jp_safe = sr_http_redact((j)->url);                     \
                                                                                             \
		if (parse((j)->resp, (j)->len, (j)->status, jp_safe, out, &jp_err) < 0) {     \
			sr_cli_fail(cli, SR_EXIT_FAIL, jp_err);                              \
			*(rc) = SR_EXIT_FAIL;                                                \
		}                                                                            \
		free(jp_safe);                                                               \
	} while (0)

/* Runs every job (sr_feed_jobs_run); failures to even start land in the job's err. */
static int
run_jobs(struct sr_cli *cli, struct sr_feed_job *jobs, size_t n)
{
	char *err = NULL;

	for (size_t i = 0; i < n; i++)
		if (jobs[i].t != NULL && !jobs[i].t->tls_verify)
			fprintf(cli->errf, "sitrep: warning: TLS verification is off for %s\n",
				jobs[i].name);
	if (sr_feed_jobs_run(jobs, n, &err) < 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err), -1;
	return 0;
}

/* The store for the last-good cache, opened quietly: the commands work without one. */
static struct sr_store *
cache_store(struct sr_cli *cli)
{
	char *err = NULL;

	if (cli->ses->store == NULL && cli->ses->store_where != NULL) {
		cli->ses->store = sr_store_open(cli->ses->store_where, &err);
		free(err);
	}
	return cli->ses->store;
}

/* --- output helpers --- */

/* A table of sanitised cells printed with aligned columns. */
struct table {
	size_t ncol, nrow;
	char **cell;		/* nrow * ncol, row 0 is the header */
	size_t cap;
	size_t *maxw;		/* per column cap on a terminal, 0 = none; such a column is
				 * free text, shortened first when the table is too wide */
	const unsigned char *drop;	/* per column, or NULL: 0 = always shown, else dropped
					 * when the table is still too wide, highest first */
};

#define FLEX_MIN 10	/* a free-text column is not shortened below this to keep others */

static void
table_init(struct table *t, size_t ncol, const char *const *head)
{
	memset(t, 0, sizeof(*t));
	t->ncol = ncol;
	t->maxw = sr_xcalloc(ncol, sizeof(*t->maxw));
	t->cell = sr_xgrow(NULL, &t->cap, ncol, sizeof(*t->cell));
	for (size_t i = 0; i < ncol; i++)
		t->cell[i] = sr_xstrdup(head[i]);
	t->nrow = 1;
}

/* Adds a row of ncol cells (copied; NULL prints as empty). */
static void
table_row(struct table *t, const char *const *cells)
{
	t->cell = sr_xgrow(t->cell, &t->cap, (t->nrow + 1) * t->ncol, sizeof(*t->cell));
	for (size_t i = 0; i < t->ncol; i++)
		t->cell[t->nrow * t->ncol + i] = sr_text_clean(cells[i] != NULL ? cells[i] : "");
	t->nrow++;
}

/* The widest free-text column still above min, or ncol. */
static size_t
widest_flex(const struct table *t, const size_t *w, const int *shown, size_t min)
{
	size_t best = t->ncol;

	for (size_t c = 0; c < t->ncol; c++)
		if (shown[c] && t->maxw[c] && w[c] > min && (best == t->ncol || w[c] > w[best]))
			best = c;
	return best;
}

/*
 * Column widths for a terminal `width` wide (0: not a terminal, where nothing is ever cut:
 * a pipe or a file gets every cell whole). On a terminal, free-text columns are capped, then
 * shortened to FLEX_MIN, then columns are dropped by priority, then free text is shortened
 * further; identifiers and short columns are never cut.
 */
static void
table_fit(const struct table *t, size_t width, size_t *w, int *shown)
{
	size_t total, c;

	for (c = 0; c < t->ncol; c++)
		shown[c] = 1;
	for (size_t r = 0; r < t->nrow; r++)
		for (c = 0; c < t->ncol; c++) {
			const char *s = t->cell[r * t->ncol + c];
			size_t cw = sr_text_width(s, strlen(s));

			if (width > 0 && t->maxw[c] && cw > t->maxw[c])
				cw = t->maxw[c];
			if (cw > w[c])
				w[c] = cw;
		}
	if (width == 0)
		return;
	for (;;) {
		size_t n = 0, worst = 0;

		total = 0;
		for (c = 0; c < t->ncol; c++)
			if (shown[c]) {
				total += w[c] + (n++ ? 2 : 0);
			}
		if (total <= width)
			return;
		if ((c = widest_flex(t, w, shown, FLEX_MIN)) < t->ncol) {
			w[c]--;
			continue;
		}
		for (c = 0; t->drop != NULL && c < t->ncol; c++)
			if (shown[c] && t->drop[c] > worst)
				worst = t->drop[c];
		if (worst > 0) {
			for (c = 0; c < t->ncol; c++)
				if (shown[c] && t->drop[c] == worst)
					shown[c] = 0;
			continue;
		}
		if ((c = widest_flex(t, w, shown, 3)) < t->ncol) {
			w[c]--;
			continue;
		}
		return;	/* only identifiers left: better a long line than a cut ID */
	}
}

static void
table_print(struct sr_cli *cli, struct table *t)
{
	size_t *w = sr_xcalloc(t->ncol, sizeof(*w)), last_shown = 0;
	int *shown = sr_xcalloc(t->ncol, sizeof(*shown));
	struct sr_buf b;

	table_fit(t, (size_t)sr_cli_tty_width(cli), w, shown);
	for (size_t c = 0; c < t->ncol; c++)
		if (shown[c])
			last_shown = c;
	sr_buf_init(&b);
	for (size_t r = 0; r < t->nrow; r++) {
		b.len = 0;
		for (size_t c = 0; c < t->ncol; c++) {
			int last = c == last_shown;

			if (!shown[c])
				continue;
			if (r == 0 && cli->color)
				sr_buf_adds(&b, "\033[1m");
			sr_text_fit(&b, t->cell[r * t->ncol + c], w[c], !last, 0);
			if (r == 0 && cli->color)
				sr_buf_adds(&b, "\033[0m");
			if (!last)
				sr_buf_adds(&b, "  ");
		}
		while (b.len > 0 && b.data[b.len - 1] == ' ')
			b.len--;
		sr_buf_addc(&b, '\n');
		fwrite(b.data, 1, b.len, cli->out);
	}
	sr_buf_done(&b);
	free(w);
	free(shown);
}

static void
table_done(struct table *t)
{
	sr_strv_free(t->cell, t->nrow * t->ncol);
	free(t->maxw);
}

static void
json_labels(struct sr_buf *b, const struct sr_label *l, size_t n)
{
	sr_buf_addc(b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sr_buf_addc(b, ',');
		sr_json_str(b, l[i].name);
		sr_buf_addc(b, ':');
		sr_json_str(b, l[i].value);
	}
	sr_buf_addc(b, '}');
}

static void
json_strv(struct sr_buf *b, char *const *v, size_t n)
{
	sr_buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sr_buf_addc(b, ',');
		sr_json_str(b, v[i]);
	}
	sr_buf_addc(b, ']');
}

static void
json_time(struct sr_buf *b, sr_time t)
{
	char ts[32];

	if (t == 0) {
		sr_buf_adds(b, "null");
	} else {
		sr_buf_addc(b, '"');
		sr_buf_adds(b, sr_time_format(t, ts, sizeof(ts)));
		sr_buf_addc(b, '"');
	}
}

static void
put_buf(struct sr_cli *cli, struct sr_buf *b)
{
	if (b->len > 0)
		fwrite(b->data, 1, b->len, cli->out);
}

/* --- sitrep query --- */

static const char query_help[] =
	"usage: sitrep query EXPR [--range DUR] [--step DUR] [--source NAME] [--unit UNIT] "
	"[--json]\n"
	"\n"
	"Runs a PromQL query on a [prometheus] source: an instant query, or with --range a range\n"
	"query ending now (the table then shows the last value, min, max and a sparkline).\n"
	"\n"
	"  --range DUR    query the last DUR (e.g. 1h, 30m) instead of one instant\n"
	"  --step DUR     resolution of a range query (default: range / 60, at least 1s)\n"
	"  --source NAME  the [prometheus NAME] section to ask (default: the first)\n"
	"  --unit UNIT    format values as percent, ratio, seconds, bytes, count or reqps\n"
	"  --json         print {\"source\",\"type\",\"warnings\",\"series\":[{\"labels\",\"samples\"}]}\n"
	"                 with samples as [unix_time, \"value\"] pairs, values in full precision\n"
	"                 (the table rounds to six significant digits)\n";

static const struct sr_source *
find_prom(const struct sr_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_prom; i++)
		if (name == NULL || strcmp(cfg->prom[i].name, name) == 0)
			return &cfg->prom[i];
	return NULL;
}

/* A series name in PromQL form: metric{a="b", ...}. */
static char *
series_name(const struct sr_prom_series *s)
{
	struct sr_buf b;
	const char *metric = sr_label_get(s->labels, s->n_labels, "__name__");
	int first = 1;

	sr_buf_init(&b);
	sr_buf_adds(&b, metric != NULL ? metric : "");
	if (metric != NULL && s->n_labels == 1)
		return sr_buf_steal(&b);	/* as Prometheus prints it: no empty braces */
	sr_buf_addc(&b, '{');
	for (size_t i = 0; i < s->n_labels; i++) {
		if (strcmp(s->labels[i].name, "__name__") == 0)
			continue;
		sr_buf_printf(&b, "%s%s=\"%s\"", first ? "" : ", ", s->labels[i].name,
			      s->labels[i].value);
		first = 0;
	}
	sr_buf_addc(&b, '}');
	return sr_buf_steal(&b);
}

/* A sparkline of the samples, width at most w characters (block elements). */
static char *
sparkline(const struct sr_prom_series *s, size_t w)
{
	static const char *blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	double *v = sr_xcalloc(s->n_samples + 1, sizeof(*v));
	signed char *lvl = sr_xcalloc(w + 1, 1);
	struct sr_buf b;
	size_t n;

	for (size_t i = 0; i < s->n_samples; i++)
		v[i] = s->samples[i].v;
	n = sr_spark_levels(v, s->n_samples, w, lvl);
	sr_buf_init(&b);
	for (size_t c = 0; c < n; c++)
		sr_buf_adds(&b, lvl[c] < 0 ? " " : blocks[lvl[c]]);
	free(v);
	free(lvl);
	return sr_buf_steal(&b);
}

static void
query_json(struct sr_cli *cli, const char *source, const struct sr_prom_result *r)
{
	struct sr_buf b;
	char v[40];

	sr_buf_init(&b);
	sr_buf_adds(&b, "{\"source\":");
	sr_json_str(&b, source);
	sr_buf_printf(&b, ",\"type\":\"%s\",\"warnings\":", sr_prom_type_name(r->type));
	json_strv(&b, r->warnings, r->n_warnings);
	if (r->type == SR_PROM_STRING) {
		sr_buf_adds(&b, ",\"string\":{\"time\":");
		sr_json_num(&b, r->string_t, 3);
		sr_buf_adds(&b, ",\"value\":");
		sr_json_str(&b, r->string);
		sr_buf_adds(&b, "}");
	}
	sr_buf_adds(&b, ",\"series\":[");
	for (size_t i = 0; i < r->n_series; i++) {
		const struct sr_prom_series *s = &r->series[i];

		sr_buf_adds(&b, i ? ",\n{\"labels\":" : "\n{\"labels\":");
		json_labels(&b, s->labels, s->n_labels);
		sr_buf_adds(&b, ",\"samples\":[");
		for (size_t k = 0; k < s->n_samples; k++) {
			sr_buf_adds(&b, k ? ",[" : "[");
			sr_json_num(&b, s->samples[k].t, 3);
			/* the value as Prometheus writes it: a string, so "NaN" and "+Inf" fit */
			sr_buf_printf(&b, ",\"%s\"]",
				      sr_prom_format_value(s->samples[k].v, v, sizeof(v)));
		}
		sr_buf_adds(&b, "]}");
	}
	sr_buf_printf(&b, "],\"skipped_histogram_samples\":%zu}\n", r->n_skipped);
	put_buf(cli, &b);
	sr_buf_done(&b);
}

static void
query_table(struct sr_cli *cli, const struct sr_prom_result *r, enum sr_unit unit, int range)
{
	static const char *const head_i[] = { "SERIES", "VALUE" };
	static const char *const head_r[] = { "SERIES", "LAST", "MIN", "MAX", "TREND" };
	struct table t;

	if (r->type == SR_PROM_STRING) {
		sr_cli_put(cli, r->string);
		fputc('\n', cli->out);
		return;
	}
	if (r->n_series == 0) {
		fputs("(no series)\n", cli->out);
		return;
	}
	table_init(&t, range ? 5 : 2, range ? head_r : head_i);
	t.maxw[0] = 80;
	for (size_t i = 0; i < r->n_series; i++) {
		const struct sr_prom_series *s = &r->series[i];
		char *name = r->type == SR_PROM_SCALAR ? sr_xstrdup("scalar") : series_name(s);
		char last[48] = "", lo[48] = "", hi[48] = "";

		if (s->n_samples > 0)
			sr_format_unit(s->samples[s->n_samples - 1].v, unit, last, sizeof(last));
		if (!range) {
			const char *row[] = { name, last };

			table_row(&t, row);
		} else {
			double mn = INFINITY, mx = -INFINITY;
			char *spark = sparkline(s, 30);

			for (size_t k = 0; k < s->n_samples; k++) {
				if (s->samples[k].v < mn)
					mn = s->samples[k].v;
				if (s->samples[k].v > mx)
					mx = s->samples[k].v;
			}
			if (s->n_samples > 0) {
				sr_format_unit(mn, unit, lo, sizeof(lo));
				sr_format_unit(mx, unit, hi, sizeof(hi));
			}
			{
				const char *row[] = { name, last, lo, hi, spark };

				table_row(&t, row);
			}
			free(spark);
		}
		free(name);
	}
	table_print(cli, &t);
	table_done(&t);
}

int
sr_cli_query(struct sr_cli *cli, int argc, char **argv)
{
	const char *range_s = NULL, *step_s = NULL, *source = NULL, *unit_s = NULL;
	int json = 0, help = 0, npos = 0, rc = SR_EXIT_FAIL;
	char *pos[1], *err = NULL;
	const struct sr_cli_opt opts[] = {
		{ "range", &range_s, NULL }, { "step", &step_s, NULL },
		{ "source", &source, NULL }, { "unit", &unit_s, NULL },
		{ "json", NULL, &json }, { "help", NULL, &help }, { NULL, NULL, NULL },
	};
	int64_t range = 0, step = 0;
	enum sr_unit unit = SR_UNIT_NONE;
	const struct sr_source *src;
	struct sr_feed_job *job;
	struct sr_prom_result r;

	if ((rc = sr_cli_args(cli, "query", query_help, argc, argv, opts, pos, 1, &npos)) >= 0)
		return rc;
	rc = SR_EXIT_FAIL;
	if (npos != 1 || pos[0][0] == '\0')
		return sr_cli_usage(cli, "query", "needs one PromQL expression");
	if (range_s != NULL && (sr_duration_parse(range_s, &range, &err) < 0 || range <= 0)) {
		free(err);
		return sr_cli_usage(cli, "query", "bad --range \"%s\" (e.g. 1h, 30m)", range_s);
	}
	if (step_s != NULL && (sr_duration_parse(step_s, &step, &err) < 0 || step <= 0)) {
		free(err);
		return sr_cli_usage(cli, "query", "bad --step \"%s\" (e.g. 15s)", step_s);
	}
	if (step_s != NULL && range_s == NULL)
		return sr_cli_usage(cli, "query", "--step needs --range");
	if (unit_s != NULL && sr_unit_parse(unit_s, &unit, &err) < 0) {
		free(err);
		return sr_cli_usage(cli, "query", "bad --unit \"%s\" (percent, ratio, seconds, "
				    "bytes, count, reqps)", unit_s);
	}
	src = find_prom(cli->ses->cfg, source);
	if (src == NULL)
		return sr_cli_fail(cli, SR_EXIT_FAIL, source != NULL ?
				   sr_xasprintf("no [prometheus %s] section in the config", source) :
				   sr_xstrdup("no [prometheus] section in the config"));
	if (unit_s == NULL) {
		/* A panel with exactly this query lends its unit. */
		for (size_t i = 0; i < cli->ses->cfg->n_panels; i++)
			if (strcmp(cli->ses->cfg->panels[i].query, pos[0]) == 0)
				unit = cli->ses->cfg->panels[i].unit;
	}

	job = sr_xcalloc(1, sizeof(*job));
	job->name = src->name;
	job->t = &src->t;
	if (range > 0)
		job->url = sr_prom_range_url(src->t.url, pos[0], cli->ses->now - range, cli->ses->now,
					     step > 0 ? step : sr_prom_step(range, 60));
	else
		job->url = sr_prom_query_url(src->t.url, pos[0], 0);
	if (run_jobs(cli, job, 1) < 0)
		goto out;
	if (job_failed(cli, job, &rc))
		goto out;
	{
		char *safe = sr_http_redact(job->url);
		int prc = sr_prom_parse_query(job->resp, job->len, job->status, safe, &r, &err);

		free(safe);
		if (prc < 0) {
			sr_prom_result_done(&r);
			sr_cli_fail(cli, SR_EXIT_FAIL, err);
			goto out;
		}
	}
	for (size_t i = 0; i < r.n_warnings; i++) {
		char *w = sr_text_clean(r.warnings[i]);

		fprintf(cli->errf, "sitrep: warning from %s: %s\n", src->name, w);
		free(w);
	}
	if (json)
		query_json(cli, src->name, &r);
	else
		query_table(cli, &r, unit, range > 0);
	sr_prom_result_done(&r);
	rc = SR_EXIT_OK;
out:
	sr_feed_jobs_free(job, 1);
	return rc;
}

/* --- sitrep alerts --- */

static const char alerts_help[] =
	"usage: sitrep alerts [MATCHERS...] [--silenced] [--inhibited] [--unprocessed] [--json]\n"
	"       sitrep alerts ack MATCHERS... [--incident ID]   (see sitrep alerts ack --help)\n"
	"       sitrep alerts history ALERTNAME [--json]        (when it fired in the last 24h)\n"
	"\n"
	"Lists the alerts of every [alertmanager NAME] source, merged by fingerprint (each tagged\n"
	"with the instances that have it). Matchers are amtool's: alertname=HighErrorRate\n"
	"severity=~\"crit.*\" instance!=db1; a bare first word means alertname=WORD.\n"
	"With no Alertmanager configured, the alerts of the [prometheus] sources are shown.\n"
	"When an Alertmanager cannot be reached, its last good answer (kept in the store) is\n"
	"shown marked STALE with its age, and the exit status is 1.\n"
	"\n"
	"  --silenced     include silenced alerts\n"
	"  --inhibited    include inhibited alerts\n"
	"  --unprocessed  include alerts not yet processed (shown by default: no)\n"
	"  --json         print {\"alerts\":[...],\"stale\":[...]} (see sitrep(1))\n";

static int
alert_shown(const struct sr_am_alert *a, int silenced, int inhibited, int unprocessed)
{
	if (a->state == SR_AM_UNPROCESSED)
		return unprocessed;
	if (a->state == SR_AM_SUPPRESSED)
		return a->n_silenced_by > 0 ? silenced : inhibited;
	return 1;
}

struct stale_src {
	const char *name;
	char *err;
	sr_time fetched_at;	/* 0: nothing cached */
};

/* One alert in the stable --json form. */
static void
json_alert(struct sr_buf *b, const struct sr_am_alert *a, int first)
{
	sr_buf_adds(b, first ? "\n{\"fingerprint\":" : ",\n{\"fingerprint\":");
	sr_json_str(b, a->fingerprint);
	sr_buf_adds(b, ",\"state\":\"");
	sr_buf_adds(b, sr_am_alert_state(a));
	sr_buf_adds(b, "\",\"labels\":");
	json_labels(b, a->labels, a->n_labels);
	sr_buf_adds(b, ",\"annotations\":");
	json_labels(b, a->annotations, a->n_annotations);
	sr_buf_adds(b, ",\"starts_at\":");
	json_time(b, a->starts_at);
	sr_buf_adds(b, ",\"ends_at\":");
	json_time(b, a->ends_at);
	sr_buf_adds(b, ",\"silenced_by\":");
	json_strv(b, a->silenced_by, a->n_silenced_by);
	sr_buf_adds(b, ",\"inhibited_by\":");
	json_strv(b, a->inhibited_by, a->n_inhibited_by);
	sr_buf_adds(b, ",\"instances\":");
	json_strv(b, a->instances, a->n_instances);
	sr_json_field(b, "generator_url", a->generator_url);
	sr_buf_addc(b, '}');
}

static void
json_stale(struct sr_cli *cli, struct sr_buf *b, const struct stale_src *st, size_t n_st)
{
	sr_buf_adds(b, "],\"stale\":[");
	for (size_t i = 0; i < n_st; i++) {
		sr_buf_adds(b, i ? ",{\"instance\":" : "{\"instance\":");
		sr_json_str(b, st[i].name);
		sr_json_field(b, "error", st[i].err);
		sr_buf_adds(b, ",\"fetched_at\":");
		json_time(b, st[i].fetched_at);
		if (st[i].fetched_at != 0)
			sr_buf_printf(b, ",\"age_seconds\":%lld",
				      (long long)(cli->ses->now - st[i].fetched_at));
		else
			sr_buf_adds(b, ",\"age_seconds\":null");
		sr_buf_addc(b, '}');
	}
	sr_buf_adds(b, "]}\n");
}

static int
cmp_fingerprint(const void *x, const void *y)
{
	const struct sr_am_alert *a = x, *b = y;

	return strcmp(a->fingerprint, b->fingerprint);
}

/* --json: alerts in fingerprint order (Alertmanager's own order), then stale sources. */
static void
alerts_json(struct sr_cli *cli, struct sr_am_alerts *al, const struct stale_src *st,
	    size_t n_st, int sil, int inh, int unp)
{
	struct sr_buf b;
	int first = 1;

	if (al->n > 1)
		qsort(al->v, al->n, sizeof(*al->v), cmp_fingerprint);
	sr_buf_init(&b);
	sr_buf_adds(&b, "{\"alerts\":[");
	for (size_t i = 0; i < al->n; i++) {
		if (!alert_shown(&al->v[i], sil, inh, unp))
			continue;
		json_alert(&b, &al->v[i], first);
		first = 0;
	}
	json_stale(cli, &b, st, n_st);
	put_buf(cli, &b);
	sr_buf_done(&b);
}

/* The labels other than alertname and severity, as a=b pairs. */
static char *
other_labels(const struct sr_am_alert *a)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	for (size_t i = 0; i < a->n_labels; i++) {
		if (strcmp(a->labels[i].name, "alertname") == 0 ||
		    strcmp(a->labels[i].name, "severity") == 0)
			continue;
		sr_buf_printf(&b, "%s%s=%s", b.len ? " " : "", a->labels[i].name,
			      a->labels[i].value);
	}
	return sr_buf_steal(&b);
}

static void
alerts_table(struct sr_cli *cli, const struct sr_am_alerts *al, int multi, int sil, int inh,
	     int unp, const struct sr_am_silences *silences)
{
	static const char *const head[] = { "SINCE", "STATE", "SEVERITY", "ALERTNAME", "LABELS",
					    "SUMMARY", "INSTANCES" };
	/* on a narrow terminal: instances go first, then the other labels */
	static const unsigned char alerts_drop[] = { 0, 0, 0, 0, 2, 0, 3 };
	struct table t;
	size_t shown = 0;

	table_init(&t, multi ? 7 : 6, head);
	t.maxw[4] = 50;
	t.maxw[5] = 60;
	t.drop = alerts_drop;
	for (size_t i = 0; i < al->n; i++) {
		const struct sr_am_alert *a = &al->v[i];
		char since[32] = "", *labels, *inst;
		const char *summary = sr_label_get(a->annotations, a->n_annotations, "summary");
		struct sr_buf ib;

		struct sr_ack ack;
		char *state = NULL;

		if (!alert_shown(a, sil, inh, unp))
			continue;
		/* an acknowledgement is its own state, apart from other silences */
		if (silences != NULL &&
		    sr_ack_of(a, silences, cli->ses->cfg->ack_comment, cli->ses->now, &ack)) {
			state = sr_ack_text(&ack);
			sr_ack_done(&ack);
		}
		if (a->starts_at != 0)
			sr_age_format(cli->ses->now - a->starts_at, since, sizeof(since));
		labels = other_labels(a);
		sr_buf_init(&ib);
		for (size_t k = 0; k < a->n_instances; k++)
			sr_buf_printf(&ib, "%s%s", k ? "," : "", a->instances[k]);
		inst = sr_buf_steal(&ib);
		{
			const char *row[] = {
				since, state != NULL ? state : sr_am_alert_state(a),
				sr_label_get(a->labels, a->n_labels, "severity"),
				sr_label_get(a->labels, a->n_labels, "alertname"), labels,
				summary != NULL ? summary :
				sr_label_get(a->annotations, a->n_annotations, "description"),
				inst,
			};

			table_row(&t, row);
		}
		free(labels);
		free(inst);
		free(state);
		shown++;
	}
	if (shown == 0)
		fputs("(no alerts)\n", cli->out);
	else
		table_print(cli, &t);
	table_done(&t);
}

/* No Alertmanager configured: Prometheus's own pending and firing alerts. */
static int
alerts_from_prom(struct sr_cli *cli, const struct sr_matchers *m, int json)
{
	size_t n = cli->ses->cfg->n_prom;
	struct sr_feed_job *jobs = sr_xcalloc(n, sizeof(*jobs));
	int rc = SR_EXIT_OK;
	struct sr_buf b;
	struct table t;
	static const char *const head[] = { "SINCE", "STATE", "SEVERITY", "ALERTNAME", "SOURCE",
					    "SUMMARY" };
	int first = 1;

	for (size_t i = 0; i < n; i++) {
		jobs[i].name = cli->ses->cfg->prom[i].name;
		jobs[i].t = &cli->ses->cfg->prom[i].t;
		jobs[i].url = sr_http_join(cli->ses->cfg->prom[i].t.url, "/api/v1/alerts");
	}
	if (run_jobs(cli, jobs, n) < 0) {
		sr_feed_jobs_free(jobs, n);
		return SR_EXIT_FAIL;
	}
	sr_buf_init(&b);
	sr_buf_adds(&b, "{\"alerts\":[");
	table_init(&t, 6, head);
	for (size_t i = 0; i < n; i++) {
		struct sr_prom_alerts pa;
		if (job_failed(cli, &jobs[i], &rc))
			continue;
		JOB_PARSE(cli, &jobs[i], sr_prom_parse_alerts, &pa, &rc);
		for (size_t k = 0; k < pa.n; k++) {
			const struct sr_prom_alert *a = &pa.v[k];
			char since[32] = "";

			if (!sr_matchers_match(m, a->labels, a->n_labels))
				continue;
			if (a->active_at != 0)
				sr_age_format(cli->ses->now - a->active_at, since, sizeof(since));
			sr_buf_adds(&b, first ? "\n{\"state\":" : ",\n{\"state\":");
			first = 0;
			sr_json_str(&b, a->state);
			sr_buf_adds(&b, ",\"labels\":");
			json_labels(&b, a->labels, a->n_labels);
			sr_buf_adds(&b, ",\"annotations\":");
			json_labels(&b, a->annotations, a->n_annotations);
			sr_buf_adds(&b, ",\"active_at\":");
			json_time(&b, a->active_at);
			sr_json_field(&b, "value", a->value);
			sr_json_field(&b, "source", jobs[i].name);
			sr_buf_addc(&b, '}');
			{
				const char *row[] = {
					since, a->state, sr_label_get(a->labels, a->n_labels,
								      "severity"),
					sr_label_get(a->labels, a->n_labels, "alertname"),
					jobs[i].name,
					sr_label_get(a->annotations, a->n_annotations, "summary"),
				};

				table_row(&t, row);
			}
		}
		sr_prom_alerts_done(&pa);
	}
	sr_buf_adds(&b, "],\"stale\":[]}\n");
	if (json)
		put_buf(cli, &b);
	else if (t.nrow == 1)
		fputs("(no alerts)\n", cli->out);
	else
		table_print(cli, &t);
	table_done(&t);
	sr_buf_done(&b);
	sr_feed_jobs_free(jobs, n);
	return rc;
}

/*
 * The alerts of every Alertmanager, read once through the feed engine (the console's reader,
 * merged by fingerprint, each instance's failure in its state): states as flt says, matching
 * m (NULL or empty: all). With cached, an instance that fails shows its last good answer and
 * an unfiltered answer is kept as the last good one (not --readonly). NULL when libcurl fails.
 */
struct sr_feeds *
sr_cli_am_feeds(struct sr_cli *cli, const struct sr_am_filter *flt, const struct sr_matchers *m,
	 int cached, char **err)
{
	struct sr_feeds_opts o = { SR_FEEDS_ALERTS, flt, m != NULL && m->n > 0 ? m : NULL,
				   SR_FEEDS_CACHE_ON_FAILURE, 0 };
	struct sr_feeds *f;

	o.no_save = o.match != NULL || cli->ses->readonly;
	for (size_t i = 0; i < cli->ses->cfg->n_am; i++)
		if (!cli->ses->cfg->am[i].t.tls_verify)
			fprintf(cli->errf, "sitrep: warning: TLS verification is off for %s\n",
				cli->ses->cfg->am[i].name);
	f = sr_feeds_open(cli->ses->cfg, cached ? cache_store(cli) : NULL, NULL, cli->ses->now,
			  &o);
	if (sr_feeds_once(f, cli->ses->now, err) < 0) {
		sr_feeds_free(f);
		return NULL;
	}
	return f;
}

/*
 * Parses argv's options (opts) and its positional arguments as matchers into m (initialised
 * by the caller): SR_EXIT_OK, or SR_EXIT_USAGE after printing the usage error (cmd names the
 * command). *n_given: how many matchers were given.
 */
static int
parse_matchers(struct sr_cli *cli, const char *cmd, int argc, char **argv,
	       const struct sr_cli_opt *opts, struct sr_matchers *m, int *n_given)
{
	char **pos = sr_xcalloc((size_t)argc + 1, sizeof(*pos)), *err = NULL;
	int rc = SR_EXIT_OK;

	*n_given = 0;
	if (sr_cli_parse(cli, cmd, argc, argv, opts, pos, argc, n_given) != 0) {
		rc = SR_EXIT_USAGE;
	} else if (sr_matchers_parse_args(m, *n_given, pos, &err) < 0) {
		rc = sr_cli_usage(cli, cmd, "%s", err);
		free(err);
	}
	free(pos);
	return rc;
}

static int alerts_ack(struct sr_cli *cli, int argc, char **argv);
static int alerts_history(struct sr_cli *cli, int argc, char **argv);
static void ack_silences(struct sr_cli *cli, const struct sr_am_alerts *al,
			 struct sr_am_silences *out);

int
sr_cli_alerts(struct sr_cli *cli, int argc, char **argv)
{
	int json = 0, sil = 0, inh = 0, unp = 0, npos = 0, rc = SR_EXIT_OK;
	char *err = NULL;
	const struct sr_cli_opt opts[] = {
		{ "silenced", NULL, &sil }, { "inhibited", NULL, &inh },
		{ "unprocessed", NULL, &unp }, { "json", NULL, &json }, { NULL, NULL, NULL },
	};
	struct sr_matchers m;
	struct sr_am_filter all = { 1, 1, 1, 1 };
	struct sr_am_alerts *merged;
	struct stale_src *stale;
	size_t n = cli->ses->cfg->n_am, n_stale = 0;
	struct sr_feeds *f;

	if (argc > 1 && strcmp(argv[1], "ack") == 0)
		return alerts_ack(cli, argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "history") == 0)
		return alerts_history(cli, argc - 1, argv + 1);
	sr_matchers_init(&m);
	if (sr_cli_wants_help(argc, argv)) {
		fputs(alerts_help, cli->out);
		return SR_EXIT_OK;
	}
	if ((rc = parse_matchers(cli, "alerts", argc, argv, opts, &m, &npos)) != SR_EXIT_OK)
		return rc;
	if (n == 0) {
		if (cli->ses->cfg->n_prom == 0) {
			sr_matchers_done(&m);
			return sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup(
				"no [alertmanager NAME] or [prometheus] section in the config"));
		}
		rc = alerts_from_prom(cli, &m, json);
		sr_matchers_done(&m);
		return rc;
	}

	if ((f = sr_cli_am_feeds(cli, &all, &m, 1, &err)) == NULL)
		return sr_matchers_done(&m), sr_cli_fail(cli, SR_EXIT_FAIL, err);
	stale = sr_xcalloc(n, sizeof(*stale));
	for (size_t i = 0; i < f->n_am; i++) {
		const struct sr_feed_state *st = &f->am[i].st;

		if (st->last_err == NULL)
			continue;
		stale[n_stale].name = f->am[i].name;
		stale[n_stale].err = sr_xstrdup(st->last_err);
		stale[n_stale].fetched_at = st->cached ? st->last_ok : 0;
		n_stale++;
		rc = SR_EXIT_FAIL;
	}
	/* the engine's list, merged and sorted; nothing reads the engine after this command */
	merged = &f->alerts;
	for (size_t i = 0; i < n_stale; i++) {
		char age[32];

		if (stale[i].fetched_at != 0) {
			char ts[32];

			fprintf(cli->errf, "sitrep: STALE: alertmanager %s: showing data from %s "
				"(%s old)\n", stale[i].name,
				sr_time_format(stale[i].fetched_at, ts, sizeof(ts)),
				sr_age_format(cli->ses->now - stale[i].fetched_at, age,
						   sizeof(age)));
		}
		sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup(stale[i].err));
	}
	if (json) {
		alerts_json(cli, merged, stale, n_stale, sil, inh, unp);
	} else {
		for (size_t i = 0; i < n_stale; i++) {
			char age[32];

			if (stale[i].fetched_at != 0) {
				fprintf(cli->out, "STALE  %s: last good data %s old\n",
					stale[i].name, sr_age_format(cli->ses->now - stale[i].fetched_at,
									  age, sizeof(age)));
			} else {
				fprintf(cli->out, "STALE  %s: no data\n", stale[i].name);
			}
		}
		struct sr_am_silences silences = { NULL, 0 };

		if (sil)
			ack_silences(cli, merged, &silences);
		alerts_table(cli, merged, n > 1, sil, inh, unp, &silences);
		sr_am_silences_done(&silences);
	}
	for (size_t i = 0; i < n_stale; i++)
		free(stale[i].err);
	free(stale);
	sr_feeds_free(f);
	sr_matchers_done(&m);
	return rc;
}

/* --- sitrep silence --- */

static const char silence_help[] =
	"usage: sitrep silence add MATCHERS... --comment TEXT [--for DUR | --until TIME]\n"
	"                          [--start TIME] [--instance NAME|all]\n"
	"       sitrep silence list [--expired | --all] [--json] [--instance NAME|all]\n"
	"       sitrep silence expire ID [--instance NAME|all]\n"
	"       sitrep silence extend ID [--by DUR | --until TIME] [--instance NAME|all]\n"
	"       sitrep silence recreate ID [--for DUR] [--comment TEXT] [--instance NAME|all]\n"
	"\n"
	"add     creates a silence (author: [general] user) on every Alertmanager, or the one\n"
	"        named by --instance; prints its ID. --for defaults to 1h. Matchers as in\n"
	"        amtool (a bare first word means alertname=WORD). --start TIME (RFC 3339)\n"
	"        makes a maintenance window: pending until TIME, --for counted from it.\n"
	"list    shows active and pending silences with their state (--expired: the recently\n"
	"        expired ones the Alertmanager keeps; --all: all three). An Alertmanager that\n"
	"        cannot be asked is named (\"Alertmanager NAME unreachable\"), exit status 1.\n"
	"expire  ends silence ID now.\n"
	"extend  moves the end of active or pending silence ID later: --by DUR (default 1h)\n"
	"        or --until TIME. Prints the ID (a new one when the Alertmanager made one).\n"
	"recreate  a new silence with the matchers of expired silence ID, from now, for --for\n"
	"        DUR (default 1h), comment as before or --comment, created by you.\n";

static int
pick_instances(struct sr_cli *cli, const char *inst, size_t *first, size_t *last)
{
	if (cli->ses->cfg->n_am == 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL,
				   sr_xstrdup("no [alertmanager NAME] section in the config")), -1;
	*first = 0;
	*last = cli->ses->cfg->n_am;
	if (inst == NULL || strcmp(inst, "all") == 0)
		return 0;
	for (size_t i = 0; i < cli->ses->cfg->n_am; i++)
		if (strcmp(cli->ses->cfg->am[i].name, inst) == 0) {
			*first = i;
			*last = i + 1;
			return 0;
		}
	sr_cli_usage(cli, "silence", "no [alertmanager %s] in the config", inst);
	return -1;
}

static int
silence_add(struct sr_cli *cli, int argc, char **argv)
{
	const char *dur_s = NULL, *until_s = NULL, *comment = NULL, *inst = NULL, *start_s = NULL;
	char *err = NULL;
	int npos = 0, rc = SR_EXIT_OK;
	const struct sr_cli_opt opts[] = {
		{ "for", &dur_s, NULL }, { "until", &until_s, NULL }, { "start", &start_s, NULL },
		{ "comment", &comment, NULL }, { "instance", &inst, NULL },
		{ NULL, NULL, NULL },
	};
	struct sr_matchers m;
	int64_t dur = 3600;
	sr_time start = cli->ses->now, end;
	size_t a, b;
	struct sr_feed_job *jobs;
	char *body;

	sr_matchers_init(&m);
	if ((rc = parse_matchers(cli, "silence add", argc, argv, opts, &m, &npos)) != SR_EXIT_OK)
		return rc;
	if (npos == 0) {
		sr_matchers_done(&m);
		return sr_cli_usage(cli, "silence add", "needs at least one matcher");
	}
	if (comment == NULL || *comment == '\0') {
		sr_matchers_done(&m);
		return sr_cli_usage(cli, "silence add", "needs --comment TEXT");
	}
	if (dur_s != NULL && until_s != NULL) {
		sr_matchers_done(&m);
		return sr_cli_usage(cli, "silence add", "give --for or --until, not both");
	}
	if (dur_s != NULL && (sr_duration_parse(dur_s, &dur, &err) < 0 || dur <= 0)) {
		free(err);
		sr_matchers_done(&m);
		return sr_cli_usage(cli, "silence add", "bad --for \"%s\" (e.g. 2h)", dur_s);
	}
	if (start_s != NULL && (sr_time_parse(start_s, &start, &err) < 0 ||
				start < cli->ses->now)) {
		free(err);
		sr_matchers_done(&m);
		return sr_cli_usage(cli, "silence add", "bad --start \"%s\" (an RFC 3339 time, "
				    "not in the past)", start_s);
	}
	end = start + dur;
	if (until_s != NULL && (sr_time_parse(until_s, &end, &err) < 0 || end <= start)) {
		free(err);
		sr_matchers_done(&m);
		return sr_cli_usage(cli, "silence add", "bad --until \"%s\" (an RFC 3339 time "
				    "after the start)", until_s);
	}
	if (cli->ses->readonly) {
		sr_matchers_done(&m);
		return sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup("--readonly: not adding a silence"));
	}
	if (pick_instances(cli, inst, &a, &b) < 0) {
		sr_matchers_done(&m);
		return inst != NULL ? SR_EXIT_USAGE : SR_EXIT_FAIL;
	}
	body = sr_am_silence_json(&m, start, end, cli->ses->actor, comment, NULL);
	jobs = sr_xcalloc(b - a, sizeof(*jobs));
	for (size_t i = a; i < b; i++) {
		struct sr_feed_job *j = &jobs[i - a];

		j->name = cli->ses->cfg->am[i].name;
		j->t = &cli->ses->cfg->am[i].t;
		j->method = "POST";
		j->url = sr_am_silences_url(cli->ses->cfg->am[i].t.url);
		j->body = sr_xstrdup(body);
	}
	free(body);
	if (run_jobs(cli, jobs, b - a) < 0) {
		rc = SR_EXIT_FAIL;
	} else {
		for (size_t i = 0; i < b - a; i++) {
			char *id = NULL, *safe = sr_http_redact(jobs[i].url);

			if (job_failed(cli, &jobs[i], &rc)) {
				/* reported */
			} else if (sr_am_parse_silence_id(jobs[i].resp, jobs[i].len,
							  jobs[i].status, safe, &id, &err) < 0) {
				sr_cli_fail(cli, SR_EXIT_FAIL, err);
				err = NULL;	/* freed: the next instance's error is its own */
				rc = SR_EXIT_FAIL;
			} else {
				sr_cli_put(cli, id);
				if (b - a > 1) {
					fputs("  ", cli->out);
					sr_cli_put(cli, jobs[i].name);
				}
				fputc('\n', cli->out);
			}
			free(id);
			free(safe);
		}
	}
	sr_feed_jobs_free(jobs, b - a);
	sr_matchers_done(&m);
	return rc;
}

static int
cmp_silence_end(const void *x, const void *y)
{
	const struct sr_am_silence *a = x, *b = y;

	if (a->ends_at != b->ends_at)
		return a->ends_at < b->ends_at ? -1 : 1;
	return strcmp(a->id, b->id);
}

/*
 * Like job_failed for an Alertmanager: a job that got no answer is reported as
 * "Alertmanager NAME unreachable: ..." (so nobody reads an empty list as "no silences").
 */
static int
am_job_failed(struct sr_cli *cli, struct sr_feed_job *j, int *rc)
{
	if (j->err == NULL)
		return 0;
	sr_cli_fail(cli, SR_EXIT_FAIL, sr_xasprintf("Alertmanager %s unreachable: %s", j->name,
						    j->err));
	*rc = SR_EXIT_FAIL;
	return 1;
}

/* Jobs for instances [a, b): method on url_of(base, id) (id may be NULL), body copied. */
static struct sr_feed_job *
am_jobs(struct sr_cli *cli, size_t a, size_t b, const char *method, const char *id,
	const char *body)
{
	struct sr_feed_job *jobs = sr_xcalloc(b - a, sizeof(*jobs));

	for (size_t i = a; i < b; i++) {
		struct sr_feed_job *j = &jobs[i - a];

		j->name = cli->ses->cfg->am[i].name;
		j->t = &cli->ses->cfg->am[i].t;
		j->method = method;
		j->url = id != NULL ? sr_am_silence_url(cli->ses->cfg->am[i].t.url, id)
				    : sr_am_silences_url(cli->ses->cfg->am[i].t.url);
		j->body = body != NULL ? sr_xstrdup(body) : NULL;
	}
	return jobs;
}

static void
silence_json(struct sr_buf *js, const struct sr_am_silence *x, const char *state,
	     const char *inst)
{
	sr_buf_adds(js, "{\"id\":");
	sr_json_str(js, x->id);
	sr_json_field(js, "state", state);
	sr_buf_adds(js, ",\"matchers\":[");
	for (size_t q = 0; q < x->matchers.n; q++) {
		struct sr_buf one;

		sr_buf_init(&one);
		sr_matcher_format(&one, &x->matchers.v[q]);
		if (q)
			sr_buf_addc(js, ',');
		sr_json_str(js, one.data);
		sr_buf_done(&one);
	}
	sr_buf_adds(js, "],\"starts_at\":");
	json_time(js, x->starts_at);
	sr_buf_adds(js, ",\"ends_at\":");
	json_time(js, x->ends_at);
	sr_json_field(js, "created_by", x->created_by);
	sr_json_field(js, "comment", x->comment);
	sr_json_field(js, "instance", inst);
	sr_buf_addc(js, '}');
}

/* "in 1h59m", "3m ago": when a silence starts or ends, seen from now. */
static const char *
silence_when(sr_time t, sr_time now, char *buf, size_t n)
{
	char d[24];

	sr_duration_format(t > now ? t - now : now - t, d, sizeof(d));
	snprintf(buf, n, t > now ? "in %s" : "%s ago", d);
	return buf;
}

static int
silence_list(struct sr_cli *cli, int argc, char **argv)
{
	int expired = 0, all = 0, json = 0, npos = 0, rc = SR_EXIT_OK, first = 1;
	size_t answered = 0;
	const char *inst = NULL;
	char *pos[1];
	const struct sr_cli_opt opts[] = {
		{ "expired", NULL, &expired }, { "all", NULL, &all }, { "json", NULL, &json },
		{ "instance", &inst, NULL }, { NULL, NULL, NULL },
	};
	static const char *const head[] = { "ID", "STATE", "WHEN", "MATCHERS", "CREATED BY",
					    "COMMENT", "INSTANCE" };
	static const unsigned char silence_drop[] = { 0, 0, 0, 0, 2, 0, 1 };
	size_t a, b;
	struct sr_feed_job *jobs;
	struct table t;
	struct sr_buf js;

	if (sr_cli_parse(cli, "silence list", argc, argv, opts, pos, 0, &npos) != 0)
		return SR_EXIT_USAGE;
	if (expired && all)
		return sr_cli_usage(cli, "silence list", "give --expired or --all, not both");
	if (pick_instances(cli, inst, &a, &b) < 0)
		return inst != NULL ? SR_EXIT_USAGE : SR_EXIT_FAIL;
	jobs = am_jobs(cli, a, b, NULL, NULL, NULL);
	if (run_jobs(cli, jobs, b - a) < 0) {
		sr_feed_jobs_free(jobs, b - a);
		return SR_EXIT_FAIL;
	}
	table_init(&t, b - a > 1 ? 7 : 6, head);
	t.maxw[3] = 60;
	t.maxw[5] = 50;
	t.drop = silence_drop;
	sr_buf_init(&js);
	sr_buf_adds(&js, "{\"silences\":[");
	for (size_t i = 0; i < b - a; i++) {
		struct sr_am_silences s;
		char *err = NULL, *safe = sr_http_redact(jobs[i].url);

		if (am_job_failed(cli, &jobs[i], &rc)) {
			free(safe);
			continue;
		}
		if (sr_am_parse_silences(jobs[i].resp, jobs[i].len, jobs[i].status, safe, &s,
					 &err) < 0) {
			sr_cli_fail(cli, SR_EXIT_FAIL, err);
			err = NULL;	/* freed: the next instance's error is its own */
			rc = SR_EXIT_FAIL;
		} else {
			answered++;
		}
		free(safe);
		if (s.n > 1)
			qsort(s.v, s.n, sizeof(*s.v), cmp_silence_end);
		for (size_t k = 0; k < s.n; k++) {
			const struct sr_am_silence *x = &s.v[k];
			const char *state = sr_am_silence_state(x, cli->ses->now);
			int is_expired = strcmp(state, "expired") == 0;
			struct sr_buf mb;
			char when[40], st[64];

			if (!all && is_expired != expired)
				continue;
			sr_buf_init(&mb);
			for (size_t q = 0; q < x->matchers.n; q++) {
				if (q)
					sr_buf_addc(&mb, ' ');
				sr_matcher_format(&mb, &x->matchers.v[q]);
			}
			if (strcmp(state, "pending") == 0)
				snprintf(st, sizeof(st), "starts %s",
					 silence_when(x->starts_at, cli->ses->now, when, sizeof(when)));
			else
				snprintf(st, sizeof(st), "%s %s", is_expired ? "ended" : "ends",
					 silence_when(x->ends_at, cli->ses->now, when, sizeof(when)));
			{
				const char *row[] = { x->id, state, st, mb.data, x->created_by,
						      x->comment, jobs[i].name };

				table_row(&t, row);
			}
			sr_buf_adds(&js, first ? "\n" : ",\n");
			first = 0;
			silence_json(&js, x, state, jobs[i].name);
			sr_buf_done(&mb);
		}
		sr_am_silences_done(&s);
	}
	sr_buf_adds(&js, "]}\n");
	if (answered == 0) {
		/* nothing was learnt: an empty list would read as "no silences" */
		rc = SR_EXIT_FAIL;
	} else if (json) {
		put_buf(cli, &js);
	} else if (t.nrow == 1) {
		fputs(expired ? "(no expired silences)\n" : all ? "(no silences at all)\n"
			: "(no active or pending silences)\n", cli->out);
	} else {
		table_print(cli, &t);
	}
	sr_buf_done(&js);
	table_done(&t);
	sr_feed_jobs_free(jobs, b - a);
	return rc;
}

/*
 * Finds silence id on the instances [a, b) (GET /api/v2/silence/ID): fills s and *which (the
 * instance that has it). Returns 0, or an exit status after reporting why not.
 */
static int
silence_fetch(struct sr_cli *cli, size_t a, size_t b, const char *id, struct sr_am_silence *s,
	      size_t *which)
{
	struct sr_feed_job *jobs = am_jobs(cli, a, b, NULL, id, NULL);
	struct sr_buf errs;
	int rc = SR_EXIT_FAIL;

	memset(s, 0, sizeof(*s));
	if (run_jobs(cli, jobs, b - a) < 0) {
		sr_feed_jobs_free(jobs, b - a);
		return SR_EXIT_FAIL;
	}
	sr_buf_init(&errs);
	for (size_t i = 0; i < b - a && rc != SR_EXIT_OK; i++) {
		char *err = NULL, *safe = sr_http_redact(jobs[i].url);

		if (jobs[i].err != NULL)
			sr_buf_printf(&errs, "%sAlertmanager %s unreachable: %s",
				      errs.len ? "; " : "", jobs[i].name, jobs[i].err);
		else if (sr_am_parse_silence(jobs[i].resp, jobs[i].len, jobs[i].status, safe, s,
					     &err) == 0) {
			*which = a + i;
			rc = SR_EXIT_OK;
		} else
			sr_buf_printf(&errs, "%s%s", errs.len ? "; " : "", err);
		free(err);
		free(safe);
	}
	if (rc != SR_EXIT_OK)
		sr_cli_fail(cli, SR_EXIT_FAIL, sr_buf_steal(&errs));
	sr_buf_done(&errs);
	sr_feed_jobs_free(jobs, b - a);
	return rc;
}

/* POSTs body to instance k; prints "WHAT ID ..." with the ID the Alertmanager gave back. */
static int
silence_post(struct sr_cli *cli, size_t k, const char *body, const char *what, sr_time end)
{
	struct sr_feed_job *jobs = am_jobs(cli, k, k + 1, "POST", NULL, body);
	int rc = SR_EXIT_OK;
	char *id = NULL, *err = NULL, *safe = sr_http_redact(jobs[0].url);
	char ends[32], when[40];

	if (run_jobs(cli, jobs, 1) < 0) {
		rc = SR_EXIT_FAIL;
	} else if (am_job_failed(cli, &jobs[0], &rc)) {
		/* reported */
	} else if (sr_am_parse_silence_id(jobs[0].resp, jobs[0].len, jobs[0].status, safe, &id,
					  &err) < 0) {
		rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
	} else {
		fputs(what, cli->out);
		sr_cli_put(cli, id);
		fprintf(cli->out, " until %s (%s)\n", sr_time_format(end, ends, sizeof(ends)),
			silence_when(end, cli->ses->now, when, sizeof(when)));
	}
	free(id);
	free(safe);
	sr_feed_jobs_free(jobs, 1);
	return rc;
}

/*
 * `silence extend ID [--by DUR | --until TIME]`: a later end for an active or pending
 * silence (the Alertmanager keeps the ID when it can, else gives a new one, printed).
 * `silence recreate ID [--for DUR] [--comment TEXT]`: a new silence with the matchers of an
 * expired one, from now, for --for (default 1h, as `silence add`: an expired silence's own
 * span says nothing when it was expired early).
 */
static int
silence_change(struct sr_cli *cli, int argc, char **argv, int recreate)
{
	const char *cmd = recreate ? "silence recreate" : "silence extend";
	const char *by_s = NULL, *until_s = NULL, *comment = NULL, *inst = NULL;
	char *pos[1], *err = NULL, *body = NULL;
	int npos = 0, rc;
	const struct sr_cli_opt ext_opts[] = {
		{ "by", &by_s, NULL }, { "until", &until_s, NULL }, { "instance", &inst, NULL },
		{ NULL, NULL, NULL },
	};
	const struct sr_cli_opt rec_opts[] = {
		{ "for", &by_s, NULL }, { "comment", &comment, NULL },
		{ "instance", &inst, NULL }, { NULL, NULL, NULL },
	};
	struct sr_am_silence s;
	int64_t dur = 3600;
	sr_time end = 0;
	size_t a, b, k;

	if (sr_cli_parse(cli, cmd, argc, argv, recreate ? rec_opts : ext_opts, pos, 1, &npos) != 0)
		return SR_EXIT_USAGE;
	if (npos != 1 || pos[0][0] == '\0')
		return sr_cli_usage(cli, cmd, "needs one silence ID");
	if (by_s != NULL && until_s != NULL)
		return sr_cli_usage(cli, cmd, "give --by or --until, not both");
	if (by_s != NULL && (sr_duration_parse(by_s, &dur, &err) < 0 || dur <= 0)) {
		free(err);
		return sr_cli_usage(cli, cmd, "bad --%s \"%s\" (e.g. 2h)", recreate ? "for" : "by",
				    by_s);
	}
	if (until_s != NULL && (sr_time_parse(until_s, &end, &err) < 0 || end <= cli->ses->now)) {
		free(err);
		return sr_cli_usage(cli, cmd, "bad --until \"%s\" (an RFC 3339 time in the future)",
				    until_s);
	}
	if (cli->ses->readonly)
		return sr_cli_fail(cli, SR_EXIT_FAIL,
				   sr_xasprintf("--readonly: not changing a silence"));
	if (pick_instances(cli, inst, &a, &b) < 0)
		return inst != NULL ? SR_EXIT_USAGE : SR_EXIT_FAIL;
	if ((rc = silence_fetch(cli, a, b, pos[0], &s, &k)) != SR_EXIT_OK)
		return rc;
	if (recreate) {
		end = cli->ses->now + dur;
		if (sr_am_silence_recreate_json(&s, cli->ses->now, dur, cli->ses->cfg->user, comment,
						&body, &err) != 0) {
			rc = sr_cli_fail(cli, SR_EXIT_FAIL, sr_xasprintf("%s (sitrep silence extend)",
									 err));
		} else {
			rc = silence_post(cli, k, body, "created ", end);
		}
	} else if (sr_am_silence_extend_json(&s, cli->ses->now, dur, until_s ? end : 0, &body,
					     &err) != 0) {
		rc = strcmp(sr_am_silence_state(&s, cli->ses->now), "expired") == 0 ?
			     sr_cli_fail(cli, SR_EXIT_FAIL,
					 sr_xasprintf("%s (sitrep silence recreate)", err)) :
			     sr_cli_usage(cli, cmd, "--until is not later than the silence's end");
	} else {
		if (until_s == NULL)
			end = (s.ends_at > cli->ses->now ? s.ends_at : cli->ses->now) + dur;
		rc = silence_post(cli, k, body, "extended ", end);
	}
	free(body);
	free(err);
	sr_am_silence_done(&s);
	return rc;
}

static int
silence_expire(struct sr_cli *cli, int argc, char **argv)
{
	const char *inst = NULL;
	char *pos[1];
	int npos = 0, ok = 0;
	const struct sr_cli_opt opts[] = { { "instance", &inst, NULL }, { NULL, NULL, NULL } };
	size_t a, b;
	struct sr_feed_job *jobs;
	struct sr_buf errs;

	if (sr_cli_parse(cli, "silence expire", argc, argv, opts, pos, 1, &npos) != 0)
		return SR_EXIT_USAGE;
	if (npos != 1 || pos[0][0] == '\0')
		return sr_cli_usage(cli, "silence expire", "needs one silence ID");
	if (cli->ses->readonly)
		return sr_cli_fail(cli, SR_EXIT_FAIL,
				   sr_xstrdup("--readonly: not expiring a silence"));
	if (pick_instances(cli, inst, &a, &b) < 0)
		return inst != NULL ? SR_EXIT_USAGE : SR_EXIT_FAIL;
	jobs = am_jobs(cli, a, b, "DELETE", pos[0], NULL);
	if (run_jobs(cli, jobs, b - a) < 0) {
		sr_feed_jobs_free(jobs, b - a);
		return SR_EXIT_FAIL;
	}
	/* The silence lives on some instances only: success on any one is success. */
	sr_buf_init(&errs);
	for (size_t i = 0; i < b - a; i++) {
		char *err = NULL, *safe = sr_http_redact(jobs[i].url);

		if (jobs[i].err == NULL &&
		    sr_am_check_status(jobs[i].resp, jobs[i].len, jobs[i].status, safe, &err) == 0)
			ok++;
		else if (jobs[i].err != NULL)
			sr_buf_printf(&errs, "%sAlertmanager %s unreachable: %s",
				      errs.len ? "; " : "", jobs[i].name, jobs[i].err);
		else
			sr_buf_printf(&errs, "%s%s", errs.len ? "; " : "", err);
		free(err);
		free(safe);
	}
	if (ok == 0)
		sr_cli_fail(cli, SR_EXIT_FAIL, sr_buf_steal(&errs));
	else {
		fputs("expired ", cli->out);
		sr_cli_put(cli, pos[0]);
		fputc('\n', cli->out);
	}
	sr_buf_done(&errs);
	sr_feed_jobs_free(jobs, b - a);
	return ok > 0 ? SR_EXIT_OK : SR_EXIT_FAIL;
}

int
sr_cli_silence(struct sr_cli *cli, int argc, char **argv)
{
	if (argc < 2 || sr_cli_wants_help(argc, argv)) {
		fputs(silence_help, argc < 2 ? cli->errf : cli->out);
		return argc < 2 ? SR_EXIT_USAGE : SR_EXIT_OK;
	}
	if (strcmp(argv[1], "add") == 0)
		return silence_add(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "query") == 0)
		return silence_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "expire") == 0)
		return silence_expire(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "extend") == 0)
		return silence_change(cli, argc - 1, argv + 1, 0);
	if (strcmp(argv[1], "recreate") == 0)
		return silence_change(cli, argc - 1, argv + 1, 1);
	return sr_cli_usage(cli, "silence", "unknown subcommand \"%s\" (add, list, expire, "
			    "extend, recreate)", argv[1]);
}

/* --- sitrep check --- */

static const char check_help[] =
	"usage: sitrep check [--json]\n"
	"\n"
	"Runs every [check NAME] health check at once: an HTTP GET of its url, passing when the\n"
	"status is the expected one (default 200) within its timeout. Prints status and latency\n"
	"of each; the exit status is 1 when any check fails.\n"
	"With [feeds] watchdog, it also asks every Alertmanager for that always-firing alert and\n"
	"fails with \"ALERTING PIPELINE: NAME absent for ...\" once it has been missing longer\n"
	"than watchdog_grace (the last sighting is kept in the store).\n"
	"\n"
	"  --json  print {\"checks\":[{\"name\",\"url\",\"ok\",\"status\",\"expected\",\"latency_ms\","
	"\"error\"}]}\n"
	"          then {\"watchdog\":{\"alert\",\"ok\",\"absent_seconds\",\"error\"}} with a watchdog\n";

static int check_with_watchdog(struct sr_cli *cli, int json);

/* The [check] sections: a table or JSON, exit 1 when one failed. */
static int
run_checks(struct sr_cli *cli, int json)
{
	int failed = 0;
	static const char *const head[] = { "CHECK", "RESULT", "STATUS", "LATENCY", "DETAIL" };
	static const unsigned char check_drop[] = { 0, 0, 1, 0, 0 };
	size_t n = cli->ses->cfg->n_checks;
	struct sr_feed_job *jobs;
	struct table t;
	struct sr_buf js;

	if (n == 0) {
		if (json)
			fputs("{\"checks\":[]}\n", cli->out);
		else
			fputs("(no [check NAME] sections in the config)\n", cli->out);
		return SR_EXIT_OK;
	}
	jobs = sr_xcalloc(n, sizeof(*jobs));
	for (size_t i = 0; i < n; i++) {
		jobs[i].name = cli->ses->cfg->checks[i].name;
		jobs[i].t = &cli->ses->cfg->checks[i].t;
		jobs[i].url = sr_xstrdup(cli->ses->cfg->checks[i].t.url);
	}
	if (run_jobs(cli, jobs, n) < 0) {
		sr_feed_jobs_free(jobs, n);
		return SR_EXIT_FAIL;
	}
	table_init(&t, 5, head);
	t.maxw[4] = 70;
	t.drop = check_drop;
	sr_buf_init(&js);
	sr_buf_adds(&js, "{\"checks\":[");
	for (size_t i = 0; i < n; i++) {
		const struct sr_check *c = &cli->ses->cfg->checks[i];
		long expect = c->expect_status > 0 ? c->expect_status : 200;
		int ok = jobs[i].err == NULL && jobs[i].status == expect;
		char status[16] = "-", lat[32], *detail, *safe = sr_http_redact(c->t.url);

		if (jobs[i].err == NULL)
			snprintf(status, sizeof(status), "%ld", jobs[i].status);
		snprintf(lat, sizeof(lat), "%.0f ms", jobs[i].seconds * 1000);
		if (jobs[i].err != NULL)
			detail = sr_xstrdup(jobs[i].err);
		else if (!ok)
			detail = sr_xasprintf("expected HTTP %ld from %s", expect, safe);
		else
			detail = sr_xstrdup(safe);
		failed += !ok;
		{
			const char *row[] = { c->name, ok ? "ok" : "FAIL", status, lat, detail };

			table_row(&t, row);
		}
		sr_buf_adds(&js, i ? ",\n{\"name\":" : "\n{\"name\":");
		sr_json_str(&js, c->name);
		sr_json_field(&js, "url", safe);
		sr_buf_printf(&js, ",\"ok\":%s,\"status\":%ld,\"expected\":%ld,\"latency_ms\":",
			      ok ? "true" : "false", jobs[i].status, expect);
		sr_json_num(&js, jobs[i].seconds * 1000, 1);
		sr_buf_adds(&js, ",\"error\":");
		sr_json_str(&js, ok ? NULL : detail);
		sr_buf_addc(&js, '}');
		free(detail);
		free(safe);
	}
	sr_buf_adds(&js, "]}\n");
	if (json)
		put_buf(cli, &js);
	else
		table_print(cli, &t);
	sr_buf_done(&js);
	table_done(&t);
	sr_feed_jobs_free(jobs, n);
	return failed ? SR_EXIT_FAIL : SR_EXIT_OK;
}

int
sr_cli_check(struct sr_cli *cli, int argc, char **argv)
{
	int json = 0, npos = 0, rc;
	char *pos[1];
	const struct sr_cli_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };

	if ((rc = sr_cli_args(cli, "check", check_help, argc, argv, opts, pos, 0, &npos)) >= 0)
		return rc;
	if (sr_watchdog_name(cli->ses->cfg) != NULL)
		return check_with_watchdog(cli, json);
	return run_checks(cli, json);
}

/* --- acknowledgements as silences (issue 16): sitrep alerts ack, incident ack/resolve/tick --- */

/*
 * GETs url_of(base) from every Alertmanager: the jobs (freed by the caller with
 * sr_feed_jobs_free(jobs, n_am)), or NULL (reported, *rc set) when libcurl failed.
 */
static struct sr_feed_job *
am_get_all(struct sr_cli *cli, char *(*url_of)(const struct sr_cli *, size_t, const void *),
	   const void *arg, int *rc)
{
	size_t n = cli->ses->cfg->n_am;
	struct sr_feed_job *jobs = sr_xcalloc(n ? n : 1, sizeof(*jobs));

	for (size_t i = 0; i < n; i++) {
		jobs[i].name = cli->ses->cfg->am[i].name;
		jobs[i].t = &cli->ses->cfg->am[i].t;
		jobs[i].url = url_of(cli, i, arg);
	}
	if (run_jobs(cli, jobs, n) < 0) {
		*rc = SR_EXIT_FAIL;
		sr_feed_jobs_free(jobs, n);
		return NULL;
	}
	return jobs;
}

static char *
every_alert_url(const struct sr_cli *cli, size_t i, const void *m)
{
	const struct sr_am_filter all = { 1, 1, 1, 1 };

	return sr_am_alerts_url(cli->ses->cfg->am[i].t.url, &all, m);
}

static char *
silences_url(const struct sr_cli *cli, size_t i, const void *unused)
{
	(void)unused;
	return sr_am_silences_url(cli->ses->cfg->am[i].t.url);
}

/*
 * Parses job j's answer into al (alerts) or sil (silences), whichever is not NULL: 0, or -1
 * after reporting why not (*rc set; the output is empty).
 */
static int
job_read(struct sr_cli *cli, struct sr_feed_job *j, struct sr_am_alerts *al,
	 struct sr_am_silences *sil, int *rc)
{
	char *safe, *err = NULL;
	int r;

	if (al != NULL)
		memset(al, 0, sizeof(*al));
	else if (sil != NULL)
		memset(sil, 0, sizeof(*sil));
	if (am_job_failed(cli, j, rc))
		return -1;
	safe = sr_http_redact(j->url);
	r = al != NULL ? sr_am_parse_alerts(j->resp, j->len, j->status, safe, al, &err) :
			 sr_am_parse_silences(j->resp, j->len, j->status, safe, sil, &err);
	free(safe);
	if (r < 0) {
		*rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
		if (al != NULL)
			sr_am_alerts_done(al);
		else
			sr_am_silences_done(sil);
	}
	return r;
}

/* Sends one request (method, to silence id or the silences) to Alertmanager k; 0 or -1. */
static int
am_call(struct sr_cli *cli, size_t k, const char *method, const char *id, const char *body,
	char **new_id, int *rc)
{
	struct sr_feed_job *j = am_jobs(cli, k, k + 1, method, id, body);
	char *safe = sr_http_redact(j->url), *err = NULL;
	int r = -1;

	if (run_jobs(cli, j, 1) < 0 || am_job_failed(cli, j, rc)) {
		*rc = SR_EXIT_FAIL;
	} else if (new_id != NULL ?
		   sr_am_parse_silence_id(j->resp, j->len, j->status, safe, new_id, &err) :
		   sr_am_check_status(j->resp, j->len, j->status, safe, &err)) {
		*rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
	} else {
		r = 0;
	}
	free(safe);
	sr_feed_jobs_free(j, 1);
	return r;
}

static int
has_fp(char *const *fps, size_t n, const char *fp)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fps[i], fp) == 0)
			return 1;
	return 0;
}

/*
 * Acknowledges every active, unsilenced alert matching m (and, when fps is set, one of those
 * n_fps fingerprints) on each Alertmanager that has it: a silence on its exact labels for
 * [feeds] ack_for, created by the user, commented by [feeds] ack_comment. Prints one line a
 * silence unless quiet; *n_acked counts them. Returns an exit status.
 */
static int
ack_alerts(struct sr_cli *cli, const struct sr_matchers *m, char *const *fps, size_t n_fps,
	   const char *incident, int quiet, int *n_acked)
{
	/* only alerts nobody has silenced yet: an acknowledged alert is not acknowledged again */
	const struct sr_am_filter unsilenced = { 1, 0, 0, 0 };
	int rc = SR_EXIT_OK;
	char *err = NULL, *comment = sr_ack_comment(cli->ses->cfg->ack_comment, incident,
						    cli->ses->actor);
	struct sr_feeds *f = sr_cli_am_feeds(cli, &unsilenced, m, 0, &err);
	sr_time end = cli->ses->now + cli->ses->cfg->ack_for;

	*n_acked = 0;
	if (f == NULL)
		rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
	for (size_t i = 0; f != NULL && i < f->n_am; i++)
		if (f->am[i].st.last_err != NULL)
			rc = sr_cli_fail(cli, SR_EXIT_FAIL, sr_xasprintf(
				"Alertmanager %s unreachable: %s", f->am[i].name, f->am[i].st.last_err));
	for (size_t k = 0; f != NULL && k < f->alerts.n; k++) {
		const struct sr_am_alert *a = &f->alerts.v[k];
		struct sr_matchers exact;
		char *body;

		if (fps != NULL && !has_fp(fps, n_fps, a->fingerprint))
			continue;
		sr_matchers_init(&exact);
		sr_am_matchers_from_labels(&exact, a->labels, a->n_labels);
		body = sr_am_silence_json(&exact, cli->ses->now, end, cli->ses->actor, comment, NULL);
		/* on each Alertmanager whose answer listed it */
		for (size_t i = 0; i < f->n_am; i++) {
			char *id = NULL;

			if (!(a->feed.seen & f->am[i].bit) ||
			    am_call(cli, i, "POST", NULL, body, &id, &rc) != 0)
				continue;
			(*n_acked)++;
			if (!quiet) {
				fputs("acked ", cli->out);
				sr_cli_put(cli, sr_label_get(a->labels, a->n_labels, "alertname"));
				fputs(" (", cli->out);
				sr_cli_put(cli, a->fingerprint);
				fputs(") on ", cli->out);
				sr_cli_put(cli, f->am[i].name);
				fputs(": silence ", cli->out);
				sr_cli_put(cli, id);
				fputc('\n', cli->out);
			}
			free(id);
		}
		free(body);
		sr_matchers_done(&exact);
	}
	sr_feeds_free(f);
	free(comment);
	return rc;
}

static const char ack_help[] =
	"usage: sitrep alerts ack MATCHERS... [--incident ID]\n"
	"\n"
	"Acknowledges the active alerts matching MATCHERS the way karma does: a silence on each\n"
	"alert's exact labels, created by you, commented \"ACK! INC-2026-005 by alice\" ([feeds]\n"
	"ack_comment), for [feeds] ack_for (15m). With --incident, `sitrep incident tick` keeps\n"
	"it while that incident is open and the alert fires, and resolving the incident ends it.\n"
	"Already silenced alerts are left alone. Exit status 1 when nothing was acknowledged.\n";

static int
alerts_ack(struct sr_cli *cli, int argc, char **argv)
{
	const char *incident = NULL;
	char **pos = sr_xcalloc((size_t)argc + 1, sizeof(*pos)), *err = NULL;
	int npos = 0, rc, n = 0;
	const struct sr_cli_opt opts[] = { { "incident", &incident, NULL }, { NULL, NULL, NULL } };
	struct sr_matchers m;

	sr_matchers_init(&m);
	if (sr_cli_wants_help(argc, argv)) {
		free(pos);
		fputs(ack_help, cli->out);
		return SR_EXIT_OK;
	}
	if (sr_cli_parse(cli, "alerts ack", argc, argv, opts, pos, argc, &npos) != 0) {
		free(pos);
		return SR_EXIT_USAGE;
	}
	if (npos == 0 || sr_matchers_parse_args(&m, npos, pos, &err) < 0) {
		free(pos);
		rc = sr_cli_usage(cli, "alerts ack", "%s", err ? err : "needs at least one matcher");
		free(err);
		sr_matchers_done(&m);
		return rc;
	}
	free(pos);
	if (cli->ses->readonly || cli->ses->cfg->n_am == 0) {
		sr_matchers_done(&m);
		return sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup(cli->ses->readonly ?
			"--readonly: not acknowledging" : "no [alertmanager NAME] section in the config"));
	}
	rc = ack_alerts(cli, &m, NULL, 0, incident, 0, &n);
	sr_matchers_done(&m);
	if (rc == SR_EXIT_OK && n == 0)
		rc = sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup("no active, unsilenced alert matches: "
				 "nothing acknowledged"));
	return rc;
}

/* The store's answer for sr_ack_plan: open 1, over 0, unknown (or only, not it) -1. */
struct ack_ask {
	struct sr_store *st;
	const char *only;
};

static int
ack_incident_open(void *arg, const char *id)
{
	struct ack_ask *x = arg;
	struct sr_incident inc;
	char *e = NULL;
	int open = -1;

	if (x->only != NULL && strcmp(x->only, id) != 0)
		return -1;
	sr_incident_init(&inc);
	if (x->st->ops->get(x->st, id, &inc, &e) == 0)
		open = sr_incident_is_open(&inc);
	free(e);	/* an incident this store does not know: not ours to touch */
	sr_incident_done(&inc);
	return open;
}

int
sr_cli_ack_sync(struct sr_cli *cli, struct sr_store *st, const char *only, int quiet)
{
	const struct sr_config *cfg = cli->ses->cfg;
	sr_time now = cli->ses->now, end = now + cfg->ack_for;
	int rc = SR_EXIT_OK;
	struct sr_feed_job *sj, *aj;
	struct ack_ask ask = { st, only };

	if (cfg->n_am == 0 || cli->ses->readonly)
		return SR_EXIT_OK;
	sj = am_get_all(cli, silences_url, NULL, &rc);
	aj = am_get_all(cli, every_alert_url, NULL, &rc);
	for (size_t i = 0; sj != NULL && aj != NULL && i < cfg->n_am; i++) {
		struct sr_am_silences sil;
		struct sr_am_alerts al;
		struct sr_ack_plan_item *plan;
		size_t n;

		if (job_read(cli, &sj[i], NULL, &sil, &rc) < 0)
			continue;
		if (job_read(cli, &aj[i], &al, NULL, &rc) < 0) {
			sr_am_silences_done(&sil);
			continue;
		}
		n = sr_ack_plan(&sil, &al, cfg->ack_comment, ack_incident_open, &ask, now,
				cfg->ack_for, &plan);
		for (size_t k = 0; k < n; k++) {
			const struct sr_am_silence *s = &sil.v[plan[k].silence];
			char *id = NULL, *body, ts[32];
			int r;

			if (plan[k].step == SR_ACK_EXTEND) {
				body = sr_ack_extend_body(s, now, cfg->ack_for);
				r = am_call(cli, i, "POST", NULL, body, &id, &rc);
				free(body);
			} else {
				r = am_call(cli, i, "DELETE", s->id, NULL, NULL, &rc);
			}
			if (r == 0 && !quiet) {
				sr_cli_put(cli, plan[k].incident);
				fputs(": ack ", cli->out);
				sr_cli_put(cli, s->id);
				if (plan[k].step == SR_ACK_EXTEND)
					fprintf(cli->out, " extended to %s\n",
						sr_time_format(end, ts, sizeof(ts)));
				else
					fputs(" expired (incident over)\n", cli->out);
			}
			free(id);
		}
		sr_ack_plan_free(plan, n);
		sr_am_alerts_done(&al);
		sr_am_silences_done(&sil);
	}
	if (sj != NULL)
		sr_feed_jobs_free(sj, cfg->n_am);
	if (aj != NULL)
		sr_feed_jobs_free(aj, cfg->n_am);
	return rc;
}

int
sr_cli_ack_incident(struct sr_cli *cli, const struct sr_incident *inc, int quiet)
{
	int n = 0;

	if (inc->n_alerts == 0 || cli->ses->cfg->n_am == 0 || cli->ses->readonly)
		return SR_EXIT_OK;
	return ack_alerts(cli, NULL, inc->alerts, inc->n_alerts, inc->id, quiet, &n);
}

/*
 * The silences of every Alertmanager (when an alert in al is silenced at all), sorted for
 * sr_ack_of, so the list can tell acknowledgements apart. Best effort: one that cannot be
 * asked only costs the distinction (the alert still shows as silenced).
 */
static void
ack_silences(struct sr_cli *cli, const struct sr_am_alerts *al, struct sr_am_silences *out)
{
	int rc = SR_EXIT_OK, any = 0;
	struct sr_feed_job *jobs;

	for (size_t i = 0; i < al->n && !any; i++)
		any = al->v[i].n_silenced_by > 0;
	if (!any)
		return;
	if ((jobs = am_get_all(cli, silences_url, NULL, &rc)) == NULL)
		return;
	for (size_t i = 0; i < cli->ses->cfg->n_am; i++) {
		struct sr_am_silences one;

		if (jobs[i].err != NULL || job_read(cli, &jobs[i], NULL, &one, &rc) < 0)
			continue;
		out->v = sr_xrealloc(out->v, (out->n + one.n + 1) * sizeof(*out->v));
		memcpy(out->v + out->n, one.v, one.n * sizeof(*one.v));
		out->n += one.n;
		free(one.v);
	}
	sr_ack_index(out);
	sr_feed_jobs_free(jobs, cli->ses->cfg->n_am);
}

/* --- sitrep check: the dead man's switch ([feeds] watchdog, issue 16) --- */

#define WD_KEY "watchdog:"

/*
 * Whether the watchdog alert is in any Alertmanager's answer now; when it is, the sighting
 * is kept in the store (the last-good cache), so a later run knows how long it has been
 * missing. Fills w.
 */
static void
watchdog_now(struct sr_cli *cli, struct sr_watchdog *w)
{
	const struct sr_config *cfg = cli->ses->cfg;
	const char *name = sr_watchdog_name(cfg);
	char *key = sr_xasprintf(WD_KEY "%s", name), *body = NULL, *err = NULL;
	struct sr_store *store = cache_store(cli);
	sr_time seen = 0, at = 0;
	size_t len = 0;
	const struct sr_am_filter all = { 1, 1, 1, 1 };
	/* no cache: an Alertmanager that cannot be asked proves nothing */
	struct sr_feeds *f = cfg->n_am ? sr_cli_am_feeds(cli, &all, NULL, 0, &err) : NULL;

	/* the engine notes when any answer had it (sr_feeds_watchdog's sighting) */
	if (f != NULL)
		seen = f->wd_seen;
	sr_feeds_free(f);
	free(err);
	err = NULL;
	if (store != NULL && seen != 0 && !cli->ses->readonly) {
		(void)sr_feed_cache_save(store, key, "", 0, seen, &err);	/* err freed below */
	} else if (store != NULL && seen == 0 &&
		   sr_feed_cache_load(store, key, &body, &len, &at, &err) == 1) {
		seen = at;
	}
	free(err);
	free(body);
	free(key);
	sr_watchdog_judge(cfg, seen, 0, cli->ses->now, w);
}

static int
check_with_watchdog(struct sr_cli *cli, int json)
{
	struct sr_watchdog w;
	char *banner;
	int rc = SR_EXIT_OK;

	watchdog_now(cli, &w);
	banner = sr_watchdog_banner(&w);
	if (cli->ses->cfg->n_checks > 0)	/* the [check] sections first (their JSON line, then ours) */
		rc = run_checks(cli, json);
	if (json) {
		struct sr_buf b;

		sr_buf_init(&b);
		sr_buf_adds(&b, "{\"watchdog\":{\"alert\":");
		sr_json_str(&b, w.name);
		sr_buf_printf(&b, ",\"ok\":%s,\"absent_seconds\":", banner ? "false" : "true");
		if (w.absent_for >= 0)
			sr_buf_printf(&b, "%lld", (long long)w.absent_for);
		else
			sr_buf_adds(&b, "null");
		sr_json_field(&b, "error", banner);
		sr_buf_adds(&b, "}}\n");
		put_buf(cli, &b);
		sr_buf_done(&b);
	} else if (banner != NULL) {
		sr_cli_put_styled(cli, "1;31", banner);
		fputc('\n', cli->out);
	} else {
		char d[32], g[32];

		fputs("pipeline ok: ", cli->out);
		sr_cli_put(cli, w.name);
		if (w.absent_for > 0)
			fprintf(cli->out, " missing for %s (grace %s)\n",
				sr_duration_format(w.absent_for, d, sizeof(d)),
				sr_duration_format(cli->ses->cfg->watchdog_grace, g, sizeof(g)));
		else
			fputs(" firing\n", cli->out);
	}
	if (banner != NULL) {
		sr_cli_fail(cli, SR_EXIT_FAIL, banner);	/* takes it */
		rc = SR_EXIT_FAIL;
	}
	return rc;
}

/* --- sitrep alerts history NAME: a 24-hour strip from Prometheus's ALERTS (issue 16) --- */

#define HISTORY_CELLS 48	/* 30 minutes a cell: fits 80 columns with its frame */

static const char history_help[] =
	"usage: sitrep alerts history ALERTNAME [--json]\n\n"
	"When ALERTNAME fired over the last 24 hours, from the first [prometheus]'s\n"
	"ALERTS{alertstate=\"firing\"} series (one range query): a strip of 48 cells of\n"
	"30 minutes, '#' where it fired, then how often and how long.\n";

static int
alerts_history(struct sr_cli *cli, int argc, char **argv)
{
	int json = 0, npos = 0, rc = SR_EXIT_OK;
	char *pos[2], *safe, *err = NULL, *strip, d[32], ts[32];
	const struct sr_cli_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };
	const struct sr_config *cfg = cli->ses->cfg;
	struct sr_feed_job job;
	struct sr_prom_result res;
	struct sr_alert_history h;
	sr_time now = cli->ses->now;

	if (sr_cli_wants_help(argc, argv))
		return fputs(history_help, cli->out), SR_EXIT_OK;
	if (sr_cli_parse(cli, "alerts history", argc, argv, opts, pos, 1, &npos) != 0)
		return SR_EXIT_USAGE;
	if (npos != 1 || *pos[0] == '\0')
		return sr_cli_usage(cli, "alerts history", "needs one alert name");
	if (cfg->n_prom == 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup("no [prometheus] section in the "
				   "config: the history comes from its ALERTS series"));
	memset(&job, 0, sizeof(job));
	job.name = cfg->prom[0].name;
	job.t = &cfg->prom[0].t;
	job.url = sr_alert_history_url(cfg->prom[0].t.url, pos[0], now);
	if (run_jobs(cli, &job, 1) < 0 || job_failed(cli, &job, &rc)) {
		free(job.url);
		free(job.resp);
		free(job.err);
		return SR_EXIT_FAIL;
	}
	safe = sr_http_redact(job.url);
	memset(&res, 0, sizeof(res));
	if (sr_prom_parse_query(job.resp, job.len, job.status, safe, &res, &err) < 0) {
		rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
	} else {
		sr_alert_history_cells(&res, now, HISTORY_CELLS, &h);
		if (json) {
			struct sr_buf b;

			strip = sr_alert_history_strip(&h, "#", ".");
			sr_buf_init(&b);
			sr_buf_adds(&b, "{\"alertname\":");
			sr_json_str(&b, pos[0]);
			sr_buf_adds(&b, ",\"from\":");
			json_time(&b, now - SR_HISTORY_RANGE);
			sr_buf_adds(&b, ",\"to\":");
			json_time(&b, now);
			sr_buf_printf(&b, ",\"cell_seconds\":%d,\"cells\":\"%s\",\"firing_seconds\":%lld,"
				      "\"episodes\":%zu,\"last_fired\":", SR_HISTORY_RANGE / HISTORY_CELLS,
				      strip, (long long)h.firing_seconds, h.episodes);
			json_time(&b, h.last_fired);
			sr_buf_adds(&b, "}\n");
			put_buf(cli, &b);
			sr_buf_done(&b);
		} else {
			strip = sr_alert_history_strip(&h, cli->color ? "\xe2\x96\x88" : "#",
						       cli->color ? "\xc2\xb7" : ".");
			sr_cli_put(cli, pos[0]);
			fputs(" fired, last 24 hours (a cell is 30m):\n|", cli->out);
			fputs(strip, cli->out);
			fprintf(cli->out, "|\n 24h ago%*s\n", HISTORY_CELLS - 7, "now");
			if (h.episodes == 0)
				fputs("did not fire\n", cli->out);
			else
				fprintf(cli->out, "fired %zu time%s, %s in all; last at %s\n",
					h.episodes, h.episodes == 1 ? "" : "s",
					sr_duration_format(h.firing_seconds, d, sizeof(d)),
					sr_time_format(h.last_fired, ts, sizeof(ts)));
		}
		free(strip);
		sr_alert_history_done(&h);
	}
	sr_prom_result_done(&res);
	free(safe);
	free(job.url);
	free(job.resp);
	free(job.err);
	return rc;
}

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
#include "chain.h"
#include "cli.h"
#include "postmortem.h"
#include "text.h"

/* --- JSON: the model as it is, two-space indented (stable: golden files compare it) --- */

static void
indent(struct sr_buf *b, int depth)
{
	sr_buf_addc(b, '\n');
	for (int i = 0; i < depth; i++)
		sr_buf_adds(b, "  ");
}

static void
json_value(struct sr_buf *b, const struct sr_tval *v, int depth)
{
	const struct sr_tval *m;
	char num[64];

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
		else if (v->num == floor(v->num) && fabs(v->num) < 9007199254740992.0)
			sr_buf_printf(b, "%lld", (long long)v->num);
		else {
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
		for (m = v->first; m != NULL; m = m->next) {
			indent(b, depth + 1);
			if (v->type == SR_TV_OBJ) {
				sr_json_str(b, m->key);
				sr_buf_adds(b, ": ");
			}
			json_value(b, m, depth + 1);
			if (m->next != NULL)
				sr_buf_addc(b, ',');
		}
		if (v->first != NULL)
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

	(void)arg;
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
	for (size_t s = 0; s < cli->cfg->n_am; s++) {
		char *key = sr_xasprintf("alerts:%s", cli->cfg->am[s].name), *body = NULL;
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
		*path = sr_xasprintf("%s/postmortem/%s.md", cli->datadir, layout);
	else
		*path = sr_xstrdup(layout);
	return sr_read_file(*path, 1 << 20, src, len, err);
}

/* Writes b to path through a temporary file beside it, so a reader never sees half a draft. */
static int
write_file(const char *path, const struct sr_buf *b, char **err)
{
	char *tmp = sr_xasprintf("%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	int rc = 0;

	if (f == NULL) {
		rc = sr_err(err, "%s: %s", path, strerror(errno));
	} else {
		if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len)
			rc = sr_err(err, "%s: %s", path, strerror(errno));
		if (fclose(f) != 0 && rc == 0)
			rc = sr_err(err, "%s: %s", path, strerror(errno));
		if (rc == 0 && rename(tmp, path) != 0)
			rc = sr_err(err, "%s: %s", path, strerror(errno));
		if (rc != 0)
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* --- the command --- */

struct export_opts {
	const char *id, *format, *layout, *output;
	int metrics;
};

/* Fills *out with the document; returns 0 or -1 with *err. */
static int
export_doc(struct sr_cli *cli, const struct export_opts *o, struct sr_buf *out,
		  char **err)
{
	struct sr_store *st = sr_cli_store(cli);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_am_alerts all = { 0 };
	const struct sr_am_alert **found = NULL;
	struct sr_pm_input in = { 0 };
	struct sr_tdata *d = NULL;
	struct sr_tval *model;
	char head[SR_HASH_HEX], *path = NULL, *src = NULL;
	size_t len = 0;
	int rc = -1;

	if (st == NULL)
		return sr_err(err, "no store");	/* already reported */
	sr_incident_init(&inc);
	if (st->ops->get(st, o->id, &inc, err) != 0 || st->ops->events(st, o->id, &ev, err) != 0 ||
	    st->ops->chain_head(st, o->id, &in.chain_n, head, err) != 0)
		goto out;
	if (strcmp(o->format, "md") == 0 &&
	    load_layout(cli, o->layout, &path, &src, &len, err) != 0)
		goto out;
	found = sr_xcalloc(inc.n_alerts ? inc.n_alerts : 1, sizeof *found);
	linked_alerts(cli, st, &inc, &all, found);

	in.cfg = cli->cfg;
	in.inc = &inc;
	in.ev = &ev;
	in.chain_head = head;
	in.alerts = found;
	in.local = local_time;
	in.now = cli->now;
	d = sr_tdata_new();
	model = sr_pm_model(d, &in);
	if (strcmp(o->format, "json") == 0) {
		json_value(out, model, 0);
		sr_buf_addc(out, '\n');
		rc = 0;
	} else {
		rc = sr_pm_render(model, path, src, len, out, err);
	}
out:
	sr_tdata_free(d);
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
	sr_buf_init(&doc);
	if (export_doc(cli, &o, &doc, &err) != 0) {
		sr_buf_done(&doc);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	if (o.output != NULL && strcmp(o.output, "-") != 0) {
		if (write_file(o.output, &doc, &err) != 0) {
			sr_buf_done(&doc);
			return sr_cli_fail(cli, SR_EXIT_FAIL, err);
		}
	} else if (doc.len > 0) {
		fwrite(doc.data, 1, doc.len, cli->out);
	}
	sr_buf_done(&doc);
	return SR_EXIT_OK;
}

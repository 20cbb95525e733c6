/* SPDX-License-Identifier: MIT */
/*
 * postmortem.h: an incident, its timeline, its linked alerts and the metrics around it, made
 * into one data tree (the post-mortem model) that every output reads: Markdown layouts are
 * Mustache templates rendered against it, and the JSON export is the tree itself
 * (docs/postmortem.schema.json). Everything in it is computed from what sitrep recorded.
 */
#ifndef SR_POSTMORTEM_H
#define SR_POSTMORTEM_H

#include <stddef.h>
#include <stdint.h>

#include "alertmgr.h"
#include "config.h"
#include "incident.h"
#include "template.h"

#define SR_PM_SCHEMA "sitrep-postmortem/1"

/*
 * Local time of t as "YYYY-MM-DD HH:MM TZ" into buf, or NULL when local time is UTC (then
 * nothing is shown beside the UTC time). Supplied by the front end: src/ reads no TZ.
 */
typedef const char *(*sr_pm_local_fn)(void *arg, sr_time t, char *buf, size_t n);

/* One series of the metrics around the incident (see sr_pm_metrics). */
struct sr_pm_series {
	const char *title;	/* panel name or "alert NAME" */
	const char *expr;
	const char *labels;	/* the series' labels as {a="b"} text, or NULL */
	const char *graph_url;	/* the Prometheus graph link */
	const sr_time *t;	/* samples */
	const double *v;
	size_t n;
};

struct sr_pm_metrics {
	int requested;		/* 0: the section is left out */
	sr_time start, end;	/* [detected - 30m, resolved + 30m] */
	const char *error;	/* Prometheus could not be asked: why (the section says so) */
	const struct sr_pm_series *series;
	size_t n_series;
};

struct sr_pm_input {
	const struct sr_config *cfg;
	const struct sr_incident *inc;		/* with its review fields and action items */
	const struct sr_event_list *ev;		/* its whole timeline, oldest first */
	int64_t chain_n;			/* the chain head (store chain_head) */
	const char *chain_head;
	/* alerts[i]: what the last alert snapshot says of inc->alerts[i], or NULL */
	const struct sr_am_alert *const *alerts;
	sr_pm_local_fn local;
	void *local_arg;
	const struct sr_pm_metrics *metrics;	/* NULL: no metrics section */
	sr_time now;
};

/* Builds the post-mortem model of in into d and returns its root object. Never fails. */
struct sr_tval *sr_pm_model(struct sr_tdata *d, const struct sr_pm_input *in);

/*
 * Renders model through the Mustache layout src (len bytes; name for error messages) into
 * out as Markdown: {{field}} is escaped so text from people and alerts stays inert (one
 * line, Markdown punctuation escaped, no @mention), {{{field}}} is for the model's computed
 * values. Fails on a template error or a field the model does not have (with did-you-mean).
 */
int sr_pm_render(const struct sr_tval *model, const char *name, const char *src, size_t len,
		 struct sr_buf *out, char **err);

/*
 * The same, for a long draft: flush(arg, out) is called between list items once out holds
 * SR_TPL_FLUSH bytes and may take a prefix of out away (write it out), so the draft is never
 * held whole (sr_tpl_out.flush). Nothing is flushed before the layout is checked.
 */
int sr_pm_render_to(const struct sr_tval *model, const char *name, const char *src, size_t len,
		    void (*flush)(void *arg, struct sr_buf *out), void *arg, struct sr_buf *out,
		    char **err);

/* A duration as a post-mortem reads it: "45s", "12m", "12m30s", "1h05m", "2d03h". */
char *sr_pm_duration(int64_t secs, char *buf, size_t n);

/*
 * The draft's Markdown escaping of one value (sanitised to one line, then a backslash before
 * what could start Markdown or HTML; "@" followed by a word joiner). Exported so the secret
 * scrubber knows how a secret looks once escaped (sr_config_secrets).
 */
void sr_pm_esc_md(struct sr_buf *b, const char *s, size_t len, void *arg);

#endif

/* SPDX-License-Identifier: MIT */
/* prom.h: Prometheus HTTP API v1: URLs for queries, and parsers for query, alerts and rules. */
#ifndef SR_PROM_H
#define SR_PROM_H

#include <stddef.h>

#include "answer.h"
#include "clock.h"
#include "matcher.h"
#include "util.h"

enum sr_prom_type { SR_PROM_VECTOR, SR_PROM_MATRIX, SR_PROM_SCALAR, SR_PROM_STRING };

struct sr_prom_sample {
	double t;	/* seconds since the epoch, with milliseconds */
	double v;	/* NaN, +Inf and -Inf included */
};

struct sr_prom_series {
	struct sr_label *labels;
	size_t n_labels;
	struct sr_prom_sample *samples;	/* one for a vector, in time order for a matrix */
	size_t n_samples;
};

/* A parsed /api/v1/query or /api/v1/query_range answer. */
struct sr_prom_result {
	enum sr_prom_type type;
	struct sr_prom_series *series;	/* a scalar is one series without labels */
	size_t n_series;
	char *string;			/* the value of a string result, else NULL */
	double string_t;
	char **warnings;		/* the server's "warnings", verbatim */
	size_t n_warnings;
	size_t n_skipped;		/* native-histogram samples left out */
	int fast;			/* 1: read by the allocation-light reader; 0: by cJSON
					 * (the fall back, several times slower: a well-formed
					 * vector or matrix answer must not need it) */
};

/* A pending or firing alert from /api/v1/alerts. */
struct sr_prom_alert {
	struct sr_label *labels;
	size_t n_labels;
	struct sr_label *annotations;
	size_t n_annotations;
	char *state;		/* "pending", "firing" */
	sr_time active_at;	/* 0 when absent */
	char *value;		/* the sample value as sent, e.g. "1e+00" */
};

struct sr_prom_alerts {
	struct sr_prom_alert *v;
	size_t n;
	char **warnings;
	size_t n_warnings;
};

/* One rule from /api/v1/rules. */
struct sr_prom_rule {
	char *group;
	char *file;
	char *name;
	char *type;		/* "alerting", "recording" */
	char *query;
	char *health;		/* "ok", "err", "unknown" */
	char *state;		/* alerting rules: "inactive", "pending", "firing"; else NULL */
	char *last_error;	/* NULL when none */
	double duration;	/* "for", seconds */
	size_t n_alerts;
};

struct sr_prom_rules {
	struct sr_prom_rule *v;
	size_t n;
};

/* URL of an instant query at time at (0: the server's now). Allocated. */
char *sr_prom_query_url(const char *base, const char *expr, sr_time at);
/* URL of a range query. Allocated. */
char *sr_prom_range_url(const char *base, const char *expr, sr_time start, sr_time end,
			int64_t step);
/* The step (seconds, at least 1) that gives about width points over range seconds. */
int64_t sr_prom_step(int64_t range, int width);

/* The readers of the three answers (answer.h says what they take, return and fail with). */
SR_ANSWER_READER(sr_prom_parse_query, struct sr_prom_result);
SR_ANSWER_READER(sr_prom_parse_alerts, struct sr_prom_alerts);
SR_ANSWER_READER(sr_prom_parse_rules, struct sr_prom_rules);

void sr_prom_result_done(struct sr_prom_result *r);
void sr_prom_alerts_done(struct sr_prom_alerts *a);
void sr_prom_rules_done(struct sr_prom_rules *r);

/* "vector", "matrix", "scalar", "string". */
const char *sr_prom_type_name(enum sr_prom_type t);
/*
 * Formats a sample value the shortest way that reads back to the same double, and NaN,
 * +Inf, -Inf as Prometheus writes them. Returns buf (at least 32 bytes).
 */
char *sr_prom_format_value(double v, char *buf, size_t n);
/* Parses a sample value string ("1.5", "NaN", "+Inf", "-Inf", "1e+00"). 0 or -1. */
int sr_prom_parse_value(const char *s, double *out);

/*
 * --- alert history: when an alert fired, from Prometheus's ALERTS series (issue 16) ---
 * One range query over the 24 hours before now; the answer is cut into cells.
 */
#define SR_HISTORY_RANGE 86400
#define SR_HISTORY_STEP 60	/* one sample a minute: 1,440 points, under the 11,000 limit */
#define SR_HISTORY_CELLS 48	/* as shown: 30 minutes a cell, fits 80 columns */

/*
 * The query_range URL for alertname's firing history over [now - 24h, now]:
 * ALERTS{alertstate="firing",alertname="NAME"} (the name escaped for PromQL). Allocated.
 */
char *sr_alert_history_url(const char *base, const char *alertname, sr_time now);

struct sr_alert_history {
	unsigned char *cell;	/* n cells, oldest first: 1 when it fired in that cell */
	size_t n;
	int64_t firing_seconds;	/* sampled time firing, any series (label set) counted once */
	size_t episodes;	/* separate runs of firing samples */
	sr_time last_fired;	/* the last firing sample, 0 = none in the window */
};

/*
 * Cuts res (the answer to that URL: a matrix, one series per label set) into n cells over
 * [now - SR_HISTORY_RANGE, now]. Pure. Free with sr_alert_history_done.
 */
void sr_alert_history_cells(const struct sr_prom_result *res, sr_time now, size_t n,
			    struct sr_alert_history *out);
void sr_alert_history_done(struct sr_alert_history *h);
/* The cells as text: on and off (e.g. "#" and "." or "\u2588" and "\u00b7"). Allocated. */
char *sr_alert_history_strip(const struct sr_alert_history *h, const char *on, const char *off);

#endif

/* SPDX-License-Identifier: MIT */
/* postmortem.c: incident + timeline + alerts + metrics -> the post-mortem model; layouts. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postmortem.h"
#include "prom.h"
#include "text.h"

/* --- small formatting helpers --- */

char *
sr_pm_duration(int64_t secs, char *buf, size_t n)
{
	int64_t s = secs < 0 ? -secs : secs;

	if (s >= 86400)
		snprintf(buf, n, "%" PRId64 "d%02" PRId64 "h", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, n, "%" PRId64 "h%02" PRId64 "m", s / 3600, s % 3600 / 60);
	else if (s >= 60 && s % 60 == 0)
		snprintf(buf, n, "%" PRId64 "m", s / 60);
	else if (s >= 60)
		snprintf(buf, n, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
	else
		snprintf(buf, n, "%" PRId64 "s", s);
	return buf;
}

/* A string member, or null when s is NULL. */
static void
set_opt(struct sr_tdata *d, struct sr_tval *o, const char *key, const char *s)
{
	sr_tv_set(d, o, key, s != NULL ? sr_tv_str(d, s) : sr_tv_null(d));
}

/* A time member (RFC 3339, UTC), or null when t is 0. */
static void
set_time(struct sr_tdata *d, struct sr_tval *o, const char *key, sr_time t)
{
	char ts[32];

	set_opt(d, o, key, t != 0 ? sr_time_format(t, ts, sizeof ts) : NULL);
}

/* "2026-11-23 03:12 UTC", and the local time beside it ("04:12 CET") when it differs. */
static void
set_when(struct sr_tdata *d, struct sr_tval *o, const struct sr_pm_input *in, sr_time t)
{
	char ts[32], utc[40], loc[64];
	const char *l = in->local != NULL ? in->local(in->local_arg, t, loc, sizeof loc) : NULL;

	/* one time format for both (18,000 of these in a 10,000-event export) */
	sr_time_format(t, ts, sizeof ts);
	set_opt(d, o, "at", t != 0 ? ts : NULL);
	/* "YYYY-MM-DDTHH:MM:SSZ" -> "YYYY-MM-DD HH:MM:SS UTC" */
	if (strlen(ts) == 20) {
		memcpy(utc, ts, 19);
		utc[10] = ' ';
		memcpy(utc + 19, " UTC", 5);
	} else {
		ts[10] = ' ';
		ts[19] = '\0';
		snprintf(utc, sizeof utc, "%s UTC", ts);
	}
	sr_tv_set_str(d, o, "utc", utc);
	set_opt(d, o, "local", l);
}

/* --- parsing the details sitrep itself wrote on the timeline --- */

static int
parse_sev(const char *s, enum sr_sev *out)
{
	if (s[0] == 'P' && s[1] >= '1' && s[1] <= '4') {
		*out = (enum sr_sev)(s[1] - '1');
		return 0;
	}
	return -1;
}

/* The severity an incident was created with ("created P1: ..."), else its current one. */
static enum sr_sev
initial_sev(const struct sr_pm_input *in)
{
	enum sr_sev sev = in->inc->sev;

	for (size_t i = 0; i < in->ev->n; i++) {
		const struct sr_event *e = &in->ev->v[i];

		if (e->kind == SR_EV_CREATED && strncmp(e->detail, "created ", 8) == 0 &&
		    parse_sev(e->detail + 8, &sev) == 0)
			return sev;
		if (e->kind == SR_EV_SEVERITY && strncmp(e->detail, "severity ", 9) == 0 &&
		    parse_sev(e->detail + 9, &sev) == 0)
			return sev;	/* the first change says what it was before */
	}
	return sev;
}

/* --- sections --- */

/*
 * One timer from..to against target (0: none). ended: the incident is over, so a timer with
 * no end never got one (an incident resolved without being acknowledged).
 */
static void
timer(struct sr_tdata *d, struct sr_tval *list, const char *name, const char *label,
      sr_time from, sr_time to, int64_t target, sr_time now, int ended)
{
	struct sr_tval *o = sr_tv_push(list, sr_tv_obj(d));
	char a[32], b[32], verdict[96];
	int64_t took = (to != 0 ? to : now) - from;

	if (to == 0 && ended)
		from = 0;	/* nothing to measure */

	sr_tv_set_str(d, o, "name", name);
	sr_tv_set_str(d, o, "label", label);
	set_time(d, o, "from", from);
	set_time(d, o, "to", to);
	if (from == 0) {
		sr_tv_set(d, o, "seconds", sr_tv_null(d));
		sr_tv_set(d, o, "duration", sr_tv_null(d));
	} else {
		sr_tv_set_num(d, o, "seconds", (double)took);
		sr_tv_set_str(d, o, "duration", sr_pm_duration(took, a, sizeof a));
	}
	if (target > 0) {
		sr_tv_set_num(d, o, "target_seconds", (double)target);
		sr_tv_set_str(d, o, "target", sr_pm_duration(target, b, sizeof b));
	} else {
		sr_tv_set(d, o, "target_seconds", sr_tv_null(d));
		sr_tv_set(d, o, "target", sr_tv_null(d));
	}
	if (from == 0 && to == 0 && ended) {
		snprintf(verdict, sizeof verdict, "never recorded");
		sr_tv_set(d, o, "met", sr_tv_null(d));
	} else if (from == 0) {
		snprintf(verdict, sizeof verdict, "unknown: no linked alert in the last alert "
			 "snapshot says when it started");
		sr_tv_set(d, o, "met", sr_tv_null(d));
	} else if (target <= 0) {
		snprintf(verdict, sizeof verdict, "%s", to != 0 ? "no target" : "running");
		sr_tv_set(d, o, "met", sr_tv_null(d));
	} else if (took > target) {
		snprintf(verdict, sizeof verdict, "%s by %s", to != 0 ? "breached" : "breached, still "
			 "running, so far", sr_pm_duration(took - target, a, sizeof a));
		sr_tv_set_bool(d, o, "met", 0);
	} else if (to == 0) {
		snprintf(verdict, sizeof verdict, "running, %s left",
			 sr_pm_duration(target - took, a, sizeof a));
		sr_tv_set(d, o, "met", sr_tv_null(d));
	} else {
		snprintf(verdict, sizeof verdict, "met");
		sr_tv_set_bool(d, o, "met", 1);
	}
	sr_tv_set_str(d, o, "verdict", verdict);
}

static void
timers(struct sr_tdata *d, struct sr_tval *root, const struct sr_pm_input *in)
{
	const struct sr_incident *inc = in->inc;
	const struct sr_sev_policy *p = &in->cfg->sev[inc->sev];
	struct sr_tval *l = sr_tv_set_list(d, root, "timers");
	sr_time first = 0;

	for (size_t i = 0; i < inc->n_alerts; i++) {
		const struct sr_am_alert *a = in->alerts != NULL ? in->alerts[i] : NULL;

		if (a != NULL && a->starts_at != 0 && (first == 0 || a->starts_at < first))
			first = a->starts_at;
	}
	int ended = !sr_incident_is_open(inc);

	timer(d, l, "detect", "Time to detect", first, inc->created_at, 0, in->now, 0);
	timer(d, l, "acknowledge", "Time to acknowledge", inc->created_at, inc->acked_at,
	      p->respond, in->now, ended);
	timer(d, l, "resolve", "Time to resolve", inc->created_at, inc->resolved_at, p->resolve,
	      in->now, ended);
	set_time(d, root, "detected_at", first != 0 ? first : inc->created_at);
}

static void
severity_time(struct sr_tdata *d, struct sr_tval *root, const struct sr_pm_input *in)
{
	int64_t spent[SR_SEV_COUNT] = { 0 };
	enum sr_sev sev = initial_sev(in), to;
	sr_time since = in->inc->created_at;
	sr_time end = in->inc->resolved_at != 0 ? in->inc->resolved_at : in->now;
	struct sr_tval *l = sr_tv_set_list(d, root, "severity_time");
	char buf[32];
	const char *arrow;

	for (size_t i = 0; i < in->ev->n; i++) {
		const struct sr_event *e = &in->ev->v[i];

		if (e->kind != SR_EV_SEVERITY || e->at > end ||
		    (arrow = strstr(e->detail, "-> ")) == NULL || parse_sev(arrow + 3, &to) != 0)
			continue;
		spent[sev] += e->at - since;
		since = e->at;
		sev = to;
	}
	if (end > since)
		spent[sev] += end - since;
	for (int s = 0; s < SR_SEV_COUNT; s++) {
		struct sr_tval *o;

		if (spent[s] == 0 && s != (int)sev)
			continue;
		o = sr_tv_push(l, sr_tv_obj(d));
		sr_tv_set_str(d, o, "severity", sr_sev_name((enum sr_sev)s));
		sr_tv_set_num(d, o, "seconds", (double)spent[s]);
		sr_tv_set_str(d, o, "duration", sr_pm_duration(spent[s], buf, sizeof buf));
	}
}

/*
 * The four lists read from the timeline (escalations, roles, updates, checklist) and the
 * timeline itself are made on reading (sr_tv_lazy_list): an item is built from its event when
 * a template or the JSON writer reaches it, so a 10,000-event export holds one item at a time.
 * Each kind has a test (does this event give an item?) used when the lists are counted, and a
 * builder that is called only for events that passed it.
 */

/* "escalated L1 -> L2 (Tech lead, @tech-lead): why": where " L" starts, or NULL */
static const char *
esc_levels(const struct sr_event *e, int *from, int *to, int *n)
{
	const char *p = strstr(e->detail, " L");

	*n = 0;
	if (p == NULL || sscanf(p, " L%d -> L%d%n", from, to, n) != 2 || *n == 0 || *to < 1 ||
	    *to > SR_LEVEL_COUNT)
		return NULL;
	return p;
}

static struct sr_tval *
escalation(struct sr_tdata *d, const struct sr_pm_input *in, const struct sr_event *e)
{
	int from = 0, to = 1, n;
	const char *p = esc_levels(e, &from, &to, &n), *open, *comma, *close;
	struct sr_tval *o = sr_tv_obj(d);
	char lv[16];

	set_when(d, o, in, e->at);
	snprintf(lv, sizeof lv, "L%d", from);
	sr_tv_set_str(d, o, "from_level", lv);
	snprintf(lv, sizeof lv, "L%d", to);
	sr_tv_set_str(d, o, "level", lv);
	sr_tv_set_bool(d, o, "up", e->kind == SR_EV_ESCALATED);
	/* the level's name and contact as they were written at that moment */
	open = strchr(p + n, '(');
	comma = open != NULL ? strstr(open, ", ") : NULL;
	close = comma != NULL ? strchr(comma, ')') : NULL;
	if (close != NULL) {
		sr_tv_set(d, o, "name", sr_tv_strn(d, open + 1, (size_t)(comma - open - 1)));
		sr_tv_set(d, o, "contact", sr_tv_strn(d, comma + 2, (size_t)(close - comma - 2)));
	} else {
		set_opt(d, o, "name", in->cfg->level[to - 1].name);
		set_opt(d, o, "contact", in->cfg->level[to - 1].contact);
	}
	sr_tv_set_str(d, o, "by", e->actor);
	sr_tv_set_bool(d, o, "automatic", strcmp(e->actor, "sitrep") == 0);
	return o;
}

/* "commander: alice" or "commander: alice -> bob" */
static struct sr_tval *
role(struct sr_tdata *d, const struct sr_pm_input *in, const struct sr_event *e)
{
	const char *colon = strstr(e->detail, ": "), *arrow;
	struct sr_tval *o = sr_tv_obj(d);

	sr_tv_set(d, o, "role", sr_tv_strn(d, e->detail, (size_t)(colon - e->detail)));
	arrow = strstr(colon + 2, " -> ");
	if (arrow != NULL) {
		sr_tv_set(d, o, "previous", sr_tv_strn(d, colon + 2, (size_t)(arrow - colon - 2)));
		sr_tv_set_str(d, o, "person", arrow + 4);
	} else {
		sr_tv_set(d, o, "previous", sr_tv_null(d));
		sr_tv_set_str(d, o, "person", colon + 2);
	}
	set_when(d, o, in, e->at);
	sr_tv_set_str(d, o, "by", e->actor);
	return o;
}

/* "status update sent[ to CHANNEL][: TEXT]" */
static struct sr_tval *
update(struct sr_tdata *d, const struct sr_pm_input *in, const struct sr_event *e)
{
	const char *p = e->detail + strlen("status update sent"), *text;
	struct sr_tval *o = sr_tv_obj(d);

	if (strncmp(e->detail, "status update sent", 18) != 0)
		p = e->detail + strlen(e->detail);
	set_when(d, o, in, e->at);
	sr_tv_set_str(d, o, "by", e->actor);
	text = strstr(p, ": ");
	if (strncmp(p, " to ", 4) == 0)
		sr_tv_set(d, o, "channel", sr_tv_strn(d, p + 4, text != NULL ?
						       (size_t)(text - p - 4) : strlen(p + 4)));
	else
		sr_tv_set(d, o, "channel", sr_tv_null(d));
	set_opt(d, o, "text", text != NULL ? text + 2 : NULL);
	return o;
}

/* "RUNBOOK #N [x] TEXT": the last " #N [?]" in the detail (a runbook name may hold " #"), or NULL */
static const char *
check_mark(const char *detail, int *item, char *mark, int *n)
{
	const char *p = NULL, *q = detail;

	while ((q = strstr(q, " #")) != NULL) {
		int it, k = 0;
		char m;

		if (sscanf(q, " #%d [%c]%n", &it, &m, &k) == 2 && k > 0)
			p = q, *item = it, *mark = m, *n = k;
		q += 2;
	}
	return p;
}

static struct sr_tval *
check_item(struct sr_tdata *d, const struct sr_pm_input *in, const struct sr_event *e)
{
	int item = 0, n = 0;
	char mark = ' ';
	const char *p = check_mark(e->detail, &item, &mark, &n);
	struct sr_tval *o = sr_tv_obj(d);

	set_when(d, o, in, e->at);
	sr_tv_set_str(d, o, "by", e->actor);
	sr_tv_set(d, o, "runbook", sr_tv_strn(d, e->detail, (size_t)(p - e->detail)));
	sr_tv_set_num(d, o, "item", item);
	sr_tv_set_str(d, o, "text", p[n] == ' ' ? p + n + 1 : p + n);
	sr_tv_set_bool(d, o, "done", mark == 'x');
	return o;
}

/* Does e give an item of the list of its kind? (the builders above rely on it) */
static int
gives_item(const struct sr_event *e)
{
	int a, b, n;
	char m;

	switch (e->kind) {
	case SR_EV_ESCALATED:
	case SR_EV_DEESCALATED:
		return esc_levels(e, &a, &b, &n) != NULL;
	case SR_EV_ROLE:
		return strstr(e->detail, ": ") != NULL;
	case SR_EV_UPDATE_SENT:
		return 1;
	case SR_EV_CHECKLIST:
		return check_mark(e->detail, &a, &m, &n) != NULL;
	default:
		return 0;
	}
}

typedef struct sr_tval *(*item_builder)(struct sr_tdata *d, const struct sr_pm_input *in,
					const struct sr_event *e);

/* One list read from the timeline: the events (by index) that give its items. */
struct from_events {
	const struct sr_pm_input *in;
	item_builder build;	/* NULL: the timeline itself */
	uint32_t *idx;
};

static struct sr_tval *
timeline_item(struct sr_tdata *d, const struct sr_pm_input *in, size_t i)
{
	const struct sr_event *e = &in->ev->v[i];
	struct sr_tval *o = sr_tv_obj(d);

	sr_tv_set_num(d, o, "pos", (double)(i + 1));
	set_when(d, o, in, e->at);
	sr_tv_set_str(d, o, "actor", e->actor);
	sr_tv_set_str(d, o, "kind", sr_event_kind_name(e->kind));
	sr_tv_set_str(d, o, "detail", e->detail);
	return o;
}

static struct sr_tval *
event_item(const void *arg, size_t i, struct sr_tdata *d)
{
	const struct from_events *f = arg;

	if (f->build == NULL)
		return timeline_item(d, f->in, i);
	return f->build(d, f->in, &f->in->ev->v[f->idx[i]]);
}

static void
from_timeline(struct sr_tdata *d, struct sr_tval *root, const struct sr_pm_input *in)
{
	/* the order of the members, as the JSON schema and golden files have them */
	static const struct {
		const char *key, *has;
		item_builder build;
		enum sr_event_kind k1, k2;
	} lists[] = {
		{ "escalations", "has_escalations", escalation, SR_EV_ESCALATED, SR_EV_DEESCALATED },
		{ "roles", "has_roles", role, SR_EV_ROLE, SR_EV_ROLE },
		{ "updates", "has_updates", update, SR_EV_UPDATE_SENT, SR_EV_UPDATE_SENT },
		{ "checklist", "has_checklist", check_item, SR_EV_CHECKLIST, SR_EV_CHECKLIST },
	};
	enum { N_LISTS = sizeof lists / sizeof lists[0] };
	struct from_events *f[N_LISTS + 1];
	size_t count[N_LISTS] = { 0 }, fill[N_LISTS] = { 0 }, total = 0;
	struct sr_tval *authors, *l[N_LISTS];
	/* the items' builders read in after sr_pm_model returns: a copy lives with the model */
	struct sr_pm_input *kept = sr_tv_keep(d, in, sizeof *in);
	unsigned char *which = sr_xmalloc(in->ev->n ? in->ev->n : 1);	/* list of each event */
	uint32_t *idx;

	for (size_t i = 0; i < in->ev->n; i++) {
		const struct sr_event *e = &in->ev->v[i];

		which[i] = N_LISTS;
		for (size_t k = 0; k < N_LISTS && which[i] == N_LISTS; k++)
			if ((e->kind == lists[k].k1 || e->kind == lists[k].k2) && gives_item(e)) {
				which[i] = (unsigned char)k;
				count[k]++;
				total++;
			}
	}
	/* every event gives at most one item: the lists' indexes share one array */
	idx = sr_tv_keep(d, NULL, (total ? total : 1) * sizeof *idx);
	for (size_t k = 0; k <= N_LISTS; k++) {
		f[k] = sr_tv_keep(d, NULL, sizeof *f[k]);
		f[k]->in = kept;
		f[k]->build = k < N_LISTS ? lists[k].build : NULL;
		f[k]->idx = idx;
		if (k < N_LISTS)
			idx += count[k];
	}
	for (size_t i = 0; i < in->ev->n; i++)
		if (which[i] < N_LISTS)
			f[which[i]]->idx[fill[which[i]]++] = (uint32_t)i;
	free(which);
	for (size_t k = 0; k < N_LISTS; k++)
		l[k] = sr_tv_set(d, root, lists[k].key,
				 sr_tv_lazy_list(d, count[k], event_item, f[k]));
	sr_tv_set(d, root, "timeline", sr_tv_lazy_list(d, in->ev->n, event_item, f[N_LISTS]));
	/* authors: everyone who wrote on the timeline, in order of appearance */
	authors = sr_tv_set_list(d, root, "authors");
	for (size_t i = 0; i < in->ev->n; i++) {
		const struct sr_event *e = &in->ev->v[i];
		const struct sr_tval *a;
		int seen = 0;

		if (strcmp(e->actor, "sitrep") == 0)
			continue;
		for (a = authors->first; a != NULL && !seen; a = a->next)
			seen = strcmp(a->str, e->actor) == 0;
		if (!seen)
			sr_tv_push(authors, sr_tv_str(d, e->actor));
	}
	{
		struct sr_buf names;

		sr_buf_init(&names);
		for (const struct sr_tval *a = authors->first; a != NULL; a = a->next)
			sr_buf_printf(&names, "%s%s", a == authors->first ? "" : ", ", a->str);
		sr_tv_set_str(d, root, "authors_text", names.data != NULL ? names.data : "");
		sr_buf_done(&names);
	}
	for (size_t k = 0; k < N_LISTS; k++)
		sr_tv_set_bool(d, root, lists[k].has, l[k]->n > 0);
}

static void
alerts(struct sr_tdata *d, struct sr_tval *root, const struct sr_pm_input *in)
{
	struct sr_tval *l = sr_tv_set_list(d, root, "alerts");

	for (size_t i = 0; i < in->inc->n_alerts; i++) {
		const struct sr_am_alert *a = in->alerts != NULL ? in->alerts[i] : NULL;
		struct sr_tval *o = sr_tv_push(l, sr_tv_obj(d)), *labels;
		const char *name = NULL;
		struct sr_buf text;

		sr_tv_set_str(d, o, "fingerprint", in->inc->alerts[i]);
		sr_tv_set_bool(d, o, "known", a != NULL);
		labels = sr_tv_set_list(d, o, "labels");
		sr_buf_init(&text);
		for (size_t k = 0; a != NULL && k < a->n_labels; k++) {
			struct sr_tval *lb = sr_tv_push(labels, sr_tv_obj(d));

			sr_tv_set_str(d, lb, "name", a->labels[k].name);
			sr_tv_set_str(d, lb, "value", a->labels[k].value);
			if (strcmp(a->labels[k].name, "alertname") == 0)
				name = a->labels[k].value;
			sr_buf_printf(&text, "%s%s=\"%s\"", k ? ", " : "", a->labels[k].name,
				      a->labels[k].value);
		}
		set_opt(d, o, "alertname", name);
		set_opt(d, o, "labels_text", a != NULL ? (text.data ? text.data : "") : NULL);
		sr_buf_done(&text);
		set_time(d, o, "starts_at", a != NULL ? a->starts_at : 0);
		set_opt(d, o, "generator_url", a != NULL ? a->generator_url : NULL);
	}
	sr_tv_set_bool(d, root, "has_alerts", l->n > 0);
}

static void
actions(struct sr_tdata *d, struct sr_tval *root, const struct sr_pm_input *in)
{
	struct sr_tval *l = sr_tv_set_list(d, root, "actions");
	char id[32], ts[32];

	for (size_t i = 0; i < in->inc->n_actions; i++) {
		const struct sr_action *a = &in->inc->actions[i];
		struct sr_tval *o = sr_tv_push(l, sr_tv_obj(d));

		snprintf(id, sizeof id, "A%" PRId64, a->id);
		sr_tv_set_str(d, o, "id", id);
		sr_tv_set_str(d, o, "text", a->text);
		sr_tv_set_str(d, o, "kind", sr_action_kind_name(a->kind));
		sr_tv_set_str(d, o, "owner", a->owner);
		sr_time_format(a->due, ts, sizeof ts);
		ts[10] = '\0';
		sr_tv_set_str(d, o, "due", ts);
		sr_tv_set_str(d, o, "state", a->done_at ? "done" : a->due < in->now ? "overdue" :
				  "open");
		set_time(d, o, "done_at", a->done_at);
		set_opt(d, o, "done_by", a->done_by);
	}
	sr_tv_set_bool(d, root, "has_actions", l->n > 0);
}

/* --- metrics: a text sparkline and the values at detection, peak and resolution --- */

static const char *const spark_cells[] = {
	"\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83", "\xE2\x96\x84",
	"\xE2\x96\x85", "\xE2\x96\x86", "\xE2\x96\x87", "\xE2\x96\x88",
};

#define SPARK_WIDTH 48

/* The value of the sample nearest t (NaN when none). */
static double
value_at(const struct sr_pm_series *s, sr_time t)
{
	size_t best = 0;

	if (s->n == 0)
		return NAN;
	for (size_t i = 1; i < s->n; i++)
		if (llabs(s->t[i] - t) < llabs(s->t[best] - t))
			best = i;
	return s->v[best];
}

static void
set_value(struct sr_tdata *d, struct sr_tval *o, const char *key, double v)
{
	char buf[48], k[48];

	snprintf(k, sizeof k, "%s_text", key);
	if (isnan(v) || isinf(v)) {
		sr_tv_set(d, o, key, sr_tv_null(d));
		sr_tv_set_str(d, o, k, isnan(v) ? "-" : sr_prom_format_value(v, buf, sizeof buf));
		return;
	}
	sr_tv_set_num(d, o, key, v);
	sr_tv_set_str(d, o, k, sr_prom_format_value(v, buf, sizeof buf));
}

static void
series(struct sr_tdata *d, struct sr_tval *l, const struct sr_pm_series *s, sr_time detected,
       sr_time resolved)
{
	struct sr_tval *o = sr_tv_push(l, sr_tv_obj(d));
	double lo = INFINITY, hi = -INFINITY;
	size_t peak = 0;
	struct sr_buf spark;

	sr_tv_set_str(d, o, "title", s->title);
	sr_tv_set_str(d, o, "expr", s->expr);
	set_opt(d, o, "labels", s->labels);
	set_opt(d, o, "graph_url", s->graph_url);
	sr_tv_set_num(d, o, "samples", (double)s->n);
	for (size_t i = 0; i < s->n; i++) {
		if (isnan(s->v[i]))
			continue;
		if (s->v[i] < lo)
			lo = s->v[i];
		if (s->v[i] > hi) {
			hi = s->v[i];
			peak = i;
		}
	}
	sr_buf_init(&spark);
	/* SPARK_WIDTH cells, each the highest sample of its slice */
	for (size_t c = 0; s->n > 0 && c < SPARK_WIDTH && c < s->n; c++) {
		size_t w = s->n < SPARK_WIDTH ? s->n : SPARK_WIDTH;
		size_t from = c * s->n / w, to = (c + 1) * s->n / w;
		double m = NAN;

		for (size_t i = from; i < to; i++)
			if (!isnan(s->v[i]) && (isnan(m) || s->v[i] > m))
				m = s->v[i];
		if (isnan(m) || !(hi > lo))
			sr_buf_adds(&spark, isnan(m) ? " " : spark_cells[0]);
		else
			sr_buf_adds(&spark, spark_cells[(int)((m - lo) / (hi - lo) * 7.0 + 0.5)]);
	}
	sr_tv_set_str(d, o, "sparkline", spark.data != NULL ? spark.data : "");
	sr_buf_done(&spark);
	set_value(d, o, "min", lo);
	set_value(d, o, "max", hi);
	set_value(d, o, "at_detection", value_at(s, detected));
	set_value(d, o, "at_peak", s->n > 0 && !isinf(hi) ? hi : NAN);
	set_time(d, o, "peak_at", s->n > 0 && !isinf(hi) ? s->t[peak] : 0);
	set_value(d, o, "at_resolution", resolved != 0 ? value_at(s, resolved) : NAN);
}

static void
metrics(struct sr_tdata *d, struct sr_tval *root, const struct sr_pm_input *in)
{
	const struct sr_pm_metrics *m = in->metrics;
	struct sr_tval *o = sr_tv_set_obj(d, root, "metrics"), *l;
	const struct sr_tval *det = sr_tv_get(root, "detected_at", 11);
	sr_time detected = in->inc->created_at;

	if (det != NULL && det->type == SR_TV_STR)
		sr_time_parse(det->str, &detected, NULL);
	sr_tv_set_bool(d, o, "requested", m != NULL && m->requested);
	sr_tv_set_bool(d, o, "available", m != NULL && m->requested && m->error == NULL);
	set_opt(d, o, "error", m != NULL ? m->error : NULL);
	set_time(d, o, "start", m != NULL ? m->start : 0);
	set_time(d, o, "end", m != NULL ? m->end : 0);
	l = sr_tv_set_list(d, o, "series");
	for (size_t i = 0; m != NULL && m->error == NULL && i < m->n_series; i++)
		series(d, l, &m->series[i], detected, in->inc->resolved_at);
}

/* --- the model --- */

struct sr_tval *
sr_pm_model(struct sr_tdata *d, const struct sr_pm_input *in)
{
	const struct sr_incident *inc = in->inc;
	struct sr_tval *root = sr_tv_obj(d), *o;
	char ts[32], buf[160];

	sr_tv_set_str(d, root, "schema", SR_PM_SCHEMA);
	set_time(d, root, "generated_at", in->now);
	sr_tv_set_str(d, root, "id", inc->id);
	sr_tv_set_str(d, root, "title", inc->title != NULL ? inc->title : "");
	set_opt(d, root, "service", inc->service);
	sr_tv_set_str(d, root, "severity", sr_sev_name(inc->sev));
	sr_tv_set_str(d, root, "status", sr_status_name(inc->status));
	sr_tv_set_bool(d, root, "open", sr_incident_is_open(inc));
	if (sr_incident_is_open(inc)) {
		snprintf(buf, sizeof buf, "This incident is still open (%s at %s): this draft is "
			 "incomplete and will change.", sr_status_name(inc->status),
			 sr_time_format(in->now, ts, sizeof ts));
		sr_tv_set_str(d, root, "banner", buf);
	} else {
		sr_tv_set(d, root, "banner", sr_tv_null(d));
	}
	sr_time_format(inc->created_at, ts, sizeof ts);
	ts[10] = '\0';
	sr_tv_set_str(d, root, "date", ts);
	set_time(d, root, "created_at", inc->created_at);
	set_time(d, root, "acknowledged_at", inc->acked_at);
	set_time(d, root, "resolved_at", inc->resolved_at);
	set_time(d, root, "closed_at", inc->closed_at);
	sr_tv_set_str(d, root, "duration", sr_pm_duration((inc->resolved_at ? inc->resolved_at :
							   in->now) - inc->created_at, ts,
							  sizeof ts));
	snprintf(buf, sizeof buf, "L%d", inc->level + 1);
	sr_tv_set_str(d, root, "level", buf);
	sr_tv_set_bool(d, root, "local_shown", in->local != NULL &&
			in->local(in->local_arg, inc->created_at, buf, sizeof buf) != NULL);

	set_opt(d, root, "summary", inc->review[SR_RV_SUMMARY]);
	set_opt(d, root, "impact", inc->impact);
	set_opt(d, root, "root_cause", inc->root_cause);
	set_opt(d, root, "trigger", inc->review[SR_RV_TRIGGER]);
	set_opt(d, root, "resolution", inc->resolution);
	set_opt(d, root, "detection", inc->review[SR_RV_DETECTION]);
	o = sr_tv_set_obj(d, root, "lessons");
	set_opt(d, o, "went_well", inc->review[SR_RV_WENT_WELL]);
	set_opt(d, o, "went_wrong", inc->review[SR_RV_WENT_WRONG]);
	set_opt(d, o, "lucky", inc->review[SR_RV_LUCKY]);
	set_opt(d, root, "review_at", inc->review[SR_RV_REVIEW_AT]);

	o = sr_tv_set_obj(d, root, "current_roles");
	for (int r = 0; r < SR_ROLE_COUNT; r++)
		set_opt(d, o, sr_role_name((enum sr_role)r), inc->roles[r]);

	timers(d, root, in);
	severity_time(d, root, in);
	alerts(d, root, in);
	actions(d, root, in);
	from_timeline(d, root, in);
	metrics(d, root, in);

	o = sr_tv_set_obj(d, root, "chain");
	sr_tv_set_num(d, o, "events", (double)in->chain_n);
	sr_tv_set_str(d, o, "head", in->chain_head != NULL ? in->chain_head : "");
	sr_tv_set_str(d, o, "algorithm", "sha256");
	return root;
}

/* --- layouts --- */

/*
 * Markdown escaping for a draft people go on editing by hand: the text is made one line and
 * sanitised (src/text.c), then only what could start Markdown or HTML is backslash-escaped
 * (emphasis, code, links, tables, HTML and entities; a heading, list or quote marker where it
 * would start a line), so times and sentences stay readable in the raw file. An "@" is
 * followed by a word joiner, so no @mention notifies anyone where the draft is posted.
 */
/* What sr_pm_esc_md backslash-escapes anywhere in a value. */
static const unsigned char md_special[256] = {
	['\\'] = 1, ['`'] = 1, ['*'] = 1, ['_'] = 1, ['['] = 1, [']'] = 1, ['<'] = 1,
	['>'] = 1, ['|'] = 1, ['~'] = 1, ['&'] = 1, ['!'] = 1,
};

void
sr_pm_esc_md(struct sr_buf *b, const char *s, size_t len, void *arg)
{
	struct sr_buf clean;
	const char *c = s;
	size_t n = len, i = 0, j, run = 0;

	(void)arg;
	sr_buf_init(&clean);
	/* printable ASCII is what the sanitiser leaves as it is: only other text goes through it */
	for (j = 0; j < len; j++)
		if ((unsigned char)s[j] < 0x20 || (unsigned char)s[j] > 0x7E)
			break;
	if (j < len) {
		sr_text_sanitize(&clean, s, len, 0);
		c = clean.data;
		n = clean.len;
	}
	if (n == 0) {
		sr_buf_done(&clean);
		return;
	}
	/* a block marker where the value starts: "# h", "- x", "+ x", "> q", "1. x", "1) x" */
	while (i < n && c[i] == ' ')
		i++;
	for (j = i; j < n && c[j] >= '0' && c[j] <= '9'; j++)
		;
	if (j > i && j < n && (c[j] == '.' || c[j] == ')'))
		i = j;
	else if (!(i < n && c[i] != '\0' && strchr("#-+=>", c[i]) != NULL))
		i = n;	/* no marker */
	for (j = 0; j < n; j++) {
		unsigned char ch = (unsigned char)c[j];

		if (ch != '@' && j != i && !md_special[ch])
			continue;
		sr_buf_add(b, c + run, j - run);
		if (ch == '@') {
			sr_buf_adds(b, "@\xE2\x81\xA0");	/* U+2060 word joiner */
			run = j + 1;
		} else {
			sr_buf_addc(b, '\\');
			run = j;	/* the character itself goes with the next run */
		}
	}
	sr_buf_add(b, c + run, n - run);
	sr_buf_done(&clean);
}

int
sr_pm_render(const struct sr_tval *model, const char *name, const char *src, size_t len,
	     struct sr_buf *out, char **err)
{
	return sr_pm_render_to(model, name, src, len, NULL, NULL, out, err);
}

int
sr_pm_render_to(const struct sr_tval *model, const char *name, const char *src, size_t len,
		void (*flush)(void *arg, struct sr_buf *out), void *arg, struct sr_buf *out,
		char **err)
{
	struct sr_tpl *t = sr_tpl_parse(name, src, len, err);
	const struct sr_tpl_out o = { .escape = sr_pm_esc_md, .flush = flush, .flush_arg = arg };
	int rc;

	if (t == NULL)
		return -1;
	rc = sr_tpl_check(t, model, err);
	if (rc == 0)
		rc = sr_tpl_render(t, model, &o, out, err);
	sr_tpl_free(t);
	return rc;
}

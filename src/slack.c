/* SPDX-License-Identifier: MIT */
/* slack.c: the data a message template sees, template loading, and the four output formats. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "slack.h"
#include "text.h"

/* --- kinds and formats --- */

static const char *const kind_names[] = {
#define X(id, name, title) name,
	SR_SLACK_KINDS(X)
#undef X
};
static const char *const kind_titles[] = {
#define X(id, name, title) title,
	SR_SLACK_KINDS(X)
#undef X
};
static const char *const format_names[] = { "text", "mrkdwn", "blocks", "mattermost" };

const char *
sr_slack_kind_title(enum sr_slack_kind k)
{
	return (unsigned)k < SR_ARRAY_LEN(kind_titles) ? kind_titles[k] : "INCIDENT UPDATE";
}

const char *
sr_slack_kind_name(enum sr_slack_kind k)
{
	return (unsigned)k < SR_ARRAY_LEN(kind_names) ? kind_names[k] : "update";
}

/* Finds s in names[0..n); fails listing them. */
static int
parse_name(const char *what, const char *const *names, size_t n, const char *s, int *out,
	   char **err)
{
	struct sr_buf b;

	for (size_t i = 0; i < n; i++)
		if (s && strcmp(s, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	sr_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		sr_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	sr_err(err, "unknown %s \"%s\" (one of: %s)", what, s ? s : "", b.data);
	sr_buf_done(&b);
	return -1;
}

int
sr_slack_kind_parse(const char *s, enum sr_slack_kind *out, char **err)
{
	int k;

	if (parse_name("message kind", kind_names, SR_ARRAY_LEN(kind_names), s, &k, err) != 0)
		return -1;
	*out = (enum sr_slack_kind)k;
	return 0;
}

const char *
sr_slack_format_name(enum sr_slack_format f)
{
	return (unsigned)f < SR_ARRAY_LEN(format_names) ? format_names[f] : "text";
}

int
sr_slack_format_parse(const char *s, enum sr_slack_format *out, char **err)
{
	int k;

	if (parse_name("format", format_names, SR_ARRAY_LEN(format_names), s, &k, err) != 0)
		return -1;
	*out = (enum sr_slack_format)k;
	return 0;
}

enum sr_slack_kind
sr_slack_kind_for(const struct sr_incident *inc)
{
	if (!sr_incident_is_open(inc))
		return SR_SLACK_RESOLVED;
	return inc->last_update_at == 0 ? SR_SLACK_ALERT : SR_SLACK_UPDATE;
}

/* --- the data model --- */

/* Emoji per kind: Unicode for text, shortcodes for Slack and Mattermost. */
static const char *const emoji_text[] = { "\xF0\x9F\x9A\xA8", "\xF0\x9F\x93\x8A", "\xE2\x9C\x85",
					  "\xF0\x9F\x93\x9F", "\xF0\x9F\x93\x8B",
					  "\xF0\x9F\x92\xBC" };
static const char *const emoji_code[] = { ":rotating_light:", ":bar_chart:", ":white_check_mark:",
					  ":pager:", ":clipboard:", ":briefcase:" };
static const char *const sev_meaning[] = { "service down, data loss",
					   "major feature down, degraded",
					   "minor feature issue", "cosmetic" };

/*
 * The line-structure rule (see text.h) applied before text reaches a template: a template
 * cannot know which of its values may hold a line break, so a one-line field (title, service,
 * id, actor, role, label, level name) gets spaces for its breaks, and a multi-line field
 * (impact, cause, resolution, an event's detail) gets each later line indented, so no stored
 * line can start a line of the message and pose as "Status: RESOLVED".
 */
#define BLOCK_INDENT "    "

static void
set_line(struct sr_tdata *d, struct sr_tval *o, const char *key, const char *s)
{
	char *flat = sr_xstrdup(s ? s : "");

	sr_text_flatten(flat);
	sr_tv_set_str(d, o, key, flat);
	free(flat);
}

static void
set_block(struct sr_tdata *d, struct sr_tval *o, const char *key, const char *s)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_text_block(&b, s ? s : "", s ? strlen(s) : 0, BLOCK_INDENT, 0);
	sr_tv_set_str(d, o, key, b.data ? b.data : "");
	sr_buf_done(&b);
}

/* "HH:MM" of t (UTC), by hand: the timeline can hold tens of thousands of events. */
static void
hhmm(sr_time t, char buf[8])
{
	int64_t s = ((t % 86400) + 86400) % 86400;
	int h = (int)(s / 3600), m = (int)(s / 60 % 60);

	buf[0] = (char)('0' + h / 10);
	buf[1] = (char)('0' + h % 10);
	buf[2] = ':';
	buf[3] = (char)('0' + m / 10);
	buf[4] = (char)('0' + m % 10);
	buf[5] = '\0';
}

static void
set_time(struct sr_tdata *d, struct sr_tval *o, const char *key, sr_time t)
{
	char ts[32], key_at[48];

	snprintf(key_at, sizeof(key_at), "%s_at", key);
	if (t) {
		sr_time_format(t, ts, sizeof(ts));
		ts[10] = ' ';
		memcpy(ts + 16, " UTC", 5);	/* "2026-11-23 03:12 UTC" */
	} else {
		ts[0] = '\0';
	}
	sr_tv_set_str(d, o, key, ts);
	sr_tv_set_num(d, o, key_at, (double)t);
}

/* "03:27 UTC (in 10m00s)" or "" when the clock does not apply. */
static void
deadline_text(const struct sr_deadline *dl, char *at, char *left, size_t nleft, char *text,
	      size_t ntext)
{
	char dur[24];

	at[0] = left[0] = text[0] = '\0';
	if (!dl->due)
		return;
	hhmm(dl->due, at);
	snprintf(left, nleft, "%s %s", dl->left >= 0 ? "in" : "overdue by",
		 sr_duration_format(dl->left, dur, sizeof(dur)));
	snprintf(text, ntext, "%s UTC (%s)", at, left);
}

static void
set_deadline(struct sr_tdata *d, struct sr_tval *parent, const char *key,
	     const struct sr_deadline *dl)
{
	struct sr_tval *o = sr_tv_set_obj(d, parent, key);
	char at[8], left[40], text[64];

	deadline_text(dl, at, left, sizeof(left), text, sizeof(text));
	sr_tv_set_str(d, o, "text", text);
	sr_tv_set_str(d, o, "time", at);
	sr_tv_set_num(d, o, "due_at", (double)dl->due);
	sr_tv_set_str(d, o, "left", left);
	sr_tv_set_num(d, o, "left_s", (double)dl->left);
	sr_tv_set_bool(d, o, "overdue", dl->due && dl->left < 0);
	sr_tv_set_bool(d, o, "running", dl->running);
}

/* Checklist progress from the timeline: the last state of every item ticked or unticked. */
static void
set_checklist(struct sr_tdata *d, struct sr_tval *root, const struct sr_event_list *ev)
{
	struct item {
		const char *key;
		size_t len;
		int done;
	} *items = NULL;
	size_t n = 0, cap = 0, done = 0;
	struct sr_tval *o = sr_tv_set_obj(d, root, "checklist");
	char text[48];

	for (size_t i = 0; ev && i < ev->n; i++) {
		const char *det = ev->v[i].detail, *br;
		size_t k;

		if (ev->v[i].kind != SR_EV_CHECKLIST || !det || !(br = strstr(det, " [")))
			continue;
		for (k = 0; k < n; k++)
			if (items[k].len == (size_t)(br - det) &&
			    memcmp(items[k].key, det, items[k].len) == 0)
				break;
		if (k == n) {
			items = sr_xgrow(items, &cap, n + 1, sizeof(*items));
			items[n].key = det;
			items[n++].len = (size_t)(br - det);
		}
		items[k].done = br[2] == 'x';
	}
	for (size_t k = 0; k < n; k++)
		done += (size_t)items[k].done;
	free(items);
	snprintf(text, sizeof(text), n ? "%zu/%zu items done" : "no items ticked", done, n);
	sr_tv_set_num(d, o, "done", (double)done);
	sr_tv_set_num(d, o, "total", (double)n);
	sr_tv_set_num(d, o, "percent", n ? (double)(done * 100 / n) : 0);
	sr_tv_set_str(d, o, "text", text);
}

static struct sr_tval *
event_value(struct sr_tdata *d, const struct sr_event *e)
{
	struct sr_tval *o = sr_tv_obj(d);
	char t[8];

	hhmm(e->at, t);
	sr_tv_set_num(d, o, "at", (double)e->at);
	sr_tv_set_str(d, o, "time", t);
	set_line(d, o, "actor", e->actor);
	sr_tv_set_str(d, o, "kind", sr_event_kind_name(e->kind));
	set_block(d, o, "detail", e->detail);
	return o;
}

#define RECENT_EVENTS 5
#define POSTMORTEM_DAYS 5

/* Sets timeline, recent, timeline_count and progress; returns the last escalation event. */
static const struct sr_event *
set_timeline(struct sr_tdata *d, struct sr_tval *root, const struct sr_event_list *ev)
{
	struct sr_tval *all = sr_tv_set_list(d, root, "timeline"), *recent;
	const struct sr_event *note = NULL, *esc = NULL;
	size_t n = ev ? ev->n : 0;

	for (size_t i = 0; i < n; i++) {
		sr_tv_push(all, event_value(d, &ev->v[i]));
		if (ev->v[i].kind == SR_EV_NOTE)
			note = &ev->v[i];
		if (ev->v[i].kind == SR_EV_ESCALATED || ev->v[i].kind == SR_EV_DEESCALATED)
			esc = &ev->v[i];
	}
	sr_tv_set_num(d, root, "timeline_count", (double)n);
	recent = sr_tv_set_list(d, root, "recent");
	for (size_t i = n > RECENT_EVENTS ? n - RECENT_EVENTS : 0; i < n; i++)
		sr_tv_push(recent, event_value(d, &ev->v[i]));
	set_block(d, root, "progress", note ? note->detail : "");
	return esc;
}

static void
set_alerts(struct sr_tdata *d, struct sr_tval *root, const struct sr_slack_input *in)
{
	struct sr_tval *list = sr_tv_set_list(d, root, "alerts");
	size_t n = in->alerts ? in->n_alerts : in->inc->n_alerts;

	for (size_t i = 0; i < n; i++) {
		struct sr_tval *a = sr_tv_push(list, sr_tv_obj(d)), *labels;
		const char *name = "";

		set_line(d, a, "fingerprint",
			      in->alerts ? in->alerts[i].fingerprint : in->inc->alerts[i]);
		labels = sr_tv_list(d);
		for (size_t j = 0; in->alerts && j < in->alerts[i].n_labels; j++) {
			const struct sr_label *l = &in->alerts[i].labels[j];
			struct sr_tval *lv = sr_tv_push(labels, sr_tv_obj(d));

			set_line(d, lv, "name", l->name);
			set_line(d, lv, "value", l->value);
			if (l->name && strcmp(l->name, "alertname") == 0)
				name = l->value;
		}
		set_line(d, a, "name", name);
		sr_tv_set(d, a, "labels", labels);
	}
	sr_tv_set_num(d, root, "alerts_count", (double)n);
}

static void
set_people(struct sr_tdata *d, struct sr_tval *root, const struct sr_slack_input *in,
	   const struct sr_timers *t, const struct sr_event *why)
{
	const struct sr_incident *inc = in->inc;
	const struct sr_config *cfg = in->cfg;
	const struct sr_level *lv = &cfg->level[inc->level];
	struct sr_tval *roles = sr_tv_set_obj(d, root, "roles"), *unfilled, *esc, *oncall;
	char label[16], *contact;
	int due = sr_incident_is_open(inc) && t->due_level > inc->level;

	unfilled = sr_tv_list(d);
	for (int r = 0; r < SR_ROLE_COUNT; r++) {
		set_line(d, roles, sr_role_name((enum sr_role)r), inc->roles[r]);
		if (!inc->roles[r] || !*inc->roles[r]) {
			struct sr_tval *u = sr_tv_push(unfilled, sr_tv_obj(d));

			sr_tv_set_str(d, u, "role", sr_role_name((enum sr_role)r));
		}
	}
	sr_tv_set(d, root, "unfilled_roles", unfilled);
	esc = sr_tv_set_obj(d, root, "escalation");
	snprintf(label, sizeof(label), "L%d", inc->level + 1);
	sr_tv_set_num(d, esc, "level", inc->level + 1);
	sr_tv_set_str(d, esc, "label", label);
	set_line(d, esc, "name", lv->name);
	/* a level that names a rotation reaches whoever is on call in it now (issue 16) */
	contact = sr_oncall_level_contact(cfg, inc->level, in->now, in->overrides,
					  in->n_overrides);
	set_line(d, esc, "contact", contact);
	free(contact);
	sr_tv_set_bool(d, esc, "due", due);
	snprintf(label, sizeof(label), "L%d", t->due_level + 1);
	sr_tv_set_str(d, esc, "due_label", due ? label : "");
	set_line(d, esc, "why", why ? why->detail : "");
	sr_tv_set_bool(d, root, "needs", unfilled->n > 0 || due);
	oncall = sr_tv_set_obj(d, root, "oncall");
	set_line(d, oncall, "name", cfg->level[0].name);
	contact = sr_oncall_level_contact(cfg, 0, in->now, in->overrides, in->n_overrides);
	set_line(d, oncall, "contact", contact);
	free(contact);
}

struct sr_tval *
sr_slack_data(struct sr_tdata *d, const struct sr_slack_input *in, enum sr_slack_format fmt)
{
	const struct sr_incident *inc = in->inc;
	struct sr_tval *root = sr_tv_obj(d), *o;
	struct sr_timers t;
	char buf[64], dur[24], at[8], left[40];
	sr_time end = inc->resolved_at ? inc->resolved_at : in->now;
	int open = sr_incident_is_open(inc);

	sr_incident_timers(inc, in->cfg, in->now, &t);
	set_line(d, root, "id", inc->id);
	snprintf(buf, sizeof(buf), "#%s", inc->id);
	set_line(d, root, "ref", buf);
	set_line(d, root, "title", inc->title);
	set_line(d, root, "service", inc->service);
	set_block(d, root, "impact", inc->impact);
	sr_tv_set_str(d, root, "severity", sr_sev_name(inc->sev));
	sr_tv_set_str(d, root, "severity_meaning",
		      (unsigned)inc->sev < SR_ARRAY_LEN(sev_meaning) ? sev_meaning[inc->sev] : "");
	sr_tv_set_str(d, root, "status", sr_status_name(inc->status));
	sr_tv_set_bool(d, root, "open", open);
	sr_tv_set_bool(d, root, "resolved", !open);
	set_block(d, root, "root_cause", inc->root_cause);
	set_block(d, root, "resolution", inc->resolution);
	set_time(d, root, "created", inc->created_at);
	set_time(d, root, "acknowledged", inc->acked_at);
	set_time(d, root, "resolved_time", inc->resolved_at);
	set_time(d, root, "last_update", inc->last_update_at);
	sr_tv_set_str(d, root, "duration", sr_duration_format(end - inc->created_at, dur,
							     sizeof(dur)));
	sr_tv_set_num(d, root, "duration_s", (double)(end - inc->created_at));

	o = sr_tv_set_obj(d, root, "timers");
	set_deadline(d, o, "respond", &t.respond);
	set_deadline(d, o, "resolve", &t.resolve);
	set_deadline(d, o, "next_update", &t.update);
	deadline_text(&t.resolve, at, left, sizeof(left), buf, sizeof(buf));
	sr_tv_set_str(d, root, "eta", !open ? "resolved" : t.resolve.due ? buf : "unknown");
	deadline_text(&t.update, at, left, sizeof(left), buf, sizeof(buf));
	sr_tv_set_str(d, root, "next_update", open ? buf : "none (resolved)");

	set_people(d, root, in, &t, set_timeline(d, root, in->events));
	set_alerts(d, root, in);
	set_checklist(d, root, in->events);

	o = sr_tv_set_obj(d, root, "postmortem");
	if (open) {
		sr_tv_set_str(d, o, "date", "after resolution");
		sr_tv_set_num(d, o, "due_at", 0);
	} else {
		sr_time due = inc->resolved_at + POSTMORTEM_DAYS * 86400;

		sr_time_format(due, buf, sizeof(buf));
		buf[10] = '\0';
		sr_tv_set_str(d, o, "date", buf);
		sr_tv_set_num(d, o, "due_at", (double)due);
	}
	if (!(fmt == SR_FMT_TEXT && in->ascii)) {
		o = sr_tv_set_obj(d, root, "emoji");
		for (size_t k = 0; k < SR_ARRAY_LEN(kind_names); k++)
			sr_tv_set_str(d, o, kind_names[k],
				      /* Mattermost's Markdown would escape a shortcode's _ */
				      fmt == SR_FMT_TEXT || fmt == SR_FMT_MATTERMOST ?
					      emoji_text[k] : emoji_code[k]);
	}
	set_time(d, root, "now", in->now);
	return root;
}

/* --- templates: the user's file, else the shipped one --- */

static const struct {
	const char *name, *src;
} shipped[] = {
#include "slack_templates.inc"
};

/* The data model for a sample incident with every list non-empty: what templates are
 * checked against. */
static struct sr_tval *
schema(struct sr_tdata *d)
{
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_label l = { "alertname", "X" };
	struct sr_slack_alert a = { "f", &l, 1 };
	struct sr_slack_input in = { .inc = &inc, .events = &ev, .alerts = &a, .n_alerts = 1,
				     .cfg = &cfg, .now = 1 };
	struct sr_tval *root;

	sr_config_init(&cfg);
	sr_incident_init(&inc);
	sr_event_list_add(&ev, 1, "a", SR_EV_NOTE, "n");
	root = sr_slack_data(d, &in, SR_FMT_MRKDWN);
	sr_event_list_done(&ev);
	sr_incident_done(&inc);
	sr_config_done(&cfg);
	return root;
}

static int
valid_name(const char *name)
{
	if (!name || !*name || strlen(name) > 64)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-'))
			return 0;
	return 1;
}

/*
 * The source of template name: *src allocated; *path the user's file or "shipped NAME".
 * Returns 0, or -1 with *err.
 */
static int
template_source(const char *dir, const char *name, char **src, size_t *len, char **path,
		char **err)
{
	if (!valid_name(name))
		return sr_err(err, "bad template name \"%s\" (letters, digits, - and _)",
			      name ? name : "");
	if (dir) {
		char *p = sr_xasprintf("%s/%s.mustache", dir, name), *e = NULL;

		if (sr_read_file(p, 1 << 20, src, len, &e) == 0) {
			*path = p;
			return 0;
		}
		if (errno != ENOENT) {
			free(p);
			return sr_err(err, "%s", e), free(e), -1;
		}
		free(e);
		free(p);
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(shipped); i++)
		if (strcmp(shipped[i].name, name) == 0) {
			*src = sr_xstrdup(shipped[i].src);
			*len = strlen(*src);
			*path = sr_xasprintf("%s.mustache", name);
			return 0;
		}
	return sr_err(err, "no template \"%s\"%s%s", name, dir ? " in " : "", dir ? dir : "");
}

struct sr_tpl *
sr_slack_template(const char *tpl_dir, const char *name, char **err)
{
	char *src, *path;
	size_t len;
	struct sr_tpl *t;
	struct sr_tdata *d;

	if (template_source(tpl_dir, name, &src, &len, &path, err) != 0)
		return NULL;
	t = sr_tpl_parse(path, src, len, err);
	free(src);
	free(path);
	if (!t)
		return NULL;
	d = sr_tdata_new();
	if (sr_tpl_check(t, schema(d), err) != 0) {
		sr_tpl_free(t);
		t = NULL;
	}
	sr_tdata_free(d);
	return t;
}

char *
sr_slack_template_dir(const struct sr_config *cfg)
{
	char *conf = cfg && cfg->path ? sr_xstrdup(cfg->path) : sr_config_default_path(), *slash;
	char *dir;

	if (!conf)
		return NULL;
	slash = strrchr(conf, '/');
	if (slash)
		*slash = '\0';
	dir = sr_xasprintf("%s/templates", slash ? conf : ".");
	free(conf);
	return dir;
}

/* --- rendering --- */

/* Partials come from the same places as templates, each checked on its own. */
struct partials {
	const char *dir;
	char *srcs[16];
	size_t n;
	char *err;
};

static int
load_partial(void *arg, const char *name, const char **src, size_t *len)
{
	struct partials *p = arg;
	struct sr_tpl *t;

	if (p->err || p->n == SR_ARRAY_LEN(p->srcs))
		return -1;
	t = sr_slack_template(p->dir, name, &p->err);
	if (!t)
		return -1;
	sr_tpl_free(t);
	{
		char *path;

		if (template_source(p->dir, name, &p->srcs[p->n], len, &path, &p->err) != 0)
			return -1;
		free(path);
	}
	*src = p->srcs[p->n++];
	return 0;
}

/* Renders the kind's template with escaper esc into out (sanitised, newlines kept). */
static int
render_with(struct sr_buf *out, const struct sr_tpl *t, const struct sr_tval *data,
	    sr_tpl_escape_fn esc, void *arg, const char *dir, unsigned san, char **err)
{
	struct partials p = { .dir = dir };
	struct sr_tpl_out o = { .escape = esc, .raw = esc, .arg = arg, .partial = load_partial,
				.partial_arg = &p };
	struct sr_buf raw;
	int rc;

	sr_buf_init(&raw);
	rc = sr_tpl_render(t, data, &o, &raw, err);
	if (rc == 0 && p.err) {
		sr_err(err, "%s", p.err);
		rc = -1;
	}
	/* template text is the user's own, but still never carries control characters */
	if (rc == 0)
		sr_text_sanitize(out, raw.data, raw.len, SR_SAN_NEWLINES | san);
	sr_buf_done(&raw);
	for (size_t i = 0; i < p.n; i++)
		free(p.srcs[i]);
	free(p.err);
	return rc;
}

/* Code points in s[0..len). */
static size_t
chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* Bytes of the longest prefix of s holding at most max code points. */
static size_t
cut_chars(const char *s, size_t len, size_t max)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
			break;
	return i;
}

/*
 * Appends s as a JSON string literal holding at most max code points (and no more than the
 * *budget left): cut with an ellipsis when longer. *budget decreases by what was written.
 */
static void
json_limited(struct sr_buf *b, const char *s, size_t len, size_t max, size_t *budget)
{
	size_t n = chars(s, len), keep;

	if (max > *budget)
		max = *budget;
	sr_buf_addc(b, '"');
	if (n <= max) {
		sr_tpl_json_chars(b, s, len);
		*budget -= n;
	} else if (max > 0) {
		keep = cut_chars(s, len, max - 1);
		sr_tpl_json_chars(b, s, keep);
		sr_buf_adds(b, "\xE2\x80\xA6");
		*budget -= max;
	}
	sr_buf_addc(b, '"');
}

/* Length of line starting at s (without '\n'). */
static size_t
line_len(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	return nl ? (size_t)(nl - s) : (size_t)(end - s);
}

/* Bytes of a "Label: " prefix (a field line), or 0. */
static size_t
field_label(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		return 0;
	for (i = 1; i < len && i < 40; i++) {
		char c = s[i];

		if (c == ':' && i + 1 < len && s[i + 1] == ' ')
			return i;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == ' ' || c == '-' || c == '/'))
			return 0;
	}
	return 0;
}

struct blocks {
	struct sr_buf *out;
	int n;			/* blocks written */
	size_t budget;		/* characters of text left in the whole message */
	struct sr_buf para;	/* pending section text */
	struct sr_buf fields;	/* pending fields (JSON objects) */
	int n_fields;
	int dropped;		/* lines left out for lack of room */
};

#define CONTEXT_RESERVE 80	/* characters kept for the context block */

static void
block_begin(struct blocks *k)
{
	if (k->n++)
		sr_buf_addc(k->out, ',');
}

/* Room for one more content block (the last one is the context block)? */
static int
room(const struct blocks *k)
{
	return k->n < SR_BK_MAX_BLOCKS - 1 && k->budget > CONTEXT_RESERVE;
}

static void
flush_para(struct blocks *k)
{
	size_t budget;

	if (k->para.len == 0)
		return;
	if (room(k)) {
		budget = k->budget - CONTEXT_RESERVE;
		block_begin(k);
		sr_buf_adds(k->out, "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":");
		json_limited(k->out, k->para.data, k->para.len, SR_BK_MAX_SECTION, &budget);
		sr_buf_adds(k->out, "}}");
		k->budget = budget + CONTEXT_RESERVE;
	} else {
		k->dropped++;
	}
	k->para.len = 0;
}

static void
flush_fields(struct blocks *k)
{
	if (k->n_fields == 0)
		return;
	block_begin(k);
	sr_buf_adds(k->out, "{\"type\":\"section\",\"fields\":[");
	sr_buf_add(k->out, k->fields.data, k->fields.len);
	sr_buf_adds(k->out, "]}");
	k->fields.len = 0;
	k->n_fields = 0;
}

static void
add_field(struct blocks *k, const char *s, size_t len, size_t label)
{
	struct sr_buf f;
	size_t budget;

	/* a field joining a section needs no new block, but still some of the message's text:
	 * Slack refuses a field with empty text */
	if ((k->n_fields == 0 && !room(k)) || k->budget <= CONTEXT_RESERVE) {
		k->dropped++;
		return;
	}
	budget = k->budget - CONTEXT_RESERVE;
	sr_buf_init(&f);
	sr_buf_addc(&f, '*');
	sr_buf_add(&f, s, label);
	sr_buf_adds(&f, "*\n");
	sr_buf_add(&f, s + label + 2, len - label - 2);
	if (k->n_fields)
		sr_buf_addc(&k->fields, ',');
	sr_buf_adds(&k->fields, "{\"type\":\"mrkdwn\",\"text\":");
	json_limited(&k->fields, f.data, f.len, SR_BK_MAX_FIELD, &budget);
	sr_buf_addc(&k->fields, '}');
	k->budget = budget + CONTEXT_RESERVE;
	sr_buf_done(&f);
	if (++k->n_fields == SR_BK_MAX_FIELDS)
		flush_fields(k);
}

/*
 * Block Kit from the mrkdwn rendering: its first line as the header (and the notification
 * text), the lines after it as fields ("Label: value") and sections, then a context block.
 * Slack reads &amp; &lt; &gt; in plain_text too, so the escaped line serves for the header.
 */
static void
blocks_json(struct sr_buf *out, const struct sr_buf *mrkdwn, const char *id)
{
	struct blocks k = { .out = out, .budget = SR_BK_MAX_TOTAL };
	const char *p = mrkdwn->data, *end = mrkdwn->data + mrkdwn->len;
	size_t hlen = line_len(mrkdwn->data, end);
	char ctx[96];
	size_t cbudget = CONTEXT_RESERVE;

	sr_buf_init(&k.para);
	sr_buf_init(&k.fields);
	sr_buf_adds(out, "{\"text\":");
	json_limited(out, mrkdwn->data, hlen, SR_BK_MAX_HEADER, &k.budget);
	sr_buf_adds(out, ",\"blocks\":[");
	block_begin(&k);
	sr_buf_adds(out, "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":");
	json_limited(out, mrkdwn->data, hlen, SR_BK_MAX_HEADER, &k.budget);
	sr_buf_adds(out, ",\"emoji\":true}}");
	p += line_len(p, end);	/* the header line */
	while (p < end) {
		size_t len, label;

		if (*p == '\n')
			p++;
		len = line_len(p, end);
		label = field_label(p, len);
		if (label) {
			flush_para(&k);
			add_field(&k, p, len, label);
		} else if (len > 0) {
			flush_fields(&k);
			if (k.para.len + len + 1 > SR_BK_MAX_SECTION)
				flush_para(&k);
			if (k.para.len)
				sr_buf_addc(&k.para, '\n');
			sr_buf_add(&k.para, p, len);
		}
		p += len;
	}
	flush_para(&k);
	flush_fields(&k);
	if (k.dropped)
		snprintf(ctx, sizeof(ctx), "sitrep \xC2\xB7 #%s \xC2\xB7 %d more not shown", id,
			 k.dropped);
	else
		snprintf(ctx, sizeof(ctx), "sitrep \xC2\xB7 #%s", id);
	block_begin(&k);
	sr_buf_adds(out, "{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":");
	json_limited(out, ctx, strlen(ctx), CONTEXT_RESERVE, &cbudget);
	sr_buf_adds(out, "}]}]}");
	sr_buf_done(&k.para);
	sr_buf_done(&k.fields);
}

/* text cut to max code points with an ellipsis (never inside a code point) */
static void
add_limited(struct sr_buf *out, const char *s, size_t len, size_t max)
{
	if (chars(s, len) <= max) {
		sr_buf_add(out, s, len);
		return;
	}
	sr_buf_add(out, s, cut_chars(s, len, max - 1));
	sr_buf_adds(out, "\xE2\x80\xA6");
}

int
sr_slack_render(struct sr_buf *out, enum sr_slack_kind kind, enum sr_slack_format fmt,
		const struct sr_slack_input *in, char **err)
{
	struct sr_tdata *d = sr_tdata_new();
	struct sr_tval *data = sr_slack_data(d, in, fmt);
	struct sr_tpl *t = sr_slack_template(in->tpl_dir, sr_slack_kind_name(kind), err);
	struct sr_buf a, b;
	size_t from = out->len;
	int rc = -1;

	sr_buf_init(&a);
	sr_buf_init(&b);
	if (!t)
		goto done;
	switch (fmt) {
	case SR_FMT_TEXT:
		rc = render_with(out, t, data, sr_tpl_esc_text, in->ascii ? (void *)1 : NULL,
				 in->tpl_dir, in->ascii ? SR_SAN_ASCII : 0, err);
		break;
	case SR_FMT_MRKDWN:
		rc = render_with(&a, t, data, sr_tpl_esc_mrkdwn, NULL, in->tpl_dir, 0, err);
		if (rc == 0)
			add_limited(out, a.data, a.len, SR_BK_MAX_TOTAL);
		break;
	case SR_FMT_BLOCKS:
		rc = render_with(&a, t, data, sr_tpl_esc_mrkdwn, NULL, in->tpl_dir, 0, err);
		if (rc == 0)
			blocks_json(out, &a, in->inc->id);
		break;
	case SR_FMT_MATTERMOST:
		rc = render_with(&a, t, data, sr_tpl_esc_markdown, NULL, in->tpl_dir, 0, err);
		if (rc == 0) {
			sr_buf_adds(&b, "#### ");
			add_limited(&b, a.data, a.len, SR_MM_MAX_TEXT - 5);
			sr_buf_adds(out, "{\"text\":\"");
			sr_tpl_json_chars(out, b.data, b.len);
			sr_buf_adds(out, "\"}");
		}
		break;
	}
	if (rc == 0 && in->cfg != NULL && out->len > from) {
		/* no secret of the configuration goes out in a message, whatever field holds it:
		 * the preview, the copy, -o FILE and the outbox all come from here */
		size_t n;
		char **sec = sr_config_secrets(in->cfg, &n);

		out->len = from + sr_text_scrub(out->data + from, out->len - from,
						(const char *const *)sec, n);
		out->data[out->len] = '\0';
		sr_secrets_free(sec, n);
	}
done:
	sr_buf_done(&a);
	sr_buf_done(&b);
	sr_tpl_free(t);
	sr_tdata_free(d);
	return rc;
}

/* Appends the "text" string of o (a text object or an element), ending it with a newline. */
static void
payload_line(struct sr_buf *out, const cJSON *o)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "text");

	if (cJSON_IsObject(t))
		t = cJSON_GetObjectItemCaseSensitive(t, "text");
	if (!cJSON_IsString(t) || t->valuestring[0] == '\0')
		return;
	sr_buf_adds(out, t->valuestring);
	sr_buf_addc(out, '\n');
}

int
sr_slack_payload_text(struct sr_buf *out, const char *payload, size_t len, char **err)
{
	cJSON *root = cJSON_ParseWithLength(payload, len);
	const cJSON *blocks = cJSON_GetObjectItemCaseSensitive(root, "blocks"), *b;

	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return sr_err(err, "not a message payload (a JSON object)");
	}
	if (!cJSON_IsArray(blocks) || cJSON_GetArraySize(blocks) == 0) {
		payload_line(out, root);
		cJSON_Delete(root);
		return 0;
	}
	cJSON_ArrayForEach(b, blocks) {
		const cJSON *fields = cJSON_GetObjectItemCaseSensitive(b, "fields");
		const cJSON *elements = cJSON_GetObjectItemCaseSensitive(b, "elements");
		const cJSON *f;

		payload_line(out, b);
		cJSON_ArrayForEach(f, fields) {
			payload_line(out, f);
		}
		cJSON_ArrayForEach(f, elements) {
			payload_line(out, f);
		}
	}
	cJSON_Delete(root);
	return 0;
}

void
sr_slack_text(struct sr_buf *out, enum sr_slack_kind kind, const struct sr_incident *inc,
	      const struct sr_config *cfg, sr_time now)
{
	char *dir = sr_slack_template_dir(cfg), *err = NULL;
	struct sr_slack_input in = { .inc = inc, .cfg = cfg, .now = now, .tpl_dir = dir };

	if (sr_slack_render(out, kind, SR_FMT_TEXT, &in, &err) != 0) {
		sr_buf_printf(out, "template error: %s\n", err);
		free(err);
	}
	free(dir);
}

/* SPDX-License-Identifier: MIT */
/* cli_incident.c: `sitrep incident ...`: create, list, show and work incidents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "format.h"
#include "cli.h"
#include "incident.h"
#include "runbook.h"
#include "text.h"

/* --- output --- */

/*
 * Line structure (see text.h): ids, titles, services, actors, roles and alerts are one line;
 * notes and other event details, impact, root cause and resolution may have several, each
 * later line indented under the column where the text began.
 */
#define FIELD_W 14		/* label column of `incident show` */
#define EVENT_INDENT "    "	/* under "INC-...: detail" lines */

static void
json_deadline(struct sr_buf *b, const char *key, const struct sr_deadline *d)
{
	sr_buf_printf(b, "\"%s\":", key);
	if (d->due == 0) {
		sr_buf_adds(b, "null");
		return;
	}
	sr_buf_addc(b, '{');
	sr_json_time(b, "due", d->due);
	sr_buf_printf(b, ",\"left_seconds\":%lld,\"running\":%s,\"breached\":%s}",
		      (long long)d->left, d->running ? "true" : "false",
		      d->breached ? "true" : "false");
}

/* The stable --json form of an incident (documented in sitrep(1)). */
static void
json_incident(struct sr_buf *b, const struct sr_incident *inc, const struct sr_config *cfg,
	      sr_time now)
{
	struct sr_timers t;

	sr_incident_timers(inc, cfg, now, &t);
	sr_buf_adds(b, "{\"id\":");
	sr_json_str(b, inc->id);
	sr_json_field(b, "title", inc->title);
	sr_json_field(b, "service", inc->service);
	sr_buf_printf(b, ",\"severity\":\"%s\",\"status\":\"%s\",\"level\":\"L%d\",\"level_name\":",
		      sr_sev_name(inc->sev), sr_status_name(inc->status), t.due_level + 1);
	sr_json_str(b, cfg->level[t.due_level].name);
	sr_json_field(b, "level_contact", cfg->level[t.due_level].contact);
	sr_json_field(b, "impact", inc->impact);
	sr_json_field(b, "root_cause", inc->root_cause);
	sr_json_field(b, "resolution", inc->resolution);
	sr_buf_adds(b, ",\"roles\":{");
	for (int r = 0; r < SR_ROLE_COUNT; r++) {
		sr_buf_printf(b, "%s\"%s\":", r ? "," : "", sr_role_name((enum sr_role)r));
		sr_json_str(b, inc->roles[r]);
	}
	sr_buf_adds(b, "},\"alerts\":[");
	for (size_t i = 0; i < inc->n_alerts; i++) {
		if (i)
			sr_buf_addc(b, ',');
		sr_json_str(b, inc->alerts[i]);
	}
	sr_buf_adds(b, "],");
	sr_json_time(b, "created_at", inc->created_at);
	sr_buf_addc(b, ',');
	sr_json_time(b, "acknowledged_at", inc->acked_at);
	sr_buf_addc(b, ',');
	sr_json_time(b, "resolved_at", inc->resolved_at);
	sr_buf_addc(b, ',');
	sr_json_time(b, "closed_at", inc->closed_at);
	sr_buf_addc(b, ',');
	sr_json_time(b, "last_update_at", inc->last_update_at);
	sr_buf_adds(b, ",\"timers\":{");
	json_deadline(b, "respond", &t.respond);
	sr_buf_addc(b, ',');
	json_deadline(b, "resolve", &t.resolve);
	sr_buf_addc(b, ',');
	json_deadline(b, "update", &t.update);
	sr_buf_addc(b, ',');
	sr_json_time(b, "next_escalation", t.next_escalation);
	sr_buf_printf(b, "},\"version\":%lld}", (long long)inc->version);
}

/* json_incident as an sr_cli_json_item (arg: the session). */
static void
json_list_item(struct sr_buf *b, const void *inc, const void *ses)
{
	const struct sr_session *x = ses;

	json_incident(b, inc, x->cfg, x->now);
}

static void
json_event(struct sr_buf *b, const struct sr_event *ev)
{
	sr_buf_addc(b, '{');
	sr_json_time(b, "at", ev->at);
	sr_json_field(b, "actor", ev->actor);
	sr_buf_printf(b, ",\"kind\":\"%s\",\"detail\":", sr_event_kind_name(ev->kind));
	sr_json_str(b, ev->detail);
	sr_buf_addc(b, '}');
}

static void
emit(struct sr_cli *cli, struct sr_buf *b)
{
	sr_buf_addc(b, '\n');
	fwrite(b->data, 1, b->len, cli->out);
	sr_buf_done(b);
}

static void
put_cell(struct sr_cli *cli, const char *s, size_t width, const char *sgr)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_text_fit(&b, s, width, 1, 0);
	if (cli->color && sgr != NULL)
		fprintf(cli->out, "\033[%sm%s\033[0m", sgr, b.data);
	else
		fputs(b.data, cli->out);
	sr_buf_done(&b);
}

/* A deadline through sr_format_deadline, red when it is a breach (sgr for a breached one). */
static void
put_deadline(struct sr_cli *cli, const struct sr_deadline *d, size_t width, const char *sgr)
{
	char buf[32];

	if (!sr_deadline_alarm(sr_format_deadline(d, SR_DL_CELL, buf, sizeof(buf))))
		sgr = NULL;
	put_cell(cli, buf, width, sgr);
}

/* A deadline as a sentence ("7m00s OVERDUE") for `incident show`. */
static const char *
sentence(const struct sr_deadline *d, char *buf, size_t n)
{
	sr_format_deadline(d, SR_DL_SENTENCE, buf, n);
	return buf;
}

static const char *
sev_sgr(enum sr_sev s)
{
	static const char *const sgr[SR_SEV_COUNT] = { "1;31", "31", "33", "36" };

	return (unsigned)s < SR_SEV_COUNT ? sgr[s] : NULL;
}

/*
 * Column layout of `incident list`: one table, header generated from it. On a terminal
 * narrower than the whole table, the three deadline columns become one, DUE (the most
 * urgent running deadline, named), AGE goes next, and the title is cut to what is left; a
 * pipe always gets every column whole.
 */
enum col { C_ID, C_SEV, C_STATUS, C_LVL, C_AGE, C_RESPOND, C_RESOLVE, C_UPDATE, C_DUE, C_TITLE,
	   C_COUNT };
static const struct {
	const char *head;
	size_t width;
} cols[] = {
	[C_ID] = { "ID", 13 },	       [C_SEV] = { "SEV", 4 },
	[C_STATUS] = { "STATUS", 14 }, [C_LVL] = { "LVL", 4 },
	[C_AGE] = { "AGE", 8 },	       [C_RESPOND] = { "RESPOND", 16 },
	[C_RESOLVE] = { "RESOLVE", 16 }, [C_UPDATE] = { "NEXT UPDATE", 16 },
	[C_DUE] = { "DUE", 23 },       [C_TITLE] = { "TITLE", 0 },
};
#define TITLE_MIN 20	/* a narrower title drops AGE first */

struct list_layout {
	int shown[C_COUNT];
	size_t id_w;	/* the ID column's width (id_width) */
	size_t title_w;	/* 0: whole */
};

/* The ID column: as wide as the widest id plus a space (INC-2026-1000 and longer fit). */
static size_t
id_width(const struct sr_incident_list *l)
{
	size_t w = cols[C_ID].width;

	for (size_t i = 0; i < l->n; i++) {
		size_t iw = sr_text_width(l->v[i].id, strlen(l->v[i].id)) + 1;

		if (iw > w)
			w = iw;
	}
	return w;
}

static void
list_layout(struct sr_cli *cli, struct list_layout *lo, const struct sr_incident_list *l)
{
	size_t w = (size_t)sr_cli_tty_width(cli), used = 0;
	int c;

	for (c = 0; c < C_COUNT; c++)
		lo->shown[c] = c != C_DUE;
	lo->id_w = id_width(l);
	lo->title_w = 0;
	if (w == 0)
		return;
	for (c = 0; c < C_TITLE; c++)
		used += !lo->shown[c] ? 0 : c == C_ID ? lo->id_w : cols[c].width;
	if (used + TITLE_MIN > w) {
		lo->shown[C_RESPOND] = lo->shown[C_RESOLVE] = lo->shown[C_UPDATE] = 0;
		lo->shown[C_DUE] = 1;
		used += cols[C_DUE].width - cols[C_RESPOND].width - cols[C_RESOLVE].width -
			cols[C_UPDATE].width;
		if (used + TITLE_MIN > w) {
			lo->shown[C_AGE] = 0;
			used -= cols[C_AGE].width;
		}
	}
	lo->title_w = w > used + 1 ? w - used - 1 : 1;
}

/* The running deadline with the least time left, as "resolve 3m00s OVERDUE". */
static void
due_text(const struct sr_timers *t, char *buf, size_t n, int *alarm)
{
	static const char *const names[] = { "respond", "resolve", "update" };
	const struct sr_deadline *d[] = { &t->respond, &t->resolve, &t->update };
	size_t best = SR_ARRAY_LEN(d);
	char text[48];

	for (size_t i = 0; i < SR_ARRAY_LEN(d); i++)
		if (d[i]->due != 0 && d[i]->running &&
		    (best == SR_ARRAY_LEN(d) || d[i]->left < d[best]->left))
			best = i;
	*alarm = 0;
	if (best == SR_ARRAY_LEN(d)) {
		snprintf(buf, n, "-");
		return;
	}
	*alarm = sr_deadline_alarm(sr_format_deadline(d[best], SR_DL_SENTENCE, text, sizeof(text)));
	snprintf(buf, n, "%s %s", names[best], text);
}

static void
list_row(struct sr_cli *cli, const struct list_layout *lo, const struct sr_incident *inc)
{
	struct sr_timers t;
	char buf[64], dur[24];
	int alarm;

	sr_incident_timers(inc, cli->ses->cfg, cli->ses->now, &t);
	put_cell(cli, inc->id, lo->id_w, NULL);
	put_cell(cli, sr_sev_name(inc->sev), cols[C_SEV].width, sev_sgr(inc->sev));
	put_cell(cli, sr_status_name(inc->status), cols[C_STATUS].width, NULL);
	snprintf(buf, sizeof(buf), "L%d", t.due_level + 1);
	put_cell(cli, buf, cols[C_LVL].width, t.due_level > 0 ? "1" : NULL);
	if (lo->shown[C_AGE])
		put_cell(cli, sr_age_format(cli->ses->now - inc->created_at, dur, sizeof(dur)),
			 cols[C_AGE].width, NULL);
	if (lo->shown[C_RESPOND]) {
		put_deadline(cli, &t.respond, cols[C_RESPOND].width, "1;31");
		put_deadline(cli, &t.resolve, cols[C_RESOLVE].width, "1;31");
		put_deadline(cli, &t.update, cols[C_UPDATE].width, "1;33");
	} else {
		due_text(&t, buf, sizeof(buf), &alarm);
		put_cell(cli, buf, cols[C_DUE].width, alarm ? "1;31" : NULL);
	}
	if (lo->title_w) {
		struct sr_buf b;

		sr_buf_init(&b);
		sr_text_fit(&b, inc->title, lo->title_w, 0, 0);
		fputs(b.data, cli->out);
		sr_buf_done(&b);
	} else {
		sr_cli_put(cli, inc->title);
	}
	fputc('\n', cli->out);
}

/* One "Label:   value" line of `incident show`; a one-line field. */
static void
field(struct sr_cli *cli, const char *label, const char *value)
{
	fprintf(cli->out, "%-*s", FIELD_W, label);
	sr_cli_put(cli, value ? value : "-");
	fputc('\n', cli->out);
}

/* A multi-line field (impact, root cause, resolution): later lines under the value column. */
static void
field_block(struct sr_cli *cli, const char *label, const char *value)
{
	static const char indent[FIELD_W + 1] = "              ";

	fprintf(cli->out, "%-*s", FIELD_W, label);
	sr_cli_put_block(cli, value ? value : "-", indent);
	fputc('\n', cli->out);
}

static void
show_human(struct sr_cli *cli, const struct sr_incident *inc, const struct sr_event_list *ev)
{
	const struct sr_config *cfg = cli->ses->cfg;
	struct sr_timers t;
	char ts[32], buf[64];

	sr_incident_timers(inc, cfg, cli->ses->now, &t);
	sr_cli_put_styled(cli, "1", inc->id);
	fputs("  ", cli->out);
	sr_cli_put_styled(cli, sev_sgr(inc->sev), sr_sev_name(inc->sev));
	fprintf(cli->out, "  %s  L%d ", sr_status_name(inc->status), t.due_level + 1);
	sr_cli_put(cli, cfg->level[t.due_level].name);
	fputs(" ", cli->out);
	sr_cli_put(cli, cfg->level[t.due_level].contact);
	fputs("\n", cli->out);

	field(cli, "Title:", inc->title);
	field(cli, "Service:", inc->service);
	field_block(cli, "Impact:", inc->impact);
	field_block(cli, "Root cause:", inc->root_cause);
	field_block(cli, "Resolution:", inc->resolution);
	field(cli, "Created:", sr_time_format(inc->created_at, ts, sizeof(ts)));
	if (inc->acked_at)
		field(cli, "Acknowledged:", sr_time_format(inc->acked_at, ts, sizeof(ts)));
	if (inc->resolved_at)
		field(cli, "Resolved:", sr_time_format(inc->resolved_at, ts, sizeof(ts)));
	if (inc->closed_at)
		field(cli, "Closed:", sr_time_format(inc->closed_at, ts, sizeof(ts)));
	field(cli, "Respond:", sentence(&t.respond, buf, sizeof(buf)));
	field(cli, "Resolve:", sentence(&t.resolve, buf, sizeof(buf)));
	field(cli, "Next update:", sentence(&t.update, buf, sizeof(buf)));
	if (t.next_escalation) {
		char dur[24];

		snprintf(buf, sizeof(buf), "L%d in %s", t.due_level + 2,
			 sr_duration_format(t.next_escalation - cli->ses->now, dur, sizeof(dur)));
		field(cli, "Escalates:", buf);
	}
	for (int r = 0; r < SR_ROLE_COUNT; r++) {
		snprintf(buf, sizeof(buf), "%c%s:", sr_role_name((enum sr_role)r)[0] - 32,
			 sr_role_name((enum sr_role)r) + 1);
		field(cli, buf, inc->roles[r]);
	}
	for (size_t i = 0; i < inc->n_alerts; i++)
		field(cli, i == 0 ? "Alerts:" : "", inc->alerts[i]);
	fputs("Timeline:\n", cli->out);
	for (size_t i = 0; i < ev->n; i++) {
		int lead = 0;
		char indent[80];

		lead += fprintf(cli->out, "  %s  ", sr_time_format(ev->v[i].at, ts, sizeof(ts)));
		put_cell(cli, ev->v[i].actor, 12, NULL);
		lead += 12;
		lead += fprintf(cli->out, " %-13s ", sr_event_kind_name(ev->v[i].kind));
		/* a note's later lines go under its first, never where a timestamp would be */
		snprintf(indent, sizeof(indent), "%*s", lead > 0 ? lead : 1, "");
		sr_cli_put_block(cli, ev->v[i].detail, indent);
		fputc('\n', cli->out);
	}
}

/* --- subcommands --- */

struct sub {
	const char *name;
	const char *usage;
	const char *summary;
	int (*run)(struct sr_cli *cli, const struct sub *sub, int argc, char **argv);
	int writes;	/* changes the store: refused under --readonly */
};

static int
sub_usage(struct sr_cli *cli, const struct sub *s, const char *what)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "incident %s", s->name);
	return sr_cli_usage(cli, cmd, "%s; usage: sitrep incident %s %s", what, s->name,
			    s->usage);
}

static int
parse(struct sr_cli *cli, const struct sub *s, int argc, char **argv,
      const struct sr_cli_opt *opts, char **pos, int want_min, int want_max, int *n)
{
	char cmd[64];
	int rc;

	snprintf(cmd, sizeof(cmd), "incident %s", s->name);
	rc = sr_cli_parse(cli, cmd, argc, argv, opts, pos, want_max, n);
	if (rc != 0)
		return rc;
	if (*n < want_min)
		return sub_usage(cli, s, "missing argument");
	return 0;
}

/* Makes one change through sr_change_commit and prints what was recorded (or --json). */
/* One line per event: "INC-...: detail" (id, or each event's own incident when NULL). */
static void
put_events(struct sr_cli *cli, const struct sr_event_list *ev, const char *id)
{
	for (size_t i = 0; i < ev->n; i++) {
		sr_cli_put(cli, id != NULL ? id : ev->v[i].incident);
		fputs(": ", cli->out);
		sr_cli_put_block(cli, ev->v[i].detail, EVENT_INDENT);
		fputc('\n', cli->out);
	}
}

/* Frees what a command loaded and answers rc. */
static int
finish(struct sr_incident *inc, struct sr_event_list *ev, int rc)
{
	sr_incident_done(inc);
	sr_event_list_done(ev);
	return rc;
}

/* Prints a changed incident (JSON, or one line per recorded event), then frees it. */
static int
put_incident(struct sr_cli *cli, struct sr_incident *inc, struct sr_event_list *ev, int json)
{
	if (json) {
		struct sr_buf b;

		sr_buf_init(&b);
		json_incident(&b, inc, cli->ses->cfg, cli->ses->now);
		emit(cli, &b);
	} else {
		put_events(cli, ev, inc->id);	/* "INC-...: created ..." */
	}
	return finish(inc, ev, SR_EXIT_OK);
}

int
sr_cli_change(struct sr_cli *cli, const char *id, const struct sr_change *ch, int json)
{
	struct sr_store *st = sr_cli_store(cli);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	if (st == NULL)
		return SR_EXIT_FAIL;
	sr_incident_init(&inc);
	if (sr_change_commit(st, id, ch, cli->ses->cfg, cli->ses->actor, cli->ses->now, &inc, &ev, NULL,
			     &err) != 0) {
		return finish(&inc, &ev, sr_cli_fail(cli, SR_EXIT_FAIL, err));
	}
	/* the linked alerts are acknowledged in Alertmanager too, and released when it is over */
	if (ch->op == SR_CH_ACK && ev.n > 0)
		(void)sr_cli_ack_incident(cli, &inc, json);
	else if ((ch->op == SR_CH_RESOLVE || ch->op == SR_CH_CLOSE) && inc.n_alerts > 0)
		(void)sr_cli_ack_sync(cli, st, inc.id, json);	/* a failure is said, not fatal */
	return put_incident(cli, &inc, &ev, json);
}

static int
cmd_new(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	const char *sev_s = NULL, *title = NULL, *service = NULL, *impact = NULL;
	int json = 0, rc;
	char *pos[1];
	const struct sr_cli_opt opts[] = {
		{ "sev", &sev_s, NULL },       { "severity", &sev_s, NULL },
		{ "title", &title, NULL },     { "service", &service, NULL },
		{ "impact", &impact, NULL },   { "json", NULL, &json },
		{ NULL, NULL, NULL },
	};
	struct sr_new_incident n = { 0 };
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_store *st;
	char *err = NULL;
	int n_pos;

	if ((rc = parse(cli, s, argc, argv, opts, pos, 0, 0, &n_pos)) != 0)
		return rc;
	if (sev_s == NULL)
		return sub_usage(cli, s, "--sev is required");
	if (title == NULL)
		return sub_usage(cli, s, "--title is required");
	if (sr_sev_parse(sev_s, &n.sev, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	n.title = title, n.service = service, n.impact = impact;
	sr_incident_init(&inc);
	rc = SR_EXIT_FAIL;
	if ((st = sr_cli_store(cli)) == NULL)
		goto out;
	rc = sr_change_create(st, &n, cli->ses->actor, cli->ses->now, &inc, &ev, &err);
	if (rc != 0) {
		rc = sr_cli_fail(cli, rc == -2 ? SR_EXIT_USAGE : SR_EXIT_FAIL, err);
		goto out;
	}
	return put_incident(cli, &inc, &ev, json);
out:
	return finish(&inc, &ev, rc);
}

static int
cmd_list(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	int json = 0, all = 0, open = 0, csv = 0, n, rc;
	char *pos[1];
	const struct sr_cli_opt opts[] = {
		{ "json", NULL, &json }, { "all", NULL, &all }, { "open", NULL, &open },
		{ "csv", NULL, &csv }, { NULL, NULL, NULL },
	};
	struct sr_incident_list l = { 0 };
	struct sr_store *st;
	char *err = NULL;

	if ((rc = parse(cli, s, argc, argv, opts, pos, 0, 0, &n)) != 0)
		return rc;
	if (all && open)
		return sub_usage(cli, s, "--open and --all exclude each other");
	if ((st = sr_cli_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	if (st->ops->list(st, all ? SR_LIST_ALL : SR_LIST_OPEN, &l, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	sr_cli_warn_skipped(cli, l.skipped);
	if (csv) {
		sr_cli_incidents_csv(cli, &l);
	} else if (json) {
		sr_cli_json_list(cli, l.v, l.n, sizeof(*l.v), json_list_item, cli->ses);
	} else if (l.n == 0) {
		fputs(all ? "No incidents.\n" : "No open incidents.\n", cli->out);
	} else {
		struct list_layout lo;

		list_layout(cli, &lo, &l);
		for (size_t c = 0; c < SR_ARRAY_LEN(cols); c++) {
			if (!lo.shown[c])
				continue;
			if (cols[c].width)
				fprintf(cli->out, "%-*s", (int)(c == C_ID ? lo.id_w : cols[c].width),
					cols[c].head);
			else
				fprintf(cli->out, "%s\n", cols[c].head);
		}
		for (size_t i = 0; i < l.n; i++)
			list_row(cli, &lo, &l.v[i]);
	}
	sr_incident_list_done(&l);
	return SR_EXIT_OK;
}

static int
cmd_show(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	int json = 0, n, rc;
	char *pos[1];
	const struct sr_cli_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_store *st;
	char *err = NULL;

	if ((rc = parse(cli, s, argc, argv, opts, pos, 1, 1, &n)) != 0)
		return rc;
	if ((st = sr_cli_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	sr_incident_init(&inc);
	if (st->ops->get(st, pos[0], &inc, &err) != 0 ||
	    st->ops->events(st, pos[0], &ev, &err) != 0) {
		rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
		goto out;
	}
	sr_cli_warn_skipped(cli, ev.skipped);
	if (json) {
		struct sr_buf b;

		sr_buf_init(&b);
		json_incident(&b, &inc, cli->ses->cfg, cli->ses->now);
		b.len--;	/* reopen the object to add the timeline */
		sr_buf_adds(&b, ",\"events\":[");
		for (size_t i = 0; i < ev.n; i++) {
			if (i)
				sr_buf_addc(&b, ',');
			json_event(&b, &ev.v[i]);
		}
		sr_buf_adds(&b, "]}");
		emit(cli, &b);
	} else {
		show_human(cli, &inc, &ev);
	}
	rc = SR_EXIT_OK;
out:
	return finish(&inc, &ev, rc);
}

/* One positional id plus fixed positional arguments mapped into a change. */
static int
cmd_simple(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	int json = 0, down = 0, n, rc;
	char *pos[3] = { NULL, NULL, NULL };
	const char *cause = NULL, *resolution = NULL, *what = NULL, *channel = NULL, *sent = NULL;
	const struct sr_cli_opt opts[] = {
		{ "json", NULL, &json },	  { "down", NULL, &down },
		{ "cause", &cause, NULL },	  { "resolution", &resolution, NULL },
		{ "what", &what, NULL },	  { "channel", &channel, NULL },
		{ "text", &sent, NULL },	  { NULL, NULL, NULL },
	};
	struct sr_change ch = { 0 };
	struct sr_buf text;
	int want = 1;

	if (strcmp(s->name, "status") == 0 || strcmp(s->name, "sev") == 0 ||
	    strcmp(s->name, "link") == 0)
		want = 2;
	else if (strcmp(s->name, "assign") == 0 || strcmp(s->name, "set") == 0)
		want = 3;
	if (strcmp(s->name, "note") == 0) {
		/* the note is every remaining word: `sitrep incident note ID rolled back v2` */
		char *id = NULL;

		sr_buf_init(&text);
		for (int i = 1; i < argc; i++) {
			if (strcmp(argv[i], "--json") == 0) {
				json = 1;
			} else if (id == NULL) {
				id = argv[i];
			} else {
				if (text.len)
					sr_buf_addc(&text, ' ');
				sr_buf_adds(&text, argv[i]);
			}
		}
		if (id == NULL || text.len == 0) {
			sr_buf_done(&text);
			return sub_usage(cli, s, "missing argument");
		}
		ch.op = SR_CH_NOTE;
		ch.a = text.data;
		rc = sr_cli_change(cli, id, &ch, json);
		sr_buf_done(&text);
		return rc;
	}
	if ((rc = parse(cli, s, argc, argv, opts, pos, want, want, &n)) != 0)
		return rc;
	if (strcmp(s->name, "ack") == 0) {
		ch.op = SR_CH_ACK;
	} else if (strcmp(s->name, "status") == 0) {
		ch.op = SR_CH_STATUS, ch.a = pos[1];
	} else if (strcmp(s->name, "sev") == 0) {
		ch.op = SR_CH_SEV, ch.a = pos[1];
	} else if (strcmp(s->name, "escalate") == 0) {
		ch.op = down ? SR_CH_DEESCALATE : SR_CH_ESCALATE;
	} else if (strcmp(s->name, "deescalate") == 0) {
		ch.op = SR_CH_DEESCALATE;
	} else if (strcmp(s->name, "assign") == 0) {
		ch.op = SR_CH_ASSIGN, ch.a = pos[1], ch.b = pos[2];
	} else if (strcmp(s->name, "set") == 0) {
		ch.op = SR_CH_FIELD, ch.a = pos[1], ch.b = pos[2];
	} else if (strcmp(s->name, "resolve") == 0) {
		ch.op = SR_CH_RESOLVE, ch.a = cause, ch.b = resolution;
	} else if (strcmp(s->name, "close") == 0) {
		ch.op = SR_CH_CLOSE;
	} else if (strcmp(s->name, "link") == 0) {
		ch.op = SR_CH_LINK, ch.a = pos[1], ch.b = what;
	} else if (strcmp(s->name, "update-sent") == 0) {
		ch.op = SR_CH_UPDATE_SENT, ch.a = channel, ch.b = sent;
	}
	return sr_cli_change(cli, pos[0], &ch, json);
}

/*
 * Applies due escalations to every open, unacknowledged incident. A conflict means another
 * process changed the incident at the same moment: reload and look again, so each level is
 * recorded exactly once whoever wins.
 */
static int
cmd_tick(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	int n, rc;
	char *pos[1];
	const struct sr_cli_opt opts[] = { { NULL, NULL, NULL } };
	struct sr_incident_list l = { 0 };
	struct sr_event_list ev = { 0 };
	struct sr_store *st;
	char *err = NULL;

	if ((rc = parse(cli, s, argc, argv, opts, pos, 0, 0, &n)) != 0)
		return rc;
	if ((st = sr_cli_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	if (st->ops->list(st, SR_LIST_OPEN, &l, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	sr_cli_warn_skipped(cli, l.skipped);
	rc = sr_change_tick_due(st, &l, cli->ses->cfg, cli->ses->now, &ev, &err) < 0 ?
		     sr_cli_fail(cli, SR_EXIT_FAIL, err) : SR_EXIT_OK;
	put_events(cli, &ev, NULL);
	/*
	 * Acknowledgements in Alertmanager follow their incidents (extend / expire): only asked
	 * when an open incident has linked alerts, and an Alertmanager that cannot be asked is
	 * said on stderr without failing the tick, whose job is the escalations.
	 */
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].n_alerts > 0) {
			(void)sr_cli_ack_sync(cli, st, NULL, 0);
			break;
		}
	}
	sr_event_list_done(&ev);
	sr_incident_list_done(&l);
	return rc;
}

/* --- incident check ID RUNBOOK N: tick a runbook checklist item on the timeline --- */

static int
cmd_check(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	const char *id = NULL, *rbname = NULL, *nstr = NULL;
	struct sr_runbook_set set;
	struct sr_checklist cl;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_store *st;
	char *path = NULL, *anchor = NULL, *err = NULL, *label;
	const struct sr_runbook *rb;
	int undo = 0, k, conflict = 0, rc = SR_EXIT_FAIL;
	long n;

	(void)s;
	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--undo") == 0)
			undo = 1;
		else if (argv[k][0] == '-' && argv[k][1] == '-')
			return sr_cli_usage(cli, "incident check", "unknown option %s", argv[k]);
		else if (id == NULL)
			id = argv[k];
		else if (rbname == NULL)
			rbname = argv[k];
		else if (nstr == NULL)
			nstr = argv[k];
		else
			return sr_cli_usage(cli, "incident check", "too many arguments");
	}
	if (nstr == NULL)
		return sr_cli_usage(cli, "incident check", "needs ID RUNBOOK N");
	if (sr_cli_long(nstr, 1, 1000000, &n) < 0)
		return sr_cli_usage(cli, "incident check", "N is an item number from 1");
	if (sr_cli_runbook_set(cli, &set, 0) != 0)
		return SR_EXIT_FAIL;
	if (sr_runbook_locate(&set, rbname, &path, &anchor, &err) < 0) {
		sr_runbook_set_done(&set);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	rb = sr_runbook_find(&set, rbname);
	label = sr_xstrdup(rb && strcmp(rb->path, path) == 0 ? rb->name : path);
	sr_runbook_set_done(&set);
	free(anchor);
	if (sr_runbook_checklist(path, &cl, &err) < 0) {
		free(path);
		free(label);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	free(path);
	if (cl.n == 0 || (size_t)n > cl.n) {
		char *c = sr_text_clean(label);

		if (cl.n == 0)
			err = sr_xasprintf("runbook %s has no checklist items", c);
		else
			err = sr_xasprintf("runbook %s has %zu checklist item%s (1..%zu), not %ld",
					   c, cl.n, cl.n == 1 ? "" : "s", cl.n, n);
		free(c);
		sr_checklist_done(&cl);
		free(label);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	if ((st = sr_cli_store(cli)) == NULL)
		goto out_cl;
	sr_incident_init(&inc);
	{
		const struct sr_change ch = { .op = SR_CH_CHECK, .a = label, .b = cl.v[n - 1].text,
					      .n = (int)n, .done = !undo };

		if (sr_change_commit(st, id, &ch, cli->ses->cfg, cli->ses->actor, cli->ses->now, &inc, &ev,
				     &conflict, &err) < 0) {
			sr_cli_fail(cli, SR_EXIT_FAIL, err);
			goto out_inc;
		}
	}
	{
		struct sr_buf b;

		sr_buf_init(&b);
		sr_text_sanitize(&b, inc.id, strlen(inc.id), 0);
		sr_buf_printf(&b, ": %s ", undo ? "unchecked" : "checked");
		sr_text_sanitize(&b, label, strlen(label), 0);
		sr_buf_printf(&b, " item %ld: %s\n", n, cl.v[n - 1].text);
		sr_cli_write(cli, &b);
		sr_buf_done(&b);
	}
	rc = SR_EXIT_OK;
out_inc:
	sr_event_list_done(&ev);
	sr_incident_done(&inc);
out_cl:
	sr_checklist_done(&cl);
	free(label);
	return rc;
}

/* The post-mortem commands live in cli/cli_postmortem.c. */
static int
cmd_verify(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	(void)s;
	return sr_cli_incident_verify(cli, argc, argv);
}

static int
cmd_action(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	(void)s;
	return sr_cli_incident_action(cli, argc, argv);
}

/* The checklist lives in runbooks: src/cli_runbook.c resolves RUNBOOK and item N. */
static const struct sub subs[] = {
	{ "new", "--sev P1..P4 --title TEXT [--service S] [--impact TEXT] [--json]",
	  "open a new incident (status triggered, level L1)", cmd_new, 1 },
	{ "list", "[--open|--all] [--json|--csv]", "list open (default) or all incidents with live timers",
	  cmd_list, 0 },
	{ "show", "ID [--json]", "show one incident, its timers and its timeline", cmd_show, 0 },
	{ "ack", "ID [--json]", "acknowledge: stops the respond clock", cmd_simple, 1 },
	{ "status", "ID STATUS [--json]",
	  "set the status (acknowledged, investigating, identified, monitoring, resolved, closed)",
	  cmd_simple, 1 },
	{ "sev", "ID P1..P4 [--json]", "change the severity (deadlines re-based from creation)",
	  cmd_simple, 1 },
	{ "note", "ID TEXT...", "add a note to the timeline", cmd_simple, 1 },
	{ "escalate", "ID [--down] [--json]", "move to the next escalation level (or back)",
	  cmd_simple, 1 },
	{ "deescalate", "ID [--json]", "move back one escalation level", cmd_simple, 1 },
	{ "assign", "ID ROLE NAME [--json]", "assign a role: commander, comms or scribe",
	  cmd_simple, 1 },
	{ "set", "ID FIELD TEXT [--json]",
	  "set a field: impact, cause, resolution; post-mortem (also once closed): summary, "
	  "trigger, detection, went_well, went_wrong, lucky, review_at (a time)", cmd_simple, 1 },
	{ "action", "ID TEXT --owner NAME --due DATE [--kind prevent|mitigate|detect|process]",
	  "add a post-mortem action item (due: YYYY-MM-DD, a time, or 14d from now)",
	  cmd_action, 1 },
	{ "link", "ID FINGERPRINT [--what TEXT] [--json]", "link an alert by its fingerprint",
	  cmd_simple, 1 },
	{ "update-sent", "ID [--channel NAME] [--text TEXT] [--json]",
	  "record that a status update went out (restarts the update clock)", cmd_simple, 1 },
	{ "resolve", "ID [--cause TEXT] [--resolution TEXT] [--json]",
	  "resolve: stops the resolve clock", cmd_simple, 1 },
	{ "close", "ID [--json]", "close a resolved incident", cmd_simple, 1 },
	{ "check", "ID RUNBOOK N [--undo]",
	  "tick item N of a runbook's checklist (see sitrep runbook show) on the timeline",
	  cmd_check, 1 },
	{ "verify", "ID|--all",
	  "recompute the timeline's hash chain; name the first event altered, deleted or "
	  "inserted behind sitrep's back (exit 1)", cmd_verify, 0 },
	{ "tick", "", "apply escalations that are due (for cron or a second console)", cmd_tick,
	  1 },
};

static void
help(struct sr_cli *cli, const struct sub *only)
{
	if (only == NULL)
		fputs("usage: sitrep incident COMMAND [ARGS]\n\ncommands:\n", cli->out);
	for (size_t i = 0; i < SR_ARRAY_LEN(subs); i++) {
		if (only != NULL && only != &subs[i])
			continue;
		if (only != NULL)
			fprintf(cli->out, "usage: sitrep incident %s %s\n  %s\n", subs[i].name,
				subs[i].usage, subs[i].summary);
		else
			fprintf(cli->out, "  %-12s %s\n  %-12s   %s\n", subs[i].name,
				subs[i].usage, "", subs[i].summary);
	}
}

int
sr_cli_incident(struct sr_cli *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		help(cli, NULL);
		return argc < 2 ? SR_EXIT_USAGE : SR_EXIT_OK;
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(subs); i++) {
		if (strcmp(argv[1], subs[i].name) != 0)
			continue;
		if (sr_cli_wants_help(argc - 1, argv + 1)) {
			help(cli, &subs[i]);
			return SR_EXIT_OK;
		}
		if (subs[i].writes && cli->ses->readonly)
			return sr_cli_fail(cli, SR_EXIT_FAIL,
					   sr_xasprintf("read-only mode (--readonly): "
							"not running incident %s",
							subs[i].name));
		return subs[i].run(cli, &subs[i], argc - 1, argv + 1);
	}
	return sr_cli_usage(cli, "incident", "unknown command \"%s\"", argv[1]);
}

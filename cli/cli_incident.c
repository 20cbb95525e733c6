/* SPDX-License-Identifier: MIT */
/* cli_incident.c: `sitrep incident ...`: create, list, show and work incidents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
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
json_time(struct sr_buf *b, const char *key, sr_time t)
{
	char ts[32];

	sr_buf_printf(b, "\"%s\":", key);
	if (t == 0)
		sr_buf_adds(b, "null");
	else
		sr_buf_printf(b, "\"%s\"", sr_time_format(t, ts, sizeof(ts)));
}

static void
json_deadline(struct sr_buf *b, const char *key, const struct sr_deadline *d)
{
	sr_buf_printf(b, "\"%s\":", key);
	if (d->due == 0) {
		sr_buf_adds(b, "null");
		return;
	}
	sr_buf_addc(b, '{');
	json_time(b, "due", d->due);
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
	sr_buf_adds(b, ",\"title\":");
	sr_json_str(b, inc->title);
	sr_buf_adds(b, ",\"service\":");
	sr_json_str(b, inc->service);
	sr_buf_printf(b, ",\"severity\":\"%s\",\"status\":\"%s\",\"level\":\"L%d\",\"level_name\":",
		      sr_sev_name(inc->sev), sr_status_name(inc->status), inc->level + 1);
	sr_json_str(b, cfg->level[inc->level].name);
	sr_buf_adds(b, ",\"level_contact\":");
	sr_json_str(b, cfg->level[inc->level].contact);
	sr_buf_adds(b, ",\"impact\":");
	sr_json_str(b, inc->impact);
	sr_buf_adds(b, ",\"root_cause\":");
	sr_json_str(b, inc->root_cause);
	sr_buf_adds(b, ",\"resolution\":");
	sr_json_str(b, inc->resolution);
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
	json_time(b, "created_at", inc->created_at);
	sr_buf_addc(b, ',');
	json_time(b, "acknowledged_at", inc->acked_at);
	sr_buf_addc(b, ',');
	json_time(b, "resolved_at", inc->resolved_at);
	sr_buf_addc(b, ',');
	json_time(b, "closed_at", inc->closed_at);
	sr_buf_addc(b, ',');
	json_time(b, "last_update_at", inc->last_update_at);
	sr_buf_adds(b, ",\"timers\":{");
	json_deadline(b, "respond", &t.respond);
	sr_buf_addc(b, ',');
	json_deadline(b, "resolve", &t.resolve);
	sr_buf_addc(b, ',');
	json_deadline(b, "update", &t.update);
	sr_buf_addc(b, ',');
	json_time(b, "next_escalation", t.next_escalation);
	sr_buf_printf(b, "},\"version\":%lld}", (long long)inc->version);
}

static void
json_event(struct sr_buf *b, const struct sr_event *ev)
{
	sr_buf_addc(b, '{');
	json_time(b, "at", ev->at);
	sr_buf_adds(b, ",\"actor\":");
	sr_json_str(b, ev->actor);
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

/* "4m12s left", "7m OVERDUE", "met", "missed by 2m", or "-" when it does not apply. */
static const char *
deadline_text(const struct sr_deadline *d, char *buf, size_t n, int *alarm)
{
	char dur[24];

	*alarm = 0;
	if (d->due == 0) {
		snprintf(buf, n, "-");
	} else if (d->running && d->left >= 0) {
		snprintf(buf, n, "%s left", sr_duration_format(d->left, dur, sizeof(dur)));
	} else if (d->running) {
		*alarm = 1;
		snprintf(buf, n, "%s OVERDUE", sr_duration_format(d->left, dur, sizeof(dur)));
	} else if (d->breached) {
		*alarm = 1;
		snprintf(buf, n, "missed by %s", sr_duration_format(d->left, dur, sizeof(dur)));
	} else {
		snprintf(buf, n, "met");
	}
	return buf;
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

static const char *
sev_sgr(enum sr_sev s)
{
	static const char *const sgr[SR_SEV_COUNT] = { "1;31", "31", "33", "36" };

	return (unsigned)s < SR_SEV_COUNT ? sgr[s] : NULL;
}

/* Column layout of `incident list`: one table, header generated from it. */
enum col { C_ID, C_SEV, C_STATUS, C_LVL, C_AGE, C_RESPOND, C_RESOLVE, C_UPDATE, C_TITLE };
static const struct {
	const char *head;
	size_t width;
} cols[] = {
	[C_ID] = { "ID", 13 },	       [C_SEV] = { "SEV", 4 },
	[C_STATUS] = { "STATUS", 14 }, [C_LVL] = { "LVL", 4 },
	[C_AGE] = { "AGE", 8 },	       [C_RESPOND] = { "RESPOND", 16 },
	[C_RESOLVE] = { "RESOLVE", 16 }, [C_UPDATE] = { "NEXT UPDATE", 16 },
	[C_TITLE] = { "TITLE", 0 },
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
list_row(struct sr_cli *cli, const struct sr_incident *inc, size_t idw)
{
	struct sr_timers t;
	char buf[64], dur[24];
	int alarm;

	sr_incident_timers(inc, cli->cfg, cli->now, &t);
	put_cell(cli, inc->id, idw, NULL);
	put_cell(cli, sr_sev_name(inc->sev), cols[C_SEV].width, sev_sgr(inc->sev));
	put_cell(cli, sr_status_name(inc->status), cols[C_STATUS].width, NULL);
	snprintf(buf, sizeof(buf), "L%d", t.due_level + 1);
	put_cell(cli, buf, cols[C_LVL].width, inc->level > 0 ? "1" : NULL);
	put_cell(cli, sr_age_format(cli->now - inc->created_at, dur, sizeof(dur)),
		 cols[C_AGE].width, NULL);
	deadline_text(&t.respond, buf, sizeof(buf), &alarm);
	put_cell(cli, buf, cols[C_RESPOND].width, alarm ? "1;31" : NULL);
	deadline_text(&t.resolve, buf, sizeof(buf), &alarm);
	put_cell(cli, buf, cols[C_RESOLVE].width, alarm ? "1;31" : NULL);
	deadline_text(&t.update, buf, sizeof(buf), &alarm);
	put_cell(cli, buf, cols[C_UPDATE].width, alarm ? "1;33" : NULL);
	sr_cli_put(cli, inc->title);
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
	const struct sr_config *cfg = cli->cfg;
	struct sr_timers t;
	char ts[32], buf[64];
	int alarm;

	sr_incident_timers(inc, cfg, cli->now, &t);
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
	field(cli, "Respond:", deadline_text(&t.respond, buf, sizeof(buf), &alarm));
	field(cli, "Resolve:", deadline_text(&t.resolve, buf, sizeof(buf), &alarm));
	field(cli, "Next update:", deadline_text(&t.update, buf, sizeof(buf), &alarm));
	if (t.next_escalation) {
		char dur[24];

		snprintf(buf, sizeof(buf), "L%d in %s", t.due_level + 2,
			 sr_duration_format(t.next_escalation - cli->now, dur, sizeof(dur)));
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
static int
change(struct sr_cli *cli, const char *id, const struct sr_change *ch, int json)
{
	struct sr_store *st = sr_cli_store(cli);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	if (st == NULL)
		return SR_EXIT_FAIL;
	sr_incident_init(&inc);
	if (sr_change_commit(st, id, ch, cli->cfg, cli->cfg->user, cli->now, &inc, &ev, NULL,
			     &err) != 0) {
		sr_incident_done(&inc);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	if (json) {
		struct sr_buf b;

		sr_buf_init(&b);
		json_incident(&b, &inc, cli->cfg, cli->now);
		emit(cli, &b);
	} else {
		for (size_t i = 0; i < ev.n; i++) {
			sr_cli_put(cli, inc.id);
			fputs(": ", cli->out);
			sr_cli_put_block(cli, ev.v[i].detail, EVENT_INDENT);
			fputc('\n', cli->out);
		}
	}
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return SR_EXIT_OK;
}

static int
cmd_new(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	const char *sev_s = NULL, *title = NULL, *service = NULL, *impact = NULL;
	int json = 0, n, rc;
	char *pos[1];
	const struct sr_cli_opt opts[] = {
		{ "sev", &sev_s, NULL },       { "severity", &sev_s, NULL },
		{ "title", &title, NULL },     { "service", &service, NULL },
		{ "impact", &impact, NULL },   { "json", NULL, &json },
		{ NULL, NULL, NULL },
	};
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_store *st;
	enum sr_sev sev;
	char *err = NULL;

	if ((rc = parse(cli, s, argc, argv, opts, pos, 0, 0, &n)) != 0)
		return rc;
	if (sev_s == NULL)
		return sub_usage(cli, s, "--sev is required");
	if (title == NULL)
		return sub_usage(cli, s, "--title is required");
	if (sr_sev_parse(sev_s, &sev, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	if (sr_incident_new(&inc, title, service, sev, impact, cli->cfg->user, cli->now, &ev,
			    &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	rc = SR_EXIT_FAIL;
	if ((st = sr_cli_store(cli)) == NULL)
		goto out;
	if (st->ops->create(st, &inc, &ev, &err) != 0) {
		rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
		goto out;
	}
	if (json) {
		struct sr_buf b;

		sr_buf_init(&b);
		json_incident(&b, &inc, cli->cfg, cli->now);
		emit(cli, &b);
	} else {
		sr_cli_put(cli, inc.id);
		fputs(": ", cli->out);
		sr_cli_put_block(cli, ev.v[0].detail, EVENT_INDENT);
		fputc('\n', cli->out);
	}
	rc = SR_EXIT_OK;
out:
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return rc;
}

static int
cmd_list(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	int json = 0, all = 0, open = 0, n, rc;
	char *pos[1];
	const struct sr_cli_opt opts[] = {
		{ "json", NULL, &json }, { "all", NULL, &all }, { "open", NULL, &open },
		{ NULL, NULL, NULL },
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
	if (json) {
		struct sr_buf b;

		sr_buf_init(&b);
		sr_buf_addc(&b, '[');
		for (size_t i = 0; i < l.n; i++) {
			if (i)
				sr_buf_addc(&b, ',');
			json_incident(&b, &l.v[i], cli->cfg, cli->now);
		}
		sr_buf_addc(&b, ']');
		emit(cli, &b);
	} else if (l.n == 0) {
		fputs(all ? "No incidents.\n" : "No open incidents.\n", cli->out);
	} else {
		size_t idw = id_width(&l);

		for (size_t c = 0; c < SR_ARRAY_LEN(cols); c++) {
			if (cols[c].width)
				fprintf(cli->out, "%-*s", (int)(c == C_ID ? idw : cols[c].width),
					cols[c].head);
			else
				fprintf(cli->out, "%s\n", cols[c].head);
		}
		for (size_t i = 0; i < l.n; i++)
			list_row(cli, &l.v[i], idw);
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
		json_incident(&b, &inc, cli->cfg, cli->now);
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
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return rc;
}

/* One positional id plus fixed positional arguments mapped into a change. */
static int
cmd_simple(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	int json = 0, down = 0, n, rc;
	char *pos[3] = { NULL, NULL, NULL };
	const char *cause = NULL, *resolution = NULL, *what = NULL, *channel = NULL;
	const struct sr_cli_opt opts[] = {
		{ "json", NULL, &json },	  { "down", NULL, &down },
		{ "cause", &cause, NULL },	  { "resolution", &resolution, NULL },
		{ "what", &what, NULL },	  { "channel", &channel, NULL },
		{ NULL, NULL, NULL },
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
		rc = change(cli, id, &ch, json);
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
		ch.op = SR_CH_UPDATE_SENT, ch.a = channel;
	}
	return change(cli, pos[0], &ch, json);
}

/*
 * Applies due escalations to every open, unacknowledged incident. A conflict means another
 * process changed the incident at the same moment: reload and look again, so each level is
 * recorded exactly once whoever wins.
 */
static int
cmd_tick(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	int n, rc, failed = 0;
	char *pos[1];
	const struct sr_cli_opt opts[] = { { NULL, NULL, NULL } };
	struct sr_incident_list l = { 0 };
	struct sr_store *st;
	char *err = NULL;

	if ((rc = parse(cli, s, argc, argv, opts, pos, 0, 0, &n)) != 0)
		return rc;
	if ((st = sr_cli_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	if (st->ops->list(st, SR_LIST_OPEN, &l, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	sr_cli_warn_skipped(cli, l.skipped);
	for (size_t i = 0; i < l.n; i++) {
		const struct sr_change tick = { .op = SR_CH_TICK };
		struct sr_event_list ev = { 0 };

		if (l.v[i].status != SR_ST_TRIGGERED)
			continue;
		if (sr_change_commit(st, l.v[i].id, &tick, cli->cfg, "sitrep", cli->now, NULL, &ev,
				     NULL, &err) != 0) {
			failed = sr_cli_fail(cli, SR_EXIT_FAIL, err);
			err = NULL;
		}
		for (size_t e = 0; e < ev.n; e++) {
			sr_cli_put(cli, l.v[i].id);
			fputs(": ", cli->out);
			sr_cli_put_block(cli, ev.v[e].detail, EVENT_INDENT);
			fputc('\n', cli->out);
		}
		sr_event_list_done(&ev);
	}
	sr_incident_list_done(&l);
	return failed ? SR_EXIT_FAIL : SR_EXIT_OK;
}

/* The checklist lives in runbooks: src/cli_runbook.c resolves RUNBOOK and item N. */
static int
cmd_check(struct sr_cli *cli, const struct sub *s, int argc, char **argv)
{
	(void)s;
	return sr_cli_incident_check(cli, argc, argv);
}

static const struct sub subs[] = {
	{ "new", "--sev P1..P4 --title TEXT [--service S] [--impact TEXT] [--json]",
	  "open a new incident (status triggered, level L1)", cmd_new, 1 },
	{ "list", "[--open|--all] [--json]", "list open (default) or all incidents with live timers",
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
	{ "set", "ID impact|cause|resolution TEXT [--json]", "set a descriptive field",
	  cmd_simple, 1 },
	{ "link", "ID FINGERPRINT [--what TEXT] [--json]", "link an alert by its fingerprint",
	  cmd_simple, 1 },
	{ "update-sent", "ID [--channel NAME] [--json]",
	  "record that a status update went out (restarts the update clock)", cmd_simple, 1 },
	{ "resolve", "ID [--cause TEXT] [--resolution TEXT] [--json]",
	  "resolve: stops the resolve clock", cmd_simple, 1 },
	{ "close", "ID [--json]", "close a resolved incident", cmd_simple, 1 },
	{ "check", "ID RUNBOOK N [--undo]",
	  "tick item N of a runbook's checklist (see sitrep runbook show) on the timeline",
	  cmd_check, 1 },
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
		if (subs[i].writes && cli->readonly)
			return sr_cli_fail(cli, SR_EXIT_FAIL,
					   sr_xasprintf("read-only mode (--readonly): "
							"not running incident %s",
							subs[i].name));
		return subs[i].run(cli, &subs[i], argc - 1, argv + 1);
	}
	return sr_cli_usage(cli, "incident", "unknown command \"%s\"", argv[1]);
}

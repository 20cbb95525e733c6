/* SPDX-License-Identifier: MIT */
/*
 * cli_postmortem.c: after the incident: `sitrep incident verify`, the review fields and
 * action items, `sitrep action ...`, `sitrep export` and `sitrep stats`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "change.h"
#include "cli.h"
#include "text.h"

struct sr_store *
sr_cli_pm_store(struct sr_cli *cli)
{
	return sr_cli_store_with(cli, sr_store_has_postmortem);
}

/* --- incident verify --- */

int
sr_cli_incident_verify(struct sr_cli *cli, int argc, char **argv)
{
	int all = 0, n, rc;
	char *pos[1];
	const struct sr_cli_opt opts[] = { { "all", NULL, &all }, { NULL, NULL, NULL } };
	struct sr_chain_check c;
	struct sr_store *st;
	char *err = NULL;

	if ((rc = sr_cli_parse(cli, "incident verify", argc, argv, opts, pos, 1, &n)) != 0)
		return rc;
	if (all == (n == 1))
		return sr_cli_usage(cli, "incident verify", "give one incident ID or --all");
	if ((st = sr_cli_pm_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	sr_chain_check_init(&c);
	if (st->ops->chain_walk(st, all ? NULL : pos[0], sr_chain_check_row, &c, &err) != 0) {
		sr_chain_check_done(&c);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	sr_chain_check_end(&c);
	for (size_t i = 0; i < c.n_found; i++) {
		sr_cli_put(cli, c.found[i].incident);
		fputs(": ", cli->out);
		sr_cli_put(cli, c.found[i].text);
		fputc('\n', cli->out);
	}
	if (!all && c.n_found == 0) {
		char head[SR_HASH_HEX];
		int64_t hn;

		if (st->ops->chain_head(st, pos[0], &hn, head, &err) != 0) {
			sr_chain_check_done(&c);
			return sr_cli_fail(cli, SR_EXIT_FAIL, err);
		}
		sr_cli_put(cli, pos[0]);
		fprintf(cli->out, ": ok, %" PRId64 " events, chain head sha256:%s\n", hn, head);
	} else if (all) {
		fprintf(cli->out, "%" PRId64 " events in %" PRId64 " incidents checked: %s%zu "
			"incident%s with a broken timeline\n", c.events, c.incidents,
			c.n_found ? "" : "ok, ", c.n_found, c.n_found == 1 ? "" : "s");
	}
	rc = c.n_found ? SR_EXIT_FAIL : SR_EXIT_OK;
	sr_chain_check_done(&c);
	return rc;
}

/* --- action items --- */

/*
 * A due date: "2026-12-01" (the end of that day, UTC), an RFC 3339 time, or a duration from
 * now ("7d", "2w").
 */
static int
parse_due(const char *s, sr_time now, sr_time *out, char **err)
{
	char buf[40];
	int64_t d;

	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		snprintf(buf, sizeof buf, "%sT23:59:59Z", s);
		return sr_time_parse(buf, out, err);
	}
	if (sr_duration_parse(s, &d, NULL) == 0) {
		*out = now + d;
		return 0;
	}
	if (sr_time_parse(s, out, NULL) == 0)
		return 0;
	return sr_err(err, "bad due date \"%s\": expected YYYY-MM-DD, an RFC 3339 time or a "
		      "duration such as 14d", s);
}

int
sr_cli_incident_action(struct sr_cli *cli, int argc, char **argv)
{
	const char *owner = NULL, *due = NULL, *kind = NULL;
	char *pos[2], *err = NULL;
	int n, rc;
	const struct sr_cli_opt opts[] = {
		{ "owner", &owner, NULL }, { "due", &due, NULL }, { "kind", &kind, NULL },
		{ NULL, NULL, NULL },
	};
	struct sr_change ch = { .op = SR_CH_ACTION };

	if ((rc = sr_cli_parse(cli, "incident action", argc, argv, opts, pos, 2, &n)) != 0)
		return rc;
	if (n < 2 || owner == NULL || due == NULL)
		return sr_cli_usage(cli, "incident action", "usage: sitrep incident action ID TEXT "
				    "--owner NAME --due DATE [--kind prevent|mitigate|detect|process]");
	if (parse_due(due, cli->ses->now, &ch.t, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	if (sr_cli_pm_store(cli) == NULL)
		return SR_EXIT_FAIL;
	ch.a = pos[1];
	ch.b = owner;
	ch.c = kind;
	if ((rc = sr_cli_change(cli, pos[0], &ch, 0)) == SR_EXIT_OK) {
		/* the id the store gave it: the newest action item of the incident */
		struct sr_action_filter f = { .incident = pos[0] };
		struct sr_action_list l = { 0 };

		if (cli->ses->store->ops->actions(cli->ses->store, &f, &l, &err) != 0)
			return sr_cli_fail(cli, SR_EXIT_FAIL, err);
		for (size_t i = 0; i < l.n; i++)
			if (l.v[i].id > ch.id)
				ch.id = l.v[i].id;
		fprintf(cli->out, "action item A%lld\n", (long long)ch.id);
		sr_action_list_done(&l);
	}
	return rc;
}

/* "A12", "#12" or "12" -> 12; 0 when not an action id. */
static int64_t
action_id(const char *s)
{
	char *end;
	long long v;

	if (*s == 'A' || *s == 'a' || *s == '#')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v > 0 ? (int64_t)v : 0;
}

static void
json_action(struct sr_buf *b, const struct sr_action *a, sr_time now)
{
	char ts[32];

	sr_buf_printf(b, "{\"id\":\"A%lld\",\"incident\":", (long long)a->id);
	sr_json_str(b, a->incident);
	sr_json_field(b, "text", a->text);
	sr_json_field(b, "owner", a->owner);
	sr_buf_printf(b, ",\"kind\":\"%s\",\"due\":\"%s\",", sr_action_kind_name(a->kind),
		      sr_time_format(a->due, ts, sizeof ts));
	sr_buf_printf(b, "\"created_at\":\"%s\",\"done_at\":",
		      sr_time_format(a->created_at, ts, sizeof ts));
	if (a->done_at)
		sr_buf_printf(b, "\"%s\"", sr_time_format(a->done_at, ts, sizeof ts));
	else
		sr_buf_adds(b, "null");
	sr_json_field(b, "done_by", a->done_by);
	sr_buf_printf(b, ",\"overdue\":%s}", !a->done_at && a->due < now ? "true" : "false");
}

/* json_action as an sr_cli_json_item (arg: the sr_time now). */
static void
json_action_item(struct sr_buf *b, const void *a, const void *now)
{
	json_action(b, a, *(const sr_time *)now);
}

/* s sanitised and fitted to width columns (padded). */
static void
put_fit(struct sr_cli *cli, const char *s, size_t width)
{
	struct sr_buf cell;

	sr_buf_init(&cell);
	sr_text_fit(&cell, s != NULL ? s : "", width, 1, 0);
	fputs(cell.data != NULL ? cell.data : "", cli->out);
	sr_buf_done(&cell);
}

static int
action_list(struct sr_cli *cli, int argc, char **argv)
{
	const char *owner = NULL, *incident = NULL;
	int open = 0, json = 0, n, rc;
	char *pos[1], *err = NULL;
	const struct sr_cli_opt opts[] = {
		{ "open", NULL, &open },   { "json", NULL, &json },
		{ "owner", &owner, NULL }, { "incident", &incident, NULL },
		{ NULL, NULL, NULL },
	};
	struct sr_action_filter f;
	struct sr_action_list l = { 0 };
	struct sr_store *st;

	if ((rc = sr_cli_parse(cli, "action list", argc, argv, opts, pos, 0, &n)) != 0)
		return rc;
	if ((st = sr_cli_pm_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	f.open_only = open;
	f.owner = owner;
	f.incident = incident;
	if (st->ops->actions(st, &f, &l, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	if (json) {
		sr_cli_json_list(cli, l.v, l.n, sizeof(*l.v), json_action_item, &cli->ses->now);
	} else if (l.n == 0) {
		fputs(open ? "No open action items.\n" : "No action items.\n", cli->out);
	} else {
		fprintf(cli->out, "%-7s %-13s %-9s %-12s %-11s %-8s %s\n", "ACTION", "INCIDENT",
			"KIND", "OWNER", "DUE", "STATE", "TEXT");
		for (size_t i = 0; i < l.n; i++) {
			const struct sr_action *a = &l.v[i];
			char id[24], ts[32];

			snprintf(id, sizeof id, "A%lld", (long long)a->id);
			sr_time_format(a->due, ts, sizeof ts);
			ts[10] = '\0';
			fprintf(cli->out, "%-7s ", id);
			/* the incident id and the owner come from the store: sanitised cells */
			put_fit(cli, a->incident, 13);
			fprintf(cli->out, " %-9s ", sr_action_kind_name(a->kind));
			put_fit(cli, a->owner, 12);
			fprintf(cli->out, " %-11s %-8s ", ts,
				a->done_at ? "done" : a->due < cli->ses->now ? "OVERDUE" : "open");
			sr_cli_put(cli, a->text);
			fputc('\n', cli->out);
		}
	}
	sr_action_list_done(&l);
	return SR_EXIT_OK;
}

static int
action_done(struct sr_cli *cli, int argc, char **argv)
{
	char *pos[1], *err = NULL;
	int n, rc;
	const struct sr_cli_opt opts[] = { { NULL, NULL, NULL } };
	struct sr_change ch = { .op = SR_CH_ACTION_DONE };
	struct sr_action_list l = { 0 };
	struct sr_store *st;
	char incident[SR_ID_MAX] = "";

	if ((rc = sr_cli_parse(cli, "action done", argc, argv, opts, pos, 1, &n)) != 0)
		return rc;
	if (n != 1 || (ch.id = action_id(pos[0])) == 0)
		return sr_cli_usage(cli, "action done", "usage: sitrep action done ACTION (A12)");
	if ((st = sr_cli_pm_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	/* which incident holds it: the change itself is made on that incident */
	if (st->ops->actions(st, NULL, &l, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].id == ch.id)
			snprintf(incident, sizeof incident, "%s", l.v[i].incident);
	sr_action_list_done(&l);
	if (incident[0] == '\0')
		return sr_cli_fail(cli, SR_EXIT_FAIL,
				   sr_xasprintf("no action item A%lld", (long long)ch.id));
	return sr_cli_change(cli, incident, &ch, 0);
}

static const struct {
	const char *name, *usage, *summary;
	int (*run)(struct sr_cli *cli, int argc, char **argv);
	int writes;
} action_subs[] = {
	{ "list", "[--open] [--owner NAME] [--incident ID] [--json]",
	  "action items of every incident, by due date (OVERDUE when open past it)",
	  action_list, 0 },
	{ "done", "ACTION", "mark an action item done (a timeline event of its incident)",
	  action_done, 1 },
};

int
sr_cli_action(struct sr_cli *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs("usage: sitrep action COMMAND [ARGS]\n\ncommands:\n", cli->out);
		for (size_t i = 0; i < SR_ARRAY_LEN(action_subs); i++)
			fprintf(cli->out, "  %-5s %s\n  %-5s   %s\n", action_subs[i].name,
				action_subs[i].usage, "", action_subs[i].summary);
		fputs("Add action items with: sitrep incident action ID TEXT --owner NAME "
		      "--due DATE [--kind prevent|mitigate|detect|process]\n", cli->out);
		return argc < 2 ? SR_EXIT_USAGE : SR_EXIT_OK;
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(action_subs); i++) {
		if (strcmp(argv[1], action_subs[i].name) != 0)
			continue;
		if (action_subs[i].writes && cli->ses->readonly)
			return sr_cli_fail(cli, SR_EXIT_FAIL,
					   sr_xasprintf("read-only mode (--readonly): not running "
							"action %s", action_subs[i].name));
		return action_subs[i].run(cli, argc - 1, argv + 1);
	}
	return sr_cli_usage(cli, "action", "unknown command \"%s\"", argv[1]);
}

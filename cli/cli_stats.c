/* SPDX-License-Identifier: MIT */
/* cli_stats.c: `sitrep stats` and the CSV form of `sitrep incident list`. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "postmortem.h"
#include "stats.h"
#include "text.h"

/* --- CSV (RFC 4180), safe to open in a spreadsheet --- */

/*
 * One field: sanitised to a line, quoted when it holds a comma, a quote or a space at an end,
 * and a leading = + - @ made text with a quote mark so no spreadsheet runs it as a formula.
 */
static void
csv_field(struct sr_buf *b, const char *s, int last)
{
	char *clean = sr_text_clean(s != NULL ? s : "");
	int formula = strchr("=+-@", clean[0]) != NULL && clean[0] != '\0';
	int quote = formula || strpbrk(clean, ",\"") != NULL;

	if (quote)
		sr_buf_addc(b, '"');
	if (formula)
		sr_buf_addc(b, '\'');
	for (const char *p = clean; *p != '\0'; p++) {
		if (*p == '"')
			sr_buf_addc(b, '"');
		sr_buf_addc(b, *p);
	}
	if (quote)
		sr_buf_addc(b, '"');
	sr_buf_adds(b, last ? "\r\n" : ",");
	free(clean);
}

static void
csv_time(struct sr_buf *b, sr_time t, int last)
{
	char ts[32];

	csv_field(b, t != 0 ? sr_time_format(t, ts, sizeof ts) : "", last);
}

void
sr_cli_incidents_csv(struct sr_cli *cli, const struct sr_incident_list *l)
{
	static const char *const head[] = { "id", "severity", "status", "level", "service",
		"title", "created_at", "acknowledged_at", "resolved_at", "closed_at",
		"respond_breached", "resolve_breached" };
	struct sr_buf b;

	sr_buf_init(&b);
	for (size_t i = 0; i < SR_ARRAY_LEN(head); i++)
		csv_field(&b, head[i], i + 1 == SR_ARRAY_LEN(head));
	for (size_t i = 0; i < l->n; i++) {
		const struct sr_incident *inc = &l->v[i];
		struct sr_timers t;
		char lv[16];

		sr_incident_timers(inc, cli->ses->cfg, cli->ses->now, &t);
		snprintf(lv, sizeof lv, "L%d", inc->level + 1);
		csv_field(&b, inc->id, 0);
		csv_field(&b, sr_sev_name(inc->sev), 0);
		csv_field(&b, sr_status_name(inc->status), 0);
		csv_field(&b, lv, 0);
		csv_field(&b, inc->service, 0);
		csv_field(&b, inc->title, 0);
		csv_time(&b, inc->created_at, 0);
		csv_time(&b, inc->acked_at, 0);
		csv_time(&b, inc->resolved_at, 0);
		csv_time(&b, inc->closed_at, 0);
		csv_field(&b, t.respond.breached ? "true" : "false", 0);
		csv_field(&b, t.resolve.breached ? "true" : "false", 1);
	}
	fwrite(b.data, 1, b.len, cli->out);
	sr_buf_done(&b);
}

/* --- sitrep stats --- */

/* A window edge: an RFC 3339 time, or a duration before now ("30d"). */
static int
parse_edge(const char *s, sr_time now, sr_time *out)
{
	int64_t d;

	if (sr_duration_parse(s, &d, NULL) == 0) {
		*out = now - d;
		return 0;
	}
	return sr_time_parse(s, out, NULL);
}

static double
pct(int64_t a, int64_t n)
{
	return n > 0 ? 100.0 * (double)a / (double)n : 0.0;
}

static void
stats_json(struct sr_buf *b, const struct sr_stats *s)
{
	char ts[32];

	sr_buf_printf(b, "{\"since\":\"%s\",", sr_time_format(s->q.since, ts, sizeof ts));
	sr_buf_printf(b, "\"until\":\"%s\",\"service\":", sr_time_format(s->q.until, ts, sizeof ts));
	sr_json_str(b, s->q.service);
	sr_buf_printf(b, ",\"incidents\":%" PRId64 ",\"open\":%" PRId64 ",\"by_severity\":{",
		      s->incidents, s->open);
	for (int v = 0; v < SR_SEV_COUNT; v++)
		sr_buf_printf(b, "%s\"%s\":%" PRId64, v ? "," : "", sr_sev_name((enum sr_sev)v),
			      s->by_sev[v]);
	sr_buf_adds(b, "},\"by_service\":{");
	for (size_t i = 0; i < s->n_service; i++) {
		if (i)
			sr_buf_addc(b, ',');
		sr_json_str(b, s->by_service[i].key);
		sr_buf_printf(b, ":%" PRId64, s->by_service[i].n);
	}
	sr_buf_printf(b, "},\"mtta\":{\"n\":%" PRId64 ",\"median_seconds\":%" PRId64
		      ",\"p90_seconds\":%" PRId64 "},", s->mtta.n, s->mtta.median, s->mtta.p90);
	sr_buf_printf(b, "\"mttr\":{\"n\":%" PRId64 ",\"median_seconds\":%" PRId64
		      ",\"p90_seconds\":%" PRId64 "},\"sla\":{", s->mttr.n, s->mttr.median,
		      s->mttr.p90);
	for (int v = 0; v < SR_SEV_COUNT; v++)
		sr_buf_printf(b, "%s\"%s\":{\"respond\":{\"n\":%" PRId64 ",\"breached\":%" PRId64
			      ",\"rate\":%.4f},\"resolve\":{\"n\":%" PRId64 ",\"breached\":%" PRId64
			      ",\"rate\":%.4f}}", v ? "," : "", sr_sev_name((enum sr_sev)v),
			      s->respond_n[v], s->respond_breached[v],
			      pct(s->respond_breached[v], s->respond_n[v]) / 100,
			      s->resolve_n[v], s->resolve_breached[v],
			      pct(s->resolve_breached[v], s->resolve_n[v]) / 100);
	sr_buf_adds(b, "},\"escalations\":{");
	for (int l = 1; l < SR_LEVEL_COUNT; l++)
		sr_buf_printf(b, "%s\"L%d\":%" PRId64, l > 1 ? "," : "", l + 1, s->escalations[l]);
	sr_buf_printf(b, "},\"updates\":{\"sent\":%" PRId64 ",\"on_time\":%" PRId64
		      ",\"rate\":%.4f},\"open_actions\":{\"total\":%" PRId64 ",\"by_owner\":[",
		      s->updates, s->updates_on_time, pct(s->updates_on_time, s->updates) / 100,
		      s->open_actions);
	for (size_t i = 0; i < s->n_owners; i++) {
		sr_buf_adds(b, i ? ",{\"owner\":" : "{\"owner\":");
		sr_json_str(b, s->owners[i].key);
		sr_buf_printf(b, ",\"open\":%" PRId64 ",\"overdue\":%" PRId64 "}", s->owners[i].n,
			      s->owners[i].overdue);
	}
	sr_buf_adds(b, "]}}\n");
}

/* The long form: one figure per row (metric, key, value), for a spreadsheet. */
static void
stats_csv(struct sr_buf *b, const struct sr_stats *s)
{
	char v[64];

	sr_buf_adds(b, "metric,key,value\r\n");
#define ROW(m, k, fmt, x) do { csv_field(b, m, 0); csv_field(b, k, 0); \
		snprintf(v, sizeof v, fmt, x); csv_field(b, v, 1); } while (0)
	ROW("incidents", "", "%" PRId64, s->incidents);
	ROW("open", "", "%" PRId64, s->open);
	for (int i = 0; i < SR_SEV_COUNT; i++)
		ROW("by_severity", sr_sev_name((enum sr_sev)i), "%" PRId64, s->by_sev[i]);
	for (size_t i = 0; i < s->n_service; i++)
		ROW("by_service", s->by_service[i].key, "%" PRId64, s->by_service[i].n);
	ROW("mtta_median_seconds", "", "%" PRId64, s->mtta.median);
	ROW("mtta_p90_seconds", "", "%" PRId64, s->mtta.p90);
	ROW("mttr_median_seconds", "", "%" PRId64, s->mttr.median);
	ROW("mttr_p90_seconds", "", "%" PRId64, s->mttr.p90);
	for (int i = 0; i < SR_SEV_COUNT; i++) {
		ROW("respond_breach_rate", sr_sev_name((enum sr_sev)i), "%.4f",
		    pct(s->respond_breached[i], s->respond_n[i]) / 100);
		ROW("resolve_breach_rate", sr_sev_name((enum sr_sev)i), "%.4f",
		    pct(s->resolve_breached[i], s->resolve_n[i]) / 100);
	}
	for (int l = 1; l < SR_LEVEL_COUNT; l++) {
		char k[16];

		snprintf(k, sizeof k, "L%d", l + 1);
		ROW("escalations", k, "%" PRId64, s->escalations[l]);
	}
	ROW("updates_sent", "", "%" PRId64, s->updates);
	ROW("updates_on_time", "", "%" PRId64, s->updates_on_time);
	for (size_t i = 0; i < s->n_owners; i++)
		ROW("open_actions", s->owners[i].key, "%" PRId64, s->owners[i].n);
#undef ROW
}

static void
stats_human(struct sr_cli *cli, const struct sr_stats *s)
{
	char a[32], b[32], c[32], d[32];

	fprintf(cli->out, "Incidents created %s .. %s", sr_time_format(s->q.since, a, sizeof a),
		sr_time_format(s->q.until, b, sizeof b));
	if (s->q.service != NULL) {
		fputs(" (service ", cli->out);
		sr_cli_put(cli, s->q.service);
		fputc(')', cli->out);
	}
	fprintf(cli->out, ": %" PRId64 ", %" PRId64 " still open\n  by severity:", s->incidents,
		s->open);
	for (int v = 0; v < SR_SEV_COUNT; v++)
		fprintf(cli->out, " %s %" PRId64, sr_sev_name((enum sr_sev)v), s->by_sev[v]);
	fputs("\n  by service: ", cli->out);
	for (size_t i = 0; i < s->n_service; i++) {
		fputs(i ? ", " : "", cli->out);
		sr_cli_put(cli, s->by_service[i].key);
		fprintf(cli->out, " %" PRId64, s->by_service[i].n);
	}
	fprintf(cli->out, "\nTime to acknowledge: median %s, p90 %s (%" PRId64 " acknowledged)\n",
		sr_pm_duration(s->mtta.median, a, sizeof a), sr_pm_duration(s->mtta.p90, b, sizeof b),
		s->mtta.n);
	fprintf(cli->out, "Time to resolve:     median %s, p90 %s (%" PRId64 " resolved)\n",
		sr_pm_duration(s->mttr.median, a, sizeof a), sr_pm_duration(s->mttr.p90, b, sizeof b),
		s->mttr.n);
	fputs("SLA breaches   respond          resolve\n", cli->out);
	for (int v = 0; v < SR_SEV_COUNT; v++) {
		snprintf(a, sizeof a, "%" PRId64 "/%" PRId64, s->respond_breached[v], s->respond_n[v]);
		snprintf(b, sizeof b, "%.0f%%", pct(s->respond_breached[v], s->respond_n[v]));
		snprintf(c, sizeof c, "%" PRId64 "/%" PRId64, s->resolve_breached[v], s->resolve_n[v]);
		snprintf(d, sizeof d, "%.0f%%", pct(s->resolve_breached[v], s->resolve_n[v]));
		fprintf(cli->out, "  %-12s %-7s %-8s %-7s %s\n", sr_sev_name((enum sr_sev)v), a, b,
			c, d);
	}
	fputs("Escalations:", cli->out);
	for (int l = 1; l < SR_LEVEL_COUNT; l++)
		fprintf(cli->out, " L%d %" PRId64, l + 1, s->escalations[l]);
	fprintf(cli->out, "\nStatus updates on time: %" PRId64 " of %" PRId64 " (%.0f%%)\n",
		s->updates_on_time, s->updates, pct(s->updates_on_time, s->updates));
	fprintf(cli->out, "Open action items: %" PRId64 "\n", s->open_actions);
	for (size_t i = 0; i < s->n_owners; i++) {
		fputs("  ", cli->out);
		sr_cli_put(cli, s->owners[i].key);
		fprintf(cli->out, " %" PRId64 " (%" PRId64 " overdue)\n", s->owners[i].n,
			s->owners[i].overdue);
	}
}

int
sr_cli_stats(struct sr_cli *cli, int argc, char **argv)
{
	const char *since_s = "30d", *until_s = NULL, *service = NULL;
	int json = 0, csv = 0, n, rc;
	char *pos[1], *err = NULL;
	const struct sr_cli_opt opts[] = {
		{ "since", &since_s, NULL }, { "until", &until_s, NULL },
		{ "service", &service, NULL }, { "json", NULL, &json }, { "csv", NULL, &csv },
		{ NULL, NULL, NULL },
	};
	struct sr_stats_query q = { 0 };
	struct sr_stats s;
	struct sr_store *st;
	struct sr_buf b;

	if (sr_cli_wants_help(argc, argv)) {
		fputs("usage: sitrep stats [--since 30d|TIME] [--until DUR|TIME] [--service S] "
		      "[--json|--csv]\n  incidents created in the window: counts, MTTA and MTTR "
		      "(median, p90), SLA breach rates,\n  escalations per level, status updates "
		      "on time, open action items by owner\n", cli->out);
		return SR_EXIT_OK;
	}
	if ((rc = sr_cli_parse(cli, "stats", argc, argv, opts, pos, 0, &n)) != 0)
		return rc;
	if (json && csv)
		return sr_cli_usage(cli, "stats", "--json and --csv exclude each other");
	q.until = cli->ses->now;
	if (parse_edge(since_s, cli->ses->now, &q.since) != 0 ||
	    (until_s != NULL && parse_edge(until_s, cli->ses->now, &q.until) != 0))
		return sr_cli_usage(cli, "stats", "bad --since or --until: a duration such as 30d "
				    "or an RFC 3339 time");
	if (q.until <= q.since)
		return sr_cli_usage(cli, "stats", "the window is empty (--until before --since)");
	q.service = service;
	if ((st = sr_cli_pm_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	if (sr_store_stats(st, cli->ses->cfg, cli->ses->now, &q, &s, &err) != 0) {
		sr_stats_done(&s);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	sr_buf_init(&b);
	if (json)
		stats_json(&b, &s);
	else if (csv)
		stats_csv(&b, &s);
	else
		stats_human(cli, &s);
	if (b.len > 0)
		fwrite(b.data, 1, b.len, cli->out);
	sr_buf_done(&b);
	sr_stats_done(&s);
	return SR_EXIT_OK;
}

/* SPDX-License-Identifier: MIT */
/* cli_db.c: `sitrep db [NAME] [--json]`: health of the [postgres NAME] databases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dbcheck.h"

static void
json_sessions(struct sr_buf *b, const char *key, const struct sr_db_list *l)
{
	sr_buf_printf(b, ",\"%s\":[", key);
	for (size_t i = 0; i < l->n; i++) {
		const struct sr_db_session *s = &l->v[i];

		sr_buf_printf(b, "%s{\"pid\":%d,\"user\":", i ? "," : "", s->pid);
		sr_json_str(b, s->user);
		sr_buf_adds(b, ",\"database\":");
		sr_json_str(b, s->db);
		sr_buf_printf(b, ",\"seconds\":%.1f,\"query\":", s->seconds);
		sr_json_str(b, s->query);
		sr_buf_adds(b, ",\"blocked_by\":");
		sr_json_str(b, s->blocked_by);
		sr_buf_addc(b, '}');
	}
	sr_buf_addc(b, ']');
}

static void
json_report(struct sr_buf *b, const struct sr_pgwatch *w, const struct sr_db_report *r,
	    const char *error)
{
	sr_buf_adds(b, "{\"name\":");
	sr_json_str(b, w->name);
	sr_buf_printf(b, ",\"ok\":%s", error == NULL && !r->breached ? "true" : "false");
	if (error != NULL) {
		sr_buf_adds(b, ",\"error\":");
		sr_json_str(b, error);
		sr_buf_addc(b, '}');
		return;
	}
	sr_buf_adds(b, ",\"server\":");
	sr_json_str(b, r->server);
	sr_buf_printf(b, ",\"connections\":%d,\"max_connections\":%d,\"replica\":%s,"
		      "\"replication_lag_seconds\":%.1f,\"size_bytes\":%lld,\"xid_age\":%lld",
		      r->connections, r->max_connections, r->replica ? "true" : "false", r->lag,
		      (long long)r->size, (long long)r->xid_age);
	json_sessions(b, "long_queries", &r->queries);
	json_sessions(b, "long_transactions", &r->xacts);
	json_sessions(b, "lock_waits", &r->waits);
	sr_buf_adds(b, ",\"findings\":[");
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct sr_db_finding *f = &r->findings[i];

		sr_buf_printf(b, "%s{\"check\":\"%s\",\"value\":%g,\"limit\":%g,\"breached\":%s,"
			      "\"text\":", i ? "," : "", f->what, f->value, f->limit,
			      f->breached ? "true" : "false");
		sr_json_str(b, f->text);
		sr_buf_addc(b, '}');
	}
	sr_buf_adds(b, "],\"runbook\":");
	sr_json_str(b, r->breached ? w->runbook : NULL);
	sr_buf_addc(b, '}');
}

static void
print_sessions(struct sr_cli *cli, const char *title, const struct sr_db_list *l)
{
	char line[160];

	for (size_t i = 0; i < l->n; i++) {
		const struct sr_db_session *s = &l->v[i];

		if (i == 0)
			fprintf(cli->out, "  %s:\n", title);
		snprintf(line, sizeof line, "    pid %d %.0f s ", s->pid, s->seconds);
		sr_cli_put(cli, line);
		sr_cli_put(cli, s->user);
		sr_cli_put(cli, "@");
		sr_cli_put(cli, s->db);
		if (s->blocked_by != NULL) {
			sr_cli_put(cli, " blocked by ");
			sr_cli_put(cli, s->blocked_by);
		}
		sr_cli_put(cli, ": ");
		sr_cli_put(cli, s->query);	/* sanitised: newlines and controls too */
		fputc('\n', cli->out);
	}
}

static void
print_report(struct sr_cli *cli, const struct sr_pgwatch *w, const struct sr_db_report *r)
{
	fprintf(cli->out, "%s ", r->breached ? "FAIL" : "ok  ");
	sr_cli_put(cli, w->name);
	fprintf(cli->out, "  ");
	sr_cli_put(cli, r->server);
	fprintf(cli->out, ", %.1f MB\n", (double)r->size / (1024.0 * 1024.0));
	for (size_t i = 0; i < r->n_findings; i++) {
		fprintf(cli->out, "  %s ", r->findings[i].breached ? "!" : "-");
		sr_cli_put(cli, r->findings[i].text);
		fputc('\n', cli->out);
	}
	print_sessions(cli, "longest queries", &r->queries);
	print_sessions(cli, "oldest transactions", &r->xacts);
	print_sessions(cli, "waiting on locks", &r->waits);
	if (r->breached) {
		fprintf(cli->out, "  runbook: ");
		sr_cli_put(cli, w->runbook);
		fprintf(cli->out, " (sitrep runbook show ");
		sr_cli_put(cli, w->runbook);
		fprintf(cli->out, ")\n");
	}
}

int
sr_cli_db(struct sr_cli *cli, int argc, char **argv)
{
	int json = 0, n_pos = 0, failed = 0, matched = 0;
	char *pos[1] = { NULL };
	const struct sr_cli_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };
	struct sr_buf js;

	if (sr_cli_wants_help(argc, argv)) {
		fputs("usage: sitrep db [NAME] [--json]\n"
		      "  health of the [postgres NAME] databases (all, or NAME): connections in use,\n"
		      "  longest queries and transactions, lock waits and who blocks them, replica\n"
		      "  lag, size, transaction-id age; exit 1 when a threshold is breached\n",
		      cli->out);
		return SR_EXIT_OK;
	}
	if (sr_cli_parse(cli, "db", argc, argv, opts, pos, 1, &n_pos) != 0)
		return SR_EXIT_USAGE;
	if (cli->ses->cfg->n_pg == 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, sr_xstrdup("no [postgres NAME] section in "
								  "the configuration"));
	sr_buf_init(&js);
	sr_buf_adds(&js, "{\"databases\":[");
	for (size_t i = 0; i < cli->ses->cfg->n_pg; i++) {
		const struct sr_pgwatch *w = &cli->ses->cfg->pg[i];
		struct sr_db_report r;
		char *err = NULL;

		if (pos[0] != NULL && strcmp(pos[0], w->name) != 0)
			continue;
		if (json && matched++ > 0)
			sr_buf_addc(&js, ',');
		if (sr_dbcheck_run(w, &r, &err) != 0) {
			failed = 1;
			if (json) {
				json_report(&js, w, &r, err);
			} else {
				fprintf(cli->out, "FAIL ");
				sr_cli_put(cli, err);
				fputc('\n', cli->out);
			}
			free(err);
			continue;
		}
		failed |= r.breached;
		if (json)
			json_report(&js, w, &r, NULL);
		else
			print_report(cli, w, &r);
		sr_db_report_done(&r);
	}
	if (!json)
		for (size_t i = 0; i < cli->ses->cfg->n_pg; i++)
			matched += pos[0] == NULL || strcmp(pos[0], cli->ses->cfg->pg[i].name) == 0;
	sr_buf_adds(&js, "]}\n");
	if (json && matched > 0)
		fwrite(js.data, 1, js.len, cli->out);
	sr_buf_done(&js);
	if (matched == 0)
		return sr_cli_usage(cli, "db", "no [postgres %s] in the configuration", pos[0]);
	return failed ? SR_EXIT_FAIL : SR_EXIT_OK;
}

/* SPDX-License-Identifier: MIT */
/* cli_store.c: `sitrep store info` and `sitrep store migrate` (SQLite <-> PostgreSQL). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage[] =
	"usage: sitrep store COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  info     [--json]\n"
	"             backend, schema version, counts; for PostgreSQL the server version and\n"
	"             the round-trip latency\n"
	"  migrate  --from STORE --to STORE\n"
	"             copy every incident and its timeline verbatim (ids, versions, events,\n"
	"             review fields, action items), then on-call overrides and outbox messages;\n"
	"             verify the timeline chains on the target; a second run copies nothing;\n"
	"             prints counts and the checksum verified on both sides. STORE:\n"
	"             sqlite:PATH, a file path, a postgresql:// URL or a libpq connection string\n";

static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int
store_info(struct sr_cli *cli, int argc, char **argv)
{
	int json = 0, n_pos = 0, rc;
	const struct sr_cli_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };
	struct sr_store *st;
	struct sr_store_info in;
	double t0, best = -1;
	char *err = NULL;

	rc = sr_cli_parse(cli, "store info", argc, argv, opts, NULL, 0, &n_pos);
	if (rc != 0)
		return rc;
	if ((st = sr_cli_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	if (st->ops->info(st, &in, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	/* the best of three round trips: what the network and server cost, not a hiccup */
	for (int i = 0; i < 3; i++) {
		t0 = mono_ms();
		if (st->ops->ping(st, &err) != 0)
			return sr_cli_fail(cli, SR_EXIT_FAIL, err);
		if (best < 0 || mono_ms() - t0 < best)
			best = mono_ms() - t0;
	}
	if (json) {
		struct sr_buf b;

		sr_buf_init(&b);
		sr_buf_adds(&b, "{\"backend\":");
		sr_json_str(&b, st->ops->name);
		sr_buf_adds(&b, ",\"where\":");
		sr_json_str(&b, st->where);
		sr_buf_adds(&b, ",\"server\":");
		sr_json_str(&b, in.server);
		sr_buf_adds(&b, ",\"schema\":");
		sr_json_str(&b, in.schema[0] != '\0' ? in.schema : NULL);
		sr_buf_printf(&b, ",\"schema_version\":%d,\"incidents\":%" PRId64 ",\"open\":%"
			      PRId64 ",\"events\":%" PRId64 ",\"alert_links\":%" PRId64
			      ",\"latency_ms\":%.3f}\n", in.schema_version, in.incidents, in.open,
			      in.events, in.alert_links, best);
		fwrite(b.data, 1, b.len, cli->out);
		sr_buf_done(&b);
		return SR_EXIT_OK;
	}
	fprintf(cli->out, "Backend:        %s\nStore:          ", st->ops->name);
	sr_cli_put(cli, st->where);
	fprintf(cli->out, "\nServer:         ");
	sr_cli_put(cli, in.server);
	if (in.schema[0] != '\0') {
		fprintf(cli->out, "\nSchema:         ");
		sr_cli_put(cli, in.schema);
	}
	fprintf(cli->out, "\nSchema version: %d\nIncidents:      %" PRId64 " (%" PRId64 " open)\n"
		"Events:         %" PRId64 "\nAlert links:    %" PRId64 "\nLatency:        %.2f ms\n",
		in.schema_version, in.incidents, in.open, in.events, in.alert_links, best);
	return SR_EXIT_OK;
}

static int
store_migrate(struct sr_cli *cli, int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	const struct sr_cli_opt opts[] = { { "from", &from, NULL }, { "to", &to, NULL },
					   { NULL, NULL, NULL } };
	struct sr_store *a = NULL, *b = NULL;
	struct sr_store_copied c;
	char *err = NULL;
	int n_pos = 0, rc;

	rc = sr_cli_parse(cli, "store migrate", argc, argv, opts, NULL, 0, &n_pos);
	if (rc != 0)
		return rc;
	if (from == NULL || to == NULL)
		return sr_cli_usage(cli, "store migrate", "both --from and --to are needed");
	if (cli->ses->readonly)
		return sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup("read-only mode (--readonly): "
								 "not running store migrate"));
	if ((a = sr_store_open(from, &err)) == NULL || (b = sr_store_open(to, &err)) == NULL) {
		sr_store_close(a);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	rc = sr_store_copy(a, b, &c, &err);
	if (rc == 0) {
		fprintf(cli->out, "copied %" PRId64 " incidents (%" PRId64 " events), %" PRId64
			" already there\n", c.copied, c.events, c.existed);
		fprintf(cli->out, "source: %" PRId64 " incidents, %" PRId64 " events, checksum "
			"%016" PRIx64 "\n", c.from.incidents, c.from.events, c.from.checksum);
		fprintf(cli->out, "target: %" PRId64 " incidents, %" PRId64 " events, checksum "
			"%016" PRIx64 " (verified)\n", c.to.incidents, c.to.events, c.to.checksum);
		fprintf(cli->out, "copied %" PRId64 " overrides, %" PRId64 " outbox messages\n",
			c.overrides, c.messages);
		fprintf(cli->out, "both: %" PRId64 " action items, %" PRId64 " overrides, %" PRId64
			" outbox messages; the chains of %" PRId64 " events verified on the target\n",
			c.to.actions, c.to.overrides, c.to.messages, c.chained);
	}
	sr_store_close(a);
	sr_store_close(b);
	return rc == 0 ? SR_EXIT_OK : sr_cli_fail(cli, SR_EXIT_FAIL, err);
}

int
sr_cli_store_cmd(struct sr_cli *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? cli->errf : cli->out);
		return argc < 2 ? SR_EXIT_USAGE : SR_EXIT_OK;
	}
	if (sr_cli_wants_help(argc - 1, argv + 1)) {
		fputs(usage, cli->out);
		return SR_EXIT_OK;
	}
	if (strcmp(argv[1], "info") == 0)
		return store_info(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "migrate") == 0)
		return store_migrate(cli, argc - 1, argv + 1);
	return sr_cli_usage(cli, "store", "unknown command \"%s\"", argv[1]);
}

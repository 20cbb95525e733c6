/* SPDX-License-Identifier: MIT */
/* cli_slack.c: `sitrep slack ID [KIND]`: an incident's status message, printed or written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "slack.h"

static const char usage[] =
	"slack ID [alert|update|resolved|escalation|can|exec] "
	"[--format text|mrkdwn|blocks|mattermost] [--ascii] [-o FILE]";

/* Writes b to path whole or not at all (a temporary file renamed over it). */
static int
write_out(const char *path, const struct sr_buf *b, char **err)
{
	char *tmp = sr_xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	int ok;

	if (!f) {
		sr_err(err, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	ok = fwrite(b->data, 1, b->len, f) == b->len;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		sr_err(err, "%s: %s", path, strerror(errno));
		remove(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int
sr_cli_slack(struct sr_cli *cli, int argc, char **argv)
{
	const char *format = "text", *output = NULL;
	int ascii = 0, n, rc;
	char *pos[2] = { NULL, NULL }, *err = NULL, *dir = NULL;
	const struct sr_cli_opt opts[] = {
		{ "format", &format, NULL }, { "output", &output, NULL },
		{ "ascii", NULL, &ascii },   { NULL, NULL, NULL },
	};
	enum sr_slack_format fmt;
	enum sr_slack_kind kind;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_store *st;
	struct sr_buf b;
	char **av = sr_xcalloc((size_t)argc + 1, sizeof(*av));

	/* -o is the one short option: read it as --output */
	for (int i = 0; i < argc; i++)
		av[i] = strcmp(argv[i], "-o") == 0 && i > 0 ? (char *)"--output" : argv[i];
	if (sr_cli_wants_help(argc, argv)) {
		fprintf(cli->out, "usage: sitrep %s\n", usage);
		free(av);
		return SR_EXIT_OK;
	}
	rc = sr_cli_parse(cli, "slack", argc, av, opts, pos, 2, &n);
	free(av);
	if (rc != 0)
		return rc;
	if (n < 1)
		return sr_cli_usage(cli, "slack", "missing incident ID (usage: sitrep %s)", usage);
	if (sr_slack_format_parse(format, &fmt, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	if (n == 2 && sr_slack_kind_parse(pos[1], &kind, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	if ((st = sr_cli_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	sr_incident_init(&inc);
	sr_buf_init(&b);
	rc = SR_EXIT_FAIL;
	if (st->ops->get(st, pos[0], &inc, &err) != 0 ||
	    st->ops->events(st, pos[0], &ev, &err) != 0) {
		rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
		goto out;
	}
	if (n < 2)
		kind = sr_slack_kind_for(&inc);
	dir = sr_slack_template_dir(cli->cfg);
	{
		struct sr_slack_input in = { .inc = &inc, .events = &ev, .cfg = cli->cfg,
					     .now = cli->now, .tpl_dir = dir, .ascii = ascii };

		if (sr_slack_render(&b, kind, fmt, &in, &err) != 0) {
			rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
			goto out;
		}
	}
	if (b.len == 0 || b.data[b.len - 1] != '\n')
		sr_buf_addc(&b, '\n');
	if (output) {
		if (write_out(output, &b, &err) != 0) {
			rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
			goto out;
		}
	} else {
		/* already sanitised by the renderer (control characters never survive it) */
		fwrite(b.data, 1, b.len, cli->out);
	}
	rc = SR_EXIT_OK;
out:
	free(dir);
	sr_buf_done(&b);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return rc;
}

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
#include "cli.h"
#include "text.h"

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
	if ((st = sr_cli_store(cli)) == NULL)
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

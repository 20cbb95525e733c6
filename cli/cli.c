/* SPDX-License-Identifier: MIT */
/* cli.c: the subcommand table and the output helpers every subcommand shares. */
#include <math.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "runbook.h"
#include "text.h"

/* --- the command table: one line per subcommand (help is generated from it) --- */
const struct sr_cli_command sr_cli_commands[] = {
	{ "incident", sr_cli_incident, "create, list, show and work incidents" },
	{ "runbook", sr_cli_runbook, "list, show, search runbooks; which runbook an alert opens" },
	{ "query", sr_cli_query, "run a PromQL query (instant or --range) on a Prometheus" },
	{ "alerts", sr_cli_alerts, "list alerts from the Alertmanagers (amtool matchers)" },
	{ "silence", sr_cli_silence, "add, list and expire Alertmanager silences" },
	{ "action", sr_cli_action, "list post-mortem action items across incidents; mark them done" },
	{ "export", sr_cli_export, "the post-mortem draft of an incident (Markdown or JSON)" },
	{ "stats", sr_cli_stats, "MTTA, MTTR, SLA breaches, escalations, updates over a window" },
	{ "oncall", sr_cli_oncall, "who is on call per rotation; overrides; iCal export" },
	{ "check", sr_cli_check, "run the HTTP health checks; exit 1 if any fails" },
	{ "slack", sr_cli_slack, "an incident's status message (text, mrkdwn, Block Kit, Mattermost); --send" },
	{ "outbox", sr_cli_outbox, "status messages waiting or failed: list, retry, drop, flush" },
	{ "db", sr_cli_db, "health of the watched PostgreSQL databases; exit 1 on a breach" },
	{ "store", sr_cli_store_cmd, "show the incident store; copy it between SQLite and PostgreSQL" },
	{ NULL, NULL, NULL },
};

struct sr_store *
sr_cli_store(struct sr_cli *cli)
{
	char *err = NULL;
	struct sr_store *st = sr_session_store(cli->ses, &err);

	if (st == NULL)
		sr_cli_fail(cli, SR_EXIT_FAIL, err);
	return st;
}

struct sr_store *
sr_cli_store_with(struct sr_cli *cli, int (*has)(const struct sr_store *st, char **err))
{
	struct sr_store *st = sr_cli_store(cli);
	char *err = NULL;

	if (st != NULL && has(st, &err) != 0) {
		sr_cli_fail(cli, SR_EXIT_FAIL, err);
		return NULL;
	}
	return st;
}

int
sr_cli_runbook_set(struct sr_cli *cli, struct sr_runbook_set *set, unsigned flags)
{
	size_t n;
	char **dirs = sr_runbook_dirs(cli->ses->cfg, cli->ses->datadir, &n);
	char *err = NULL;
	int rc = sr_runbook_scan(set, dirs, n, flags, &err);

	sr_strv_free(dirs, n);
	if (rc < 0) {
		sr_runbook_set_done(set);
		sr_cli_fail(cli, SR_EXIT_FAIL, err);
		return -1;
	}
	if (set->warning != NULL) {
		/* a directory skipped: the others' runbooks are still there */
		char *w = sr_text_clean(set->warning);

		fprintf(cli->errf, "sitrep: warning: %s\n", w);
		free(w);
	}
	return 0;
}

int
sr_cli_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

void
sr_cli_write(struct sr_cli *cli, const struct sr_buf *b)
{
	if (b->len > 0)
		fwrite(b->data, 1, b->len, cli->out);
}

int
sr_cli_fail(struct sr_cli *cli, int status, char *msg)
{
	char *clean = sr_text_clean(msg ? msg : "unknown error");

	fprintf(cli->errf, "sitrep: %s\n", clean);
	free(clean);
	free(msg);
	return status;
}

void
sr_cli_warn_skipped(struct sr_cli *cli, const char *skipped)
{
	char *clean;

	if (skipped == NULL)
		return;
	clean = sr_text_clean(skipped);
	fprintf(cli->errf, "sitrep: warning: %s\n", clean);
	free(clean);
}

int
sr_cli_usage(struct sr_cli *cli, const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char *msg, *clean;

	va_start(ap, fmt);
	msg = sr_xvasprintf(fmt, ap);
	va_end(ap);
	clean = sr_text_clean(msg);
	fprintf(cli->errf, "sitrep %s: %s (see sitrep %s --help)\n", cmd, clean, cmd);
	free(clean);
	free(msg);
	return SR_EXIT_USAGE;
}

int
sr_cli_tty_width(const struct sr_cli *cli)
{
	struct winsize ws;

	if (cli->out != NULL && isatty(fileno(cli->out)) &&
	    ioctl(fileno(cli->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

void
sr_cli_put(struct sr_cli *cli, const char *s)
{
	struct sr_buf b;

	if (s == NULL)
		return;
	sr_buf_init(&b);
	sr_text_sanitize(&b, s, strlen(s), 0);
	if (b.len)
		fwrite(b.data, 1, b.len, cli->out);
	sr_buf_done(&b);
}

void
sr_cli_put_block(struct sr_cli *cli, const char *s, const char *indent)
{
	struct sr_buf b;

	if (s == NULL)
		return;
	sr_buf_init(&b);
	sr_text_block(&b, s, strlen(s), indent, 0);
	if (b.len)
		fwrite(b.data, 1, b.len, cli->out);
	sr_buf_done(&b);
}

void
sr_cli_json_list(struct sr_cli *cli, const void *v, size_t n, size_t size, sr_cli_json_item one,
		 const void *arg)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_addc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sr_buf_addc(&b, ',');
		one(&b, (const char *)v + i * size, arg);
	}
	sr_buf_adds(&b, "]\n");
	fwrite(b.data, 1, b.len, cli->out);
	sr_buf_done(&b);
}

void
sr_cli_put_styled(struct sr_cli *cli, const char *sgr, const char *s)
{
	if (cli->color && sgr != NULL)
		fprintf(cli->out, "\033[%sm", sgr);
	sr_cli_put(cli, s);
	if (cli->color && sgr != NULL)
		fputs("\033[0m", cli->out);
}

void
sr_json_str(struct sr_buf *b, const char *s)
{
	size_t i = 0, len;

	if (s == NULL) {
		sr_buf_adds(b, "null");
		return;
	}
	len = strlen(s);
	sr_buf_addc(b, '"');
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c == '"' || c == '\\') {
			sr_buf_addc(b, '\\');
			sr_buf_addc(b, (char)c);
			i++;
			continue;
		}
		if (c >= 0x20 && c < 0x7F) {
			size_t j = i + 1;

			/* a run of printable ASCII needing no escape, in one piece */
			while (j < len && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F &&
			       s[j] != '"' && s[j] != '\\')
				j++;
			sr_buf_add(b, s + i, j - i);
			i = j;
			continue;
		}
		n = sr_utf8_decode(s + i, len - i, &cp);
		/*
		 * Everything outside printable ASCII is escaped: --json never carries raw control
		 * or bidi characters, and is the same bytes in every locale (pure ASCII).
		 */
		if (cp > 0xFFFF)
			sr_buf_printf(b, "\\u%04x\\u%04x", 0xD800u + ((cp - 0x10000u) >> 10),
				      0xDC00u + ((cp - 0x10000u) & 0x3FFu));
		else
			sr_buf_printf(b, "\\u%04x", (unsigned)cp);
		i += n;
	}
	sr_buf_addc(b, '"');
}

void
sr_json_num(struct sr_buf *b, double v, int decimals)
{
	/* RFC 8259 has no NaN or infinity: 1e309 from upstream is "not a number we have" */
	if (!isfinite(v))
		sr_buf_adds(b, "null");
	else
		sr_buf_printf(b, "%.*f", decimals, v);
}

void
sr_json_field(struct sr_buf *b, const char *key, const char *s)
{
	sr_buf_printf(b, ",\"%s\":", key);
	sr_json_str(b, s);
}

void
sr_json_time(struct sr_buf *b, const char *key, sr_time t)
{
	char ts[32];

	sr_buf_printf(b, "\"%s\":", key);
	if (t == 0)
		sr_buf_adds(b, "null");
	else
		sr_buf_printf(b, "\"%s\"", sr_time_format(t, ts, sizeof(ts)));
}

int
sr_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

int
sr_cli_args(struct sr_cli *cli, const char *cmd, const char *help, int argc, char **argv,
	    const struct sr_cli_opt *opts, char **pos, int max_pos, int *n_pos)
{
	if (sr_cli_wants_help(argc, argv)) {
		fputs(help, cli->out);
		return SR_EXIT_OK;
	}
	if (sr_cli_parse(cli, cmd, argc, argv, opts, pos, max_pos, n_pos) != 0)
		return SR_EXIT_USAGE;
	return -1;
}

void
sr_cli_json_fields(struct sr_buf *b, ...)
{
	va_list ap;
	const char *prefix;

	va_start(ap, b);
	while ((prefix = va_arg(ap, const char *)) != NULL) {
		sr_buf_adds(b, prefix);
		sr_json_str(b, va_arg(ap, const char *));
	}
	va_end(ap);
}

int
sr_cli_parse(struct sr_cli *cli, const char *cmd, int argc, char **argv,
	     const struct sr_cli_opt *opts, char **pos, int max_pos, int *n_pos)
{
	int only_pos = 0;

	*n_pos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct sr_cli_opt *o;
		const char *eq;
		size_t nlen;

		if (only_pos || a[0] != '-' || a[1] == '\0' ||
		    (a[1] != '-' && !(a[1] >= 'a' && a[1] <= 'z'))) {
			/* positional (a lone "-" or a negative-looking value counts too) */
			if (*n_pos >= max_pos)
				return sr_cli_usage(cli, cmd, "unexpected argument \"%s\"", a);
			pos[(*n_pos)++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (a[1] != '-')
			return sr_cli_usage(cli, cmd, "unknown option \"%s\"", a);
		a += 2;
		eq = strchr(a, '=');
		nlen = eq ? (size_t)(eq - a) : strlen(a);
		for (o = opts; o != NULL && o->name != NULL; o++)
			if (strlen(o->name) == nlen && strncmp(o->name, a, nlen) == 0)
				break;
		if (o == NULL || o->name == NULL)
			return sr_cli_usage(cli, cmd, "unknown option \"--%.*s\"", (int)nlen, a);
		if (o->flag != NULL) {
			if (eq != NULL)
				return sr_cli_usage(cli, cmd, "option --%s takes no value",
						    o->name);
			*o->flag = 1;
		} else if (eq != NULL) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			return sr_cli_usage(cli, cmd, "option --%s needs a value", o->name);
		}
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* cli.h: the subcommand front end: shared context, output helpers and the command table. */
#ifndef SR_CLI_H
#define SR_CLI_H

#include <stdio.h>

#include "clock.h"
#include "config.h"
#include "session.h"
#include "store.h"
#include "util.h"

/* Exit statuses of every subcommand. */
#define SR_EXIT_OK 0
#define SR_EXIT_FAIL 1
#define SR_EXIT_USAGE 2

/* The CLI's context: the core session (config, clock, store...) and where output goes. */
struct sr_cli {
	struct sr_session *ses;		/* borrowed from main.c */
	FILE *out, *errf;
	int color;			/* stdout is a terminal and NO_COLOR is unset */
};

/* One subcommand: name, handler, one-line summary (for `sitrep --help`). */
struct sr_cli_command {
	const char *name;
	int (*run)(struct sr_cli *cli, int argc, char **argv);	/* argv[0] is the name */
	const char *summary;
};

/* The session's store, opened on first call; on failure prints the error and returns NULL. */
struct sr_store *sr_cli_store(struct sr_cli *cli);
/*
 * The same store when has (sr_store_has_postmortem, sr_store_has_overrides...) says it keeps
 * what a command needs; otherwise prints has's error and returns NULL.
 */
struct sr_store *sr_cli_store_with(struct sr_cli *cli,
				   int (*has)(const struct sr_store *st, char **err));
/* Prints "sitrep: <msg>" to cli->errf and frees msg (NULL is fine). Returns status. */
int sr_cli_fail(struct sr_cli *cli, int status, char *msg);
/* Prints "sitrep: warning: <skipped>" when a store skipped rows it could not trust. */
void sr_cli_warn_skipped(struct sr_cli *cli, const char *skipped);
/* Prints "sitrep CMD: <fmt>" usage error and returns SR_EXIT_USAGE. */
int sr_cli_usage(struct sr_cli *cli, const char *cmd, const char *fmt, ...) SR_PRINTF(3, 4);
/* The width of the terminal cli->out is, or 0 when it is not a terminal (a pipe, a file). */
int sr_cli_tty_width(const struct sr_cli *cli);
/* Writes untrusted one-line text to cli->out sanitised (a line break becomes a space). */
void sr_cli_put(struct sr_cli *cli, const char *s);
/* Writes untrusted multi-line text (a note): later lines start with indent (sr_text_block). */
void sr_cli_put_block(struct sr_cli *cli, const char *s, const char *indent);
/* Wraps s in ANSI SGR code (e.g. "1;31") when cli->color; always sanitises s. */
void sr_cli_put_styled(struct sr_cli *cli, const char *sgr, const char *s);
/*
 * Prints the n items of v (size bytes each) as one JSON array and a newline, each item
 * written by one(b, item, arg): the list commands' --json.
 */
struct sr_buf;
typedef void (*sr_cli_json_item)(struct sr_buf *b, const void *item, const void *arg);
void sr_cli_json_list(struct sr_cli *cli, const void *v, size_t n, size_t size,
		      sr_cli_json_item one, const void *arg);
/* Appends s to b as a JSON string literal, pure ASCII: quotes, \\ and every non-ASCII or control
 * character escaped (\\uXXXX, surrogate pairs above U+FFFF); invalid UTF-8 -> \\ufffd. */
void sr_json_str(struct sr_buf *b, const char *s);
/* Appends v to b as a JSON number with that many decimals; NaN and infinities become null. */
void sr_json_num(struct sr_buf *b, double v, int decimals);
/* ,"key": then s as sr_json_str writes it (a field after the first of an object). */
void sr_json_field(struct sr_buf *b, const char *key, const char *s);
/* Appends "KEY":"RFC 3339 time" to b, or "KEY":null when t is 0. */
void sr_json_time(struct sr_buf *b, const char *key, sr_time t);
/* Reads the runbook directories into set (sr_runbook_scan flags); 0, or -1 after printing. */
struct sr_runbook_set;
int sr_cli_runbook_set(struct sr_cli *cli, struct sr_runbook_set *set, unsigned flags);
/* Parses s as a whole decimal number in [lo, hi] into *out: 0, or -1. */
int sr_cli_long(const char *s, long lo, long hi, long *out);
/* Writes b's bytes (already sanitised) to cli->out. */
void sr_cli_write(struct sr_cli *cli, const struct sr_buf *b);
/* True when argv[i] is "--help" or "-h" for any i >= 1. */
int sr_cli_wants_help(int argc, char **argv);

/*
 * Options of a subcommand: "--name VALUE" (value != NULL) or a flag "--name" (flag != NULL).
 * "--name=VALUE" works too. A table ends with a NULL name.
 */
struct sr_cli_opt {
	const char *name;	/* without the leading "--" */
	const char **value;	/* set to the argument */
	int *flag;		/* set to 1 */
};

/*
 * Parses argv[1..] (argv[0] is the command word) into options and positional arguments
 * (pointers into argv, at most max_pos, "--" ends options). Returns 0, or SR_EXIT_USAGE after
 * printing a usage error naming the bad option (cmd names the command for the message).
 */
int sr_cli_parse(struct sr_cli *cli, const char *cmd, int argc, char **argv,
		 const struct sr_cli_opt *opts, char **pos, int max_pos, int *n_pos);
/*
 * A command's start: prints help (answers SR_EXIT_OK) when argv asks for it, else parses as
 * sr_cli_parse (answers SR_EXIT_USAGE after a usage error). -1: go on with the command.
 */
int sr_cli_args(struct sr_cli *cli, const char *cmd, const char *help, int argc, char **argv,
		const struct sr_cli_opt *opts, char **pos, int max_pos, int *n_pos);
/* Appends, for each (prefix, value) pair up to a NULL prefix, prefix then value as a JSON string. */
void sr_cli_json_fields(struct sr_buf *b, ...);

/* Subcommand handlers (one file each). */
int sr_cli_incident(struct sr_cli *cli, int argc, char **argv);
int sr_cli_runbook(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_runbook.c */
int sr_cli_query(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_feed.c */
int sr_cli_alerts(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_feed.c */
int sr_cli_silence(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_feed.c */
/*
 * Acknowledgements as silences (cli/cli_feed.c, issue 16). ack_incident: acknowledges the
 * active alerts linked to inc. ack_sync: extends the acknowledgements of open incidents whose
 * alert still fires and expires those of incidents that are over (only: that incident, or
 * NULL for all). Both print what they did unless quiet; they return an exit status.
 */
struct sr_incident;
int sr_cli_ack_incident(struct sr_cli *cli, const struct sr_incident *inc, int quiet);
int sr_cli_ack_sync(struct sr_cli *cli, struct sr_store *st, const char *only, int quiet);
int sr_cli_check(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_feed.c */
/*
 * The alerts of every Alertmanager read once through the feed engine (merged by fingerprint,
 * each instance's failure in f->am[i].st): states as flt says, matching m (NULL: all); with
 * cached, a failed instance's last good answer stands in and an unfiltered answer is kept.
 * Free with sr_feeds_free; NULL with *err when libcurl fails. cli/cli_feed.c.
 */
struct sr_am_filter;
struct sr_feeds;
struct sr_matchers;
struct sr_feeds *sr_cli_am_feeds(struct sr_cli *cli, const struct sr_am_filter *flt,
				 const struct sr_matchers *m, int cached, char **err);
int sr_cli_slack(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_slack.c */
int sr_cli_outbox(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_slack.c */
int sr_cli_store_cmd(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_store.c */
int sr_cli_db(struct sr_cli *cli, int argc, char **argv);		/* cli/cli_db.c */

struct sr_change;
/*
 * Makes one change to incident id through sr_change_commit and prints the events recorded
 * ("INC-...: detail"), or the incident as --json. Returns an exit status.
 */
int sr_cli_change(struct sr_cli *cli, const char *id, const struct sr_change *ch, int json);

/* cli/cli_postmortem.c (argv[0] is the subcommand word) */
/* sr_cli_store, refusing (with the error printed) a store without the post-mortem data. */
struct sr_store *sr_cli_pm_store(struct sr_cli *cli);
int sr_cli_incident_verify(struct sr_cli *cli, int argc, char **argv);
int sr_cli_incident_action(struct sr_cli *cli, int argc, char **argv);
int sr_cli_action(struct sr_cli *cli, int argc, char **argv);
int sr_cli_export(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_export.c */
int sr_cli_stats(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_stats.c */
/* `incident list --csv`: the incidents as RFC 4180 CSV, safe for spreadsheets. */
void sr_cli_incidents_csv(struct sr_cli *cli, const struct sr_incident_list *l);
int sr_cli_oncall(struct sr_cli *cli, int argc, char **argv);	/* cli/cli_oncall.c */

/* The table of subcommands, ending with a NULL name. */
extern const struct sr_cli_command sr_cli_commands[];

#endif

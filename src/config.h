/* SPDX-License-Identifier: MIT */
/* config.h: the validated configuration, read from an INI file with inih. */
#ifndef SR_CONFIG_H
#define SR_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "severity.h"

/* Escalation levels L1..L4 are stored as 0..3. */
#define SR_LEVEL_COUNT 4

struct sr_sev_policy {
	int64_t respond;	/* seconds from creation to acknowledgement */
	int64_t resolve;	/* seconds from creation to resolution */
	int64_t update_every;	/* seconds between status updates while open */
	/*
	 * Seconds an acknowledged incident may go without an update, note or status change
	 * before a reminder is raised (0 = never; P1 30 m, P2 1 h by default), and whether
	 * that reminder also escalates one level (default no).
	 */
	int64_t ack_timeout;
	int ack_timeout_escalate;
	/* escalate_after[i]: seconds unacknowledged before moving to level i (L(i+1)); [0] is 0. */
	int64_t escalate_after[SR_LEVEL_COUNT];
};

struct sr_level {
	char *name;	/* "On-call engineer" */
	char *contact;	/* "@oncall" */
	char *rotation;	/* L1 = rotation:NAME: whoever is on call in that rotation, or NULL */
};

/* Transport settings of one HTTP source (Prometheus, Alertmanager, health check). */
struct sr_transport {
	char *url;
	int64_t connect_timeout_ms;	/* default 3000 */
	int64_t timeout_ms;		/* default 10000 */
	int64_t max_bytes;		/* default 32 MiB */
	int64_t interval;		/* seconds between polls */
	int tls_verify;			/* default 1; 0 only when tls_verify = false */
	char *ca_file, *cert, *key;
	char *token, *token_file, *token_env;		/* bearer token */
	char *username, *password, *password_file, *password_env;	/* basic auth */
	char **headers;			/* "Name: value" */
	size_t n_headers;
	char *proxy;
};

struct sr_source {
	char *name;	/* "default" for a bare [prometheus] section */
	struct sr_transport t;
};

enum sr_unit { SR_UNIT_NONE, SR_UNIT_PERCENT, SR_UNIT_RATIO, SR_UNIT_SECONDS, SR_UNIT_BYTES,
	       SR_UNIT_COUNT, SR_UNIT_REQPS };
const char *sr_unit_name(enum sr_unit u);
int sr_unit_parse(const char *s, enum sr_unit *out, char **err);

struct sr_panel {
	char *name;
	char *query;
	char *source;		/* prometheus source name, NULL = the first */
	enum sr_unit unit;
	int has_warn, has_crit;
	double warn, crit;	/* thresholds: the value is bad when above */
	int64_t range;		/* sparkline window, seconds (default 1h) */
	char *runbook;
};

struct sr_check {
	char *name;
	struct sr_transport t;	/* t.url is the endpoint */
	long expect_status;	/* default 200 */
};

/* [postgres NAME]: a database to watch (sitrep db; src/dbcheck.c). */
struct sr_pgwatch {
	char *name;
	char *url;		/* postgresql:// URL or libpq string; connected read-only */
	int64_t timeout_ms;	/* statement_timeout, default 5 s */
	double conn_pct;	/* connections in use above this % of max_connections: breach (90) */
	int has_conn_pct;
	int64_t long_query;	/* seconds a query may run (default 300) */
	int64_t long_xact;	/* seconds a transaction may stay open (default 900) */
	int64_t lock_wait;	/* seconds a session may wait on a lock (default 30) */
	int64_t lag;		/* replica replay lag, seconds (default 60) */
	double xid_age;		/* transaction-id age of the oldest database (default 1e9) */
	int has_xid_age;
	char *runbook;		/* shown for a breach (default "database-errors") */
};

struct sr_runbook_map {
	char *alertname;
	char *file;
};

struct sr_sevmap {
	char *label;	/* value of an alert's severity label, e.g. "critical" */
	enum sr_sev sev;
};

/* A place status messages go: [slack NAME] or [mattermost NAME]. */
enum sr_target_type { SR_TARGET_SLACK, SR_TARGET_MATTERMOST };
struct sr_target {
	char *name;
	enum sr_target_type type;
	/*
	 * t.url: the Slack Web API base for chat.postMessage (api_url, default
	 * https://slack.com/api); t.token/token_file/token_env: the bot token; timeouts,
	 * tls_verify and ca_file as for any source.
	 */
	struct sr_transport t;
	char *webhook, *webhook_file, *webhook_env;	/* the incoming-webhook URL: a secret */
	char *channel;		/* with a bot token: the channel chat.postMessage posts to */
	int64_t min_interval;	/* seconds between two messages, default 1; 0 = no limit */
};

/* [rotation NAME]: a schedule of members taking turns, or a calendar to follow. */
struct sr_rotation {
	char *name;
	char **members;		/* members = alice, bob, carol (in turn order) */
	size_t n_members;
	int64_t length;		/* seconds, whole days; default 1w */
	char *handoff;		/* "mon 09:00" (default), "09:00" = every day */
	int handoff_wday;	/* 0 Sunday .. 6, -1 any day (parsed from handoff) */
	int handoff_min;	/* minutes after local midnight */
	char *timezone;		/* tz database name; NULL = [general] timezone, else the system's */
	char *start;		/* YYYY-MM-DD: the first member's first shift begins at the first
				 * handoff on or after it; default 1970-01-01 */
	int64_t start_day;	/* start as days since 1970-01-01 */
	char *ical;		/* a calendar file to follow instead of members */
	char *ical_url;		/* a calendar URL to follow */
	int line;		/* where the section starts, for messages */
};

struct sr_config {
	char *path;		/* the file read, or NULL when none */
	char *user;		/* [general] user, default $USER (or "unknown") */
	char *timezone;		/* [general] timezone, NULL = the system's */
	struct sr_sev_policy sev[SR_SEV_COUNT];
	struct sr_level level[SR_LEVEL_COUNT];
	char *store;		/* [store] path: a file path or a postgresql:// URL */
	int64_t alerts_interval, panels_interval, checks_interval;	/* [feeds] defaults 15s/30s/30s */
	/*
	 * [feeds] ack_comment: the comment of a silence that acknowledges an alert, with
	 * {incident} and {user} (default "ACK! {incident} by {user}"); ack_for: how long such a
	 * silence lasts, extended while its incident is open (default 15m).
	 */
	char *ack_comment;
	int64_t ack_for;
	/*
	 * [feeds] watchdog: the name of the always-firing alert whose absence from every
	 * Alertmanager means the alerting pipeline is dead ("yes" = Watchdog; NULL = off, the
	 * default), and watchdog_grace, how long it may be missing first (default 3m).
	 */
	char *watchdog;
	int64_t watchdog_grace;
	/* [console]: being told what is new (the console's highlight, bell, desktop notice) */
	int64_t highlight;	/* highlight = 10s: new or changed rows stand out this long; 0 off */
	int bell;		/* bell = yes: the terminal bell for news (default no) */
	char *notify;		/* notify = off (default), osc777 or osc9: desktop notification */

	char **runbook_dirs;	/* [runbooks] dirs, colon or comma separated */
	size_t n_runbook_dirs;
	struct sr_runbook_map *runbook_map;	/* [runbooks map] alertname = file */
	size_t n_runbook_map;
	struct sr_sevmap *sevmap;	/* [severity map] label = P1..P4 */
	size_t n_sevmap;

	struct sr_source *prom;	/* [prometheus] / [prometheus NAME] */
	size_t n_prom;
	struct sr_source *am;	/* [alertmanager NAME] */
	size_t n_am;
	struct sr_panel *panels;	/* [panel NAME], in file order */
	size_t n_panels;
	struct sr_check *checks;	/* [check NAME] */
	size_t n_checks;
	struct sr_target *targets;	/* [slack NAME], [mattermost NAME], in file order */
	size_t n_targets;
	struct sr_pgwatch *pg;		/* [postgres NAME] */
	size_t n_pg;

	struct sr_rotation *rotations;	/* [rotation NAME], in file order */
	size_t n_rotations;

	int has_inline_secret;	/* the file holds a token/password inline: must be private */
};

/* Fills cfg with the built-in defaults (DESIGN.md's incident model). Never fails. */
void sr_config_init(struct sr_config *cfg);
/* Frees everything cfg owns; cfg may then be initialised again. */
void sr_config_done(struct sr_config *cfg);

/*
 * The default config path: $XDG_CONFIG_HOME/sitrep/sitrep.conf, else
 * $HOME/.config/sitrep/sitrep.conf. Allocated; NULL when neither variable is set.
 */
char *sr_config_default_path(void);
/* The default store path: $XDG_STATE_HOME/sitrep/sitrep.db, else $HOME/.local/state/... */
char *sr_config_default_store(void);

/*
 * Reads path over the defaults already in cfg. When must_exist is 0, a missing file is not
 * an error (the defaults stand). Errors name "file:line" and, for an unknown key or section,
 * the nearest valid one ("did you mean ..."). A file with an inline secret that group or
 * others can read is refused with the chmod that fixes it. Returns 0 or -1 with *err set;
 * on failure cfg still holds valid (default or partly read) values and must be freed.
 */
int sr_config_load(struct sr_config *cfg, const char *path, int must_exist, char **err);

/* The [prometheus NAME] source named name (NULL: the first one), or NULL when there is none. */
const struct sr_source *sr_config_prom(const struct sr_config *cfg, const char *name);

/* The incident severity [severity map] gives an alert's severity label (P3 when unknown). */
enum sr_sev sr_config_alert_sev(const struct sr_config *cfg, const char *label);
/* The escalation wait for severity s to reach level lvl (1..3), in seconds. */
int64_t sr_config_escalate_after(const struct sr_config *cfg, enum sr_sev s, int lvl);

#endif

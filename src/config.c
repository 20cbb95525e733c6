/* SPDX-License-Identifier: MIT */
/* config.c: reads sitrep.conf (INI, through inih) over the built-in defaults, validating it all. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <pwd.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "clock.h"
#include "config.h"
#include "http.h"
#include "oncall.h"
#include "util.h"

/* A config file is a few kilobytes; anything this big is not one. */
#define MAX_FILE_SIZE (1024 * 1024)
/* Longest value echoed back in an error message. */
#define SHOWN_MAX 60
#define DEFAULT_MAX_BYTES ((int64_t)32 * 1024 * 1024)

/* --- units --- */

static const char *const unit_names[] = {
	[SR_UNIT_NONE] = "none",
	[SR_UNIT_PERCENT] = "percent",
	[SR_UNIT_RATIO] = "ratio",
	[SR_UNIT_SECONDS] = "seconds",
	[SR_UNIT_BYTES] = "bytes",
	[SR_UNIT_COUNT] = "count",
	[SR_UNIT_REQPS] = "reqps",
};

const char *
sr_unit_name(enum sr_unit u)
{
	if ((int)u < 0 || (size_t)u >= SR_ARRAY_LEN(unit_names))
		return NULL;
	return unit_names[u];
}

int
sr_unit_parse(const char *s, enum sr_unit *out, char **err)
{
	size_t i;

	for (i = 0; s != NULL && i < SR_ARRAY_LEN(unit_names); i++) {
		if (sr_strcaseeq(s, unit_names[i])) {
			*out = (enum sr_unit)i;
			return 0;
		}
	}
	return sr_err(err, "bad unit \"%.40s\": expected percent, ratio, seconds, bytes, count, "
		      "reqps or none", s ? s : "");
}

/* --- defaults --- */

static const struct {
	int64_t respond, resolve, update_every, ack_timeout;
} sev_defaults[SR_SEV_COUNT] = {
	{ 15 * 60, 3600, 15 * 60, 30 * 60 },
	{ 3600, 4 * 3600, 30 * 60, 3600 },
	{ 4 * 3600, 24 * 3600, 2 * 3600, 0 },
	{ 24 * 3600, 7 * 86400, 24 * 3600, 0 },
};

static const char *const level_defaults[SR_LEVEL_COUNT][2] = {
	{ "On-call engineer", "@oncall" },
	{ "Tech lead", "@tech-lead" },
	{ "Engineering manager", "@eng-manager" },
	{ "CTO / director", "@cto" },
};

static const struct {
	const char *label;
	enum sr_sev sev;
} sevmap_defaults[] = {
	{ "critical", SR_SEV_P1 }, { "error", SR_SEV_P2 }, { "high", SR_SEV_P2 },
	{ "warning", SR_SEV_P3 }, { "warn", SR_SEV_P3 }, { "info", SR_SEV_P4 },
	{ "none", SR_SEV_P4 },
};

static void
transport_defaults(struct sr_transport *t)
{
	memset(t, 0, sizeof(*t));
	t->connect_timeout_ms = 3000;
	t->timeout_ms = 10000;
	t->max_bytes = DEFAULT_MAX_BYTES;
	t->interval = 0;	/* 0 until load: then the [feeds] interval for the kind */
	t->tls_verify = 1;
}

static void
transport_done(struct sr_transport *t)
{
	free(t->url);
	free(t->ca_file);
	free(t->cert);
	free(t->key);
	free(t->token);
	free(t->token_file);
	free(t->token_env);
	free(t->username);
	free(t->password);
	free(t->password_file);
	free(t->password_env);
	sr_strv_free(t->headers, t->n_headers);
	free(t->proxy);
	memset(t, 0, sizeof(*t));
}

/* Joins dir (trailing slashes dropped) and tail. */
static char *
xdg_path(const char *var, const char *home_rel, const char *tail)
{
	const char *dir = getenv(var);
	size_t n;

	/* The XDG spec says a relative value is invalid and must be ignored. */
	if (dir != NULL && dir[0] == '/') {
		n = strlen(dir);
		while (n > 1 && dir[n - 1] == '/')
			n--;
		return sr_xasprintf("%.*s/sitrep/%s", (int)n, dir, tail);
	}
	dir = getenv("HOME");
	if (dir != NULL && dir[0] != '\0') {
		n = strlen(dir);
		while (n > 1 && dir[n - 1] == '/')
			n--;
		return sr_xasprintf("%.*s/%s/sitrep/%s", (int)n, dir, home_rel, tail);
	}
	return NULL;
}

char *
sr_config_default_path(void)
{
	return xdg_path("XDG_CONFIG_HOME", ".config", "sitrep.conf");
}

char *
sr_config_default_store(void)
{
	return xdg_path("XDG_STATE_HOME", ".local/state", "sitrep.db");
}

void
sr_config_init(struct sr_config *cfg)
{
	const char *user = getenv("USER");
	size_t i;
	int s;

	memset(cfg, 0, sizeof(*cfg));
	if (user == NULL || user[0] == '\0') {
		/* cron and bare shells have no $USER: the timeline still needs a real actor */
		const struct passwd *pw = getpwuid(getuid());

		user = pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0' ? pw->pw_name
										    : "unknown";
	}
	cfg->user = sr_xstrdup(user);
	for (s = 0; s < SR_SEV_COUNT; s++) {
		struct sr_sev_policy *pol = &cfg->sev[s];

		pol->respond = sev_defaults[s].respond;
		pol->resolve = sev_defaults[s].resolve;
		pol->update_every = sev_defaults[s].update_every;
		pol->ack_timeout = sev_defaults[s].ack_timeout;
		/* L2 at the respond deadline, then doubling: P1 15m/30m/60m as in DESIGN.md. */
		pol->escalate_after[0] = 0;
		pol->escalate_after[1] = pol->respond;
		pol->escalate_after[2] = 2 * pol->respond;
		pol->escalate_after[3] = 4 * pol->respond;
	}
	for (i = 0; i < SR_LEVEL_COUNT; i++) {
		cfg->level[i].name = sr_xstrdup(level_defaults[i][0]);
		cfg->level[i].contact = sr_xstrdup(level_defaults[i][1]);
	}
	cfg->store = sr_config_default_store();
	cfg->alerts_interval = 15;
	cfg->ack_comment = sr_xstrdup("ACK! {incident} by {user}");
	cfg->ack_for = 15 * 60;
	cfg->watchdog_grace = 3 * 60;
	cfg->highlight = 10;
	cfg->panels_interval = 30;
	cfg->checks_interval = 30;
	cfg->n_sevmap = SR_ARRAY_LEN(sevmap_defaults);
	cfg->sevmap = sr_xcalloc(cfg->n_sevmap, sizeof(*cfg->sevmap));
	for (i = 0; i < cfg->n_sevmap; i++) {
		cfg->sevmap[i].label = sr_xstrdup(sevmap_defaults[i].label);
		cfg->sevmap[i].sev = sevmap_defaults[i].sev;
	}
}

static void free_items(struct sr_config *cfg);

void
sr_config_done(struct sr_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->user);
	free(cfg->timezone);
	free(cfg->ack_comment);
	free(cfg->watchdog);
	free(cfg->notify);
	for (i = 0; i < SR_LEVEL_COUNT; i++) {
		free(cfg->level[i].name);
		free(cfg->level[i].contact);
		free(cfg->level[i].rotation);
	}
	free(cfg->store);
	sr_strv_free(cfg->runbook_dirs, cfg->n_runbook_dirs);
	for (i = 0; i < cfg->n_runbook_map; i++) {
		free(cfg->runbook_map[i].alertname);
		free(cfg->runbook_map[i].file);
	}
	free(cfg->runbook_map);
	for (i = 0; i < cfg->n_sevmap; i++)
		free(cfg->sevmap[i].label);
	free(cfg->sevmap);
	free_items(cfg);
	memset(cfg, 0, sizeof(*cfg));
}

enum sr_sev
sr_config_alert_sev(const struct sr_config *cfg, const char *label)
{
	for (size_t i = 0; label != NULL && i < cfg->n_sevmap; i++)
		if (sr_strcaseeq(cfg->sevmap[i].label, label))
			return cfg->sevmap[i].sev;
	return SR_SEV_P3;
}

int64_t
sr_config_escalate_after(const struct sr_config *cfg, enum sr_sev s, int lvl)
{
	if ((int)s < 0 || (int)s >= SR_SEV_COUNT || lvl < 1 || lvl >= SR_LEVEL_COUNT)
		return -1;
	return cfg->sev[s].escalate_after[lvl];
}

/* --- the schema: sections and their keys, as tables --- */

enum vtype {
	V_STR,		/* any text */
	V_PATH,		/* a file path; a leading ~/ is expanded */
	V_SECRET,	/* a token or password written inline */
	V_ENV,		/* the name of an environment variable */
	V_URL,		/* http:// or https:// */
	V_PROXY,	/* a proxy as curl takes it */
	V_DUR,		/* a duration in seconds, 0 allowed */
	V_DUR_POS,	/* a duration in seconds, more than 0 */
	V_MS,		/* a duration more than 0, stored in milliseconds */
	V_BYTES,	/* a size: 1048576, 512K, 32M, 1G */
	V_BOOL,
	V_HEADER,	/* "Name: value", repeatable; aux = offset of the count */
	V_UNIT,
	V_NUM,		/* a finite number; aux = offset of its has_ flag */
	V_STATUS,	/* an HTTP status 100..599 */
	V_STORE,	/* a file path or a postgresql:// URL */
	V_PGURL,	/* a postgresql:// URI or a libpq key=value connection string */
	V_DIRS,		/* a comma- or colon-separated list of directories */
	V_ESC,		/* an escalation wait; aux = severity * SR_LEVEL_COUNT + level */
	V_MEMBERS,	/* a comma-separated list of names; aux = offset of the count */
	V_DAYS,		/* a duration of whole days, more than 0 */
	V_HANDOFF,	/* "mon 09:00" or "09:00" (see sr_oncall_parse_handoff) */
	V_TZ,		/* a zone of the system tz database */
	V_DATE,		/* YYYY-MM-DD; aux = offset of the day number */
	V_LEVEL_ROT,	/* "rotation:NAME"; aux = the level (0..3) */
};

struct key_desc {
	const char *name;
	enum vtype type;
	size_t off;	/* where the value goes, from the section's base (see section_base) */
	size_t aux;
};

#define MAX_KEYS 32

static const struct key_desc general_keys[] = {
	{ "user", V_STR, offsetof(struct sr_config, user), 0 },
	{ "timezone", V_STR, offsetof(struct sr_config, timezone), 0 },
};

static const struct key_desc severity_keys[] = {
	{ "respond", V_DUR_POS, offsetof(struct sr_sev_policy, respond), 0 },
	{ "resolve", V_DUR_POS, offsetof(struct sr_sev_policy, resolve), 0 },
	{ "update_every", V_DUR_POS, offsetof(struct sr_sev_policy, update_every), 0 },
	{ "ack_timeout", V_DUR, offsetof(struct sr_sev_policy, ack_timeout), 0 },
	{ "ack_timeout_escalate", V_BOOL, offsetof(struct sr_sev_policy, ack_timeout_escalate), 0 },
};

#define LEVEL_KEYS(n) \
	{ "L" #n "_name", V_STR, offsetof(struct sr_config, level) + \
	  ((n) - 1) * sizeof(struct sr_level) + offsetof(struct sr_level, name), 0 }, \
	{ "L" #n "_contact", V_STR, offsetof(struct sr_config, level) + \
	  ((n) - 1) * sizeof(struct sr_level) + offsetof(struct sr_level, contact), 0 }
#define ESC_KEY(s, l) \
	{ "P" #s "_L" #l, V_ESC, offsetof(struct sr_config, sev) + \
	  ((s) - 1) * sizeof(struct sr_sev_policy) + offsetof(struct sr_sev_policy, escalate_after) + \
	  ((l) - 1) * sizeof(int64_t), ((s) - 1) * SR_LEVEL_COUNT + ((l) - 1) }
#define ESC_KEYS(s) ESC_KEY(s, 2), ESC_KEY(s, 3), ESC_KEY(s, 4)

#define LEVEL_ROT(n) \
	{ "L" #n, V_LEVEL_ROT, offsetof(struct sr_config, level) + \
	  ((n) - 1) * sizeof(struct sr_level) + offsetof(struct sr_level, rotation), (n) - 1 }

static const struct key_desc escalation_keys[] = {
	LEVEL_KEYS(1), LEVEL_KEYS(2), LEVEL_KEYS(3), LEVEL_KEYS(4),
	LEVEL_ROT(1), LEVEL_ROT(2), LEVEL_ROT(3), LEVEL_ROT(4),
	ESC_KEYS(1), ESC_KEYS(2), ESC_KEYS(3), ESC_KEYS(4),
};

static const struct key_desc store_keys[] = {
	{ "path", V_STORE, offsetof(struct sr_config, store), 0 },
	{ "url", V_PGURL, offsetof(struct sr_config, store), 0 },
};

static const struct key_desc feeds_keys[] = {
	{ "alerts_interval", V_DUR_POS, offsetof(struct sr_config, alerts_interval), 0 },
	{ "panels_interval", V_DUR_POS, offsetof(struct sr_config, panels_interval), 0 },
	{ "checks_interval", V_DUR_POS, offsetof(struct sr_config, checks_interval), 0 },
	{ "ack_comment", V_STR, offsetof(struct sr_config, ack_comment), 0 },
	{ "ack_for", V_DUR_POS, offsetof(struct sr_config, ack_for), 0 },
	{ "watchdog", V_STR, offsetof(struct sr_config, watchdog), 0 },
	{ "watchdog_grace", V_DUR_POS, offsetof(struct sr_config, watchdog_grace), 0 },
};

static const struct key_desc console_keys[] = {
	{ "highlight", V_DUR, offsetof(struct sr_config, highlight), 0 },
	{ "bell", V_BOOL, offsetof(struct sr_config, bell), 0 },
	{ "notify", V_STR, offsetof(struct sr_config, notify), 0 },
};

static const struct key_desc runbooks_keys[] = {
	{ "dirs", V_DIRS, 0, 0 },
};

/* A key of the struct sr_transport t inside struct st. */
#define T_KEY(st, n, ty, f) { n, ty, offsetof(st, t) + offsetof(struct sr_transport, f), 0 }
/* The transport keys a source and a check share ("url" first: their required key). */
#define TRANSPORT_KEYS(st)                                                                  \
	T_KEY(st, "url", V_URL, url), T_KEY(st, "connect_timeout", V_MS, connect_timeout_ms),  \
	T_KEY(st, "timeout", V_MS, timeout_ms), T_KEY(st, "interval", V_DUR_POS, interval),    \
	T_KEY(st, "tls_verify", V_BOOL, tls_verify), T_KEY(st, "ca_file", V_PATH, ca_file),    \
	{ "header", V_HEADER, offsetof(st, t) + offsetof(struct sr_transport, headers),        \
	  offsetof(st, t) + offsetof(struct sr_transport, n_headers) },                        \
	T_KEY(st, "token", V_SECRET, token), T_KEY(st, "token_file", V_PATH, token_file),      \
	T_KEY(st, "token_env", V_ENV, token_env)

/* The first key of a table with a required key is that key (see struct kind_desc). */
static const struct key_desc source_keys[] = {
	TRANSPORT_KEYS(struct sr_source),
	T_KEY(struct sr_source, "max_bytes", V_BYTES, max_bytes),
	T_KEY(struct sr_source, "cert", V_PATH, cert),
	T_KEY(struct sr_source, "key", V_PATH, key),
	T_KEY(struct sr_source, "username", V_STR, username),
	T_KEY(struct sr_source, "password", V_SECRET, password),
	T_KEY(struct sr_source, "password_file", V_PATH, password_file),
	T_KEY(struct sr_source, "password_env", V_ENV, password_env),
	T_KEY(struct sr_source, "proxy", V_PROXY, proxy),
};

static const struct key_desc check_keys[] = {
	TRANSPORT_KEYS(struct sr_check),
	{ "expect_status", V_STATUS, offsetof(struct sr_check, expect_status), 0 },
};

#define TGT_KEY(n, ty, f) \
	{ n, ty, offsetof(struct sr_target, t) + offsetof(struct sr_transport, f), 0 }

static const struct key_desc target_keys[] = {
	{ "webhook", V_SECRET, offsetof(struct sr_target, webhook), 0 },
	{ "webhook_file", V_PATH, offsetof(struct sr_target, webhook_file), 0 },
	{ "webhook_env", V_ENV, offsetof(struct sr_target, webhook_env), 0 },
	TGT_KEY("token", V_SECRET, token),
	TGT_KEY("token_file", V_PATH, token_file),
	TGT_KEY("token_env", V_ENV, token_env),
	{ "channel", V_STR, offsetof(struct sr_target, channel), 0 },
	TGT_KEY("api_url", V_URL, url),
	TGT_KEY("timeout", V_MS, timeout_ms),
	TGT_KEY("connect_timeout", V_MS, connect_timeout_ms),
	TGT_KEY("tls_verify", V_BOOL, tls_verify),
	TGT_KEY("ca_file", V_PATH, ca_file),
	{ "min_interval", V_DUR, offsetof(struct sr_target, min_interval), 0 },
};

#define PGW_KEY(n, ty, f) { n, ty, offsetof(struct sr_pgwatch, f), 0 }
static const struct key_desc pgwatch_keys[] = {
	PGW_KEY("url", V_PGURL, url),
	PGW_KEY("statement_timeout", V_MS, timeout_ms),
	{ "connections_pct", V_NUM, offsetof(struct sr_pgwatch, conn_pct),
	  offsetof(struct sr_pgwatch, has_conn_pct) },
	PGW_KEY("long_query", V_DUR_POS, long_query),
	PGW_KEY("long_transaction", V_DUR_POS, long_xact),
	PGW_KEY("lock_wait", V_DUR_POS, lock_wait),
	PGW_KEY("replication_lag", V_DUR_POS, lag),
	{ "xid_age", V_NUM, offsetof(struct sr_pgwatch, xid_age),
	  offsetof(struct sr_pgwatch, has_xid_age) },
	PGW_KEY("runbook", V_STR, runbook),
};

static const struct key_desc panel_keys[] = {
	{ "query", V_STR, offsetof(struct sr_panel, query), 0 },
	{ "source", V_STR, offsetof(struct sr_panel, source), 0 },
	{ "unit", V_UNIT, offsetof(struct sr_panel, unit), 0 },
	{ "warn", V_NUM, offsetof(struct sr_panel, warn), offsetof(struct sr_panel, has_warn) },
	{ "crit", V_NUM, offsetof(struct sr_panel, crit), offsetof(struct sr_panel, has_crit) },
	{ "range", V_DUR_POS, offsetof(struct sr_panel, range), 0 },
	{ "runbook", V_STR, offsetof(struct sr_panel, runbook), 0 },
};

#define ROT_KEY(n, ty, f, aux) { n, ty, offsetof(struct sr_rotation, f), aux }

static const struct key_desc rotation_keys[] = {
	ROT_KEY("members", V_MEMBERS, members, offsetof(struct sr_rotation, n_members)),
	ROT_KEY("length", V_DAYS, length, 0),
	ROT_KEY("handoff", V_HANDOFF, handoff, 0),
	ROT_KEY("timezone", V_TZ, timezone, 0),
	ROT_KEY("start", V_DATE, start, offsetof(struct sr_rotation, start_day)),
	ROT_KEY("ical", V_PATH, ical, 0),
	ROT_KEY("ical_url", V_URL, ical_url, 0),
};

enum kind {
	K_GENERAL, K_SEVERITY, K_ESCALATION, K_STORE, K_FEEDS, K_RUNBOOKS, K_RUNBOOKS_MAP,
	K_SEVERITY_MAP, K_PROMETHEUS, K_ALERTMANAGER, K_PANEL, K_CHECK, K_SLACK, K_MATTERMOST,
	K_POSTGRES, K_ROTATION, K_CONSOLE
};

enum naming {
	N_NONE,		/* [store] */
	N_OPTIONAL,	/* [prometheus] or [prometheus NAME]; bare means "default" */
	N_REQUIRED,	/* [panel NAME] */
	N_SEVERITY,	/* [severity P1] */
	N_MAP,		/* [runbooks map]: a two-word header, any key allowed */
};

struct kind_desc {
	const char *name;
	enum naming naming;
	const struct key_desc *keys;	/* NULL: any key (the maps) */
	size_t n_keys;
	int url_required;		/* keys[0] must be set */
};

#define KIND(n, nm, k, req) { n, nm, k, SR_ARRAY_LEN(k), req }
static const struct kind_desc kinds[] = {
	[K_GENERAL] = KIND("general", N_NONE, general_keys, 0),
	[K_SEVERITY] = KIND("severity", N_SEVERITY, severity_keys, 0),
	[K_ESCALATION] = KIND("escalation", N_NONE, escalation_keys, 0),
	[K_STORE] = KIND("store", N_NONE, store_keys, 0),
	[K_FEEDS] = KIND("feeds", N_NONE, feeds_keys, 0),
	[K_RUNBOOKS] = KIND("runbooks", N_NONE, runbooks_keys, 0),
	[K_RUNBOOKS_MAP] = { "runbooks map", N_MAP, NULL, 0, 0 },
	[K_SEVERITY_MAP] = { "severity map", N_MAP, NULL, 0, 0 },
	[K_PROMETHEUS] = KIND("prometheus", N_OPTIONAL, source_keys, 1),
	[K_ALERTMANAGER] = KIND("alertmanager", N_OPTIONAL, source_keys, 1),
	[K_PANEL] = KIND("panel", N_REQUIRED, panel_keys, 1),
	[K_CHECK] = KIND("check", N_REQUIRED, check_keys, 1),
	[K_SLACK] = KIND("slack", N_REQUIRED, target_keys, 0),
	[K_MATTERMOST] = KIND("mattermost", N_REQUIRED, target_keys, 0),
	[K_POSTGRES] = KIND("postgres", N_REQUIRED, pgwatch_keys, 1),
	[K_ROTATION] = KIND("rotation", N_REQUIRED, rotation_keys, 0),
	[K_CONSOLE] = KIND("console", N_NONE, console_keys, 0),
};

/*
 * The arrays of named sections in struct sr_config: where each array and its count are, the
 * size of an item, and where in an item its name and its transport (NO_T: none) are. What
 * else an item holds is what its kind's key table says: new_object, section_base and
 * sr_config_done read this table, not a switch per kind.
 */
#define NO_T SIZE_MAX
struct item_desc {
	unsigned kinds;		/* the section kinds that fill it, a bit per enum kind */
	size_t arr, n, size, name, t;
};
#define ITEM(kinds, f, nf, ty, t) \
	{ kinds, offsetof(struct sr_config, f), offsetof(struct sr_config, nf), sizeof(ty), \
	  offsetof(ty, name), t }
#define IN_KIND(k) (1u << (k))
static const struct item_desc items[] = {
	ITEM(IN_KIND(K_PROMETHEUS), prom, n_prom, struct sr_source,
	     offsetof(struct sr_source, t)),
	ITEM(IN_KIND(K_ALERTMANAGER), am, n_am, struct sr_source, offsetof(struct sr_source, t)),
	ITEM(IN_KIND(K_PANEL), panels, n_panels, struct sr_panel, NO_T),
	ITEM(IN_KIND(K_CHECK), checks, n_checks, struct sr_check, offsetof(struct sr_check, t)),
	ITEM(IN_KIND(K_SLACK) | IN_KIND(K_MATTERMOST), targets, n_targets, struct sr_target,
	     offsetof(struct sr_target, t)),
	ITEM(IN_KIND(K_POSTGRES), pg, n_pg, struct sr_pgwatch, NO_T),
	ITEM(IN_KIND(K_ROTATION), rotations, n_rotations, struct sr_rotation, NO_T),
};
/* The parser's record of room in each array: items' first, then the two maps'. */
enum { CAP_SEVMAP = SR_ARRAY_LEN(items), CAP_RUNBOOK_MAP, CAP_COUNT };

/* The item array section kind k fills, or NULL (the kinds that fill sr_config itself). */
static const struct item_desc *
item_of(enum kind k)
{
	for (size_t i = 0; i < SR_ARRAY_LEN(items); i++)
		if (items[i].kinds & IN_KIND(k))
			return &items[i];
	return NULL;
}

/* The array of d in cfg, its count, and item i of it. */
static char **
item_array(struct sr_config *cfg, const struct item_desc *d)
{
	return (char **)(void *)((char *)cfg + d->arr);
}

static size_t *
item_count(struct sr_config *cfg, const struct item_desc *d)
{
	return (size_t *)(void *)((char *)cfg + d->n);
}

static char *
item_at(struct sr_config *cfg, const struct item_desc *d, size_t i)
{
	return *item_array(cfg, d) + i * d->size;
}

/* Frees what the keys of kd hold in the object at base: their strings and lists. */
static void
free_keys(char *base, const struct kind_desc *kd)
{
	for (size_t i = 0; i < kd->n_keys; i++) {
		const struct key_desc *k = &kd->keys[i];

		switch (k->type) {
		case V_HEADER:
		case V_MEMBERS: {
			char ***list = (char ***)(void *)(base + k->off);
			size_t *n = (size_t *)(void *)(base + k->aux);

			sr_strv_free(*list, *n);
			*list = NULL;
			*n = 0;
			break;
		}
		case V_STR: case V_PATH: case V_SECRET: case V_ENV: case V_URL: case V_PROXY:
		case V_STORE: case V_PGURL: case V_HANDOFF: case V_TZ: case V_DATE:
		case V_LEVEL_ROT: {
			char **str = (char **)(void *)(base + k->off);

			free(*str);
			*str = NULL;	/* two keys may share a field ([store] path and url) */
			break;
		}
		default:
			break;		/* numbers, flags, [runbooks] dirs: nothing the item owns */
		}
	}
}

/* Frees every item of every item array, by the table above. */
static void
free_items(struct sr_config *cfg)
{
	for (size_t a = 0; a < SR_ARRAY_LEN(items); a++) {
		const struct item_desc *d = &items[a];

		for (size_t i = 0; i < *item_count(cfg, d); i++) {
			char *it = item_at(cfg, d, i);

			free(*(char **)(void *)(it + d->name));
			if (d->t != NO_T)
				transport_done((struct sr_transport *)(void *)(it + d->t));
			for (size_t k = 0; k < SR_ARRAY_LEN(kinds); k++)
				if (d->kinds & IN_KIND(k)) {
					free_keys(it, &kinds[k]);
					break;	/* the kinds of one array share a key table */
				}
		}
		free(*item_array(cfg, d));
	}
}

_Static_assert(SR_ARRAY_LEN(escalation_keys) <= MAX_KEYS, "raise MAX_KEYS");
_Static_assert(SR_ARRAY_LEN(source_keys) <= MAX_KEYS, "raise MAX_KEYS");

/* --- parser state --- */

struct section {
	enum kind kind;
	char *name;	/* canonical name ("default", "P1"), NULL for unnamed kinds */
	char *shown;	/* "[prometheus main]", escaped for messages */
	int line;
	size_t index;	/* into the cfg array for severity, sources, panels, checks */
};

struct parser {
	struct sr_config *cfg;
	const char *file;	/* escaped path for messages */
	const char *buf;	/* the whole file */
	size_t len, pos;
	int lineno;
	char *err;		/* the first error; parsing stops there */

	struct section *secs;
	size_t n_secs, cap_secs;
	int cur;		/* index into secs, -1 before the first header */
	int keyline[MAX_KEYS];	/* line where each key of the current section was set */

	int have_prev_key;	/* as inih's prev_name: a key line since the last header */
	char *prev_key;
	int line_is_cont;	/* the line being handled is an indented continuation */
	char *stash;		/* the value of a line too long for inih's buffer */
	size_t *slots, cap_slots;	/* hash of p->secs: index + 1, 0 = empty */
	size_t cap_items[CAP_COUNT];	/* room in cfg's item arrays and maps (see items) */
	const char *q_text;	/* the panel query continuations grow (not owned)... */
	size_t q_len, q_cap;	/* ...its length and allocated size */

	int esc_line[SR_SEV_COUNT][SR_LEVEL_COUNT];
	int level_rot_line[SR_LEVEL_COUNT];	/* where L1 = rotation:NAME was set */
	int inline_secret;
	char *ring[8];		/* escaped values for messages, freed with the parser */
	size_t ring_next;
};

/* Escapes s for an error message: control bytes as \xNN, long values cut with "...". */
static char *
shown(const char *s, size_t max)
{
	struct sr_buf b;
	size_t i;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= max) {
			sr_buf_adds(&b, "...");
			break;
		}
		if (c < 0x20 || c == 0x7f)
			sr_buf_printf(&b, "\\x%02x", c);
		else if (c == '"' || c == '\\')
			sr_buf_printf(&b, "\\%c", c);
		else
			sr_buf_addc(&b, (char)c);
	}
	return sr_buf_steal(&b);
}

/* An escaped copy of s that lives as long as the parser (for message arguments). */
static const char *
q(struct parser *p, const char *s)
{
	size_t i = p->ring_next++ % SR_ARRAY_LEN(p->ring);

	free(p->ring[i]);
	p->ring[i] = shown(s, SHOWN_MAX);
	return p->ring[i];
}

static int fail(struct parser *p, int line, const char *fmt, ...) SR_PRINTF(3, 4);

/* Records the first error as "FILE:LINE: message" (or "FILE: message" for line 0). */
static int
fail(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->err != NULL)
		return -1;
	va_start(ap, fmt);
	msg = sr_xvasprintf(fmt, ap);
	va_end(ap);
	if (line > 0)
		p->err = sr_xasprintf("%s:%d: %s", p->file, line, msg);
	else
		p->err = sr_xasprintf("%s: %s", p->file, msg);
	free(msg);
	return -1;
}

/* The nearest candidate is offered only when it is plausibly a typo of it. */
static int
close_enough(size_t dist, const char *cand)
{
	size_t lim = strlen(cand) / 2;

	if (lim > 3)
		lim = 3;
	if (lim < 1)
		lim = 1;
	return dist <= lim;
}

/* --- value parsers --- */

static int
parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < SR_ARRAY_LEN(yes); i++) {
		if (sr_strcaseeq(s, yes[i])) {
			*out = 1;
			return 0;
		}
		if (sr_strcaseeq(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* "1048576", "512K", "32M", "1G" (also "32MB", "32MiB"): binary multiples, more than 0. */
static int
parse_bytes(const char *s, int64_t *out)
{
	unsigned long long v;
	int64_t mult = 1;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	while (*end == ' ')
		end++;
	switch (toupper((unsigned char)*end)) {
	case 'K': mult = 1024; end++; break;
	case 'M': mult = 1024 * 1024; end++; break;
	case 'G': mult = 1024 * 1024 * 1024; end++; break;
	default: break;
	}
	if (mult > 1 && (*end == 'i' || *end == 'I') && toupper((unsigned char)end[1]) == 'B')
		end += 2;
	else if (toupper((unsigned char)*end) == 'B')
		end++;
	if (*end != '\0' || v == 0 || v > (unsigned long long)(INT64_MAX / mult))
		return -1;
	*out = (int64_t)v * mult;
	return 0;
}

/*
 * A store URL (libpq's syntax, which allows empty hosts and host lists) holds a secret when
 * it has a password as libcurl would read it, or cannot be read that way and has an '@'.
 */
static int
store_url_has_secret(const char *v)
{
	struct sr_url_parts u;

	if (sr_url_split(v, &u) != 0)
		return strchr(v, '@') != NULL;
	return u.has_password;
}

static int
has_prefix_ci(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strlen(s) >= n && strncasecmp(s, prefix, n) == 0;
}

/* Header names whose values are credentials: the file must then be private. */
static int
header_is_secret(const char *name, size_t n)
{
	static const char *const exact[] = { "authorization", "proxy-authorization", "cookie" };
	static const char *const part[] = { "token", "secret", "key", "auth", "password" };
	char low[128];
	size_t i;

	if (n >= sizeof(low))
		return 1;
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[n] = '\0';
	for (i = 0; i < SR_ARRAY_LEN(exact); i++)
		if (strcmp(low, exact[i]) == 0)
			return 1;
	for (i = 0; i < SR_ARRAY_LEN(part); i++)
		if (strstr(low, part[i]) != NULL)
			return 1;
	return 0;
}

/* Expands a leading "~/" (or a lone "~") with $HOME; other text is kept as it is. */
static int
expand_path(struct parser *p, const char *key, const char *v, char **out)
{
	const char *home;

	if (v[0] != '~' || (v[1] != '/' && v[1] != '\0')) {
		*out = sr_xstrdup(v);
		return 0;
	}
	home = getenv("HOME");
	if (home == NULL || home[0] == '\0')
		return fail(p, p->lineno, "cannot expand \"%s\" for %s: HOME is not set",
			    q(p, v), key);
	*out = sr_xasprintf("%s%s", home, v + 1);
	return 0;
}

static int
valid_env_name(const char *s)
{
	size_t i;

	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; s[i] != '\0'; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

/* Formats a duration in whole units for a message: "1h30m", "2w", "0s". */
static char *
fmt_dur(int64_t secs, char *buf, size_t n)
{
	static const struct {
		char unit;
		int64_t secs;
	} units[] = { { 'w', 604800 }, { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < SR_ARRAY_LEN(units) && used < n; i++) {
		if (secs >= units[i].secs) {
			int w = snprintf(buf + used, n - used, "%lld%c",
					 (long long)(secs / units[i].secs), units[i].unit);

			if (w < 0)
				break;
			used += (size_t)w;
			secs %= units[i].secs;
		}
	}
	if (buf[0] == '\0')
		snprintf(buf, n, "0s");
	return buf;
}

/* --- sections --- */

static struct section *
cur_section(struct parser *p)
{
	return p->cur >= 0 ? &p->secs[p->cur] : NULL;
}

/* Where a section's keys are stored: their key_desc offsets start from here. */
static char *
section_base(struct parser *p, const struct section *sec)
{
	const struct item_desc *d = item_of(sec->kind);

	if (sec->kind == K_SEVERITY)
		return (char *)&p->cfg->sev[sec->index];
	return d != NULL ? item_at(p->cfg, d, sec->index) : (char *)p->cfg;
}

static int
count_set(const char *const *vals, size_t n)
{
	size_t i;
	int c = 0;

	for (i = 0; i < n; i++)
		c += vals[i] != NULL;
	return c;
}

/* Checks a finished transport section: one credential source each, no half-set pairs. */
static int
check_transport(struct parser *p, const struct section *sec, const struct sr_transport *t)
{
	const char *tokens[] = { t->token, t->token_file, t->token_env };
	const char *passwords[] = { t->password, t->password_file, t->password_env };

	if (count_set(tokens, 3) > 1)
		return fail(p, sec->line, "%s sets more than one of token, token_file, token_env",
			    sec->shown);
	if (count_set(passwords, 3) > 1)
		return fail(p, sec->line, "%s sets more than one of password, password_file, "
			    "password_env", sec->shown);
	if (count_set(passwords, 3) > 0 && t->username == NULL)
		return fail(p, sec->line, "%s sets a password but no username", sec->shown);
	if (t->username != NULL && count_set(passwords, 3) == 0)
		return fail(p, sec->line, "%s sets a username but no password, password_file or "
			    "password_env", sec->shown);
	if (t->username != NULL && count_set(tokens, 3) > 0)
		return fail(p, sec->line, "%s sets both a bearer token and basic auth: choose one",
			    sec->shown);
	if (t->key != NULL && t->cert == NULL)
		return fail(p, sec->line, "%s sets a client key but no cert", sec->shown);
	return 0;
}

/* A target: one webhook source, or (Slack) one bot token source and a channel. */
static int
check_target(struct parser *p, const struct section *sec, const struct sr_target *tg)
{
	const char *hooks[] = { tg->webhook, tg->webhook_file, tg->webhook_env };
	const char *tokens[] = { tg->t.token, tg->t.token_file, tg->t.token_env };
	int nh = count_set(hooks, 3), nt = count_set(tokens, 3);

	if (nh > 1)
		return fail(p, sec->line, "%s sets more than one of webhook, webhook_file, "
			    "webhook_env", sec->shown);
	if (nt > 1)
		return fail(p, sec->line, "%s sets more than one of token, token_file, token_env",
			    sec->shown);
	if (tg->type == SR_TARGET_MATTERMOST && (nt || tg->channel))
		return fail(p, sec->line, "%s: a Mattermost target takes a webhook (webhook_file "
			    "or webhook_env), not a token or channel", sec->shown);
	if (nh + nt != 1)
		return fail(p, sec->line, "%s needs webhook_file (or webhook_env)%s", sec->shown,
			    tg->type == SR_TARGET_SLACK ? ", or token_file and channel" : "");
	if (nt && (tg->channel == NULL || *tg->channel == '\0'))
		return fail(p, sec->line, "%s has a bot token but no channel", sec->shown);
	if (nh && tg->channel)
		return fail(p, sec->line, "%s: a webhook posts to its own channel; drop channel",
			    sec->shown);
	if (!sr_http_url_private_ok(tg->t.url))
		return fail(p, sec->line, "%s: api_url must be https (http only to a loopback "
			    "address)", sec->shown);
	return 0;
}

/* A rotation follows exactly one of: members, ical, ical_url. */
static int
check_rotation(struct parser *p, const struct section *sec, const struct sr_rotation *r)
{
	int n = (r->n_members > 0) + (r->ical != NULL) + (r->ical_url != NULL);

	if (n == 0)
		return fail(p, sec->line, "%s needs members, ical or ical_url", sec->shown);
	if (n > 1)
		return fail(p, sec->line, "%s sets more than one of members, ical, ical_url: "
			    "choose one", sec->shown);
	return 0;
}

/* Runs the checks that need the whole section: required keys, pairs of keys. */
static int
end_section(struct parser *p)
{
	struct section *sec = cur_section(p);
	const struct kind_desc *kd;
	char *base;

	if (sec == NULL)
		return 0;
	kd = &kinds[sec->kind];
	base = section_base(p, sec);
	if (kd->url_required && p->keyline[0] == 0)
		return fail(p, sec->line, "missing required key \"%s\" in %s", kd->keys[0].name,
			    sec->shown);
	switch (sec->kind) {
	case K_PROMETHEUS:
	case K_ALERTMANAGER:
		return check_transport(p, sec, &((struct sr_source *)(void *)base)->t);
	case K_CHECK:
		return check_transport(p, sec, &((struct sr_check *)(void *)base)->t);
	case K_SLACK:
	case K_MATTERMOST:
		return check_target(p, sec, (struct sr_target *)(void *)base);
	case K_ROTATION:
		return check_rotation(p, sec, (const struct sr_rotation *)(void *)base);
	case K_CONSOLE: {
		const char *nt = ((const struct sr_config *)(void *)base)->notify;

		if (nt != NULL && strcmp(nt, "off") != 0 && strcmp(nt, "osc777") != 0 &&
		    strcmp(nt, "osc9") != 0)
			return fail(p, sec->line, "%s: notify must be off, osc777 or osc9 "
				    "(found \"%s\")", sec->shown, q(p, nt));
		return 0;
	}
	case K_PANEL: {
		const struct sr_panel *pn = (const struct sr_panel *)(void *)base;

		if (pn->has_warn && pn->has_crit && pn->warn > pn->crit)
			return fail(p, sec->line, "%s has warn (%g) above crit (%g): a value is "
				    "bad when above them, so warn must not exceed crit",
				    sec->shown, pn->warn, pn->crit);
		return 0;
	}
	default:
		return 0;
	}
}

static int
find_kind(const char *word)
{
	size_t i;

	for (i = 0; i < SR_ARRAY_LEN(kinds); i++)
		if (kinds[i].naming != N_MAP && sr_strcaseeq(word, kinds[i].name))
			return (int)i;
	return -1;
}

/* "unknown section [x]" with the nearest valid header, if one is near enough. */
static int
unknown_section(struct parser *p, const char *header, const char *word, const char *rest)
{
	size_t i, best = SIZE_MAX;
	char *suggestion = NULL;

	for (i = 0; i < SR_ARRAY_LEN(kinds); i++) {
		const struct kind_desc *kd = &kinds[i];
		size_t d;
		char *cand;

		if (kd->naming == N_NONE || kd->naming == N_MAP) {
			d = sr_edit_distance(header, kd->name);
			cand = sr_xstrdup(kd->name);
		} else {
			d = sr_edit_distance(word, kd->name);
			cand = *rest ? sr_xasprintf("%s %s", kd->name, rest) : sr_xstrdup(kd->name);
		}
		if (d < best && close_enough(d, kd->name)) {
			best = d;
			free(suggestion);
			suggestion = cand;
		} else {
			free(cand);
		}
	}
	if (suggestion != NULL) {
		fail(p, p->lineno, "unknown section [%s] (did you mean [%s]?)", q(p, header),
		     q(p, suggestion));
		free(suggestion);
		return -1;
	}
	return fail(p, p->lineno, "unknown section [%s] (sections: general, severity P1..P4, "
		    "escalation, store, feeds, runbooks, runbooks map, severity map, prometheus, "
		    "alertmanager, panel NAME, check NAME, slack NAME, mattermost NAME, "
		    "postgres NAME, rotation NAME, console)", q(p, header));
}

/*
 * Appends a zeroed item. *cap is the parser's record of the array's room (0 at the start of
 * a load: an array from sr_config_init or an earlier load is taken as full); doubling keeps
 * 10,000 sections linear.
 */
static void *
append_item(void *arr, size_t *n, size_t *cap, size_t size)
{
	if (*n + 1 > *cap) {
		*cap = *n < 4 ? 8 : 2 * *n;
		arr = sr_xrealloc(arr, *cap * size);
	}
	memset((char *)arr + *n * size, 0, size);
	(*n)++;
	return arr;
}

/*
 * Creates the object a new section fills (named name, its transport's defaults, then its
 * kind's) and returns its index in the cfg array.
 */
static size_t
new_object(struct parser *p, enum kind k, const char *name, size_t sev)
{
	const struct item_desc *d = item_of(k);
	char **arr;
	size_t *n;
	char *it;

	if (d == NULL)
		return k == K_SEVERITY ? sev : 0;
	arr = item_array(p->cfg, d);
	n = item_count(p->cfg, d);
	*arr = append_item(*arr, n, &p->cap_items[d - items], d->size);
	it = item_at(p->cfg, d, *n - 1);
	*(char **)(void *)(it + d->name) = sr_xstrdup(name);
	if (d->t != NO_T)
		transport_defaults((struct sr_transport *)(void *)(it + d->t));
	switch (k) {
	case K_PANEL: {
		struct sr_panel *pn = (struct sr_panel *)(void *)it;

		pn->range = 3600;
		pn->unit = SR_UNIT_NONE;
		break;
	}
	case K_CHECK:
		((struct sr_check *)(void *)it)->expect_status = 200;
		break;
	case K_SLACK:
	case K_MATTERMOST: {
		struct sr_target *tg = (struct sr_target *)(void *)it;

		tg->type = k == K_SLACK ? SR_TARGET_SLACK : SR_TARGET_MATTERMOST;
		tg->t.url = sr_xstrdup("https://slack.com/api");
		tg->min_interval = 1;
		break;
	}
	case K_POSTGRES: {
		struct sr_pgwatch *w = (struct sr_pgwatch *)(void *)it;

		w->timeout_ms = 5000;
		w->conn_pct = 90;
		w->long_query = 300;
		w->long_xact = 900;
		w->lock_wait = 30;
		w->lag = 60;
		w->xid_age = 1e9;
		w->runbook = sr_xstrdup("database-errors");
		break;
	}
	case K_ROTATION: {
		struct sr_rotation *r = (struct sr_rotation *)(void *)it;

		r->length = 7 * 86400;
		r->handoff = sr_xstrdup("mon 09:00");
		r->handoff_wday = 1;
		r->handoff_min = 9 * 60;
		r->line = p->lineno;
		break;
	}
	default:
		break;
	}
	return *n - 1;
}

static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Handles a "[...]" line: header is the text between the brackets, trimmed. */
/* --- finding sections already seen: a hash of (kind, name without case) --- */

static uint64_t
section_hash(enum kind k, const char *name)
{
	uint64_t h = 1469598103934665603u ^ (uint64_t)k;	/* FNV-1a */

	for (const char *c = name ? name : ""; *c; c++)
		h = (h ^ (uint64_t)tolower((unsigned char)*c)) * 1099511628211u;
	return h ^ (name == NULL ? 0x9e3779b97f4a7c15u : 0);
}

static int
same_section(const struct section *o, enum kind k, const char *name)
{
	return o->kind == k && ((o->name == NULL && name == NULL) ||
				(o->name != NULL && name != NULL && sr_strcaseeq(o->name, name)));
}

/* The index in p->secs of section (k, name), or SIZE_MAX. */
static size_t
find_section(const struct parser *p, enum kind k, const char *name)
{
	size_t mask = p->cap_slots - 1, j;

	if (p->cap_slots == 0)
		return SIZE_MAX;
	for (j = (size_t)section_hash(k, name) & mask; p->slots[j] != 0; j = (j + 1) & mask)
		if (same_section(&p->secs[p->slots[j] - 1], k, name))
			return p->slots[j] - 1;
	return SIZE_MAX;
}

/* Adds p->secs[i] to the hash, which stays at most half full. */
static void
index_section(struct parser *p, size_t i)
{
	size_t mask, j;

	if (2 * p->n_secs > p->cap_slots) {
		free(p->slots);
		p->cap_slots = p->cap_slots ? 2 * p->cap_slots : 64;
		p->slots = sr_xcalloc(p->cap_slots, sizeof(*p->slots));
		for (size_t k = 0; k < p->n_secs; k++)
			if (k != i)
				index_section(p, k);
	}
	mask = p->cap_slots - 1;
	for (j = (size_t)section_hash(p->secs[i].kind, p->secs[i].name) & mask; p->slots[j] != 0;
	     j = (j + 1) & mask)
		;
	p->slots[j] = i + 1;
}

static int
begin_section(struct parser *p, const char *header)
{
	char word[64], *name = NULL;
	const char *rest;
	size_t wlen, i;
	int k, line = p->lineno;
	enum sr_sev sev = SR_SEV_P1;
	struct section *sec;
	char *perr = NULL;

	if (end_section(p) != 0)
		return -1;
	p->cur = -1;
	if (has_control(header))
		return fail(p, line, "control character in a section header");
	if (*header == '\0')
		return fail(p, line, "empty section header []");
	wlen = strcspn(header, " \t");
	rest = header + wlen;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	snprintf(word, sizeof(word), "%.*s", (int)(wlen < 63 ? wlen : 63), header);

	if (sr_strcaseeq(word, "runbooks") && sr_strcaseeq(rest, "map"))
		k = K_RUNBOOKS_MAP;
	else if (sr_strcaseeq(word, "severity") && sr_strcaseeq(rest, "map"))
		k = K_SEVERITY_MAP;
	else
		k = find_kind(word);
	if (k < 0 || (kinds[k].naming == N_NONE && *rest != '\0')) {
		/* "[runbooks mapp]" is near "[runbooks map]"; "[general x]" is near nothing. */
		char norm[256];

		snprintf(norm, sizeof(norm), "%s%s%s", word, *rest ? " " : "", rest);
		if (k >= 0) {
			size_t d1 = sr_edit_distance(norm, "runbooks map");
			size_t d2 = sr_edit_distance(norm, "severity map");

			if (!close_enough(d1 < d2 ? d1 : d2, "runbooks map"))
				return fail(p, line, "section [%s] takes no name (found [%s])",
					    kinds[k].name, q(p, header));
		}
		return unknown_section(p, norm, word, rest);
	}

	switch (kinds[k].naming) {
	case N_SEVERITY:
		if (*rest == '\0')
			return fail(p, line, "section [severity] needs a severity: [severity P1] "
				    "to [severity P4]");
		if (sr_sev_parse(rest, &sev, &perr) != 0) {
			free(perr);
			if (sr_edit_distance(rest, "map") <= 2)
				return fail(p, line, "unknown section [%s] (did you mean "
					    "[severity map]?)", q(p, header));
			return fail(p, line, "bad severity \"%s\" in section [%s]: expected P1, P2, "
				    "P3 or P4", q(p, rest), q(p, header));
		}
		name = sr_xstrdup(sr_sev_name(sev));
		break;
	case N_OPTIONAL:
		name = sr_xstrdup(*rest ? rest : "default");
		break;
	case N_REQUIRED:
		if (*rest == '\0')
			return fail(p, line, "section [%s] needs a name: [%s NAME]", kinds[k].name,
				    kinds[k].name);
		name = sr_xstrdup(rest);
		break;
	case N_NONE:
	case N_MAP:
		break;
	}

	if ((i = find_section(p, (enum kind)k, name)) != SIZE_MAX) {
		fail(p, line, "duplicate section %s (first at line %d)", p->secs[i].shown,
		     p->secs[i].line);
		free(name);
		return -1;
	}

	p->secs = sr_xgrow(p->secs, &p->cap_secs, p->n_secs + 1, sizeof(*p->secs));
	sec = &p->secs[p->n_secs];
	memset(sec, 0, sizeof(*sec));
	sec->kind = (enum kind)k;
	sec->name = name;
	sec->line = line;
	if (kinds[k].naming == N_NONE || kinds[k].naming == N_MAP ||
	    (kinds[k].naming == N_OPTIONAL && *rest == '\0')) {
		sec->shown = sr_xasprintf("[%s]", kinds[k].name);
	} else {
		char *n = shown(name, SHOWN_MAX);

		sec->shown = sr_xasprintf("[%s %s]", kinds[k].name, n);
		free(n);
	}
	sec->index = new_object(p, (enum kind)k, name, (size_t)sev);
	p->cur = (int)p->n_secs++;
	index_section(p, p->n_secs - 1);
	memset(p->keyline, 0, sizeof(p->keyline));
	return 0;
}

/* --- keys --- */

static int
set_header(struct parser *p, const struct key_desc *kd, char *base, const char *v)
{
	char ***headers = (char ***)(void *)(base + kd->off);
	size_t *n = (size_t *)(void *)(base + kd->aux);
	const char *colon = strchr(v, ':');
	size_t nlen, i;

	/* The value may be a credential: say what is wrong without repeating it. */
	if (colon == NULL || colon == v)
		return fail(p, p->lineno, "bad header in %s: expected \"Name: value\"",
			    p->secs[p->cur].shown);
	nlen = (size_t)(colon - v);
	while (nlen > 0 && (v[nlen - 1] == ' ' || v[nlen - 1] == '\t'))
		nlen--;
	for (i = 0; i < nlen; i++)
		if (!isgraph((unsigned char)v[i]))
			return fail(p, p->lineno, "bad header in %s: the name before \":\" must "
				    "not contain spaces", p->secs[p->cur].shown);
	if (header_is_secret(v, nlen))
		p->inline_secret = 1;
	*headers = sr_xrealloc(*headers, (*n + 1) * sizeof(**headers));
	(*headers)[(*n)++] = sr_xstrdup(v);
	return 0;
}

/* members = alice, bob, carol: names in turn order (a name may come back). */
static int
set_members(struct parser *p, const struct key_desc *kd, char *base, const char *v)
{
	char ***dst = (char ***)(void *)(base + kd->off);
	size_t *np = (size_t *)(void *)(base + kd->aux), n = 0;
	char **names = NULL;
	const char *s = v;

	while (*s != '\0') {
		size_t len = strcspn(s, ",");
		const char *a = s, *e = s + len;

		while (a < e && (*a == ' ' || *a == '\t'))
			a++;
		while (e > a && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e == a) {
			sr_strv_free(names, n);
			return fail(p, p->lineno, "empty name in %s", kd->name);
		}
		names = sr_xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = sr_xstrndup(a, (size_t)(e - a));
		s += len;
		if (*s != '\0')
			s++;
	}
	*dst = names;
	*np = n;
	return 0;
}

static int
set_dirs(struct parser *p, const char *v)
{
	struct sr_config *cfg = p->cfg;
	char **dirs = NULL;
	size_t n = 0;
	const char *s = v;

	while (*s != '\0') {
		size_t len = strcspn(s, ",:");
		char *item = sr_xstrndup(s, len), *a = item, *e, *path;

		while (*a == ' ' || *a == '\t')
			a++;
		e = a + strlen(a);
		while (e > a && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*a != '\0') {
			if (expand_path(p, "dirs", a, &path) != 0) {
				free(item);
				sr_strv_free(dirs, n);
				return -1;
			}
			dirs = sr_xrealloc(dirs, (n + 1) * sizeof(*dirs));
			dirs[n++] = path;
		}
		free(item);
		s += len;
		if (*s != '\0')
			s++;
	}
	if (n == 0)
		return fail(p, p->lineno, "no directory in dirs");
	sr_strv_free(cfg->runbook_dirs, cfg->n_runbook_dirs);
	cfg->runbook_dirs = dirs;
	cfg->n_runbook_dirs = n;
	return 0;
}

static int
set_map(struct parser *p, enum kind k, const char *key, const char *v)
{
	struct sr_config *cfg = p->cfg;
	size_t i;

	if (k == K_SEVERITY_MAP) {
		enum sr_sev sev;
		char *perr = NULL;

		if (sr_sev_parse(v, &sev, &perr) != 0) {
			free(perr);
			return fail(p, p->lineno, "bad severity \"%s\" for \"%s\" in [severity map]: "
				    "expected P1, P2, P3 or P4", q(p, v), q(p, key));
		}
		for (i = 0; i < cfg->n_sevmap; i++) {
			if (sr_strcaseeq(cfg->sevmap[i].label, key)) {
				cfg->sevmap[i].sev = sev;
				return 0;
			}
		}
		cfg->sevmap = append_item(cfg->sevmap, &cfg->n_sevmap, &p->cap_items[CAP_SEVMAP],
					   sizeof(*cfg->sevmap));
		cfg->sevmap[cfg->n_sevmap - 1].label = sr_xstrdup(key);
		cfg->sevmap[cfg->n_sevmap - 1].sev = sev;
		return 0;
	}
	/* [runbooks map]: alert names are case-sensitive, as in Prometheus. */
	{
		char *file;

		if (expand_path(p, key, v, &file) != 0)
			return -1;
		for (i = 0; i < cfg->n_runbook_map; i++) {
			if (strcmp(cfg->runbook_map[i].alertname, key) == 0) {
				free(cfg->runbook_map[i].file);
				cfg->runbook_map[i].file = file;
				return 0;
			}
		}
		cfg->runbook_map = append_item(cfg->runbook_map, &cfg->n_runbook_map, &p->cap_items[CAP_RUNBOOK_MAP],
					       sizeof(*cfg->runbook_map));
		cfg->runbook_map[cfg->n_runbook_map - 1].alertname = sr_xstrdup(key);
		cfg->runbook_map[cfg->n_runbook_map - 1].file = file;
		return 0;
	}
}

static int
bad_duration(struct parser *p, const char *v, const char *key)
{
	return fail(p, p->lineno, "bad duration \"%s\" for %s: expected a number with a unit s, "
		    "m, h, d or w, e.g. 90s, 15m, 4h, 1d, 1w or 1h30m", q(p, v), key);
}

/* Parses v as kd's type and stores it at base + kd->off. */
static int
set_value(struct parser *p, const struct key_desc *kd, char *base, const char *v)
{
	void *dst = base + kd->off;
	const char *sec = p->secs[p->cur].shown;
	int64_t n;
	char *perr = NULL, *s;

	switch (kd->type) {
	case V_STR:
		sr_set_str(dst, v);
		return 0;
	case V_PATH:
		if (expand_path(p, kd->name, v, &s) != 0)
			return -1;
		free(*(char **)dst);
		*(char **)dst = s;
		return 0;
	case V_SECRET:
		p->inline_secret = 1;
		sr_set_str(dst, v);
		return 0;
	case V_ENV:
		if (!valid_env_name(v))
			return fail(p, p->lineno, "bad environment variable name \"%s\" for %s: "
				    "expected letters, digits and _", q(p, v), kd->name);
		sr_set_str(dst, v);
		return 0;
	case V_URL:
		/* Never echo a URL: it may carry user:password. */
		if (!(has_prefix_ci(v, "http://") || has_prefix_ci(v, "https://")) ||
		    v[strcspn(v, ":") + 3] == '\0')
			return fail(p, p->lineno, "%s in %s must start with http:// or https:// and "
				    "name a host", kd->name, sec);
		if (strpbrk(v, " \t") != NULL)
			return fail(p, p->lineno, "%s in %s contains a space", kd->name, sec);
		/* a password, or a URL libcurl cannot read (which may hide one: an unencoded
		 * '/', '?', '#' or '@' in the password) */
		if (sr_url_has_secret(v))
			p->inline_secret = 1;
		sr_set_str(dst, v);
		return 0;
	case V_PROXY:
		if (strpbrk(v, " \t") != NULL)
			return fail(p, p->lineno, "proxy in %s contains a space", sec);
		if (strstr(v, "://") != NULL ? sr_url_has_secret(v) : strchr(v, '@') != NULL)
			p->inline_secret = 1;
		sr_set_str(dst, v);
		return 0;
	case V_DUR:
	case V_DUR_POS:
	case V_ESC:
		if (sr_duration_parse(v, &n, &perr) != 0) {
			free(perr);
			return bad_duration(p, v, kd->name);
		}
		if (kd->type == V_DUR_POS && n == 0)
			return fail(p, p->lineno, "%s must be more than 0", kd->name);
		*(int64_t *)dst = n;
		if (kd->type == V_ESC)
			p->esc_line[kd->aux / SR_LEVEL_COUNT][kd->aux % SR_LEVEL_COUNT] = p->lineno;
		return 0;
	case V_MS:
		if (sr_duration_parse(v, &n, &perr) != 0) {
			free(perr);
			return bad_duration(p, v, kd->name);
		}
		if (n == 0)
			return fail(p, p->lineno, "%s must be more than 0", kd->name);
		if (n > INT64_MAX / 1000)
			return fail(p, p->lineno, "%s is too long", kd->name);
		*(int64_t *)dst = n * 1000;
		return 0;
	case V_BYTES:
		if (parse_bytes(v, &n) != 0)
			return fail(p, p->lineno, "bad size \"%s\" for %s: expected bytes or a "
				    "number with K, M or G (binary), e.g. 512K or 32M", q(p, v),
				    kd->name);
		*(int64_t *)dst = n;
		return 0;
	case V_BOOL:
		if (parse_bool(v, dst) != 0)
			return fail(p, p->lineno, "bad boolean \"%s\" for %s: expected true/false, "
				    "yes/no, on/off or 1/0", q(p, v), kd->name);
		return 0;
	case V_HEADER:
		return set_header(p, kd, base, v);
	case V_UNIT:
		if (sr_unit_parse(v, dst, &perr) != 0) {
			fail(p, p->lineno, "%s", perr);
			free(perr);
			return -1;
		}
		return 0;
	case V_NUM: {
		char *end;
		double d;

		errno = 0;
		d = strtod(v, &end);
		if (end == v || *end != '\0' || !isfinite(d))
			return fail(p, p->lineno, "bad number \"%s\" for %s: expected a finite "
				    "number such as 80 or 0.5", q(p, v), kd->name);
		*(double *)dst = d;
		*(int *)(void *)(base + kd->aux) = 1;
		return 0;
	}
	case V_STATUS: {
		char *end;
		long st;

		errno = 0;
		st = strtol(v, &end, 10);
		if (end == v || *end != '\0' || errno != 0 || st < 100 || st > 599)
			return fail(p, p->lineno, "bad HTTP status \"%s\" for %s: expected a number "
				    "from 100 to 599", q(p, v), kd->name);
		*(long *)dst = st;
		return 0;
	}
	case V_STORE:
		if (has_prefix_ci(v, "postgresql://") || has_prefix_ci(v, "postgres://")) {
			if (store_url_has_secret(v) || strstr(v, "password=") != NULL)
				p->inline_secret = 1;
			sr_set_str(dst, v);
			return 0;
		}
		if (expand_path(p, kd->name, v, &s) != 0)
			return -1;
		free(*(char **)dst);
		*(char **)dst = s;
		return 0;
	case V_PGURL:
		/* Not echoed: it may hold a password. libpq checks the rest when connecting. */
		if (!has_prefix_ci(v, "postgresql://") && !has_prefix_ci(v, "postgres://") &&
		    strchr(v, '=') == NULL)
			return fail(p, p->lineno, "%s must be a postgresql:// URL or a libpq "
				    "connection string (host=... dbname=...)", kd->name);
		/* user:password@ in a URL, or a password key (URL query or key=value) */
		if (store_url_has_secret(v) || strstr(v, "password") != NULL)
			p->inline_secret = 1;
		sr_set_str(dst, v);
		return 0;
	case V_DIRS:
		return set_dirs(p, v);
	case V_MEMBERS:
		return set_members(p, kd, base, v);
	case V_LEVEL_ROT:
		if (strncasecmp(v, "rotation:", 9) != 0 || v[9] == '\0')
			return fail(p, p->lineno, "bad value \"%s\" for %s: expected rotation:NAME "
				    "naming a [rotation NAME] section", q(p, v), kd->name);
		sr_set_str(dst, v + 9);
		p->level_rot_line[kd->aux] = p->lineno;
		return 0;
	case V_DAYS:
		if (sr_duration_parse(v, &n, &perr) != 0) {
			free(perr);
			return bad_duration(p, v, kd->name);
		}
		if (n <= 0 || n % 86400 != 0)
			return fail(p, p->lineno, "%s must be whole days, e.g. 1d, 1w or 2w (found "
				    "\"%s\")", kd->name, q(p, v));
		*(int64_t *)dst = n;
		return 0;
	case V_HANDOFF: {
		struct sr_rotation *r = (struct sr_rotation *)(void *)base;

		if (sr_oncall_parse_handoff(v, &r->handoff_wday, &r->handoff_min, &perr) != 0) {
			free(perr);
			return fail(p, p->lineno, "bad handoff \"%s\": expected a day and a time "
				    "such as \"mon 09:00\", or a time such as \"09:00\" for every "
				    "day", q(p, v));
		}
		sr_set_str(dst, v);
		return 0;
	}
	case V_TZ:
		if (!sr_oncall_tz_valid(v))
			return fail(p, p->lineno, "unknown timezone \"%s\" for %s: expected a name "
				    "from the tz database such as Europe/Berlin (is tzdata "
				    "installed?)", q(p, v), kd->name);
		sr_set_str(dst, v);
		return 0;
	case V_DATE: {
		int y, m, d;
		char tail;

		if (sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(v) != 10 ||
		    m < 1 || m > 12 || d < 1 || d > 31)
			return fail(p, p->lineno, "bad date \"%s\" for %s: expected YYYY-MM-DD",
				    q(p, v), kd->name);
		*(int64_t *)(void *)(base + kd->aux) = sr_days_from_civil(y, m, d);
		sr_set_str(dst, v);
		return 0;
	}
	}
	return fail(p, p->lineno, "internal error: unhandled key type");
}

static int
set_key(struct parser *p, const char *key, const char *v)
{
	struct section *sec = cur_section(p);
	const struct kind_desc *kd;
	size_t i, best = SIZE_MAX, best_i = 0;

	if (sec == NULL)
		return fail(p, p->lineno, "key \"%s\" before any [section] header", q(p, key));
	kd = &kinds[sec->kind];
	if (*v == '\0')
		return fail(p, p->lineno, "empty value for \"%s\" in %s", q(p, key), sec->shown);
	/* Not echoed: the value may be a secret. */
	if (has_control(v))
		return fail(p, p->lineno, "control character in the value of \"%s\"", q(p, key));
	if (kd->keys == NULL) {
		if (has_control(key))
			return fail(p, p->lineno, "control character in the key \"%s\"", q(p, key));
		return set_map(p, sec->kind, key, v);
	}

	for (i = 0; i < kd->n_keys; i++)
		if (sr_strcaseeq(key, kd->keys[i].name))
			break;
	if (i == kd->n_keys) {
		/* only a key that is not known pays for the "did you mean" distances */
		for (size_t j = 0; j < kd->n_keys; j++) {
			size_t d = sr_edit_distance(key, kd->keys[j].name);

			if (d < best && close_enough(d, kd->keys[j].name)) {
				best = d;
				best_i = j;
			}
		}
		if (best != SIZE_MAX)
			return fail(p, p->lineno, "unknown key \"%s\" in %s (did you mean \"%s\"?)",
				    q(p, key), sec->shown, kd->keys[best_i].name);
		return fail(p, p->lineno, "unknown key \"%s\" in %s", q(p, key), sec->shown);
	}
	if (p->keyline[i] != 0 && kd->keys[i].type != V_HEADER)
		return fail(p, p->lineno, "\"%s\" is set twice in %s (first at line %d)",
			    kd->keys[i].name, sec->shown, p->keyline[i]);
	p->keyline[i] = p->lineno;
	return set_value(p, &kd->keys[i], section_base(p, sec), v);
}

/* An indented line continues the previous key: only a panel's query may span lines. */
static int
continue_key(struct parser *p, const char *v)
{
	struct section *sec = cur_section(p);
	struct sr_panel *pn;
	char *joined;

	if (sec == NULL || sec->kind != K_PANEL || !sr_strcaseeq(p->prev_key, "query"))
		return fail(p, p->lineno, "indented line continues the value of \"%s\"; only a "
			    "panel's query may span lines (remove the indentation)",
			    q(p, p->prev_key ? p->prev_key : ""));
	if (has_control(v))
		return fail(p, p->lineno, "control character in the value of \"query\"");
	/* "  [panel b]" after a query would otherwise vanish into the query. */
	if (v[0] == '[' && isalpha((unsigned char)v[1]) && v[strlen(v) - 1] == ']')
		return fail(p, p->lineno, "indented section header %s (remove the indentation)",
			    q(p, v));
	pn = &p->cfg->panels[sec->index];
	if (*v != '\0') {
		size_t vlen = strlen(v), need;

		/* grow in place, doubling: tens of thousands of lines stay linear */
		if (pn->query != p->q_text) {
			p->q_text = pn->query;
			p->q_len = strlen(pn->query);
			p->q_cap = p->q_len + 1;
		}
		need = p->q_len + 1 + vlen + 1;
		if (need > p->q_cap) {
			p->q_cap = need > 2 * p->q_cap ? need : 2 * p->q_cap;
			p->q_text = pn->query = sr_xrealloc(pn->query, p->q_cap);
		}
		joined = pn->query + p->q_len;
		*joined++ = ' ';
		memcpy(joined, v, vlen + 1);
		p->q_len += 1 + vlen;
	}
	return 0;
}

static int
on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;

	(void)section;	/* tracked by the reader, which also sees empty sections */
	if (p->err != NULL)
		return 0;
	if (p->stash != NULL)
		value = p->stash;
	if (p->line_is_cont)
		return continue_key(p, value) == 0;
	return set_key(p, name, value) == 0;
}

/* --- reading lines for inih --- */

/*
 * inih reports neither line numbers to the handler (INI_HANDLER_LINENO is 0 in Debian) nor
 * section headers without keys, and its buffer is INI_MAX_LINE (200) bytes. So the reader
 * below hands inih one line at a time, classifying it first exactly as inih will: it counts
 * lines, handles section headers itself, stops at the first error, and keeps the value of a
 * line too long for inih's buffer aside (p->stash) while passing inih a short stand-in.
 */

/* inih's rule: an inline comment is ';' after whitespace. Returns the first of chars too. */
static const char *
find_chars_or_comment(const char *s, const char *chars)
{
	int was_space = 0;

	while (*s != '\0' && (chars == NULL || strchr(chars, *s) == NULL) &&
	       !(was_space && *s == ';')) {
		was_space = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

/* A value as inih would hand it over: inline comment cut, whitespace trimmed. */
static char *
clean_value(const char *v)
{
	const char *end = find_chars_or_comment(v, NULL);

	while (v < end && isspace((unsigned char)*v))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	return sr_xstrndup(v, (size_t)(end - v));
}

static void
emit(char *out, size_t outsz, const char *s, size_t n)
{
	if (n > outsz - 1)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Classifies one line (text, NUL-terminated, no newline) and writes what inih should see. */
static int
classify(struct parser *p, char *text, char *out, size_t outsz)
{
	char *s = text, *e;
	size_t len;
	int fits;

	/* As inih: trailing whitespace (and a CR) goes, leading whitespace marks continuations. */
	e = s + strlen(text);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	len = (size_t)(e - text);
	fits = len + 2 <= outsz;
	while (isspace((unsigned char)*s))
		s++;

	if (*s == '\0' || *s == ';' || *s == '#') {
		emit(out, outsz, "\n", 1);
		return 0;
	}
	if (p->have_prev_key && s > text) {
		/*
		 * A continuation: its value is cut here (inih 55 keeps inline comments on such
		 * lines) and inih sees a stand-in key line, so that builds of inih without
		 * multi-line support read the same file the same way.
		 */
		p->line_is_cont = 1;
		p->stash = clean_value(s);
		emit(out, outsz, "c=x\n", 4);
		return 0;
	}
	if (*s == '[') {
		const char *close = find_chars_or_comment(s + 1, "]");
		char *h, *ht, *he;
		int rc;

		if (*close != ']')
			return fail(p, p->lineno, "section header without a closing ]");
		h = sr_xstrndup(s + 1, (size_t)(close - (s + 1)));
		ht = h;
		while (isspace((unsigned char)*ht))
			ht++;
		he = ht + strlen(ht);
		while (he > ht && isspace((unsigned char)he[-1]))
			*--he = '\0';
		rc = begin_section(p, ht);
		free(h);
		p->have_prev_key = 0;
		emit(out, outsz, "[s]\n", 4);
		return rc;
	}
	e = (char *)find_chars_or_comment(s, "=:");
	if (*e != '=' && *e != ':')
		return fail(p, p->lineno, "expected \"key = value\", a [section] header or a comment");
	{
		const char *ks = s, *ke = e;

		while (ke > ks && isspace((unsigned char)ke[-1]))
			ke--;
		if (ke == ks)
			return fail(p, p->lineno, "missing key name before \"%c\"", *e);
		free(p->prev_key);
		p->prev_key = sr_xstrndup(ks, (size_t)(ke - ks));
		p->have_prev_key = 1;
		if (fits) {
			emit(out, outsz, text, len);
			strcat(out, "\n");
			return 0;
		}
		if ((size_t)(ke - ks) + 4 > outsz)
			return fail(p, p->lineno, "key name too long");
		p->stash = clean_value(e + 1);
		emit(out, outsz, ks, (size_t)(ke - ks));
		strcat(out, "=x\n");
		return 0;
	}
}

static char *
read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	const char *line, *nl;
	size_t n;
	char *text;
	int rc;

	free(p->stash);
	p->stash = NULL;
	p->line_is_cont = 0;
	if (p->err != NULL || p->pos >= p->len)
		return NULL;
	if (num < 16) {
		fail(p, 0, "cannot be read: inih's line buffer is only %d bytes", num);
		return NULL;
	}
	line = p->buf + p->pos;
	nl = memchr(line, '\n', p->len - p->pos);
	n = nl ? (size_t)(nl - line) : p->len - p->pos;
	p->pos += n + (nl ? 1 : 0);
	p->lineno++;
	text = sr_xstrndup(line, n);
	rc = classify(p, text, str, (size_t)num);
	free(text);
	return rc == 0 ? str : NULL;
}

/* --- after the whole file --- */

static int
finish(struct parser *p)
{
	struct sr_config *cfg = p->cfg;
	size_t i, j;
	int s, l;

	if (end_section(p) != 0)
		return -1;
	for (s = 0; s < SR_SEV_COUNT; s++) {
		for (l = 2; l < SR_LEVEL_COUNT; l++) {
			const int64_t *ea = cfg->sev[s].escalate_after;
			char a[32], b[32];
			int line;

			if (ea[l] >= ea[l - 1])
				continue;
			line = p->esc_line[s][l] ? p->esc_line[s][l] : p->esc_line[s][l - 1];
			return fail(p, line, "escalation waits for %s must not decrease: %s_L%d = %s "
				    "is shorter than %s_L%d = %s", sr_sev_name((enum sr_sev)s), sr_sev_name((enum sr_sev)s), l + 1,
				    fmt_dur(ea[l], a, sizeof(a)), sr_sev_name((enum sr_sev)s), l,
				    fmt_dur(ea[l - 1], b, sizeof(b)));
		}
	}
	for (l = 0; l < SR_LEVEL_COUNT; l++)
		if (cfg->level[l].rotation != NULL &&
		    sr_config_rotation(cfg, cfg->level[l].rotation) == NULL)
			return fail(p, p->level_rot_line[l], "L%d names rotation \"%s\" but there is "
				    "no [rotation %s] section", l + 1, q(p, cfg->level[l].rotation),
				    q(p, cfg->level[l].rotation));
	for (i = 0; i < cfg->n_panels; i++) {
		const char *src = cfg->panels[i].source;

		if (src == NULL)
			continue;
		for (j = 0; j < cfg->n_prom; j++)
			if (sr_strcaseeq(cfg->prom[j].name, src))
				break;
		if (j == cfg->n_prom) {
			int line = 0;

			for (j = 0; j < p->n_secs; j++)
				if (p->secs[j].kind == K_PANEL && p->secs[j].index == i)
					line = p->secs[j].line;
			return fail(p, line, "[panel %s] uses source \"%s\" but there is no "
				    "[prometheus %s] section", q(p, cfg->panels[i].name), q(p, src),
				    q(p, src));
		}
	}
	for (i = 0; i < cfg->n_prom; i++)
		if (cfg->prom[i].t.interval == 0)
			cfg->prom[i].t.interval = cfg->panels_interval;
	for (i = 0; i < cfg->n_am; i++)
		if (cfg->am[i].t.interval == 0)
			cfg->am[i].t.interval = cfg->alerts_interval;
	for (i = 0; i < cfg->n_checks; i++)
		if (cfg->checks[i].t.interval == 0)
			cfg->checks[i].t.interval = cfg->checks_interval;
	return 0;
}

static void
parser_done(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->n_secs; i++) {
		free(p->secs[i].name);
		free(p->secs[i].shown);
	}
	free(p->secs);
	free(p->slots);
	free(p->prev_key);
	free(p->stash);
	for (i = 0; i < SR_ARRAY_LEN(p->ring); i++)
		free(p->ring[i]);
}

/* Reads the whole file; *st gets its mode. Returns 1 when missing and allowed to be. */
static int
slurp(const char *path, const char *file, int must_exist, char **buf, size_t *len,
      struct stat *st, char **err)
{
	struct sr_buf b;
	char chunk[8192];
	ssize_t n;
	int fd;

	char *why = NULL;

	fd = sr_open_regular(path, st, &why);
	if (fd < 0) {
		const char *reason = why ? why + strlen(path) : ": cannot open";

		if (errno == ENOENT && !must_exist) {
			free(why);
			return 1;
		}
		/* the message with the shown (sanitised) name instead of the raw path */
		if (why == NULL || strncmp(why, path, strlen(path)) != 0)
			reason = why ? why : "";
		sr_err(err, "%s%s", file, reason);
		free(why);
		return -1;
	}
	sr_buf_init(&b);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			sr_buf_done(&b);
			return sr_err(err, "%s: %s", file, strerror(e));
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > MAX_FILE_SIZE) {
			close(fd);
			sr_buf_done(&b);
			return sr_err(err, "%s: larger than %d bytes: not a sitrep config file",
				      file, MAX_FILE_SIZE);
		}
		sr_buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	*len = b.len;
	*buf = sr_buf_steal(&b);
	return 0;
}

int
sr_config_load(struct sr_config *cfg, const char *path, int must_exist, char **err)
{
	struct parser p;
	struct stat st;
	char *buf = NULL, *file;
	const char *nul;
	size_t len = 0;
	int rc;

	if (path == NULL) {
		if (must_exist)
			return sr_err(err, "no config file given and no default path ($HOME unset)");
		return 0;
	}
	file = shown(path, 4096);
	rc = slurp(path, file, must_exist, &buf, &len, &st, err);
	if (rc != 0) {
		free(file);
		return rc == 1 ? 0 : -1;
	}

	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.file = file;
	p.buf = buf;
	p.len = len;
	p.cur = -1;
	/* inih skips a UTF-8 byte order mark; so do we, before it sees the first line. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		p.pos = 3;
	nul = memchr(buf, '\0', len);
	if (nul != NULL) {
		int line = 1;
		const char *c;

		for (c = buf; c < nul; c++)
			line += *c == '\n';
		fail(&p, line, "NUL byte in the file: not a text file");
	} else {
		rc = ini_parse_stream(read_line, &p, on_pair, &p);
		if (p.err == NULL && rc > 0)
			fail(&p, rc, "syntax error");
		else if (p.err == NULL && rc < 0)
			fail(&p, 0, "cannot be parsed (error %d)", rc);
	}
	if (p.err == NULL)
		finish(&p);
	if (p.inline_secret)
		cfg->has_inline_secret = 1;
	if (p.err == NULL && p.inline_secret && (st.st_mode & 077) != 0)
		fail(&p, 0, "holds a secret (token/password) but is readable by others: run "
		     "chmod 600 %s", file);
	if (p.err == NULL)
		sr_set_str(&cfg->path, path);

	rc = 0;
	if (p.err != NULL) {
		rc = sr_err(err, "%s", p.err);
		free(p.err);
	}
	parser_done(&p);
	free(buf);
	free(file);
	return rc;
}

const struct sr_source *
sr_config_prom(const struct sr_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_prom; i++)
		if (name == NULL || sr_strcaseeq(cfg->prom[i].name, name))
			return &cfg->prom[i];
	return NULL;
}

/* SPDX-License-Identifier: MIT */
/* test_config.c: config defaults, every key, durations, errors with file:line, secrets, paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "util.h"
#include "tmpdir.h"

#define EXAMPLE SR_FIXTURES "/../../data/sitrep.conf.example"
#define MANPAGE SR_FIXTURES "/../../docs/sitrep.conf.5"

/* --- helpers --- */

/* Writes text to a new temp file with the given mode; path receives its name. */
static void
write_tmp(const char *text, size_t len, mode_t mode, char path[64])
{
	int fd;

	sr_test_tmp(path, 64, "sitrep-test-config");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* Loads text (written to a 0600 temp file) over the defaults; the file is removed again. */
static int
load_mode(const char *text, mode_t mode, struct sr_config *cfg, char **err, char path[64])
{
	int rc;

	write_tmp(text, strlen(text), mode, path);
	sr_config_init(cfg);
	*err = NULL;
	rc = sr_config_load(cfg, path, 1, err);
	unlink(path);
	return rc;
}

static int
load(const char *text, struct sr_config *cfg, char **err, char path[64])
{
	return load_mode(text, 0600, cfg, err, path);
}

/* Asserts that text fails to load with exactly "PATH:" followed by want. */
static void
expect_error(const char *text, const char *want)
{
	struct sr_config cfg;
	char path[64], *err = NULL, *full;

	assert_int_equal(load(text, &cfg, &err, path), -1);
	assert_non_null(err);
	full = sr_xasprintf("%s:%s", path, want);
	assert_string_equal(err, full);
	free(full);
	free(err);
	sr_config_done(&cfg);
}

/* Asserts that text loads; the caller checks cfg and frees it. */
static void
expect_ok(const char *text, struct sr_config *cfg)
{
	char path[64], *err = NULL;
	int rc = load(text, cfg, &err, path);

	if (rc != 0)
		fail_msg("unexpected error: %s", err);
	assert_null(err);
}

/* --- defaults --- */

static void
test_defaults(void **state)
{
	struct sr_config cfg;
	static const int64_t want[SR_SEV_COUNT][3] = {
		{ 15 * 60, 3600, 15 * 60 },
		{ 3600, 4 * 3600, 30 * 60 },
		{ 4 * 3600, 24 * 3600, 2 * 3600 },
		{ 24 * 3600, 7 * 86400, 24 * 3600 },
	};
	static const int64_t esc[SR_SEV_COUNT][SR_LEVEL_COUNT] = {
		{ 0, 15 * 60, 30 * 60, 60 * 60 },
		{ 0, 3600, 2 * 3600, 4 * 3600 },
		{ 0, 4 * 3600, 8 * 3600, 16 * 3600 },
		{ 0, 24 * 3600, 48 * 3600, 96 * 3600 },
	};
	static const char *const names[] = { "On-call engineer", "Tech lead",
					     "Engineering manager", "CTO / director" };
	static const char *const contacts[] = { "@oncall", "@tech-lead", "@eng-manager", "@cto" };
	int s, l;

	(void)state;
	setenv("USER", "tester", 1);
	setenv("XDG_STATE_HOME", "/tmp/sitrep-xdg-state", 1);
	sr_config_init(&cfg);
	assert_string_equal(cfg.user, "tester");
	assert_null(cfg.timezone);
	assert_null(cfg.path);
	for (s = 0; s < SR_SEV_COUNT; s++) {
		assert_int_equal(cfg.sev[s].respond, want[s][0]);
		assert_int_equal(cfg.sev[s].resolve, want[s][1]);
		assert_int_equal(cfg.sev[s].update_every, want[s][2]);
		for (l = 0; l < SR_LEVEL_COUNT; l++)
			assert_int_equal(cfg.sev[s].escalate_after[l], esc[s][l]);
		for (l = 1; l < SR_LEVEL_COUNT; l++)
			assert_int_equal(sr_config_escalate_after(&cfg, (enum sr_sev)s, l),
					 esc[s][l]);
	}
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P1, 0), -1);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P1, 4), -1);
	for (l = 0; l < SR_LEVEL_COUNT; l++) {
		assert_string_equal(cfg.level[l].name, names[l]);
		assert_string_equal(cfg.level[l].contact, contacts[l]);
	}
	assert_string_equal(cfg.store, "/tmp/sitrep-xdg-state/sitrep/sitrep.db");
	assert_int_equal(cfg.alerts_interval, 15);
	assert_int_equal(cfg.panels_interval, 30);
	assert_int_equal(cfg.checks_interval, 30);
	assert_int_equal(cfg.n_runbook_dirs, 0);
	assert_int_equal(cfg.n_runbook_map, 0);
	assert_int_equal(cfg.n_prom, 0);
	assert_int_equal(cfg.n_am, 0);
	assert_int_equal(cfg.n_panels, 0);
	assert_int_equal(cfg.n_checks, 0);
	assert_int_equal(cfg.has_inline_secret, 0);
	assert_int_equal(cfg.n_sevmap, 7);
	assert_string_equal(cfg.sevmap[0].label, "critical");
	assert_int_equal(cfg.sevmap[0].sev, SR_SEV_P1);
	assert_string_equal(cfg.sevmap[1].label, "error");
	assert_int_equal(cfg.sevmap[1].sev, SR_SEV_P2);
	assert_string_equal(cfg.sevmap[2].label, "high");
	assert_int_equal(cfg.sevmap[2].sev, SR_SEV_P2);
	assert_string_equal(cfg.sevmap[3].label, "warning");
	assert_int_equal(cfg.sevmap[3].sev, SR_SEV_P3);
	assert_string_equal(cfg.sevmap[4].label, "warn");
	assert_int_equal(cfg.sevmap[4].sev, SR_SEV_P3);
	assert_string_equal(cfg.sevmap[5].label, "info");
	assert_int_equal(cfg.sevmap[5].sev, SR_SEV_P4);
	assert_string_equal(cfg.sevmap[6].label, "none");
	assert_int_equal(cfg.sevmap[6].sev, SR_SEV_P4);
	sr_config_done(&cfg);
	/* done leaves a zeroed struct that can be initialised again */
	assert_null(cfg.user);
	sr_config_done(&cfg);

	unsetenv("USER");
	sr_config_init(&cfg);
	{
		/* without $USER, the account name from the password database */
		const struct passwd *pw = getpwuid(getuid());

		assert_string_equal(cfg.user, pw != NULL ? pw->pw_name : "unknown");
	}
	sr_config_done(&cfg);
	unsetenv("XDG_STATE_HOME");
}

/* A source section with only a url gets the transport defaults and the [feeds] interval. */
static void
test_transport_defaults(void **state)
{
	struct sr_config cfg;
	const struct sr_transport *t;

	(void)state;
	expect_ok("[prometheus]\nurl = http://127.0.0.1:19090\n"
		  "[alertmanager]\nurl = http://127.0.0.1:19093\n"
		  "[check c]\nurl = http://127.0.0.1:18080/\n"
		  "[panel p]\nquery = up\n", &cfg);
	assert_int_equal(cfg.n_prom, 1);
	assert_string_equal(cfg.prom[0].name, "default");
	t = &cfg.prom[0].t;
	assert_string_equal(t->url, "http://127.0.0.1:19090");
	assert_int_equal(t->connect_timeout_ms, 3000);
	assert_int_equal(t->timeout_ms, 10000);
	assert_int_equal(t->max_bytes, 32 * 1024 * 1024);
	assert_int_equal(t->tls_verify, 1);
	assert_int_equal(t->interval, 30);
	assert_null(t->token);
	assert_int_equal(t->n_headers, 0);
	assert_string_equal(cfg.am[0].name, "default");
	assert_int_equal(cfg.am[0].t.interval, 15);
	assert_int_equal(cfg.checks[0].t.interval, 30);
	assert_int_equal(cfg.checks[0].expect_status, 200);
	assert_int_equal(cfg.checks[0].t.timeout_ms, 10000);
	assert_int_equal(cfg.panels[0].range, 3600);
	assert_int_equal(cfg.panels[0].unit, SR_UNIT_NONE);
	assert_int_equal(cfg.panels[0].has_warn, 0);
	assert_int_equal(cfg.panels[0].has_crit, 0);
	assert_null(cfg.panels[0].source);
	sr_config_done(&cfg);

	/* [feeds] after the sources still sets their default interval */
	expect_ok("[prometheus a]\nurl = http://h:1\n[alertmanager b]\nurl = http://h:2\n"
		  "[check c]\nurl = http://h:3\n"
		  "[feeds]\npanels_interval = 7s\nalerts_interval = 8s\nchecks_interval = 9s\n",
		  &cfg);
	assert_int_equal(cfg.prom[0].t.interval, 7);
	assert_int_equal(cfg.am[0].t.interval, 8);
	assert_int_equal(cfg.checks[0].t.interval, 9);
	sr_config_done(&cfg);
}

/* --- severities and units --- */

static void
test_sev_parse(void **state)
{
	static const struct {
		const char *text;
		enum sr_sev sev;
	} ok[] = { { "P1", SR_SEV_P1 }, { "p2", SR_SEV_P2 }, { "3", SR_SEV_P3 },
		   { "P4", SR_SEV_P4 }, { "1", SR_SEV_P1 } };
	static const char *const bad[] = { "P5", "P0", "", "P", "p12", "x", "5", "P1 " };
	enum sr_sev sev;
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < SR_ARRAY_LEN(ok); i++) {
		err = NULL;
		assert_int_equal(sr_sev_parse(ok[i].text, &sev, &err), 0);
		assert_int_equal(sev, ok[i].sev);
		assert_null(err);
	}
	for (i = 0; i < SR_ARRAY_LEN(bad); i++) {
		char *want = sr_xasprintf("bad severity \"%s\": expected P1, P2, P3 or P4", bad[i]);

		err = NULL;
		assert_int_equal(sr_sev_parse(bad[i], &sev, &err), -1);
		assert_string_equal(err, want);
		free(want);
		free(err);
	}
	err = NULL;
	sev = SR_SEV_P3;
	assert_int_equal(sr_sev_parse(NULL, &sev, &err), -1);
	assert_string_equal(err, "missing severity: expected P1, P2, P3 or P4");
	assert_int_equal(sev, SR_SEV_P3);	/* untouched on failure */
	free(err);
	assert_string_equal(sr_sev_name(SR_SEV_P1), "P1");
	assert_string_equal(sr_sev_name(SR_SEV_P2), "P2");
	assert_string_equal(sr_sev_name(SR_SEV_P3), "P3");
	assert_string_equal(sr_sev_name(SR_SEV_P4), "P4");
	assert_null(sr_sev_name((enum sr_sev)4));
	assert_null(sr_sev_name((enum sr_sev)-1));
}

static void
test_units(void **state)
{
	static const char *const names[] = { "none", "percent", "ratio", "seconds", "bytes",
					     "count", "reqps" };
	enum sr_unit u;
	char *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < SR_ARRAY_LEN(names); i++) {
		assert_string_equal(sr_unit_name((enum sr_unit)i), names[i]);
		assert_int_equal(sr_unit_parse(names[i], &u, &err), 0);
		assert_int_equal(u, (enum sr_unit)i);
	}
	assert_int_equal(sr_unit_parse("Percent", &u, &err), 0);
	assert_int_equal(u, SR_UNIT_PERCENT);
	assert_null(sr_unit_name((enum sr_unit)7));
	assert_int_equal(sr_unit_parse("percents", &u, &err), -1);
	assert_string_equal(err, "bad unit \"percents\": expected percent, ratio, seconds, bytes, "
			    "count, reqps or none");
	free(err);
}

/* --- durations --- */

static void
test_durations(void **state)
{
	static const struct {
		const char *text;
		int64_t secs;
	} ok[] = { { "90s", 90 }, { "15m", 900 }, { "4h", 14400 }, { "1d", 86400 },
		   { "1w", 604800 }, { "1h30m", 5400 } };
	static const char *const bad[] = { "15x", "-5m", "5", "m", "1.5h", "1h 30m" };
	struct sr_config cfg;
	size_t i;

	(void)state;
	for (i = 0; i < SR_ARRAY_LEN(ok); i++) {
		char *text = sr_xasprintf("[severity P2]\n\nrespond = %s\n", ok[i].text);

		expect_ok(text, &cfg);
		assert_int_equal(cfg.sev[SR_SEV_P2].respond, ok[i].secs);
		/* the other keys keep their defaults */
		assert_int_equal(cfg.sev[SR_SEV_P2].resolve, 4 * 3600);
		sr_config_done(&cfg);
		free(text);
	}
	for (i = 0; i < SR_ARRAY_LEN(bad); i++) {
		char *text = sr_xasprintf("[severity P1]\nresolve = 2h\nrespond = %s\n", bad[i]);
		char *want = sr_xasprintf("3: bad duration \"%s\" for respond: expected a number "
					  "with a unit s, m, h, d or w, e.g. 90s, 15m, 4h, 1d, "
					  "1w or 1h30m", bad[i]);

		expect_error(text, want);
		free(text);
		free(want);
	}
	expect_error("[severity P1]\nrespond =\n", "2: empty value for \"respond\" in [severity P1]");
	expect_error("[severity P1]\nrespond = 0\n", "2: respond must be more than 0");
	expect_error("[prometheus]\nurl = http://h\ntimeout = 0\n", "3: timeout must be more than "
		     "0");
	expect_error("[prometheus]\nurl = http://h\ntimeout = 10000000000000000s\n",
		     "3: timeout is too long");
}

/* --- every key --- */

static void
test_full_fixture(void **state)
{
	struct sr_config cfg;
	char *err = NULL;
	const struct sr_transport *t;

	(void)state;
	sr_config_init(&cfg);
	if (sr_config_load(&cfg, SR_FIXTURES "/config/full.conf", 1, &err) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.path, SR_FIXTURES "/config/full.conf");
	assert_string_equal(cfg.user, "ada");
	assert_string_equal(cfg.timezone, "Europe/Berlin");

	assert_int_equal(cfg.sev[0].respond, 600);
	assert_int_equal(cfg.sev[0].resolve, 7200);
	assert_int_equal(cfg.sev[0].update_every, 1200);
	assert_int_equal(cfg.sev[1].respond, 90);
	assert_int_equal(cfg.sev[1].resolve, 5400);
	assert_int_equal(cfg.sev[1].update_every, 2700);
	assert_int_equal(cfg.sev[2].respond, 5 * 3600);
	assert_int_equal(cfg.sev[2].resolve, 2 * 86400);
	assert_int_equal(cfg.sev[2].update_every, 3 * 3600);
	assert_int_equal(cfg.sev[3].respond, 2 * 86400);
	assert_int_equal(cfg.sev[3].resolve, 14 * 86400);
	assert_int_equal(cfg.sev[3].update_every, 86400);

	assert_string_equal(cfg.level[0].name, "First responder");
	assert_string_equal(cfg.level[0].contact, "@first");
	assert_string_equal(cfg.level[1].name, "Second");
	assert_string_equal(cfg.level[1].contact, "@second");
	assert_string_equal(cfg.level[2].name, "Third");
	assert_string_equal(cfg.level[2].contact, "@third");
	assert_string_equal(cfg.level[3].name, "Fourth");
	assert_string_equal(cfg.level[3].contact, "@fourth");
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P1, 1), 300);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P1, 2), 600);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P1, 3), 1200);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P2, 1), 1800);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P2, 2), 3600);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P2, 3), 7200);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P3, 1), 3600);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P3, 2), 3600);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P3, 3), 3 * 3600);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P4, 1), 0);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P4, 2), 86400);
	assert_int_equal(sr_config_escalate_after(&cfg, SR_SEV_P4, 3), 7 * 86400);
	assert_int_equal(cfg.sev[0].escalate_after[0], 0);

	assert_string_equal(cfg.store, "/var/lib/sitrep/team.db");
	assert_int_equal(cfg.alerts_interval, 5);
	assert_int_equal(cfg.panels_interval, 60);
	assert_int_equal(cfg.checks_interval, 120);

	assert_int_equal(cfg.n_runbook_dirs, 3);
	assert_string_equal(cfg.runbook_dirs[0], "/srv/runbooks");
	assert_string_equal(cfg.runbook_dirs[1], "/opt/rb");
	assert_string_equal(cfg.runbook_dirs[2], "/tmp/rb3");
	assert_int_equal(cfg.n_runbook_map, 2);
	assert_string_equal(cfg.runbook_map[0].alertname, "HighErrorRate");
	assert_string_equal(cfg.runbook_map[0].file, "high-error-rate.md");
	assert_string_equal(cfg.runbook_map[1].alertname, "DiskFull");
	assert_string_equal(cfg.runbook_map[1].file, "/srv/runbooks/disk.md");
	/* the seven defaults, critical overridden, two added */
	assert_int_equal(cfg.n_sevmap, 9);
	assert_string_equal(cfg.sevmap[0].label, "critical");
	assert_int_equal(cfg.sevmap[0].sev, SR_SEV_P2);
	assert_string_equal(cfg.sevmap[7].label, "page");
	assert_int_equal(cfg.sevmap[7].sev, SR_SEV_P1);
	assert_string_equal(cfg.sevmap[8].label, "ticket");
	assert_int_equal(cfg.sevmap[8].sev, SR_SEV_P4);

	assert_int_equal(cfg.n_prom, 2);
	assert_string_equal(cfg.prom[0].name, "default");
	assert_string_equal(cfg.prom[0].t.url, "http://127.0.0.1:19090");
	assert_int_equal(cfg.prom[0].t.interval, 60);
	assert_string_equal(cfg.prom[1].name, "main");
	t = &cfg.prom[1].t;
	assert_string_equal(t->url, "https://prom.example.com:9090/prefix");
	assert_int_equal(t->connect_timeout_ms, 2000);
	assert_int_equal(t->timeout_ms, 60000);
	assert_int_equal(t->max_bytes, 64 * 1024 * 1024);
	assert_int_equal(t->interval, 20);
	assert_int_equal(t->tls_verify, 0);
	assert_string_equal(t->ca_file, "/etc/ssl/ca.pem");
	assert_string_equal(t->cert, "/etc/ssl/client.pem");
	assert_string_equal(t->key, "/etc/ssl/client.key");
	assert_string_equal(t->token_file, "/etc/sitrep/prom.token");
	assert_null(t->token);
	assert_null(t->token_env);
	assert_int_equal(t->n_headers, 2);
	assert_string_equal(t->headers[0], "X-Scope-OrgID: team-a");
	assert_string_equal(t->headers[1], "X-Extra:yes");
	assert_string_equal(t->proxy, "http://proxy.example.com:3128");

	assert_int_equal(cfg.n_am, 3);
	assert_string_equal(cfg.am[0].name, "main");
	assert_string_equal(cfg.am[0].t.username, "sitrep");
	assert_string_equal(cfg.am[0].t.password_file, "/etc/sitrep/am.password");
	assert_int_equal(cfg.am[0].t.max_bytes, 512 * 1024);
	assert_int_equal(cfg.am[0].t.interval, 5);
	assert_string_equal(cfg.am[1].name, "backup");
	assert_string_equal(cfg.am[1].t.token_env, "AM_TOKEN");
	assert_int_equal(cfg.am[1].t.timeout_ms, 5000);
	assert_string_equal(cfg.am[2].t.username, "bob");
	assert_string_equal(cfg.am[2].t.password_env, "AM_PASSWORD");
	assert_int_equal(cfg.am[2].t.max_bytes, 1048576);

	assert_int_equal(cfg.n_panels, 2);
	assert_string_equal(cfg.panels[0].name, "errors");
	assert_string_equal(cfg.panels[0].query, "sum(rate(http_requests_total{code=~\"5..\"}[5m])) "
			    "/ sum(rate(http_requests_total[5m]))");
	assert_string_equal(cfg.panels[0].source, "main");
	assert_int_equal(cfg.panels[0].unit, SR_UNIT_RATIO);
	assert_int_equal(cfg.panels[0].has_warn, 1);
	assert_true(cfg.panels[0].warn == 0.01);
	assert_int_equal(cfg.panels[0].has_crit, 1);
	assert_true(cfg.panels[0].crit == 0.05);
	assert_int_equal(cfg.panels[0].range, 6 * 3600);
	assert_string_equal(cfg.panels[0].runbook, "high-error-rate.md");
	assert_string_equal(cfg.panels[1].name, "Throughput");
	assert_int_equal(cfg.panels[1].unit, SR_UNIT_REQPS);
	assert_int_equal(cfg.panels[1].has_warn, 0);
	assert_true(cfg.panels[1].crit == -1000.0);

	assert_int_equal(cfg.n_checks, 2);
	assert_string_equal(cfg.checks[0].name, "api");
	t = &cfg.checks[0].t;
	assert_string_equal(t->url, "https://api.example.com/healthz");
	assert_int_equal(cfg.checks[0].expect_status, 204);
	assert_int_equal(t->timeout_ms, 4000);
	assert_int_equal(t->connect_timeout_ms, 1000);
	assert_int_equal(t->interval, 10);
	assert_int_equal(t->tls_verify, 0);
	assert_string_equal(t->ca_file, "/etc/ssl/ca.pem");
	assert_int_equal(t->n_headers, 1);
	assert_string_equal(t->headers[0], "Host: api.internal");
	assert_string_equal(t->token_file, "/etc/sitrep/api.token");
	assert_string_equal(cfg.checks[1].name, "web");
	assert_int_equal(cfg.checks[1].t.interval, 120);
	assert_int_equal(cfg.has_inline_secret, 0);
	sr_config_done(&cfg);
}

static void
test_values(void **state)
{
	struct sr_config cfg;

	(void)state;
	setenv("HOME", "/home/tester", 1);
	expect_ok("[store]\npath = ~/incidents.db\n[runbooks]\ndirs = ~/rb:~,,/x\n"
		  "[runbooks map]\nA = ~/a.md\nA = b.md\na = c.md\n"
		  "[severity map]\nCritical = P3\n"
		  "[check c]\nurl = HTTPS://h/\nca_file = ~/ca.pem\n"
		  "[prometheus]\nurl = http://h\nmax_bytes = 2G\ntls_verify = YES\n"
		  "[alertmanager]\nurl = http://h\nmax_bytes = 3KiB\ntls_verify = 0\n", &cfg);
	assert_string_equal(cfg.store, "/home/tester/incidents.db");
	assert_int_equal(cfg.n_runbook_dirs, 3);
	assert_string_equal(cfg.runbook_dirs[0], "/home/tester/rb");
	assert_string_equal(cfg.runbook_dirs[1], "/home/tester");
	assert_string_equal(cfg.runbook_dirs[2], "/x");
	assert_int_equal(cfg.n_runbook_map, 2);
	assert_string_equal(cfg.runbook_map[0].file, "b.md");
	assert_string_equal(cfg.runbook_map[1].alertname, "a");
	assert_int_equal(cfg.n_sevmap, 7);
	assert_int_equal(cfg.sevmap[0].sev, SR_SEV_P3);
	assert_string_equal(cfg.checks[0].t.ca_file, "/home/tester/ca.pem");
	assert_int_equal(cfg.prom[0].t.max_bytes, (int64_t)2 * 1024 * 1024 * 1024);
	assert_int_equal(cfg.prom[0].t.tls_verify, 1);
	assert_int_equal(cfg.am[0].t.max_bytes, 3 * 1024);
	assert_int_equal(cfg.am[0].t.tls_verify, 0);
	sr_config_done(&cfg);

	/* a postgresql:// URL is kept as it is */
	expect_ok("[store]\npath = postgresql://sitrep@db.example.com/sitrep\n", &cfg);
	assert_string_equal(cfg.store, "postgresql://sitrep@db.example.com/sitrep");
	assert_int_equal(cfg.has_inline_secret, 0);
	sr_config_done(&cfg);

	/* [store] url: a URI or a libpq key=value string, kept as it is */
	expect_ok("[store]\nurl = host=db.example.com dbname=sitrep sslmode=verify-full\n", &cfg);
	assert_string_equal(cfg.store, "host=db.example.com dbname=sitrep sslmode=verify-full");
	assert_int_equal(cfg.has_inline_secret, 0);
	sr_config_done(&cfg);
	expect_ok("[store]\nurl = service=team\n", &cfg);
	assert_string_equal(cfg.store, "service=team");
	sr_config_done(&cfg);
	expect_error("[store]\nurl = /var/lib/x.db\n",
		     "2: url must be a postgresql:// URL or a libpq connection string (host=... dbname=...)");

	/* [postgres NAME]: databases to watch, with defaults for every threshold */
	expect_ok("[postgres main]\nurl = host=db dbname=app\n[postgres replica]\n"
		  "url = postgresql://ro@replica/app\nlong_query = 30s\nconnections_pct = 80\n"
		  "replication_lag = 2m\nrunbook = db-connection-pool\n", &cfg);
	assert_int_equal(cfg.n_pg, 2);
	assert_string_equal(cfg.pg[0].name, "main");
	assert_string_equal(cfg.pg[0].url, "host=db dbname=app");
	assert_int_equal(cfg.pg[0].timeout_ms, 5000);
	assert_true(cfg.pg[0].conn_pct == 90);
	assert_int_equal(cfg.pg[0].long_query, 300);
	assert_int_equal(cfg.pg[0].lock_wait, 30);
	assert_string_equal(cfg.pg[0].runbook, "database-errors");
	assert_int_equal(cfg.pg[1].long_query, 30);
	assert_true(cfg.pg[1].conn_pct == 80);
	assert_int_equal(cfg.pg[1].lag, 120);
	assert_string_equal(cfg.pg[1].runbook, "db-connection-pool");
	sr_config_done(&cfg);
	expect_error("[postgres x]\nlong_query = 1s\n", "1: missing required key \"url\" in "
		     "[postgres x]");

	/* values are trimmed, inline " ;" comments cut, keys case-insensitive */
	expect_ok("[GENERAL]\n  User   =   grace hopper   ; comment\nTimeZone=UTC;not-a-comment\n",
		  &cfg);
	assert_string_equal(cfg.user, "grace hopper");
	assert_string_equal(cfg.timezone, "UTC;not-a-comment");
	sr_config_done(&cfg);

	unsetenv("HOME");
	expect_error("[store]\npath = ~/x.db\n", "2: cannot expand \"~/x.db\" for path: HOME is "
		     "not set");
}

/* --- errors --- */

static void
test_unknown_key(void **state)
{
	struct sr_config cfg;

	(void)state;
	expect_error("[prometheus main]\nurl = http://h\n\nurll = http://x\n",
		     "4: unknown key \"urll\" in [prometheus main] (did you mean \"url\"?)");
	expect_error("[prometheus]\nur = http://h\n",
		     "2: unknown key \"ur\" in [prometheus] (did you mean \"url\"?)");
	expect_error("[severity P1]\nrespnd = 5m\n",
		     "2: unknown key \"respnd\" in [severity P1] (did you mean \"respond\"?)");
	expect_error("[escalation]\nP1_L5 = 5m\n",
		     "2: unknown key \"P1_L5\" in [escalation] (did you mean \"P1_L2\"?)");
	expect_error("[check x]\nurl = http://h\ntimout = 5s\n",
		     "3: unknown key \"timout\" in [check x] (did you mean \"timeout\"?)");
	/* nothing near: no suggestion */
	expect_error("[general]\nfavourite_colour = blue\n",
		     "2: unknown key \"favourite_colour\" in [general]");
	/* check sections do not take the source-only keys */
	expect_error("[check x]\nurl = http://h\nproxy = http://p\n",
		     "3: unknown key \"proxy\" in [check x]");
	expect_error("user = x\n", "1: key \"user\" before any [section] header");
	/* key names are case-insensitive */
	expect_ok("[prometheus]\nURL = http://h\n", &cfg);
	assert_string_equal(cfg.prom[0].t.url, "http://h");
	sr_config_done(&cfg);
}

static void
test_unknown_section(void **state)
{
	(void)state;
	expect_error("[general]\nuser = a\n[severty P1]\nrespond = 5m\n",
		     "3: unknown section [severty P1] (did you mean [severity P1]?)");
	expect_error("[promethues main]\n",
		     "1: unknown section [promethues main] (did you mean [prometheus main]?)");
	expect_error("[runbook map]\n", "1: unknown section [runbook map] (did you mean "
		     "[runbooks map]?)");
	expect_error("[runbooks mapp]\n", "1: unknown section [runbooks mapp] (did you mean "
		     "[runbooks map]?)");
	expect_error("[severity mpa]\n", "1: unknown section [severity mpa] (did you mean "
		     "[severity map]?)");
	expect_error("[genral]\n", "1: unknown section [genral] (did you mean [general]?)");
	expect_error("\n\n[xyzzy]\n", "3: unknown section [xyzzy] (sections: general, severity "
		     "P1..P4, escalation, store, feeds, runbooks, runbooks map, severity map, "
		     "prometheus, alertmanager, panel NAME, check NAME, slack NAME, mattermost NAME, "
		     "postgres NAME, rotation NAME, console)");
	/* [console]: notify is one of three words, highlight a duration */
	expect_error("[console]\nnotify = osc52\n", "1: [console]: notify must be off, osc777 or "
		     "osc9 (found \"osc52\")");
	expect_error("[console]\nhighlight = soon\n", "2: bad duration \"soon\" for highlight: "
		     "expected a number with a unit s, m, h, d or w, e.g. 90s, 15m, 4h, 1d, 1w or "
		     "1h30m");
	expect_error("[general extra]\n", "1: section [general] takes no name (found "
		     "[general extra])");
	expect_error("[severity P5]\n", "1: bad severity \"P5\" in section [severity P5]: "
		     "expected P1, P2, P3 or P4");
	expect_error("[severity]\n", "1: section [severity] needs a severity: [severity P1] to "
		     "[severity P4]");
	expect_error("[panel]\nquery = up\n", "1: section [panel] needs a name: [panel NAME]");
	expect_error("[check]\n", "1: section [check] needs a name: [check NAME]");
	expect_error("[general\n", "1: section header without a closing ]");
	expect_error("[]\n", "1: empty section header []");
	expect_error("[general]\nthis line has no equals sign\n",
		     "2: expected \"key = value\", a [section] header or a comment");
	expect_error("[general]\n= value\n", "2: missing key name before \"=\"");
}

static void
test_duplicates(void **state)
{
	(void)state;
	expect_error("[prometheus main]\nurl = http://a\n\n[prometheus main]\nurl = http://b\n",
		     "4: duplicate section [prometheus main] (first at line 1)");
	expect_error("[prometheus]\nurl = http://a\n[prometheus default]\nurl = http://b\n",
		     "3: duplicate section [prometheus] (first at line 1)");
	expect_error("[panel cpu]\nquery = a\n[panel CPU]\nquery = b\n",
		     "3: duplicate section [panel cpu] (first at line 1)");
	expect_error("[severity P2]\n[general]\n[severity p2]\n",
		     "3: duplicate section [severity P2] (first at line 1)");
	expect_error("[general]\n[general]\n", "2: duplicate section [general] (first at line 1)");
	expect_error("[severity map]\n[severity map]\n",
		     "2: duplicate section [severity map] (first at line 1)");
	expect_error("[prometheus]\nurl = http://a\ntimeout = 5s\nTimeout = 6s\n",
		     "4: \"timeout\" is set twice in [prometheus] (first at line 3)");
}

/* Many sections and many continuation lines: every one kept, duplicates still found. */
static void
test_scale(void **state)
{
	struct sr_config cfg;
	struct sr_buf b;
	char path[64], *err = NULL;
	int line;

	(void)state;
	sr_buf_init(&b);
	sr_buf_adds(&b, "[prometheus]\nurl = http://a\n[panel long]\nquery = sum(\n");
	for (int i = 0; i < 20000; i++)
		sr_buf_printf(&b, "  m%d +\n", i);
	sr_buf_adds(&b, "  0)\n");
	for (int i = 0; i < 5000; i++)
		sr_buf_printf(&b, "[check c%d]\nurl = http://x/%d\n", i, i);
	expect_ok(b.data, &cfg);
	assert_int_equal(cfg.n_checks, 5000);
	assert_string_equal(cfg.checks[4999].name, "c4999");
	assert_int_equal(strncmp(cfg.panels[0].query, "sum( m0 + m1 + ", 15), 0);
	assert_non_null(strstr(cfg.panels[0].query, " m19999 + 0)"));
	sr_config_done(&cfg);
	/* a duplicate among thousands is found, with its first line; any case */
	line = 4 + 20000 + 1 + 2 * 1234 + 1;
	sr_buf_adds(&b, "[check C1234]\nurl = http://y\n");
	assert_int_equal(load(b.data, &cfg, &err, path), -1);
	assert_non_null(strstr(err, "duplicate section [check c1234]"));
	{
		char want[64];

		snprintf(want, sizeof want, "(first at line %d)", line);
		assert_non_null(strstr(err, want));
	}
	free(err);
	sr_config_done(&cfg);
	sr_buf_done(&b);
}

/* A FIFO or a device as the config file is refused at once, never read or waited on. */
static void
test_not_regular(void **state)
{
	struct sr_config cfg;
	char dir[] = "/tmp/sitrep-test-fifo-XXXXXX", fifo[64], *err = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof fifo, "%s/c", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	sr_config_init(&cfg);
	assert_int_equal(sr_config_load(&cfg, fifo, 1, &err), -1);
	assert_non_null(strstr(err, "not a regular file (a FIFO)"));
	free(err);
	err = NULL;
	assert_int_equal(sr_config_load(&cfg, "/dev/zero", 1, &err), -1);
	assert_non_null(strstr(err, "not a regular file (a device)"));
	free(err);
	sr_config_done(&cfg);
	unlink(fifo);
	rmdir(dir);
}

static void
test_missing_required(void **state)
{
	(void)state;
	expect_error("[prometheus main]\ntimeout = 5s\n[general]\n",
		     "1: missing required key \"url\" in [prometheus main]");
	expect_error("[general]\n[alertmanager]\n",
		     "2: missing required key \"url\" in [alertmanager]");
	expect_error("[panel cpu]\nunit = percent\n", "1: missing required key \"query\" in "
		     "[panel cpu]");
	expect_error("\n[check web]\nexpect_status = 200\n",
		     "2: missing required key \"url\" in [check web]");
}

/* [console]: the defaults (highlight 10 s, no bell, no notification) and each key. */
static void
test_console(void **state)
{
	struct sr_config cfg;

	(void)state;
	expect_ok("[general]\nuser = x\n", &cfg);
	assert_int_equal(cfg.highlight, 10);
	assert_int_equal(cfg.bell, 0);
	assert_null(cfg.notify);
	sr_config_done(&cfg);
	expect_ok("[console]\nhighlight = 0\nbell = yes\nnotify = osc9\n", &cfg);
	assert_int_equal(cfg.highlight, 0);
	assert_int_equal(cfg.bell, 1);
	assert_string_equal(cfg.notify, "osc9");
	sr_config_done(&cfg);
}

static void
test_bad_values(void **state)
{
	(void)state;
	expect_error("[prometheus]\nurl = ftp://user:hunter2@h/\n",
		     "2: url in [prometheus] must start with http:// or https:// and name a host");
	expect_error("[prometheus]\nurl = http://\n",
		     "2: url in [prometheus] must start with http:// or https:// and name a host");
	expect_error("[prometheus]\nurl = http://h/a b\n", "2: url in [prometheus] contains a "
		     "space");
	expect_error("[prometheus]\nurl = http://h\ntls_verify = maybe\n",
		     "3: bad boolean \"maybe\" for tls_verify: expected true/false, yes/no, on/off "
		     "or 1/0");
	expect_error("[prometheus]\nurl = http://h\nmax_bytes = 32X\n",
		     "3: bad size \"32X\" for max_bytes: expected bytes or a number with K, M or G "
		     "(binary), e.g. 512K or 32M");
	expect_error("[prometheus]\nurl = http://h\nmax_bytes = 0\n",
		     "3: bad size \"0\" for max_bytes: expected bytes or a number with K, M or G "
		     "(binary), e.g. 512K or 32M");
	expect_error("[prometheus]\nurl = http://h\ntoken_env = 1BAD-NAME\n",
		     "3: bad environment variable name \"1BAD-NAME\" for token_env: expected "
		     "letters, digits and _");
	expect_error("[check c]\nurl = http://h\nexpect_status = 99\n",
		     "3: bad HTTP status \"99\" for expect_status: expected a number from 100 to 599");
	expect_error("[check c]\nurl = http://h\nexpect_status = 200x\n",
		     "3: bad HTTP status \"200x\" for expect_status: expected a number from 100 "
		     "to 599");
	expect_error("[panel p]\nquery = up\nwarn = nan\n",
		     "3: bad number \"nan\" for warn: expected a finite number such as 80 or 0.5");
	expect_error("[panel p]\nquery = up\ncrit = inf\n",
		     "3: bad number \"inf\" for crit: expected a finite number such as 80 or 0.5");
	expect_error("[panel p]\nquery = up\ncrit = 5%\n",
		     "3: bad number \"5%\" for crit: expected a finite number such as 80 or 0.5");
	expect_error("[panel p]\nquery = up\nunit = furlongs\n",
		     "3: bad unit \"furlongs\": expected percent, ratio, seconds, bytes, count, "
		     "reqps or none");
	expect_error("[panel p]\nquery = up\nwarn = 95\ncrit = 90\n",
		     "1: [panel p] has warn (95) above crit (90): a value is bad when above them, "
		     "so warn must not exceed crit");
	expect_error("[panel p]\nquery = up\nsource = nowhere\n[prometheus main]\nurl = http://h\n",
		     "1: [panel p] uses source \"nowhere\" but there is no [prometheus nowhere] "
		     "section");
	expect_error("[severity map]\nurgent = P9\n",
		     "2: bad severity \"P9\" for \"urgent\" in [severity map]: expected P1, P2, P3 "
		     "or P4");
	expect_error("[escalation]\nP1_L2 = 20m\nP1_L3 = 10m\n",
		     "3: escalation waits for P1 must not decrease: P1_L3 = 10m is shorter than "
		     "P1_L2 = 20m");
	/* against a default: P2_L2 = 3h is beyond the default P2_L3 (2h) */
	expect_error("[escalation]\n\nP2_L2 = 3h\n",
		     "3: escalation waits for P2 must not decrease: P2_L3 = 2h is shorter than "
		     "P2_L2 = 3h");
	expect_error("[runbooks]\ndirs = , : ,\n", "2: no directory in dirs");
	expect_error("[general]\nuser = a\x01b\n", "2: control character in the value of \"user\"");
	expect_error("[prometheus]\nurl = http://h\nurl = http://i\n",
		     "3: \"url\" is set twice in [prometheus] (first at line 2)");
}

static void
test_auth_rules(void **state)
{
	(void)state;
	expect_error("[prometheus]\nurl = http://h\ntoken_env = A\ntoken_file = /f\n",
		     "1: [prometheus] sets more than one of token, token_file, token_env");
	expect_error("[alertmanager a]\nurl = http://h\nusername = u\n",
		     "1: [alertmanager a] sets a username but no password, password_file or "
		     "password_env");
	expect_error("[alertmanager a]\nurl = http://h\npassword_env = P\n",
		     "1: [alertmanager a] sets a password but no username");
	expect_error("[alertmanager a]\nurl = http://h\nusername = u\npassword_env = P\n"
		     "password_file = /p\n",
		     "1: [alertmanager a] sets more than one of password, password_file, "
		     "password_env");
	expect_error("[alertmanager a]\nurl = http://h\nusername = u\npassword_env = P\n"
		     "token_env = T\n",
		     "1: [alertmanager a] sets both a bearer token and basic auth: choose one");
	expect_error("[prometheus]\nurl = http://h\nkey = /k.pem\n",
		     "1: [prometheus] sets a client key but no cert");
}

/* Message targets: one webhook source, or a bot token with a channel; URLs only https or
 * loopback http; an inline webhook is a secret like a token. */
static void
test_targets(void **state)
{
	struct sr_config cfg;
	char path[64], *err = NULL;

	(void)state;
	expect_ok("[slack ops]\nwebhook_env = HOOK\n[slack bot]\ntoken_file = /t\nchannel = C1\n"
		  "api_url = http://127.0.0.1:8080/api\nmin_interval = 0\n"
		  "[mattermost mm]\nwebhook_file = /h\ntimeout = 3s\n", &cfg);
	assert_int_equal(cfg.n_targets, 3);
	assert_string_equal(cfg.targets[0].name, "ops");
	assert_int_equal(cfg.targets[0].type, SR_TARGET_SLACK);
	assert_int_equal(cfg.targets[0].min_interval, 1);
	assert_string_equal(cfg.targets[0].t.url, "https://slack.com/api");
	assert_string_equal(cfg.targets[1].channel, "C1");
	assert_int_equal(cfg.targets[1].min_interval, 0);
	assert_int_equal(cfg.targets[2].type, SR_TARGET_MATTERMOST);
	assert_int_equal(cfg.targets[2].t.timeout_ms, 3000);
	sr_config_done(&cfg);
	expect_error("[slack a]\n", "1: [slack a] needs webhook_file (or webhook_env), or "
		     "token_file and channel");
	expect_error("[slack a]\nwebhook_env = A\nwebhook_file = /f\n",
		     "1: [slack a] sets more than one of webhook, webhook_file, webhook_env");
	expect_error("[slack a]\ntoken_env = T\n", "1: [slack a] has a bot token but no channel");
	expect_error("[slack a]\nwebhook_env = A\nchannel = C\n",
		     "1: [slack a]: a webhook posts to its own channel; drop channel");
	expect_error("[mattermost m]\ntoken_env = T\nchannel = C\n",
		     "1: [mattermost m]: a Mattermost target takes a webhook (webhook_file or "
		     "webhook_env), not a token or channel");
	expect_error("[slack a]\ntoken_env = T\nchannel = C\napi_url = http://10.0.0.1/api\n",
		     "1: [slack a]: api_url must be https (http only to a loopback address)");
	expect_error("[slack a]\ntoken_env = T\nchannel = C\n"
		     "api_url = http://127.0.0.1@evil.example/api\n",
		     "1: [slack a]: api_url must be https (http only to a loopback address)");
	expect_error("[slak a]\n", "1: unknown section [slak a] (did you mean [slack a]?)");
	/* an inline webhook URL is a secret: refused in a file others can read */
	assert_int_equal(load_mode("[slack a]\nwebhook = https://hooks.slack.com/services/X\n",
				   0644, &cfg, &err, path), -1);
	assert_non_null(strstr(err, "readable by others"));
	assert_null(strstr(err, "hooks.slack.com"));
	free(err);
	sr_config_done(&cfg);
}

/* An indented line continues a query; anywhere else it is an error. */
static void
test_continuation(void **state)
{
	struct sr_config cfg;

	(void)state;
	expect_ok("[panel p]\nquery = sum(a)\n  / sum(b) ; why\n\n# note\n\t+ 1\nunit = ratio\n",
		  &cfg);
	assert_string_equal(cfg.panels[0].query, "sum(a) / sum(b) + 1");
	assert_int_equal(cfg.panels[0].unit, SR_UNIT_RATIO);
	sr_config_done(&cfg);
	expect_error("[prometheus]\nurl = http://h\n  timeout = 5s\n",
		     "3: indented line continues the value of \"url\"; only a panel's query may "
		     "span lines (remove the indentation)");
	expect_error("[panel a]\nquery = up\n  [panel b]\nquery = down\n",
		     "3: indented section header [panel b] (remove the indentation)");
	/* a PromQL range on its own line is no section header */
	expect_ok("[panel a]\nquery = rate(x\n  [5m])\n", &cfg);
	assert_string_equal(cfg.panels[0].query, "rate(x [5m])");
	sr_config_done(&cfg);
	/* the first key after a header may be indented: there is nothing to continue */
	expect_ok("[general]\n   user = indented\n", &cfg);
	assert_string_equal(cfg.user, "indented");
	sr_config_done(&cfg);
}

/* Lines longer than inih's 200-byte buffer are read whole. */
static void
test_long_lines(void **state)
{
	struct sr_config cfg;
	struct sr_buf b, want;
	int i;

	(void)state;
	sr_buf_init(&b);
	sr_buf_init(&want);
	sr_buf_adds(&b, "# ");
	for (i = 0; i < 300; i++)
		sr_buf_addc(&b, 'c');
	sr_buf_adds(&b, "\n[panel long]\nquery = ");
	for (i = 0; i < 100; i++)
		sr_buf_printf(&want, "%smetric_%03d", i ? " + " : "", i);
	sr_buf_adds(&b, want.data);
	sr_buf_adds(&b, "   ; a trailing comment\n  ");
	for (i = 0; i < 50; i++)
		sr_buf_printf(&b, "- other_%03d ", i);
	sr_buf_adds(&b, "\nunit = count\n[prometheus]\nurl = http://h\ntoken = ");
	for (i = 0; i < 100; i++)
		sr_buf_adds(&b, "tok");
	sr_buf_adds(&b, "\nheader = Y:1\n");
	for (i = 0; i < 50; i++)
		sr_buf_printf(&want, " - other_%03d", i);

	expect_ok(b.data, &cfg);
	assert_true(strlen(cfg.panels[0].query) > 1000);
	assert_string_equal(cfg.panels[0].query, want.data);
	assert_int_equal(cfg.panels[0].unit, SR_UNIT_COUNT);
	assert_int_equal(strlen(cfg.prom[0].t.token), 300);
	assert_string_equal(cfg.prom[0].t.headers[0], "Y:1");
	assert_int_equal(cfg.has_inline_secret, 1);
	sr_config_done(&cfg);

	/* an error after long lines still names the right line */
	sr_buf_adds(&b, "bogus = 1\n");
	expect_error(b.data, "10: unknown key \"bogus\" in [prometheus]");
	sr_buf_done(&b);
	sr_buf_done(&want);
}

static void
test_bom_crlf(void **state)
{
	struct sr_config cfg;

	(void)state;
	expect_ok("\xEF\xBB\xBF[general]\r\nuser = crlf\r\n\r\n[severity P1]\r\nrespond = 5m\r\n",
		  &cfg);
	assert_string_equal(cfg.user, "crlf");
	assert_int_equal(cfg.sev[0].respond, 300);
	sr_config_done(&cfg);
	expect_error("\xEF\xBB\xBF[general]\r\nuser = crlf\r\nusr = x\r\n",
		     "3: unknown key \"usr\" in [general] (did you mean \"user\"?)");
}

static void
test_nul_byte(void **state)
{
	struct sr_config cfg;
	char path[64], *err = NULL, *want;
	static const char text[] = "[general]\nuser = a\0b\n";

	(void)state;
	write_tmp(text, sizeof(text) - 1, 0600, path);
	sr_config_init(&cfg);
	assert_int_equal(sr_config_load(&cfg, path, 1, &err), -1);
	want = sr_xasprintf("%s:2: NUL byte in the file: not a text file", path);
	assert_string_equal(err, want);
	unlink(path);
	free(want);
	free(err);
	sr_config_done(&cfg);
}

/* Error messages escape control characters and cut long values. */
static void
test_error_escaping(void **state)
{
	struct sr_config cfg;
	char path[64], *err = NULL;
	struct sr_buf b;
	int i;

	(void)state;
	expect_error("[general]\n\x1b[31m = 1\n", "2: unknown key \"\\x1b[31m\" in [general]");
	sr_buf_init(&b);
	sr_buf_adds(&b, "[severity P1]\nrespond = ");
	for (i = 0; i < 100; i++)
		sr_buf_addc(&b, 'x');
	sr_buf_addc(&b, '\n');
	assert_int_equal(load(b.data, &cfg, &err, path), -1);
	assert_non_null(strstr(err, "\"xxxxxxxxxx"));
	assert_non_null(strstr(err, "...\" for respond"));
	assert_true(strlen(err) < 250);
	free(err);
	sr_config_done(&cfg);
	sr_buf_done(&b);
}

/* --- secrets --- */

static void
expect_secret_refused(const char *text)
{
	struct sr_config cfg;
	char path[64], *err = NULL, *want;

	assert_int_equal(load_mode(text, 0644, &cfg, &err, path), -1);
	want = sr_xasprintf("%s: holds a secret (token/password) but is readable by others: run "
			    "chmod 600 %s", path, path);
	assert_string_equal(err, want);
	assert_int_equal(cfg.has_inline_secret, 1);
	free(want);
	free(err);
	sr_config_done(&cfg);

	/* the same file, private, loads */
	assert_int_equal(load_mode(text, 0600, &cfg, &err, path), 0);
	assert_null(err);
	assert_int_equal(cfg.has_inline_secret, 1);
	sr_config_done(&cfg);
}

static void
test_secrets(void **state)
{
	struct sr_config cfg;
	char path[64], *err = NULL;

	(void)state;
	expect_secret_refused("[prometheus]\nurl = http://h\ntoken = s3cr3t-value\n");
	expect_secret_refused("[alertmanager a]\nurl = http://h\nusername = u\n"
			      "password = s3cr3t-value\n");
	expect_secret_refused("[check c]\nurl = http://h\ntoken = s3cr3t-value\n");
	expect_secret_refused("[prometheus]\nurl = https://u:s3cr3t-value@h/\n");
	expect_secret_refused("[prometheus]\nurl = http://h\nproxy = http://u:s3cr3t@p:3128\n");
	expect_secret_refused("[prometheus]\nurl = http://h\n"
			      "header = Authorization: Bearer s3cr3t-value\n");
	expect_secret_refused("[prometheus]\nurl = http://h\nheader = X-Api-Key: s3cr3t-value\n");
	expect_secret_refused("[store]\npath = postgresql://u:s3cr3t-value@db/sitrep\n");
	expect_secret_refused("[store]\nurl = postgresql://u:s3cr3t-value@db/sitrep\n");
	expect_secret_refused("[store]\nurl = postgresql://u@db/sitrep?password=s3cr3t-value\n");
	expect_secret_refused("[store]\nurl = host=db dbname=sitrep password=s3cr3t-value\n");
	expect_secret_refused("[store]\nurl = host=db password = 's3cr3t-value'\n");
	expect_secret_refused("[postgres p]\nurl = postgresql://u:s3cr3t-value@db/app\n");

	/* group-readable (640) is refused too; no secret: 644 is fine */
	assert_int_equal(load_mode("[prometheus]\nurl = http://h\ntoken = abc\n", 0640, &cfg,
				   &err, path), -1);
	assert_non_null(strstr(err, "chmod 600"));
	free(err);
	sr_config_done(&cfg);
	assert_int_equal(load_mode("[prometheus]\nurl = http://u@h\ntoken_file = /t\n"
				   "header = X-Scope-OrgID: a\n", 0644, &cfg, &err, path), 0);
	assert_int_equal(cfg.has_inline_secret, 0);
	sr_config_done(&cfg);
}

/* A secret never appears in an error message, whatever is wrong with it. */
static void
test_secret_not_echoed(void **state)
{
	static const char *const texts[] = {
		"[prometheus]\nurl = http://h\nheader = Authorization Bearer s3cr3t\n",
		"[prometheus]\nurl = http://h\nheader = :s3cr3t\n",
		"[prometheus]\nurl = http://h\nheader = Bad Name: s3cr3t\n",
		"[prometheus]\nurl = htp://user:s3cr3t@h\n",
		"[prometheus]\nurl = http://user:s3cr3t@h/ x\n",
		"[prometheus]\nurl = http://h\nproxy = http://u:s3cr3t@p x\n",
		"[prometheus]\nurl = http://h\ntoken = s3cr3t\x02\n",
		"[prometheus]\nurl = http://h\npassword = s3cr3t\n",
		"[prometheus]\nurl = http://h\ntoken = s3cr3t\ntoken = s3cr3t2\n",
		"[prometheus]\nurl = http://h\ntoken = s3cr3t\n  s3cr3t-continued\n",
	};
	struct sr_config cfg;
	char path[64], *err;
	size_t i;

	(void)state;
	for (i = 0; i < SR_ARRAY_LEN(texts); i++) {
		err = NULL;
		assert_int_equal(load_mode(texts[i], 0644, &cfg, &err, path), -1);
		assert_non_null(err);
		if (strstr(err, "s3cr3t") != NULL)
			fail_msg("secret echoed by case %zu: %s", i, err);
		free(err);
		sr_config_done(&cfg);
	}
}

/* --- files and paths --- */

static void
test_example_loads(void **state)
{
	struct sr_config cfg;
	char *err = NULL;
	static const struct {
		const char *name;
		enum sr_unit unit;
		int has_warn, has_crit;
		double warn, crit;
	} want[] = {
		{ "error rate", SR_UNIT_PERCENT, 0, 1, 0, 5 },
		{ "p95 latency", SR_UNIT_SECONDS, 1, 0, 1, 0 },
		{ "cpu", SR_UNIT_PERCENT, 1, 0, 80, 0 },
		{ "memory", SR_UNIT_PERCENT, 0, 1, 0, 90 },
		{ "db pool", SR_UNIT_PERCENT, 1, 0, 90, 0 },
		{ "disk", SR_UNIT_PERCENT, 1, 0, 85, 0 },
	};
	size_t i;

	(void)state;
	setenv("USER", "tester", 1);
	sr_config_init(&cfg);
	if (sr_config_load(&cfg, EXAMPLE, 1, &err) != 0)
		fail_msg("%s", err);
	/* the example only documents defaults: they stand */
	assert_string_equal(cfg.user, "tester");
	assert_int_equal(cfg.sev[0].respond, 900);
	assert_int_equal(cfg.sev[3].resolve, 7 * 86400);
	assert_int_equal(cfg.n_prom, 0);
	assert_int_equal(cfg.n_am, 0);
	assert_int_equal(cfg.n_checks, 0);
	assert_int_equal(cfg.n_sevmap, 7);
	assert_int_equal(cfg.n_panels, SR_ARRAY_LEN(want));
	for (i = 0; i < SR_ARRAY_LEN(want); i++) {
		const struct sr_panel *p = &cfg.panels[i];

		assert_string_equal(p->name, want[i].name);
		assert_int_equal(p->unit, want[i].unit);
		assert_int_equal(p->has_warn, want[i].has_warn);
		assert_int_equal(p->has_crit, want[i].has_crit);
		if (p->has_warn)
			assert_true(p->warn == want[i].warn);
		if (p->has_crit)
			assert_true(p->crit == want[i].crit);
		assert_int_equal(p->range, 3600);
		assert_null(strchr(p->query, '\n'));
	}
	assert_non_null(strstr(cfg.panels[0].query, "http_requests_total"));
	assert_non_null(strstr(cfg.panels[1].query, "http_request_duration_seconds_bucket"));
	assert_non_null(strstr(cfg.panels[2].query, "node_cpu_seconds_total"));
	assert_non_null(strstr(cfg.panels[3].query, "node_memory_MemAvailable_bytes"));
	assert_non_null(strstr(cfg.panels[4].query, "db_pool_connections_in_use"));
	assert_non_null(strstr(cfg.panels[5].query, "node_filesystem_avail_bytes"));
	sr_config_done(&cfg);
}

/* Every key of the schema is documented in the example file with its default. */
static void
test_example_documents_keys(void **state)
{
	static const char *const keys[] = {
		"user", "timezone", "respond", "resolve", "update_every", "L1_name", "L4_contact",
		"P1_L2", "P1_L3", "P1_L4", "P2_L2", "P2_L3", "P2_L4", "P3_L2", "P3_L3", "P3_L4",
		"P4_L2", "P4_L3", "P4_L4", "path", "alerts_interval", "panels_interval",
		"checks_interval", "dirs", "url", "connect_timeout", "timeout", "max_bytes",
		"interval", "tls_verify", "ca_file", "cert", "key", "token", "token_file",
		"token_env", "username", "password", "password_file", "password_env", "header",
		"proxy", "query", "source", "unit", "warn", "crit", "range", "runbook",
		"expect_status", "webhook", "webhook_file", "webhook_env", "channel", "api_url",
		"min_interval", "members", "length", "handoff", "start", "ical", "ical_url", "L1",
		"L4",
	};
	char *text = NULL, *err = NULL;
	size_t i, len;

	(void)state;
	assert_int_equal(sr_read_file(EXAMPLE, 1 << 20, &text, &len, &err), 0);
	for (i = 0; i < SR_ARRAY_LEN(keys); i++) {
		char *needle = sr_xasprintf("\n# %s = ", keys[i]);
		char *needle2 = sr_xasprintf("\n%s = ", keys[i]);

		if (strstr(text, needle) == NULL && strstr(text, needle2) == NULL)
			fail_msg("key %s not documented in the example", keys[i]);
		free(needle);
		free(needle2);
	}
	free(text);

	/* and in sitrep.conf(5), where keys are set in bold (.B, .BR, .TP lists) */
	assert_int_equal(sr_read_file(MANPAGE, 1 << 20, &text, &len, &err), 0);
	for (i = 0; i < SR_ARRAY_LEN(keys); i++) {
		char *b1 = sr_xasprintf(".B %s\n", keys[i]);
		char *b2 = sr_xasprintf(".BR %s ", keys[i]);
		char *b3 = sr_xasprintf("\" %s \"", keys[i]);
		char *b4 = sr_xasprintf("\" %s\n", keys[i]);

		if (keys[i][0] == 'P' && keys[i][2] == '_')
			;	/* the P1_L2 ... P4_L4 family is described as one item */
		else if (!strstr(text, b1) && !strstr(text, b2) && !strstr(text, b3) &&
			 !strstr(text, b4))
			fail_msg("key %s not documented in sitrep.conf.5", keys[i]);
		free(b4);
		free(b1);
		free(b2);
		free(b3);
	}
	assert_non_null(strstr(text, ".BR P1_L2 "));
	assert_non_null(strstr(text, "P4_L4"));
	free(text);
}

static void
test_must_exist(void **state)
{
	struct sr_config cfg;
	char *err = NULL;
	static const char missing[] = "/tmp/sitrep-test-config-does-not-exist/sitrep.conf";

	(void)state;
	sr_config_init(&cfg);
	assert_int_equal(sr_config_load(&cfg, missing, 0, &err), 0);
	assert_null(err);
	assert_null(cfg.path);
	assert_int_equal(cfg.sev[0].respond, 900);
	assert_int_equal(sr_config_load(&cfg, missing, 1, &err), -1);
	assert_string_equal(err, "/tmp/sitrep-test-config-does-not-exist/sitrep.conf: "
			    "No such file or directory");
	free(err);
	err = NULL;
	assert_int_equal(sr_config_load(&cfg, "/tmp", 0, &err), -1);
	assert_string_equal(err, "/tmp: not a regular file (a directory)");
	free(err);
	err = NULL;
	assert_int_equal(sr_config_load(&cfg, NULL, 0, &err), 0);
	assert_int_equal(sr_config_load(&cfg, NULL, 1, &err), -1);
	assert_non_null(err);
	free(err);
	sr_config_done(&cfg);
}

/* Restores an environment variable saved before a test changed it. */
struct saved_env {
	const char *name;
	char *value;
};

static void
save_env(struct saved_env *s, const char *name)
{
	const char *v = getenv(name);

	s->name = name;
	s->value = v ? sr_xstrdup(v) : NULL;
}

static void
restore_env(struct saved_env *s)
{
	if (s->value) {
		setenv(s->name, s->value, 1);
		free(s->value);
	} else {
		unsetenv(s->name);
	}
}

static void
expect_path(char *got, const char *want)
{
	if (want == NULL)
		assert_null(got);
	else
		assert_string_equal(got, want);
	free(got);
}

static void
test_xdg_paths(void **state)
{
	struct saved_env env[3];

	(void)state;
	save_env(&env[0], "XDG_CONFIG_HOME");
	save_env(&env[1], "XDG_STATE_HOME");
	save_env(&env[2], "HOME");

	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	setenv("XDG_STATE_HOME", "/x/state/", 1);
	setenv("HOME", "/home/u", 1);
	expect_path(sr_config_default_path(), "/x/cfg/sitrep/sitrep.conf");
	expect_path(sr_config_default_store(), "/x/state/sitrep/sitrep.db");

	/* empty or relative XDG values are ignored, as the spec says */
	setenv("XDG_CONFIG_HOME", "", 1);
	setenv("XDG_STATE_HOME", "relative/state", 1);
	expect_path(sr_config_default_path(), "/home/u/.config/sitrep/sitrep.conf");
	expect_path(sr_config_default_store(), "/home/u/.local/state/sitrep/sitrep.db");

	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_STATE_HOME");
	expect_path(sr_config_default_path(), "/home/u/.config/sitrep/sitrep.conf");
	expect_path(sr_config_default_store(), "/home/u/.local/state/sitrep/sitrep.db");

	unsetenv("HOME");
	expect_path(sr_config_default_path(), NULL);
	expect_path(sr_config_default_store(), NULL);
	setenv("XDG_STATE_HOME", "/only/state", 1);
	expect_path(sr_config_default_path(), NULL);
	expect_path(sr_config_default_store(), "/only/state/sitrep/sitrep.db");

	restore_env(&env[0]);
	restore_env(&env[1]);
	restore_env(&env[2]);
}

/* Every secret header name the manual lists, in any case; other names are not secrets. */
static void
test_secret_header_names(void **state)
{
	static const char *const secret[] = {
		"Cookie: session=s3cr3t", "cookie: s=1", "COOKIE:x",
		"Proxy-Authorization: Basic s3cr3t", "proxy-authorization:x",
		"Authorization: Bearer x", "X-Auth-Thing: x", "X-Secret: x", "Private-Token: x",
		"X-Api-KEY: x", "X-Password: x",
	};
	static const char *const plain[] = { "X-Scope-OrgID: a", "Accept: text/plain",
					     "Cookies-Allowed-Not: x", "Host: h" };
	struct sr_config cfg;
	char path[64], *err = NULL, *text, longname[200];

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(secret); i++) {
		text = sr_xasprintf("[alertmanager a]\nurl = http://h\nheader = %s\n", secret[i]);
		if (load_mode(text, 0644, &cfg, &err, path) != -1)
			fail_msg("header \"%s\" in a 644 file was accepted", secret[i]);
		assert_non_null(strstr(err, "chmod 600"));
		free(err);
		err = NULL;
		sr_config_done(&cfg);
		/* private: fine */
		assert_int_equal(load_mode(text, 0600, &cfg, &err, path), 0);
		assert_int_equal(cfg.has_inline_secret, 1);
		sr_config_done(&cfg);
		free(text);
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(plain); i++) {
		text = sr_xasprintf("[alertmanager a]\nurl = http://h\nheader = %s\n", plain[i]);
		if (load_mode(text, 0644, &cfg, &err, path) != 0)
			fail_msg("header \"%s\": %s", plain[i], err);
		assert_int_equal(cfg.has_inline_secret, 0);
		sr_config_done(&cfg);
		free(text);
	}
	/* "Cookies-Allowed-Not" holds no listed word; a name too long to look at is a secret */
	memset(longname, 'X', 150);
	longname[150] = '\0';
	text = sr_xasprintf("[prometheus]\nurl = http://h\nheader = %s: v\n", longname);
	assert_int_equal(load_mode(text, 0644, &cfg, &err, path), -1);
	free(err);
	err = NULL;
	sr_config_done(&cfg);
	free(text);
	/* other-readable only, group-writable only, world-executable only: all refused */
	{
		static const mode_t modes[] = { 0604, 0620, 0601, 0610, 0602 };

		for (size_t i = 0; i < SR_ARRAY_LEN(modes); i++) {
			assert_int_equal(load_mode("[prometheus]\nurl = http://h\nheader = Cookie: c\n",
						   modes[i], &cfg, &err, path), -1);
			free(err);
			err = NULL;
			sr_config_done(&cfg);
		}
		assert_int_equal(load_mode("[prometheus]\nurl = http://h\nheader = Cookie: c\n", 0400,
					   &cfg, &err, path), 0);
		sr_config_done(&cfg);
	}
}

/* Booleans: every spelling of yes and no, any case; anything else is an error. */
static void
test_booleans_and_edges(void **state)
{
	static const char *const yes[] = { "true", "YES", "On", "1" };
	static const char *const no[] = { "false", "No", "OFF", "0" };
	struct sr_config cfg;
	char path[64], *err = NULL, *text, *home = getenv("HOME") ? sr_xstrdup(getenv("HOME")) : NULL;
	char *xdg = getenv("XDG_STATE_HOME") ? sr_xstrdup(getenv("XDG_STATE_HOME")) : NULL;

	(void)state;
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < 4; i++) {
			text = sr_xasprintf("[prometheus]\nurl = http://h\ntls_verify = %s\n",
					    k == 0 ? yes[i] : no[i]);
			if (load(text, &cfg, &err, path) != 0)
				fail_msg("%s: %s", text, err);
			assert_int_equal(cfg.prom[0].t.tls_verify, k == 0 ? 1 : 0);
			sr_config_done(&cfg);
			free(text);
		}
	assert_int_equal(load("[prometheus]\nurl = http://h\ntls_verify = maybe\n", &cfg, &err,
			      path), -1);
	assert_non_null(strstr(err, "maybe"));
	free(err);
	err = NULL;
	sr_config_done(&cfg);
	/* an unknown section, named */
	assert_int_equal(load("[frobnicate]\n", &cfg, &err, path), -1);
	assert_non_null(strstr(err, "unknown section [frobnicate]"));
	free(err);
	err = NULL;
	sr_config_done(&cfg);
	/* a file that is only a byte order mark, or a BOM and one line */
	assert_int_equal(load("\xEF\xBB\xBF", &cfg, &err, path), 0);
	sr_config_done(&cfg);
	assert_int_equal(load("\xEF\xBB\xBF[store]\npath = /x/s.db\n", &cfg, &err, path), 0);
	assert_string_equal(cfg.store, "/x/s.db");
	sr_config_done(&cfg);
	/* the default store under $HOME, trailing slashes dropped */
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/dana//", 1);
	text = sr_config_default_store();
	assert_string_equal(text, "/home/dana/.local/state/sitrep/sitrep.db");
	free(text);
	/* "~/" needs $HOME: without it the path is an error, not a relative path */
	unsetenv("HOME");
	assert_int_equal(load("[store]\npath = ~/s.db\n", &cfg, &err, path), -1);
	assert_non_null(err);
	free(err);
	err = NULL;
	sr_config_done(&cfg);
	if (home)
		setenv("HOME", home, 1);
	if (xdg)
		setenv("XDG_STATE_HOME", xdg, 1);
	free(home);
	free(xdg);
}

/* Named sources: a section header's name trimmed, each found by its name. */
static void
test_named_sources(void **state)
{
	struct sr_config cfg;
	char path[64], *err = NULL;

	(void)state;
	if (load("[ prometheus  b ]\nurl = http://127.0.0.1:1/\nmax_bytes = 10MiB\n"
		 "[prometheus c]\nurl = http://127.0.0.1:2/\nmax_bytes = 3 K\n", &cfg, &err, path) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.n_prom, 2);
	assert_string_equal(cfg.prom[0].name, "b");
	assert_ptr_equal(sr_config_prom(&cfg, "c"), &cfg.prom[1]);
	assert_ptr_equal(sr_config_prom(&cfg, "B"), &cfg.prom[0]);
	assert_null(sr_config_prom(&cfg, "d"));
	assert_int_equal(cfg.prom[0].t.max_bytes, 10 * 1024 * 1024);
	assert_int_equal(cfg.prom[1].t.max_bytes, 3 * 1024);
	sr_config_done(&cfg);
}

/* A rotation's members, in turn order, blanks around the names dropped. */
static void
test_rotation_members(void **state)
{
	struct sr_config cfg;
	char path[64], *err = NULL;

	(void)state;
	if (load("[rotation primary]\nmembers =  alice ,bob,  carol \n", &cfg, &err, path) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.n_rotations, 1);
	assert_int_equal(cfg.rotations[0].n_members, 3);
	assert_string_equal(cfg.rotations[0].members[0], "alice");
	assert_string_equal(cfg.rotations[0].members[1], "bob");
	assert_string_equal(cfg.rotations[0].members[2], "carol");
	sr_config_done(&cfg);
}

/* A config of exactly the size limit (1 MiB) loads; one byte more is refused. */
static void
test_size_limit_exact(void **state)
{
	size_t max = 1024 * 1024;
	char *text = sr_xmalloc(max + 2), path[64], *err = NULL;
	struct sr_config cfg;

	(void)state;
	memset(text, '#', max + 1);
	for (size_t i = 79; i < max + 1; i += 80)
		text[i] = '\n';
	text[max - 1] = '\n';
	text[max] = '\0';
	if (load(text, &cfg, &err, path) != 0)
		fail_msg("a config of exactly 1 MiB: %s", err);
	sr_config_done(&cfg);
	text[max] = '\n';
	text[max + 1] = '\0';
	assert_int_equal(load(text, &cfg, &err, path), -1);
	assert_non_null(err);
	free(err);
	sr_config_done(&cfg);
	free(text);
}

/* --- issue 17: the edges seed 17's survivors showed untested --- */

/* Each range at both ends: dates (month 1-12, day 1-31), HTTP statuses 100-599; a level's
 * rotation:NAME needs the prefix and a name; the default alert severity labels. */
static void
test_value_edges(void **state)
{
	struct sr_config cfg;
	static const char *const good_dates[] = { "2027-01-01", "2026-12-31", "2026-01-31" };
	static const char *const bad_dates[] = { "2027-00-10", "2027-13-10", "2027-01-00",
						 "2027-01-32" };

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(good_dates); i++) {
		char *t = sr_xasprintf("[rotation p]\nmembers = a\nstart = %s\n", good_dates[i]);

		expect_ok(t, &cfg);
		assert_string_equal(cfg.rotations[0].start, good_dates[i]);
		sr_config_done(&cfg);
		free(t);
	}
	expect_ok("[rotation p]\nmembers = a\nstart = 1970-01-02\n", &cfg);
	assert_int_equal(cfg.rotations[0].start_day, 1);
	sr_config_done(&cfg);
	for (size_t i = 0; i < SR_ARRAY_LEN(bad_dates); i++) {
		char *t = sr_xasprintf("[rotation p]\nmembers = a\nstart = %s\n", bad_dates[i]);
		char *w = sr_xasprintf("3: bad date \"%s\" for start: expected YYYY-MM-DD",
				       bad_dates[i]);

		expect_error(t, w);
		free(t);
		free(w);
	}
	expect_ok("[check c]\nurl = http://h\nexpect_status = 100\n", &cfg);
	assert_int_equal(cfg.checks[0].expect_status, 100);
	sr_config_done(&cfg);
	expect_ok("[check c]\nurl = http://h\nexpect_status = 599\n", &cfg);
	assert_int_equal(cfg.checks[0].expect_status, 599);
	sr_config_done(&cfg);
	expect_error("[check c]\nurl = http://h\nexpect_status = 600\n",
		     "3: bad HTTP status \"600\" for expect_status: expected a number from 100 to 599");
	expect_error("[check c]\nurl = http://h\nexpect_status = \n",
		     "3: empty value for \"expect_status\" in [check c]");
	expect_error("[escalation]\nL2 = rotation:\n",
		     "2: bad value \"rotation:\" for L2: expected rotation:NAME naming a "
		     "[rotation NAME] section");
	expect_error("[escalation]\nL2 = schedule:primary\n",
		     "2: bad value \"schedule:primary\" for L2: expected rotation:NAME naming a "
		     "[rotation NAME] section");
	sr_config_init(&cfg);
	assert_int_equal(sr_config_alert_sev(&cfg, "critical"), SR_SEV_P1);
	assert_int_equal(sr_config_alert_sev(&cfg, "WARNING"), SR_SEV_P3);
	assert_int_equal(sr_config_alert_sev(&cfg, "none"), SR_SEV_P4);
	sr_config_done(&cfg);
}

/*
 * Every string and list a named section can hold is freed by sr_config_done, which frees
 * them from the key tables (config.c free_keys): a key it missed would leak, which the
 * sanitizer build's leak check reports. Each section kind, each of its text keys set.
 */
static void
test_done_frees_every_key(void **state)
{
	static const char text[] =
		"[prometheus a]\nurl = http://p:9090\nca_file = /ca\ncert = /c\nkey = /k\n"
		"token = t0\nproxy = http://proxy:3128\nheader = X-A: 1\nheader = X-B: 2\n"
		"[prometheus b]\nurl = http://p2\nusername = u\npassword = pw\n"
		"[alertmanager c]\nurl = http://am\ntoken_file = /t\n"
		"[alertmanager c2]\nurl = http://am2\nusername = v\npassword_file = /pw\n"
		"[alertmanager c3]\nurl = http://am3\nusername = w\npassword_env = PW\n"
		"[panel d]\nquery = up\nsource = a\nrunbook = r\n"
		"[check e]\nurl = http://h\nheader = X-C: 3\ntoken_env = TOK\n"
		"[slack f]\nwebhook_file = /w\n[slack g]\nwebhook_env = W\n"
		"[mattermost h]\nwebhook = http://mm/hooks/x\n"
		"[slack i]\ntoken_file = /t2\nchannel = C1\napi_url = https://slack.example\n"
		"ca_file = /ca2\n"
		"[postgres j]\nurl = postgresql://db/x\nrunbook = dbr\n"
		"[rotation k]\nmembers = alice, bob\nhandoff = tue 10:00\ntimezone = UTC\n"
		"start = 2026-01-05\n"
		"[rotation l]\nical = /cal.ics\n[rotation m]\nical_url = http://cal/x.ics\n";
	struct sr_config cfg;

	(void)state;
	expect_ok(text, &cfg);
	assert_int_equal(cfg.n_prom, 2);
	assert_int_equal(cfg.prom[0].t.n_headers, 2);
	assert_string_equal(cfg.checks[0].t.headers[0], "X-C: 3");
	assert_int_equal(cfg.n_targets, 4);
	assert_string_equal(cfg.targets[3].channel, "C1");
	assert_int_equal(cfg.rotations[0].n_members, 2);
	assert_string_equal(cfg.rotations[2].ical_url, "http://cal/x.ics");
	assert_string_equal(cfg.pg[0].runbook, "dbr");
	sr_config_done(&cfg);
	assert_null(cfg.prom);
	assert_int_equal(cfg.n_rotations, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_transport_defaults),
		cmocka_unit_test(test_sev_parse),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_full_fixture),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_auth_rules),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_bom_crlf),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_error_escaping),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_secret_header_names),
		cmocka_unit_test(test_booleans_and_edges),
		cmocka_unit_test(test_secret_not_echoed),
		cmocka_unit_test(test_example_loads),
		cmocka_unit_test(test_example_documents_keys),
		cmocka_unit_test(test_must_exist),
		cmocka_unit_test(test_xdg_paths),
		cmocka_unit_test(test_named_sources),
		cmocka_unit_test(test_rotation_members),
		cmocka_unit_test(test_size_limit_exact),
		cmocka_unit_test(test_value_edges),
		cmocka_unit_test(test_done_frees_every_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

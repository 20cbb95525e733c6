/* SPDX-License-Identifier: MIT */
/* test_slack.c: incident messages from the templates in every format, limits and injection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "slack.h"
#include "tmpdir.h"

#define T0 1795403520	/* 2026-11-23T03:12:00Z */

struct fx {
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev;
};

static void
make(struct fx *f, const char *title)
{
	char *err = NULL;

	memset(f, 0, sizeof(*f));
	sr_config_init(&f->cfg);
	assert_int_equal(sr_incident_new(&f->inc, title, "checkout", SR_SEV_P1,
					 "Customers cannot pay", "dana", T0, &f->ev, &err), 0);
	strcpy(f->inc.id, "INC-2026-005");
}

static void
done(struct fx *f)
{
	sr_incident_done(&f->inc);
	sr_event_list_done(&f->ev);
	sr_config_done(&f->cfg);
}

static char *
render(struct fx *f, enum sr_slack_kind k, enum sr_slack_format fmt, sr_time now,
       const char *dir)
{
	struct sr_slack_input in = { .inc = &f->inc, .events = &f->ev, .cfg = &f->cfg,
				     .now = now, .tpl_dir = dir };
	struct sr_buf b;
	char *err = NULL;

	sr_buf_init(&b);
	if (sr_slack_render(&b, k, fmt, &in, &err) != 0)
		fail_msg("%s", err);
	return sr_buf_steal(&b);
}

static void
test_alert_text(void **state)
{
	struct fx f;
	struct sr_buf b;

	(void)state;
	make(&f, "Checkout API returning 5xx");
	assert_int_equal(sr_slack_kind_for(&f.inc), SR_SLACK_ALERT);
	/* the console's call: the shipped template, plain text */
	sr_buf_init(&b);
	sr_slack_text(&b, SR_SLACK_ALERT, &f.inc, &f.cfg, T0 + 300);
	assert_string_equal(b.data,
			    "\xF0\x9F\x9A\xA8 INCIDENT ALERT: Checkout API returning 5xx\n"
			    "Incident: #INC-2026-005\n"
			    "Severity: P1 (service down, data loss)\n"
			    "Service: checkout\n"
			    "Issue: Checkout API returning 5xx\n"
			    "Impact: Customers cannot pay\n"
			    "ETA: 04:12 UTC (in 55m00s)\n"
			    "On-call: On-call engineer @oncall\n"
			    "Next update: 03:27 UTC (in 10m00s)\n");
	sr_buf_done(&b);
	done(&f);
}

static void
test_update_and_resolved(void **state)
{
	struct fx f;
	char *err = NULL, *s;

	(void)state;
	make(&f, "Checkout API returning 5xx");
	assert_int_equal(sr_incident_update_sent(&f.inc, "#inc", "dana", T0 + 60, &f.ev, &err), 0);
	assert_int_equal(sr_incident_note(&f.inc, "rollback started", "sam", T0 + 90, &f.ev, &err),
			 0);
	assert_int_equal(sr_slack_kind_for(&f.inc), SR_SLACK_UPDATE);
	/* the update clock was restarted at T0+60: overdue 20 minutes later */
	s = render(&f, SR_SLACK_UPDATE, SR_FMT_MRKDWN, T0 + 60 + 20 * 60, NULL);
	assert_string_equal(s, ":bar_chart: INCIDENT UPDATE: Checkout API returning 5xx\n"
			       "Incident: #INC-2026-005\n"
			       "Status: triggered\n"
			       "Progress: rollback started\n"
			       "ETA: 04:12 UTC (in 39m00s)\n"
			       "Next update: 03:28 UTC (overdue by 5m00s)\n");
	free(s);
	assert_int_equal(sr_incident_resolve(&f.inc, "bad deploy", "rolled back", "dana",
					     T0 + 2400, &f.ev, &err), 0);
	assert_int_equal(sr_slack_kind_for(&f.inc), SR_SLACK_RESOLVED);
	s = render(&f, SR_SLACK_RESOLVED, SR_FMT_TEXT, T0 + 4000, NULL);
	assert_string_equal(s, "\xE2\x9C\x85 INCIDENT RESOLVED: Checkout API returning 5xx\n"
			       "Incident: #INC-2026-005\n"
			       "Duration: 40m00s\n"
			       "Root cause: bad deploy\n"
			       "Resolution: rolled back\n"
			       "Post-mortem: 2026-11-28\n");
	free(s);
	done(&f);
}

/* Sum of the code points of every "text" string in a Block Kit payload. */
static size_t
text_chars(const cJSON *j, size_t *max_section, size_t *max_field, int *max_fields)
{
	size_t n = 0;

	for (const cJSON *c = j->child; c; c = c->next) {
		if (cJSON_IsString(c) && c->string && strcmp(c->string, "text") == 0) {
			size_t k = 0;

			for (const char *p = c->valuestring; *p; p++)
				k += ((unsigned char)*p & 0xC0) != 0x80;
			n += k;
			if (k > *max_section)
				*max_section = k;
		}
		if (cJSON_IsArray(c) && c->string && strcmp(c->string, "fields") == 0) {
			int nf = cJSON_GetArraySize(c);

			if (nf > *max_fields)
				*max_fields = nf;
			for (const cJSON *fl = c->child; fl; fl = fl->next) {
				size_t s = 0;
				const char *p = cJSON_GetObjectItem(fl, "text")->valuestring;

				for (; *p; p++)
					s += ((unsigned char)*p & 0xC0) != 0x80;
				if (s > *max_field)
					*max_field = s;
			}
		}
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			n += text_chars(c, max_section, max_field, max_fields);
	}
	return n;
}

static void
check_blocks(const char *json)
{
	cJSON *j = cJSON_Parse(json);
	const cJSON *blocks, *header;
	size_t max_section = 0, max_field = 0, total;
	int max_fields = 0;

	assert_non_null(j);
	blocks = cJSON_GetObjectItem(j, "blocks");
	assert_true(cJSON_GetArraySize(blocks) <= SR_BK_MAX_BLOCKS);
	header = cJSON_GetObjectItem(cJSON_GetArrayItem(blocks, 0), "text");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(blocks, 0), "type")->valuestring,
			    "header");
	assert_true(strlen(cJSON_GetObjectItem(header, "text")->valuestring) <= 4 * 150);
	total = text_chars(j, &max_section, &max_field, &max_fields);
	assert_true(total <= SR_BK_MAX_TOTAL);
	assert_true(max_section <= SR_BK_MAX_SECTION);
	assert_true(max_field <= SR_BK_MAX_FIELD);
	assert_true(max_fields <= SR_BK_MAX_FIELDS);
	cJSON_Delete(j);
}

static void
test_hostile_title(void **state)
{
	struct fx f;
	struct sr_buf title;
	char *s, *err = NULL;

	(void)state;
	sr_buf_init(&title);
	sr_buf_adds(&title, "<!channel> *down* <@U123> `rm` \x1b[31mred\x1b]52;c;eA==\x07 @here ");
	while (title.len < 10000)
		sr_buf_adds(&title, "\xC3\xA9\"\\<>&");
	make(&f, title.data);
	for (int i = 0; i < 500; i++)
		assert_int_equal(sr_incident_note(&f.inc, title.data, "sam", T0 + i, &f.ev, &err), 0);
	for (int k = 0; k < SR_SLACK_KIND_COUNT; k++) {
		s = render(&f, (enum sr_slack_kind)k, SR_FMT_MRKDWN, T0 + 600, NULL);
		assert_null(strstr(s, "<!"));
		assert_null(strstr(s, "<@"));
		assert_null(strchr(s, '`'));
		assert_null(strchr(s, '\x1b'));
		assert_null(strstr(s, "@here"));
		free(s);
		s = render(&f, (enum sr_slack_kind)k, SR_FMT_BLOCKS, T0 + 600, NULL);
		check_blocks(s);
		assert_null(strstr(s, "<!"));
		free(s);
		s = render(&f, (enum sr_slack_kind)k, SR_FMT_MATTERMOST, T0 + 600, NULL);
		{
			cJSON *j = cJSON_Parse(s);

			assert_non_null(j);
			assert_null(strstr(cJSON_GetObjectItem(j, "text")->valuestring, "@here"));
			cJSON_Delete(j);
		}
		free(s);
		s = render(&f, (enum sr_slack_kind)k, SR_FMT_TEXT, T0 + 600, NULL);
		assert_null(strchr(s, '\x1b'));
		assert_null(strchr(s, '\x07'));
		free(s);
	}
	sr_buf_done(&title);
	done(&f);
}

static void
write_file(const char *path, const char *s)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(s, fp);
	fclose(fp);
}

static void
test_user_templates(void **state)
{
	char dir[64], path[256];
	struct fx f;
	char *s, *err = NULL;
	struct sr_buf b;

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-tpl");
	assert_non_null(mkdtemp(dir));
	make(&f, "Disk full");
	/* an override with a partial and the whole timeline */
	snprintf(path, sizeof(path), "%s/update.mustache", dir);
	write_file(path, "Update {{ref}}\n{{> footer}}\n");
	snprintf(path, sizeof(path), "%s/footer.mustache", dir);
	write_file(path, "{{#timeline}}{{time}} {{actor}}: {{detail}}\n{{/timeline}}");
	s = render(&f, SR_SLACK_UPDATE, SR_FMT_TEXT, T0, dir);
	assert_string_equal(s, "Update #INC-2026-005\n03:12 dana: created P1: Disk full "
			       "(service checkout)\n");
	free(s);
	/* unknown field: path, line, column and the nearest name */
	snprintf(path, sizeof(path), "%s/alert.mustache", dir);
	write_file(path, "ALERT\nSeverity: {{severty}}\n");
	sr_buf_init(&b);
	{
		struct sr_slack_input in = { .inc = &f.inc, .cfg = &f.cfg, .now = T0,
					     .tpl_dir = dir };

		assert_int_equal(sr_slack_render(&b, SR_SLACK_ALERT, SR_FMT_TEXT, &in, &err), -1);
		s = sr_xasprintf("%s/alert.mustache:2:11: unknown field \"severty\" (did you mean "
				 "\"severity\"?)", dir);
		assert_string_equal(err, s);
		free(s);
		free(err);
		err = NULL;
		/* a broken partial fails the render too */
		snprintf(path, sizeof(path), "%s/footer.mustache", dir);
		write_file(path, "{{#timeline}}{{nope}}{{/timeline}}");
		assert_int_equal(sr_slack_render(&b, SR_SLACK_UPDATE, SR_FMT_TEXT, &in, &err), -1);
		assert_non_null(strstr(err, "footer.mustache:1:14: unknown field \"nope\""));
		free(err);
	}
	sr_buf_done(&b);
	/* the console shows the error instead of a message */
	sr_buf_init(&b);
	f.cfg.path = sr_xasprintf("%s/sitrep.conf", dir);
	unlink(path);
	{
		char tdir[80];

		snprintf(tdir, sizeof(tdir), "%s/templates", dir);
		assert_int_equal(mkdir(tdir, 0700), 0);
		snprintf(path, sizeof(path), "%s/alert.mustache", tdir);
		write_file(path, "{{#x}}");
		sr_slack_text(&b, SR_SLACK_ALERT, &f.inc, &f.cfg, T0);
		assert_non_null(strstr(b.data, "template error: "));
		assert_non_null(strstr(b.data, "unclosed section \"x\""));
		unlink(path);
		rmdir(tdir);
	}
	sr_buf_done(&b);
	snprintf(path, sizeof(path), "%s/update.mustache", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/alert.mustache", dir);
	unlink(path);
	rmdir(dir);
	done(&f);
}

static void
test_data_model(void **state)
{
	struct fx f;
	struct sr_tdata *d = sr_tdata_new();
	struct sr_tval *root;
	char *err = NULL;
	struct sr_slack_input in;

	(void)state;
	make(&f, "x");
	assert_int_equal(sr_incident_check_item(&f.inc, "disk", 1, "look", 1, "a", T0, &f.ev, &err),
			 0);
	assert_int_equal(sr_incident_check_item(&f.inc, "disk", 2, "clean", 1, "a", T0, &f.ev,
						&err), 0);
	assert_int_equal(sr_incident_check_item(&f.inc, "disk", 2, "clean", 0, "a", T0, &f.ev,
						&err), 0);
	assert_int_equal(sr_incident_escalate(&f.inc, 1, &f.cfg, "a", T0, &f.ev, &err), 0);
	assert_int_equal(sr_incident_assign(&f.inc, SR_ROLE_COMMANDER, "sam", "a", T0, &f.ev, &err),
			 0);
	in = (struct sr_slack_input){ .inc = &f.inc, .events = &f.ev, .cfg = &f.cfg,
				      .now = T0 + 3600 };
	root = sr_slack_data(d, &in, SR_FMT_TEXT);
	assert_string_equal(sr_tv_get(sr_tv_get(root, "checklist", 9), "text", 4)->str,
			    "1/2 items done");
	assert_int_equal(sr_tv_get(sr_tv_get(root, "escalation", 10), "level", 5)->num, 2);
	assert_non_null(strstr(sr_tv_get(sr_tv_get(root, "escalation", 10), "why", 3)->str,
			       "L1 -> L2"));
	assert_int_equal(sr_tv_get(root, "timeline_count", 14)->num, 6);
	assert_int_equal(sr_tv_get(root, "recent", 6)->n, 5);
	assert_int_equal(sr_tv_get(root, "unfilled_roles", 14)->n, 2);
	assert_true(sr_tv_get(sr_tv_get(sr_tv_get(root, "timers", 6), "next_update", 11),
			      "overdue", 7)->b);
	assert_int_equal(sr_tv_get(root, "duration_s", 10)->num, 3600);
	sr_tdata_free(d);
	/* ASCII: no emoji, nothing but ASCII */
	{
		struct sr_buf b;

		in.ascii = 1;
		sr_buf_init(&b);
		assert_int_equal(sr_slack_render(&b, SR_SLACK_ALERT, SR_FMT_TEXT, &in, &err), 0);
		assert_true(strncmp(b.data, "INCIDENT ALERT: x\n", 18) == 0);
		for (size_t i = 0; i < b.len; i++)
			assert_true((unsigned char)b.data[i] < 0x80);
		sr_buf_done(&b);
	}
	assert_int_equal(sr_slack_kind_parse("can", &(enum sr_slack_kind){ 0 }, &err), 0);
	assert_int_equal(sr_slack_kind_parse("cans", &(enum sr_slack_kind){ 0 }, &err), -1);
	assert_string_equal(err, "unknown message kind \"cans\" (one of: alert, update, resolved, "
				 "escalation, can, exec)");
	free(err);
	done(&f);
}

/* Lines of b that start at column 0 (drawn by the template, not continuing a field), and how
 * many of them start with "Status:". */
static size_t
head_lines(const char *s, int *status_lines)
{
	size_t n = 0;

	*status_lines = 0;
	for (const char *l = s; *l != '\0'; l = strchr(l, '\n') + 1) {
		if (*l != ' ' && *l != '\n')
			n++;
		if (strncmp(l, "Status:", 7) == 0)
			(*status_lines)++;
		if (strchr(l, '\n') == NULL)
			break;
	}
	return n;
}

static void
forge_incident(struct sr_incident *inc, struct sr_event_list *ev, const char *text)
{
	char *err = NULL;

	assert_int_equal(sr_incident_new(inc, text, text, SR_SEV_P2, text, text, T0, ev, &err), 0);
	strcpy(inc->id, "INC-2026-007");
	sr_set_str(&inc->roles[SR_ROLE_COMMANDER], text);
	sr_set_str(&inc->root_cause, text);
	sr_set_str(&inc->resolution, text);
}

/* Stored text cannot forge a line of the message: it draws as many lines at column 0 as the
 * same incident with plain one-word fields (one-line fields flattened, multi-line fields
 * indented before they reach the template), and no control character gets through. */
static void
test_forged_lines(void **state)
{
	static const char *const evil = "x\nStatus:      RESOLVED\r\nCommander:   mallory\xE2\x80\xA8"
					"Status: RESOLVED\033]52;c;AAAA\007\xC2\x9B";
	struct sr_config cfg;
	struct sr_incident inc, plain;
	struct sr_event_list ev = { 0 }, pev = { 0 };

	(void)state;
	sr_config_init(&cfg);
	forge_incident(&inc, &ev, evil);
	forge_incident(&plain, &pev, "x");
	for (int kind = SR_SLACK_ALERT; kind <= SR_SLACK_RESOLVED; kind++) {
		struct sr_buf b, pb;
		int status_lines, plain_status;

		sr_buf_init(&b);
		sr_buf_init(&pb);
		sr_slack_text(&b, (enum sr_slack_kind)kind, &inc, &cfg, T0 + 60);
		sr_slack_text(&pb, (enum sr_slack_kind)kind, &plain, &cfg, T0 + 60);
		assert_null(strchr(b.data, '\033'));
		assert_null(strchr(b.data, '\r'));
		assert_null(strstr(b.data, "\xC2\x9B"));
		assert_null(strstr(b.data, "\xE2\x80\xA8"));
		assert_int_equal(head_lines(b.data, &status_lines),
				 head_lines(pb.data, &plain_status));
		assert_int_equal(status_lines, plain_status);
		sr_buf_done(&b);
		sr_buf_done(&pb);
	}
	sr_incident_done(&inc);
	sr_incident_done(&plain);
	sr_event_list_done(&ev);
	sr_event_list_done(&pev);
	sr_config_done(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alert_text),
		cmocka_unit_test(test_update_and_resolved),
		cmocka_unit_test(test_hostile_title),
		cmocka_unit_test(test_user_templates),
		cmocka_unit_test(test_data_model),
		cmocka_unit_test(test_forged_lines),
	};

	/* the console's call reads templates beside the default config: keep the user's away */
	setenv("XDG_CONFIG_HOME", "/nonexistent-sitrep-test", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

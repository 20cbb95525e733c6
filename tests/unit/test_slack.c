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

/* --- rendering through a user's template (one file at a time, in a private directory) --- */

struct tdir {
	char dir[64];
	char path[128];
};

static void
tdir_open(struct tdir *t)
{
	sr_test_tmp(t->dir, sizeof(t->dir), "sitrep-tpl");
	assert_non_null(mkdtemp(t->dir));
	t->path[0] = '\0';
}

/* Writes NAME.mustache = src into the directory (the last one written is removed by close). */
static void
tdir_put(struct tdir *t, const char *name, const char *src)
{
	if (t->path[0])
		unlink(t->path);
	snprintf(t->path, sizeof(t->path), "%s/%s.mustache", t->dir, name);
	write_file(t->path, src);
}

static void
tdir_close(struct tdir *t)
{
	if (t->path[0])
		unlink(t->path);
	assert_int_equal(rmdir(t->dir), 0);
}

/* Every field of the data model, as text: what sitrep-templates(5) promises a template. */
static const char dump_tpl[] =
	"id={{id}} ref={{ref}} title={{title}} service={{service}}\n"
	"impact={{impact}}\n"
	"sev={{severity}} meaning={{severity_meaning}} status={{status}} "
	"open={{#open}}y{{/open}}{{^open}}n{{/open}} "
	"resolved={{#resolved}}y{{/resolved}}{{^resolved}}n{{/resolved}}\n"
	"cause={{root_cause}} resolution={{resolution}}\n"
	"created={{created}} {{created_at}} ack={{acknowledged}} {{acknowledged_at}} "
	"res={{resolved_time}} {{resolved_time_at}} lu={{last_update}} {{last_update_at}} "
	"now={{now}} {{now_at}}\n"
	"duration={{duration}} {{duration_s}} eta={{eta}} next={{next_update}}\n"
	"{{#timers}}{{#respond}}respond: {{text}}|{{time}}|{{due_at}}|{{left}}|{{left_s}}|"
	"{{#overdue}}over{{/overdue}}|{{#running}}run{{/running}}{{/respond}}\n"
	"{{#resolve}}resolve: {{text}}|{{time}}|{{due_at}}|{{left}}|{{left_s}}|"
	"{{#overdue}}over{{/overdue}}|{{#running}}run{{/running}}{{/resolve}}\n"
	"{{#next_update}}next: {{text}}|{{time}}|{{due_at}}|{{left}}|{{left_s}}|"
	"{{#overdue}}over{{/overdue}}|{{#running}}run{{/running}}{{/next_update}}{{/timers}}\n"
	"esc: {{escalation.level}} {{escalation.label}} {{escalation.name}} "
	"[{{escalation.contact}}] why=[{{escalation.why}}] "
	"due={{#escalation.due}}y{{/escalation.due}} [{{escalation.due_label}}]\n"
	"needs={{#needs}}y{{/needs}} oncall={{oncall.name}} [{{oncall.contact}}]\n"
	"roles: {{roles.commander}}/{{roles.comms}}/{{roles.scribe}} "
	"unfilled:{{#unfilled_roles}} {{role}}{{/unfilled_roles}}\n"
	"alerts {{alerts_count}}:{{#alerts}} {{fingerprint}}={{name}}"
	"({{#labels}}{{name}}:{{value}},{{/labels}}){{/alerts}}\n"
	"timeline {{timeline_count}}:{{#timeline}} [{{at}} {{time}} {{actor}} {{kind}} "
	"{{detail}}]{{/timeline}}\n"
	"recent:{{#recent}} [{{time}} {{kind}}]{{/recent}}\n"
	"progress={{progress}}\n"
	"checklist {{checklist.done}}/{{checklist.total}} {{checklist.percent}}% "
	"{{checklist.text}}\n"
	"pm={{postmortem.date}} {{postmortem.due_at}}\n"
	"emoji={{#emoji}}{{alert}}{{update}}{{resolved}}{{escalation}}{{can}}{{exec}}{{/emoji}}\n";

static char *
render_in(const struct sr_slack_input *in, enum sr_slack_kind k, enum sr_slack_format fmt)
{
	struct sr_buf b;
	char *err = NULL;

	sr_buf_init(&b);
	if (sr_slack_render(&b, k, fmt, in, &err) != 0)
		fail_msg("%s", err);
	return sr_buf_steal(&b);
}

/* An acknowledged P2 with notes, a checklist, a commander, an escalation and a linked alert. */
static void
busy_incident(struct fx *f)
{
	char *err = NULL;

	memset(f, 0, sizeof(*f));
	sr_config_init(&f->cfg);
	assert_int_equal(sr_incident_new(&f->inc, "Disk\nfull", "db", SR_SEV_P2,
					 "writes fail\nreads ok", "dana", T0, &f->ev, &err), 0);
	strcpy(f->inc.id, "INC-2026-009");
	assert_int_equal(sr_incident_ack(&f->inc, "sam", T0 + 120, &f->ev, &err), 0);
	assert_int_equal(sr_incident_note(&f->inc, "first", "sam", T0 + 130, &f->ev, &err), 0);
	assert_int_equal(sr_incident_note(&f->inc, "second\nline", "sam", T0 + 140, &f->ev, &err),
			 0);
	assert_int_equal(sr_incident_check_item(&f->inc, "disk", 1, "look", 1, "a", T0 + 150,
						&f->ev, &err), 0);
	assert_int_equal(sr_incident_check_item(&f->inc, "disk", 2, "clean", 1, "a", T0 + 151,
						&f->ev, &err), 0);
	assert_int_equal(sr_incident_check_item(&f->inc, "disk", 3, "more", 1, "a", T0 + 152,
						&f->ev, &err), 0);
	assert_int_equal(sr_incident_check_item(&f->inc, "disk", 2, "clean", 0, "a", T0 + 153,
						&f->ev, &err), 0);
	assert_int_equal(sr_incident_assign(&f->inc, SR_ROLE_COMMANDER, "sam", "a", T0 + 160,
					    &f->ev, &err), 0);
	assert_int_equal(sr_incident_escalate(&f->inc, 1, &f->cfg, "a", T0 + 170, &f->ev, &err), 0);
	assert_int_equal(sr_incident_link_alert(&f->inc, "fp1", "x", "a", T0 + 180, &f->ev, &err),
			 0);
}

static const char busy_common[] =
	"id=INC-2026-009 ref=#INC-2026-009 title=Disk full service=db\n"
	"impact=writes fail     reads ok\n"
	"sev=P2 meaning=major feature down, degraded status=acknowledged open=y resolved=n\n"
	"cause= resolution=\n"
	"created=2026-11-23 03:12 UTC 1795403520 ack=2026-11-23 03:14 UTC 1795403640 res= 0 "
	"lu= 0 now=2026-11-23 04:18 UTC 1795407520\n"
	"duration=1h06m 4000 eta=07:12 UTC (in 2h53m) next=03:42 UTC (overdue by 36m40s)\n"
	"respond: 04:12 UTC (in 58m00s)|04:12|1795407120|in 58m00s|3480||\n"
	"resolve: 07:12 UTC (in 2h53m)|07:12|1795417920|in 2h53m|10400||run\n"
	"next: 03:42 UTC (overdue by 36m40s)|03:42|1795405320|overdue by 36m40s|-2200|over|run\n"
	"esc: 2 L2 Tech lead [@tech-lead] why=[escalated L1 -> L2 (Tech lead, @tech-lead)] "
	"due= []\n"
	"needs=y oncall=On-call engineer [@oncall]\n"
	"roles: sam// unfilled: comms scribe\n";
static const char busy_tail[] =
	"timeline 11: [1795403520 03:12 dana created created P2: Disk full (service db)] "
	"[1795403640 03:14 sam acknowledged acknowledged by sam at L1] "
	"[1795403650 03:14 sam note first] [1795403660 03:14 sam note second     line] "
	"[1795403670 03:14 a checklist disk #1 [x] look] "
	"[1795403671 03:14 a checklist disk #2 [x] clean] "
	"[1795403672 03:14 a checklist disk #3 [x] more] "
	"[1795403673 03:14 a checklist disk #2 [ ] clean] "
	"[1795403680 03:14 a role commander: sam] "
	"[1795403690 03:14 a escalated escalated L1 -> L2 (Tech lead, @tech-lead)] "
	"[1795403700 03:15 a alert_linked alert fp1 linked: x]\n"
	"recent: [03:14 checklist] [03:14 checklist] [03:14 role] [03:14 escalated] "
	"[03:15 alert_linked]\n"
	"progress=second     line\n"
	"checklist 2/3 66% 2/3 items done\n"
	"pm=after resolution 0\n";

static void
assert_dump(const char *got, const char *head, const char *alerts, const char *tail,
	    const char *emoji)
{
	char *want = sr_xasprintf("%s%s%s%s", head, alerts, tail, emoji);

	assert_string_equal(got, want);
	free(want);
}

/* The whole data model, field by field, for an open, a resolved and an unacknowledged
 * incident: timers, escalation, roles, alerts with and without the feed's labels, the timeline
 * and its five latest, the latest note, checklist progress, the post-mortem date, emoji. */
static void
test_data_fields(void **state)
{
	struct tdir td;
	struct fx f;
	struct sr_label l1[] = { { "instance", "db1" }, { "alertname", "Disk\nFull" } };
	struct sr_slack_alert al[] = { { "fp1", l1, 2 }, { "fp2", NULL, 0 } };
	struct sr_slack_input in;
	char *s, *err = NULL;

	(void)state;
	tdir_open(&td);
	tdir_put(&td, "update", dump_tpl);
	busy_incident(&f);
	in = (struct sr_slack_input){ .inc = &f.inc, .events = &f.ev, .cfg = &f.cfg,
				      .now = T0 + 4000, .tpl_dir = td.dir };
	s = render_in(&in, SR_SLACK_UPDATE, SR_FMT_TEXT);
	assert_dump(s, busy_common, "alerts 1: fp1=()\n", busy_tail,
		    "emoji=\xF0\x9F\x9A\xA8\xF0\x9F\x93\x8A\xE2\x9C\x85\xF0\x9F\x93\x9F"
		    "\xF0\x9F\x93\x8B\xF0\x9F\x92\xBC\n");
	free(s);
	/* the feed's alerts replace the incident's fingerprints; the name is the alertname */
	in.alerts = al;
	in.n_alerts = 2;
	s = render_in(&in, SR_SLACK_UPDATE, SR_FMT_TEXT);
	assert_dump(s, busy_common,
		    "alerts 2: fp1=Disk Full(instance:db1,alertname:Disk Full,) fp2=()\n",
		    busy_tail,
		    "emoji=\xF0\x9F\x9A\xA8\xF0\x9F\x93\x8A\xE2\x9C\x85\xF0\x9F\x93\x9F"
		    "\xF0\x9F\x93\x8B\xF0\x9F\x92\xBC\n");
	free(s);
	/* Slack's shortcodes in mrkdwn and Block Kit, Unicode for Mattermost */
	s = render_in(&in, SR_SLACK_UPDATE, SR_FMT_MRKDWN);
	assert_non_null(strstr(s, "\nemoji=:rotating_light::bar_chart::white_check_mark::pager:"
				  ":clipboard::briefcase:\n"));
	free(s);
	s = render_in(&in, SR_SLACK_UPDATE, SR_FMT_BLOCKS);
	assert_non_null(strstr(s, "\\nemoji=:rotating_light::bar_chart::white_check_mark::pager:"
				  ":clipboard::briefcase:\""));
	free(s);
	s = render_in(&in, SR_SLACK_UPDATE, SR_FMT_MATTERMOST);
	assert_non_null(strstr(s, "\\nemoji=\xF0\x9F\x9A\xA8\xF0\x9F\x93\x8A\xE2\x9C\x85"
				  "\xF0\x9F\x93\x9F\xF0\x9F\x93\x8B\xF0\x9F\x92\xBC\\n"));
	free(s);
	/* no events: an empty timeline, no progress, no checklist */
	in.events = NULL;
	s = render_in(&in, SR_SLACK_UPDATE, SR_FMT_TEXT);
	assert_non_null(strstr(s, "\ntimeline 0:\nrecent:\nprogress=\n"
				  "checklist 0/0 0% no items ticked\n"));
	assert_non_null(strstr(s, "why=[] due= []\n"));
	free(s);
	done(&f);

	/* unacknowledged past its response deadline: escalation to L2 is due */
	make(&f, "Disk full");
	sr_set_str(&f.inc.impact, "");
	in = (struct sr_slack_input){ .inc = &f.inc, .events = &f.ev, .cfg = &f.cfg,
				      .now = T0 + 1000, .tpl_dir = td.dir };
	s = render_in(&in, SR_SLACK_UPDATE, SR_FMT_TEXT);
	assert_non_null(strstr(s, "status=triggered open=y resolved=n\n"));
	assert_non_null(strstr(s, "ack= 0 res= 0 lu= 0 now=2026-11-23 03:28 UTC 1795404520\n"
				  "duration=16m40s 1000 eta=04:12 UTC (in 43m20s) "
				  "next=03:27 UTC (overdue by 1m40s)\n"
				  "respond: 03:27 UTC (overdue by 1m40s)|03:27|1795404420|"
				  "overdue by 1m40s|-100|over|run\n"));
	assert_non_null(strstr(s, "esc: 1 L1 On-call engineer [@oncall] why=[] due=y [L2]\n"
				  "needs=y oncall=On-call engineer [@oncall]\n"
				  "roles: // unfilled: commander comms scribe\n"
				  "alerts 0:\n"
				  "timeline 1: [1795403520 03:12 dana created created P1: Disk full "
				  "(service checkout)]\nrecent: [03:12 created]\n"));
	free(s);
	/* every role filled and acknowledged in time: nothing needed */
	assert_int_equal(sr_incident_ack(&f.inc, "sam", T0 + 60, &f.ev, &err), 0);
	for (int r = 0; r < SR_ROLE_COUNT; r++)
		assert_int_equal(sr_incident_assign(&f.inc, (enum sr_role)r, "sam", "a", T0 + 60,
						    &f.ev, &err), 0);
	s = render_in(&in, SR_SLACK_UPDATE, SR_FMT_TEXT);
	assert_non_null(strstr(s, "due= []\nneeds= oncall="));
	assert_non_null(strstr(s, "roles: sam/sam/sam unfilled:\n"));
	free(s);

	/* resolved: the duration stops at the resolution, timers stop running, post-mortem due */
	assert_int_equal(sr_incident_resolve(&f.inc, "bad\ndeploy", "rolled back", "dana",
					     T0 + 5000, &f.ev, &err), 0);
	in.now = T0 + 9000;
	s = render_in(&in, SR_SLACK_UPDATE, SR_FMT_TEXT);
	assert_non_null(strstr(s, "status=resolved open=n resolved=y\n"
				  "cause=bad     deploy resolution=rolled back\n"));
	assert_non_null(strstr(s, "res=2026-11-23 04:35 UTC 1795408520 lu= 0 "
				  "now=2026-11-23 05:42 UTC 1795412520\n"
				  "duration=1h23m 5000 eta=resolved next=none (resolved)\n"));
	assert_non_null(strstr(s, "|-1400|over|\nnext: ||0||0||\n"));
	assert_non_null(strstr(s, "\npm=2026-11-28 1795840520\n"));
	free(s);
	/* --ascii: no emoji object at all */
	in.ascii = 1;
	s = render_in(&in, SR_SLACK_UPDATE, SR_FMT_TEXT);
	assert_non_null(strstr(s, "\nemoji=\n"));
	free(s);
	done(&f);
	tdir_close(&td);
}

/* The payloads exactly as they go out, and the text a receiver shows for each. */
static void
test_payloads_exact(void **state)
{
	struct fx f;
	char *s, *err = NULL;
	struct sr_buf t;

	(void)state;
	make(&f, "Checkout API returning 5xx");
	s = render(&f, SR_SLACK_ALERT, SR_FMT_BLOCKS, T0 + 300, NULL);
	assert_string_equal(s,
		"{\"text\":\":rotating_light: INCIDENT ALERT: Checkout API returning 5xx\","
		"\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\","
		"\"text\":\":rotating_light: INCIDENT ALERT: Checkout API returning 5xx\","
		"\"emoji\":true}},{\"type\":\"section\",\"fields\":["
		"{\"type\":\"mrkdwn\",\"text\":\"*Incident*\\n#INC-2026-005\"},"
		"{\"type\":\"mrkdwn\",\"text\":\"*Severity*\\nP1 (service down, data loss)\"},"
		"{\"type\":\"mrkdwn\",\"text\":\"*Service*\\ncheckout\"},"
		"{\"type\":\"mrkdwn\",\"text\":\"*Issue*\\nCheckout API returning 5xx\"},"
		"{\"type\":\"mrkdwn\",\"text\":\"*Impact*\\nCustomers cannot pay\"},"
		"{\"type\":\"mrkdwn\",\"text\":\"*ETA*\\n04:12 UTC (in 55m00s)\"},"
		"{\"type\":\"mrkdwn\",\"text\":\"*On-call*\\nOn-call engineer @oncall\"},"
		"{\"type\":\"mrkdwn\",\"text\":\"*Next update*\\n03:27 UTC (in 10m00s)\"}]},"
		"{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\","
		"\"text\":\"sitrep \xC2\xB7 #INC-2026-005\"}]}]}");
	sr_buf_init(&t);
	assert_int_equal(sr_slack_payload_text(&t, s, strlen(s), &err), 0);
	assert_string_equal(t.data, ":rotating_light: INCIDENT ALERT: Checkout API returning 5xx\n"
				    "*Incident*\n#INC-2026-005\n"
				    "*Severity*\nP1 (service down, data loss)\n"
				    "*Service*\ncheckout\n"
				    "*Issue*\nCheckout API returning 5xx\n"
				    "*Impact*\nCustomers cannot pay\n"
				    "*ETA*\n04:12 UTC (in 55m00s)\n"
				    "*On-call*\nOn-call engineer @oncall\n"
				    "*Next update*\n03:27 UTC (in 10m00s)\n"
				    "sitrep \xC2\xB7 #INC-2026-005\n");
	sr_buf_done(&t);
	free(s);
	s = render(&f, SR_SLACK_ALERT, SR_FMT_MATTERMOST, T0 + 300, NULL);
	assert_string_equal(s,
		"{\"text\":\"#### \xF0\x9F\x9A\xA8 INCIDENT ALERT: Checkout API returning 5xx\\n"
		"Incident: \\\\#INC-2026-005\\nSeverity: P1 (service down, data loss)\\n"
		"Service: checkout\\nIssue: Checkout API returning 5xx\\n"
		"Impact: Customers cannot pay\\nETA: 04:12 UTC (in 55m00s)\\n"
		"On-call: On-call engineer @\xE2\x81\xA0oncall\\n"
		"Next update: 03:27 UTC (in 10m00s)\\n\"}");
	sr_buf_init(&t);
	assert_int_equal(sr_slack_payload_text(&t, s, strlen(s), &err), 0);
	assert_string_equal(t.data, "#### \xF0\x9F\x9A\xA8 INCIDENT ALERT: Checkout API returning "
				    "5xx\nIncident: \\#INC-2026-005\n"
				    "Severity: P1 (service down, data loss)\nService: checkout\n"
				    "Issue: Checkout API returning 5xx\nImpact: Customers cannot pay\n"
				    "ETA: 04:12 UTC (in 55m00s)\n"
				    "On-call: On-call engineer @\xE2\x81\xA0oncall\n"
				    "Next update: 03:27 UTC (in 10m00s)\n\n");
	sr_buf_done(&t);
	free(s);
	/* the other kinds, in text */
	s = render(&f, SR_SLACK_ESCALATION, SR_FMT_TEXT, T0 + 300, NULL);
	assert_string_equal(s, "\xF0\x9F\x93\x9F INCIDENT ESCALATED: Checkout API returning 5xx\n"
			       "Incident: #INC-2026-005\nLevel: L1 On-call engineer\n"
			       "Paged: @oncall\nWhy: P1 triggered for 5m00s\n"
			       "Severity: P1 (service down, data loss)\nStatus: triggered\n");
	free(s);
	s = render(&f, SR_SLACK_CAN, SR_FMT_TEXT, T0 + 300, NULL);
	assert_string_equal(s, "\xF0\x9F\x93\x8B CAN REPORT: Checkout API returning 5xx\n"
			       "Incident: #INC-2026-005\n"
			       "Conditions: P1 triggered for 5m00s; impact: Customers cannot pay; "
			       "0 linked alerts\n"
			       "Actions: 03:12 created P1: Checkout API returning 5xx "
			       "(service checkout); \n"
			       "Checklist: no items ticked\n"
			       "Needs: a commander; a comms; a scribe; \n"
			       "Next update: 03:27 UTC (in 10m00s)\n");
	free(s);
	s = render(&f, SR_SLACK_EXEC, SR_FMT_TEXT, T0 + 300, NULL);
	assert_string_equal(s, "\xF0\x9F\x92\xBC EXECUTIVE SUMMARY: Checkout API returning 5xx\n"
			       "Incident: #INC-2026-005\n"
			       "Impact: P1 (service down, data loss) on checkout\n"
			       "Customer effect: Customers cannot pay\n"
			       "Current state: triggered for 5m00s\n"
			       "ETA: 04:12 UTC (in 55m00s)\nNext update: 03:27 UTC (in 10m00s)\n");
	free(s);
	done(&f);
}

/* Code points of s, and whether it ends with an ellipsis. */
static size_t
cps(const char *s, int *ell)
{
	size_t n = 0, len = strlen(s);

	for (const char *p = s; *p; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80;
	*ell = len >= 3 && strcmp(s + len - 3, "\xE2\x80\xA6") == 0;
	return n;
}

/* A Block Kit payload in short: "tN | hN | fN,N | sN | c:TEXT" (N code points, "..." after a
 * text cut with an ellipsis): the layout and limits at a glance. */
static char *
layout(const char *json)
{
	cJSON *j = cJSON_Parse(json), *b;
	struct sr_buf o;
	int ell;
	size_t n;

	assert_non_null(j);
	sr_buf_init(&o);
	n = cps(cJSON_GetObjectItem(j, "text")->valuestring, &ell);
	sr_buf_printf(&o, "t%zu%s", n, ell ? "..." : "");
	cJSON_ArrayForEach(b, cJSON_GetObjectItem(j, "blocks")) {
		const char *type = cJSON_GetObjectItem(b, "type")->valuestring;
		cJSON *f;

		if (strcmp(type, "context") == 0) {
			sr_buf_printf(&o, " | c:%s",
				      cJSON_GetObjectItem(cJSON_GetArrayItem(
					      cJSON_GetObjectItem(b, "elements"), 0), "text")->valuestring);
			continue;
		}
		if (cJSON_GetObjectItem(b, "fields")) {
			const char *sep = " | f";

			cJSON_ArrayForEach(f, cJSON_GetObjectItem(b, "fields")) {
				n = cps(cJSON_GetObjectItem(f, "text")->valuestring, &ell);
				sr_buf_printf(&o, "%s%zu%s", sep, n, ell ? "..." : "");
				sep = ",";
			}
			continue;
		}
		n = cps(cJSON_GetObjectItem(cJSON_GetObjectItem(b, "text"), "text")->valuestring,
			&ell);
		sr_buf_printf(&o, " | %c%zu%s", type[0], n, ell ? "..." : "");
	}
	cJSON_Delete(j);
	return sr_buf_steal(&o);
}

static char *
repeat(const char *pre, const char *unit, size_t n, const char *post)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_adds(&b, pre);
	for (size_t i = 0; i < n; i++)
		sr_buf_adds(&b, unit);
	sr_buf_adds(&b, post);
	return sr_buf_steal(&b);
}

/* Renders the user's alert template src as fmt and returns the payload. */
static char *
render_src(struct tdir *td, struct fx *f, const char *src, enum sr_slack_format fmt)
{
	tdir_put(td, "alert", src);
	return render(f, SR_SLACK_ALERT, fmt, T0 + 1000, td->dir);
}

static void
expect_layout(struct tdir *td, struct fx *f, const char *src, const char *want)
{
	char *s = render_src(td, f, src, SR_FMT_BLOCKS), *l = layout(s);

	check_blocks(s);
	assert_string_equal(l, want);
	free(l);
	free(s);
}

/* How the lines of the mrkdwn rendering become Block Kit: "Label: value" lines are fields
 * (ten to a section), other lines join into sections, empty lines vanish; and the exact
 * payload and the text a receiver shows for it. */
static void
test_blocks_layout(void **state)
{
	struct tdir td;
	struct fx f;
	char *s, *src, *err = NULL;
	struct sr_buf t;

	(void)state;
	tdir_open(&td);
	make(&f, "T");
	strcpy(f.inc.id, "INC-1");
	s = render_src(&td, &f, "Head {{title}}\nA: 1\nB-2/x 9: two\npara one\n\npara two\nx_y: z\n"
				"1abc: d\nLabel:x\nEnd:\nTime: 12:30\nE: \n", SR_FMT_BLOCKS);
	assert_string_equal(s,
		"{\"text\":\"Head T\",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":"
		"\"plain_text\",\"text\":\"Head T\",\"emoji\":true}},{\"type\":\"section\","
		"\"fields\":[{\"type\":\"mrkdwn\",\"text\":\"*A*\\n1\"},{\"type\":\"mrkdwn\","
		"\"text\":\"*B-2/x 9*\\ntwo\"}]},{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\","
		"\"text\":\"para one\\npara two\\nx_y: z\\n1abc: d\\nLabel:x\\nEnd:\"}},"
		"{\"type\":\"section\",\"fields\":[{\"type\":\"mrkdwn\",\"text\":\"*Time*\\n12:30\"},"
		"{\"type\":\"mrkdwn\",\"text\":\"*E*\\n\"}]},"
		"{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\","
		"\"text\":\"sitrep \xC2\xB7 #INC-1\"}]}]}");
	sr_buf_init(&t);
	assert_int_equal(sr_slack_payload_text(&t, s, strlen(s), &err), 0);
	assert_string_equal(t.data, "Head T\n*A*\n1\n*B-2/x 9*\ntwo\n"
				    "para one\npara two\nx_y: z\n1abc: d\nLabel:x\nEnd:\n"
				    "*Time*\n12:30\n*E*\n\nsitrep \xC2\xB7 #INC-1\n");
	sr_buf_done(&t);
	free(s);
	/* a label is at most 39 characters: letters, digits, space, - and / after a letter */
	src = repeat("Head\n", "L", 39, ": v\n");
	expect_layout(&td, &f, src, "t4 | h4 | f43 | c:sitrep \xC2\xB7 #INC-1");
	free(src);
	src = repeat("Head\n", "L", 40, ": v\n");
	expect_layout(&td, &f, src, "t4 | h4 | s43 | c:sitrep \xC2\xB7 #INC-1");
	free(src);
	expect_layout(&td, &f, "Head\nZz: v\nzZ: v\nab:c d\n",
		      "t4 | h4 | f6,6 | s6 | c:sitrep \xC2\xB7 #INC-1");
	/* a label starts with a letter, a to z and A to Z inclusive */
	expect_layout(&td, &f, "Head\na: v\nA: v\nz: v\nZ: v\n@a: v\n",
		      "t4 | h4 | f5,5,5,5 | s5 | c:sitrep \xC2\xB7 #INC-1");
	/* ten fields to a section */
	expect_layout(&td, &f, "Head\nF0: v\nF1: v\nF2: v\nF3: v\nF4: v\nF5: v\nF6: v\nF7: v\n"
			       "F8: v\nF9: v\nF10: v\nF11: v\n",
		      "t4 | h4 | f6,6,6,6,6,6,6,6,6,6 | f7,7 | c:sitrep \xC2\xB7 #INC-1");
	/* lines join while the section stays within 3,000 characters (with the newline) */
	src = repeat("Head\n", "a", 1000, "\n");
	s = repeat(src, "b", 1999, "\n");
	expect_layout(&td, &f, s, "t4 | h4 | s3000 | c:sitrep \xC2\xB7 #INC-1");
	free(s);
	s = repeat(src, "b", 2000, "\n");
	expect_layout(&td, &f, s, "t4 | h4 | s1000 | s2000 | c:sitrep \xC2\xB7 #INC-1");
	free(s);
	free(src);
	tdir_close(&td);
	done(&f);
}

/* Slack's limits, each at its edge, in code points (not bytes): the header (150), a section
 * (3,000), a field (2,000), the whole message (12,000 with room kept for the context), 50
 * blocks; what does not fit is counted in the context block. */
static void
test_blocks_limits(void **state)
{
	struct tdir td;
	struct fx f;
	char *src, *s;

	(void)state;
	tdir_open(&td);
	make(&f, "T");
	strcpy(f.inc.id, "INC-1");
	/* one edge each: the header, a section, a field ("*F*\n" + 1996 = 2000), just in and one over */
	static const struct {
		const char *pre;
		size_t n;
		const char *want;
	} edge[] = {
		{ "", 150, "t150 | h150" },
		{ "", 151, "t150... | h150..." },
		{ "Head\n", 3000, "t4 | h4 | s3000" },
		{ "Head\n", 3500, "t4 | h4 | s3000..." },
		{ "Head\nF: ", 1996, "t4 | h4 | f2000" },
		{ "Head\nF: ", 1997, "t4 | h4 | f2000..." },
	};
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
		char *want = repeat(edge[i].want, "", 0, " | c:sitrep \xC2\xB7 #INC-1");

		src = repeat(edge[i].pre, "\xC3\xA9", edge[i].n, "\n");
		expect_layout(&td, &f, src, want);
		free(want);
		free(src);
	}
	/* sections until the message's 12,000 (less 80 for the context) run out */
	src = repeat("Head\n", "", 0, "");
	for (int i = 0; i < 6; i++) {
		s = repeat(src, "c", 2900, "\n");
		free(src);
		src = s;
	}
	expect_layout(&td, &f, src, "t4 | h4 | s2900 | s2900 | s2900 | s2900 | s312... | "
				    "c:sitrep \xC2\xB7 #INC-1 \xC2\xB7 1 more not shown");
	free(src);
	/* fields until the message runs out: no empty field after the last one that fits */
	src = repeat("Head\n", "F: \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
			       "\xC3\xA9\n", 0, "");
	for (int i = 0; i < 8; i++) {
		s = repeat(src, "F: ", 1, "");
		free(src);
		src = repeat(s, "d", 1900, "\n");
		free(s);
	}
	expect_layout(&td, &f, src, "t4 | h4 | f1904,1904,1904,1904,1904,1904,488... | "
				    "c:sitrep \xC2\xB7 #INC-1 \xC2\xB7 1 more not shown");
	free(src);
	/* 50 blocks at most, the context block among them */
	src = repeat("Head\n", "F: v\np\n", 60, "");
	s = render_src(&td, &f, src, SR_FMT_BLOCKS);
	check_blocks(s);
	{
		char *l = layout(s), *want = repeat("t4 | h4", " | f5 | s1", 24,
						    " | c:sitrep \xC2\xB7 #INC-1 \xC2\xB7 "
						    "72 more not shown");

		assert_string_equal(l, want);
		free(want);
		free(l);
	}
	free(s);
	free(src);
	tdir_close(&td);
	done(&f);
}

/* What a receiver shows for a payload, and payloads that are not messages. */
static void
test_payload_text_shapes(void **state)
{
	static const struct {
		const char *payload, *want;
	} ok[] = {
		{ "{\"text\":\"plain\"}", "plain\n" },
		{ "{\"text\":\"plain\",\"blocks\":[]}", "plain\n" },
		{ "{\"text\":\"\"}", "" },
		{ "{\"blocks\":[{\"text\":{\"text\":\"a\"}},{\"text\":\"b\"},{\"text\":\"\"},"
		  "{\"text\":{\"text\":7}},"
		  "{\"fields\":[{\"text\":\"f1\"},{\"text\":\"f2\"}]},"
		  "{\"elements\":[{\"text\":\"e1\"},{\"text\":\"e2\"}]}],\"text\":\"top\"}",
		  "a\nb\nf1\nf2\ne1\ne2\n" },
	};
	static const char *const bad[] = { "[1]", "\"text\"", "{\"text\":", "" };
	struct sr_buf b;
	char *err = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		sr_buf_init(&b);
		sr_buf_adds(&b, "");
		assert_int_equal(sr_slack_payload_text(&b, ok[i].payload, strlen(ok[i].payload),
						       &err), 0);
		assert_string_equal(b.data, ok[i].want);
		sr_buf_done(&b);
	}
	/* only len bytes are read */
	sr_buf_init(&b);
	assert_int_equal(sr_slack_payload_text(&b, "{\"text\":\"x\"}garbage", 12, &err), 0);
	assert_string_equal(b.data, "x\n");
	sr_buf_done(&b);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sr_buf_init(&b);
		assert_int_equal(sr_slack_payload_text(&b, bad[i], strlen(bad[i]), &err), -1);
		assert_string_equal(err, "not a message payload (a JSON object)");
		free(err);
		err = NULL;
		assert_int_equal(b.len, 0);
		sr_buf_done(&b);
	}
}

/* Kind and format names, their parsers, the template directory beside the config. */
static void
test_names_and_dirs(void **state)
{
	enum sr_slack_format fmt = SR_FMT_TEXT;
	enum sr_slack_kind kind = SR_SLACK_ALERT;
	struct sr_config cfg;
	char *err = NULL, *dir;
	static const char *const fnames[] = { "text", "mrkdwn", "blocks", "mattermost" };

	(void)state;
	for (int k = 0; k < SR_SLACK_KIND_COUNT; k++) {
		assert_int_equal(sr_slack_kind_parse(sr_slack_kind_name((enum sr_slack_kind)k), &kind,
						     &err), 0);
		assert_int_equal(kind, k);
	}
	assert_string_equal(sr_slack_kind_title(SR_SLACK_ESCALATION), "INCIDENT ESCALATED");
	assert_string_equal(sr_slack_kind_title(SR_SLACK_EXEC), "EXECUTIVE SUMMARY");
	assert_string_equal(sr_slack_kind_title((enum sr_slack_kind)SR_SLACK_KIND_COUNT),
			    "INCIDENT UPDATE");
	assert_string_equal(sr_slack_kind_name(SR_SLACK_EXEC), "exec");
	assert_string_equal(sr_slack_kind_name((enum sr_slack_kind)SR_SLACK_KIND_COUNT), "update");
	for (int f = 0; f < 4; f++) {
		assert_string_equal(sr_slack_format_name((enum sr_slack_format)f), fnames[f]);
		assert_int_equal(sr_slack_format_parse(fnames[f], &fmt, &err), 0);
		assert_int_equal(fmt, f);
	}
	assert_string_equal(sr_slack_format_name((enum sr_slack_format)4), "text");
	assert_int_equal(sr_slack_format_parse("json", &fmt, &err), -1);
	assert_string_equal(err, "unknown format \"json\" (one of: text, mrkdwn, blocks, "
				 "mattermost)");
	free(err);
	err = NULL;
	assert_int_equal(sr_slack_kind_parse(NULL, &kind, &err), -1);
	assert_string_equal(err, "unknown message kind \"\" (one of: alert, update, resolved, "
				 "escalation, can, exec)");
	free(err);
	err = NULL;
	assert_int_equal(kind, SR_SLACK_KIND_COUNT - 1);

	sr_config_init(&cfg);
	cfg.path = sr_xstrdup("/etc/team/sitrep.conf");
	dir = sr_slack_template_dir(&cfg);
	assert_string_equal(dir, "/etc/team/templates");
	free(dir);
	free(cfg.path);
	cfg.path = sr_xstrdup("sitrep.conf");
	dir = sr_slack_template_dir(&cfg);
	assert_string_equal(dir, "./templates");
	free(dir);
	free(cfg.path);
	cfg.path = NULL;
	/* no path: beside the default config ($XDG_CONFIG_HOME, set by main) */
	dir = sr_slack_template_dir(&cfg);
	assert_string_equal(dir, "/nonexistent-sitrep-test/sitrep/templates");
	free(dir);
	dir = sr_slack_template_dir(NULL);
	assert_string_equal(dir, "/nonexistent-sitrep-test/sitrep/templates");
	free(dir);
	sr_config_done(&cfg);
}

/* Template and partial names, missing and unreadable templates, the partials limit (the
 * partials one message loads: each is kept for the whole message). */
static void
test_template_errors(void **state)
{
	struct tdir td;
	struct fx f;
	struct sr_buf b;
	char *err = NULL, *want, sub[128];
	struct sr_slack_input in;
	struct sr_tpl *t;

	(void)state;
	tdir_open(&td);
	make(&f, "T");
	in = (struct sr_slack_input){ .inc = &f.inc, .cfg = &f.cfg, .now = T0, .tpl_dir = td.dir };
	sr_buf_init(&b);
	/* a partial's name is checked before any file is read */
	tdir_put(&td, "alert", "x{{> Footer}}\n");
	assert_int_equal(sr_slack_render(&b, SR_SLACK_ALERT, SR_FMT_TEXT, &in, &err), -1);
	assert_string_equal(err, "bad template name \"Footer\" (letters, digits, - and _)");
	free(err);
	err = NULL;
	want = repeat("x{{> ", "a", 65, "}}\n");
	tdir_put(&td, "alert", want);
	free(want);
	assert_int_equal(sr_slack_render(&b, SR_SLACK_ALERT, SR_FMT_TEXT, &in, &err), -1);
	assert_non_null(strstr(err, "bad template name \"aaaa"));
	free(err);
	err = NULL;
	/* 64 characters, digits, - and _ are a name: looked for in the directory, then shipped */
	want = repeat("x{{> ", "a", 61, "_-9}}\n");
	tdir_put(&td, "alert", want);
	free(want);
	assert_int_equal(sr_slack_render(&b, SR_SLACK_ALERT, SR_FMT_TEXT, &in, &err), -1);
	want = repeat("no template \"", "a", 61, "_-9\" in ");
	assert_true(strncmp(err, want, strlen(want)) == 0);
	assert_string_equal(err + strlen(want), td.dir);
	free(want);
	free(err);
	err = NULL;
	/* every letter and digit is a name character, z and 9 included */
	tdir_put(&td, "alert", "x{{> zz9}}\n");
	assert_int_equal(sr_slack_render(&b, SR_SLACK_ALERT, SR_FMT_TEXT, &in, &err), -1);
	assert_true(strncmp(err, "no template \"zz9\" in ", 21) == 0);
	free(err);
	err = NULL;
	/* a shipped template as a partial */
	tdir_put(&td, "alert", "x {{> exec}}");
	assert_int_equal(sr_slack_render(&b, SR_SLACK_ALERT, SR_FMT_TEXT, &in, &err), 0);
	assert_true(strncmp(b.data, "x \xF0\x9F\x92\xBC EXECUTIVE SUMMARY: T\n", 26) == 0);
	b.len = 0;
	/* no directory: the shipped ones only */
	t = sr_slack_template(NULL, "nope", &err);
	assert_null(t);
	assert_string_equal(err, "no template \"nope\"");
	free(err);
	err = NULL;
	t = sr_slack_template(NULL, "", &err);
	assert_null(t);
	assert_string_equal(err, "bad template name \"\" (letters, digits, - and _)");
	free(err);
	err = NULL;
	/* a template that cannot be read is an error, not a reason to take the shipped one */
	snprintf(sub, sizeof(sub), "%s/update.mustache", td.dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(sr_slack_render(&b, SR_SLACK_UPDATE, SR_FMT_TEXT, &in, &err), -1);
	assert_non_null(strstr(err, "update.mustache"));
	free(err);
	err = NULL;
	/* so is a partial that cannot be read */
	tdir_put(&td, "alert", "x{{> update}}\n");
	assert_int_equal(sr_slack_render(&b, SR_SLACK_ALERT, SR_FMT_TEXT, &in, &err), -1);
	assert_non_null(strstr(err, "update.mustache"));
	free(err);
	err = NULL;
	assert_int_equal(rmdir(sub), 0);
	/* sixteen partials at most in one message */
	for (int i = 0; i < 17; i++) {
		snprintf(sub, sizeof(sub), "%s/p%d.mustache", td.dir, i);
		write_file(sub, "p");
	}
	want = repeat("", "", 0, "");
	for (int i = 0; i < 17; i++) {
		char *w = sr_xasprintf("%s{{> p%d}}", want, i);

		free(want);
		want = w;
		tdir_put(&td, "alert", want);
		b.len = 0;
		assert_int_equal(sr_slack_render(&b, SR_SLACK_ALERT, SR_FMT_TEXT, &in, &err), 0);
		/* the seventeenth renders as nothing, as a missing partial does */
		assert_int_equal(b.len, i < 16 ? (size_t)i + 1 : 16);
	}
	free(want);
	b.len = 0;
	for (int i = 0; i < 17; i++) {
		snprintf(sub, sizeof(sub), "%s/p%d.mustache", td.dir, i);
		unlink(sub);
	}
	assert_int_equal(b.len, 0);
	sr_buf_done(&b);
	tdir_close(&td);
	done(&f);
}

/* mrkdwn is cut at Slack's 12,000 code points and Mattermost at its 16,000, with "#### " in. */
static void
test_text_limits(void **state)
{
	struct tdir td;
	struct fx f;
	char *src, *s;
	int ell;
	cJSON *j;

	(void)state;
	tdir_open(&td);
	make(&f, "T");
	src = repeat("", "\xC3\xA9", 12000, "");
	s = render_src(&td, &f, src, SR_FMT_MRKDWN);
	assert_int_equal(cps(s, &ell), 12000);
	assert_false(ell);
	free(s);
	free(src);
	src = repeat("", "\xC3\xA9", 12001, "");
	s = render_src(&td, &f, src, SR_FMT_MRKDWN);
	assert_int_equal(cps(s, &ell), 12000);
	assert_true(ell);
	free(s);
	free(src);
	src = repeat("", "\xC3\xA9", 15995, "");
	s = render_src(&td, &f, src, SR_FMT_MATTERMOST);
	j = cJSON_Parse(s);
	assert_int_equal(cps(cJSON_GetObjectItem(j, "text")->valuestring, &ell), 16000);
	assert_false(ell);
	cJSON_Delete(j);
	free(s);
	free(src);
	src = repeat("", "\xC3\xA9", 15996, "");
	s = render_src(&td, &f, src, SR_FMT_MATTERMOST);
	j = cJSON_Parse(s);
	assert_int_equal(cps(cJSON_GetObjectItem(j, "text")->valuestring, &ell), 16000);
	assert_true(ell);
	cJSON_Delete(j);
	free(s);
	free(src);
	tdir_close(&td);
	done(&f);
}

/* No secret of the configuration goes out in a message, whatever field holds it, in any
 * format; what the buffer held before the message is not the render's to touch. */
static void
test_secret_masked(void **state)
{
	struct tdir td;
	struct fx f;
	char path[128], *err = NULL;

	(void)state;
	tdir_open(&td);
	make(&f, "token s3cr3t-tok-123 leaked");
	snprintf(path, sizeof(path), "%s/sitrep.conf", td.dir);
	write_file(path, "[prometheus]\nurl = http://h\ntoken = s3cr3t-tok-123\n");
	assert_int_equal(chmod(path, 0600), 0);
	sr_config_done(&f.cfg);
	sr_config_init(&f.cfg);
	if (sr_config_load(&f.cfg, path, 1, &err) != 0)
		fail_msg("%s", err);
	for (int fmt = SR_FMT_TEXT; fmt <= SR_FMT_MATTERMOST; fmt++) {
		struct sr_slack_input in = { .inc = &f.inc, .events = &f.ev, .cfg = &f.cfg,
					     .now = T0 + 60 };
		struct sr_buf b;

		sr_buf_init(&b);
		sr_buf_adds(&b, "before s3cr3t-tok-123|");
		assert_int_equal(sr_slack_render(&b, SR_SLACK_ALERT, (enum sr_slack_format)fmt, &in,
						 &err), 0);
		assert_true(strncmp(b.data, "before s3cr3t-tok-123|", 22) == 0);
		assert_null(strstr(b.data + 22, "s3cr3t"));
		assert_non_null(strstr(b.data + 22, "token "));
		assert_int_equal(strlen(b.data), b.len);
		sr_buf_done(&b);
	}
	unlink(path);
	tdir_close(&td);
	done(&f);
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
		cmocka_unit_test(test_data_fields),
		cmocka_unit_test(test_payloads_exact),
		cmocka_unit_test(test_blocks_layout),
		cmocka_unit_test(test_blocks_limits),
		cmocka_unit_test(test_payload_text_shapes),
		cmocka_unit_test(test_names_and_dirs),
		cmocka_unit_test(test_template_errors),
		cmocka_unit_test(test_text_limits),
		cmocka_unit_test(test_secret_masked),
	};

	/* the console's call reads templates beside the default config: keep the user's away */
	setenv("XDG_CONFIG_HOME", "/nonexistent-sitrep-test", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

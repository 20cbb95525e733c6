/* SPDX-License-Identifier: MIT */
/* test_slack.c: the plain-text incident messages the console previews. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "slack.h"

#define T0 1795403520	/* 2026-11-23T03:12:00Z */

static void
make(struct sr_incident *inc, struct sr_event_list *ev)
{
	char *err = NULL;

	memset(ev, 0, sizeof(*ev));
	assert_int_equal(sr_incident_new(inc, "Checkout API returning 5xx", "checkout", SR_SEV_P1,
					 "Customers cannot pay", "dana", T0, ev, &err), 0);
	strcpy(inc->id, "INC-2026-005");
}

static void
test_alert(void **state)
{
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev;
	struct sr_buf b;

	(void)state;
	sr_config_init(&cfg);
	make(&inc, &ev);
	assert_int_equal(sr_slack_kind_for(&inc), SR_SLACK_ALERT);
	sr_buf_init(&b);
	sr_slack_text(&b, SR_SLACK_ALERT, &inc, &cfg, T0 + 300);
	assert_string_equal(b.data,
			    "INCIDENT ALERT: Checkout API returning 5xx\n"
			    "Incident:    INC-2026-005\n"
			    "Severity:    P1\n"
			    "Service:     checkout\n"
			    "Impact:      Customers cannot pay\n"
			    "Status:      triggered\n"
			    "Commander:   -\n"
			    "Escalation:  L1 On-call engineer @oncall\n"
			    "ETA:         04:12 UTC (in 55m00s)\n"
			    "Next update: 03:27 UTC (in 10m00s)\n");
	sr_buf_done(&b);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_config_done(&cfg);
}

static void
test_update_and_resolved(void **state)
{
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev;
	struct sr_buf b;
	char *err = NULL;

	(void)state;
	sr_config_init(&cfg);
	make(&inc, &ev);
	assert_int_equal(sr_incident_update_sent(&inc, "#inc", "dana", T0 + 60, &ev, &err), 0);
	assert_int_equal(sr_incident_assign(&inc, SR_ROLE_COMMANDER, "sam", "dana", T0 + 60, &ev,
					    &err), 0);
	assert_int_equal(sr_slack_kind_for(&inc), SR_SLACK_UPDATE);
	sr_buf_init(&b);
	/* the update clock was restarted at T0+60: overdue 20 minutes later */
	sr_slack_text(&b, SR_SLACK_UPDATE, &inc, &cfg, T0 + 60 + 20 * 60);
	assert_non_null(strstr(b.data, "INCIDENT UPDATE: Checkout API returning 5xx\n"));
	assert_non_null(strstr(b.data, "Commander:   sam\n"));
	assert_non_null(strstr(b.data, "Next update: 03:28 UTC (overdue by 5m00s)\n"));
	sr_buf_done(&b);

	assert_int_equal(sr_incident_resolve(&inc, "bad deploy", "rolled back", "dana", T0 + 2400,
					     &ev, &err), 0);
	assert_int_equal(sr_slack_kind_for(&inc), SR_SLACK_RESOLVED);
	sr_buf_init(&b);
	sr_slack_text(&b, SR_SLACK_RESOLVED, &inc, &cfg, T0 + 4000);
	assert_non_null(strstr(b.data, "INCIDENT RESOLVED: Checkout API returning 5xx\n"));
	assert_non_null(strstr(b.data, "Duration:    40m00s\n"));
	assert_non_null(strstr(b.data, "Root cause:  bad deploy\n"));
	assert_non_null(strstr(b.data, "Resolution:  rolled back\n"));
	assert_null(strstr(b.data, "ETA:"));
	sr_buf_done(&b);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_config_done(&cfg);
}

/* Stored text cannot forge a line of the message: every line that starts at column 0 is one
 * the message drew, and no control character gets through. */
static void
test_forged_lines(void **state)
{
	static const char *const evil = "x\nStatus:      RESOLVED\r\nCommander:   mallory\xE2\x80\xA8"
					"Status: RESOLVED\033]52;c;AAAA\007\xC2\x9B";
	static const char *const heads[] = { "INCIDENT ", "Incident:", "Severity:", "Service:",
					     "Impact:", "Status:", "Commander:", "Escalation:",
					     "ETA:", "Next update:", "Duration:", "Root cause:",
					     "Resolution:", " " };
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	(void)state;
	sr_config_init(&cfg);
	assert_int_equal(sr_incident_new(&inc, evil, evil, SR_SEV_P2, evil, evil, T0, &ev, &err),
			 0);
	strcpy(inc.id, "INC-2026-007");
	sr_set_str(&inc.roles[SR_ROLE_COMMANDER], evil);
	sr_set_str(&inc.root_cause, evil);
	sr_set_str(&inc.resolution, evil);
	for (int kind = SR_SLACK_ALERT; kind <= SR_SLACK_RESOLVED; kind++) {
		struct sr_buf b;
		int status_lines = 0;

		sr_buf_init(&b);
		sr_slack_text(&b, (enum sr_slack_kind)kind, &inc, &cfg, T0 + 60);
		assert_null(strchr(b.data, '\033'));
		assert_null(strchr(b.data, '\r'));
		assert_null(strstr(b.data, "\xC2\x9B"));
		assert_null(strstr(b.data, "\xE2\x80\xA8"));
		for (const char *l = b.data; *l != '\0'; l = strchr(l, '\n') + 1) {
			size_t k;

			for (k = 0; k < sizeof(heads) / sizeof(heads[0]); k++)
				if (strncmp(l, heads[k], strlen(heads[k])) == 0)
					break;
			assert_true(k < sizeof(heads) / sizeof(heads[0]));
			if (strncmp(l, "Status:", 7) == 0)
				status_lines++;
		}
		assert_int_equal(status_lines, 1);
		sr_buf_done(&b);
	}
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_config_done(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alert),
		cmocka_unit_test(test_update_and_resolved),
		cmocka_unit_test(test_forged_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

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

/* At exactly the deadline second the text says "in 0s"; one second later it is overdue. */
static void
test_deadline_second(void **state)
{
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev;
	struct sr_buf b;
	sr_time upd, eta;

	(void)state;
	sr_config_init(&cfg);
	make(&inc, &ev);
	upd = T0 + cfg.sev[SR_SEV_P1].update_every;
	eta = T0 + cfg.sev[SR_SEV_P1].resolve;
	sr_buf_init(&b);
	sr_slack_text(&b, SR_SLACK_ALERT, &inc, &cfg, upd);
	assert_non_null(strstr(b.data, "Next update: 03:27 UTC (in 0s)\n"));
	sr_buf_done(&b);
	sr_buf_init(&b);
	sr_slack_text(&b, SR_SLACK_ALERT, &inc, &cfg, upd + 1);
	assert_non_null(strstr(b.data, "Next update: 03:27 UTC (overdue by 1s)\n"));
	sr_buf_done(&b);
	sr_buf_init(&b);
	sr_slack_text(&b, SR_SLACK_ALERT, &inc, &cfg, eta);
	assert_non_null(strstr(b.data, "ETA:         04:12 UTC (in 0s)\n"));
	sr_buf_done(&b);
	sr_buf_init(&b);
	sr_slack_text(&b, SR_SLACK_ALERT, &inc, &cfg, eta + 1);
	assert_non_null(strstr(b.data, "ETA:         04:12 UTC (overdue by 1s)\n"));
	sr_buf_done(&b);
	sr_buf_init(&b);
	sr_slack_text(&b, SR_SLACK_ALERT, &inc, &cfg, eta - 1);
	assert_non_null(strstr(b.data, "ETA:         04:12 UTC (in 1s)\n"));
	sr_buf_done(&b);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_config_done(&cfg);
}

/* Titles, kinds, escalation names and empty fields. */
static void
test_kinds_and_fields(void **state)
{
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev;
	struct sr_buf b;
	char *err = NULL;

	(void)state;
	assert_string_equal(sr_slack_kind_title(SR_SLACK_ALERT), "INCIDENT ALERT");
	assert_string_equal(sr_slack_kind_title(SR_SLACK_UPDATE), "INCIDENT UPDATE");
	assert_string_equal(sr_slack_kind_title(SR_SLACK_RESOLVED), "INCIDENT RESOLVED");
	assert_string_equal(sr_slack_kind_title((enum sr_slack_kind)3), "INCIDENT UPDATE");
	assert_string_equal(sr_slack_kind_title((enum sr_slack_kind)-1), "INCIDENT UPDATE");
	sr_config_init(&cfg);
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(sr_incident_new(&inc, "Disk", NULL, SR_SEV_P3, "", "dana", T0, &ev, &err),
			 0);
	strcpy(inc.id, "INC-2026-009");
	assert_int_equal(sr_incident_escalate(&inc, 1, &cfg, "dana", T0, &ev, &err), 0);
	sr_buf_init(&b);
	sr_slack_text(&b, sr_slack_kind_for(&inc), &inc, &cfg, T0);
	assert_non_null(strstr(b.data, "INCIDENT ALERT: Disk\n"));
	assert_non_null(strstr(b.data, "Service:     -\n"));
	assert_non_null(strstr(b.data, "Impact:      -\n"));
	assert_non_null(strstr(b.data, "Escalation:  L2 Tech lead @tech-lead\n"));
	sr_buf_done(&b);
	/* resolved then closed: still the resolved message, its duration up to the resolution */
	assert_int_equal(sr_incident_resolve(&inc, NULL, NULL, "dana", T0 + 90, &ev, &err), 0);
	assert_int_equal(sr_incident_close(&inc, "dana", T0 + 900, &ev, &err), 0);
	assert_int_equal(sr_slack_kind_for(&inc), SR_SLACK_RESOLVED);
	sr_buf_init(&b);
	sr_slack_text(&b, SR_SLACK_RESOLVED, &inc, &cfg, T0 + 5000);
	assert_non_null(strstr(b.data, "Status:      closed\n"));
	assert_non_null(strstr(b.data, "Duration:    1m30s\n"));
	assert_non_null(strstr(b.data, "Root cause:  -\n"));
	sr_buf_done(&b);
	/* a resolved message for an open incident: its duration so far */
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	make(&inc, &ev);
	sr_buf_init(&b);
	sr_slack_text(&b, SR_SLACK_RESOLVED, &inc, &cfg, T0 + 125);
	assert_non_null(strstr(b.data, "Duration:    2m05s\n"));
	sr_buf_done(&b);
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
		cmocka_unit_test(test_deadline_second),
		cmocka_unit_test(test_kinds_and_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

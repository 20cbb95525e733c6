/* SPDX-License-Identifier: MIT */
/* slack.c: plain-text incident status messages, the same text the console previews. */
#include <stdio.h>
#include <string.h>

#include "slack.h"
#include "text.h"

const char *
sr_slack_kind_title(enum sr_slack_kind k)
{
	static const char *const t[] = { "INCIDENT ALERT", "INCIDENT UPDATE",
					 "INCIDENT RESOLVED" };

	return (unsigned)k < SR_ARRAY_LEN(t) ? t[k] : "INCIDENT UPDATE";
}

enum sr_slack_kind
sr_slack_kind_for(const struct sr_incident *inc)
{
	if (!sr_incident_is_open(inc))
		return SR_SLACK_RESOLVED;
	return inc->last_update_at == 0 ? SR_SLACK_ALERT : SR_SLACK_UPDATE;
}

/* "Label:       value": a one-line field; a line break in value becomes a space. */
static void
line(struct sr_buf *b, const char *label, const char *value)
{
	sr_buf_printf(b, "%-12s ", label);
	value = value && *value ? value : "-";
	sr_text_sanitize(b, value, strlen(value), 0);
	sr_buf_addc(b, '\n');
}

/* A multi-line field (impact, cause, resolution): later lines under the value column, so no
 * stored line can pose as "Status: RESOLVED". */
static void
block(struct sr_buf *b, const char *label, const char *value)
{
	sr_buf_printf(b, "%-12s ", label);
	value = value && *value ? value : "-";
	sr_text_block(b, value, strlen(value), "             ", 0);
	sr_buf_addc(b, '\n');
}

/* "14:05 UTC (in 12m00s)" */
static void
at_text(char *buf, size_t n, sr_time t, sr_time now)
{
	char ts[32], dur[24];

	sr_time_format(t, ts, sizeof(ts));
	snprintf(buf, n, "%.5s UTC (%s %s)", ts + 11, t >= now ? "in" : "overdue by",
		 sr_duration_format(t >= now ? t - now : now - t, dur, sizeof(dur)));
}

void
sr_slack_text(struct sr_buf *out, enum sr_slack_kind kind, const struct sr_incident *inc,
	      const struct sr_config *cfg, sr_time now)
{
	struct sr_timers t;
	char buf[96], dur[24];

	sr_incident_timers(inc, cfg, now, &t);
	sr_buf_printf(out, "%s: ", sr_slack_kind_title(kind));
	sr_text_sanitize(out, inc->title ? inc->title : "", inc->title ? strlen(inc->title) : 0, 0);
	sr_buf_addc(out, '\n');
	line(out, "Incident:", inc->id);
	line(out, "Severity:", sr_sev_name(inc->sev));
	line(out, "Service:", inc->service);
	block(out, "Impact:", inc->impact);
	line(out, "Status:", sr_status_name(inc->status));
	line(out, "Commander:", inc->roles[SR_ROLE_COMMANDER]);
	snprintf(buf, sizeof(buf), "L%d %s %s", inc->level + 1,
		 cfg->level[inc->level].name ? cfg->level[inc->level].name : "",
		 cfg->level[inc->level].contact ? cfg->level[inc->level].contact : "");
	line(out, "Escalation:", buf);
	if (kind == SR_SLACK_RESOLVED) {
		sr_time end = inc->resolved_at ? inc->resolved_at : now;

		line(out, "Duration:", sr_duration_format(end - inc->created_at, dur, sizeof(dur)));
		block(out, "Root cause:", inc->root_cause);
		block(out, "Resolution:", inc->resolution);
		return;
	}
	if (t.resolve.due != 0) {
		at_text(buf, sizeof(buf), t.resolve.due, now);
		line(out, "ETA:", buf);
	} else {
		line(out, "ETA:", "unknown");
	}
	if (t.update.due != 0) {
		at_text(buf, sizeof(buf), t.update.due, now);
		line(out, "Next update:", buf);
	}
}

/* SPDX-License-Identifier: MIT */
/* slack.h: status messages for an incident as plain text (INCIDENT ALERT / UPDATE / RESOLVED). */
#ifndef SR_SLACK_H
#define SR_SLACK_H

#include "incident.h"
#include "util.h"

enum sr_slack_kind { SR_SLACK_ALERT, SR_SLACK_UPDATE, SR_SLACK_RESOLVED };

/* "INCIDENT ALERT", "INCIDENT UPDATE", "INCIDENT RESOLVED". */
const char *sr_slack_kind_title(enum sr_slack_kind k);
/* The message an incident calls for now: resolved, first (no update sent yet), or update. */
enum sr_slack_kind sr_slack_kind_for(const struct sr_incident *inc);

/*
 * Appends the plain-text message of kind for inc to out: a title line, then severity,
 * service, impact, status, commander, ETA (the resolve deadline while open), the next update
 * time (UTC) and, once resolved, duration, cause and resolution. Lines end with '\n'. Text
 * from the incident is sanitised (sr_text_sanitize) and its line structure kept out of the
 * message's: the title and one-line fields get spaces for breaks, impact, cause and
 * resolution get their later lines indented under the value column (sr_text_block).
 * Never fails.
 */
void sr_slack_text(struct sr_buf *out, enum sr_slack_kind kind, const struct sr_incident *inc,
		   const struct sr_config *cfg, sr_time now);

#endif

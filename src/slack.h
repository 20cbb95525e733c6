/* SPDX-License-Identifier: MIT */
/*
 * slack.h: incident status messages rendered from Mustache templates (shipped or the user's)
 * into plain text, Slack mrkdwn, Block Kit JSON within Slack's limits, or Mattermost.
 */
#ifndef SR_SLACK_H
#define SR_SLACK_H

#include "incident.h"
#include "oncall.h"
#include "matcher.h"
#include "template.h"
#include "util.h"

/* Message kinds: the template of each is data/templates/NAME.mustache. */
#define SR_SLACK_KINDS(X)                                    \
	X(ALERT, "alert", "INCIDENT ALERT")                  \
	X(UPDATE, "update", "INCIDENT UPDATE")               \
	X(RESOLVED, "resolved", "INCIDENT RESOLVED")         \
	X(ESCALATION, "escalation", "INCIDENT ESCALATED")    \
	X(CAN, "can", "CAN REPORT")                          \
	X(EXEC, "exec", "EXECUTIVE SUMMARY")

enum sr_slack_kind {
#define X(id, name, title) SR_SLACK_##id,
	SR_SLACK_KINDS(X)
#undef X
};
#define SR_SLACK_KIND_COUNT 6

/* "INCIDENT ALERT", "INCIDENT UPDATE", ... */
const char *sr_slack_kind_title(enum sr_slack_kind k);
/* "alert", "update", ... */
const char *sr_slack_kind_name(enum sr_slack_kind k);
/* Parses a kind name; fails naming the valid ones. */
int sr_slack_kind_parse(const char *s, enum sr_slack_kind *out, char **err);
/* The message an incident calls for now: resolved, first (no update sent yet), or update. */
enum sr_slack_kind sr_slack_kind_for(const struct sr_incident *inc);

enum sr_slack_format { SR_FMT_TEXT, SR_FMT_MRKDWN, SR_FMT_BLOCKS, SR_FMT_MATTERMOST };
/* "text", "mrkdwn", "blocks", "mattermost" */
const char *sr_slack_format_name(enum sr_slack_format f);
int sr_slack_format_parse(const char *s, enum sr_slack_format *out, char **err);

/* Slack's limits that Block Kit output always stays within (characters = code points). */
#define SR_BK_MAX_BLOCKS 50
#define SR_BK_MAX_HEADER 150
#define SR_BK_MAX_SECTION 3000
#define SR_BK_MAX_FIELDS 10
#define SR_BK_MAX_FIELD 2000
#define SR_BK_MAX_TOTAL 12000
#define SR_MM_MAX_TEXT 16000	/* Mattermost posts hold 16,383 characters */

/* A linked alert as a template sees it (fingerprint plus its labels, when the feed has them). */
struct sr_slack_alert {
	const char *fingerprint;
	const struct sr_label *labels;
	size_t n_labels;
};

/* Everything a message is built from. */
struct sr_slack_input {
	const struct sr_incident *inc;
	const struct sr_event_list *events;	/* its timeline, oldest first; NULL = none */
	const struct sr_slack_alert *alerts;	/* linked alerts with labels; may be NULL */
	size_t n_alerts;
	const struct sr_config *cfg;
	sr_time now;
	const char *tpl_dir;	/* the user's templates (NAME.mustache), NULL = shipped only */
	/* on-call overrides laid over rotation-backed levels (sr_store_overrides_at); may be NULL */
	const struct sr_override *overrides;
	size_t n_overrides;
	int ascii;		/* text format: no emoji, non-ASCII as '?' */
};

/*
 * Builds the data tree a template sees (documented in sitrep-templates(5)) into d: incident
 * fields, timers as text and seconds, escalation, roles, linked alerts, the timeline,
 * checklist progress and the on-call. fmt chooses the emoji style. Never fails.
 */
struct sr_tval *sr_slack_data(struct sr_tdata *d, const struct sr_slack_input *in,
			      enum sr_slack_format fmt);

/*
 * Loads template name ("alert", or a partial's name): tpl_dir/NAME.mustache when that file
 * exists, else the shipped one; parses it and checks every field it names against the data
 * model. Returns NULL with *err ("path:line:column: ...") on failure, or for an unknown name.
 */
struct sr_tpl *sr_slack_template(const char *tpl_dir, const char *name, char **err);

/*
 * Appends the message of kind for in->inc in fmt to out: text and mrkdwn as the message
 * text, blocks as a Slack payload {"text", "blocks"}, mattermost as {"text"}. Data is
 * escaped for the format whatever the template says; Block Kit stays within the SR_BK_*
 * limits by shortening with an ellipsis. Fails only on a template error (*err as above).
 */
int sr_slack_render(struct sr_buf *out, enum sr_slack_kind kind, enum sr_slack_format fmt,
		    const struct sr_slack_input *in, char **err);

/*
 * Appends to out the text a receiver shows for payload (len bytes), one line per line: for a
 * Block Kit payload the header, each section's text, each field's text and the context, in
 * block order; for a Mattermost payload (or any payload without blocks) its "text". What the
 * console's Slack view shows, so that it is the text that goes out. Returns 0, or -1 with *err
 * when payload is not such JSON.
 */
int sr_slack_payload_text(struct sr_buf *out, const char *payload, size_t len, char **err);

/*
 * The user's template directory: "templates" beside the config file (cfg->path, else the
 * default config path). Allocated; NULL when there is none.
 */
char *sr_slack_template_dir(const struct sr_config *cfg);

/*
 * Appends the plain-text message of kind for inc to out (what the console previews),
 * through the user's or shipped template; on a template error appends that error instead.
 * Text from the incident is sanitised and its line structure kept out of the message's:
 * one-line fields get spaces for breaks before they reach the template, multi-line fields
 * (impact, cause, resolution) get their later lines indented (sr_text_block).
 */
void sr_slack_text(struct sr_buf *out, enum sr_slack_kind kind, const struct sr_incident *inc,
		   const struct sr_config *cfg, sr_time now);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * outbox.h: status messages queued in the store with their "update sent" event, then
 * delivered to Slack (webhook or chat.postMessage in the incident's thread) or Mattermost:
 * Retry-After on 429, backoff on 5xx and timeouts, given up on other errors, one message at a
 * time per target at most every min_interval, exactly once or still visibly pending.
 */
#ifndef SR_OUTBOX_H
#define SR_OUTBOX_H

#include "config.h"
#include "http.h"
#include "slack.h"
#include "store.h"

/* The target named name, or the first one when name is NULL; NULL with *err when none. */
const struct sr_target *sr_outbox_target(const struct sr_config *cfg, const char *name,
					 char **err);

/* The format a target is sent in: Block Kit for Slack, Mattermost's payload for Mattermost. */
enum sr_slack_format sr_outbox_format(const struct sr_target *tg);

/*
 * Renders the kind's message for incident id (Block Kit for Slack, Mattermost's payload for
 * Mattermost), and stores it in the outbox together with its "update sent" timeline event
 * (which, while the incident is open, restarts the next-update timer). now is the
 * incident clock; now_ms the wall clock the outbox schedules by. Sets *msg_id.
 */
int sr_outbox_queue(struct sr_store *st, const struct sr_config *cfg,
		    const struct sr_target *tg, const char *id, enum sr_slack_kind kind,
		    const char *tpl_dir, const char *actor, sr_time now, int64_t now_ms,
		    int64_t *msg_id, char **err);

/* What one delivery pass did. */
struct sr_outbox_pass {
	int sent, failed, retry, unknown, recovered;
	int64_t wait_ms;	/* the next message is due in this long; -1 = nothing left to do */
};

/*
 * One delivery pass: first settles messages whose sender died mid-post (a chat.postMessage
 * one is looked up in the channel's history by its id in the message metadata: found means
 * delivered, else it is sent again; a webhook one becomes "unknown": it may have arrived,
 * the user retries or drops it). Then posts, per target, its oldest pending message when
 * due (order per channel is kept). pid (on this host, gethostname) marks this sender's
 * claims. Fails only when the store does; delivery failures are recorded on the messages.
 */
int sr_outbox_deliver(struct sr_store *st, const struct sr_config *cfg, struct sr_http *h,
		      int64_t pid, int64_t now_ms, struct sr_outbox_pass *pass, char **err);

/*
 * The same with the sender named whole: me->pid on me->host, now = me->at_ms. A message
 * another sender left SENDING is recovered when sr_outbox_claim_stale says so, after taking
 * its claim over atomically (of two recoverers one goes on).
 */
int sr_outbox_deliver_as(struct sr_store *st, const struct sr_config *cfg, struct sr_http *h,
			 const struct sr_outbox_claimer *me, struct sr_outbox_pass *pass,
			 char **err);

/*
 * Whether m's claim (SENDING) is dead as seen by me: made on me's host, its pid is not
 * running (and not me's); made on another host (or an unknown one), it is older than
 * lease_ms. 0 for a message that is not SENDING.
 */
int sr_outbox_claim_stale(const struct sr_outbox_msg *m, const struct sr_outbox_claimer *me,
			  int64_t lease_ms);

/* How long a claim on tg lasts: 4 times the longest post, at least 5 minutes. */
int64_t sr_outbox_lease_ms(const struct sr_target *tg);

/* Puts a failed or unknown message back to pending, due now. */
int sr_outbox_retry(struct sr_store *st, int64_t id, int64_t now_ms, char **err);

#endif

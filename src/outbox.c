/* SPDX-License-Identifier: MIT */
/* outbox.c: queueing status messages with their timeline event, and delivering them. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "outbox.h"
#include "template.h"
#include "text.h"

#define BACKOFF_MAX_MS 300000
/* The shortest lease of a claim (clocks of hosts differ a little; a post lasts seconds). */
#define LEASE_MIN_MS 300000
#define ERROR_MAX 200

const struct sr_target *
sr_outbox_target(const struct sr_config *cfg, const char *name, char **err)
{
	size_t best = SIZE_MAX;
	const char *near = NULL;

	if (cfg->n_targets == 0) {
		sr_err(err, "no message targets: add a [slack NAME] or [mattermost NAME] section "
			    "to the config");
		return NULL;
	}
	if (!name)
		return &cfg->targets[0];
	for (size_t i = 0; i < cfg->n_targets; i++) {
		size_t d = sr_edit_distance(name, cfg->targets[i].name);

		if (d == 0)
			return &cfg->targets[i];
		if (d < best) {
			best = d;
			near = cfg->targets[i].name;
		}
	}
	sr_err(err, "no target \"%s\" in the config%s%s%s", name, best <= 2 ? " (did you mean \"" : "",
	       best <= 2 ? near : "", best <= 2 ? "\"?)" : "");
	return NULL;
}

/* The message as one line for the timeline: lines joined with " / ". */
static char *
one_line(const char *text)
{
	struct sr_buf b;

	sr_buf_init(&b);
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			if (p[1])
				sr_buf_adds(&b, " / ");
		} else {
			sr_buf_addc(&b, *p);
		}
	}
	sr_buf_add(&b, "", 0);
	return sr_buf_steal(&b);
}

enum sr_slack_format
sr_outbox_format(const struct sr_target *tg)
{
	return tg->type == SR_TARGET_SLACK ? SR_FMT_BLOCKS : SR_FMT_MATTERMOST;
}

int
sr_outbox_queue(struct sr_store *st, const struct sr_config *cfg, const struct sr_target *tg,
		const char *id, enum sr_slack_kind kind, const char *tpl_dir, const char *actor,
		sr_time now, int64_t now_ms, int64_t *msg_id, char **err)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 }, add = { 0 };
	struct sr_override_list ov = { 0 };
	struct sr_outbox_msg m;
	struct sr_buf payload, text;
	char *line = NULL;
	int rc = -1;

	sr_incident_init(&inc);
	memset(&m, 0, sizeof(m));
	sr_buf_init(&payload);
	sr_buf_init(&text);
	if (sr_store_has_outbox(st, err) != 0)
		goto out;
	if (st->ops->get(st, id, &inc, err) != 0 || st->ops->events(st, id, &ev, err) != 0)
		goto out;
	sr_store_overrides_at(st, now, &ov);
	{
		struct sr_slack_input in = { .inc = &inc, .events = &ev, .cfg = cfg, .now = now,
					     .tpl_dir = tpl_dir, .overrides = ov.v,
					     .n_overrides = ov.n };

		if (sr_slack_render(&payload, kind, sr_outbox_format(tg), &in, err) != 0 ||
		    sr_slack_render(&text, kind, SR_FMT_TEXT, &in, err) != 0)
			goto out;
	}
	line = one_line(text.data);
	if (sr_incident_is_open(&inc)) {
		char *where = sr_xasprintf("%s: %s", tg->name, line);

		rc = sr_incident_update_sent(&inc, where, actor, now, &add, err);
		free(where);
		if (rc != 0)
			goto out;
		rc = -1;
	} else {
		sr_event_list_add(&add, now, actor, SR_EV_UPDATE_SENT, "status message sent to %s: %s",
				  tg->name, line);
	}
	snprintf(m.incident, sizeof(m.incident), "%s", inc.id);
	m.target = sr_xstrdup(tg->name);
	m.kind = sr_xstrdup(sr_slack_kind_name(kind));
	m.payload = sr_buf_steal(&payload);
	m.text = sr_buf_steal(&text);
	/* wall-clock seconds: the history lookup after a crash searches from here */
	m.created_at = now_ms / 1000;
	m.next_at = now_ms;
	if (st->ops->send(st, &inc, &add, &m, NULL, err) != 0)
		goto out;
	*msg_id = m.id;
	rc = 0;
out:
	free(line);
	sr_outbox_msg_done(&m);
	sr_buf_done(&payload);
	sr_buf_done(&text);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_event_list_done(&add);
	sr_override_list_done(&ov);
	return rc;
}

int
sr_outbox_retry(struct sr_store *st, int64_t id, int64_t now_ms, char **err)
{
	struct sr_outbox_filter f = { .id = id };
	struct sr_outbox_list l = { 0 };
	int rc = -1;

	if (sr_store_has_outbox(st, err) != 0)
		return -1;
	if (st->ops->outbox_list(st, &f, &l, err) != 0)
		return -1;
	if (l.n == 0)
		sr_err(err, "no message %lld in the outbox", (long long)id);
	else if (l.v[0].state != SR_OB_FAILED && l.v[0].state != SR_OB_UNKNOWN)
		sr_err(err, "message %lld is %s: only failed or unknown messages are retried",
		       (long long)id, sr_outbox_state_name(l.v[0].state));
	else {
		l.v[0].state = SR_OB_PENDING;
		l.v[0].next_at = now_ms;
		rc = st->ops->outbox_set(st, &l.v[0], err);
	}
	sr_outbox_list_done(&l);
	return rc;
}

/* --- one HTTP exchange --- */

struct exchange {
	long status;
	int64_t retry_after;
	char *body;
	char *err;
};

static void
on_done(void *arg, struct sr_http_response *r)
{
	struct exchange *x = arg;

	x->status = r->status;
	x->retry_after = r->retry_after;
	x->body = r->body;
	r->body = NULL;
	x->err = r->err ? sr_xstrdup(r->err) : NULL;
}

/* Runs one request to its end; transport failures land in x->err. */
static void
exchange(struct sr_http *h, const struct sr_http_request *rq, struct exchange *x)
{
	char *err = NULL;

	memset(x, 0, sizeof(*x));
	if (sr_http_submit(h, rq, on_done, x, &err) != 0 || sr_http_run(h, &err) != 0) {
		free(x->err);
		x->err = err;
		return;
	}
	free(err);
}

static void
exchange_done(struct exchange *x)
{
	free(x->body);
	free(x->err);
}

/* Slack's or the server's words for a failure, sanitised and short, never a secret. */
static char *
reason(const char *prefix, const char *s)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_adds(&b, prefix);
	sr_text_fit(&b, s ? s : "", ERROR_MAX, 0, 0);
	return sr_buf_steal(&b);
}

/* The thread of incident on target: the ts of its first delivered message, or NULL. */
static char *
thread_of(struct sr_store *st, const char *incident, const char *target, char **err, int *fail)
{
	struct sr_outbox_filter f = { .incident = incident, .target = target };
	struct sr_outbox_list l = { 0 };
	char *ts = NULL;

	*fail = st->ops->outbox_list(st, &f, &l, err) != 0;
	for (size_t i = 0; !*fail && i < l.n && !ts; i++)
		if (l.v[i].state == SR_OB_SENT && l.v[i].ts && *l.v[i].ts)
			ts = sr_xstrdup(l.v[i].ts);
	sr_outbox_list_done(&l);
	return ts;
}

/* The id a message carries in its metadata, so that its delivery can be found again. */
static char *
sitrep_id(const struct sr_outbox_msg *m)
{
	return sr_xasprintf("%s/%lld", m->incident, (long long)m->id);
}

/* payload with the channel, thread and metadata of a chat.postMessage call. */
static char *
post_body(const struct sr_outbox_msg *m, const struct sr_target *tg, const char *thread)
{
	struct sr_buf b;
	size_t len = strlen(m->payload);
	char *sid = sitrep_id(m);

	sr_buf_init(&b);
	while (len > 0 && m->payload[len - 1] != '}')
		len--;
	sr_buf_add(&b, m->payload, len ? len - 1 : 0);
	sr_buf_adds(&b, ",\"channel\":\"");
	sr_tpl_json_chars(&b, tg->channel, strlen(tg->channel));
	sr_buf_addc(&b, '"');
	if (thread) {
		sr_buf_adds(&b, ",\"thread_ts\":\"");
		sr_tpl_json_chars(&b, thread, strlen(thread));
		sr_buf_addc(&b, '"');
	}
	sr_buf_adds(&b, ",\"metadata\":{\"event_type\":\"sitrep_message\",\"event_payload\":"
			"{\"sitrep_id\":\"");
	sr_tpl_json_chars(&b, sid, strlen(sid));
	sr_buf_adds(&b, "\"}}}");
	free(sid);
	return sr_buf_steal(&b);
}

static int64_t
backoff_ms(int attempts)
{
	int64_t ms = 1000;

	for (int i = 1; i < attempts && ms < BACKOFF_MAX_MS; i++)
		ms *= 2;
	return ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS;
}

/* A Slack target with a bot token (chat.postMessage) rather than a webhook. */
static int
is_bot(const struct sr_target *tg)
{
	return tg->type == SR_TARGET_SLACK && !tg->webhook && !tg->webhook_file && !tg->webhook_env;
}

/* m is no sender's any more. */
static void
unclaim(struct sr_outbox_msg *m)
{
	m->claimed_by = 0;
	m->claimed_at = 0;
	free(m->claimed_host);
	m->claimed_host = NULL;
}

/* Applies the receiver's answer to m (state, next_at, error, ts). */
static void
judge(struct sr_outbox_msg *m, const struct sr_target *tg, const struct exchange *x,
      int64_t now_ms)
{
	int bot = is_bot(tg);

	free(m->error);
	m->error = NULL;
	unclaim(m);
	if (x->err || x->status >= 500 || x->status == 0) {
		m->state = SR_OB_PENDING;
		m->next_at = now_ms + backoff_ms(m->attempts);
		m->error = x->err ? sr_xstrdup(x->err) :
				    reason(x->status ? "server error: " : "no answer", x->body);
		if (x->status >= 500) {
			free(m->error);
			m->error = sr_xasprintf("HTTP %ld from %s (will retry)", x->status, tg->name);
		}
		return;
	}
	if (x->status == 429) {
		m->state = SR_OB_PENDING;
		m->next_at = now_ms + (x->retry_after > 0 ? x->retry_after * 1000 :
							     backoff_ms(m->attempts));
		m->error = sr_xasprintf("rate limited by %s: retry after %llds", tg->name,
					(long long)(x->retry_after > 0 ? x->retry_after : 1));
		return;
	}
	if (x->status < 200 || x->status >= 300) {
		m->state = SR_OB_FAILED;
		m->error = reason("", x->body && *x->body ? x->body : "rejected");
		return;
	}
	if (bot) {
		cJSON *j = cJSON_Parse(x->body ? x->body : "");
		const cJSON *ok = cJSON_GetObjectItemCaseSensitive(j, "ok");
		const cJSON *ts = cJSON_GetObjectItemCaseSensitive(j, "ts");
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");

		if (!cJSON_IsTrue(ok)) {
			const char *why = cJSON_IsString(e) ? e->valuestring : "not ok";

			if (strcmp(why, "ratelimited") == 0) {
				m->state = SR_OB_PENDING;
				m->next_at = now_ms + backoff_ms(m->attempts);
			} else {
				m->state = SR_OB_FAILED;
			}
			m->error = reason("", why);
			cJSON_Delete(j);
			return;
		}
		free(m->ts);
		m->ts = cJSON_IsString(ts) ? sr_text_clean(ts->valuestring) : NULL;
		cJSON_Delete(j);
	}
	m->state = SR_OB_SENT;
	m->sent_ms = now_ms;
}

/* Posts m to tg and records the outcome. */
static int
post(struct sr_store *st, const struct sr_target *tg, struct sr_http *h, struct sr_outbox_msg *m,
     int64_t now_ms, char **err)
{
	struct sr_http_request rq = { .method = "POST", .content_type = "application/json",
				      .t = &tg->t };
	struct exchange x;
	char *url = NULL, *body = NULL, *thread = NULL, *shown = NULL, *serr = NULL;
	int fail = 0;

	if (is_bot(tg)) {
		thread = thread_of(st, m->incident, tg->name, err, &fail);
		if (fail)
			return -1;
		/* the API URL is no secret (the token is): no shown_url, which would mask it as
		 * one in Slack's answers; the client shows it redacted of any userinfo itself */
		url = sr_http_join(tg->t.url, "/chat.postMessage");
		body = post_body(m, tg, thread);
	} else if (sr_http_secret(tg->webhook, tg->webhook_file, tg->webhook_env, "webhook URL",
				  &url, &serr) != 0 || !url || !sr_http_url_private_ok(url)) {
		/* a missing or unsafe webhook: nothing is sent, the message waits */
		m->state = SR_OB_PENDING;
		unclaim(m);
		m->next_at = now_ms + backoff_ms(m->attempts);
		free(m->error);
		m->error = serr ? sr_xasprintf("%s: %s", tg->name, serr) :
				  sr_xasprintf("%s: the webhook URL must be https (http only to a "
					       "loopback address)", tg->name);
		free(serr);
		free(url);
		return st->ops->outbox_set(st, m, err);
	} else {
		shown = sr_xasprintf("webhook of %s", tg->name);
		body = sr_xstrdup(m->payload);
	}
	rq.url = url;
	rq.body = body;
	rq.body_len = strlen(body);
	rq.shown_url = shown;
	exchange(h, &rq, &x);
	judge(m, tg, &x, now_ms);
	exchange_done(&x);
	free(url);
	free(body);
	free(thread);
	free(shown);
	return st->ops->outbox_set(st, m, err);
}

/* --- recovery of messages whose sender died --- */

static int
alive(int64_t pid)
{
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

int64_t
sr_outbox_lease_ms(const struct sr_target *tg)
{
	int64_t post = 4 * (tg->t.connect_timeout_ms + tg->t.timeout_ms);

	return post > LEASE_MIN_MS ? post : LEASE_MIN_MS;
}

int
sr_outbox_claim_stale(const struct sr_outbox_msg *m, const struct sr_outbox_claimer *me,
		      int64_t lease_ms)
{
	if (m->state != SR_OB_SENDING)
		return 0;
	if (m->claimed_host != NULL && me->host != NULL && strcmp(m->claimed_host, me->host) == 0)
		return m->claimed_by != me->pid && !alive(m->claimed_by);
	/* another host's pid means nothing here: only the lease can tell */
	return me->at_ms - m->claimed_at >= lease_ms;
}

/*
 * Whether the channel's history holds m (by the sitrep_id in its metadata): 1 found (ts set),
 * 0 not found, -1 cannot tell.
 */
static int
in_history(const struct sr_target *tg, struct sr_http *h, struct sr_outbox_msg *m)
{
	struct sr_buf q;
	struct sr_http_request rq = { .t = &tg->t };
	struct exchange x;
	char *url, *sid = sitrep_id(m);
	int found = -1;
	cJSON *j;

	sr_buf_init(&q);
	sr_buf_adds(&q, "/conversations.history?include_all_metadata=true&limit=999&channel=");
	sr_http_urlencode(&q, tg->channel);
	sr_buf_printf(&q, "&oldest=%lld", (long long)(m->created_at - 1));
	url = sr_http_join(tg->t.url, q.data);
	rq.url = url;	/* no shown_url: not a secret (see post) */
	exchange(h, &rq, &x);
	j = x.status == 200 ? cJSON_Parse(x.body) : NULL;
	if (j && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ok"))) {
		const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(j, "messages"), *it;

		found = 0;
		cJSON_ArrayForEach(it, msgs) {
			const cJSON *md = cJSON_GetObjectItemCaseSensitive(it, "metadata");
			const cJSON *pl = cJSON_GetObjectItemCaseSensitive(md, "event_payload");
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(pl, "sitrep_id");
			const cJSON *ts = cJSON_GetObjectItemCaseSensitive(it, "ts");

			if (cJSON_IsString(id) && strcmp(id->valuestring, sid) == 0) {
				free(m->ts);
				m->ts = cJSON_IsString(ts) ? sr_text_clean(ts->valuestring) : NULL;
				found = 1;
				break;
			}
		}
	}
	cJSON_Delete(j);
	exchange_done(&x);
	free(url);
	free(sid);
	sr_buf_done(&q);
	return found;
}

static int
recover(struct sr_store *st, const struct sr_target *tg, struct sr_http *h,
	struct sr_outbox_msg *m, const struct sr_outbox_claimer *me,
	struct sr_outbox_pass *pass, char **err)
{
	struct sr_outbox_claimer take = *me;
	int64_t now_ms = me->at_ms;
	int found, claimed = 0;

	/* first take the stale claim over: of two senders judging it so, one goes on */
	take.seen_at = m->claimed_at;
	if (st->ops->outbox_claim(st, m->id, SR_OB_SENDING, &take, &claimed, err) != 0)
		return -1;
	if (!claimed)
		return 0;
	found = is_bot(tg) ? in_history(tg, h, m) : -2;
	free(m->error);
	m->error = NULL;
	unclaim(m);
	if (found == -1)	/* cannot tell now: an orphaned claim (no host), asked again next pass */
		return st->ops->outbox_set(st, m, err);
	if (found == 1) {
		m->state = SR_OB_SENT;
		m->sent_ms = now_ms;
	} else if (found == 0) {
		m->state = SR_OB_PENDING;
		m->next_at = now_ms;
	} else {
		m->state = SR_OB_UNKNOWN;
		m->error = sr_xstrdup("its sender stopped while posting: it may have arrived (a "
				      "webhook gives no receipt); retry or drop it");
	}
	pass->recovered++;
	return st->ops->outbox_set(st, m, err);
}

int
sr_outbox_deliver(struct sr_store *st, const struct sr_config *cfg, struct sr_http *h,
		  int64_t pid, int64_t now_ms, struct sr_outbox_pass *pass, char **err)
{
	char host[256];
	struct sr_outbox_claimer me = { .pid = pid, .host = host, .at_ms = now_ms };

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	return sr_outbox_deliver_as(st, cfg, h, &me, pass, err);
}

int
sr_outbox_deliver_as(struct sr_store *st, const struct sr_config *cfg, struct sr_http *h,
		     const struct sr_outbox_claimer *me, struct sr_outbox_pass *pass, char **err)
{
	int64_t now_ms = me->at_ms;

	memset(pass, 0, sizeof(*pass));
	pass->wait_ms = -1;
	if (sr_store_has_outbox(st, err) != 0)
		return -1;
	for (size_t t = 0; t < cfg->n_targets; t++) {
		const struct sr_target *tg = &cfg->targets[t];
		struct sr_outbox_filter f = { .target = tg->name, .undelivered = 1 };
		struct sr_outbox_list l = { 0 };
		struct sr_outbox_msg *next = NULL;
		int64_t last_ms = 0;
		int rc = 0;

		if (st->ops->outbox_list(st, &f, &l, err) != 0)
			return -1;
		for (size_t i = 0; i < l.n && rc == 0; i++) {
			struct sr_outbox_msg *m = &l.v[i];

			if (sr_outbox_claim_stale(m, me, sr_outbox_lease_ms(tg)))
				rc = recover(st, tg, h, m, me, pass, err);
			if (m->state == SR_OB_SENT)
				last_ms = m->sent_ms > last_ms ? m->sent_ms : last_ms;
			if (!next && (m->state == SR_OB_PENDING || m->state == SR_OB_SENDING))
				next = m;	/* the oldest undelivered one goes first */
		}
		if (rc == 0 && next && next->state == SR_OB_PENDING) {
			struct sr_outbox_filter sf = { .target = tg->name };
			struct sr_outbox_list sent = { 0 };
			int64_t due = next->next_at;

			/* the rate limit counts the last delivery on this target */
			rc = st->ops->outbox_list(st, &sf, &sent, err);
			for (size_t i = 0; rc == 0 && i < sent.n; i++)
				if (sent.v[i].sent_ms > last_ms)
					last_ms = sent.v[i].sent_ms;
			sr_outbox_list_done(&sent);
			if (last_ms + tg->min_interval * 1000 > due)
				due = last_ms + tg->min_interval * 1000;
			if (rc == 0 && due > now_ms) {
				if (pass->wait_ms < 0 || due - now_ms < pass->wait_ms)
					pass->wait_ms = due - now_ms;
			} else if (rc == 0) {
				int claimed = 0;

				rc = st->ops->outbox_claim(st, next->id, SR_OB_PENDING, me, &claimed,
							   err);
				if (rc == 0 && claimed) {
					next->attempts++;
					next->claimed_by = me->pid;
					free(next->claimed_host);
					next->claimed_host = me->host ? sr_xstrdup(me->host) : NULL;
					next->claimed_at = now_ms;
					rc = post(st, tg, h, next, now_ms, err);
					if (rc == 0) {
						pass->sent += next->state == SR_OB_SENT;
						pass->failed += next->state == SR_OB_FAILED;
						pass->retry += next->state == SR_OB_PENDING;
						pass->wait_ms = 0;	/* look again at once */
					}
				}
			}
		}
		for (size_t i = 0; i < l.n; i++)
			pass->unknown += l.v[i].state == SR_OB_UNKNOWN;
		sr_outbox_list_done(&l);
		if (rc != 0)
			return -1;
	}
	return 0;
}

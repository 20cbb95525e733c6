/* SPDX-License-Identifier: MIT */
/*
 * test_outbox.c: the outbox against a local scripted receiver (http_server.py): queueing
 * with the timeline event, delivery to a webhook, to chat.postMessage (threads, Slack errors)
 * and to Mattermost, backoff on 5xx and transport failures, 429 with and without Retry-After,
 * giving up on other errors, the per-target rate limit and order, claims, recovery of messages
 * whose sender died, retry. Every time is passed in (no clock, no sleeping): the backoff and
 * Retry-After are checked as next_at values, not waited for.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "outbox.h"
#include "store.h"
#include "stand_in.h"
#include "tmpdir.h"

#define T0 1772359200		/* the incident's creation, seconds */
#define NOW_MS (((int64_t)T0 + 600) * 1000 + 250)	/* the wall clock of the queue calls */
#define TOKEN "xoxb-test-51d0"

static char dir[256];
static pid_t rx_pid;
static int rx_fd = -1;
static int rx_port;
static int closed_port;

/* --- the receiver --- */

static int
group_setup(void **state)
{
	(void)state;
	sr_test_tmp(dir, sizeof dir, "sitrep-outbox");
	if (!mkdtemp(dir))
		return -1;
	rx_port = sr_test_stand_in(SR_HTTP_SERVER, &rx_pid, &rx_fd);
	if (rx_port <= 0)
		return -1;
	/* a port nobody listens on: bind one, note it, close it */
	{
		struct sockaddr_in a = { .sin_family = AF_INET };
		socklen_t len = sizeof(a);
		int s = socket(AF_INET, SOCK_STREAM, 0);

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
		    getsockname(s, (struct sockaddr *)&a, &len) != 0)
			return -1;
		closed_port = ntohs(a.sin_port);
		close(s);
	}
	setenv("SR_TEST_TOKEN", TOKEN, 1);
	return rx_port > 0 ? 0 : -1;
}

static int
group_teardown(void **state)
{
	char cmd[300];

	(void)state;
	if (rx_pid > 0) {
		kill(rx_pid, SIGTERM);
		waitpid(rx_pid, NULL, 0);
	}
	if (rx_fd >= 0)
		close(rx_fd);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct got {
	long status;
	char *body;
};

static void
on_got(void *arg, struct sr_http_response *r)
{
	struct got *g = arg;

	g->status = r->status;
	g->body = r->body;
	r->body = NULL;
}

/* A control request to the receiver; returns its answer's body (caller frees). */
static char *
control(const char *method, const char *path, const char *body)
{
	char *err = NULL, *url = sr_xasprintf("http://127.0.0.1:%d%s", rx_port, path);
	struct sr_http *h = sr_http_new(&err);
	struct sr_http_request rq = { .method = method, .url = url, .body = body,
				      .body_len = body ? strlen(body) : 0 };
	struct got g = { 0 };

	assert_non_null(h);
	assert_int_equal(sr_http_submit(h, &rq, on_got, &g, &err), 0);
	assert_int_equal(sr_http_run(h, &err), 0);
	assert_int_equal(g.status, 200);
	sr_http_free(h);
	free(url);
	return g.body;
}

/* Queues the receiver's next answer (headers: a JSON object or NULL). */
static void
answer(int status, const char *headers, const char *body)
{
	cJSON *a = cJSON_CreateObject();
	char *s;

	cJSON_AddNumberToObject(a, "status", status);
	cJSON_AddStringToObject(a, "body", body);
	if (headers)
		cJSON_AddItemToObject(a, "headers", cJSON_Parse(headers));
	s = cJSON_PrintUnformatted(a);
	free(control("POST", "/_answer", s));
	free(s);
	cJSON_Delete(a);
}

/* What arrived since the last call: a JSON array of requests (caller deletes). */
static cJSON *
arrived(void)
{
	char *s = control("GET", "/_log", NULL);
	cJSON *j = cJSON_Parse(s);

	free(s);
	assert_true(cJSON_IsArray(j));
	return j;
}

static const char *
field(const cJSON *req, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(req, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* --- the fixture: a store, a config with its targets, an HTTP client --- */

struct fx {
	char db[400];
	struct sr_store *st;
	struct sr_config cfg;
	struct sr_http *h;
	char id[SR_ID_MAX];
};

static int
setup(void **state)
{
	static int n;
	struct fx *f = calloc(1, sizeof(*f));
	char path[400], *err = NULL, *conf;
	FILE *fp;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };

	free(control("POST", "/_reset", NULL));
	snprintf(path, sizeof path, "%s/c%d.conf", dir, n);
	conf = sr_xasprintf("[slack hook]\nwebhook_env = SR_TEST_HOOK\n"
			    "[slack bot]\ntoken_env = SR_TEST_TOKEN\nchannel = C1\n"
			    "api_url = http://127.0.0.1:%d/slack/api\nmin_interval = 0\n"
			    "[mattermost mm]\nwebhook_env = SR_TEST_MM\nmin_interval = 30s\n"
			    "[slack refused]\nwebhook_env = SR_TEST_REFUSED\n"
			    "[slack far]\nwebhook_env = SR_TEST_FAR\n"
			    "[slack nohook]\nwebhook_env = SR_TEST_UNSET\n", rx_port);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(conf, fp);
	fclose(fp);
	free(conf);
	{
		char *u = sr_xasprintf("http://127.0.0.1:%d/slack/hook/a", rx_port);

		setenv("SR_TEST_HOOK", u, 1);
		free(u);
		u = sr_xasprintf("http://127.0.0.1:%d/slack/mm/b", rx_port);
		setenv("SR_TEST_MM", u, 1);
		free(u);
		u = sr_xasprintf("http://127.0.0.1:%d/hook/r", closed_port);
		setenv("SR_TEST_REFUSED", u, 1);
		free(u);
		setenv("SR_TEST_FAR", "http://example.com/hook/far", 1);
		unsetenv("SR_TEST_UNSET");
	}
	sr_config_init(&f->cfg);
	if (sr_config_load(&f->cfg, path, 1, &err) != 0)
		fail_msg("%s", err);
	snprintf(f->db, sizeof f->db, "%s/s%d.db", dir, n++);
	f->st = sr_store_open(f->db, &err);
	if (!f->st)
		fail_msg("%s", err);
	f->h = sr_http_new(&err);
	assert_non_null(f->h);
	assert_int_equal(sr_incident_new(&inc, "Checkout API 5xx", "checkout", SR_SEV_P1, NULL,
					 "dana", T0, &ev, &err), 0);
	assert_int_equal(f->st->ops->create(f->st, &inc, &ev, &err), 0);
	snprintf(f->id, sizeof f->id, "%s", inc.id);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	sr_http_free(f->h);
	sr_store_close(f->st);
	sr_config_done(&f->cfg);
	free(f);
	return 0;
}

static const struct sr_target *
target(struct fx *f, const char *name)
{
	char *err = NULL;
	const struct sr_target *tg = sr_outbox_target(&f->cfg, name, &err);

	if (!tg)
		fail_msg("%s", err);
	return tg;
}

static int64_t
queue(struct fx *f, const char *to, int64_t now_ms)
{
	char *err = NULL;
	int64_t id = 0;

	if (sr_outbox_queue(f->st, &f->cfg, target(f, to), f->id, SR_SLACK_UPDATE, NULL, "dana",
			    T0 + 600, now_ms, &id, &err) != 0)
		fail_msg("%s", err);
	assert_true(id > 0);
	return id;
}

/* Message id as stored now (caller calls sr_outbox_msg_done). */
static struct sr_outbox_msg
stored(struct fx *f, int64_t id)
{
	struct sr_outbox_filter flt = { .id = id };
	struct sr_outbox_list l = { 0 };
	struct sr_outbox_msg m;
	char *err = NULL;

	assert_int_equal(f->st->ops->outbox_list(f->st, &flt, &l, &err), 0);
	assert_int_equal(l.n, 1);
	m = l.v[0];
	memset(&l.v[0], 0, sizeof(l.v[0]));
	sr_outbox_list_done(&l);
	return m;
}

/* One delivery pass by this process at now_ms. */
static struct sr_outbox_pass
deliver(struct fx *f, int64_t now_ms)
{
	struct sr_outbox_pass p;
	char *err = NULL;

	if (sr_outbox_deliver(f->st, &f->cfg, f->h, getpid(), now_ms, &p, &err) != 0)
		fail_msg("%s", err);
	return p;
}

static void
expect_pass(struct sr_outbox_pass p, int sent, int failed, int retry, int unknown, int recovered,
	    int64_t wait_ms)
{
	assert_int_equal(p.sent, sent);
	assert_int_equal(p.failed, failed);
	assert_int_equal(p.retry, retry);
	assert_int_equal(p.unknown, unknown);
	assert_int_equal(p.recovered, recovered);
	assert_int_equal(p.wait_ms, wait_ms);
}

/* Stores m's fields (state, attempts, claimed_by, next_at...) as they are. */
static void
put(struct fx *f, const struct sr_outbox_msg *m)
{
	char *err = NULL;

	if (f->st->ops->outbox_set(f->st, m, &err) != 0)
		fail_msg("%s", err);
}

/*
 * m claimed by pid on this host, now (NOW_MS): judged by whether pid runs, as a claim of this
 * host is; another host's claim waits for its lease (test_outbox_hosts in test_store).
 */
static void
claim_here(struct sr_outbox_msg *m, pid_t pid)
{
	char host[256];

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	m->claimed_by = pid;
	free(m->claimed_host);
	m->claimed_host = sr_xstrdup(host);
	m->claimed_at = NOW_MS;
}

/* --- targets --- */

static void
test_target_by_name(void **state)
{
	struct fx *f = *state;
	struct sr_config none;
	char *err = NULL;

	assert_string_equal(sr_outbox_target(&f->cfg, NULL, &err)->name, "hook");
	assert_string_equal(sr_outbox_target(&f->cfg, "mm", &err)->name, "mm");
	assert_ptr_equal(sr_outbox_target(&f->cfg, "far", &err), &f->cfg.targets[4]);
	/* two edits away: suggested; three: not */
	assert_null(sr_outbox_target(&f->cfg, "hok", &err));
	assert_string_equal(err, "no target \"hok\" in the config (did you mean \"hook\"?)");
	free(err);
	err = NULL;
	assert_null(sr_outbox_target(&f->cfg, "hoxx", &err));
	assert_string_equal(err, "no target \"hoxx\" in the config (did you mean \"hook\"?)");
	free(err);
	err = NULL;
	assert_null(sr_outbox_target(&f->cfg, "hxxx", &err));
	assert_string_equal(err, "no target \"hxxx\" in the config");
	free(err);
	err = NULL;
	/* the nearest of several: "bo" is 1 from "bot", 3 from "hook", 2 from "mm" */
	assert_null(sr_outbox_target(&f->cfg, "bo", &err));
	assert_string_equal(err, "no target \"bo\" in the config (did you mean \"bot\"?)");
	free(err);
	err = NULL;
	sr_config_init(&none);
	assert_null(sr_outbox_target(&none, NULL, &err));
	assert_non_null(strstr(err, "no message targets"));
	free(err);
	sr_config_done(&none);
}

/* --- queueing --- */

static void
test_queue_stores_message_and_event(void **state)
{
	struct fx *f = *state;
	int64_t id = queue(f, "hook", NOW_MS);
	struct sr_outbox_msg m = stored(f, id);
	struct sr_event_list ev = { 0 };
	struct sr_incident inc;
	struct sr_buf want;
	char *err = NULL;

	assert_int_equal(m.state, SR_OB_PENDING);
	assert_int_equal(m.attempts, 0);
	assert_int_equal(m.next_at, NOW_MS);
	assert_int_equal(m.created_at, NOW_MS / 1000);
	assert_string_equal(m.target, "hook");
	assert_string_equal(m.kind, "update");
	assert_string_equal(m.incident, f->id);
	assert_null(m.error);
	/* Block Kit for Slack, the text kept for people */
	assert_non_null(strstr(m.payload, "\"blocks\""));
	assert_non_null(strstr(m.text, "INCIDENT UPDATE"));
	assert_non_null(strchr(m.text, '\n'));

	/* the timeline says where it went and what it said, on one line */
	sr_buf_init(&want);
	sr_buf_adds(&want, "status update sent to hook: ");
	for (const char *p = m.text; *p; p++)
		if (*p != '\n')
			sr_buf_addc(&want, *p);
		else if (p[1])
			sr_buf_adds(&want, " / ");
	sr_buf_add(&want, "", 0);
	assert_int_equal(f->st->ops->events(f->st, f->id, &ev, &err), 0);
	assert_int_equal(ev.v[ev.n - 1].kind, SR_EV_UPDATE_SENT);
	assert_string_equal(ev.v[ev.n - 1].detail, want.data);
	assert_int_equal(ev.v[ev.n - 1].at, T0 + 600);
	assert_string_equal(ev.v[ev.n - 1].actor, "dana");
	/* and the next-update timer restarts */
	sr_incident_init(&inc);
	assert_int_equal(f->st->ops->get(f->st, f->id, &inc, &err), 0);
	assert_int_equal(inc.last_update_at, T0 + 600);
	sr_incident_done(&inc);
	sr_buf_done(&want);
	sr_event_list_done(&ev);
	sr_outbox_msg_done(&m);

	/* Mattermost gets its own payload */
	m = stored(f, queue(f, "mm", NOW_MS));
	assert_null(strstr(m.payload, "\"blocks\""));
	assert_non_null(strstr(m.payload, "\"text\""));
	sr_outbox_msg_done(&m);
}

/* A resolved incident's message is still sent and noted, without touching its timers. */
static void
test_queue_resolved_incident(void **state)
{
	struct fx *f = *state;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_outbox_msg m;
	char *err = NULL;
	int conflict = 0;
	int64_t id = 0;

	sr_incident_init(&inc);
	assert_int_equal(f->st->ops->get(f->st, f->id, &inc, &err), 0);
	assert_int_equal(sr_incident_resolve(&inc, "bad deploy", "rolled back", "dana", T0 + 300,
					     &ev, &err), 0);
	assert_int_equal(f->st->ops->update(f->st, &inc, &ev, &conflict, &err), 0);
	sr_event_list_done(&ev);
	assert_int_equal(sr_outbox_queue(f->st, &f->cfg, target(f, "hook"), f->id,
					 SR_SLACK_RESOLVED, NULL, "dana", T0 + 600, NOW_MS, &id,
					 &err), 0);
	m = stored(f, id);
	assert_string_equal(m.kind, "resolved");
	assert_int_equal(f->st->ops->events(f->st, f->id, &ev, &err), 0);
	assert_int_equal(ev.v[ev.n - 1].kind, SR_EV_UPDATE_SENT);
	assert_true(strncmp(ev.v[ev.n - 1].detail, "status message sent to hook: ", 29) == 0);
	assert_non_null(strstr(ev.v[ev.n - 1].detail, "INCIDENT RESOLVED"));
	assert_null(strchr(ev.v[ev.n - 1].detail, '\n'));
	sr_event_list_done(&ev);
	sr_incident_done(&inc);
	sr_incident_init(&inc);
	assert_int_equal(f->st->ops->get(f->st, f->id, &inc, &err), 0);
	assert_int_equal(inc.status, SR_ST_RESOLVED);
	sr_incident_done(&inc);
	sr_outbox_msg_done(&m);
	/* an unknown incident: nothing queued */
	assert_int_equal(sr_outbox_queue(f->st, &f->cfg, target(f, "hook"), "INC-1999-001",
					 SR_SLACK_UPDATE, NULL, "dana", T0, NOW_MS, &id, &err), -1);
	free(err);
}

/* --- delivery to a webhook --- */

static void
test_webhook_delivered(void **state)
{
	struct fx *f = *state;
	int64_t id = queue(f, "hook", NOW_MS);
	struct sr_outbox_msg m = stored(f, id);
	cJSON *got;
	char *payload = sr_xstrdup(m.payload);

	sr_outbox_msg_done(&m);
	/* not due yet: nothing posted, the wait until it is */
	expect_pass(deliver(f, NOW_MS - 1500), 0, 0, 0, 0, 0, 1500);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 0);
	cJSON_Delete(got);

	expect_pass(deliver(f, NOW_MS + 5), 1, 0, 0, 0, 0, 0);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 1);
	assert_string_equal(field(cJSON_GetArrayItem(got, 0), "method"), "POST");
	assert_string_equal(field(cJSON_GetArrayItem(got, 0), "path"), "/slack/hook/a");
	assert_string_equal(field(cJSON_GetArrayItem(got, 0), "type"), "application/json");
	assert_string_equal(field(cJSON_GetArrayItem(got, 0), "body"), payload);
	cJSON_Delete(got);
	m = stored(f, id);
	assert_int_equal(m.state, SR_OB_SENT);
	assert_int_equal(m.attempts, 1);
	assert_int_equal(m.sent_ms, NOW_MS + 5);
	assert_int_equal(m.claimed_by, 0);
	assert_null(m.error);
	assert_null(m.ts);
	sr_outbox_msg_done(&m);
	/* sent once: the next pass has nothing to do */
	expect_pass(deliver(f, NOW_MS + 10), 0, 0, 0, 0, 0, -1);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 0);
	cJSON_Delete(got);
	free(payload);
}

/* 5xx and transport failures: pending again, 1 s, 2 s, 4 s ... at most 5 minutes. */
static void
test_backoff(void **state)
{
	struct fx *f = *state;
	int64_t id = queue(f, "hook", NOW_MS), t = NOW_MS;
	static const int64_t want[] = { 1000, 2000, 4000, 8000 };
	struct sr_outbox_msg m;
	cJSON *got;

	for (size_t i = 0; i < 4; i++) {
		answer(i == 2 ? 503 : 500, NULL, "internal_error");
		expect_pass(deliver(f, t), 0, 0, 1, 0, 0, 0);
		m = stored(f, id);
		assert_int_equal(m.state, SR_OB_PENDING);
		assert_int_equal(m.attempts, (int)i + 1);
		assert_int_equal(m.next_at, t + want[i]);
		assert_int_equal(m.claimed_by, 0);
		assert_string_equal(m.error, i == 2 ? "HTTP 503 from hook (will retry)" :
						      "HTTP 500 from hook (will retry)");
		sr_outbox_msg_done(&m);
		/* a millisecond early: it waits, and says how long */
		expect_pass(deliver(f, t + want[i] - 1), 0, 0, 0, 0, 0, 1);
		t += want[i];
	}
	/* the fifth try is answered: delivered, the error gone */
	expect_pass(deliver(f, t), 1, 0, 0, 0, 0, 0);
	m = stored(f, id);
	assert_int_equal(m.state, SR_OB_SENT);
	assert_int_equal(m.attempts, 5);
	assert_null(m.error);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 5);
	cJSON_Delete(got);

	/* the ninth failure waits 2^8 s, the tenth and later 5 minutes */
	m.state = SR_OB_PENDING;
	m.sent_ms = 0;		/* or the rate limit would count this delivery */
	m.attempts = 8;
	m.next_at = t;
	put(f, &m);
	answer(500, NULL, "");
	deliver(f, t);
	sr_outbox_msg_done(&m);
	m = stored(f, id);
	assert_int_equal(m.next_at, t + 256000);
	answer(500, NULL, "");
	deliver(f, m.next_at);
	t = m.next_at;
	sr_outbox_msg_done(&m);
	m = stored(f, id);
	assert_int_equal(m.attempts, 10);
	assert_int_equal(m.next_at, t + 300000);
	m.attempts = 40;
	put(f, &m);
	answer(502, NULL, "");
	deliver(f, m.next_at);
	t = m.next_at;
	sr_outbox_msg_done(&m);
	m = stored(f, id);
	assert_int_equal(m.next_at, t + 300000);
	sr_outbox_msg_done(&m);
}

static void
test_transport_failure_retried(void **state)
{
	struct fx *f = *state;
	int64_t id = queue(f, "refused", NOW_MS);
	struct sr_outbox_msg m;

	expect_pass(deliver(f, NOW_MS), 0, 0, 1, 0, 0, 0);
	m = stored(f, id);
	assert_int_equal(m.state, SR_OB_PENDING);
	assert_int_equal(m.next_at, NOW_MS + 1000);
	assert_non_null(m.error);
	assert_null(strstr(m.error, "HTTP"));
	sr_outbox_msg_done(&m);
}

/* 429: Retry-After says when; without it the backoff. */
static void
test_rate_limited(void **state)
{
	struct fx *f = *state;
	int64_t id = queue(f, "hook", NOW_MS);
	struct sr_outbox_msg m;

	answer(429, "{\"Retry-After\": \"7\"}", "rate_limited");
	expect_pass(deliver(f, NOW_MS), 0, 0, 1, 0, 0, 0);
	m = stored(f, id);
	assert_int_equal(m.state, SR_OB_PENDING);
	assert_int_equal(m.next_at, NOW_MS + 7000);
	assert_string_equal(m.error, "rate limited by hook: retry after 7s");
	sr_outbox_msg_done(&m);
	expect_pass(deliver(f, NOW_MS + 6999), 0, 0, 0, 0, 0, 1);

	answer(429, NULL, "rate_limited");
	expect_pass(deliver(f, NOW_MS + 7000), 0, 0, 1, 0, 0, 0);
	m = stored(f, id);
	assert_int_equal(m.attempts, 2);
	assert_int_equal(m.next_at, NOW_MS + 7000 + 2000);
	assert_string_equal(m.error, "rate limited by hook: retry after 1s");
	sr_outbox_msg_done(&m);

	expect_pass(deliver(f, NOW_MS + 9000), 1, 0, 0, 0, 0, 0);
	m = stored(f, id);
	assert_int_equal(m.state, SR_OB_SENT);
	sr_outbox_msg_done(&m);
}

/* Any other answer outside 2xx gives up, keeping the receiver's words (or "rejected"). */
static void
test_given_up(void **state)
{
	struct fx *f = *state;
	static const struct {
		int status;
		const char *body, *error;
	} c[] = {
		{ 404, "channel_not_found", "channel_not_found" },
		{ 400, "", "rejected" },
		{ 302, "", "rejected" },	/* an SSO proxy's redirect is no delivery */
		{ 300, "moved", "moved" },
	};

	for (size_t i = 0; i < 4; i++) {
		int64_t id = queue(f, "hook", NOW_MS);
		struct sr_outbox_msg m;

		answer(c[i].status, NULL, c[i].body);
		expect_pass(deliver(f, NOW_MS + (int64_t)i * 2000), 0, 1, 0, 0, 0, 0);
		m = stored(f, id);
		assert_int_equal(m.state, SR_OB_FAILED);
		assert_int_equal(m.claimed_by, 0);
		assert_string_equal(m.error, c[i].error);
		sr_outbox_msg_done(&m);
		/* given up: no further try, and the failed one does not hold back the next */
		expect_pass(deliver(f, NOW_MS + 100000), 0, 0, 0, 0, 0, -1);
	}
	/* 2xx other than 200 is a delivery */
	{
		int64_t id = queue(f, "hook", NOW_MS);
		struct sr_outbox_msg m;

		answer(299, NULL, "");
		expect_pass(deliver(f, NOW_MS + 200000), 1, 0, 0, 0, 0, 0);
		m = stored(f, id);
		assert_int_equal(m.state, SR_OB_SENT);
		sr_outbox_msg_done(&m);
	}
}

/* A receiver's words are sanitised and cut short before they are stored. */
static void
test_error_text_sanitised(void **state)
{
	struct fx *f = *state;
	int64_t id = queue(f, "hook", NOW_MS);
	struct sr_outbox_msg m;
	char body[600];

	memset(body, 'w', sizeof body - 1);
	body[sizeof body - 1] = '\0';
	memcpy(body, "bad\x1b[2Jthing", 12);
	answer(400, NULL, body);
	deliver(f, NOW_MS);
	m = stored(f, id);
	assert_int_equal(m.state, SR_OB_FAILED);
	assert_null(strchr(m.error, '\x1b'));
	assert_true(strncmp(m.error, "bad", 3) == 0);
	assert_true(strlen(m.error) <= 200 + 4);
	assert_true(strlen(m.error) >= 100);
	sr_outbox_msg_done(&m);
}

/* A webhook that is missing or not https: nothing sent, the message waits with the reason. */
static void
test_webhook_unusable(void **state)
{
	struct fx *f = *state;
	int64_t far = queue(f, "far", NOW_MS), none = queue(f, "nohook", NOW_MS);
	struct sr_outbox_msg m;
	cJSON *got;

	/* both wait to be tried again */
	expect_pass(deliver(f, NOW_MS), 0, 0, 2, 0, 0, 0);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 0);
	cJSON_Delete(got);
	m = stored(f, far);
	assert_int_equal(m.state, SR_OB_PENDING);
	assert_int_equal(m.claimed_by, 0);
	assert_int_equal(m.attempts, 1);
	assert_int_equal(m.next_at, NOW_MS + 1000);
	assert_string_equal(m.error, "far: the webhook URL must be https (http only to a loopback "
				     "address)");
	sr_outbox_msg_done(&m);
	m = stored(f, none);
	assert_int_equal(m.state, SR_OB_PENDING);
	assert_int_equal(m.next_at, NOW_MS + 1000);
	assert_true(strncmp(m.error, "nohook: ", 8) == 0);
	assert_non_null(strstr(m.error, "SR_TEST_UNSET"));
	sr_outbox_msg_done(&m);
}

/* --- chat.postMessage --- */

static void
test_bot_thread_and_metadata(void **state)
{
	struct fx *f = *state;
	int64_t a = queue(f, "bot", NOW_MS), b = queue(f, "bot", NOW_MS);
	struct sr_outbox_msg m;
	cJSON *got, *body;
	char sid[64];

	/* min_interval = 0: both in one pass each, oldest first */
	expect_pass(deliver(f, NOW_MS), 1, 0, 0, 0, 0, 0);
	expect_pass(deliver(f, NOW_MS + 1), 1, 0, 0, 0, 0, 0);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 2);
	assert_string_equal(field(cJSON_GetArrayItem(got, 0), "path"), "/slack/api/chat.postMessage");
	assert_string_equal(field(cJSON_GetArrayItem(got, 0), "auth"), "Bearer " TOKEN);
	body = cJSON_Parse(field(cJSON_GetArrayItem(got, 0), "body"));
	assert_non_null(body);
	assert_string_equal(cJSON_GetObjectItem(body, "channel")->valuestring, "C1");
	assert_null(cJSON_GetObjectItem(body, "thread_ts"));
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(body, "blocks")));
	snprintf(sid, sizeof sid, "%s/%lld", f->id, (long long)a);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(body,
			    "metadata"), "event_payload"), "sitrep_id")->valuestring, sid);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "metadata"),
						"event_type")->valuestring, "sitrep_message");
	cJSON_Delete(body);
	/* the second goes in the first one's thread */
	body = cJSON_Parse(field(cJSON_GetArrayItem(got, 1), "body"));
	assert_non_null(body);
	assert_string_equal(cJSON_GetObjectItem(body, "thread_ts")->valuestring,
			    "1700000001.000100");
	snprintf(sid, sizeof sid, "%s/%lld", f->id, (long long)b);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(body,
			    "metadata"), "event_payload"), "sitrep_id")->valuestring, sid);
	cJSON_Delete(body);
	cJSON_Delete(got);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_SENT);
	assert_string_equal(m.ts, "1700000001.000100");
	sr_outbox_msg_done(&m);
	m = stored(f, b);
	assert_string_equal(m.ts, "1700000002.000100");
	sr_outbox_msg_done(&m);
}

/* Slack answers 200 with ok:false: given up, except when rate limited. */
static void
test_bot_slack_errors(void **state)
{
	struct fx *f = *state;
	int64_t id = queue(f, "bot", NOW_MS);
	struct sr_outbox_msg m;
	cJSON *got, *body;

	answer(200, NULL, "{\"ok\":false,\"error\":\"ratelimited\"}");
	expect_pass(deliver(f, NOW_MS), 0, 0, 1, 0, 0, 0);
	m = stored(f, id);
	assert_int_equal(m.state, SR_OB_PENDING);
	assert_int_equal(m.next_at, NOW_MS + 1000);
	assert_string_equal(m.error, "ratelimited");
	sr_outbox_msg_done(&m);

	answer(200, NULL, "{\"ok\":false,\"error\":\"channel_not_found\"}");
	expect_pass(deliver(f, NOW_MS + 1000), 0, 1, 0, 0, 0, 0);
	m = stored(f, id);
	assert_int_equal(m.state, SR_OB_FAILED);
	assert_string_equal(m.error, "channel_not_found");
	assert_null(m.ts);
	sr_outbox_msg_done(&m);

	/* a failed message never starts the thread */
	id = queue(f, "bot", NOW_MS);
	answer(200, NULL, "{\"ok\":true}");	/* no ts */
	expect_pass(deliver(f, NOW_MS + 2000), 1, 0, 0, 0, 0, 0);
	m = stored(f, id);
	assert_int_equal(m.state, SR_OB_SENT);
	assert_null(m.ts);
	sr_outbox_msg_done(&m);
	id = queue(f, "bot", NOW_MS);
	answer(200, NULL, "not json");
	expect_pass(deliver(f, NOW_MS + 3000), 0, 1, 0, 0, 0, 0);
	m = stored(f, id);
	assert_string_equal(m.error, "not ok");
	sr_outbox_msg_done(&m);
	id = queue(f, "bot", NOW_MS);
	answer(200, NULL, "{\"ok\":false}");
	expect_pass(deliver(f, NOW_MS + 4000), 0, 1, 0, 0, 0, 0);
	m = stored(f, id);
	assert_string_equal(m.error, "not ok");
	sr_outbox_msg_done(&m);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 5);
	for (int i = 0; i < 5; i++) {
		body = cJSON_Parse(field(cJSON_GetArrayItem(got, i), "body"));
		assert_null(cJSON_GetObjectItem(body, "thread_ts"));
		cJSON_Delete(body);
	}
	cJSON_Delete(got);
	/* a ts with control characters is cleaned before it is kept */
	id = queue(f, "bot", NOW_MS);
	answer(200, NULL, "{\"ok\":true,\"ts\":\"17.0\\u001b[31m\"}");
	deliver(f, NOW_MS + 5000);
	m = stored(f, id);
	assert_non_null(m.ts);
	assert_null(strchr(m.ts, '\x1b'));
	sr_outbox_msg_done(&m);
}

/* --- the rate limit per target, order, several targets --- */

static void
test_min_interval_and_order(void **state)
{
	struct fx *f = *state;
	int64_t a = queue(f, "mm", NOW_MS), b = queue(f, "mm", NOW_MS + 1);
	int64_t h = queue(f, "hook", NOW_MS + 5000);
	struct sr_outbox_msg m;
	cJSON *got;

	/* mm: a goes first; hook is not due for 5 s */
	expect_pass(deliver(f, NOW_MS + 10), 1, 0, 0, 0, 0, 0);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_SENT);
	sr_outbox_msg_done(&m);
	m = stored(f, b);
	assert_int_equal(m.state, SR_OB_PENDING);
	sr_outbox_msg_done(&m);
	/* b waits for mm's 30 s, hook for its own due time: the nearer counts */
	expect_pass(deliver(f, NOW_MS + 20), 0, 0, 0, 0, 0, 4980);
	expect_pass(deliver(f, NOW_MS + 5000), 1, 0, 0, 0, 0, 0);
	expect_pass(deliver(f, NOW_MS + 5001), 0, 0, 0, 0, 0, 30010 - 5001);
	expect_pass(deliver(f, NOW_MS + 30009), 0, 0, 0, 0, 0, 1);
	expect_pass(deliver(f, NOW_MS + 30010), 1, 0, 0, 0, 0, 0);
	m = stored(f, b);
	assert_int_equal(m.state, SR_OB_SENT);
	assert_int_equal(m.sent_ms, NOW_MS + 30010);
	sr_outbox_msg_done(&m);
	m = stored(f, h);
	assert_int_equal(m.sent_ms, NOW_MS + 5000);
	sr_outbox_msg_done(&m);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 3);
	assert_string_equal(field(cJSON_GetArrayItem(got, 0), "path"), "/slack/mm/b");
	assert_string_equal(field(cJSON_GetArrayItem(got, 1), "path"), "/slack/hook/a");
	assert_string_equal(field(cJSON_GetArrayItem(got, 2), "path"), "/slack/mm/b");
	cJSON_Delete(got);
	/* the rate limit counts a delivery made by an earlier pass (stored, not in this list) */
	a = queue(f, "mm", NOW_MS);
	expect_pass(deliver(f, NOW_MS + 40000), 0, 0, 0, 0, 0, 20010);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_PENDING);
	sr_outbox_msg_done(&m);
}

/* A message another live sender claimed is its business; ours waits behind it. */
static void
test_claimed_by_live_sender(void **state)
{
	struct fx *f = *state;
	int64_t a = queue(f, "hook", NOW_MS), b = queue(f, "hook", NOW_MS);
	struct sr_outbox_msg m = stored(f, a);
	cJSON *got;

	m.state = SR_OB_SENDING;
	claim_here(&m, getppid());	/* alive: the shell or make that started us */
	put(f, &m);
	sr_outbox_msg_done(&m);
	expect_pass(deliver(f, NOW_MS), 0, 0, 0, 0, 0, -1);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 0);
	cJSON_Delete(got);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_SENDING);
	assert_int_equal(m.claimed_by, getppid());
	sr_outbox_msg_done(&m);
	m = stored(f, b);
	assert_int_equal(m.state, SR_OB_PENDING);
	sr_outbox_msg_done(&m);
}

/* A pid that is not running (a child that exited and was reaped). */
static pid_t
dead_pid(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	assert_true(p > 0);
	waitpid(p, NULL, 0);
	return p;
}

/* A webhook message whose sender died mid-post: unknown, counted, then retried by hand. */
static void
test_recover_webhook_unknown(void **state)
{
	struct fx *f = *state;
	int64_t a = queue(f, "hook", NOW_MS);
	struct sr_outbox_msg m = stored(f, a);
	char *err = NULL, want[120];
	cJSON *got;

	m.state = SR_OB_SENDING;
	claim_here(&m, dead_pid());
	m.attempts = 1;
	put(f, &m);
	sr_outbox_msg_done(&m);
	expect_pass(deliver(f, NOW_MS), 0, 0, 0, 1, 1, -1);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_UNKNOWN);
	assert_int_equal(m.claimed_by, 0);
	assert_non_null(strstr(m.error, "may have arrived"));
	sr_outbox_msg_done(&m);
	/* still unknown on the next pass, and counted again, but not recovered twice */
	expect_pass(deliver(f, NOW_MS + 1), 0, 0, 0, 1, 0, -1);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 0);
	cJSON_Delete(got);

	/* retry: only a failed or unknown message, which becomes pending, due now */
	assert_int_equal(sr_outbox_retry(f->st, a, NOW_MS + 500, &err), 0);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_PENDING);
	assert_int_equal(m.next_at, NOW_MS + 500);
	sr_outbox_msg_done(&m);
	assert_int_equal(sr_outbox_retry(f->st, a, NOW_MS, &err), -1);
	snprintf(want, sizeof want, "message %lld is pending: only failed or unknown messages "
		 "are retried", (long long)a);
	assert_string_equal(err, want);
	free(err);
	err = NULL;
	assert_int_equal(sr_outbox_retry(f->st, a + 1, NOW_MS, &err), -1);
	snprintf(want, sizeof want, "no message %lld in the outbox", (long long)a + 1);
	assert_string_equal(err, want);
	free(err);
	err = NULL;
	expect_pass(deliver(f, NOW_MS + 500), 1, 0, 0, 0, 0, 0);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_SENT);
	assert_int_equal(m.attempts, 2);
	sr_outbox_msg_done(&m);
	/* a failed one is retried too */
	a = queue(f, "hook", NOW_MS);
	answer(404, NULL, "gone");
	expect_pass(deliver(f, NOW_MS + 2000), 0, 1, 0, 0, 0, 0);
	assert_int_equal(sr_outbox_retry(f->st, a, NOW_MS + 2100, &err), 0);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_PENDING);
	assert_int_equal(m.next_at, NOW_MS + 2100);
	sr_outbox_msg_done(&m);
}

/* A chat.postMessage message whose sender died: looked up in the channel's history. */
static void
test_recover_bot_from_history(void **state)
{
	struct fx *f = *state;
	int64_t a = queue(f, "bot", NOW_MS), b = queue(f, "bot", NOW_MS);
	struct sr_outbox_msg m;
	pid_t gone = dead_pid();
	cJSON *got;
	char *hist, want[200];

	for (int64_t id = a; id <= b; id++) {
		m = stored(f, id);
		m.state = SR_OB_SENDING;
		claim_here(&m, gone);
		m.attempts = 1;
		put(f, &m);
		sr_outbox_msg_done(&m);
	}
	/* the history cannot be read: both stay claimed, nothing is posted */
	answer(500, NULL, "{}");
	answer(200, NULL, "{\"ok\":false,\"error\":\"invalid_auth\"}");
	expect_pass(deliver(f, NOW_MS), 0, 0, 0, 0, 0, -1);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 2);
	snprintf(want, sizeof want, "/slack/api/conversations.history?include_all_metadata=true&limit=999"
		 "&channel=C1&oldest=%lld", (long long)(NOW_MS / 1000 - 1));
	assert_string_equal(field(cJSON_GetArrayItem(got, 0), "method"), "GET");
	assert_string_equal(field(cJSON_GetArrayItem(got, 0), "path"), want);
	assert_string_equal(field(cJSON_GetArrayItem(got, 0), "auth"), "Bearer " TOKEN);
	cJSON_Delete(got);
	/* still "sending" (it may have arrived), the dead sender's claim released (no host): the
	 * next pass asks the history again */
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_SENDING);
	assert_int_equal(m.claimed_by, 0);
	assert_null(m.claimed_host);
	sr_outbox_msg_done(&m);

	/* a arrived (found by its id among others), b did not: a sent, b posted again */
	hist = sr_xasprintf("{\"ok\":true,\"messages\":["
			    "{\"ts\":\"1.1\",\"metadata\":{\"event_payload\":{\"sitrep_id\":\"%s/%lld\"}}},"
			    "{\"ts\":\"1.2\"},"
			    "{\"ts\":\"1699.5\",\"metadata\":{\"event_payload\":{\"sitrep_id\":\"%s/%lld\"}}}"
			    "]}", f->id, (long long)b + 10, f->id, (long long)a);
	answer(200, NULL, hist);
	free(hist);
	answer(200, NULL, "{\"ok\":true,\"messages\":[]}");
	expect_pass(deliver(f, NOW_MS + 100), 1, 0, 0, 0, 2, 0);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_SENT);
	assert_string_equal(m.ts, "1699.5");
	assert_int_equal(m.sent_ms, NOW_MS + 100);
	assert_int_equal(m.claimed_by, 0);
	sr_outbox_msg_done(&m);
	m = stored(f, b);
	assert_int_equal(m.state, SR_OB_SENT);
	assert_int_equal(m.attempts, 2);
	sr_outbox_msg_done(&m);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 3);
	assert_string_equal(field(cJSON_GetArrayItem(got, 2), "path"), "/slack/api/chat.postMessage");
	{
		/* b goes into the thread a started, found in the history */
		cJSON *body = cJSON_Parse(field(cJSON_GetArrayItem(got, 2), "body"));

		assert_string_equal(cJSON_GetObjectItem(body, "thread_ts")->valuestring, "1699.5");
		cJSON_Delete(body);
	}
	cJSON_Delete(got);
}

/* A store that fails mid-pass (a write refused): the pass fails, with the store's reason. */
static void
test_store_failure(void **state)
{
	struct fx *f = *state;
	int64_t id = queue(f, "hook", NOW_MS);
	struct sr_outbox_pass p;
	struct sr_outbox_msg m;
	sqlite3 *db;
	char *err = NULL;
	cJSON *got;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER refuse BEFORE UPDATE ON outbox BEGIN "
				      "SELECT RAISE(ABORT, 'disk on fire'); END", NULL, NULL,
				      NULL), SQLITE_OK);
	assert_int_equal(sr_outbox_deliver(f->st, &f->cfg, f->h, getpid(), NOW_MS, &p, &err),
			 -1);
	assert_non_null(strstr(err, "disk on fire"));
	free(err);
	err = NULL;
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER refuse", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	m = stored(f, id);
	assert_int_equal(m.state, SR_OB_PENDING);
	assert_int_equal(m.attempts, 0);
	sr_outbox_msg_done(&m);
	/* another sender claims it between our look and our claim: we do not post it */
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER taken BEFORE UPDATE ON outbox BEGIN "
				      "SELECT RAISE(IGNORE); END", NULL, NULL, NULL), SQLITE_OK);
	expect_pass(deliver(f, NOW_MS), 0, 0, 0, 0, 0, -1);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 0);
	cJSON_Delete(got);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER taken", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	/* the store is well again: delivered */
	expect_pass(deliver(f, NOW_MS), 1, 0, 0, 0, 0, 0);
}

/* --- mutation round 6 (outbox, seed 29's survivors) --- */

/* Only a SENDING message has a claim to judge: any other state is never stale. */
static void
test_claim_stale_only_sending(void **state)
{
	struct fx *f = *state;
	int64_t a = queue(f, "hook", NOW_MS);
	struct sr_outbox_msg m = stored(f, a);
	char host[256];
	struct sr_outbox_claimer me = { .pid = getpid(), .host = host, .at_ms = NOW_MS + 1 };
	static const enum sr_outbox_state other[] = { SR_OB_PENDING, SR_OB_SENT, SR_OB_FAILED,
						       SR_OB_UNKNOWN };

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	claim_here(&m, dead_pid());
	m.state = SR_OB_SENDING;
	assert_int_equal(sr_outbox_claim_stale(&m, &me, 1000000), 1);
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		m.state = other[i];
		assert_int_equal(sr_outbox_claim_stale(&m, &me, 1000000), 0);
	}
	/* another host's claim: only its age counts, and only while SENDING */
	free(m.claimed_host);
	m.claimed_host = sr_xstrdup("elsewhere.invalid");
	m.claimed_at = NOW_MS - 5000;
	m.state = SR_OB_PENDING;
	assert_int_equal(sr_outbox_claim_stale(&m, &me, 1000), 0);
	m.state = SR_OB_SENDING;
	assert_int_equal(sr_outbox_claim_stale(&m, &me, 1000), 1);
	assert_int_equal(sr_outbox_claim_stale(&m, &me, 5001), 1);
	assert_int_equal(sr_outbox_claim_stale(&m, &me, 5002), 0);
	sr_outbox_msg_done(&m);
}

/*
 * Recovery meets the store: taking the dead sender's claim over fails (the pass fails, with
 * the store's reason), or another recoverer took it first (nothing is done, the pass goes on).
 */
static void
test_recover_claim_fails_or_lost(void **state)
{
	struct fx *f = *state;
	int64_t a = queue(f, "hook", NOW_MS);
	struct sr_outbox_msg m = stored(f, a);
	struct sr_outbox_pass p;
	sqlite3 *db;
	char *err = NULL;
	cJSON *got;

	m.state = SR_OB_SENDING;
	claim_here(&m, dead_pid());
	m.attempts = 1;
	put(f, &m);
	sr_outbox_msg_done(&m);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER refuse BEFORE UPDATE ON outbox BEGIN "
				      "SELECT RAISE(ABORT, 'disk on fire'); END", NULL, NULL,
				      NULL), SQLITE_OK);
	assert_int_equal(sr_outbox_deliver(f->st, &f->cfg, f->h, getpid(), NOW_MS, &p, &err),
			 -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "disk on fire"));
	free(err);
	err = NULL;
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER refuse", NULL, NULL, NULL), SQLITE_OK);
	/* lost to another recoverer: no error, nothing recovered, the claim left as it was */
	assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER taken BEFORE UPDATE ON outbox BEGIN "
				      "SELECT RAISE(IGNORE); END", NULL, NULL, NULL), SQLITE_OK);
	expect_pass(deliver(f, NOW_MS), 0, 0, 0, 0, 0, -1);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER taken", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_SENDING);
	assert_true(m.claimed_by != 0);
	sr_outbox_msg_done(&m);
	got = arrived();
	assert_int_equal(cJSON_GetArraySize(got), 0);
	cJSON_Delete(got);
	/* the store is well again: recovered (a webhook: unknown) */
	expect_pass(deliver(f, NOW_MS), 0, 0, 0, 1, 1, -1);
}

/*
 * chat.postMessage's API URL is no secret (the token is): a Slack error that names the
 * method's path is shown whole, not masked as a webhook URL would be.
 */
static void
test_bot_api_url_not_masked(void **state)
{
	struct fx *f = *state;
	int64_t a = queue(f, "bot", NOW_MS);
	struct sr_outbox_msg m;

	answer(404, NULL, "no such method: /slack/api/chat.postMessage (token " TOKEN ")");
	expect_pass(deliver(f, NOW_MS), 0, 1, 0, 0, 0, 0);
	m = stored(f, a);
	assert_int_equal(m.state, SR_OB_FAILED);
	assert_non_null(m.error);
	assert_non_null(strstr(m.error, "no such method: /slack/api/chat.postMessage (token "));
	assert_null(strstr(m.error, TOKEN));
	sr_outbox_msg_done(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_target_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_stores_message_and_event, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_queue_resolved_incident, setup, teardown),
		cmocka_unit_test_setup_teardown(test_webhook_delivered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transport_failure_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_given_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_text_sanitised, setup, teardown),
		cmocka_unit_test_setup_teardown(test_webhook_unusable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bot_thread_and_metadata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bot_slack_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_min_interval_and_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claimed_by_live_sender, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_webhook_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_bot_from_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_stale_only_sending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_claim_fails_or_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bot_api_url_not_masked, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

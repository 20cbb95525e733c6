/* SPDX-License-Identifier: MIT */
/* test_alertmgr.c: Alertmanager v2 answers, silence bodies, URLs and merging instances. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alertmgr.h"

static char *
fixture(const char *name, size_t *len)
{
	char *path = sr_xasprintf("%s/alertmgr/%s", SR_FIXTURES, name), *data = NULL, *err = NULL;

	if (sr_read_file(path, 1 << 20, &data, len, &err) < 0)
		fail_msg("%s", err);
	free(path);
	return data;
}

static void
expect_alerts_fail(const char *body, long status, const char *part)
{
	struct sr_am_alerts a;
	char *err = NULL;

	assert_int_equal(sr_am_parse_alerts(body, strlen(body), status, "http://am/api/v2/alerts",
					    &a, &err), -1);
	assert_non_null(err);
	if (strstr(err, part) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, part);
	free(err);
	sr_am_alerts_done(&a);
}

static void
test_alerts_fixtures(void **state)
{
	size_t len;
	char *body, *err = NULL;
	struct sr_am_alerts a;

	(void)state;
	body = fixture("alerts_active.json", &len);
	assert_int_equal(sr_am_parse_alerts(body, len, 200, "u", &a, &err), 0);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.v[0].fingerprint, "12ad9eb8900243ad");
	assert_int_equal(a.v[0].state, SR_AM_ACTIVE);
	assert_int_equal(a.v[0].n_silenced_by, 0);
	assert_string_equal(sr_label_get(a.v[0].labels, a.v[0].n_labels, "severity"), "critical");
	assert_string_equal(a.v[0].annotations[0].name, "summary");
	assert_string_equal(a.v[0].receivers[0], "blackhole");
	assert_true(a.v[0].starts_at > 1700000000 && a.v[0].ends_at > a.v[0].starts_at);
	assert_non_null(strstr(a.v[0].generator_url, "g0.expr=vector%281%29&g0.tab=1"));
	sr_am_alerts_done(&a);
	free(body);

	body = fixture("alerts_silenced.json", &len);
	assert_int_equal(sr_am_parse_alerts(body, len, 200, "u", &a, &err), 0);
	assert_int_equal(a.v[0].state, SR_AM_SUPPRESSED);
	assert_int_equal(a.v[0].n_silenced_by, 1);
	assert_string_equal(a.v[0].silenced_by[0], "a3a1946a-48ae-4cdc-9011-94a77dff270d");
	sr_am_alerts_done(&a);
	free(body);
}

static void
test_alerts_broken(void **state)
{
	size_t len;
	char *body;

	(void)state;
	expect_alerts_fail("", 200, "unexpected response from http://am/api/v2/alerts: empty body");
	expect_alerts_fail("{}", 200, "expected an array of alerts");
	expect_alerts_fail("[{\"fingerprint\":\"x\"}]", 200, "alert 0 has no labels");
	expect_alerts_fail("[{\"labels\":{}}]", 200, "alert 0 has no fingerprint");
	expect_alerts_fail("[{\"labels\":{\"a\":1},\"fingerprint\":\"x\"}]", 200,
			   "alert 0: labels is not an object of strings");
	expect_alerts_fail("[{\"labels\":{},\"fingerprint\":\"x\",\"status\":{\"state\":\"odd\"}}]",
			   200, "unknown status.state");
	expect_alerts_fail("[{\"labels\":{},\"fingerprint\":\"x\",\"status\":{\"silencedBy\":[1]}}]",
			   200, "status.silencedBy is not an array of strings");
	expect_alerts_fail("[{\"labels\":{},\"fingerprint\":7}]", 200, "fingerprint is not a string");
	expect_alerts_fail("[] trailing", 200, "invalid JSON");
	expect_alerts_fail("[{\"labels\":{},\"fingerprint\":\"x\"},]", 200, "invalid JSON");

	body = fixture("error_bad_filter.json", &len);
	expect_alerts_fail(body, 400, "http://am/api/v2/alerts: HTTP 400: bad matcher format: foo");
	free(body);
	expect_alerts_fail("upstream \x1b[31mdown\nmore", 502, "HTTP 502: upstream \xef\xbf\xbd[31mdown");

	/* Truncations of a real answer all fail cleanly. */
	body = fixture("alerts_silenced.json", &len);
	for (size_t cut = 0; cut + 2 < len; cut += 7) {
		struct sr_am_alerts a;
		char *err = NULL;

		assert_int_equal(sr_am_parse_alerts(body, cut, 200, "u", &a, &err), -1);
		free(err);
		sr_am_alerts_done(&a);
	}
	free(body);
}

/* --- the incremental reader --- */

/* What a reader saw: each alert as one line "fingerprint|label=value,...|state". */
static void
describe(void *arg, struct sr_am_alert *a)
{
	struct sr_buf *b = arg;

	sr_buf_printf(b, "%s|", a->fingerprint);
	for (size_t i = 0; i < a->n_labels; i++)
		sr_buf_printf(b, "%s=%s,", a->labels[i].name, a->labels[i].value);
	for (size_t i = 0; i < a->n_annotations; i++)
		sr_buf_printf(b, "@%s=%s,", a->annotations[i].name, a->annotations[i].value);
	sr_buf_printf(b, "|%d|%zu|%lld\n", (int)a->state, a->n_silenced_by, (long long)a->starts_at);
}

/* Reads body in pieces of step bytes (the first piece cut bytes long, when cut > 0). */
static int
read_pieces(const char *body, size_t len, size_t cut, size_t step, struct sr_buf *out,
	    char **err)
{
	struct sr_am_reader *x = sr_am_reader_new("http://am/api/v2/alerts", len, describe, out);
	size_t off = 0;
	int rc = 0;

	while (rc == 0 && off < len) {
		size_t n = off == 0 && cut > 0 ? cut : step;

		if (n > len - off)
			n = len - off;
		rc = sr_am_reader_feed(x, body + off, n, err);
		off += n;
	}
	if (rc == 0)
		rc = sr_am_reader_end(x, err);
	sr_am_reader_free(x);
	return rc;
}

/*
 * Whatever the pieces, the reader sees exactly what one read of the whole body sees: strings
 * holding brackets, quotes, escapes and multi-byte UTF-8 are cut at every byte.
 */
static void
test_reader_pieces(void **state)
{
	static const char tricky[] =
		" [ {\"labels\":{\"alertname\":\"A]}[{\",\"q\":\"say \\\"hi\\\" \\\\\"},"
		"\"annotations\":{\"summary\":\"caf\xc3\xa9 \\u00e9 \\/ }]\"},"
		"\"fingerprint\":\"f1\",\"status\":{\"state\":\"suppressed\",\"silencedBy\":[\"s\"],"
		"\"inhibitedBy\":[]},\"startsAt\":\"2026-03-01T10:00:00Z\",\"x\":[[],{}]}\n,"
		"{\"labels\":{},\"fingerprint\":\"f2\"} ]\n";
	const char *names[] = { "alerts_active.json", "alerts_silenced.json", NULL };
	struct sr_buf whole, part;
	char *err = NULL;

	(void)state;
	for (int f = -1; f < 0 || names[f] != NULL; f++) {
		size_t len;
		char *body = f < 0 ? sr_xstrdup(tricky) : fixture(names[f], &len);

		if (f < 0)
			len = strlen(tricky);
		sr_buf_init(&whole);
		assert_int_equal(read_pieces(body, len, 0, len, &whole, &err), 0);
		assert_non_null(whole.data);
		/* two pieces, cut at every byte */
		for (size_t cut = 1; cut < len; cut++) {
			sr_buf_init(&part);
			if (read_pieces(body, len, cut, len, &part, &err) != 0)
				fail_msg("cut at %zu: %s", cut, err);
			assert_string_equal(part.data, whole.data);
			sr_buf_done(&part);
		}
		/* small pieces of every size up to 64 */
		for (size_t step = 1; step <= 64; step++) {
			sr_buf_init(&part);
			assert_int_equal(read_pieces(body, len, 0, step, &part, &err), 0);
			assert_string_equal(part.data, whole.data);
			sr_buf_done(&part);
		}
		/* and the one-shot parser agrees */
		{
			struct sr_am_alerts a;

			assert_int_equal(sr_am_parse_alerts(body, len, 200, "u", &a, &err), 0);
			sr_buf_init(&part);
			for (size_t i = 0; i < a.n; i++)
				describe(&part, &a.v[i]);
			assert_string_equal(part.data, whole.data);
			sr_buf_done(&part);
			sr_am_alerts_done(&a);
		}
		sr_buf_done(&whole);
		free(body);
	}
}

/* What is wrong, and where, whatever the pieces. */
static void
test_reader_errors(void **state)
{
	static const struct {
		const char *body, *want;
	} cases[] = {
		{ "", "unexpected response from http://am/api/v2/alerts: empty body" },
		{ "  ", "expected an array of alerts" },
		{ "{\"a\":1}", "expected an array of alerts" },
		{ "[", "the answer ends before the array does" },
		{ "[{\"labels\":{},\"fingerprint\":\"x\"}", "the answer ends before the array does" },
		{ "[{\"labels\":{},\"fingerprint\":\"x\"},", "the answer ends before the array" },
		{ "[{\"labels\":{},\"fingerprint\":\"x\"},]", "invalid JSON at byte 33: expected a value" },
		{ "[,]", "invalid JSON at byte 1: expected a value" },
		{ "[{\"labels\":{},\"fingerprint\":\"x\"} {}]", "byte 33: expected ',' or ']'" },
		{ "[] []", "invalid JSON at byte 3: more data after the array" },
		{ "[{\"labels\":{},\"fingerprint\":\"x\"},{\"labels\":{]}]", "invalid JSON in alert 1" },
		{ "[{\"labels\":{},\"fingerprint\":\"x\"},7]", "alert 1 is not an object" },
		{ "[{\"labels\":{},\"fingerprint\":\"x\"},{\"labels\":{}}]", "alert 1 has no fingerprint" },
		{ "[tru]", "invalid JSON in alert 0" },
	};
	struct sr_buf out;
	char *err = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].body);

		for (size_t step = 1; step <= len + 1; step++) {
			sr_buf_init(&out);
			assert_int_equal(read_pieces(cases[i].body, len, 0, step, &out, &err), -1);
			if (strstr(err, cases[i].want) == NULL)
				fail_msg("%s (pieces of %zu): error \"%s\" lacks \"%s\"", cases[i].body,
					 step, err, cases[i].want);
			free(err);
			err = NULL;
			sr_buf_done(&out);
			if (len == 0)
				break;
		}
	}

	/* An alert larger than the reader's limit is refused, not held. */
	{
		struct sr_am_reader *x = sr_am_reader_new("u", 100, describe, &out);
		char big[300];

		sr_buf_init(&out);
		memset(big, ' ', sizeof(big));
		memcpy(big, "[{\"labels\":{},\"fingerprint\":\"", 30);
		assert_int_equal(sr_am_reader_feed(x, big, sizeof(big), &err), -1);
		assert_non_null(strstr(err, "element too large"));
		free(err);
		err = NULL;
		/* nothing more is taken after a failure */
		assert_int_equal(sr_am_reader_feed(x, "]", 1, &err), -1);
		free(err);
		err = NULL;
		assert_int_equal(sr_am_reader_count(x), 0);
		sr_am_reader_free(x);
		sr_buf_done(&out);
	}
}

static void
test_alerts_hostile_labels(void **state)
{
	const char *body = "[{\"labels\":{\"alertname\":\"\\u001b]0;pwn\\u0007\","
			   "\"x\":\"caf\xc3\xa9 \\u202e\"},\"fingerprint\":\"f\","
			   "\"status\":{\"state\":\"unprocessed\",\"silencedBy\":null,"
			   "\"inhibitedBy\":[\"a\",\"b\"]},\"startsAt\":\"garbage\"}]";
	struct sr_am_alerts a;
	char *err = NULL;

	(void)state;
	assert_int_equal(sr_am_parse_alerts(body, strlen(body), 200, "u", &a, &err), 0);
	assert_string_equal(a.v[0].labels[0].value, "\x1b]0;pwn\x07");
	assert_string_equal(a.v[0].labels[1].value, "caf\xc3\xa9 \xe2\x80\xae");
	assert_int_equal(a.v[0].state, SR_AM_UNPROCESSED);
	assert_int_equal(a.v[0].n_inhibited_by, 2);
	assert_int_equal(a.v[0].starts_at, 0);
	sr_am_alerts_done(&a);
}

static void
test_groups(void **state)
{
	size_t len;
	char *body = fixture("groups.json", &len), *err = NULL;
	struct sr_am_groups g;

	(void)state;
	assert_int_equal(sr_am_parse_groups(body, len, 200, "u", &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.v[0].receiver, "blackhole");
	assert_int_equal(g.v[0].alerts.n, 1);
	assert_int_equal(g.v[0].alerts.v[0].state, SR_AM_SUPPRESSED);
	sr_am_groups_done(&g);
	free(body);

	assert_int_equal(sr_am_parse_groups("{\"a\":1}", 7, 200, "u", &g, &err), -1);
	assert_non_null(strstr(err, "expected an array of groups"));
	free(err);
	sr_am_groups_done(&g);
}

static void
test_silences(void **state)
{
	size_t len;
	char *body, *err = NULL, *id = NULL;
	struct sr_am_silences s;

	(void)state;
	body = fixture("silences.json", &len);
	assert_int_equal(sr_am_parse_silences(body, len, 200, "u", &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0].id, "a3a1946a-48ae-4cdc-9011-94a77dff270d");
	assert_string_equal(s.v[0].state, "active");
	assert_string_equal(s.v[0].created_by, "fixture");
	assert_string_equal(s.v[0].comment, "fixture silence");
	assert_int_equal(s.v[0].matchers.n, 1);
	assert_int_equal(s.v[0].matchers.v[0].op, SR_MATCH_EQ);
	assert_string_equal(s.v[0].matchers.v[0].value, "SitrepTestFiring");
	assert_true(s.v[0].ends_at - s.v[0].starts_at == 3600);
	sr_am_silences_done(&s);
	free(body);

	body = fixture("silence_post.json", &len);
	assert_int_equal(sr_am_parse_silence_id(body, len, 200, "u", &id, &err), 0);
	assert_string_equal(id, "29635d23-262f-4622-b90c-f14472f0c11f");
	free(id);
	free(body);

	body = fixture("error_silence_past.json", &len);
	assert_int_equal(sr_am_parse_silence_id(body, len, 400, "http://am/api/v2/silences", &id,
						&err), -1);
	assert_string_equal(err, "http://am/api/v2/silences: HTTP 400: Failed to create silence: "
			    "end time can't be in the past");
	free(err);
	err = NULL;
	free(body);

	body = fixture("error_silence_post.json", &len);
	assert_int_equal(sr_am_parse_silence_id(body, len, 422, "u", &id, &err), -1);
	assert_string_equal(err, "u: HTTP 422: matchers in body should have at least 1 items");
	free(err);
	err = NULL;
	free(body);

	assert_int_equal(sr_am_parse_silences("[{\"id\":\"x\"}]", 12, 200, "u", &s, &err), -1);
	assert_non_null(strstr(err, "silence 0 has no id or matchers"));
	free(err);
	sr_am_silences_done(&s);
}

static void
test_silence_json(void **state)
{
	struct sr_matchers m;
	char *err = NULL, *js;
	cJSON *root, *arr;

	(void)state;
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse(&m, "alertname=X,job=~\"a|b\",env!=prod,x!~\"q\"", &err),
			 0);
	js = sr_am_silence_json(&m, 1795461707, 1795468907, "alice", "deploy \"v2\"", NULL);
	root = cJSON_Parse(js);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "startsAt")->valuestring,
			    "2026-11-23T19:21:47Z");
	assert_string_equal(cJSON_GetObjectItem(root, "createdBy")->valuestring, "alice");
	assert_string_equal(cJSON_GetObjectItem(root, "comment")->valuestring, "deploy \"v2\"");
	assert_null(cJSON_GetObjectItem(root, "id"));
	arr = cJSON_GetObjectItem(root, "matchers");
	assert_int_equal(cJSON_GetArraySize(arr), 4);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "isRegex")));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "isRegex")));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "isEqual")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 2), "isEqual")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 3), "isEqual")));
	cJSON_Delete(root);
	free(js);
	sr_matchers_done(&m);

	{
		struct sr_label l[] = { { "alertname", "A" }, { "instance", "db1" } };

		sr_am_matchers_from_labels(&m, l, 2);
		assert_int_equal(m.n, 2);
		assert_true(sr_matchers_match(&m, l, 2));
		sr_matchers_done(&m);
	}
}

static void
test_urls(void **state)
{
	struct sr_matchers m;
	struct sr_am_filter f = { 1, 0, 1, 0 };
	char *err = NULL, *u;

	(void)state;
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse(&m, "alertname=A,severity=~\"crit.*\"", &err), 0);
	u = sr_am_alerts_url("http://am:9093/", &f, &m);
	assert_string_equal(u, "http://am:9093/api/v2/alerts?active=true&silenced=false&"
			    "inhibited=true&unprocessed=false&filter=alertname%3D%22A%22&"
			    "filter=severity%3D~%22crit.%2A%22");
	free(u);
	sr_matchers_done(&m);
	u = sr_am_silence_url("http://am:9093", "a3a1946a-48ae");
	assert_string_equal(u, "http://am:9093/api/v2/silence/a3a1946a-48ae");
	free(u);
	u = sr_am_silences_url("http://am:9093");
	assert_string_equal(u, "http://am:9093/api/v2/silences");
	free(u);
}

static void
add_alert(struct sr_am_alerts *a, const char *fp, const char *name, const char *sev,
	  enum sr_am_state st, const char *silence)
{
	struct sr_am_alert *x;

	a->v = sr_xgrow(a->v, &a->cap, a->n + 1, sizeof(*a->v));
	x = &a->v[a->n++];
	memset(x, 0, sizeof(*x));
	x->fingerprint = sr_xstrdup(fp);
	x->labels = sr_xcalloc(2, sizeof(*x->labels));
	x->labels[0].name = sr_xstrdup("alertname");
	x->labels[0].value = sr_xstrdup(name);
	x->labels[1].name = sr_xstrdup("severity");
	x->labels[1].value = sr_xstrdup(sev);
	x->n_labels = 2;
	x->state = st;
	if (silence != NULL) {
		x->silenced_by = sr_xcalloc(1, sizeof(char *));
		x->silenced_by[0] = sr_xstrdup(silence);
		x->n_silenced_by = 1;
	}
}

static void
test_merge(void **state)
{
	struct sr_am_alerts all, one, two;

	(void)state;
	memset(&all, 0, sizeof(all));
	memset(&one, 0, sizeof(one));
	memset(&two, 0, sizeof(two));
	add_alert(&one, "f1", "A", "warning", SR_AM_SUPPRESSED, "s1");
	add_alert(&one, "f2", "B", "critical", SR_AM_ACTIVE, NULL);
	add_alert(&two, "f1", "A", "warning", SR_AM_ACTIVE, NULL);
	add_alert(&two, "f3", "C", "info", SR_AM_ACTIVE, NULL);
	sr_am_alerts_merge(&all, &one, "am-a");
	sr_am_alerts_merge(&all, &two, "am-b");
	assert_int_equal(one.n, 0);
	assert_int_equal(two.n, 0);
	assert_int_equal(all.n, 3);
	sr_am_alerts_sort(&all);
	assert_string_equal(all.v[0].fingerprint, "f2");	/* critical first */
	assert_string_equal(all.v[1].fingerprint, "f1");
	assert_int_equal(all.v[1].n_instances, 2);
	assert_string_equal(all.v[1].instances[0], "am-a");
	assert_string_equal(all.v[1].instances[1], "am-b");
	assert_int_equal(all.v[1].state, SR_AM_ACTIVE);	/* active somewhere wins */
	assert_int_equal(all.v[1].n_silenced_by, 1);
	assert_int_equal(all.v[2].n_instances, 1);
	assert_string_equal(all.v[2].instances[0], "am-b");
	sr_am_alerts_done(&all);

	/* Many alerts: the hash index keeps merging linear. */
	for (int i = 0; i < 20000; i++) {
		char fp[32];

		snprintf(fp, sizeof(fp), "fp%d", i);
		add_alert(&one, fp, "N", "warning", SR_AM_ACTIVE, NULL);
		if (i % 2 == 0)
			add_alert(&two, fp, "N", "warning", SR_AM_ACTIVE, NULL);
	}
	sr_am_alerts_merge(&all, &one, "x");
	sr_am_alerts_merge(&all, &two, "y");
	assert_int_equal(all.n, 20000);
	assert_int_equal(all.v[19998].n_instances, 2);
	assert_int_equal(all.v[19999].n_instances, 1);
	sr_am_alerts_done(&all);
}

static void
same_strv(char **a, size_t na, char **b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

static void
same_labels(const struct sr_label *a, size_t na, const struct sr_label *b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(a[i].name, b[i].name);
		assert_string_equal(a[i].value, b[i].value);
	}
}

/* A packed alert reads as the parsed one, owns no string of the parsed one, frees in one go. */
static void
test_pack(void **state)
{
	static const char body[] =
		"[{\"annotations\":{\"summary\":\"disk full\",\"runbook_url\":\"http://r/x\"},"
		"\"endsAt\":\"2026-11-23T05:00:00Z\",\"fingerprint\":\"aa01\","
		"\"receivers\":[{\"name\":\"oncall\"},{\"name\":\"slack\"}],"
		"\"startsAt\":\"2026-11-23T03:00:00Z\",\"status\":{\"inhibitedBy\":[\"bb02\"],"
		"\"silencedBy\":[\"s1\",\"s2\"],\"state\":\"suppressed\"},"
		"\"updatedAt\":\"2026-11-23T04:00:00Z\",\"generatorURL\":\"http://p/graph?g0=1\","
		"\"labels\":{\"alertname\":\"DiskFull\",\"severity\":\"critical\",\"x\":\"\"}},"
		"{\"fingerprint\":\"aa03\",\"labels\":{},\"annotations\":{},\"receivers\":[],"
		"\"status\":{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":\"active\"}}]";
	struct sr_am_alerts a, b;
	char *err = NULL, *inst[1] = { "am-a" };

	(void)state;
	assert_int_equal(sr_am_parse_alerts(body, strlen(body), 200, "u", &a, &err), 0);
	assert_int_equal(sr_am_parse_alerts(body, strlen(body), 200, "u", &b, &err), 0);
	assert_int_equal(a.n, 2);
	for (size_t i = 0; i < b.n; i++) {
		struct sr_am_alert *x = &a.v[i], *y = &b.v[i];
		char *fp = y->fingerprint;

		y->instances = inst;	/* the caller's: left as they are */
		y->n_instances = 1;
		sr_am_alert_pack(y);
		sr_am_alert_pack(y);	/* twice is once */
		assert_non_null(y->pack);
		assert_ptr_not_equal(y->fingerprint, fp);
		assert_string_equal(y->fingerprint, x->fingerprint);
		same_labels(x->labels, x->n_labels, y->labels, y->n_labels);
		same_labels(x->annotations, x->n_annotations, y->annotations, y->n_annotations);
		same_strv(x->silenced_by, x->n_silenced_by, y->silenced_by, y->n_silenced_by);
		same_strv(x->inhibited_by, x->n_inhibited_by, y->inhibited_by, y->n_inhibited_by);
		same_strv(x->receivers, x->n_receivers, y->receivers, y->n_receivers);
		assert_true(x->generator_url == NULL ? y->generator_url == NULL :
			    strcmp(x->generator_url, y->generator_url) == 0);
		assert_true(x->state == y->state && x->starts_at == y->starts_at &&
			    x->ends_at == y->ends_at && x->updated_at == y->updated_at);
		assert_ptr_equal(y->instances, inst);
		assert_int_equal(y->n_instances, 1);
	}
	assert_int_equal(b.v[0].n_labels, 3);
	assert_string_equal(b.v[0].labels[2].value, "");
	assert_int_equal(b.v[0].n_silenced_by, 2);
	assert_int_equal(b.v[1].n_labels, 0);
	sr_am_alerts_done(&a);
	sr_am_alerts_done(&b);	/* the blocks only: ASan's leak check sees the rest was freed */
}

/* Only a 2xx answer (or none: a file) is parsed; 1xx and 3xx (an SSO proxy's 302) fail. */
static void
test_status_boundaries(void **state)
{
	static const long good[] = { 0, 200, 201, 204, 299 };
	static const long badst[] = { 1, 100, 199, 300, 302, 304, 400, 500 };
	size_t plen;
	char *post = fixture("silence_post.json", &plen);

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		const long *st = k == 0 ? good : badst;
		size_t n = k == 0 ? SR_ARRAY_LEN(good) : SR_ARRAY_LEN(badst);

		for (size_t i = 0; i < n; i++) {
			struct sr_am_alerts a;
			struct sr_am_groups g;
			struct sr_am_silences s;
			char *err = NULL, *id = NULL, want[32];
			int rc[5];

			memset(&g, 0, sizeof(g));
			snprintf(want, sizeof(want), "u: HTTP %ld", st[i]);
			rc[0] = sr_am_parse_alerts("[]", 2, st[i], "u", &a, &err);
			sr_am_alerts_done(&a);
			if (k == 1) {
				assert_non_null(strstr(err, want));
				free(err);
				err = NULL;
			}
			rc[1] = sr_am_parse_groups("[]", 2, st[i], "u", &g, &err);
			sr_am_groups_done(&g);
			if (k == 1) {
				assert_non_null(strstr(err, want));
				free(err);
				err = NULL;
			}
			rc[2] = sr_am_parse_silences("[]", 2, st[i], "u", &s, &err);
			sr_am_silences_done(&s);
			if (k == 1) {
				assert_non_null(strstr(err, want));
				free(err);
				err = NULL;
			}
			rc[3] = sr_am_parse_silence_id(post, plen, st[i], "u", &id, &err);
			if (k == 0)
				assert_string_equal(id, "29635d23-262f-4622-b90c-f14472f0c11f");
			else
				assert_null(id);	/* no silence counted as created */
			free(id);
			if (k == 1) {
				assert_non_null(strstr(err, want));
				free(err);
				err = NULL;
			}
			rc[4] = sr_am_check_status("", 0, st[i], "u", &err);
			if (k == 1) {
				assert_string_equal(err, want);
				free(err);
				err = NULL;
			}
			for (int j = 0; j < 5; j++)
				if (rc[j] != (k == 0 ? 0 : -1))
					fail_msg("status %ld, parser %d: %d", st[i], j, rc[j]);
		}
	}
	free(post);
}

/* What an error answer's body becomes in the message: its message, else its first line. */
static void
test_error_messages(void **state)
{
	char body[400], *err = NULL, want[400];

	(void)state;
	memset(body, 'x', sizeof(body));
	assert_int_equal(sr_am_check_status(body, sizeof(body), 502, "u", &err), -1);
	memset(want, 'x', 300);
	want[300] = '\0';
	assert_non_null(strstr(err, want));
	assert_int_equal(strlen(err), strlen("u: HTTP 502: ") + 300);
	free(err);
	err = NULL;
	assert_int_equal(sr_am_check_status(body, 300, 502, "u", &err), -1);
	assert_int_equal(strlen(err), strlen("u: HTTP 502: ") + 300);
	free(err);
	err = NULL;
	assert_int_equal(sr_am_check_status("first\nsecond", 12, 302, "u", &err), -1);
	assert_string_equal(err, "u: HTTP 302: first");
	free(err);
	err = NULL;
	assert_int_equal(sr_am_check_status("\"a \\u001b[2J string\"", 21, 400, "u", &err), -1);
	assert_string_equal(err, "u: HTTP 400: a \xEF\xBF\xBD[2J string");
	free(err);
	err = NULL;
	assert_int_equal(sr_am_check_status("{\"message\":\"m\",\"code\":1}", 25, 422, "u", &err), -1);
	assert_string_equal(err, "u: HTTP 422: m");
	free(err);
	err = NULL;
	assert_int_equal(sr_am_check_status("{\"code\":1}", 10, 500, "u", &err), -1);
	assert_string_equal(err, "u: HTTP 500: {\"code\":1}");
	free(err);
	err = NULL;
	assert_int_equal(sr_am_check_status("", 0, 503, "u", &err), -1);
	assert_string_equal(err, "u: HTTP 503");
	free(err);
}

/* Matcher values holding a newline, a double quote and a backslash, as filter= parameters. */
static void
test_filter_escapes(void **state)
{
	struct sr_matchers m;
	struct sr_am_filter f = { 0, 1, 0, 1 };
	char *err = NULL, *u;

	(void)state;
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse(&m, "a=\"q\\\"x\\\\y\\nz\"", &err), 0);
	assert_string_equal(m.v[0].value, "q\"x\\y\nz");
	u = sr_am_alerts_url("http://am:9093", &f, &m);
	assert_string_equal(u, "http://am:9093/api/v2/alerts?active=false&silenced=true&"
			    "inhibited=false&unprocessed=true&filter=a%3D%22q%5C%22x%5C%5Cy%5Cnz%22");
	free(u);
	u = sr_am_groups_url("http://am:9093/", &f, &m);
	assert_non_null(strstr(u, "/api/v2/alerts/groups?"));
	assert_non_null(strstr(u, "&filter=a%3D%22q%5C%22x%5C%5Cy%5Cnz%22"));
	free(u);
	sr_matchers_done(&m);
	/* no matchers: no filter */
	u = sr_am_alerts_url("http://am:9093", &f, &m);
	assert_null(strstr(u, "filter="));
	free(u);
}

/* The order of the alert list: severity (unknown and missing last), newest, name, fingerprint. */
static void
test_sort_order(void **state)
{
	struct sr_am_alerts a;

	(void)state;
	memset(&a, 0, sizeof(a));
	add_alert(&a, "f5", "E", "page-me", SR_AM_ACTIVE, NULL);
	add_alert(&a, "f4", "D", "INFO", SR_AM_ACTIVE, NULL);
	add_alert(&a, "f3", "C", "Error", SR_AM_ACTIVE, NULL);
	add_alert(&a, "f2", "B", "critical", SR_AM_ACTIVE, NULL);
	add_alert(&a, "f1", "B", "critical", SR_AM_ACTIVE, NULL);
	add_alert(&a, "f0", "A", "critical", SR_AM_ACTIVE, NULL);
	add_alert(&a, "f6", "Z", "warning", SR_AM_ACTIVE, NULL);
	add_alert(&a, "f7", "Y", "warning", SR_AM_ACTIVE, NULL);
	/* f6 is newer than f7; f8 has no severity label at all */
	a.v[6].starts_at = 200;
	a.v[7].starts_at = 100;
	add_alert(&a, "f8", "X", "x", SR_AM_ACTIVE, NULL);
	free(a.v[8].labels[1].name);
	free(a.v[8].labels[1].value);
	a.v[8].n_labels = 1;
	sr_am_alerts_sort(&a);
	{
		static const char *const want[] = { "f0", "f1", "f2", "f3", "f6", "f7", "f4", "f5",
						    "f8" };

		for (size_t i = 0; i < SR_ARRAY_LEN(want); i++)
			if (strcmp(a.v[i].fingerprint, want[i]) != 0)
				fail_msg("position %zu: %s, wanted %s", i, a.v[i].fingerprint,
					 want[i]);
	}
	sr_am_alerts_done(&a);
}

/* Each matcher of a silence body carries its name and value, as parsed. */
static void
test_silence_json_matchers(void **state)
{
	struct sr_matchers m;
	char *err = NULL, *js;
	cJSON *root, *arr;

	(void)state;
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse(&m, "alertname=X,job=~\"a|b\",env!=\"q\\\"x\"", &err), 0);
	js = sr_am_silence_json(&m, 1795461707, 1795468907, "alice", "c", "id-1");
	root = cJSON_Parse(js);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "id")->valuestring, "id-1");
	assert_string_equal(cJSON_GetObjectItem(root, "endsAt")->valuestring,
			    "2026-11-23T21:21:47Z");
	arr = cJSON_GetObjectItem(root, "matchers");
	assert_int_equal(cJSON_GetArraySize(arr), 3);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "name")->valuestring,
			    "alertname");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "value")->valuestring,
			    "X");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "name")->valuestring,
			    "job");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "value")->valuestring,
			    "a|b");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 2), "value")->valuestring,
			    "q\"x");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "isEqual")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 2), "isRegex")));
	cJSON_Delete(root);
	free(js);
	sr_matchers_done(&m);
}

/* Receivers with more members than their name; the two kinds of unreadable body. */
static void
test_groups_receiver_and_bodies(void **state)
{
	static const char gb[] = "[{\"labels\":{\"a\":\"b\"},\"receiver\":{\"x\":[1,{}],"
				 "\"name\":\"team\",\"name\":\"second\",\"y\":\"z\"},\"alerts\":[]}]";
	struct sr_am_groups g;
	struct sr_am_alerts a;
	struct sr_am_silences s;
	char *err = NULL;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(sr_am_parse_groups(gb, sizeof(gb) - 1, 200, "u", &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.v[0].receiver, "team");
	assert_string_equal(sr_label_get(g.v[0].labels, g.v[0].n_labels, "a"), "b");
	sr_am_groups_done(&g);
	/* empty vs broken */
	assert_int_equal(sr_am_parse_groups("", 0, 200, "u", &g, &err), -1);
	assert_string_equal(err, "unexpected response from u: empty body, expected JSON");
	free(err);
	err = NULL;
	sr_am_groups_done(&g);
	assert_int_equal(sr_am_parse_groups("[{", 2, 200, "u", &g, &err), -1);
	assert_string_equal(err, "unexpected response from u: invalid JSON");
	free(err);
	err = NULL;
	sr_am_groups_done(&g);
	assert_int_equal(sr_am_parse_groups("[] 1", 4, 200, "u", &g, &err), -1);
	assert_string_equal(err, "unexpected response from u: invalid JSON");
	free(err);
	err = NULL;
	sr_am_groups_done(&g);
	(void)a;
	/* a silence matcher needs a name, a value and isRegex */
	{
		static const char *const bad[] = {
			"[{\"id\":\"s\",\"matchers\":[{\"name\":\"a\",\"value\":\"b\"}]}]",
			"[{\"id\":\"s\",\"matchers\":[{\"value\":\"b\",\"isRegex\":false}]}]",
			"[{\"id\":\"s\",\"matchers\":[{\"name\":\"a\",\"isRegex\":false}]}]",
			"[{\"id\":\"s\",\"matchers\":[{\"name\":1,\"value\":\"b\",\"isRegex\":false}]}]",
		};

		for (size_t i = 0; i < SR_ARRAY_LEN(bad); i++) {
			if (sr_am_parse_silences(bad[i], strlen(bad[i]), 200, "u", &s, &err) != -1)
				fail_msg("silence %zu accepted", i);
			free(err);
			err = NULL;
			sr_am_silences_done(&s);
		}
		assert_int_equal(sr_am_parse_silences(
			"[{\"id\":\"s\",\"matchers\":[{\"name\":\"a\",\"value\":\"b\",\"isRegex\":true,"
			"\"isEqual\":false}]}]", 81, 200, "u", &s, &err), 0);
		assert_int_equal(s.v[0].matchers.v[0].op, SR_MATCH_NRE);
		sr_am_silences_done(&s);
	}
}

/* --- sixth round (issue 17, seed 29's survivors) --- */

/* A packed alert is left zeroed by done, as an unpacked one: done twice is harmless. */
static void
test_done_zeroes_packed(void **state)
{
	static const char body[] = "[{\"fingerprint\":\"f1\",\"labels\":{\"a\":\"b\"},"
				   "\"receivers\":[{\"name\":\"r\"}]}]";
	struct sr_am_alerts a;
	struct sr_am_alert zero;
	char *err = NULL;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	assert_int_equal(sr_am_parse_alerts(body, strlen(body), 200, "u", &a, &err), 0);
	assert_int_equal(a.n, 1);
	sr_am_alert_pack(&a.v[0]);
	assert_non_null(a.v[0].pack);
	sr_am_alert_done(&a.v[0]);
	assert_memory_equal(&a.v[0], &zero, sizeof(zero));
	sr_am_alert_done(&a.v[0]);
	sr_am_alerts_done(&a);
}

/*
 * Valid JSON of the wrong shape inside an alert is named by the member that holds it (not the
 * generic "unexpected JSON structure"): a receiver that is not an object, a status member whose
 * name the reader cannot take (a NUL).
 */
static void
test_alert_member_shapes_named(void **state)
{
	(void)state;
	expect_alerts_fail("[{\"labels\":{},\"fingerprint\":\"f\",\"receivers\":[1]}]", 200,
			   "alert 0: receivers is not a list of receivers");
	expect_alerts_fail("[{\"labels\":{},\"fingerprint\":\"f\",\"receivers\":[{\"name\":\"a\"},"
			   "\"b\"]}]", 200, "alert 0: receivers is not a list of receivers");
	expect_alerts_fail("[{\"labels\":{},\"fingerprint\":\"f\","
			   "\"status\":{\"\\u0000\":\"x\"}}]", 200, "alert 0: bad status");
}

/* A group member sitrep does not read is skipped, whatever its value. */
static void
test_groups_unknown_members(void **state)
{
	static const char gb[] = "[{\"extra\":{\"a\":[1,{\"b\":null}]},\"labels\":{\"a\":\"b\"},"
				 "\"more\":true,\"receiver\":{\"name\":\"team\"},\"alerts\":[],"
				 "\"last\":\"x\"},{\"z\":0}]";
	struct sr_am_groups g;
	char *err = NULL;

	(void)state;
	if (sr_am_parse_groups(gb, sizeof(gb) - 1, 200, "u", &g, &err) != 0)
		fail_msg("%s", err);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.v[0].receiver, "team");
	assert_string_equal(sr_label_get(g.v[0].labels, g.v[0].n_labels, "a"), "b");
	assert_null(g.v[1].receiver);
	sr_am_groups_done(&g);
}

/* A silence whose Alertmanager gave no (known) state: from its times, each edge second. */
static void
test_silence_state_from_times(void **state)
{
	struct sr_am_silence s;
	const sr_time now = 1795461707;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.starts_at = now - 60;
	s.ends_at = now + 1;
	assert_string_equal(sr_am_silence_state(&s, now), "active");
	s.ends_at = now;
	assert_string_equal(sr_am_silence_state(&s, now), "expired");
	s.ends_at = now - 1;
	assert_string_equal(sr_am_silence_state(&s, now), "expired");
	s.ends_at = 0;		/* no end known */
	assert_string_equal(sr_am_silence_state(&s, now), "active");
	s.starts_at = now + 1;
	assert_string_equal(sr_am_silence_state(&s, now), "pending");
	s.starts_at = now;
	assert_string_equal(sr_am_silence_state(&s, now), "active");
	s.ends_at = now - 1;
	s.state = "active";	/* the Alertmanager's word wins over the times */
	assert_string_equal(sr_am_silence_state(&s, now), "active");
	s.state = "bogus";
	assert_string_equal(sr_am_silence_state(&s, now), "expired");
}

static const char *
body_str(const char *body, const char *key)
{
	static char out[64];
	cJSON *root = cJSON_Parse(body);
	const cJSON *v;

	assert_non_null(root);
	v = cJSON_GetObjectItemCaseSensitive(root, key);
	snprintf(out, sizeof(out), "%s", cJSON_IsString(v) ? v->valuestring : "(none)");
	cJSON_Delete(root);
	return out;
}

/* Extending a live silence, re-creating an expired one, and each refusal. */
static void
test_silence_extend_recreate(void **state)
{
	struct sr_am_silence s;
	const sr_time now = 1795461707;	/* 2026-11-23T19:21:47Z */
	char *body = NULL, *err = NULL;

	(void)state;
	memset(&s, 0, sizeof(s));
	sr_matchers_init(&s.matchers);
	assert_int_equal(sr_matchers_parse(&s.matchers, "alertname=X", &err), 0);
	s.id = "sil-1";
	s.created_by = "alice";
	s.comment = "deploy";
	s.starts_at = now - 3600;
	s.ends_at = now + 600;
	/* by an hour past its end */
	assert_int_equal(sr_am_silence_extend_json(&s, now, 3600, 0, &body, &err), 0);
	assert_string_equal(body_str(body, "id"), "sil-1");
	assert_string_equal(body_str(body, "endsAt"), "2026-11-23T20:31:47Z");
	assert_string_equal(body_str(body, "startsAt"), "2026-11-23T18:21:47Z");
	assert_string_equal(body_str(body, "createdBy"), "alice");
	free(body);
	/* to a given time; not to one at or before its end */
	assert_int_equal(sr_am_silence_extend_json(&s, now, 0, now + 601, &body, &err), 0);
	assert_string_equal(body_str(body, "endsAt"), "2026-11-23T19:31:48Z");
	free(body);
	assert_int_equal(sr_am_silence_extend_json(&s, now, 0, now + 600, &body, &err), -1);
	assert_null(body);
	assert_string_equal(err, "the new end is not later than the silence's end");
	free(err);
	err = NULL;
	/* a live silence is not re-created */
	assert_int_equal(sr_am_silence_recreate_json(&s, now, 60, "bob", NULL, &body, &err), -1);
	assert_string_equal(err, "silence sil-1 is active: extend it instead");
	free(err);
	err = NULL;
	/* expired (at its end second): re-created, not extended */
	s.ends_at = now;
	assert_int_equal(sr_am_silence_extend_json(&s, now, 3600, 0, &body, &err), -1);
	assert_string_equal(err, "silence sil-1 has expired: re-create it instead");
	free(err);
	err = NULL;
	assert_int_equal(sr_am_silence_recreate_json(&s, now, 60, "bob", NULL, &body, &err), 0);
	assert_string_equal(body_str(body, "id"), "(none)");
	assert_string_equal(body_str(body, "startsAt"), "2026-11-23T19:21:47Z");
	assert_string_equal(body_str(body, "endsAt"), "2026-11-23T19:22:47Z");
	assert_string_equal(body_str(body, "createdBy"), "bob");
	assert_string_equal(body_str(body, "comment"), "deploy");
	free(body);
	sr_matchers_done(&s.matchers);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alerts_fixtures),
		cmocka_unit_test(test_alerts_broken),
		cmocka_unit_test(test_alerts_hostile_labels),
		cmocka_unit_test(test_reader_pieces),
		cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_silences),
		cmocka_unit_test(test_silence_json),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_status_boundaries),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_filter_escapes),
		cmocka_unit_test(test_sort_order),
		cmocka_unit_test(test_silence_json_matchers),
		cmocka_unit_test(test_groups_receiver_and_bodies),
		cmocka_unit_test(test_pack),
		cmocka_unit_test(test_done_zeroes_packed),
		cmocka_unit_test(test_alert_member_shapes_named),
		cmocka_unit_test(test_groups_unknown_members),
		cmocka_unit_test(test_silence_state_from_times),
		cmocka_unit_test(test_silence_extend_recreate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

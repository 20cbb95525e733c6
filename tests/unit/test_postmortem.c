/* SPDX-License-Identifier: MIT */
/* test_postmortem.c: the post-mortem model's computed figures, its Markdown escaping, stats. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "postmortem.h"
#include "stats.h"

#define T0 1795403520	/* 2026-11-23T03:12:00Z */

static void
test_duration(void **state)
{
	char b[32];

	assert_string_equal(sr_pm_duration(45, b, sizeof b), "45s");
	assert_string_equal(sr_pm_duration(720, b, sizeof b), "12m");
	assert_string_equal(sr_pm_duration(750, b, sizeof b), "12m30s");
	assert_string_equal(sr_pm_duration(3900, b, sizeof b), "1h05m");
	assert_string_equal(sr_pm_duration(-3900, b, sizeof b), "1h05m");
	assert_string_equal(sr_pm_duration(2 * 86400 + 3 * 3600, b, sizeof b), "2d03h");
}

/* The model of a P1 acknowledged after 27 minutes, resolved after 50. */
static const struct sr_tval *
model(struct sr_tdata *d, struct sr_config *cfg, struct sr_incident *inc,
      struct sr_event_list *ev)
{
	struct sr_pm_input in = { 0 };
	char *err = NULL;

	sr_incident_init(inc);
	assert_int_equal(sr_incident_new(inc, "# a | b @here <x>", "checkout", SR_SEV_P1, NULL,
					 "alice", T0, ev, &err), 0);
	snprintf(inc->id, sizeof inc->id, "INC-2026-001");
	assert_int_equal(sr_incident_ack(inc, "bob", T0 + 27 * 60, ev, &err), 0);
	assert_int_equal(sr_incident_resolve(inc, NULL, NULL, "bob", T0 + 50 * 60, ev, &err), 0);
	in.cfg = cfg;
	in.inc = inc;
	in.ev = ev;
	in.chain_head = "";
	in.now = T0 + 86400;
	return sr_pm_model(d, &in);
}

static const char *
str(const struct sr_tval *o, const char *path)
{
	const struct sr_tval *v = o;
	const char *p = path;

	while (v != NULL && *p != '\0') {
		size_t n = strcspn(p, ".");

		if (v->type == SR_TV_LIST) {
			size_t k = (size_t)atoi(p);

			for (v = v->first; v != NULL && k > 0; k--)
				v = v->next;
		} else {
			v = sr_tv_get(v, p, n);
		}
		p += n + (p[n] == '.');
	}
	assert_non_null(v);
	return v->type == SR_TV_STR ? v->str : v->type == SR_TV_NULL ? "null" : "?";
}

static void
test_timers(void **state)
{
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_tdata *d = sr_tdata_new();
	const struct sr_tval *m;

	sr_config_init(&cfg);
	m = model(d, &cfg, &inc, &ev);
	assert_string_equal(str(m, "timers.1.name"), "acknowledge");
	assert_string_equal(str(m, "timers.1.duration"), "27m");
	assert_string_equal(str(m, "timers.1.verdict"), "breached by 12m");
	assert_string_equal(str(m, "timers.2.verdict"), "met");
	assert_string_equal(str(m, "timers.0.verdict"),
			    "unknown: no linked alert in the last alert snapshot says when it started");
	assert_string_equal(str(m, "severity_time.0.duration"), "50m");
	assert_string_equal(str(m, "banner"), "null");
	assert_string_equal(str(m, "authors_text"), "alice, bob");
	sr_tdata_free(d);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_config_done(&cfg);
}

static void
test_markdown_inert(void **state)
{
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_tdata *d = sr_tdata_new();
	const struct sr_tval *m;
	struct sr_buf out;
	char *err = NULL;
	const char *tpl = "{{title}}|{{#timers}}{{{verdict}}};{{/timers}}";

	sr_config_init(&cfg);
	m = model(d, &cfg, &inc, &ev);
	sr_buf_init(&out);
	assert_int_equal(sr_pm_render(m, "t", tpl, strlen(tpl), &out, &err), 0);
	assert_string_equal(out.data, "\\# a \\| b @\xE2\x81\xA0here \\<x\\>|unknown: no linked "
			    "alert in the last alert snapshot says when it started;breached by "
			    "12m;met;");
	sr_buf_done(&out);
	sr_buf_init(&out);
	assert_int_equal(sr_pm_render(m, "t", "{{titel}}", 9, &out, &err), -1);
	assert_non_null(strstr(err, "did you mean \"title\""));
	free(err);
	sr_buf_done(&out);
	sr_tdata_free(d);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_config_done(&cfg);
}

/* Nearest rank: of 1..10 minutes the median is the 5th, p90 the 9th; one value is both. */
static void
test_stats_percentiles(void **state)
{
	struct sr_config cfg;
	struct sr_stats s;
	struct sr_stats_query q = { .since = 0, .until = T0 + 1 };
	struct sr_stats_sink k;
	char id[SR_ID_MAX];

	sr_config_init(&cfg);
	sr_stats_init(&s, &cfg, T0 + 86400, &q);
	k = sr_stats_sink(&s);
	for (int i = 10; i >= 1; i--) {
		struct sr_stats_incident r = { .id = id, .sev = SR_SEV_P2,
					       .status = SR_ST_RESOLVED, .created = T0 };

		snprintf(id, sizeof id, "INC-2026-%03d", i);
		r.acked = T0 + 60 * i;
		r.resolved = T0 + 3600 * i;
		k.incident(k.arg, &r);
	}
	k.update(k.arg, "INC-2026-001", T0 + 1800);	/* 30m: on time for P2 */
	k.update(k.arg, "INC-2026-001", T0 + 3601);	/* 30m01s after it: late */
	k.update(k.arg, "INC-2026-999", T0 + 60);	/* not in the window: ignored */
	k.escalation(k.arg, "INC-2026-002", 1);
	k.escalation(k.arg, "INC-2026-999", 3);
	sr_stats_finish(&s);
	assert_int_equal(s.incidents, 10);
	assert_int_equal(s.mtta.median, 300);
	assert_int_equal(s.mtta.p90, 540);
	assert_int_equal(s.mttr.median, 5 * 3600);
	assert_int_equal(s.mttr.p90, 9 * 3600);
	assert_int_equal(s.updates, 2);
	assert_int_equal(s.updates_on_time, 1);
	assert_int_equal(s.escalations[1], 1);
	assert_int_equal(s.escalations[3], 0);
	/* P2 resolve within 4h: 1h..4h met, 5h..10h breached */
	assert_int_equal(s.resolve_breached[SR_SEV_P2], 6);
	sr_stats_done(&s);

	sr_stats_init(&s, &cfg, T0, &q);
	sr_stats_finish(&s);
	assert_int_equal(s.mtta.n, 0);
	assert_int_equal(s.mtta.median, 0);
	sr_stats_done(&s);
	sr_config_done(&cfg);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Percentiles are found by selection, not by sorting: for many sizes (1..300) and value
 * spreads (many repeats, all equal, sorted, reversed, random) they equal the nearest rank
 * of the sorted values.
 */
static void
test_stats_select(void **state)
{
	struct sr_config cfg;
	unsigned seed = 12345;

	(void)state;
	sr_config_init(&cfg);
	for (int n = 1; n <= 300; n += (n < 20 ? 1 : 7)) {
		for (int shape = 0; shape < 5; shape++) {
			struct sr_stats s;
			struct sr_stats_query q = { .since = 0, .until = T0 + 1 };
			struct sr_stats_sink k;
			int64_t *ref = calloc((size_t)n, sizeof *ref);
			char id[SR_ID_MAX];

			assert_non_null(ref);
			sr_stats_init(&s, &cfg, T0 + 86400, &q);
			k = sr_stats_sink(&s);
			for (int i = 0; i < n; i++) {
				struct sr_stats_incident r = { .id = id, .sev = SR_SEV_P3,
							       .status = SR_ST_RESOLVED,
							       .created = T0 };

				seed = seed * 1103515245u + 12345u;
				ref[i] = shape == 0 ? (int64_t)((seed >> 16) % 5) : shape == 1 ? 7 :
					 shape == 2 ? (int64_t)i : shape == 3 ? (int64_t)(n - i) :
					 (int64_t)((seed >> 8) % 100000);
				snprintf(id, sizeof id, "INC-2026-%06d", i + 1);
				r.acked = T0 + ref[i];
				r.resolved = T0 + 1000000 - ref[i];
				k.incident(k.arg, &r);
			}
			sr_stats_finish(&s);
			qsort(ref, (size_t)n, sizeof *ref, cmp_i64);
			assert_int_equal(s.mtta.median, ref[(50 * n + 99) / 100 - 1]);
			assert_int_equal(s.mtta.p90, ref[(90 * n + 99) / 100 - 1]);
			/* ttr runs the other way: its median is from the other end */
			assert_int_equal(s.mttr.median,
					 1000000 - ref[n - (50 * n + 99) / 100]);
			assert_int_equal(s.mttr.p90, 1000000 - ref[n - (90 * n + 99) / 100]);
			sr_stats_done(&s);
			free(ref);
		}
	}
	sr_config_done(&cfg);
}

/*
 * Counts by severity and service (sorted by count, then name), the query kept, escalations
 * and updates matched to the incidents fed (2,000 of them: the id table grows twice), only
 * levels 1..3, updates on time up to the cadence inclusive, action items by owner.
 */
static void
test_stats_breakdown(void **state)
{
	struct sr_config cfg;
	struct sr_stats s;
	struct sr_stats_query q = { .since = 5, .until = T0 + 1, .service = "api" };
	struct sr_stats_sink k;
	struct sr_action acts[6];
	struct sr_action_list al = { .v = acts, .n = 6 };
	static const char *const svc[] = { "db", "api", NULL, "api", "db", "web", "api" };
	char id[SR_ID_MAX];
	int64_t every;

	(void)state;
	sr_config_init(&cfg);
	every = cfg.sev[SR_SEV_P3].update_every;
	sr_stats_init(&s, &cfg, T0 + 100, &q);
	assert_ptr_equal(s.cfg, &cfg);
	assert_int_equal(s.now, T0 + 100);
	assert_int_equal(s.q.since, 5);
	assert_int_equal(s.q.until, T0 + 1);
	assert_string_equal(s.q.service, "api");
	k = sr_stats_sink(&s);
	/* before any incident: nothing to match */
	k.escalation(k.arg, "INC-2026-000001", 1);
	k.update(k.arg, "INC-2026-000001", T0);
	for (int i = 1; i <= 2000; i++) {
		struct sr_stats_incident r = { .id = id, .sev = (enum sr_sev)(i % 4),
					       .status = i <= 7 ? SR_ST_TRIGGERED : SR_ST_RESOLVED,
					       .created = T0, .service = svc[i % 7] };

		snprintf(id, sizeof id, "INC-2026-%06d", i);
		if (i > 7)
			r.resolved = r.closed = T0 + 10;
		k.incident(k.arg, &r);
	}
	{
		struct sr_stats_incident bad = { .id = "INC-2026-999999", .sev = (enum sr_sev)4 };

		k.incident(k.arg, &bad);	/* no such severity: not counted, not remembered */
	}
	assert_int_equal(s.incidents, 2000);
	assert_int_equal(s.open, 7);
	for (int v = 0; v < SR_SEV_COUNT; v++) {
		assert_int_equal(s.by_sev[v], 500);
		assert_int_equal(s.respond_n[v], 500);
		assert_int_equal(s.resolve_n[v], 500);
	}
	for (int i = 1; i <= 2000; i++) {
		snprintf(id, sizeof id, "INC-2026-%06d", i);
		k.escalation(k.arg, id, 1 + i % 3);
	}
	k.escalation(k.arg, "INC-2026-000001", 0);
	k.escalation(k.arg, "INC-2026-000001", SR_LEVEL_COUNT);
	k.escalation(k.arg, "INC-2026-999999", 2);
	k.escalation(k.arg, "INC-2026-002001", 2);
	assert_int_equal(s.escalations[0], 0);
	assert_int_equal(s.escalations[1], 666);
	assert_int_equal(s.escalations[2], 667);
	assert_int_equal(s.escalations[3], 667);
	/* INC-...0002 is P3: on time at exactly the cadence, late one second past it */
	k.update(k.arg, "INC-2026-000002", T0 + every);
	k.update(k.arg, "INC-2026-000002", T0 + 2 * every + 1);
	k.update(k.arg, "INC-2026-000002", T0 + 3 * every + 1);
	k.update(k.arg, "INC-2026-999999", T0);
	assert_int_equal(s.updates, 3);
	assert_int_equal(s.updates_on_time, 2);
	memset(acts, 0, sizeof(acts));
	acts[0].owner = "bob";
	acts[0].due = T0 + 99;	/* overdue */
	acts[1].owner = "amy";
	acts[1].due = T0 + 100;	/* due now: not yet overdue */
	acts[2].owner = "cy";
	acts[2].due = T0 + 500;
	acts[3].owner = "bob";
	acts[3].due = T0 + 500;
	acts[4].owner = "amy";
	acts[4].due = T0;
	acts[5].owner = "dan";
	acts[5].due = T0;
	acts[5].done_at = T0;	/* done: not counted */
	sr_stats_actions(&s, &al);
	sr_stats_finish(&s);
	assert_int_equal(s.open_actions, 5);
	assert_int_equal(s.n_owners, 3);
	assert_string_equal(s.owners[0].key, "amy");
	assert_int_equal(s.owners[0].n, 2);
	assert_int_equal(s.owners[0].overdue, 1);
	assert_string_equal(s.owners[1].key, "bob");
	assert_int_equal(s.owners[1].n, 2);
	assert_int_equal(s.owners[1].overdue, 1);
	assert_string_equal(s.owners[2].key, "cy");
	assert_int_equal(s.owners[2].overdue, 0);
	/* 2000 over 7 services: api 3/7, db 2/7, "-" (none) and web 1/7 each; a tie by name */
	assert_int_equal(s.n_service, 4);
	assert_string_equal(s.by_service[0].key, "api");
	assert_int_equal(s.by_service[0].n, 857);
	assert_string_equal(s.by_service[1].key, "db");
	assert_int_equal(s.by_service[1].n, 571);
	assert_string_equal(s.by_service[2].key, "-");
	assert_int_equal(s.by_service[2].n, 286);
	assert_string_equal(s.by_service[3].key, "web");
	assert_int_equal(s.by_service[3].n, 286);
	/* times: 1993 resolved after 10 s, none acknowledged */
	assert_int_equal(s.mttr.n, 1993);
	assert_int_equal(s.mttr.median, 10);
	assert_int_equal(s.mtta.n, 0);
	assert_int_equal(s.mtta.p90, 0);
	sr_stats_done(&s);
	sr_config_done(&cfg);
}

/* An incident closed without a resolution time: its timers stop at the close, as in the
 * console (closed within the respond and resolve targets: none breached). */
static void
test_stats_closed_unresolved(void **state)
{
	struct sr_config cfg;
	struct sr_stats s;
	struct sr_stats_query q = { .since = 0, .until = T0 + 1 };
	struct sr_stats_sink k;
	struct sr_stats_incident r = { .id = "INC-2026-001", .sev = SR_SEV_P2,
				       .status = SR_ST_CLOSED, .created = T0 };

	(void)state;
	sr_config_init(&cfg);
	r.closed = T0 + 60;
	sr_stats_init(&s, &cfg, T0 + 30 * 86400, &q);
	k = sr_stats_sink(&s);
	k.incident(k.arg, &r);
	sr_stats_finish(&s);
	assert_int_equal(s.open, 0);
	assert_int_equal(s.respond_n[SR_SEV_P2], 1);
	assert_int_equal(s.respond_breached[SR_SEV_P2], 0);
	assert_int_equal(s.resolve_breached[SR_SEV_P2], 0);
	assert_int_equal(s.mttr.n, 0);
	sr_stats_done(&s);
	sr_config_done(&cfg);
}

/* The respond timer stops at acknowledgement: an incident acknowledged within the target and
 * still open a day later did not breach it; one acknowledged after the target did. */
static void
test_stats_acked_stops_respond(void **state)
{
	struct sr_config cfg;
	struct sr_stats s;
	struct sr_stats_query q = { .since = 0, .until = T0 + 1 };
	struct sr_stats_sink k;
	struct sr_stats_incident r = { .id = "INC-2026-001", .sev = SR_SEV_P1,
				       .status = SR_ST_ACKNOWLEDGED, .created = T0 };

	(void)state;
	sr_config_init(&cfg);
	sr_stats_init(&s, &cfg, T0 + 86400, &q);
	k = sr_stats_sink(&s);
	r.acked = T0 + cfg.sev[SR_SEV_P1].respond - 1;
	k.incident(k.arg, &r);
	r.id = "INC-2026-002";
	r.acked = T0 + cfg.sev[SR_SEV_P1].respond + 60;
	k.incident(k.arg, &r);
	sr_stats_finish(&s);
	assert_int_equal(s.open, 2);
	assert_int_equal(s.respond_n[SR_SEV_P1], 2);
	assert_int_equal(s.respond_breached[SR_SEV_P1], 1);
	/* neither is resolved a day later: both past the resolve target */
	assert_int_equal(s.resolve_breached[SR_SEV_P1], 2);
	sr_stats_done(&s);
	sr_config_done(&cfg);
}

/* Nearest rank of 1, 2, 3, 4 minutes fed in disorder: median the 2nd, p90 the 4th. */
static void
test_stats_even_ranks(void **state)
{
	struct sr_config cfg;
	struct sr_stats s;
	struct sr_stats_query q = { .since = 0, .until = T0 + 1 };
	struct sr_stats_sink k;
	static const int mins[] = { 3, 1, 4, 2 };
	char id[SR_ID_MAX];

	(void)state;
	sr_config_init(&cfg);
	sr_stats_init(&s, &cfg, T0 + 86400, &q);
	k = sr_stats_sink(&s);
	for (int i = 0; i < 4; i++) {
		struct sr_stats_incident r = { .id = id, .sev = SR_SEV_P1,
					       .status = SR_ST_ACKNOWLEDGED, .created = T0,
					       .acked = T0 + 60 * mins[i] };

		snprintf(id, sizeof id, "INC-2026-%03d", i + 1);
		k.incident(k.arg, &r);
	}
	sr_stats_finish(&s);
	assert_int_equal(s.mtta.n, 4);
	assert_int_equal(s.mtta.median, 120);
	assert_int_equal(s.mtta.p90, 240);
	assert_int_equal(s.mttr.n, 0);
	sr_stats_done(&s);
	sr_config_done(&cfg);
}

/*
 * A long timeline's model holds no item per event: the timeline and the lists read from it
 * are made while they are read (one item at a time), and read back whole and in order.
 */
static void
test_long_timeline_model(void **state)
{
	static const struct {
		enum sr_event_kind kind;
		const char *detail;
	} kinds[] = {
		{ SR_EV_NOTE, "note | <!channel>" },
		{ SR_EV_ROLE, "commander: bob -> carol" },
		{ SR_EV_UPDATE_SENT, "status update sent to #inc: ok" },
		{ SR_EV_CHECKLIST, "disk-full #2 [x] Free space" },
		{ SR_EV_ESCALATED, "escalated L1 -> L2 (Lead, @lead)" },
		{ SR_EV_ROLE, "nobody" },	/* no "role: person": no item in roles */
	};
	struct sr_config cfg;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_tdata *small = sr_tdata_new(), *big = sr_tdata_new();
	struct sr_pm_input in = { 0 };
	const struct sr_tval *m, *v;
	struct sr_tv_iter it;
	struct sr_buf out;
	size_t n = 0, held;
	char ts[32], *err = NULL;
	const char *tpl = "{{#escalations}}{{{level}}}{{/escalations}}|{{#roles}}{{person}}"
			  "{{/roles}}|{{#timeline}}{{pos}}{{/timeline}}";

	(void)state;
	sr_config_init(&cfg);
	model(small, &cfg, &inc, &ev);
	for (size_t i = 0; i < 6000; i++)
		sr_event_list_add(&ev, T0 + 3600 + (sr_time)i * 7, "alice", kinds[i % 6].kind, "%s",
				  kinds[i % 6].detail);
	in.cfg = &cfg;
	in.inc = &inc;
	in.ev = &ev;
	in.chain_head = "";
	in.now = T0 + 86400;
	m = sr_pm_model(big, &in);
	held = sr_tdata_bytes(big);
	/* 6,000 events more cost their list index (4 bytes each), not 1.6 kB of nodes each */
	assert_true(held - sr_tdata_bytes(small) <= 8 * 6000);
	assert_int_equal(sr_tv_get(m, "escalations", 11)->n, 1000);
	assert_int_equal(sr_tv_get(m, "roles", 5)->n, 1000);
	assert_int_equal(sr_tv_get(m, "updates", 7)->n, 1000);
	assert_int_equal(sr_tv_get(m, "checklist", 9)->n, 1000);
	for (v = sr_tv_first(&it, sr_tv_get(m, "timeline", 8)); v != NULL; v = sr_tv_next(&it)) {
		const struct sr_event *e = &ev.v[n++];

		assert_int_equal((size_t)sr_tv_get(v, "pos", 3)->num, n);
		assert_string_equal(sr_tv_get(v, "at", 2)->str, sr_time_format(e->at, ts, sizeof ts));
		assert_string_equal(sr_tv_get(v, "detail", 6)->str, e->detail);
	}
	assert_int_equal(n, ev.n);
	assert_int_equal(sr_tdata_bytes(big), held);
	sr_buf_init(&out);
	assert_int_equal(sr_pm_render(m, "t", tpl, strlen(tpl), &out, &err), 0);
	assert_int_equal(sr_tdata_bytes(big), held);
	assert_int_equal(strlen(out.data), 1000 * 2 + 1 + 1000 * 5 + 1 + 9 + 90 * 2 + 900 * 3 +
			 (ev.n - 999) * 4);
	assert_non_null(strstr(out.data, "L2L2|carolcarol"));
	sr_buf_done(&out);
	sr_tdata_free(small);
	sr_tdata_free(big);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_config_done(&cfg);
}

/* Printable ASCII skips the sanitiser: it must come out as the sanitised path writes it. */
static void
test_esc_md_paths(void **state)
{
	static const char *const cases[][2] = {
		{ "plain text", "plain text" },
		{ "# h", "\\# h" },
		{ "  12. x", "  12\\. x" },
		{ "a|b*c_d`e[f]g<h>i~j&k!l\\m", "a\\|b\\*c\\_d\\`e\\[f\\]g\\<h\\>i\\~j\\&k\\!l\\\\m" },
		{ "@here and @x", "@\xE2\x81\xA0here and @\xE2\x81\xA0x" },
		{ "@", "@\xE2\x81\xA0" },
		{ "> q", "\\> q" },
		{ "", "" },
		/* the same through the sanitiser: a tab and a line break become spaces */
		{ "#\th", "\\# h" },
		{ "a|b\nc", "a\\|b c" },
		{ "caf\xC3\xA9 | \x1B[31m", "caf\xC3\xA9 \\| \xEF\xBF\xBD\\[31m" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sr_buf b;

		sr_buf_init(&b);
		sr_buf_adds(&b, "");
		sr_pm_esc_md(&b, cases[i][0], strlen(cases[i][0]), NULL);
		assert_string_equal(b.data, cases[i][1]);
		sr_buf_done(&b);
	}
}

/*
 * A packed event list (what the export reads a timeline into) holds the same events as a
 * plain one: details formatted and flattened alike, across its blocks and past one block's
 * size, an actor shared with the event before, dropped events gone.
 */
static void
test_event_list_pack(void **state)
{
	struct sr_event_list plain = { 0 }, packed = { 0 };
	char *big = malloc(100000);

	(void)state;
	memset(big, 'x', 99999);
	big[99999] = '\0';
	sr_event_list_pack(&packed);
	for (int pass = 0; pass < 2; pass++) {
		struct sr_event_list *l = pass == 0 ? &plain : &packed;

		for (int i = 0; i < 5000; i++) {
			const char *actor = i % 7 == 0 ? "bob" : i % 11 == 0 ? NULL : "alice";

			if (i == 2500)
				sr_event_list_add(l, T0 + i, actor, SR_EV_NOTE, "%s", big);
			else
				sr_event_list_add(l, T0 + i, actor, i % 2 ? SR_EV_NOTE : SR_EV_ROLE,
						  "event %d:\n%s", i, i % 3 ? "line two" : "");
		}
		sr_event_list_drop(l, 4990);
		sr_event_list_add(l, T0, "carol", SR_EV_ROLE, "commander: %s", "carol");
	}
	assert_int_equal(packed.n, plain.n);
	assert_int_equal(packed.n, 4991);
	for (size_t i = 0; i < plain.n; i++) {
		assert_int_equal(packed.v[i].at, plain.v[i].at);
		assert_int_equal(packed.v[i].kind, plain.v[i].kind);
		assert_string_equal(packed.v[i].actor, plain.v[i].actor);
		assert_string_equal(packed.v[i].detail, plain.v[i].detail);
	}
	assert_string_equal(packed.v[2].detail, "event 2: line two");	/* flattened */
	assert_string_equal(packed.v[1].detail, "event 1:\nline two");	/* a note keeps it */
	assert_string_equal(packed.v[3].detail, "event 3:\n");
	assert_string_equal(packed.v[11].actor, "sitrep");
	assert_ptr_equal(packed.v[2].actor, packed.v[3].actor);
	assert_int_equal(strlen(packed.v[2500].detail), 99999);
	assert_string_equal(packed.v[4990].detail, "commander: carol");
	sr_event_list_done(&packed);
	sr_event_list_done(&plain);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_markdown_inert),
		cmocka_unit_test(test_stats_percentiles),
		cmocka_unit_test(test_stats_select),
		cmocka_unit_test(test_stats_breakdown),
		cmocka_unit_test(test_stats_even_ranks),
		cmocka_unit_test(test_stats_acked_stops_respond),
		cmocka_unit_test(test_stats_closed_unresolved),
		cmocka_unit_test(test_long_timeline_model),
		cmocka_unit_test(test_esc_md_paths),
		cmocka_unit_test(test_event_list_pack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

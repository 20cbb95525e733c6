/* SPDX-License-Identifier: MIT */
/* test_ack.c: acknowledgements as silences: comment format, recognition, the tick's step. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "util.h"

#define FMT "ACK! {incident} by {user}"
#define T0 ((sr_time)1795403520)

static void
test_comment_round_trip(void **state)
{
	char *c, *inc, *user;

	(void)state;
	c = sr_ack_comment(FMT, "INC-2026-005", "alice");
	assert_string_equal(c, "ACK! INC-2026-005 by alice");
	assert_true(sr_ack_parse(FMT, c, &inc, &user));
	assert_string_equal(inc, "INC-2026-005");
	assert_string_equal(user, "alice");
	free(inc);
	free(user);
	free(c);
	/* no incident: the space before it goes too, and it still reads back */
	c = sr_ack_comment(FMT, NULL, "bob");
	assert_string_equal(c, "ACK! by bob");
	assert_true(sr_ack_parse(FMT, c, &inc, &user));
	assert_string_equal(inc, "");
	assert_string_equal(user, "bob");
	free(inc);
	free(user);
	free(c);
	/* a configured format, user first */
	c = sr_ack_comment("{user} acked {incident} via sitrep", "INC-1", "carol d");
	assert_string_equal(c, "carol d acked INC-1 via sitrep");
	assert_true(sr_ack_parse("{user} acked {incident} via sitrep", c, &inc, &user));
	assert_string_equal(inc, "INC-1");
	assert_string_equal(user, "carol d");
	free(inc);
	free(user);
	free(c);
	/* ordinary silences are not acknowledgements */
	assert_false(sr_ack_parse(FMT, "disk swap, ticket OPS-12", &inc, &user));
	assert_null(inc);
	assert_null(user);
	assert_false(sr_ack_parse(FMT, "ACK! INC-1 by", &inc, &user) && *user != '\0');
	free(inc);
	free(user);
	assert_false(sr_ack_parse(FMT, "ACK!", &inc, &user));
	assert_false(sr_ack_parse(FMT, NULL, &inc, &user));
}

static void
silence(struct sr_am_silence *s, const char *id, const char *comment, sr_time start, sr_time end)
{
	memset(s, 0, sizeof(*s));
	s->id = sr_xstrdup(id);
	s->comment = sr_xstrdup(comment);
	s->created_by = sr_xstrdup("x");
	s->starts_at = start;
	s->ends_at = end;
}

static void
test_ack_of_and_text(void **state)
{
	struct sr_am_silences sil;
	struct sr_am_alert a;
	char *ids[] = { "s-other", "s-ack" }, *t;
	struct sr_ack ack;

	(void)state;
	sil.n = 3;
	sil.v = sr_xcalloc(3, sizeof(*sil.v));
	silence(&sil.v[0], "s-ack", "ACK! INC-2026-005 by alice", T0 - 60, T0 + 600);
	silence(&sil.v[1], "s-other", "maintenance", T0 - 60, T0 + 600);
	silence(&sil.v[2], "s-old", "ACK! INC-2026-001 by bob", T0 - 900, T0 - 1);
	sr_ack_index(&sil);
	memset(&a, 0, sizeof(a));
	a.silenced_by = ids;
	a.n_silenced_by = 2;
	assert_true(sr_ack_of(&a, &sil, FMT, T0, &ack));
	assert_string_equal(ack.silence->id, "s-ack");
	t = sr_ack_text(&ack);
	assert_string_equal(t, "acked by alice (INC-2026-005)");
	free(t);
	sr_ack_done(&ack);
	/* only an ordinary silence: not acked */
	a.n_silenced_by = 1;
	assert_false(sr_ack_of(&a, &sil, FMT, T0, &ack));
	/* an expired acknowledgement does not count */
	ids[0] = "s-old";
	assert_false(sr_ack_of(&a, &sil, FMT, T0, &ack));
	a.n_silenced_by = 0;
	assert_false(sr_ack_of(&a, &sil, FMT, T0, &ack));
	sr_am_silences_done(&sil);
}

static void
test_step(void **state)
{
	struct sr_am_silence s;

	(void)state;
	silence(&s, "id", "ACK! INC-1 by a", T0 - 600, T0 + 300);
	/* open incident, firing, 5m of 15m left: extended */
	assert_int_equal(sr_ack_step(&s, 1, 1, T0, 900), SR_ACK_EXTEND);
	/* more than half left: kept */
	assert_int_equal(sr_ack_step(&s, 1, 1, T0 - 200, 900), SR_ACK_KEEP);
	/* the alert stopped firing: left to run out, not extended */
	assert_int_equal(sr_ack_step(&s, 1, 0, T0, 900), SR_ACK_KEEP);
	/* the incident is resolved: expired, firing or not */
	assert_int_equal(sr_ack_step(&s, 0, 1, T0, 900), SR_ACK_EXPIRE);
	assert_int_equal(sr_ack_step(&s, 0, 0, T0, 900), SR_ACK_EXPIRE);
	/* already expired: nothing */
	assert_int_equal(sr_ack_step(&s, 0, 1, T0 + 301, 900), SR_ACK_KEEP);
	assert_int_equal(sr_ack_step(&s, 1, 1, T0 + 301, 900), SR_ACK_KEEP);
	sr_am_silence_done(&s);
}

/* Incident states for the plan: INC-1 open, INC-2 over, others unknown; counts questions. */
static int asked;

static int
open_of(void *arg, const char *id)
{
	(void)arg;
	asked++;
	if (strcmp(id, "INC-1") == 0)
		return 1;
	return strcmp(id, "INC-2") == 0 ? 0 : -1;
}

static void
test_plan(void **state)
{
	struct sr_am_silences sil;
	struct sr_am_alerts al;
	struct sr_ack_plan_item *plan;
	char *by_a[] = { "a" }, *by_b[] = { "b" }, *by_e[] = { "e" };
	size_t n;

	(void)state;
	sil.n = 6;
	sil.v = sr_xcalloc(6, sizeof(*sil.v));
	silence(&sil.v[0], "a", "ACK! INC-1 by x", T0 - 600, T0 + 60);	/* fires: extend */
	silence(&sil.v[1], "b", "ACK! INC-1 by x", T0 - 600, T0 + 60);	/* alert ended: keep */
	silence(&sil.v[2], "c", "ACK! INC-2 by x", T0 - 600, T0 + 600);	/* over: expire */
	silence(&sil.v[3], "d", "ACK! INC-9 by x", T0 - 600, T0 + 60);	/* unknown: keep */
	silence(&sil.v[4], "e", "maintenance", T0 - 600, T0 + 60);		/* not an ack */
	silence(&sil.v[5], "f", "ACK! by x", T0 - 600, T0 + 60);		/* no incident */
	memset(&al, 0, sizeof(al));
	al.n = 3;
	al.v = sr_xcalloc(3, sizeof(*al.v));
	al.v[0].silenced_by = by_a;
	al.v[0].n_silenced_by = 1;
	al.v[1].silenced_by = by_b;
	al.v[1].n_silenced_by = 1;
	al.v[1].ends_at = T0 - 1;
	al.v[2].silenced_by = by_e;
	al.v[2].n_silenced_by = 1;
	asked = 0;
	n = sr_ack_plan(&sil, &al, FMT, open_of, NULL, T0, 900, &plan);
	assert_int_equal(n, 2);
	assert_int_equal(plan[0].silence, 0);
	assert_int_equal(plan[0].step, SR_ACK_EXTEND);
	assert_string_equal(plan[0].incident, "INC-1");
	assert_int_equal(plan[1].silence, 2);
	assert_int_equal(plan[1].step, SR_ACK_EXPIRE);
	assert_string_equal(plan[1].incident, "INC-2");
	assert_int_equal(asked, 3);	/* INC-1 once for two silences */
	sr_ack_plan_free(plan, n);
	for (size_t i = 0; i < al.n; i++)
		al.v[i].silenced_by = NULL, al.v[i].n_silenced_by = 0;
	sr_am_alerts_done(&al);
	sr_am_silences_done(&sil);
}

/* The extension keeps the silence (ID, start, author, comment) and moves only its end. */
static void
test_extend_body(void **state)
{
	struct sr_am_silence s;
	char *body;

	(void)state;
	silence(&s, "s-ack", "ACK! INC-1 by a", T0 - 600, T0 + 300);
	body = sr_ack_extend_body(&s, T0, 900);
	assert_non_null(strstr(body, "\"id\":\"s-ack\""));
	assert_non_null(strstr(body, "\"comment\":\"ACK! INC-1 by a\""));
	assert_non_null(strstr(body, "\"createdBy\":\"x\""));
	assert_non_null(strstr(body, "\"startsAt\":\"2026-11-23T03:02:00Z\""));
	assert_non_null(strstr(body, "\"endsAt\":\"2026-11-23T03:27:00Z\""));	/* T0 + 15m */
	free(body);
	sr_am_silence_done(&s);
	/* the console plans a sixth of ack_for apart, 5 s to 60 s */
	assert_int_equal(sr_ack_tick_every(900), 60);
	assert_int_equal(sr_ack_tick_every(180), 30);
	assert_int_equal(sr_ack_tick_every(30), 5);
	assert_int_equal(sr_ack_tick_every(6), 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comment_round_trip),
		cmocka_unit_test(test_ack_of_and_text),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_extend_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

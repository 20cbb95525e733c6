/* SPDX-License-Identifier: MIT */
/* test_oncall.c: rotations across DST changes, handoffs at the boundary, overrides, config. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "ical.h"
#include "oncall.h"
#include "util.h"
#include "tmpdir.h"

/* --- helpers --- */

static sr_time
T(const char *s)
{
	sr_time t;
	char *err = NULL;

	if (sr_time_parse(s, &t, &err) != 0)
		fail_msg("bad time %s: %s", s, err);
	return t;
}

static char *members3[] = { "alice", "bob", "carol" };

static struct sr_rotation
rot(const char *zone, const char *handoff, int64_t len, const char *start)
{
	struct sr_rotation r;
	char *err = NULL;
	int y, m, d;

	memset(&r, 0, sizeof(r));
	r.name = "primary";
	r.members = members3;
	r.n_members = 3;
	r.length = len;
	r.timezone = (char *)zone;
	assert_int_equal(sr_oncall_parse_handoff(handoff, &r.handoff_wday, &r.handoff_min, &err), 0);
	assert_int_equal(sscanf(start, "%d-%d-%d", &y, &m, &d), 3);
	r.start_day = sr_days_from_civil(y, m, d);
	return r;
}

/* Asserts who is on at `at`, since and until (RFC 3339), and who is next. */
static void
expect(const struct sr_rotation *r, const struct sr_override *ov, size_t n_ov, const char *at,
       const char *who, const char *since, const char *until, const char *next)
{
	struct sr_oncall_now now;
	char *err = NULL;

	assert_int_equal(sr_oncall_who(r, NULL, NULL, ov, n_ov, T(at), &now, &err), 0);
	assert_non_null(now.who);
	assert_string_equal(now.who, who);
	assert_int_equal(now.since, T(since));
	assert_int_equal(now.until, T(until));
	if (next == NULL)
		assert_null(now.next);
	else
		assert_string_equal(now.next, next);
	sr_oncall_now_done(&now);
}

/* --- schedules --- */

/* Weekly, Monday 09:00 Berlin, from Monday 2026-01-05: alice, bob, carol, alice... */
static void
test_weekly_order(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");

	(void)state;
	expect(&r, NULL, 0, "2026-01-05T08:00:00Z", "alice", "2026-01-05T08:00:00Z",
	       "2026-01-12T08:00:00Z", "bob");
	/* one second before the first handoff: the turn before alice's */
	expect(&r, NULL, 0, "2026-01-05T07:59:59Z", "carol", "2025-12-29T08:00:00Z",
	       "2026-01-05T08:00:00Z", "alice");
	expect(&r, NULL, 0, "2026-01-14T12:00:00Z", "bob", "2026-01-12T08:00:00Z",
	       "2026-01-19T08:00:00Z", "carol");
	expect(&r, NULL, 0, "2026-01-26T08:00:00Z", "alice", "2026-01-26T08:00:00Z",
	       "2026-02-02T08:00:00Z", "bob");
}

/* Berlin: CET -> CEST on Sun 2026-03-29, back on Sun 2026-10-25; handoff stays 09:00 local. */
static void
test_dst_berlin(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");

	(void)state;
	/* week 11 (from 2026-03-23): 167 hours long */
	expect(&r, NULL, 0, "2026-03-29T12:00:00Z", "carol", "2026-03-23T08:00:00Z",
	       "2026-03-30T07:00:00Z", "alice");
	expect(&r, NULL, 0, "2026-03-30T06:59:59Z", "carol", "2026-03-23T08:00:00Z",
	       "2026-03-30T07:00:00Z", "alice");
	/* exactly at the handoff: the next person */
	expect(&r, NULL, 0, "2026-03-30T07:00:00Z", "alice", "2026-03-30T07:00:00Z",
	       "2026-04-06T07:00:00Z", "bob");
	/* autumn (week 41): 169 hours */
	expect(&r, NULL, 0, "2026-10-25T02:30:00Z", "carol", "2026-10-19T07:00:00Z",
	       "2026-10-26T08:00:00Z", "alice");
	expect(&r, NULL, 0, "2026-10-26T07:59:59Z", "carol", "2026-10-19T07:00:00Z",
	       "2026-10-26T08:00:00Z", "alice");
	expect(&r, NULL, 0, "2026-10-26T08:00:00Z", "alice", "2026-10-26T08:00:00Z",
	       "2026-11-02T08:00:00Z", "bob");
}

/* New York, daily at 09:00: EST -> EDT on Sun 2026-03-08, back on Sun 2026-11-01. */
static void
test_dst_new_york_daily(void **state)
{
	struct sr_rotation r = rot("America/New_York", "09:00", 86400, "2026-03-01");

	(void)state;
	/* 2026-03-01 is day 0 (alice); 03-07 is day 6 (alice) and 23 hours long */
	expect(&r, NULL, 0, "2026-03-07T14:00:00Z", "alice", "2026-03-07T14:00:00Z",
	       "2026-03-08T13:00:00Z", "bob");
	expect(&r, NULL, 0, "2026-03-08T12:59:59Z", "alice", "2026-03-07T14:00:00Z",
	       "2026-03-08T13:00:00Z", "bob");
	expect(&r, NULL, 0, "2026-03-08T13:00:00Z", "bob", "2026-03-08T13:00:00Z",
	       "2026-03-09T13:00:00Z", "carol");
	/* 2026-10-31 is day 244 (244 % 3 = 1: bob), 25 hours long */
	expect(&r, NULL, 0, "2026-11-01T05:30:00Z", "bob", "2026-10-31T13:00:00Z",
	       "2026-11-01T14:00:00Z", "carol");
	expect(&r, NULL, 0, "2026-11-01T14:00:00Z", "carol", "2026-11-01T14:00:00Z",
	       "2026-11-02T14:00:00Z", "alice");
}

/* A handoff inside the spring-forward gap (02:30 does not exist that night) still hands off. */
static void
test_handoff_in_gap(void **state)
{
	struct sr_rotation r = rot("America/New_York", "02:30", 86400, "2026-03-01");
	struct sr_shift_list l;
	char *err = NULL;

	(void)state;
	sr_shift_list_init(&l);
	assert_int_equal(sr_rotation_shifts(&r, NULL, T("2026-03-07T12:00:00Z"),
					    T("2026-03-09T12:00:00Z"), &l, &err), 0);
	assert_true(l.n >= 3);
	for (size_t i = 0; i + 1 < l.n; i++) {
		assert_int_equal(l.v[i].until, l.v[i + 1].from);	/* no gap, no overlap */
		assert_true(l.v[i].until > l.v[i].from);
		assert_true(strcmp(l.v[i].who, l.v[i + 1].who) != 0);
	}
	sr_shift_list_done(&l);
}

static void
test_shifts_errors(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");
	struct sr_shift_list l;
	char *err = NULL;

	(void)state;
	sr_shift_list_init(&l);
	r.timezone = "Europe/Nowhere";
	assert_int_equal(sr_rotation_shifts(&r, NULL, 0, 86400, &l, &err), -1);
	assert_non_null(strstr(err, "unknown timezone \"Europe/Nowhere\""));
	free(err);
	err = NULL;
	r.timezone = "../../etc/passwd";
	assert_int_equal(sr_rotation_shifts(&r, NULL, 0, 86400, &l, &err), -1);
	free(err);
	assert_int_equal(l.n, 0);
	sr_shift_list_done(&l);
}

static void
test_parse_handoff(void **state)
{
	int d, m;
	char *err = NULL;

	(void)state;
	assert_int_equal(sr_oncall_parse_handoff("mon 09:00", &d, &m, &err), 0);
	assert_int_equal(d, 1);
	assert_int_equal(m, 540);
	assert_int_equal(sr_oncall_parse_handoff("Sunday 23:59", &d, &m, &err), 0);
	assert_int_equal(d, 0);
	assert_int_equal(m, 23 * 60 + 59);
	assert_int_equal(sr_oncall_parse_handoff("7:05", &d, &m, &err), 0);
	assert_int_equal(d, -1);
	assert_int_equal(m, 425);
	const char *bad[] = { "mo 09:00", "mon 24:00", "mon 9", "mon09:00", "funday 09:00",
			      "09:60", "", "mon 09:00x" };
	for (size_t i = 0; i < SR_ARRAY_LEN(bad); i++) {
		assert_int_equal(sr_oncall_parse_handoff(bad[i], &d, &m, &err), -1);
		assert_non_null(strstr(err, "bad handoff"));
		free(err);
		err = NULL;
	}
}

/* --- overrides --- */

static struct sr_override
ovr(int64_t id, const char *who, const char *from, const char *until)
{
	struct sr_override o;

	memset(&o, 0, sizeof(o));
	o.id = id;
	o.rotation = "primary";
	o.who = (char *)who;
	o.from = T(from);
	o.until = T(until);
	return o;
}

/* dave covers Wednesday 10:00-18:00 inside alice's week (2026-01-05 .. 01-12, 08:00Z). */
static void
test_override_inside(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");
	struct sr_override ov[2];

	(void)state;
	ov[0] = ovr(1, "dave", "2026-01-07T09:00:00Z", "2026-01-07T17:00:00Z");
	ov[1] = ovr(2, "zed", "2026-01-07T09:00:00Z", "2026-01-07T17:00:00Z");
	ov[1].rotation = "secondary";	/* another rotation's: no effect here */
	expect(&r, ov, 2, "2026-01-06T12:00:00Z", "alice", "2026-01-05T08:00:00Z",
	       "2026-01-07T09:00:00Z", "dave");
	expect(&r, ov, 2, "2026-01-07T09:00:00Z", "dave", "2026-01-07T09:00:00Z",
	       "2026-01-07T17:00:00Z", "alice");
	expect(&r, ov, 2, "2026-01-07T16:59:59Z", "dave", "2026-01-07T09:00:00Z",
	       "2026-01-07T17:00:00Z", "alice");
	expect(&r, ov, 2, "2026-01-07T17:00:00Z", "alice", "2026-01-07T17:00:00Z",
	       "2026-01-12T08:00:00Z", "bob");
}

/* Until when the next one is on call; an override list keeps its own copies; a rotation's
 * calendar file that cannot be read is named with the rotation. */
static void
test_next_until_and_copies(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");
	struct sr_override ov[1];
	struct sr_override_list l = { 0 };
	struct sr_oncall_now now;
	struct sr_shift_list base;
	char who[8] = "dave", by[8] = "erin", *err = NULL;

	(void)state;
	assert_int_equal(sr_oncall_who(&r, NULL, NULL, NULL, 0, T("2026-01-06T12:00:00Z"), &now,
				       &err), 0);
	assert_string_equal(now.next, "bob");
	assert_int_equal(now.next_until, T("2026-01-19T08:00:00Z"));
	sr_oncall_now_done(&now);
	ov[0] = ovr(1, "dave", "2026-01-07T09:00:00Z", "2026-01-07T17:00:00Z");
	assert_int_equal(sr_oncall_who(&r, NULL, NULL, ov, 1, T("2026-01-06T12:00:00Z"), &now,
				       &err), 0);
	assert_string_equal(now.next, "dave");
	assert_int_equal(now.next_until, T("2026-01-07T17:00:00Z"));
	sr_oncall_now_done(&now);

	ov[0].who = who;
	ov[0].created_by = by;
	sr_override_list_add(&l, &ov[0]);
	ov[0].id = 2;
	ov[0].rotation = NULL;
	sr_override_list_add(&l, &ov[0]);
	strcpy(who, "xxx");
	strcpy(by, "yyy");
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, 1);
	assert_string_equal(l.v[0].rotation, "primary");
	assert_string_equal(l.v[0].who, "dave");
	assert_string_equal(l.v[0].created_by, "erin");
	assert_int_equal(l.v[0].from, T("2026-01-07T09:00:00Z"));
	assert_int_equal(l.v[1].id, 2);
	assert_null(l.v[1].rotation);
	sr_override_list_done(&l);

	r.n_members = 0;
	r.ical = "/nonexistent/sitrep-oncall.ics";
	sr_shift_list_init(&base);
	assert_int_equal(sr_oncall_base(&r, NULL, NULL, T("2026-01-01T00:00:00Z"),
					T("2026-02-01T00:00:00Z"), &base, &err), -1);
	assert_non_null(err);
	assert_true(strncmp(err, "rotation primary: ", 18) == 0);
	assert_non_null(strstr(err, "/nonexistent/sitrep-oncall.ics"));
	free(err);
	sr_shift_list_done(&base);
}

/* eve covers Sunday noon to Tuesday noon, across alice's handoff to bob. */
static void
test_override_across(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");
	struct sr_override ov[2];

	(void)state;
	ov[0] = ovr(1, "eve", "2026-01-11T11:00:00Z", "2026-01-13T11:00:00Z");
	expect(&r, ov, 1, "2026-01-11T10:00:00Z", "alice", "2026-01-05T08:00:00Z",
	       "2026-01-11T11:00:00Z", "eve");
	expect(&r, ov, 1, "2026-01-12T08:00:00Z", "eve", "2026-01-11T11:00:00Z",
	       "2026-01-13T11:00:00Z", "bob");
	expect(&r, ov, 1, "2026-01-13T11:00:00Z", "bob", "2026-01-13T11:00:00Z",
	       "2026-01-19T08:00:00Z", "carol");
	/* a later override inside eve's wins for its span; eve comes back after it */
	ov[1] = ovr(2, "frank", "2026-01-12T00:00:00Z", "2026-01-12T06:00:00Z");
	expect(&r, ov, 2, "2026-01-11T12:00:00Z", "eve", "2026-01-11T11:00:00Z",
	       "2026-01-12T00:00:00Z", "frank");
	expect(&r, ov, 2, "2026-01-12T03:00:00Z", "frank", "2026-01-12T00:00:00Z",
	       "2026-01-12T06:00:00Z", "eve");
	expect(&r, ov, 2, "2026-01-12T06:00:00Z", "eve", "2026-01-12T06:00:00Z",
	       "2026-01-13T11:00:00Z", "bob");
}

/* A long override (a month) reaches beyond the base window and still answers. */
static void
test_override_long(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");
	struct sr_override ov[1];

	(void)state;
	ov[0] = ovr(1, "gina", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z");
	expect(&r, ov, 1, "2026-02-01T00:00:00Z", "gina", "2026-01-01T00:00:00Z",
	       "2026-03-01T00:00:00Z", NULL);
}

/* --- iCalendar --- */

#define CRLF "\r\n"
static const char weekly_ics[] =
	"BEGIN:VCALENDAR" CRLF "VERSION:2.0" CRLF "PRODID:-//test//EN" CRLF
	"BEGIN:VEVENT" CRLF "UID:week@test" CRLF
	"DTSTART;TZID=Europe/Berlin:20260323T090000" CRLF
	"DTEND;TZID=Europe/Berlin:20260330T090000" CRLF
	"RRULE:FREQ=WEEKLY;COUNT=6" CRLF
	"EXDATE;TZID=Europe/Berlin:20260406T090000" CRLF
	"SUMMARY:alice" CRLF "END:VEVENT" CRLF
	"BEGIN:VEVENT" CRLF "UID:week@test" CRLF
	"RECURRENCE-ID;TZID=Europe/Berlin:20260413T090000" CRLF
	"DTSTART;TZID=Europe/Berlin:20260413T090000" CRLF
	"DTEND;TZID=Europe/Berlin:20260415T090000" CRLF
	"ATTENDEE;CN=bob:mailto:bob@example.com" CRLF
	"SUMMARY:swap" CRLF "END:VEVENT" CRLF
	"BEGIN:VEVENT" CRLF "UID:gone@test" CRLF "STATUS:CANCELLED" CRLF
	"DTSTART:20260420T000000Z" CRLF "DTEND:20260421T000000Z" CRLF
	"SUMMARY:mallory" CRLF "END:VEVENT" CRLF
	"END:VCALENDAR" CRLF;

static void
expect_shift(const struct sr_shift_list *l, size_t i, const char *from, const char *until,
	     const char *who)
{
	assert_true(i < l->n);
	assert_int_equal(l->v[i].from, T(from));
	assert_int_equal(l->v[i].until, T(until));
	assert_string_equal(l->v[i].who, who);
}

/* RRULE in a TZID across the spring change, one EXDATE, one RECURRENCE-ID, one cancelled. */
static void
test_ical_rrule(void **state)
{
	struct sr_shift_list l;
	char *err = NULL;

	(void)state;
	sr_shift_list_init(&l);
	assert_int_equal(sr_ical_shifts(weekly_ics, strlen(weekly_ics), "w.ics",
					T("2026-03-01T00:00:00Z"), T("2026-06-01T00:00:00Z"), &l,
					&err), 0);
	assert_int_equal(l.n, 5);
	expect_shift(&l, 0, "2026-03-23T08:00:00Z", "2026-03-30T07:00:00Z", "alice");
	expect_shift(&l, 1, "2026-03-30T07:00:00Z", "2026-04-06T07:00:00Z", "alice");
	/* 04-06 is an EXDATE; 04-13's instance is replaced by bob for two days */
	expect_shift(&l, 2, "2026-04-13T07:00:00Z", "2026-04-15T07:00:00Z", "bob");
	expect_shift(&l, 3, "2026-04-20T07:00:00Z", "2026-04-27T07:00:00Z", "alice");
	expect_shift(&l, 4, "2026-04-27T07:00:00Z", "2026-05-04T07:00:00Z", "alice");
	sr_shift_list_done(&l);

	/* only what overlaps the window */
	sr_shift_list_init(&l);
	assert_int_equal(sr_ical_shifts(weekly_ics, strlen(weekly_ics), "w.ics",
					T("2026-04-14T00:00:00Z"), T("2026-04-21T00:00:00Z"), &l,
					&err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].who, "bob");
	sr_shift_list_done(&l);
}

static void
expect_ical_error(const char *text, const char *want)
{
	struct sr_shift_list l;
	char *err = NULL;

	sr_shift_list_init(&l);
	assert_int_equal(sr_ical_shifts(text, strlen(text), "bad.ics", 0, T("2030-01-01T00:00:00Z"),
					&l, &err), -1);
	assert_non_null(err);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	free(err);
	assert_int_equal(l.n, 0);
	sr_shift_list_done(&l);
}

static void
test_ical_malformed(void **state)
{
	(void)state;
	expect_ical_error("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20260101T000000Z\r\n"
			  "this line has no colon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
			  "bad.ics:5: not an iCalendar line (expected NAME:VALUE): \"this line has no colon\"");
	expect_ical_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T000000Z\nEND:VCALENDAR\n",
			  "bad.ics:4: END:VCALENDAR does not close BEGIN:VEVENT");
	expect_ical_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T000000Z\n",
			  "bad.ics:3: BEGIN:VEVENT is never closed (END:VEVENT missing)");
	expect_ical_error("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\n"
			  "END:VCALENDAR\n", "bad.ics:3: an event without DTSTART");
	expect_ical_error("<html>not found</html>\n", "bad.ics:1: not an iCalendar line");
	expect_ical_error("", "bad.ics: no BEGIN:VCALENDAR");
	expect_ical_error("BEGIN:VEVENT\nEND:VEVENT\n", "bad.ics:1: expected BEGIN:VCALENDAR");
	expect_ical_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART:garbage\nEND:VEVENT\n"
			  "END:VCALENDAR\n", "bad.ics:4: Can't parse as DATE-TIME value in DTSTART");
	expect_ical_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T000000Z\n"
			  "RRULE:FREQ=SOMETIMES\nEND:VEVENT\nEND:VCALENDAR\n",
			  "bad.ics:4: Can't parse as RECUR value in RRULE");
}

/* Every line ends in CRLF and is at most 75 octets; continuation lines start with a space. */
static void
check_rfc5545_lines(const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		assert_true(i > start && s[i - 1] == '\r');
		assert_true(i - 1 - start <= 75);
		/* a fold never splits a UTF-8 character */
		if (i + 1 < n && s[i + 1] == ' ')
			assert_true(((unsigned char)s[i + 2] & 0xC0) != 0x80);
		start = i + 1;
	}
	assert_int_equal(start, n);
}

/* Exported, then read back: the same shifts, with hostile, long and non-ASCII names. */
static void
test_ical_roundtrip(void **state)
{
	char *names[] = { "alice", "Zoë Ünal-Bérénice, on call; \\ backslash",
			  "a very long name that will surely need folding because it goes on "
			  "and on — ✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓" };
	struct sr_rotation r = rot("America/New_York", "09:00", 86400, "2026-03-01");
	struct sr_override ov[2];
	struct sr_shift_list base, eff, back;
	struct sr_buf b;
	sr_time from = T("2026-03-05T00:00:00Z"), until = T("2026-03-12T00:00:00Z");
	char *err = NULL;

	(void)state;
	r.members = names;
	r.name = "prim/ary";
	ov[0] = ovr(1, "dave\nnewline", "2026-03-08T10:00:00Z", "2026-03-09T20:00:00Z");
	ov[0].rotation = "prim/ary";
	ov[1] = ovr(2, "eve", "2026-03-10T00:00:00Z", "2026-03-10T01:00:00Z");
	ov[1].rotation = "prim/ary";
	sr_shift_list_init(&base);
	sr_shift_list_init(&eff);
	sr_shift_list_init(&back);
	assert_int_equal(sr_rotation_shifts(&r, NULL, from, until, &base, &err), 0);
	sr_oncall_effective(&base, r.name, ov, 2, from, until, &eff);
	assert_true(eff.n >= 9);
	sr_buf_init(&b);
	sr_ical_begin(&b, "sitrep on call: prim/ary");
	for (size_t i = 0; i < eff.n; i++)
		sr_ical_event(&b, r.name, &eff.v[i], T("2026-03-01T00:00:00Z"));
	sr_ical_end(&b);
	check_rfc5545_lines(b.data, b.len);
	assert_non_null(strstr(b.data, "UID:prim_2Fary-20260305T140000Z@sitrep\r\n"));
	assert_non_null(strstr(b.data, "SUMMARY:Zoë Ünal-Bérénice\\, on call\\; \\\\ backslash"));
	assert_null(strstr(b.data, "dave\n"));
	assert_int_equal(sr_ical_shifts(b.data, b.len, "export.ics", from, until, &back, &err), 0);
	assert_int_equal(back.n, eff.n);
	for (size_t i = 0; i < eff.n; i++) {
		assert_int_equal(back.v[i].from, eff.v[i].from);
		assert_int_equal(back.v[i].until, eff.v[i].until);
		if (eff.v[i].override_id == 1)
			assert_string_equal(back.v[i].who, "dave newline");	/* sanitised */
		else
			assert_string_equal(back.v[i].who, eff.v[i].who);
	}
	sr_buf_done(&b);
	sr_shift_list_done(&base);
	sr_shift_list_done(&eff);
	sr_shift_list_done(&back);
}

/* One export, byte for byte: the header, the UID's escaping of every byte around the letters
 * and digits, folding at 75 octets then 74 (never inside a UTF-8 character), TEXT escaping,
 * the override note, the trailer. */
/* A content line of exactly 75 octets stays whole; one more octet folds it. */
static void
test_ical_fold_limit(void **state)
{
	struct sr_shift sh;
	struct sr_buf b;
	char who[80], want[120];

	(void)state;
	for (int extra = 0; extra < 2; extra++) {
		memset(&sh, 0, sizeof(sh));
		memset(who, 'z', 67 + extra);	/* "SUMMARY:" + 67 = 75 octets */
		who[67 + extra] = '\0';
		sh.from = 1772719200;
		sh.until = sh.from + 3600;
		sh.who = who;
		sr_buf_init(&b);
		sr_ical_event(&b, "r", &sh, T("2026-03-01T00:00:00Z"));
		sr_buf_add(&b, "", 0);
		if (extra == 0)
			snprintf(want, sizeof want, "\r\nSUMMARY:%s\r\nDESCRIPTION:", who);
		else
			snprintf(want, sizeof want, "\r\nSUMMARY:%.67s\r\n z\r\nDESCRIPTION:", who);
		if (strstr(b.data, want) == NULL)
			fail_msg("no \"%s\" in:\n%s", want, b.data);
		sr_buf_done(&b);
	}
}

static void
test_ical_export_exact(void **state)
{
	static const char want[] = "BEGIN:VCALENDAR\r\n"
		"VERSION:2.0\r\n"
		"PRODID:-//sitrep//on call//EN\r\n"
		"CALSCALE:GREGORIAN\r\n"
		"METHOD:PUBLISH\r\n"
		"X-WR-CALNAME:cal\\, one\\; two \\\\ three\r\n"
		"BEGIN:VEVENT\r\n"
		"UID:az-AZ.09_2F_60_7B_40_5B_3A-20260305T140000Z@sitrep\r\n"
		"DTSTAMP:20260301T000000Z\r\n"
		"DTSTART:20260305T140000Z\r\n"
		"DTEND:20260306T140001Z\r\n"
		"SUMMARY:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"
		" éyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n"
		" yyyyyyyy\r\n"
		"DESCRIPTION:On call for az-AZ.09/`{@[: (override)\r\n"
		"TRANSP:TRANSPARENT\r\n"
		"END:VEVENT\r\n"
		"BEGIN:VEVENT\r\n"
		"UID:az-AZ.09_2F_60_7B_40_5B_3A-20260306T140001Z@sitrep\r\n"
		"DTSTAMP:20260301T000000Z\r\n"
		"DTSTART:20260306T140001Z\r\n"
		"DTEND:20260307T000000Z\r\n"
		"SUMMARY:a\\,b\\;c\\\\d\r\n"
		"DESCRIPTION:On call for az-AZ.09/`{@[:\r\n"
		"TRANSP:TRANSPARENT\r\n"
		"END:VEVENT\r\n"
		"END:VCALENDAR\r\n"
		"";
	struct sr_shift s[2];
	struct sr_buf b;
	char who[160];

	(void)state;
	memset(s, 0, sizeof(s));
	memset(who, 'x', 66);
	strcpy(who + 66, "\xc3\xa9");
	memset(who + 68, 'y', 80);
	who[148] = '\0';
	s[0].from = 1772719200;
	s[0].until = 1772719200 + 86401;
	s[0].who = who;
	s[0].override_id = 7;
	s[1].from = s[0].until;
	s[1].until = 1772841600;
	s[1].who = "a,b;c\\d";
	sr_buf_init(&b);
	sr_ical_begin(&b, "cal, one; two \\ three");
	for (int i = 0; i < 2; i++)
		sr_ical_event(&b, "az-AZ.09/`{@[:", &s[i], T("2026-03-01T00:00:00Z"));
	sr_ical_end(&b);
	if (b.len != sizeof(want) - 1 || memcmp(b.data, want, b.len) != 0)
		fail_msg("got:\n%.*s", (int)b.len, b.data);
	check_rfc5545_lines(b.data, b.len);
	sr_buf_done(&b);
}

/* --- config --- */

static int
load(const char *text, struct sr_config *cfg, char **err, char path[64])
{
	int fd, rc;

	sr_test_tmp(path, 64, "sitrep-test-oncall");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	sr_config_init(cfg);
	*err = NULL;
	rc = sr_config_load(cfg, path, 1, err);
	unlink(path);
	return rc;
}

static void
expect_error(const char *text, const char *want)
{
	struct sr_config cfg;
	char path[64], *err = NULL, *full;

	assert_int_equal(load(text, &cfg, &err, path), -1);
	full = sr_xasprintf("%s:%s", path, want);
	assert_string_equal(err, full);
	free(full);
	free(err);
	sr_config_done(&cfg);
}

static void
test_config_rotation(void **state)
{
	struct sr_config cfg;
	char path[64], *err = NULL;
	const struct sr_rotation *r;

	(void)state;
	assert_int_equal(load("[rotation primary]\nmembers = alice, bob ,carol\nlength = 2w\n"
			      "handoff = tue 10:30\ntimezone = America/New_York\nstart = 2026-01-06\n"
			      "[rotation secondary]\nmembers = dave\n", &cfg, &err, path), 0);
	assert_int_equal(cfg.n_rotations, 2);
	r = sr_config_rotation(&cfg, "PRIMARY");
	assert_non_null(r);
	assert_int_equal(r->n_members, 3);
	assert_string_equal(r->members[1], "bob");
	assert_string_equal(r->members[2], "carol");
	assert_int_equal(r->length, 14 * 86400);
	assert_int_equal(r->handoff_wday, 2);
	assert_int_equal(r->handoff_min, 630);
	assert_string_equal(r->timezone, "America/New_York");
	assert_int_equal(r->start_day, sr_days_from_civil(2026, 1, 6));
	r = sr_config_rotation(&cfg, "secondary");
	assert_int_equal(r->length, 7 * 86400);	/* defaults: 1w, mon 09:00 */
	assert_int_equal(r->handoff_wday, 1);
	assert_int_equal(r->handoff_min, 540);
	assert_null(sr_config_rotation(&cfg, "tertiary"));
	sr_config_done(&cfg);
}

static void
test_config_rotation_errors(void **state)
{
	(void)state;
	expect_error("[rotation p]\nmembers = a\ntimezone = Europe/Berlni\n",
		     "3: unknown timezone \"Europe/Berlni\" for timezone: expected a name from the "
		     "tz database such as Europe/Berlin (is tzdata installed?)");
	expect_error("[rotation p]\nmemebrs = a\n",
		     "2: unknown key \"memebrs\" in [rotation p] (did you mean \"members\"?)");
	expect_error("[rotation p]\nlength = 1w\n", "1: [rotation p] needs members, ical or ical_url");
	expect_error("[rotation p]\nmembers = a\nical = /tmp/x.ics\n",
		     "1: [rotation p] sets more than one of members, ical, ical_url: choose one");
	expect_error("[rotation p]\nmembers = a\nlength = 36h\n",
		     "3: length must be whole days, e.g. 1d, 1w or 2w (found \"36h\")");
	expect_error("[rotation p]\nmembers = a\nhandoff = mon 9\n",
		     "3: bad handoff \"mon 9\": expected a day and a time such as \"mon 09:00\", "
		     "or a time such as \"09:00\" for every day");
	expect_error("[rotation p]\nmembers = a,,b\n", "2: empty name in members");
	expect_error("[rotation p]\nmembers = a\nstart = 2026-13-01\n",
		     "3: bad date \"2026-13-01\" for start: expected YYYY-MM-DD");
	expect_error("[rotaton p]\nmembers = a\n",
		     "1: unknown section [rotaton p] (did you mean [rotation p]?)");
	expect_error("[rotation]\nmembers = a\n", "1: section [rotation] needs a name: [rotation NAME]");
	expect_error("[rotation p]\nmembers = a\n[rotation P]\nmembers = b\n",
		     "3: duplicate section [rotation p] (first at line 1)");
}

/* The answer from the overrides overlapping (at - w, at + w) only: near[] holds them. */
static void
who_near(const struct sr_rotation *r, const struct sr_override *ov, size_t n, sr_time at,
	 sr_time w, struct sr_override *near, struct sr_oncall_now *now)
{
	size_t k = 0;
	char *err = NULL;

	for (size_t i = 0; i < n; i++)
		if (ov[i].until > at - w && ov[i].from < at + w)
			near[k++] = ov[i];
	assert_int_equal(sr_oncall_who(r, NULL, NULL, near, k, at, now, &err), 0);
}

/*
 * sr_oncall_settled: an answer from the overrides near `at` that it calls settled is the
 * answer from all of them (random overrides on whole hours, so stretches often begin or end
 * exactly on the window's edge, which is not settled); and the edges themselves.
 */
static void
test_oncall_settled(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");
	static char *who[] = { "dave", "erin", "alice", "frank" };
	struct sr_override ov[40], near[40], edge;
	struct sr_oncall_now all, part;
	sr_time t0 = T("2026-01-05T08:00:00Z"), at, w;
	unsigned long seed = 12345;
	int settled = 0, unsettled = 0;

	(void)state;
#define RND(n) ((seed = seed * 6364136223846793005UL + 1442695040888963407UL) >> 33) % (n)
	for (int round = 0; round < 300; round++) {
		size_t n = 1 + RND(40);

		for (size_t i = 0; i < n; i++) {
			sr_time from = t0 + (sr_time)RND(60 * 24) * 3600;
			static const sr_time len[] = { 1, 3, 8, 24, 72, 200, 400 };

			memset(&ov[i], 0, sizeof(ov[i]));
			ov[i].id = (int64_t)i + 1;
			ov[i].rotation = "primary";
			ov[i].who = who[RND(4)];
			ov[i].from = from;
			ov[i].until = from + len[RND(7)] * 3600;
		}
		at = t0 + 7 * 86400 + (sr_time)RND(40 * 24) * 3600;
		w = (sr_time)(1 + RND(8 * 24)) * 3600;
		assert_int_equal(sr_oncall_who(&r, NULL, NULL, ov, n, at, &all, &(char *){ NULL }),
				 0);
		who_near(&r, ov, n, at, w, near, &part);
		if (sr_oncall_settled(&part, at - w, at + w)) {
			settled++;
			assert_non_null(all.who);
			assert_string_equal(part.who, all.who);
			assert_int_equal(part.since, all.since);
			assert_int_equal(part.until, all.until);
			assert_int_equal(part.override_id, all.override_id);
			assert_true((part.next == NULL) == (all.next == NULL));
			if (part.next != NULL) {
				assert_string_equal(part.next, all.next);
				assert_int_equal(part.next_until, all.next_until);
			}
		} else {
			unsettled++;
		}
		sr_oncall_now_done(&all);
		sr_oncall_now_done(&part);
	}
#undef RND
	assert_true(settled > 50);	/* the property was put to the test */
	assert_true(unsettled > 50);

	/* dave 10:00-18:00 on Wednesday, alice before and after: the window's edges */
	edge = ovr(1, "dave", "2026-01-07T10:00:00Z", "2026-01-07T18:00:00Z");
	at = T("2026-01-07T12:00:00Z");
	who_near(&r, &edge, 1, at, 2 * 3600, near, &part);	/* since == from */
	assert_string_equal(part.who, "dave");
	assert_false(sr_oncall_settled(&part, at - 2 * 3600, at + 2 * 3600));
	sr_oncall_now_done(&part);
	/* next (alice) runs to Monday 08:00Z, 4 days 20 h on: inside a window of 5 days, not 4 */
	assert_int_equal(sr_oncall_who(&r, NULL, NULL, &edge, 1, at, &part, &(char *){ NULL }), 0);
	assert_int_equal(part.next_until, T("2026-01-12T08:00:00Z"));
	assert_true(sr_oncall_settled(&part, at - 5 * 86400, at + 5 * 86400));
	assert_false(sr_oncall_settled(&part, at - 4 * 86400, at + 4 * 86400));
	assert_false(sr_oncall_settled(&part, at - 2 * 3600, part.next_until));
	assert_true(sr_oncall_settled(&part, at - 2 * 3600 - 1, part.next_until + 1));
	sr_oncall_now_done(&part);
	/* nobody on call: never settled */
	memset(&part, 0, sizeof(part));
	assert_false(sr_oncall_settled(&part, at - 86400, at + 86400));
}

/*
 * A calendar's gap right after the stretch: an override starting exactly where the window
 * ends is not among the near ones, and it would be "next": so a stretch ending on the
 * window's edge is not settled.
 */
static void
test_oncall_settled_gap(void **state)
{
	struct sr_rotation r;
	struct sr_calendar cal = { weekly_ics, sizeof(weekly_ics) - 1, "w.ics" };
	struct sr_override dave = ovr(1, "dave", "2026-04-15T07:00:00Z", "2026-04-16T07:00:00Z");
	struct sr_oncall_now now;
	sr_time at = T("2026-04-14T12:00:00Z"), edge = T("2026-04-15T07:00:00Z");
	char *err = NULL;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.name = "primary";
	/* near: bob's swap until 04-15 07:00Z, then the calendar's gap */
	assert_int_equal(sr_oncall_who(&r, NULL, &cal, NULL, 0, at, &now, &err), 0);
	assert_string_equal(now.who, "bob");
	assert_int_equal(now.until, edge);
	assert_null(now.next);
	assert_false(sr_oncall_settled(&now, at - 2 * 86400, edge));
	assert_true(sr_oncall_settled(&now, at - 2 * 86400, edge + 1));
	sr_oncall_now_done(&now);
	/* with dave: he is next */
	assert_int_equal(sr_oncall_who(&r, NULL, &cal, &dave, 1, at, &now, &err), 0);
	assert_string_equal(now.next, "dave");
	sr_oncall_now_done(&now);
}

/* Each rotation's overrides come out as one run, names compared without case. */
static void
test_overrides_of(void **state)
{
	static const char *const rot[] = { "secondary", "Primary", "ops", "PRIMARY", "primary",
					   "Secondary", "zeta" };
	struct sr_override_list l;
	const struct sr_override *run;
	size_t n;

	(void)state;
	sr_override_list_init(&l);
	for (size_t i = 0; i < sizeof(rot) / sizeof(rot[0]); i++) {
		struct sr_override o = { 0 };

		o.id = (int64_t)i + 1;
		o.rotation = (char *)rot[i];
		o.who = (char *)"x";
		o.from = 1000 - (sr_time)i;	/* later ids start earlier */
		o.until = 2000;
		sr_override_list_add(&l, &o);
	}
	sr_override_list_by_rotation(&l);
	run = sr_overrides_of(l.v, l.n, "primary", &n);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_true(sr_strcaseeq(run[i].rotation, "primary"));
	assert_int_equal(run[0].id, 5);	/* by start within the run */
	assert_int_equal(run[2].id, 2);
	run = sr_overrides_of(l.v, l.n, "SECONDARY", &n);
	assert_int_equal(n, 2);
	assert_int_equal(sr_overrides_of(l.v, l.n, "ops", &n)->id, 3);
	assert_int_equal(n, 1);
	sr_overrides_of(l.v, l.n, "nobody", &n);
	assert_int_equal(n, 0);
	sr_overrides_of(l.v, l.n, "zz", &n);
	assert_int_equal(n, 0);
	sr_overrides_of(NULL, 0, "primary", &n);
	assert_int_equal(n, 0);
	sr_override_list_done(&l);
}

/* --- mutation round 5 (seed 17) --- */

/* Fills the stack below the caller's frame with non-zero bytes, so that a local the code under
 * test forgot to initialise is not zero by luck (the next call's frame lies where this one was). */
static void __attribute__((noinline))
dirty_stack(void)
{
	volatile unsigned char junk[4096];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = 0xa5;
}

/* A handoff at a half hour keeps its minutes; local text of a time in the rotation's zone. */
static void
test_half_hour_and_local_text(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:30", 7 * 86400, "2026-01-05");
	sr_time winter = T("2026-01-05T08:30:00Z"), summer = T("2026-07-06T07:45:00Z");
	char buf[64];

	(void)state;
	expect(&r, NULL, 0, "2026-01-05T08:30:00Z", "alice", "2026-01-05T08:30:00Z",
	       "2026-01-12T08:30:00Z", "bob");
	expect(&r, NULL, 0, "2026-01-05T08:29:59Z", "carol", "2025-12-29T08:30:00Z",
	       "2026-01-05T08:30:00Z", "alice");
	/* the stack is dirtied right before each call: a field left unset is not zero by luck */
	dirty_stack();
	sr_oncall_local(winter, "Europe/Berlin", buf, sizeof(buf));
	assert_string_equal(buf, "Mon 2026-01-05 09:30 CET");
	dirty_stack();
	sr_oncall_local(summer, "Europe/Berlin", buf, sizeof(buf));
	assert_string_equal(buf, "Mon 2026-07-06 09:45 CEST");
	/* an unknown zone gives an empty text, never the system's */
	assert_string_equal(sr_oncall_local(summer, "Europe/Nowhere", buf, sizeof(buf)), "");
}

/* A time in a gap of the base (a calendar with holes) has nobody on call; the effective list
 * then holds exactly 8 shifts, its first allocation, so a look one past it is out of bounds. */
static void
test_resolve_in_gap(void **state)
{
	static const char *const who[8] = { "a", "b", "c", "d", "e", "f", "g", "h" };
	struct sr_shift_list base;
	struct sr_oncall_now now;

	(void)state;
	sr_shift_list_init(&base);
	for (int i = 0; i < 8; i++) {
		sr_time from = 1000 * i + (i >= 4 ? 500 : 0);

		sr_shift_list_add(&base, from, from + 1000, who[i]);
	}
	/* 4000 .. 4500 is nobody's */
	sr_oncall_resolve(&base, NULL, NULL, 0, 4200, &now);
	assert_null(now.who);
	assert_null(now.next);
	sr_oncall_now_done(&now);
	sr_oncall_resolve(&base, NULL, NULL, 0, 4500, &now);
	assert_string_equal(now.who, "e");
	assert_int_equal(now.since, 4500);
	assert_string_equal(now.next, "f");
	sr_oncall_now_done(&now);
	sr_oncall_resolve(&base, NULL, NULL, 0, 3999, &now);
	assert_string_equal(now.who, "d");
	assert_null(now.next);	/* the gap comes next, not e */
	sr_oncall_now_done(&now);
	sr_shift_list_done(&base);
}

/* An escalation level that names a rotation reaches whoever is on call in it. */
static void
test_level_contact(void **state)
{
	struct sr_config cfg;
	char path[64], *err = NULL, *text;

	(void)state;
	assert_int_equal(load("[escalation]\nL2 = rotation:primary\nL3 = rotation:primary\n"
			      "L2_contact = @lead\n"
			      "[rotation primary]\nmembers = alice, bob\nlength = 1w\n"
			      "handoff = mon 09:00\ntimezone = Europe/Berlin\nstart = 2026-01-05\n",
			      &cfg, &err, path), 0);
	text = sr_oncall_level_contact(&cfg, 1, T("2026-01-13T12:00:00Z"), NULL, 0);
	assert_string_equal(text, "bob (on call in primary)");
	free(text);
	text = sr_oncall_level_contact(&cfg, 0, T("2026-01-13T12:00:00Z"), NULL, 0);
	assert_string_equal(text, "@oncall");
	free(text);
	free(cfg.rotations[0].timezone);	/* a zone that no longer resolves: the reason */
	cfg.rotations[0].timezone = sr_xstrdup("Europe/Nowhere");
	text = sr_oncall_level_contact(&cfg, 2, T("2026-01-13T12:00:00Z"), NULL, 0);
	assert_string_equal(text, "on call in primary: unknown (rotation primary: unknown "
			    "timezone \"Europe/Nowhere\")");
	free(text);
	sr_config_done(&cfg);
}

/* Minutes must be two digits: a byte just below '0' is not one (it would give minus minutes). */
static void
test_parse_handoff_minutes(void **state)
{
	const char *bad[] = { "09:/0", "09:0/", "mon 09:/5", "mon 09:5/", "09:", "09:5" };
	int d = 7, m = -1;
	char *err = NULL;

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(bad); i++) {
		assert_int_equal(sr_oncall_parse_handoff(bad[i], &d, &m, &err), -1);
		assert_non_null(strstr(err, "bad handoff"));
		free(err);
		err = NULL;
	}
	assert_int_equal(d, 7);	/* untouched on failure */
	assert_int_equal(m, -1);
	assert_int_equal(sr_oncall_parse_handoff("  tue\t 00:00 ", &d, &m, &err), 0);
	assert_int_equal(d, 2);
	assert_int_equal(m, 0);
}

/* Who is on call says which override put them there (0 for the rotation's own turn). */
static void
test_resolve_override_id(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");
	struct sr_override ov[1];
	struct sr_oncall_now now;
	char *err = NULL;

	(void)state;
	ov[0] = ovr(42, "dave", "2026-01-07T09:00:00Z", "2026-01-07T17:00:00Z");
	assert_int_equal(sr_oncall_who(&r, NULL, NULL, ov, 1, T("2026-01-07T10:00:00Z"), &now,
				       &err), 0);
	assert_string_equal(now.who, "dave");
	assert_int_equal(now.override_id, 42);
	sr_oncall_now_done(&now);
	assert_int_equal(sr_oncall_who(&r, NULL, NULL, ov, 1, T("2026-01-07T18:00:00Z"), &now,
				       &err), 0);
	assert_string_equal(now.who, "alice");
	assert_int_equal(now.override_id, 0);
	sr_oncall_now_done(&now);
}

/* --- mutation round 5 (seed 29) --- */

/* A window that starts on a handoff day before the handoff time starts in the turn before. */
static void
test_shifts_window_before_handoff(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");
	struct sr_shift_list l;
	char *err = NULL;

	(void)state;
	sr_shift_list_init(&l);
	/* Monday 2026-01-12 08:00 local (07:00Z), an hour before bob takes over from alice */
	assert_int_equal(sr_rotation_shifts(&r, NULL, T("2026-01-12T07:00:00Z"),
					    T("2026-01-12T09:00:00Z"), &l, &err), 0);
	assert_int_equal(l.n, 2);
	expect_shift(&l, 0, "2026-01-05T08:00:00Z", "2026-01-12T08:00:00Z", "alice");
	expect_shift(&l, 1, "2026-01-12T08:00:00Z", "2026-01-19T08:00:00Z", "bob");
	sr_shift_list_done(&l);
}

/* Two overrides starting at the same second: the one made later (higher id) wins, whatever
 * the order they are listed in. */
static void
test_override_same_start(void **state)
{
	struct sr_rotation r = rot("Europe/Berlin", "mon 09:00", 7 * 86400, "2026-01-05");
	struct sr_override ov[2];

	(void)state;
	ov[0] = ovr(5, "dave", "2026-01-07T09:00:00Z", "2026-01-07T17:00:00Z");
	ov[1] = ovr(3, "erin", "2026-01-07T09:00:00Z", "2026-01-07T17:00:00Z");
	expect(&r, ov, 2, "2026-01-07T12:00:00Z", "dave", "2026-01-07T09:00:00Z",
	       "2026-01-07T17:00:00Z", "alice");
	ov[0] = ovr(3, "erin", "2026-01-07T09:00:00Z", "2026-01-07T17:00:00Z");
	ov[1] = ovr(5, "dave", "2026-01-07T09:00:00Z", "2026-01-07T17:00:00Z");
	expect(&r, ov, 2, "2026-01-07T12:00:00Z", "dave", "2026-01-07T09:00:00Z",
	       "2026-01-07T17:00:00Z", "alice");
}

/* The effective list covers the asked window only, though the base reaches beyond it. */
static void
test_effective_clipped(void **state)
{
	struct sr_shift_list base, eff;

	(void)state;
	sr_shift_list_init(&base);
	sr_shift_list_init(&eff);
	sr_shift_list_add(&base, 0, 100, "a");
	sr_shift_list_add(&base, 100, 200, "b");
	sr_shift_list_add(&base, 200, 300, "c");
	sr_shift_list_add(&base, 300, 400, "d");
	sr_oncall_effective(&base, NULL, NULL, 0, 150, 250, &eff);
	assert_int_equal(eff.n, 2);
	assert_int_equal(eff.v[0].from, 150);
	assert_int_equal(eff.v[0].until, 200);
	assert_string_equal(eff.v[0].who, "b");
	assert_int_equal(eff.v[1].from, 200);
	assert_int_equal(eff.v[1].until, 250);
	assert_string_equal(eff.v[1].who, "c");
	sr_shift_list_done(&eff);
	sr_shift_list_done(&base);
}

/* Converting in a rotation's zone puts TZ back as it was (set or unset). */
static void
test_tz_restored(void **state)
{
	struct sr_rotation r = rot("America/New_York", "09:00", 86400, "2026-03-01");
	struct sr_shift_list l;
	char *err = NULL, *old = getenv("TZ") ? sr_xstrdup(getenv("TZ")) : NULL, buf[64];

	(void)state;
	sr_shift_list_init(&l);
	setenv("TZ", "Asia/Tokyo", 1);
	assert_int_equal(sr_rotation_shifts(&r, NULL, T("2026-03-07T12:00:00Z"),
					    T("2026-03-09T12:00:00Z"), &l, &err), 0);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	sr_oncall_local(T("2026-03-07T12:00:00Z"), "Europe/Berlin", buf, sizeof(buf));
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	unsetenv("TZ");
	sr_oncall_local(T("2026-03-07T12:00:00Z"), "Europe/Berlin", buf, sizeof(buf));
	assert_null(getenv("TZ"));
	if (old != NULL)
		setenv("TZ", old, 1);
	free(old);
	sr_shift_list_done(&l);
}

/* A day name longer than the parser's buffer is refused, not written past it. */
static void
test_parse_handoff_long_word(void **state)
{
	int d, m;
	char *err = NULL;

	(void)state;
	assert_int_equal(sr_oncall_parse_handoff("mondaymondaymonday 09:00", &d, &m, &err), -1);
	assert_non_null(strstr(err, "bad handoff"));
	free(err);
	err = NULL;
	assert_int_equal(sr_oncall_parse_handoff("mondaymondaymond 09:00", &d, &m, &err), -1);
	free(err);
}

/* --- mutation round 5 (ical, seed 17) --- */

/* A property name holds letters, digits and '-' only. */
static void
test_ical_name_chars(void **state)
{
	(void)state;
	expect_ical_error("BEGIN:VCALENDAR\nX_Y:1\nEND:VCALENDAR\n", "bad.ics:2: bad property name");
	expect_ical_error("BEGIN:VCALENDAR\nX.Y:1\nEND:VCALENDAR\n", "bad.ics:2: bad property name");
	expect_ical_error("BEGIN:VCALENDAR\nX[Y:1\nEND:VCALENDAR\n", "bad.ics:2: bad property name");
}

/* Names are case-insensitive: lower-case letters and digits are name characters too. */
static void
test_ical_lower_case_names(void **state)
{
	static const char ics[] = "BEGIN:VCALENDAR\nbegin:vevent\n"
				  "dtstart:20260401T000000Z\ndtend:20260401T060000Z\nsummary:bob\n"
				  "end:vevent\nEND:VCALENDAR\n";
	struct sr_shift_list l;
	char *err = NULL;

	(void)state;
	sr_shift_list_init(&l);
	if (sr_ical_shifts(ics, strlen(ics), "t.ics", T("2026-03-01T00:00:00Z"),
			   T("2026-05-01T00:00:00Z"), &l, &err) != 0)
		fail_msg("%s", err);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].who, "bob");
	sr_shift_list_done(&l);
}

/* Each event starts afresh (a wall-clock length of one is not carried to the next); an
 * instance that ends exactly where the window starts is not in it. */
static void
test_ical_events_apart(void **state)
{
	static const char ics[] =
		"BEGIN:VCALENDAR" CRLF "VERSION:2.0" CRLF "PRODID:-//test//EN" CRLF
		"BEGIN:VEVENT" CRLF "UID:a@test" CRLF
		"DTSTART;TZID=Europe/Berlin:20260323T090000" CRLF
		"DTEND;TZID=Europe/Berlin:20260330T090000" CRLF
		"SUMMARY:alice" CRLF "END:VEVENT" CRLF
		"BEGIN:VEVENT" CRLF "UID:b@test" CRLF
		"DTSTART:20260401T000000Z" CRLF "DTEND:20260401T060000Z" CRLF
		"SUMMARY:bob" CRLF "END:VEVENT" CRLF
		"END:VCALENDAR" CRLF;
	struct sr_shift_list l;
	char *err = NULL;

	(void)state;
	sr_shift_list_init(&l);
	assert_int_equal(sr_ical_shifts(ics, strlen(ics), "t.ics", T("2026-03-01T00:00:00Z"),
					T("2026-05-01T00:00:00Z"), &l, &err), 0);
	assert_int_equal(l.n, 2);
	expect_shift(&l, 0, "2026-03-23T08:00:00Z", "2026-03-30T07:00:00Z", "alice");
	expect_shift(&l, 1, "2026-04-01T00:00:00Z", "2026-04-01T06:00:00Z", "bob");
	sr_shift_list_done(&l);
	/* the window starts at alice's end: only bob */
	sr_shift_list_init(&l);
	assert_int_equal(sr_ical_shifts(ics, strlen(ics), "t.ics", T("2026-03-30T07:00:00Z"),
					T("2026-05-01T00:00:00Z"), &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].who, "bob");
	sr_shift_list_done(&l);
}

/* --- mutation round 6 (ical, seed 29's survivors) --- */

/* The shifts of ics over March-May 2026 (caller calls sr_shift_list_done). */
static void
ical_spring(const char *ics, struct sr_shift_list *l)
{
	char *err = NULL;

	sr_shift_list_init(l);
	if (sr_ical_shifts(ics, strlen(ics), "t.ics", T("2026-03-01T00:00:00Z"),
			   T("2026-06-01T00:00:00Z"), l, &err) != 0)
		fail_msg("%s", err);
}

/* Who: ATTENDEE's CN, else its address without "mailto:" (any case), else SUMMARY. */
static void
test_ical_attendee_address(void **state)
{
	static const char ics[] =
		"BEGIN:VCALENDAR" CRLF "VERSION:2.0" CRLF
		"BEGIN:VEVENT" CRLF "UID:a@test" CRLF
		"DTSTART:20260401T000000Z" CRLF "DTEND:20260401T060000Z" CRLF
		"ATTENDEE:mailto:dana@example.com" CRLF "SUMMARY:not dana" CRLF "END:VEVENT" CRLF
		"BEGIN:VEVENT" CRLF "UID:b@test" CRLF
		"DTSTART:20260402T000000Z" CRLF "DTEND:20260402T060000Z" CRLF
		"ATTENDEE;CN=:MAILTO:erin@example.com" CRLF "END:VEVENT" CRLF
		"BEGIN:VEVENT" CRLF "UID:c@test" CRLF
		"DTSTART:20260403T000000Z" CRLF "DTEND:20260403T060000Z" CRLF
		"ATTENDEE:urn:uuid:f81d4fae" CRLF "END:VEVENT" CRLF
		"END:VCALENDAR" CRLF;
	struct sr_shift_list l;

	(void)state;
	ical_spring(ics, &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].who, "dana@example.com");
	assert_string_equal(l.v[1].who, "erin@example.com");
	assert_string_equal(l.v[2].who, "urn:uuid:f81d4fae");
	sr_shift_list_done(&l);
}

/*
 * A ':' inside a quoted parameter value is not the one before the value: a line whose only
 * colons are quoted has no value (an unclosed quote runs to the end of the line).
 */
static void
test_ical_quoted_colon(void **state)
{
	static const char ics[] =
		"BEGIN:VCALENDAR" CRLF "VERSION:2.0" CRLF
		"BEGIN:VEVENT" CRLF "UID:a@test" CRLF
		"DTSTART:20260401T000000Z" CRLF "DTEND:20260401T060000Z" CRLF
		"ATTENDEE;CN=\"Ops: Dana\";ROLE=CHAIR:mailto:dana@example.com" CRLF
		"END:VEVENT" CRLF "END:VCALENDAR" CRLF;
	struct sr_shift_list l;

	(void)state;
	ical_spring(ics, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].who, "Ops: Dana");
	sr_shift_list_done(&l);
	expect_ical_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T000000Z\n"
			  "SUMMARY;X-A=\"a:b\nEND:VEVENT\nEND:VCALENDAR\n",
			  "bad.ics:4: not an iCalendar line (expected NAME:VALUE)");
	expect_ical_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T000000Z\n"
			  "SUMMARY;X-A=\"a:b\";X-B=\"c:d\"\nEND:VEVENT\nEND:VCALENDAR\n",
			  "bad.ics:4: not an iCalendar line (expected NAME:VALUE)");
}

/* A RECURRENCE-ID override in UTC or in floating time (read as UTC) keeps its own DTEND. */
static void
test_ical_override_utc(void **state)
{
	static const char *const z[] = { "Z", "" };
	struct sr_shift_list l;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char *ics = sr_xasprintf(
			"BEGIN:VCALENDAR" CRLF "VERSION:2.0" CRLF
			"BEGIN:VEVENT" CRLF "UID:d@test" CRLF
			"DTSTART:20260401T090000%s" CRLF "DTEND:20260401T170000%s" CRLF
			"RRULE:FREQ=DAILY;COUNT=3" CRLF "SUMMARY:alice" CRLF "END:VEVENT" CRLF
			"BEGIN:VEVENT" CRLF "UID:d@test" CRLF "RECURRENCE-ID:20260402T090000%s" CRLF
			"DTSTART:20260402T100000%s" CRLF "DTEND:20260402T200000%s" CRLF
			"SUMMARY:bob" CRLF "END:VEVENT" CRLF
			"END:VCALENDAR" CRLF, z[i], z[i], z[i], z[i], z[i]);

		ical_spring(ics, &l);
		free(ics);
		assert_int_equal(l.n, 3);
		expect_shift(&l, 0, "2026-04-01T09:00:00Z", "2026-04-01T17:00:00Z", "alice");
		expect_shift(&l, 1, "2026-04-02T10:00:00Z", "2026-04-02T20:00:00Z", "bob");
		expect_shift(&l, 2, "2026-04-03T09:00:00Z", "2026-04-03T17:00:00Z", "alice");
		sr_shift_list_done(&l);
	}
}

/* An override without a UID names no series: it replaces nothing, and is a shift itself. */
static void
test_ical_override_without_uid(void **state)
{
	static const char ics[] =
		"BEGIN:VCALENDAR" CRLF "VERSION:2.0" CRLF
		"BEGIN:VEVENT" CRLF "UID:d@test" CRLF
		"DTSTART:20260401T090000Z" CRLF "DTEND:20260401T170000Z" CRLF
		"RRULE:FREQ=DAILY;COUNT=2" CRLF "SUMMARY:alice" CRLF "END:VEVENT" CRLF
		"BEGIN:VEVENT" CRLF "RECURRENCE-ID:20260402T090000Z" CRLF
		"DTSTART:20260402T090000Z" CRLF "DTEND:20260402T120000Z" CRLF
		"SUMMARY:carol" CRLF "END:VEVENT" CRLF
		"END:VCALENDAR" CRLF;
	struct sr_shift_list l;

	(void)state;
	ical_spring(ics, &l);
	assert_int_equal(l.n, 3);
	expect_shift(&l, 0, "2026-04-01T09:00:00Z", "2026-04-01T17:00:00Z", "alice");
	assert_int_equal(l.v[1].from, T("2026-04-02T09:00:00Z"));
	assert_int_equal(l.v[2].from, T("2026-04-02T09:00:00Z"));
	assert_true((strcmp(l.v[1].who, "alice") == 0 && strcmp(l.v[2].who, "carol") == 0) ||
		    (strcmp(l.v[1].who, "carol") == 0 && strcmp(l.v[2].who, "alice") == 0));
	sr_shift_list_done(&l);
}

/* A calendar with its own VTIMEZONE and an override whose RECURRENCE-ID is floating. */
static void
test_ical_floating_override(void **state)
{
	static const char ics[] =
		"BEGIN:VCALENDAR" CRLF "VERSION:2.0" CRLF
		"BEGIN:VTIMEZONE" CRLF "TZID:Test/Plus2" CRLF
		"BEGIN:STANDARD" CRLF "DTSTART:19700101T000000" CRLF
		"TZOFFSETFROM:+0200" CRLF "TZOFFSETTO:+0200" CRLF "END:STANDARD" CRLF
		"END:VTIMEZONE" CRLF
		"BEGIN:VEVENT" CRLF "UID:f@test" CRLF
		"DTSTART:20260401T090000" CRLF "DTEND:20260401T170000" CRLF
		"RRULE:FREQ=DAILY;COUNT=3" CRLF "SUMMARY:alice" CRLF "END:VEVENT" CRLF
		"BEGIN:VEVENT" CRLF "UID:f@test" CRLF "RECURRENCE-ID:20260402T090000" CRLF
		"DTSTART;TZID=Test/Plus2:20260402T100000" CRLF
		"DTEND;TZID=Test/Plus2:20260402T180000" CRLF
		"SUMMARY:bob" CRLF "END:VEVENT" CRLF
		"END:VCALENDAR" CRLF;
	struct sr_shift_list l;

	(void)state;
	ical_spring(ics, &l);
	assert_int_equal(l.n, 3);
	/* floating times are read as UTC; bob's are in the calendar's own +02:00 zone */
	expect_shift(&l, 0, "2026-04-01T09:00:00Z", "2026-04-01T17:00:00Z", "alice");
	expect_shift(&l, 1, "2026-04-02T08:00:00Z", "2026-04-02T16:00:00Z", "bob");
	expect_shift(&l, 2, "2026-04-03T09:00:00Z", "2026-04-03T17:00:00Z", "alice");
	sr_shift_list_done(&l);
}

/*
 * DURATION instead of DTEND: its days are wall-clock days across the spring change, its time
 * part exact hours (RFC 5545 3.3.6: "P1D" is nominal, "PT24H" exact). Berlin, 2026-03-29.
 */
static void
test_ical_duration_across_dst(void **state)
{
	static const struct {
		const char *duration, *end0, *end1;
	} c[] = {
		{ "P1D", "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z" },
		{ "PT24H", "2026-03-29T08:00:00Z", "2026-03-30T07:00:00Z" },
		{ "P1DT1H", "2026-03-29T08:00:00Z", "2026-03-30T08:00:00Z" },
		{ "P1W", "2026-04-04T07:00:00Z", "2026-04-05T07:00:00Z" },
		{ "PT1H30M", "2026-03-28T09:30:00Z", "2026-03-29T08:30:00Z" },
	};
	struct sr_shift_list l;

	(void)state;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		char *ics = sr_xasprintf(
			"BEGIN:VCALENDAR" CRLF "VERSION:2.0" CRLF
			"BEGIN:VEVENT" CRLF "UID:g@test" CRLF
			"DTSTART;TZID=Europe/Berlin:20260328T090000" CRLF "DURATION:%s" CRLF
			"RRULE:FREQ=DAILY;COUNT=2" CRLF "SUMMARY:alice" CRLF "END:VEVENT" CRLF
			"END:VCALENDAR" CRLF, c[i].duration);

		ical_spring(ics, &l);
		free(ics);
		assert_int_equal(l.n, 2);
		expect_shift(&l, 0, "2026-03-28T08:00:00Z", c[i].end0, "alice");
		expect_shift(&l, 1, "2026-03-29T07:00:00Z", c[i].end1, "alice");
		sr_shift_list_done(&l);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekly_order),
		cmocka_unit_test(test_ical_export_exact),
		cmocka_unit_test(test_ical_fold_limit),
		cmocka_unit_test(test_dst_berlin),
		cmocka_unit_test(test_dst_new_york_daily),
		cmocka_unit_test(test_handoff_in_gap),
		cmocka_unit_test(test_shifts_errors),
		cmocka_unit_test(test_parse_handoff),
		cmocka_unit_test(test_override_inside),
		cmocka_unit_test(test_next_until_and_copies),
		cmocka_unit_test(test_override_across),
		cmocka_unit_test(test_override_long),
		cmocka_unit_test(test_overrides_of),
		cmocka_unit_test(test_oncall_settled),
		cmocka_unit_test(test_oncall_settled_gap),
		cmocka_unit_test(test_ical_rrule),
		cmocka_unit_test(test_ical_malformed),
		cmocka_unit_test(test_ical_roundtrip),
		cmocka_unit_test(test_config_rotation),
		cmocka_unit_test(test_config_rotation_errors),
		cmocka_unit_test(test_half_hour_and_local_text),
		cmocka_unit_test(test_parse_handoff_minutes),
		cmocka_unit_test(test_resolve_override_id),
		cmocka_unit_test(test_resolve_in_gap),
		cmocka_unit_test(test_level_contact),
		cmocka_unit_test(test_shifts_window_before_handoff),
		cmocka_unit_test(test_override_same_start),
		cmocka_unit_test(test_effective_clipped),
		cmocka_unit_test(test_tz_restored),
		cmocka_unit_test(test_parse_handoff_long_word),
		cmocka_unit_test(test_ical_name_chars),
		cmocka_unit_test(test_ical_events_apart),
		cmocka_unit_test(test_ical_lower_case_names),
		cmocka_unit_test(test_ical_attendee_address),
		cmocka_unit_test(test_ical_quoted_colon),
		cmocka_unit_test(test_ical_override_utc),
		cmocka_unit_test(test_ical_override_without_uid),
		cmocka_unit_test(test_ical_floating_override),
		cmocka_unit_test(test_ical_duration_across_dst),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* ical.h: on-call calendars: RFC 5545 read with libical (shifts out), and written (shifts in). */
#ifndef SR_ICAL_H
#define SR_ICAL_H

#include <stddef.h>

#include "oncall.h"
#include "util.h"

/*
 * Reads an iCalendar text (what PagerDuty, Opsgenie, Grafana OnCall or Google Calendar
 * export) and appends to out, sorted, the shifts of its VEVENTs that overlap [from, until):
 * RRULE and RDATE expanded, EXDATE left out, an instance replaced by its RECURRENCE-ID
 * override, TZID honoured (the calendar's VTIMEZONE, else the system tz database). Who is on
 * call is an ATTENDEE's CN, else its address, else the SUMMARY. name names the calendar in
 * messages. Fails (-1 + *err naming name:line) on a line that is not an iCalendar content
 * line, unbalanced BEGIN/END, no VCALENDAR, or an event without DTSTART.
 */
int sr_ical_shifts(const char *text, size_t len, const char *name, sr_time from,
		   sr_time until, struct sr_shift_list *out, char **err);

/*
 * Writing an RFC 5545 calendar: sr_ical_begin (VCALENDAR header, calname as X-WR-CALNAME),
 * one sr_ical_event per shift of a rotation, sr_ical_end. UTC times, CRLF line ends, lines
 * folded at 75 octets (never inside a UTF-8 character), text escaped and sanitised. The UID
 * is stable for a shift (rotation and start time); stamp is the DTSTAMP; SUMMARY is who.
 */
void sr_ical_begin(struct sr_buf *b, const char *calname);
void sr_ical_event(struct sr_buf *b, const char *rotation, const struct sr_shift *s,
		   sr_time stamp);
void sr_ical_end(struct sr_buf *b);

#endif

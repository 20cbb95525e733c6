/* SPDX-License-Identifier: MIT */
/* ical.c: on-call calendars read with libical (RRULE, EXDATE, RECURRENCE-ID, TZID) and written. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "ical.h"
#include "ical_lazy.h"
#include "text.h"

/* --- the line check libical does not do: it accepts almost anything, without line numbers --- */

/* Where each VEVENT begins (line numbers, in file order), filled by check_lines. */
struct line_info {
	int *vevent_line;
	size_t n_vevent, cap_vevent;
};

static int
is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-';
}

/*
 * Each unfolded line must be NAME[;PARAM=...]:VALUE; BEGIN and END must pair up; the first
 * component must be a VCALENDAR. Errors name name:line.
 */
static int
check_lines(const char *text, size_t len, const char *name, struct line_info *li, char **err)
{
	char stack[16][32];
	int depth = 0, line = 0, seen_cal = 0;
	size_t pos = 0;

	while (pos < len) {
		size_t end = pos, n;
		const char *l = text + pos;
		int inq = 0, colon = -1;

		line++;
		while (end < len && text[end] != '\n')
			end++;
		n = end - pos;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		pos = end + 1;
		if (n == 0)
			continue;	/* a blank line: not allowed, but harmless */
		if (l[0] == ' ' || l[0] == '\t') {
			if (line == 1)
				return sr_err(err, "%s:%d: a folded line continues nothing", name, line);
			continue;	/* continuation of the previous line */
		}
		for (size_t i = 0; i < n; i++) {
			if (l[i] == '"')
				inq = !inq;
			else if (l[i] == ':' && !inq) {
				colon = (int)i;
				break;
			}
		}
		if (colon <= 0 || !is_name_char(l[0])) {
			char *cut = sr_xstrndup(l, n < 60 ? n : 60), *shown = sr_text_clean(cut);

			free(cut);
			sr_err(err, "%s:%d: not an iCalendar line (expected NAME:VALUE): \"%s\"", name,
			       line, shown);
			free(shown);
			return -1;
		}
		for (int i = 0; i < colon && l[i] != ';'; i++)
			if (!is_name_char(l[i]))
				return sr_err(err, "%s:%d: bad property name", name, line);
		if ((colon == 5 && strncasecmp(l, "BEGIN", 5) == 0) ||
		    (colon == 3 && strncasecmp(l, "END", 3) == 0)) {
			int begin = colon == 5;
			size_t vn = n - (size_t)colon - 1;
			const char *v = l + colon + 1;
			char comp[32];

			snprintf(comp, sizeof(comp), "%.*s", (int)(vn < 31 ? vn : 31), v);
			if (begin) {
				if (depth == 0 && seen_cal)
					return sr_err(err, "%s:%d: content after END:VCALENDAR", name, line);
				if (depth == 0 && strcasecmp(comp, "VCALENDAR") != 0)
					return sr_err(err, "%s:%d: expected BEGIN:VCALENDAR", name, line);
				if (depth == 16)
					return sr_err(err, "%s:%d: components nested too deep", name, line);
				memcpy(stack[depth++], comp, sizeof(comp));
				seen_cal = 1;
				if (strcasecmp(comp, "VEVENT") == 0) {
					li->vevent_line = sr_xgrow(li->vevent_line, &li->cap_vevent,
								   li->n_vevent + 1, sizeof(int));
					li->vevent_line[li->n_vevent++] = line;
				}
			} else {
				if (depth == 0 || strcasecmp(stack[depth - 1], comp) != 0) {
					char *shown = sr_text_clean(comp);

					sr_err(err, "%s:%d: END:%s does not close %s%s", name, line, shown,
					       depth ? "BEGIN:" : "anything",
					       depth ? stack[depth - 1] : "");
					free(shown);
					return -1;
				}
				depth--;
			}
		} else if (depth == 0) {
			return sr_err(err, "%s:%d: a property outside BEGIN:VCALENDAR", name, line);
		}
	}
	if (!seen_cal)
		return sr_err(err, "%s: no BEGIN:VCALENDAR: not an iCalendar file", name);
	if (depth > 0)
		return sr_err(err, "%s:%d: BEGIN:%s is never closed (END:%s missing)", name, line,
			      stack[depth - 1], stack[depth - 1]);
	return 0;
}

/* --- reading --- */

static sr_time
to_time(struct icaltimetype t)
{
	const icaltimezone *z = t.zone != NULL ? t.zone : icaltimezone_get_utc_timezone();

	return (sr_time)icaltime_as_timet_with_zone(t, z);
}

/* Who an event puts on call: ATTENDEE's CN, else its address, else SUMMARY. Allocated. */
static char *
event_who(icalcomponent *ev)
{
	icalproperty *p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	const char *s;

	if (p != NULL) {
		icalparameter *cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);

		if (cn != NULL && (s = icalparameter_get_cn(cn)) != NULL && *s != '\0')
			return sr_xstrdup(s);
		if ((s = icalproperty_get_attendee(p)) != NULL && *s != '\0')
			return sr_xstrdup(strncasecmp(s, "mailto:", 7) == 0 ? s + 7 : s);
	}
	s = icalcomponent_get_summary(ev);
	return sr_xstrdup(s != NULL && *s != '\0' ? s : "(unnamed)");
}

/* DTEND - DTSTART as days plus a time of day, both read on the wall clock. */
static struct icaldurationtype
wall_length(struct icaltimetype s, struct icaltimetype e)
{
	struct icaldurationtype d = icaldurationtype_null_duration();
	int64_t days = sr_days_from_civil(e.year, e.month, e.day) -
		       sr_days_from_civil(s.year, s.month, s.day);
	int64_t secs = (e.hour - s.hour) * 3600 + (e.minute - s.minute) * 60 +
		       (e.second - s.second);

	if (secs < 0 && days > 0) {
		days--;
		secs += 86400;
	}
	if (days < 0 || secs < 0)
		return d;
	d.days = (unsigned int)days;
	d.seconds = (unsigned int)secs;
	return d;
}

/* A RECURRENCE-ID override: which instance of which series it replaces. */
struct rid {
	const char *uid;
	sr_time at;
};

struct expand {
	struct sr_shift_list *out;
	const icaltimezone *zone;	/* DTSTART's zone (NULL: UTC or floating) */
	int nominal;			/* the event's length is a wall-clock length: */
	struct icaldurationtype len;	/* days + time, added in zone */
	int64_t exact;			/* then these seconds (DURATION's time part) */
	const char *who;
	const char *uid;
	const struct rid *rids;
	size_t n_rids;
	sr_time from, until;
};

static void
on_instance(icalcomponent *comp, struct icaltime_span *span, void *data)
{
	struct expand *x = data;

	(void)comp;
	for (size_t i = 0; i < x->n_rids; i++)
		if ((sr_time)span->start == x->rids[i].at && x->uid != NULL &&
		    strcmp(x->rids[i].uid, x->uid) == 0)
			return;	/* replaced by its RECURRENCE-ID override */
	if (x->nominal) {
		/* 09:00 to 09:00 a week later stays so across a DST change (see architecture.md) */
		struct icaltimetype t = icaltime_from_timet_with_zone(span->start, 0, x->zone);

		t = icaltime_add(t, x->len);
		span->end = icaltime_as_timet_with_zone(t, x->zone) + x->exact;
	}
	if ((sr_time)span->end > x->from && (sr_time)span->start < x->until &&
	    span->end > span->start)
		sr_shift_list_add(x->out, span->start, span->end, x->who);
}

/*
 * A property's time with its TZID resolved: the calendar's VTIMEZONE, else the system tz
 * database (libical's built-in zones). libical leaves RECURRENCE-ID's TZID unresolved.
 */
static sr_time
prop_time(icalcomponent *cal, icalproperty *p, struct icaltimetype t)
{
	icalparameter *tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);

	if (tzp != NULL && t.zone == NULL && !icaltime_is_utc(t)) {
		const char *tzid = icalparameter_get_tzid(tzp);
		icaltimezone *z = icalcomponent_get_timezone(cal, tzid);

		if (z == NULL)
			z = icaltimezone_get_builtin_timezone(tzid);
		if (z != NULL)
			return (sr_time)icaltime_as_timet_with_zone(t, z);
	}
	return to_time(t);
}

/*
 * The first line at or after `from` that holds ":" value: where libical found the bad
 * value it names ("... Removing entire property: VALUE"). 0 when not found.
 */
static int
find_value_line(const char *text, size_t len, int from, const char *msg)
{
	const char *v = strrchr(msg, ':');
	char *needle;
	int line = 1, found = 0;

	if (v == NULL || v[1] != ' ' || v[2] == '\0')
		return 0;
	needle = sr_xasprintf(":%s", v + 2);
	for (size_t pos = 0; pos < len && !found;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		if (line >= from) {
			char *l = sr_xstrndup(text + pos, end - pos);

			found = strstr(l, needle) != NULL;
			free(l);
		}
		if (!found) {
			pos = end + 1;
			line++;
		}
	}
	free(needle);
	return found ? line : 0;
}

/* libical marks what it could not parse with X-LIC-ERROR properties: the first one, or NULL. */
static const char *
first_parse_error(icalcomponent *c)
{
	icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);

	return p != NULL ? icalproperty_get_xlicerror(p) : NULL;
}

int
sr_ical_shifts(const char *text, size_t len, const char *name, sr_time from, sr_time until,
	       struct sr_shift_list *out, char **err)
{
	struct line_info li;
	icalcomponent *cal, *ev;
	struct rid *rids = NULL;
	size_t n_rids = 0, cap_rids = 0, vi;
	const char *perr;
	char *copy;
	int rc = 0;

	memset(&li, 0, sizeof(li));
	if (check_lines(text, len, name, &li, err) != 0 ||
	    sr_ical_load(err) != 0) {	/* libical is loaded on first use: ical_lazy.h */
		free(li.vevent_line);
		return -1;
	}
	copy = sr_xstrndup(text, len);
	cal = icalparser_parse_string(copy);
	free(copy);
	if (cal == NULL || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		free(li.vevent_line);
		if (cal != NULL)
			icalcomponent_free(cal);
		return sr_err(err, "%s: not an iCalendar file (no VCALENDAR)", name);
	}
	if ((perr = first_parse_error(cal)) != NULL) {
		char *shown = sr_text_clean(perr);

		sr_err(err, "%s: %s", name, shown);
		free(shown);
		rc = -1;
		goto done;
	}
	/* First the RECURRENCE-ID overrides, which the series' expansion must skip. */
	vi = 0;
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev != NULL;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), vi++) {
		int line = vi < li.n_vevent ? li.vevent_line[vi] : 0;

		if ((perr = first_parse_error(ev)) != NULL) {
			char *shown = sr_text_clean(perr);
			int at = find_value_line(text, len, line, perr);

			sr_err(err, "%s:%d: %s", name, at ? at : line, shown);
			free(shown);
			rc = -1;
			goto done;
		}
		if (icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY) == NULL) {
			sr_err(err, "%s:%d: an event without DTSTART", name, line);
			rc = -1;
			goto done;
		}
		if (icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY) != NULL &&
		    icalcomponent_get_uid(ev) != NULL) {
			rids = sr_xgrow(rids, &cap_rids, n_rids + 1, sizeof(*rids));
			rids[n_rids].uid = icalcomponent_get_uid(ev);
			rids[n_rids].at = prop_time(cal, icalcomponent_get_first_property(ev,
						    ICAL_RECURRENCEID_PROPERTY),
						    icalcomponent_get_recurrenceid(ev));
			n_rids++;
		}
	}
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev != NULL;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		int is_rid = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY) != NULL;
		struct expand x;
		char *who;

		if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
			continue;
		who = event_who(ev);
		memset(&x, 0, sizeof(x));
		x.out = out;
		x.who = who;
		x.uid = icalcomponent_get_uid(ev);
		x.rids = is_rid ? NULL : rids;
		x.n_rids = is_rid ? 0 : n_rids;
		x.from = from;
		x.until = until;
		{
			struct icaltimetype ds = icalcomponent_get_dtstart(ev);
			icalproperty *de = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
			icalproperty *du = icalcomponent_get_first_property(ev,
									    ICAL_DURATION_PROPERTY);

			/* DTEND in the same zone as DTSTART: the length is a wall-clock one */
			if (de != NULL && ds.zone != NULL) {
				struct icaltimetype dt = icalcomponent_get_dtend(ev);

				if (dt.zone == ds.zone) {
					x.zone = ds.zone;
					x.nominal = 1;
					x.len = wall_length(ds, dt);
				}
			} else if (du != NULL && ds.zone != NULL) {
				/* DURATION: its weeks and days are wall-clock days, its time part
				 * exact seconds (RFC 5545 3.3.6: "P1D" across a DST change is 23
				 * or 25 hours, "PT24H" is 24) */
				struct icaldurationtype d = icalproperty_get_duration(du);

				if (!d.is_neg) {
					x.zone = ds.zone;
					x.nominal = 1;
					x.len.days = d.weeks * 7 + d.days;
					x.exact = (int64_t)d.hours * 3600 + d.minutes * 60 + d.seconds;
				}
			}
		}
		if (is_rid) {
			struct icaltime_span sp = { 0 };	/* a field left unset is no stack leftover */

			sp.start = (time_t)to_time(icalcomponent_get_dtstart(ev));
			sp.end = (time_t)to_time(icalcomponent_get_dtend(ev));
			on_instance(ev, &sp, &x);
		} else {
			/* from one year back: an instance started before `from` may still run */
			icalcomponent_foreach_recurrence(ev,
				icaltime_from_timet_with_zone((time_t)(from - 366 * 86400), 0,
							      icaltimezone_get_utc_timezone()),
				icaltime_from_timet_with_zone((time_t)until, 0,
							      icaltimezone_get_utc_timezone()),
				on_instance, &x);
		}
		free(who);
	}
	sr_shift_list_sort(out);
done:
	free(rids);
	free(li.vevent_line);
	icalcomponent_free(cal);
	return rc;
}

/* --- writing --- */

/* Appends one content line, folded at 75 octets (never inside a UTF-8 character), + CRLF. */
static void
put_line(struct sr_buf *b, const char *s, size_t n)
{
	size_t lim = 75;

	while (n > lim) {
		size_t cut = lim;

		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
		sr_buf_add(b, s, cut);
		sr_buf_adds(b, "\r\n ");
		s += cut;
		n -= cut;
		lim = 74;	/* the leading space counts */
	}
	sr_buf_add(b, s, n);
	sr_buf_adds(b, "\r\n");
}

/* NAME:TEXT with TEXT escaped (RFC 5545 3.3.11) and sanitised (no control characters). */
static void
put_text(struct sr_buf *b, const char *prop, const char *text)
{
	struct sr_buf l;
	char *clean = sr_text_clean(text);

	sr_buf_init(&l);
	sr_buf_printf(&l, "%s:", prop);
	for (const char *p = clean; *p != '\0'; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			sr_buf_addc(&l, '\\');
		sr_buf_addc(&l, *p);
	}
	put_line(b, l.data, l.len);
	sr_buf_done(&l);
	free(clean);
}

static void
put_time(struct sr_buf *b, const char *prop, sr_time t)
{
	char ts[32], line[64];
	int n;

	sr_time_format(t, ts, sizeof(ts));	/* YYYY-MM-DDTHH:MM:SSZ -> YYYYMMDDTHHMMSSZ */
	n = snprintf(line, sizeof(line), "%s:%.4s%.2s%.2sT%.2s%.2s%.2sZ", prop, ts, ts + 5,
		     ts + 8, ts + 11, ts + 14, ts + 17);
	put_line(b, line, (size_t)n);
}

void
sr_ical_begin(struct sr_buf *b, const char *calname)
{
	put_line(b, "BEGIN:VCALENDAR", 15);
	put_line(b, "VERSION:2.0", 11);
	put_line(b, "PRODID:-//sitrep//on call//EN", 29);
	put_line(b, "CALSCALE:GREGORIAN", 18);
	put_line(b, "METHOD:PUBLISH", 14);
	put_text(b, "X-WR-CALNAME", calname);
}

void
sr_ical_event(struct sr_buf *b, const char *rotation, const struct sr_shift *s, sr_time stamp)
{
	struct sr_buf uid;
	char ts[32], *desc;

	put_line(b, "BEGIN:VEVENT", 12);
	/* Stable: the same shift of the same rotation gets the same UID in every export. */
	sr_buf_init(&uid);
	sr_buf_adds(&uid, "UID:");
	for (const unsigned char *p = (const unsigned char *)rotation; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.')
			sr_buf_addc(&uid, (char)*p);
		else
			sr_buf_printf(&uid, "_%02X", *p);
	}
	sr_time_format(s->from, ts, sizeof(ts));
	sr_buf_printf(&uid, "-%.4s%.2s%.2sT%.2s%.2s%.2sZ@sitrep", ts, ts + 5, ts + 8, ts + 11,
		      ts + 14, ts + 17);
	put_line(b, uid.data, uid.len);
	sr_buf_done(&uid);
	put_time(b, "DTSTAMP", stamp);
	put_time(b, "DTSTART", s->from);
	put_time(b, "DTEND", s->until);
	put_text(b, "SUMMARY", s->who);
	desc = sr_xasprintf("On call for %s%s", rotation, s->override_id ? " (override)" : "");
	put_text(b, "DESCRIPTION", desc);
	free(desc);
	put_line(b, "TRANSP:TRANSPARENT", 18);
	put_line(b, "END:VEVENT", 10);
}

void
sr_ical_end(struct sr_buf *b)
{
	put_line(b, "END:VCALENDAR", 13);
}

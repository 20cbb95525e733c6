/* SPDX-License-Identifier: MIT */
/* oncall.h: rotations and overrides -> who is on call at a time (pure: time is passed in). */
#ifndef SR_ONCALL_H
#define SR_ONCALL_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "config.h"

/* One stretch of time somebody is on call: [from, until). */
struct sr_shift {
	sr_time from, until;
	char *who;
	int64_t override_id;	/* > 0 when an override made this stretch */
};

struct sr_shift_list {
	struct sr_shift *v;
	size_t n, cap;
};

void sr_shift_list_init(struct sr_shift_list *l);
void sr_shift_list_done(struct sr_shift_list *l);
/* Appends a copy of who. */
void sr_shift_list_add(struct sr_shift_list *l, sr_time from, sr_time until, const char *who);
/* Sorts by start time (then end time). */
void sr_shift_list_sort(struct sr_shift_list *l);

/* An override kept in the store: who covers rotation over [from, until). */
struct sr_override {
	int64_t id;		/* given by the store */
	char *rotation;
	char *who;
	sr_time from, until;
	sr_time created;
	char *created_by;
};

struct sr_override_list {
	struct sr_override *v;
	size_t n, cap;
};

void sr_override_list_init(struct sr_override_list *l);
void sr_override_list_done(struct sr_override_list *l);
/* Appends a deep copy of o. */
void sr_override_list_add(struct sr_override_list *l, const struct sr_override *o);
/*
 * Sorts l by rotation (case-insensitive; then start, id), so each rotation's overrides are
 * one run that sr_overrides_of finds: a command over many rotations hands each only its own
 * (one sort, then a binary search per rotation, instead of every override per rotation).
 */
void sr_override_list_by_rotation(struct sr_override_list *l);
/* The run of rotation's overrides in v (sorted by sr_override_list_by_rotation): *n of them. */
const struct sr_override *sr_overrides_of(const struct sr_override *v, size_t n_v,
					  const char *rotation, size_t *n);
void sr_override_done(struct sr_override *o);

/*
 * Parses a handoff "mon 09:00", "Monday 9:00" or "09:00" (every day): *wday is 0 (Sunday)
 * to 6, or -1 when no day is named; *minute is minutes after local midnight. 0 or -1 + *err.
 */
int sr_oncall_parse_handoff(const char *s, int *wday, int *minute, char **err);
/* True when name is a zone of the system tz database (a file under $TZDIR or /usr/share/zoneinfo). */
int sr_oncall_tz_valid(const char *name);

/*
 * t as local wall-clock time in zone (NULL: the system's): "Mon 2026-11-30 09:00 CET" into
 * buf (40 bytes are enough). An unknown zone gives "". Returns buf.
 */
char *sr_oncall_local(sr_time t, const char *zone, char *buf, size_t n);

/*
 * The base shifts of a member rotation (no overrides) that overlap [from, until), in order.
 * tz_default is used when the rotation names no timezone (NULL: the system's). The handoffs
 * are local wall-clock times in the rotation's zone, so a shift across a DST change is an
 * hour shorter or longer. Appends to out; 0, or -1 + *err (bad zone, no members).
 */
int sr_rotation_shifts(const struct sr_rotation *rot, const char *tz_default, sr_time from,
		       sr_time until, struct sr_shift_list *out, char **err);

/*
 * Lays the overrides of one rotation (others in ov are ignored) over base (sorted, not
 * overlapping) and appends the effective stretches overlapping [from, until) to out, merged
 * where the same person continues. An override wins over the base; of overlapping overrides
 * the one that starts later wins (the same start: the higher id).
 */
void sr_oncall_effective(const struct sr_shift_list *base, const char *rotation,
			 const struct sr_override *ov, size_t n_ov, sr_time from, sr_time until,
			 struct sr_shift_list *out);

/* Who is on call for one rotation at a time, and who follows. */
struct sr_oncall_now {
	char *who;		/* NULL: nobody (a gap in a calendar) */
	sr_time since, until;	/* the stretch holding "at"; 0 when unknown */
	char *next;		/* who takes over at until (NULL: nobody known) */
	sr_time next_until;
	int64_t override_id;	/* > 0 when an override put who on call */
};

void sr_oncall_now_done(struct sr_oncall_now *o);

/*
 * Fills out for rotation rot at time at: base is the rotation's base shifts (from
 * sr_rotation_shifts or a calendar) covering at least [at - 1 shift, at + 2 shifts], ov
 * the overrides. Pure: only reads its arguments.
 */
void sr_oncall_resolve(const struct sr_shift_list *base, const char *rotation,
		       const struct sr_override *ov, size_t n_ov, sr_time at,
		       struct sr_oncall_now *out);

/*
 * True when o, computed with only the overrides that overlap (from, until) (from < at <
 * until), is also the answer with every override: the stretch holding at starts after from
 * and the one after it (or, without one, the stretch itself) ends before until. Who is on
 * call at any moment inside (from, until) depends only on the overrides overlapping it, and
 * those points are where the answer's stretches begin and end, so overrides outside cannot
 * move them. False for nobody on call (a gap, or no schedule there): ask with all of them.
 */
int sr_oncall_settled(const struct sr_oncall_now *o, sr_time from, sr_time until);

/*
 * The base shifts of any rotation overlapping [from, until): computed from members, or read
 * from its ical file (sr_ical_shifts). Appends to out; 0, or -1 + *err (unreadable or
 * malformed calendar with file:line, ical_url: not supported yet, bad zone).
 */
struct sr_calendar {
	const char *text;	/* an iCalendar text already at hand (fetched from ical_url) */
	size_t len;
	const char *name;	/* for messages */
};
/* cal: the rotation's calendar text when the caller fetched it (ical_url), else NULL. */
int sr_oncall_base(const struct sr_rotation *rot, const char *tz_default,
		   const struct sr_calendar *cal, sr_time from, sr_time until,
		   struct sr_shift_list *out, char **err);

/*
 * The whole answer for a rotation at time at (members or calendar): base shifts around
 * at, overrides laid over. 0, or -1 + *err.
 */
int sr_oncall_who(const struct sr_rotation *rot, const char *tz_default,
		  const struct sr_calendar *cal, const struct sr_override *ov, size_t n_ov, sr_time at,
		  struct sr_oncall_now *out, char **err);

/*
 * Who level lvl (0..3) reaches at time at, as text (allocated): its contact, or for a level
 * that names a rotation (L1 = rotation:primary) "alice (on call in primary)" with ov laid
 * over the schedule; "nobody on call in primary" in a gap; "on call in primary: unknown
 * (why)" when the schedule cannot be read. Never fails.
 */
char *sr_oncall_level_contact(const struct sr_config *cfg, int lvl, sr_time at,
			      const struct sr_override *ov, size_t n_ov);

/* The rotation named name in cfg (case-insensitive), or NULL. */
const struct sr_rotation *sr_config_rotation(const struct sr_config *cfg, const char *name);

#endif

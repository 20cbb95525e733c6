/* SPDX-License-Identifier: MIT */
/*
 * ical_lazy.h: libical, loaded on first use. Linking libical costs every start of sitrep
 * its ICU and libstdc++ dependencies (about 19 M cycles of relocations in the dynamic
 * loader, ~40% of a start), also for `sitrep oncall` and every command that never reads a
 * calendar. So src/ical.c includes this after <libical/ical.h>: each ical* call it makes goes
 * through a table filled by dlopen() of libical.so.3 the first time sr_ical_load() runs.
 * Only src/ical.c may include it.
 */
#ifndef SR_ICAL_LAZY_H
#define SR_ICAL_LAZY_H

#include <libical/ical.h>

/* The functions sitrep uses (the table takes libical's own prototypes with __typeof__). */
#define SR_ICAL_FUNCS(X) \
	X(icalcomponent_foreach_recurrence) \
	X(icalcomponent_free) \
	X(icalcomponent_get_dtend) \
	X(icalcomponent_get_dtstart) \
	X(icalcomponent_get_first_component) \
	X(icalcomponent_get_first_property) \
	X(icalcomponent_get_next_component) \
	X(icalcomponent_get_recurrenceid) \
	X(icalcomponent_get_status) \
	X(icalcomponent_get_summary) \
	X(icalcomponent_get_timezone) \
	X(icalcomponent_get_uid) \
	X(icalcomponent_isa) \
	X(icaldurationtype_null_duration) \
	X(icalparameter_get_cn) \
	X(icalparameter_get_tzid) \
	X(icalparser_parse_string) \
	X(icalproperty_get_attendee) \
	X(icalproperty_get_duration) \
	X(icalproperty_get_first_parameter) \
	X(icalproperty_get_xlicerror) \
	X(icaltime_add) \
	X(icaltime_as_timet_with_zone) \
	X(icaltime_from_timet_with_zone) \
	X(icaltime_is_utc) \
	X(icaltimezone_get_builtin_timezone) \
	X(icaltimezone_get_utc_timezone)

struct sr_ical_api {
#define X(name) __typeof__(name) *name;
	SR_ICAL_FUNCS(X)
#undef X
};

/* The loaded table; valid only after sr_ical_load() returned 0. */
extern struct sr_ical_api sr_ical;

/*
 * Loads libical.so.3 and resolves every function (once; later calls return at once).
 * Returns 0, or -1 with *err naming the library and dlerror()'s reason.
 */
int sr_ical_load(char **err);

/* From here on, ical* calls in the including file go through the table. */
#ifndef SR_ICAL_LAZY_IMPL
#define icalcomponent_foreach_recurrence (sr_ical.icalcomponent_foreach_recurrence)
#define icalcomponent_free (sr_ical.icalcomponent_free)
#define icalcomponent_get_dtend (sr_ical.icalcomponent_get_dtend)
#define icalcomponent_get_dtstart (sr_ical.icalcomponent_get_dtstart)
#define icalcomponent_get_first_component (sr_ical.icalcomponent_get_first_component)
#define icalcomponent_get_first_property (sr_ical.icalcomponent_get_first_property)
#define icalcomponent_get_next_component (sr_ical.icalcomponent_get_next_component)
#define icalcomponent_get_recurrenceid (sr_ical.icalcomponent_get_recurrenceid)
#define icalcomponent_get_status (sr_ical.icalcomponent_get_status)
#define icalcomponent_get_summary (sr_ical.icalcomponent_get_summary)
#define icalcomponent_get_timezone (sr_ical.icalcomponent_get_timezone)
#define icalcomponent_get_uid (sr_ical.icalcomponent_get_uid)
#define icalcomponent_isa (sr_ical.icalcomponent_isa)
#define icaldurationtype_null_duration (sr_ical.icaldurationtype_null_duration)
#define icalparameter_get_cn (sr_ical.icalparameter_get_cn)
#define icalparameter_get_tzid (sr_ical.icalparameter_get_tzid)
#define icalparser_parse_string (sr_ical.icalparser_parse_string)
#define icalproperty_get_attendee (sr_ical.icalproperty_get_attendee)
#define icalproperty_get_duration (sr_ical.icalproperty_get_duration)
#define icalproperty_get_first_parameter (sr_ical.icalproperty_get_first_parameter)
#define icalproperty_get_xlicerror (sr_ical.icalproperty_get_xlicerror)
#define icaltime_add (sr_ical.icaltime_add)
#define icaltime_as_timet_with_zone (sr_ical.icaltime_as_timet_with_zone)
#define icaltime_from_timet_with_zone (sr_ical.icaltime_from_timet_with_zone)
#define icaltime_is_utc (sr_ical.icaltime_is_utc)
#define icaltimezone_get_builtin_timezone (sr_ical.icaltimezone_get_builtin_timezone)
#define icaltimezone_get_utc_timezone (sr_ical.icaltimezone_get_utc_timezone)
#endif

#endif

/* SPDX-License-Identifier: MIT */
/* clock.h: "now", RFC 3339 times and durations such as 90s, 15m, 4h, 1d, 1w. */
#ifndef SR_CLOCK_H
#define SR_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Times are seconds since the Unix epoch (UTC); 0 means "not set" in incident fields. */
typedef int64_t sr_time;

/*
 * Reads the wall clock, or the fixed time in SITREP_NOW (RFC 3339) when that variable is set:
 * the only place in src/ that asks the system for the time. Fails when SITREP_NOW is malformed.
 */
int sr_clock_now(sr_time *now, char **err);

/* Parses an RFC 3339 time ("2026-11-23T03:12:00Z", "...+01:00", fractional seconds allowed). */
int sr_time_parse(const char *s, sr_time *out, char **err);
/* Days since 1970-01-01 of a proleptic Gregorian date (negative before). */
int64_t sr_days_from_civil(int64_t y, int m, int d);
/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). Returns buf. */
char *sr_time_format(sr_time t, char *buf, size_t n);
/* The UTC calendar year of t. */
int sr_time_year(sr_time t);

/*
 * Parses a duration: one or more <number><unit> with units s, m, h, d, w ("90s", "1h30m").
 * A bare "0" is zero. Fails on anything else, naming the text.
 */
int sr_duration_parse(const char *s, int64_t *secs, char **err);
/*
 * Formats a non-negative duration compactly for a timer: "42s", "4m12s", "1h05m", "2d03h",
 * "3w2d". Negative values are formatted by their absolute value. Returns buf.
 */
char *sr_duration_format(int64_t secs, char *buf, size_t n);
/*
 * Formats an age (now minus a past moment) as sr_duration_format does, with a leading '-'
 * when it is negative (the moment is later than now: a clock set back), so an age is never
 * shown without its sign. Returns buf.
 */
char *sr_age_format(int64_t secs, char *buf, size_t n);

#endif

/* SPDX-License-Identifier: MIT */
/* clock.c: the one place that reads the wall clock, plus RFC 3339 and duration text. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "util.h"

int
sr_clock_now(sr_time *now, char **err)
{
	const char *fixed = getenv("SITREP_NOW");

	if (fixed != NULL && *fixed != '\0') {
		if (sr_time_parse(fixed, now, err) != 0) {
			char *inner = *err;

			*err = NULL;
			sr_err(err, "SITREP_NOW: %s", inner);
			free(inner);
			return -1;
		}
		return 0;
	}
	*now = (sr_time)time(NULL);
	return 0;
}

/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm). */
int64_t
sr_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int
sr_time_parse(const char *s, sr_time *out, char **err)
{
	const char *p = s;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d))
		goto bad;
	if (*p != 'T' && *p != 't' && *p != ' ')
		goto bad;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' ||
	    digits(&p, 2, &sec))
		goto bad;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			goto bad;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		p++;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om))
			goto bad;
	} else {
		goto bad;
	}
	if (*p != '\0')
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		goto bad;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		goto bad;
	*out = sr_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	       sign * (oh * 3600 + om * 60);
	return 0;
bad:
	return sr_err(err, "bad time \"%s\": expected RFC 3339, e.g. 2026-11-23T03:12:00Z", s);
}

char *
sr_time_format(sr_time t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	int year;

	/* snprintf, not strftime: %Y does not zero-pad years before 1000. */
	if (gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, n, "%" PRId64, t);
		return buf;
	}
	year = tm.tm_year + 1900;
	if (year < 0 || year > 9999 || n < 21) {
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		return buf;
	}
	/* The common case by hand: alert lists format two of these per alert. */
	{
		const int v[] = { tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec };
		static const char sep[] = "-T::Z";
		char *p = buf;

		*p++ = (char)('0' + year / 1000);
		*p++ = (char)('0' + year / 100 % 10);
		*p++ = (char)('0' + year / 10 % 10);
		*p++ = (char)('0' + year % 10);
		*p++ = '-';
		for (size_t i = 0; i < 5; i++) {
			*p++ = (char)('0' + v[i] / 10);
			*p++ = (char)('0' + v[i] % 10);
			*p++ = sep[i];
		}
		*p = '\0';
	}
	return buf;
}

int
sr_time_year(sr_time t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		return 1970;
	return tm.tm_year + 1900;
}

int
sr_duration_parse(const char *s, int64_t *secs, char **err)
{
	const char *p = s;
	int64_t total = 0;
	int parts = 0;

	while (*p == ' ')
		p++;
	if (strcmp(p, "0") == 0) {
		*secs = 0;
		return 0;
	}
	while (*p != '\0' && *p != ' ') {
		int64_t v = 0, mult;

		if (!isdigit((unsigned char)*p))
			goto bad;
		while (isdigit((unsigned char)*p)) {
			if (v > INT64_MAX / 10 - 10)
				goto bad;
			v = v * 10 + (*p++ - '0');
		}
		switch (*p++) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case 'w': mult = 7 * 86400; break;
		default: goto bad;
		}
		if (v > (INT64_MAX / 4 - total) / mult)
			goto bad;
		total += v * mult;
		parts++;
	}
	while (*p == ' ')
		p++;
	if (parts == 0 || *p != '\0')
		goto bad;
	*secs = total;
	return 0;
bad:
	return sr_err(err, "bad duration \"%s\": expected e.g. 90s, 15m, 4h, 1d, 1w or 1h30m", s);
}

char *
sr_duration_format(int64_t secs, char *buf, size_t n)
{
	uint64_t s = secs < 0 ? (uint64_t)0 - (uint64_t)secs : (uint64_t)secs;

	if (s < 60)
		snprintf(buf, n, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(buf, n, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, n, "%" PRIu64 "h%02" PRIu64 "m", s / 3600, s % 3600 / 60);
	else if (s < 7 * 86400)
		snprintf(buf, n, "%" PRIu64 "d%02" PRIu64 "h", s / 86400, s % 86400 / 3600);
	else
		snprintf(buf, n, "%" PRIu64 "w%" PRIu64 "d", s / (7 * 86400),
			 s % (7 * 86400) / 86400);
	return buf;
}

char *
sr_age_format(int64_t secs, char *buf, size_t n)
{
	if (secs >= 0 || n < 2)
		return sr_duration_format(secs, buf, n);
	buf[0] = '-';
	sr_duration_format(secs, buf + 1, n - 1);
	return buf;
}

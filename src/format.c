/* SPDX-License-Identifier: MIT */
/* format.c: the one text of each meaning both front ends show (units, deadlines, sparklines). */
#include <math.h>
#include <stdio.h>

#include "clock.h"
#include "format.h"
#include "util.h"

char *
sr_format_unit(double v, enum sr_unit u, char *buf, size_t n)
{
	static const char *const bin[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	size_t i = 0;

	if (isnan(v)) {
		snprintf(buf, n, "NaN");
		return buf;
	}
	if (isinf(v)) {
		snprintf(buf, n, v > 0 ? "+Inf" : "-Inf");
		return buf;
	}
	switch (u) {
	case SR_UNIT_PERCENT:
		snprintf(buf, n, "%.1f%%", v);
		break;
	case SR_UNIT_RATIO:
		snprintf(buf, n, "%.1f%%", v * 100.0);
		break;
	case SR_UNIT_SECONDS:
		if (fabs(v) < 1.0)
			snprintf(buf, n, "%.0fms", v * 1000.0);
		else
			snprintf(buf, n, "%.2fs", v);
		break;
	case SR_UNIT_BYTES:
		while (fabs(v) >= 1024.0 && i + 1 < SR_ARRAY_LEN(bin)) {
			v /= 1024.0;
			i++;
		}
		snprintf(buf, n, i ? "%.1f%s" : "%.0f%s", v, bin[i]);
		break;
	case SR_UNIT_REQPS:
		snprintf(buf, n, "%.1f/s", v);
		break;
	case SR_UNIT_COUNT:
		snprintf(buf, n, "%.0f", v);
		break;
	case SR_UNIT_NONE:
	default:
		/* six significant digits: enough to read; --json keeps every digit */
		snprintf(buf, n, "%.6g", v);
		break;
	}
	return buf;
}

enum sr_deadline_state
sr_format_deadline(const struct sr_deadline *d, enum sr_deadline_form form, char *buf, size_t n)
{
	char dur[24];
	int cell = form == SR_DL_CELL;

	if (d->due == 0) {
		snprintf(buf, n, "-");
		return SR_DL_NONE;
	}
	sr_duration_format(d->left, dur, sizeof(dur));
	if (d->running && d->left >= 0) {
		snprintf(buf, n, cell ? "%s" : "%s left", dur);
		return d->left < SR_DL_SOON_SECS ? SR_DL_SOON : SR_DL_LEFT;
	}
	if (d->running) {
		snprintf(buf, n, cell ? "-%s" : "%s OVERDUE", dur);
		return SR_DL_OVERDUE;
	}
	if (d->breached) {
		snprintf(buf, n, cell ? "missed" : "missed by %s", dur);
		return SR_DL_MISSED;
	}
	snprintf(buf, n, "met");
	return SR_DL_MET;
}

int
sr_deadline_alarm(enum sr_deadline_state s)
{
	return s == SR_DL_OVERDUE || s == SR_DL_MISSED;
}

void
sr_chart_range(double min, double max, const double *th, size_t n_th, double *lo, double *hi)
{
	double l = min, h = max, mag, span;

	if (!isfinite(l) || !isfinite(h)) {
		l = 0;
		h = 1;
	}
	for (size_t i = 0; i < n_th; i++) {
		if (!isfinite(th[i]))
			continue;
		l = th[i] < l ? th[i] : l;
		h = th[i] > h ? th[i] : h;
	}
	mag = fabs(l) > fabs(h) ? fabs(l) : fabs(h);
	span = mag * SR_CHART_MIN_SPAN;
	if (!(span > 0))
		span = 1;
	if (h - l < span) {
		double mid = (l + h) / 2;

		l = mid - span / 2;
		h = mid + span / 2;
		if (min >= 0 && l < 0) {	/* never below zero for values that are not */
			h -= l;
			l = 0;
		}
	}
	if (l > 0 && l < h * 0.5)
		l = 0;
	*lo = l;
	*hi = h;
}

size_t
sr_spark_levels(const double *v, size_t n, size_t width, signed char *lvl)
{
	double lo = INFINITY, hi = -INFINITY;

	for (size_t i = 0; i < n; i++) {
		if (isfinite(v[i])) {
			lo = v[i] < lo ? v[i] : lo;
			hi = v[i] > hi ? v[i] : hi;
		}
	}
	if (width > n)
		width = n;
	for (size_t c = 0; c < width; c++) {
		/* the last sample of each share: the newest value is drawn at the right */
		double x = v[(c + 1) * n / width - 1];
		int k = 0;

		if (!isfinite(x)) {
			lvl[c] = -1;
			continue;
		}
		if (hi > lo)
			k = (int)((x - lo) / (hi - lo) * 7.0 + 0.5);
		lvl[c] = (signed char)(k < 0 ? 0 : k > 7 ? 7 : k);
	}
	return width;
}

/* SPDX-License-Identifier: MIT */
/*
 * format.h: the one text of each meaning both front ends show: a value in its unit, a
 * deadline, a sparkline's cells. Front ends choose layout and colour; the words are these.
 */
#ifndef SR_FORMAT_H
#define SR_FORMAT_H

#include <stddef.h>

#include "config.h"
#include "incident.h"

/* v in unit u: "4.2%", "1.84s", "230ms", "512MiB", "12.0/s", "1234"; "NaN", "+Inf". Returns buf. */
char *sr_format_unit(double v, enum sr_unit u, char *buf, size_t n);

/* What a deadline says, for the colour a front end gives it. */
enum sr_deadline_state {
	SR_DL_NONE,	/* the clock does not apply: "-" */
	SR_DL_LEFT,	/* running, time left */
	SR_DL_SOON,	/* running, less than SR_DL_SOON_SECS left */
	SR_DL_OVERDUE,	/* running, past due: a breach still growing */
	SR_DL_MET,	/* stopped in time */
	SR_DL_MISSED,	/* stopped after it was due */
};
#define SR_DL_SOON_SECS 300

/* A deadline in a table cell ("15m00s", "-7m00s", "met", "missed", "-") or in a sentence. */
enum sr_deadline_form {
	SR_DL_CELL,
	SR_DL_SENTENCE,	/* "15m00s left", "7m00s OVERDUE", "met", "missed by 2m00s", "-" */
};

/* Writes d's text in form into buf (24 bytes are enough) and returns what it says. */
enum sr_deadline_state sr_format_deadline(const struct sr_deadline *d, enum sr_deadline_form form,
					  char *buf, size_t n);
/* True for the states that are a breach (overdue or missed). */
int sr_deadline_alarm(enum sr_deadline_state s);

/*
 * The cells of a sparkline of v[0..n) (oldest first) in width columns: each cell is the last
 * sample of its share of the series, scaled 0..7 between the finite minimum and maximum, or -1
 * for a gap (NaN, Inf). Writes min(n, width) levels into lvl and returns that count.
 */
size_t sr_spark_levels(const double *v, size_t n, size_t width, signed char *lvl);

/* A chart's span is at least this share of its largest magnitude (and never zero). */
#define SR_CHART_MIN_SPAN 0.2

/*
 * The y range of a chart of values between min and max that must also show the thresholds
 * th[0..n_th) (NaN: none): it holds all of them, starts at 0 for positive values that come
 * near it, and spans at least SR_CHART_MIN_SPAN of the largest magnitude, centred on the
 * values, so a flat series draws as a flat band, not as full-height swings of noise.
 */
void sr_chart_range(double min, double max, const double *th, size_t n_th, double *lo,
		    double *hi);

#endif

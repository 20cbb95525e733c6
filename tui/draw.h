/* SPDX-License-Identifier: MIT */
/*
 * draw.h: the console's drawing helpers. Every outside string is sanitised and cut to fit
 * here. They know the theme (and, for the incident table, the model), never the app or a view.
 */
#ifndef TUI_DRAW_H
#define TUI_DRAW_H

#include <curses.h>

#include "format.h"
#include "model.h"
#include "theme.h"
#include "util.h"

/* A scrolling list's place. */
struct tui_list {
	size_t sel, top;
};

/* Keeps l->top so that sel is visible in h rows. */
void tui_list_clamp(struct tui_list *l, size_t n, int h);


/*
 * Writes s at (y, x) in role, cut to width columns (with an ellipsis) and, with pad, filled
 * with spaces to width. Returns the columns written.
 */
int tui_put(const struct tui_theme *th, WINDOW *w, int y, int x, int width, enum tui_role role,
	    int pad, const char *s);
/*
 * Writes s wrapped at spaces (a word wider than width is cut) into at most max_rows rows of
 * width columns from (y, x); with max_rows 0 nothing is drawn. Each line of s (a note pasted
 * with its newlines) starts a row; lines after the first are indented by TUI_BLOCK_INDENT, as
 * the CLI indents them, so no stored line looks like a row the console drew. Every line is
 * sanitised. When s needs more than max_rows, the last column drawn is an ellipsis. Returns
 * the rows s takes (all of them, even past max_rows), so callers can measure first.
 */
#define TUI_BLOCK_INDENT 2
int tui_put_wrapped(const struct tui_theme *th, WINDOW *w, int y, int x, int width,
		    enum tui_role role, int max_rows, const char *s);
/* As tui_put for len bytes of s (not NUL-terminated). */
int tui_putn(const struct tui_theme *th, WINDOW *w, int y, int x, int width, enum tui_role role,
	     const char *s, size_t len);
/* As tui_put with a format (for text we build; outside strings go through %s safely too). */
int tui_putf(const struct tui_theme *th, WINDOW *w, int y, int x, int width, enum tui_role role,
	     const char *fmt, ...) SR_PRINTF(7, 8);
/* A horizontal rule with an optional title: "── Title ─────". */
void tui_rule(const struct tui_theme *th, WINDOW *w, int y, int x, int width, const char *title);
/* The sparkline of v[0..n) in width columns (cells from sr_spark_levels), glyphs of th. */
void tui_spark(const struct tui_theme *th, WINDOW *w, int y, int x, int width, const double *v,
	       size_t n, enum tui_role role);
/*
 * Big block text for [0-9A-Za-z:-+./! ] (anything else is a blank cell), 5 * scale rows tall;
 * returns the columns used.
 */
int tui_big(const struct tui_theme *th, WINDOW *w, int y, int x, const char *text, int scale,
	    enum tui_role role);
int tui_big_width(const char *text, int scale);
/* The role of a severity. */
enum tui_role tui_sev_role(enum sr_sev s);
/* d's text in form (sr_format_deadline) and the role of what it says (crit when breached). */
const char *tui_deadline(const struct sr_deadline *d, enum sr_deadline_form form, char *buf,
			 size_t n, enum tui_role *role);
/* Role of a panel value against its thresholds. */
enum tui_role tui_panel_role(const struct tui_panel *p);
/* Draws a table of incidents (rows from idx) at y; sel < 0 for no selection. */
void tui_incident_table(const struct tui_theme *th, const struct tui_model *m, WINDOW *w, int y,
			int h, int wd, const size_t *idx,
			size_t n, struct tui_list *l, int selected);

#endif

/* SPDX-License-Identifier: MIT */
/* theme.h: semantic colour roles, theme tables, and the glyphs for UTF-8 or ASCII terminals. */
#ifndef TUI_THEME_H
#define TUI_THEME_H

#include <curses.h>

/* What a piece of text means; a theme says how that looks. One X-macro: names and order. */
#define TUI_ROLES(X)                 \
	X(NORMAL, "normal")          \
	X(DIM, "dim")                \
	X(HEADER, "header")          \
	X(TITLE, "title")            \
	X(SELECTED, "selected")      \
	X(P1, "p1")                  \
	X(P2, "p2")                  \
	X(P3, "p3")                  \
	X(P4, "p4")                  \
	X(OK, "ok")                  \
	X(WARN, "warn")              \
	X(CRIT, "crit")              \
	X(STALE, "stale")            \
	X(KEY, "key")                \
	X(BORDER, "border")          \
	X(FOOTER, "footer")          \
	X(MESSAGE, "message")        \
	X(ERROR, "error")            \
	X(PROMPT, "prompt")          \
	X(SPARK, "spark")            \
	X(LINK, "link")              \
	X(CODE, "code")              \
	X(FRESH, "fresh")

enum tui_role {
#define X(id, name) TUI_R_##id,
	TUI_ROLES(X)
#undef X
	TUI_R_COUNT
};

/* Line-drawing and marker glyphs: UTF-8 when the locale is, ASCII otherwise. */
struct tui_glyphs {
	const char *hline, *vline, *tl, *tr, *bl, *br;
	const char *spark[8];	/* sparkline levels, lowest first */
	const char *block;	/* a full cell for big digits */
	const char *bullet, *sel, *breach, *ok, *ellipsis;
	int ascii;
};

struct tui_theme {
	attr_t attr[TUI_R_COUNT];
	const struct tui_glyphs *g;
	const char *name;	/* "dark", "light" or "mono" */
	int color;		/* colours in use */
	int utf8;		/* the terminal takes UTF-8 (else ASCII glyphs, text) */
	/* the configuration's secrets (sr_config_secrets): tui_put writes "***" for them */
	char **secrets;
	size_t n_secrets;
};

/*
 * Picks the theme after initscr(): "mono" when NO_COLOR is set (non-empty), the terminal has
 * no colours, or name is "mono"; otherwise name ("dark" by default, "light"). utf8 selects the
 * glyph set. Calls start_color() and init_pair() when colours are used. Never fails.
 */
void tui_theme_init(struct tui_theme *t, const char *name, int utf8);

/* True when the LC_CTYPE codeset (after setlocale) is UTF-8. */
int tui_locale_utf8(void);

#endif

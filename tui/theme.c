/* SPDX-License-Identifier: MIT */
/* theme.c: colour roles mapped to curses attributes by theme table, and the glyph sets. */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"

static const struct tui_glyphs glyphs_utf8 = {
	.hline = "\xe2\x94\x80", .vline = "\xe2\x94\x82",
	.tl = "\xe2\x94\x8c", .tr = "\xe2\x94\x90", .bl = "\xe2\x94\x94", .br = "\xe2\x94\x98",
	.spark = { "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		   "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" },
	.block = "\xe2\x96\x88", .bullet = "\xe2\x80\xa2", .sel = "\xe2\x96\xb6",
	.breach = "\xe2\x9c\x97", .ok = "\xe2\x9c\x93", .ellipsis = "\xe2\x80\xa6",
	.ascii = 0,
};

static const struct tui_glyphs glyphs_ascii = {
	.hline = "-", .vline = "|", .tl = "+", .tr = "+", .bl = "+", .br = "+",
	.spark = { "_", ".", ".", "-", "-", "=", "#", "#" },
	.block = "#", .bullet = "*", .sel = ">", .breach = "!", .ok = "+", .ellipsis = ".",
	.ascii = 1,
};

/* One row per role: foreground, background (-1 = terminal default), extra attributes. */
struct look {
	short fg, bg;
	attr_t attr;
};

/* Per role: the dark look, then the light look (one table, so the themes read side by side). */
static const struct {
	struct look dark, light;
} looks[TUI_R_COUNT] = {
	[TUI_R_NORMAL] = { { -1, -1, A_NORMAL }, { -1, -1, A_NORMAL } },
	[TUI_R_DIM] = { { COLOR_BLUE, -1, A_BOLD }, { COLOR_BLACK, -1, A_DIM } },
	[TUI_R_HEADER] = { { COLOR_WHITE, COLOR_BLUE, A_BOLD }, { COLOR_WHITE, COLOR_BLACK, A_BOLD } },
	[TUI_R_TITLE] = { { COLOR_CYAN, -1, A_BOLD }, { COLOR_BLUE, -1, A_BOLD } },
	[TUI_R_SELECTED] = { { COLOR_BLACK, COLOR_CYAN, A_NORMAL }, { COLOR_WHITE, COLOR_BLUE, A_NORMAL } },
	[TUI_R_P1] = { { COLOR_WHITE, COLOR_RED, A_BOLD }, { COLOR_WHITE, COLOR_RED, A_BOLD } },
	[TUI_R_P2] = { { COLOR_RED, -1, A_BOLD }, { COLOR_RED, -1, A_BOLD } },
	[TUI_R_P3] = { { COLOR_YELLOW, -1, A_NORMAL }, { COLOR_MAGENTA, -1, A_NORMAL } },
	[TUI_R_P4] = { { COLOR_CYAN, -1, A_NORMAL }, { COLOR_BLUE, -1, A_NORMAL } },
	[TUI_R_OK] = { { COLOR_GREEN, -1, A_NORMAL }, { COLOR_GREEN, -1, A_BOLD } },
	[TUI_R_WARN] = { { COLOR_YELLOW, -1, A_BOLD }, { COLOR_MAGENTA, -1, A_BOLD } },
	[TUI_R_CRIT] = { { COLOR_RED, -1, A_BOLD }, { COLOR_RED, -1, A_BOLD } },
	[TUI_R_STALE] = { { COLOR_MAGENTA, -1, A_BOLD }, { COLOR_MAGENTA, -1, A_BOLD } },
	[TUI_R_KEY] = { { COLOR_YELLOW, -1, A_BOLD }, { COLOR_BLUE, -1, A_BOLD } },
	[TUI_R_BORDER] = { { COLOR_BLUE, -1, A_NORMAL }, { COLOR_BLACK, -1, A_DIM } },
	[TUI_R_FOOTER] = { { COLOR_BLACK, COLOR_WHITE, A_NORMAL }, { COLOR_WHITE, COLOR_BLACK, A_NORMAL } },
	[TUI_R_MESSAGE] = { { COLOR_BLACK, COLOR_GREEN, A_NORMAL }, { COLOR_WHITE, COLOR_GREEN, A_NORMAL } },
	[TUI_R_ERROR] = { { COLOR_WHITE, COLOR_RED, A_BOLD }, { COLOR_WHITE, COLOR_RED, A_BOLD } },
	[TUI_R_PROMPT] = { { COLOR_BLACK, COLOR_YELLOW, A_NORMAL }, { COLOR_BLACK, COLOR_YELLOW, A_NORMAL } },
	[TUI_R_SPARK] = { { COLOR_CYAN, -1, A_NORMAL }, { COLOR_BLUE, -1, A_NORMAL } },
	[TUI_R_LINK] = { { COLOR_BLUE, -1, A_UNDERLINE }, { COLOR_BLUE, -1, A_UNDERLINE } },
	[TUI_R_CODE] = { { COLOR_GREEN, -1, A_NORMAL }, { COLOR_GREEN, -1, A_NORMAL } },
	/* news (tell.c): as htop -H, a new or changed row stands out for a while */
	[TUI_R_FRESH] = { { COLOR_BLACK, COLOR_YELLOW, A_BOLD }, { COLOR_BLACK, COLOR_YELLOW, A_BOLD } },
};

/* Monochrome: attributes only, so every role stays distinguishable without colour. */
static const attr_t mono[TUI_R_COUNT] = {
	[TUI_R_NORMAL] = A_NORMAL,	[TUI_R_DIM] = A_DIM,
	[TUI_R_HEADER] = A_REVERSE,	[TUI_R_TITLE] = A_BOLD,
	[TUI_R_SELECTED] = A_REVERSE,	[TUI_R_P1] = A_BOLD | A_REVERSE,
	[TUI_R_P2] = A_BOLD,		[TUI_R_P3] = A_UNDERLINE,
	[TUI_R_P4] = A_NORMAL,		[TUI_R_OK] = A_NORMAL,
	[TUI_R_WARN] = A_BOLD,		[TUI_R_CRIT] = A_BOLD | A_REVERSE,
	[TUI_R_STALE] = A_BOLD | A_UNDERLINE, [TUI_R_KEY] = A_BOLD,
	[TUI_R_BORDER] = A_NORMAL,	[TUI_R_FOOTER] = A_REVERSE,
	[TUI_R_MESSAGE] = A_REVERSE,	[TUI_R_ERROR] = A_BOLD | A_REVERSE,
	[TUI_R_PROMPT] = A_REVERSE,	[TUI_R_SPARK] = A_NORMAL,
	[TUI_R_LINK] = A_UNDERLINE,	[TUI_R_CODE] = A_NORMAL,
	[TUI_R_FRESH] = A_BOLD | A_REVERSE,
};

int
tui_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

void
tui_theme_init(struct tui_theme *t, const char *name, int utf8)
{
	const char *nc = getenv("NO_COLOR");
	int use_light = 0;

	memset(t, 0, sizeof(*t));
	t->utf8 = utf8;
	t->g = utf8 ? &glyphs_utf8 : &glyphs_ascii;
	t->name = "dark";
	if (name != NULL && strcmp(name, "light") == 0) {
		use_light = 1;
		t->name = "light";
	}
	if ((nc != NULL && *nc != '\0') || !has_colors() || (name && strcmp(name, "mono") == 0) ||
	    start_color() == ERR) {
		for (int r = 0; r < TUI_R_COUNT; r++)
			t->attr[r] = mono[r];
		t->name = "mono";
		return;
	}
	use_default_colors();
	t->color = 1;
	for (int r = 0; r < TUI_R_COUNT; r++) {
		const struct look *lk = use_light ? &looks[r].light : &looks[r].dark;

		if (r == TUI_R_NORMAL || r + 1 >= COLOR_PAIRS) {
			t->attr[r] = lk->attr;
			continue;
		}
		init_pair((short)(r + 1), lk->fg, lk->bg);
		t->attr[r] = COLOR_PAIR(r + 1) | lk->attr;
	}
}

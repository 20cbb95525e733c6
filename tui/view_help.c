/* SPDX-License-Identifier: MIT */
/* view_help.c: the help screen, generated from the key table and the ":" command table. */
#include <stdio.h>
#include <string.h>

#include "app.h"

/* Help sections: which scope each lists, in order. */
static const struct {
	const char *title;
	unsigned scope;
} sections[] = {
	{ "Everywhere", TUI_ANY },
	{ "Incidents and incident detail", TUI_IN(TUI_V_INCIDENTS) | TUI_IN(TUI_V_DETAIL) },
	{ "Incident detail", TUI_IN(TUI_V_DETAIL) },
	{ "Alerts", TUI_IN(TUI_V_ALERTS) },
	{ "Dashboard (its alert list: Tab)", TUI_IN(TUI_V_DASHBOARD) },
	{ "Runbook", TUI_IN(TUI_V_RUNBOOK) },
	{ "Slack preview", TUI_IN(TUI_V_SLACK) },
	{ "Silences (L from the alerts, :silences)", TUI_IN(TUI_V_SILENCES) },
};

/*
 * Whether a key of scope is listed in section s: global keys under "Everywhere" only; a view's
 * key under each section whose views it works in, unless an earlier section covers them.
 */
static int
in_section(unsigned scope, size_t s)
{
	unsigned want = sections[s].scope;

	if (scope == TUI_ANY || want == TUI_ANY)
		return scope == want;
	if ((scope & want) != want)
		return 0;
	for (size_t e = 0; e < s; e++)
		if (sections[e].scope != TUI_ANY && (sections[e].scope & want) == want &&
		    (scope & sections[e].scope) == sections[e].scope)
			return 0;
	return 1;
}

/* One help line per (scope, action): keys bound to the same action are listed together. */
static size_t
lines(char out[][96], size_t max, const char **titles)
{
	size_t n = 0;

	for (size_t s = 0; s < SR_ARRAY_LEN(sections); s++) {
		if (n < max) {
			titles[n] = sections[s].title;
			out[n++][0] = '\0';
		}
		for (size_t i = 0; i < tui_n_keys && n < max; i++) {
			const struct tui_key *k = &tui_keys[i];
			char names[40] = "";
			int seen = 0;

			if (!in_section(k->scope, s))
				continue;
			for (size_t j = 0; j < i; j++)
				if (tui_keys[j].scope == k->scope && tui_keys[j].action == k->action)
					seen = 1;
			if (seen)
				continue;
			for (size_t j = i; j < tui_n_keys; j++) {
				if (tui_keys[j].scope != k->scope || tui_keys[j].action != k->action ||
				    (j > i && strcmp(tui_keys[j].name, k->name) == 0))
					continue;
				if (strstr(names, tui_keys[j].name) != NULL && j > i)
					continue;
				snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
					 names[0] ? " " : "", tui_keys[j].name);
			}
			titles[n] = NULL;
			snprintf(out[n++], 96, "%-14s%s", names, k->help);
		}
	}
	if (n < max) {
		titles[n] = "Commands (after :)";
		out[n++][0] = '\0';
	}
	for (size_t i = 0; i < tui_n_commands && n < max; i++) {
		const struct tui_command *c = &tui_commands[i];
		char names[24];

		snprintf(names, sizeof(names), "%s%s%s", c->name, c->alias ? " " : "",
			 c->alias ? c->alias : "");
		titles[n] = NULL;
		snprintf(out[n++], 96, "%-14.14s%s%s%s", names, c->args, *c->args ? "  " : "",
			 c->help);
	}
	return n;
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	char text[128][96];
	const char *titles[128];
	size_t n = lines(text, SR_ARRAY_LEN(text), titles);
	struct tui_list *l = &app->list[TUI_V_HELP];
	int cols = wd >= 120 ? 2 : 1, colw = wd / cols, per = h - 1;
	size_t i;

	tui_rule(&app->th, w, 0, 0, wd, "Keys (from the key table)");
	if ((size_t)per * (size_t)cols >= n)
		l->top = 0;
	else if (l->top > n - (size_t)per)
		l->top = n - (size_t)per;
	i = l->top;
	for (int c = 0; c < cols; c++) {
		for (int r = 0; r < per && i < n; r++, i++) {
			if (titles[i] != NULL) {
				if (r == per - 1)
					break;	/* no heading alone at the bottom */
				tui_put(&app->th, w, 1 + r, c * colw + 1, colw - 2, TUI_R_TITLE, 0,
					titles[i]);
				continue;
			}
			{
				char keys[16];

				snprintf(keys, sizeof(keys), "%.14s", text[i]);
				tui_put(&app->th, w, 1 + r, c * colw + 3, 14, TUI_R_KEY, 0, keys);
			}
			tui_put(&app->th, w, 1 + r, c * colw + 17, colw - 19, TUI_R_NORMAL, 0,
				text[i] + 14);
		}
	}
}

static enum tui_result
action(struct tui_app *app, enum tui_action a)
{
	if (a == TUI_A_HELP)
		return TUI_HANDLED;	/* already here */
	return tui_list_scroll(&app->list[TUI_V_HELP], a);
}

const struct tui_view_ops tui_view_help = TUI_VIEW("help", 0, "j/k scroll", .draw = draw,
	.action = action);

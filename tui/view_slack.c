/* SPDX-License-Identifier: MIT */
/* view_slack.c: preview of an incident's Slack status message (text from src/slack.c), OSC 52 copy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "slack.h"
#include "text.h"

/* The incident previewed: the one last acted on, else the most urgent open one. */
static const struct sr_incident *
subject(struct tui_app *app)
{
	const struct sr_incident *inc = NULL;
	struct sr_deadline d;
	const char *what;

	if (app->target_id[0] != '\0')
		inc = tui_model_find(&app->model, app->target_id);
	if (inc == NULL)
		inc = tui_model_most_urgent(&app->model, &d, &what);
	return inc;
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	const struct sr_incident *inc = subject(app);
	struct sr_buf b;
	char title[96];
	int y = 1;

	if (inc == NULL) {
		tui_rule(&app->th, w, 0, 0, wd, "Slack preview");
		tui_put(&app->th, w, 2, 2, wd - 4, TUI_R_DIM, 0, "No incident to write about.");
		return;
	}
	snprintf(title, sizeof(title), "Slack preview: %s, %s message", inc->id,
		 sr_slack_kind_title(sr_slack_kind_for(inc)));
	tui_rule(&app->th, w, 0, 0, wd, title);
	sr_buf_init(&b);
	sr_slack_text(&b, sr_slack_kind_for(inc), inc, app->model.cfg, app->model.now);
	for (char *line = b.data, *nl; line != NULL && *line && y < h - 1; line = nl, y++) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		tui_put(&app->th, w, y + 1, 2, wd - 4, y == 1 ? TUI_R_TITLE : TUI_R_NORMAL, 0, line);
	}
	sr_buf_done(&b);
	if (y + 2 < h)
		tui_put(&app->th, w, y + 2, 2, wd - 4, TUI_R_DIM, 0,
			"y copies the text to the clipboard (OSC 52); sending comes with the "
			"Slack integration.");
}

/* Copies text through the terminal with OSC 52 (tmux and most terminals honour it). */
static void
osc52(const char *s, size_t len)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_text_osc52(&b, s, len);
	/* the base64 alphabet is all that follows the introducer: nothing else reaches the tty */
	if (write(STDOUT_FILENO, b.data, b.len) < 0) {
		/* nothing to do: the preview stays on screen */
	}
	sr_buf_done(&b);
}

static enum tui_result
action(struct tui_app *app, enum tui_action a)
{
	const struct sr_incident *inc = subject(app);
	struct sr_buf b;

	if ((a != TUI_A_OPEN && a != TUI_A_COPY) || inc == NULL)
		return TUI_UNHANDLED;
	sr_buf_init(&b);
	sr_slack_text(&b, sr_slack_kind_for(inc), inc, app->model.cfg, app->model.now);
	osc52(b.data, b.len);
	tui_message(app, 0, "copied %zu bytes to the clipboard (OSC 52)", b.len);
	sr_buf_done(&b);
	return TUI_HANDLED | TUI_REDRAW;
}

const struct tui_view_ops tui_view_slack = TUI_VIEW("slack", 1, "y/Enter copy (OSC 52)",
	.draw = draw, .action = action);

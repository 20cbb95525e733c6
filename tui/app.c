/* SPDX-License-Identifier: MIT */
/* app.c: the console's loop: terminal setup and teardown, keys, prompts, layout, one paint a pass. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "http.h"
#include "tell.h"
#include "text.h"

#define MIN_COLS 80
#define MIN_ROWS 24
#define HDR_ROWS 2
/* How often a store without a descriptor to poll (SQLite: PRAGMA data_version) is looked at. */
#define STORE_LOOK_MS 250
#define RELOAD_EVERY 5		/* seconds between incident reloads (another console may write) */
/*
 * A message fades after MSG_SECONDS; an error stays until the next key (on a wall screen,
 * where nobody presses keys, it fades too): a refusal such as "nothing changed" must not go
 * unseen because the engineer looked away, or because the machine was slow to show it.
 */
#define MSG_SECONDS 6

/* --- the key table: the only place bindings live; the help view is generated from it --- */

#define CTRL(c) ((c) & 0x1f)
#define INC_VIEWS (TUI_IN(TUI_V_INCIDENTS) | TUI_IN(TUI_V_DETAIL))
#define ALERT_VIEWS (TUI_IN(TUI_V_ALERTS) | TUI_IN(TUI_V_DASHBOARD))

/*
 * One key, one meaning: a key bound in several views does the same thing in each
 * (tests/unit/test_tui_keys.c fails otherwise), so a key typed in the wrong view cannot do
 * something else there. Keys that change or send something are upper case or far from the
 * typing keys where they can hurt, and all of them ask y/n before they act.
 */
const struct tui_key tui_keys[] = {
	/* incidents list and detail */
	{ 'a', INC_VIEWS, TUI_A_ACK, "a", "acknowledge (stops the respond clock)" },
	{ 's', INC_VIEWS, TUI_A_STATUS, "s", "set the status" },
	{ 'v', INC_VIEWS, TUI_A_SEV, "v", "change the severity" },
	{ 'n', INC_VIEWS, TUI_A_NOTE, "n", "add a note to the timeline" },
	{ 'o', INC_VIEWS, TUI_A_ASSIGN, "o", "assign a role: commander, comms, scribe" },
	{ 'e', INC_VIEWS, TUI_A_ESCALATE, "e", "escalate one level (asks y/n)" },
	{ 'E', INC_VIEWS, TUI_A_DEESCALATE, "E", "de-escalate one level (asks y/n)" },
	{ 'R', INC_VIEWS, TUI_A_RESOLVE, "R", "resolve (asks y/n)" },
	{ 'C', INC_VIEWS, TUI_A_CLOSE, "C", "close a resolved incident (asks y/n)" },
	{ 'u', INC_VIEWS, TUI_A_UPDATE_SENT, "u", "record that a status update went out (asks y/n)" },
	{ 'm', INC_VIEWS, TUI_A_SLACK, "m", "preview the Slack message" },
	{ 'r', TUI_IN(TUI_V_DETAIL) | TUI_IN(TUI_V_ALERTS), TUI_A_RUNBOOK, "r", "open the runbook (of its alert)" },
	{ 'x', TUI_IN(TUI_V_DETAIL), TUI_A_CHECK, "x", "tick (or untick) a runbook checklist item" },
	{ 'P', TUI_IN(TUI_V_DETAIL), TUI_A_EXPORT, "P", "write the post-mortem draft and open it" },
	{ '#', TUI_IN(TUI_V_DASHBOARD), TUI_A_STATS, "#", "statistics (MTTA, MTTR, breaches)" },
	/* alerts (and the dashboard's alert list) */
	{ 'i', ALERT_VIEWS, TUI_A_NEW_INCIDENT, "i", "open an incident from the alert" },
	{ 'z', TUI_IN(TUI_V_ALERTS), TUI_A_SILENCE, "z", "silence (snooze) the alert: preview, then y/n" },
	{ 'A', TUI_IN(TUI_V_ALERTS), TUI_A_ACK_ALERT, "A",
	  "acknowledge the alert: a short silence on its labels (karma style)" },
	{ 'O', TUI_IN(TUI_V_ALERTS), TUI_A_SORT, "O", "order: severity, newest, oldest, service" },
	{ 'b', TUI_IN(TUI_V_ALERTS), TUI_A_GROUP, "b", "group by a label (service, job, ...)" },
	{ 'L', TUI_IN(TUI_V_ALERTS), TUI_A_SILENCES, "L",
	  "list the silences: active, pending, recently expired" },
	/* silences */
	{ 'X', TUI_IN(TUI_V_SILENCES), TUI_A_EXPIRE, "X", "expire the silence now (asks y/n)" },
	{ '+', TUI_IN(TUI_V_SILENCES), TUI_A_EXTEND, "+", "extend the silence (asks y/n)" },
	{ 'z', TUI_IN(TUI_V_SILENCES), TUI_A_SILENCE, "z",
	  "silence again with an expired silence's matchers (asks y/n)" },
	/* runbook */
	{ ']', TUI_IN(TUI_V_RUNBOOK), TUI_A_FIND_NEXT, "]", "next match of the find" },
	{ '[', TUI_IN(TUI_V_RUNBOOK), TUI_A_FIND_PREV, "[", "previous match" },
	{ 'f', TUI_IN(TUI_V_RUNBOOK), TUI_A_FOLLOW, "f", "follow link [n] (local runbooks)" },
	{ 't', TUI_IN(TUI_V_RUNBOOK), TUI_A_TOC, "t", "table of contents: jump to a section" },
	{ 'B', TUI_IN(TUI_V_RUNBOOK), TUI_A_HISTORY, "B", "back to the previous runbook" },
	{ 'S', TUI_IN(TUI_V_RUNBOOK), TUI_A_SEARCH, "S", "search all runbooks (full text)" },
	{ 'h', TUI_IN(TUI_V_RUNBOOK), TUI_A_LEFT, "h", "wide code blocks: scroll left 8 columns" },
	{ KEY_LEFT, TUI_IN(TUI_V_RUNBOOK), TUI_A_LEFT, "Left", "wide code blocks: scroll left" },
	{ 'l', TUI_IN(TUI_V_RUNBOOK), TUI_A_RIGHT, "l", "wide code blocks: scroll right 8 columns" },
	{ KEY_RIGHT, TUI_IN(TUI_V_RUNBOOK), TUI_A_RIGHT, "Right", "wide code blocks: scroll right" },
	{ '0', TUI_IN(TUI_V_RUNBOOK), TUI_A_LEFT_EDGE, "0", "wide code blocks: back to column 0" },
	/* slack preview */
	{ 'y', TUI_IN(TUI_V_SLACK), TUI_A_COPY, "y", "copy the message (OSC 52)" },
	{ 'h', TUI_IN(TUI_V_SLACK), TUI_A_LEFT, "h", "previous message kind" },
	{ 'l', TUI_IN(TUI_V_SLACK), TUI_A_RIGHT, "l", "next message kind" },
	{ 'c', TUI_IN(TUI_V_SLACK), TUI_A_TARGET, "c", "next message target (channel)" },
	{ 'p', TUI_IN(TUI_V_SLACK), TUI_A_SEND, "p", "post the message (after y)" },
	{ 'T', TUI_IN(TUI_V_SLACK), TUI_A_RETRY, "T", "try the selected outbox message again" },
	{ 'd', TUI_IN(TUI_V_SLACK), TUI_A_DROP, "d", "drop the selected outbox message" },
	/* everywhere */
	{ '\t', TUI_ANY, TUI_A_NEXT_VIEW, "Tab", "next view (dashboard: its alert list first)" },
	{ KEY_BTAB, TUI_ANY, TUI_A_PREV_VIEW, "S-Tab", "previous view" },
	{ '1', TUI_ANY, TUI_A_VIEW_1, "1", "dashboard" },
	{ '2', TUI_ANY, TUI_A_VIEW_2, "2", "alerts" },
	{ '3', TUI_ANY, TUI_A_VIEW_3, "3", "incidents" },
	{ '4', TUI_ANY, TUI_A_VIEW_4, "4", "runbook" },
	{ '5', TUI_ANY, TUI_A_VIEW_5, "5", "metrics (every panel)" },
	{ '6', TUI_ANY, TUI_A_VIEW_6, "6", "slack preview" },
	{ '7', TUI_ANY, TUI_A_VIEW_7, "7", "help" },
	{ 'j', TUI_ANY, TUI_A_DOWN, "j", "down" },
	{ KEY_DOWN, TUI_ANY, TUI_A_DOWN, "Down", "down" },
	{ 'k', TUI_ANY, TUI_A_UP, "k", "up" },
	{ KEY_UP, TUI_ANY, TUI_A_UP, "Up", "up" },
	{ CTRL('f'), TUI_ANY, TUI_A_PAGE_DOWN, "C-f", "page down" },
	{ KEY_NPAGE, TUI_ANY, TUI_A_PAGE_DOWN, "PgDn", "page down" },
	{ CTRL('b'), TUI_ANY, TUI_A_PAGE_UP, "C-b", "page up" },
	{ KEY_PPAGE, TUI_ANY, TUI_A_PAGE_UP, "PgUp", "page up" },
	{ KEY_HOME, TUI_ANY, TUI_A_TOP, "Home", "first" },
	{ 'G', TUI_ANY, TUI_A_BOTTOM, "G", "last" },
	{ KEY_END, TUI_ANY, TUI_A_BOTTOM, "End", "last" },
	{ '\n', TUI_ANY, TUI_A_OPEN, "Enter", "open the selection" },
	{ '\r', TUI_ANY, TUI_A_OPEN, "Enter", "open the selection" },
	{ KEY_ENTER, TUI_ANY, TUI_A_OPEN, "Enter", "open the selection" },
	{ '/', TUI_ANY, TUI_A_FILTER, "/", "filter (alerts: matchers or text)" },
	{ ':', TUI_ANY, TUI_A_COMMAND, ":", "command line (:q, :incident, :search, ...)" },
	{ 'g', TUI_ANY, TUI_A_REFRESH, "g", "fetch every source now" },
	{ CTRL('l'), TUI_ANY, TUI_A_REDRAW, "C-l", "repaint the screen and fetch every source now" },
	{ '?', TUI_ANY, TUI_A_HELP, "?", "this help" },
	{ 'q', TUI_ANY, TUI_A_BACK, "q", "back to the view you came from (quit from the dashboard)" },
	{ 27, TUI_ANY, TUI_A_BACK, "Esc", "back" },
};
const size_t tui_n_keys = SR_ARRAY_LEN(tui_keys);

const char *
tui_action_text(enum tui_action a)
{
	switch (a) {
#define X(id, text)      \
	case TUI_A_##id: \
		return text;
		TUI_ACTIONS(X)
#undef X
	case TUI_A_COUNT:
		break;
	}
	return "";
}

/* Actions that change an incident or send something: a read-only console refuses them. */
static const enum tui_action changing[] = {
	TUI_A_ACK,	  TUI_A_STATUS,	 TUI_A_SEV,	 TUI_A_NOTE,	     TUI_A_ASSIGN,
	TUI_A_ESCALATE,	  TUI_A_DEESCALATE, TUI_A_RESOLVE, TUI_A_CLOSE,	     TUI_A_UPDATE_SENT,
	TUI_A_NEW_INCIDENT, TUI_A_SILENCE,	 TUI_A_CHECK,
};
/* What a wallboard (a screen nobody sits at) still answers. */
static const enum tui_action wall_ok[] = {
	TUI_A_QUIT, TUI_A_BACK, TUI_A_HELP, TUI_A_REDRAW, TUI_A_REFRESH,
};

static int
in_actions(enum tui_action a, const enum tui_action *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == a)
			return 1;
	return 0;
}

const char *
tui_mode_refuses(const struct tui_options *opt, enum tui_action a)
{
	if (opt->wallboard && !in_actions(a, wall_ok, SR_ARRAY_LEN(wall_ok)))
		return "wallboard: q quits, ? help, g refreshes";
	if ((opt->readonly || opt->wallboard) && in_actions(a, changing, SR_ARRAY_LEN(changing)))
		return "read-only console (--readonly)";
	return NULL;
}

static const struct tui_view_ops *const views[TUI_V_COUNT] = {
	[TUI_V_DASHBOARD] = &tui_view_dashboard, [TUI_V_ALERTS] = &tui_view_alerts,
	[TUI_V_INCIDENTS] = &tui_view_incidents, [TUI_V_RUNBOOK] = &tui_view_runbook,
	[TUI_V_METRICS] = &tui_view_metrics,	 [TUI_V_SLACK] = &tui_view_slack,
	[TUI_V_HELP] = &tui_view_help,		 [TUI_V_DETAIL] = &tui_view_detail,
	[TUI_V_WALLBOARD] = &tui_view_wallboard, [TUI_V_STATS] = &tui_view_stats,
	[TUI_V_DB] = &tui_view_db, [TUI_V_SILENCES] = &tui_view_silences,
};

/* --- signals: handlers only set flags; the loop reads them --- */

static volatile sig_atomic_t got_stop, got_tstp;

static void
on_stop(int sig)
{
	got_stop = sig;
}

static void
on_tstp(int sig)
{
	(void)sig;
	got_tstp = 1;
}

/*
 * Ctrl-Z: the handler only sets a flag; the loop gives the terminal back (bracketed paste
 * off, so the shell does not receive paste marks it did not ask for), stops, and on SIGCONT
 * takes the terminal again. Installed before newterm(), so curses leaves SIGTSTP to us.
 */
static void
tstp_install(int on)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on ? on_tstp : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, NULL);
}

/* Writes a terminal mode sequence (bracketed paste on or off) straight to the terminal. */
static void
term_mode(const char *seq)
{
	if (write(STDOUT_FILENO, seq, strlen(seq)) < 0) {
		/* no terminal to tell: nothing else to do */
	}
}

static void
signals_install(struct sigaction *old)
{
	static const int sigs[3] = { SIGTERM, SIGHUP, SIGINT };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
}

static void
signals_restore(const struct sigaction *old)
{
	static const int sigs[3] = { SIGTERM, SIGHUP, SIGINT };

	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	tstp_install(0);
}

/* --- time for the loop (not for logic: that is model.now) --- */

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds until the wall clock's next second, so the clock ticks on the second. */
static int
ms_to_next_second(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return 1000 - (int)(ts.tv_nsec / 1000000);
}

static int64_t
cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* --- services for views --- */

void
tui_message(struct tui_app *app, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->msg, sizeof(app->msg), fmt, ap);
	va_end(ap);
	app->msg_error = error;
	app->msg_until = mono_ms() / 1000 + MSG_SECONDS;
}

void
tui_error(struct tui_app *app, char *err)
{
	tui_message(app, 1, "%s", err ? err : "unknown error");
	free(err);
}

void
tui_prompt_text(struct tui_app *app, enum tui_action a, const char *label, const char *initial)
{
	struct tui_prompt *p = &app->prompt;

	p->kind = TUI_P_TEXT;
	p->action = a;
	p->view = app->view;
	snprintf(p->label, sizeof(p->label), "%s", label);
	tui_text_set(&p->text, initial);
	p->multiline = a == TUI_A_NOTE;	/* a note may have several lines (text.h) */
	p->staged = p->dropped = 0;
	p->note[0] = '\0';
	/* a form does not inherit what was typed before it opened */
	if (app->typeahead_ms > 0)
		flushinp();
	p->opened_ms = mono_ms();
}

#define CONFIRM_TAIL " y to do it, any other key cancels "

/* Outward or destructive actions: their text form ends in a y/n question, not in Enter. */
static int
staged_action(enum tui_action a)
{
	return a == TUI_A_SILENCE || a == TUI_A_RESOLVE || a == TUI_A_UPDATE_SENT ||
	       a == TUI_A_EXTEND;
}

/* Turns the text form p into the question that acts on its text ("silence ...? y/n"). */
static void
stage(struct tui_app *app, struct tui_prompt *p)
{
	char what[120];
	struct sr_buf cut;

	/* the text in the question is cut by columns, never inside a character */
	sr_buf_init(&cut);
	sr_text_fit(&cut, p->text.s, p->action == TUI_A_RESOLVE ? 80 : 60, 0,
		    app->th.utf8 ? 0 : SR_SAN_ASCII);
	sr_buf_addc(&cut, '\0');
	if (p->view == TUI_V_SILENCES) {
		tui_silences_question(app, p->action, p->text.s, what, sizeof(what));
	} else if (p->action == TUI_A_SILENCE) {
		/* matchers, match count, duration and comment: what y will create */
		tui_silence_question(app, p->text.s, what, sizeof(what));
	} else if (p->action == TUI_A_RESOLVE) {
		snprintf(what, sizeof(what), "Resolve%s%s%s", p->text.len ? " (resolution: " : "",
			 cut.data, p->text.len ? ")" : "");
	} else {
		snprintf(what, sizeof(what), "Record a status update sent on %s",
			 p->text.len ? cut.data : "(no channel)");
	}
	sr_buf_done(&cut);
	snprintf(p->label, sizeof(p->label), "%s?%s", what, CONFIRM_TAIL);
	p->kind = TUI_P_CONFIRM;
	p->staged = 1;
	if (app->typeahead_ms > 0)
		flushinp();
	p->opened_ms = mono_ms();
}

void
tui_prompt_confirm(struct tui_app *app, enum tui_action a, const char *label)
{
	char q[sizeof(app->prompt.label)];

	/* one question for every destructive or outward action, answered by y alone */
	snprintf(q, sizeof(q), "%s%s", label, CONFIRM_TAIL);
	tui_prompt_text(app, a, q, NULL);
	app->prompt.kind = TUI_P_CONFIRM;
}

int
tui_refuse_readonly(struct tui_app *app)
{
	if (!app->opt.readonly)
		return 0;
	tui_message(app, 1, "read-only console (--readonly%s): no changes",
		    app->opt.wallboard ? ", --wallboard" : "");
	return 1;
}

void
tui_push(struct tui_app *app, enum tui_view_id v)
{
	if (v == app->view)
		return;
	if (app->depth < (int)SR_ARRAY_LEN(app->stack))
		app->stack[app->depth++] = app->view;
	app->view = v;
	if (views[v]->enter != NULL)
		views[v]->enter(app);
}

/* Top-level switch (Tab, 1..7): the stack starts again from the dashboard. */
static void
switch_to(struct tui_app *app, enum tui_view_id v)
{
	tui_switch(app, v);
}

void
tui_switch(struct tui_app *app, enum tui_view_id v)
{
	app->depth = 0;
	if (v != TUI_V_DASHBOARD)
		app->stack[app->depth++] = TUI_V_DASHBOARD;
	app->view = v;
	if (views[v]->enter != NULL)
		views[v]->enter(app);
}

int
tui_runbook_for_alert(struct tui_app *app, const struct sr_am_alert *a)
{
	struct sr_runbook_match m;
	int rc = -1;

	if (tui_model_runbook_for_alert(&app->model, a, &m, NULL) == 1) {
		char *arg = m.anchor ? sr_xasprintf("%s#%s", m.path, m.anchor) : sr_xstrdup(m.path);

		views[TUI_V_RUNBOOK]->open(app, arg);
		free(arg);
		rc = 0;
	} else {
		tui_message(app, 1, "no runbook for %s: %s%s%s", tui_alert_name(a),
			    m.why ? m.why : "", m.closest && *m.closest ? "; closest: " : "",
			    m.closest ? m.closest : "");
	}
	sr_runbook_match_done(&m);
	return rc;
}

void *
tui_view_state(struct tui_app *app, enum tui_view_id v, size_t n)
{
	if (app->priv[v] == NULL)
		app->priv[v] = sr_xcalloc(1, n);
	return app->priv[v];
}

void
tui_view_open(struct tui_app *app, enum tui_view_id v, const char *arg)
{
	views[v]->open(app, arg);
}

void
tui_open_incident(struct tui_app *app, const char *id)
{
	views[TUI_V_DETAIL]->open(app, id);
	app->list[TUI_V_DETAIL].top = 0;
	if (app->view == TUI_V_DETAIL) {
		views[TUI_V_DETAIL]->enter(app);
		return;
	}
	tui_push(app, TUI_V_DETAIL);
}

enum tui_result
tui_list_scroll(struct tui_list *l, enum tui_action a)
{
	switch (a) {
	case TUI_A_DOWN:
	case TUI_A_PAGE_DOWN:
		l->top++;	/* clamped when drawn */
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_UP:
	case TUI_A_PAGE_UP:
		if (l->top > 0)
			l->top--;
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_TOP:
		l->top = 0;
		return TUI_HANDLED | TUI_REDRAW;
	default:
		return TUI_UNHANDLED;
	}
}

enum tui_result
tui_list_move(struct tui_list *l, enum tui_action a, size_t n, int h)
{
	size_t page = h > 1 ? (size_t)h - 1 : 1;

	if (a != TUI_A_UP && a != TUI_A_DOWN && a != TUI_A_PAGE_UP && a != TUI_A_PAGE_DOWN &&
	    a != TUI_A_TOP && a != TUI_A_BOTTOM)
		return TUI_UNHANDLED;
	if (n == 0)
		return TUI_HANDLED;
	switch (a) {
	case TUI_A_UP:
		if (l->sel > 0)
			l->sel--;
		break;
	case TUI_A_DOWN:
		if (l->sel + 1 < n)
			l->sel++;
		break;
	case TUI_A_PAGE_UP:
		l->sel = l->sel > page ? l->sel - page : 0;
		break;
	case TUI_A_PAGE_DOWN:
		l->sel = l->sel + page < n ? l->sel + page : n - 1;
		break;
	case TUI_A_TOP:
		l->sel = 0;
		break;
	case TUI_A_BOTTOM:
		l->sel = n - 1;
		break;
	default:
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

/* --- layout --- */

static void
windows_free(struct tui_app *app)
{
	if (app->hdr)
		delwin(app->hdr);
	if (app->body)
		delwin(app->body);
	if (app->foot)
		delwin(app->foot);
	app->hdr = app->body = app->foot = NULL;
}

static void
layout(struct tui_app *app)
{
	windows_free(app);
	getmaxyx(stdscr, app->rows, app->cols);
	app->too_small = app->rows < MIN_ROWS || app->cols < MIN_COLS;
	if (app->too_small) {
		app->body = newwin(app->rows, app->cols, 0, 0);
	} else {
		app->hdr = newwin(HDR_ROWS, app->cols, 0, 0);
		app->body = newwin(app->rows - HDR_ROWS - 1, app->cols, HDR_ROWS, 0);
		app->foot = newwin(1, app->cols, app->rows - 1, 0);
	}
	/* keys are read from the body window: never from stdscr, which we never paint */
	if (app->body != NULL) {
		keypad(app->body, TRUE);
		nodelay(app->body, TRUE);
	}
}

/* --- header, tabs, footer --- */

/* "am STALE 4m retry 12s": a source's state, (with_age) its data's age, its next try. */
static void
source_segment(struct tui_model *m, size_t i, int with_age, char *out, size_t n)
{
	char dur[24], retry[32];
	int64_t age;
	const char *st = tui_source_state(m, &m->src[i], &age);
	int aged = with_age && m->src[i].fetched_at != 0;

	tui_source_retry(m, &m->src[i], retry, sizeof(retry));
	snprintf(out, n, "%s %s%s%s%s%s", m->src[i].name, st, aged ? " " : "",
		 aged ? sr_duration_format(age, dur, 24) : "", retry[0] ? " " : "", retry);
}

static void
draw_header(struct tui_app *app)
{
	struct tui_model *m = &app->model;
	WINDOW *w = app->hdr;
	char right[160], utc[16], local[32];
	struct tm tm;
	time_t t = (time_t)m->now;
	int x, n = 0;

	if (app->opt.wallboard) {
		tui_wallboard_header(app, w);
		wnoutrefresh(w);
		return;
	}
	wattrset(w, app->th.attr[TUI_R_HEADER]);
	mvwhline(w, 0, 0, ' ', app->cols);
	x = 1 + tui_put(&app->th, w, 0, 1, 8, TUI_R_HEADER, 0, "sitrep") + 2;
	x += tui_put(&app->th, w, 0, x, 20, TUI_R_HEADER, 0, m->cfg->user);
	if (app->opt.demo)
		x += 1 + tui_put(&app->th, w, 0, x + 1, 6, TUI_R_HEADER, 0, "DEMO");
	if (app->opt.wallboard)
		x += 1 + tui_put(&app->th, w, 0, x + 1, 10, TUI_R_HEADER, 0, "WALLBOARD");
	else if (app->opt.readonly)
		x += 1 + tui_put(&app->th, w, 0, x + 1, 10, TUI_R_HEADER, 0, "READ-ONLY");
	if (m->store_offline_since != 0) {	/* what is shown is what was read before */
		char since[48];
		time_t off = (time_t)m->store_offline_since;

		localtime_r(&off, &tm);
		strftime(since, sizeof(since), "store offline since %H:%M", &tm);
		x += 2 + tui_put(&app->th, w, 0, x + 2, 28, TUI_R_ERROR, 0, since);
	}

	gmtime_r(&t, &tm);
	strftime(utc, sizeof(utc), "%H:%M:%S", &tm);
	localtime_r(&t, &tm);
	strftime(local, sizeof(local), "%H:%M %Z", &tm);
	/*
	 * The sources and the clock, right-aligned. When they do not fit (80 columns, failing
	 * sources saying when they are retried), the local time goes first, then the data ages;
	 * the source states and the next try stay.
	 */
	for (int detail = 2; detail >= 0; detail--) {
		int col;

		n = 0;
		for (size_t i = 0; i < m->n_src; i++) {
			char seg[80];

			source_segment(m, i, detail >= 1, seg, sizeof(seg));
			n += (int)sr_text_width(seg, strlen(seg)) + 2;
		}
		snprintf(right, sizeof(right), "%s UTC%s%s ", utc, detail >= 2 ? "  " : "",
			 detail >= 2 ? local : "");
		n += (int)sr_text_width(right, strlen(right));
		if (x + n + 2 >= app->cols && detail > 0)
			continue;
		col = app->cols - n;
		if (col < x + 1)
			col = x + 1;
		for (size_t i = 0; i < m->n_src; i++) {
			char seg[80];
			int64_t age;
			const char *st = tui_source_state(m, &m->src[i], &age);
			/* sources stale or failing stand out in the header */
			enum tui_role r = strcmp(st, "STALE") == 0 || strcmp(st, "ERR") == 0 ?
						  TUI_R_ERROR : TUI_R_HEADER;

			source_segment(m, i, detail >= 1, seg, sizeof(seg));
			col += tui_put(&app->th, w, 0, col, app->cols - col, r, 0, seg);
			col += tui_put(&app->th, w, 0, col, app->cols - col, TUI_R_HEADER, 0, "  ");
		}
		tui_put(&app->th, w, 0, col, app->cols - col, TUI_R_HEADER, 0, right);
		break;
	}

	/* tabs */
	wmove(w, 1, 0);
	wclrtoeol(w);
	x = 0;
	for (int v = 0; v < TUI_V_TOPLEVEL && x < app->cols; v++) {
		char tab[32];
		int cur = (int)app->view == v || (app->view == TUI_V_DETAIL && v == TUI_V_INCIDENTS);

		snprintf(tab, sizeof(tab), " %d %s ", v + 1, views[v]->name);
		x += tui_put(&app->th, w, 1, x, app->cols - x, cur ? TUI_R_SELECTED : TUI_R_DIM, 0,
			     tab);
	}
	wnoutrefresh(w);
}

/* The binding named name in view v (its own scope first), or NULL. */
static const struct tui_key *
key_named(enum tui_view_id v, const char *name, size_t len)
{
	const struct tui_key *any = NULL;

	for (size_t i = 0; i < tui_n_keys; i++) {
		const struct tui_key *k = &tui_keys[i];

		if (!(k->scope & TUI_IN(v)) || strlen(k->name) != len ||
		    strncmp(k->name, name, len) != 0)
			continue;
		if (k->scope != TUI_ANY)
			return k;
		any = k;
	}
	return any;
}

/*
 * A view's hints ("i incident  z silence  ...", two spaces apart) without those whose key
 * the mode refuses: the footer never offers what would be refused.
 */
static void
footer_hints(const struct tui_app *app, const char *hints, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	if (hints == NULL)
		return;
	while (*hints) {
		const char *end = strstr(hints, "  "), *sp = strchr(hints, ' ');
		size_t tl = end ? (size_t)(end - hints) : strlen(hints);
		size_t kl = sp != NULL && (size_t)(sp - hints) < tl ? (size_t)(sp - hints) : tl;
		const struct tui_key *k = key_named(app->view, hints, kl);

		if (k == NULL || tui_mode_refuses(&app->opt, k->action) == NULL)
			len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%.*s",
						len ? "  " : "", (int)tl, hints);
		if (len >= n)
			break;
		hints += tl;
		while (*hints == ' ')
			hints++;
	}
}

static void
draw_footer(struct tui_app *app)
{
	WINDOW *w = app->foot;
	const struct tui_view_ops *v = views[app->view];

	wattrset(w, app->th.attr[TUI_R_FOOTER]);
	mvwhline(w, 0, 0, ' ', app->cols);
	if (app->prompt.kind != TUI_P_NONE) {
		int x, sil = app->prompt.action == TUI_A_SILENCE && app->prompt.view != TUI_V_SILENCES;
		char slabel[64];

		wattrset(w, app->th.attr[TUI_R_PROMPT]);
		mvwhline(w, 0, 0, ' ', app->cols);
		/* the silence form's label says the duration its text asks for */
		if (sil && app->prompt.kind != TUI_P_CONFIRM)
			tui_silence_label(app->prompt.text.s, slabel, sizeof(slabel));
		x = tui_put(&app->th, w, 0, 0, app->cols - 2, TUI_R_PROMPT, 0,
			    sil && app->prompt.kind != TUI_P_CONFIRM ? slabel : app->prompt.label);
		if (app->prompt.kind == TUI_P_CONFIRM) {
			/* the question only: its text is in the summary */
			wmove(w, 0, x < app->cols ? x : app->cols - 1);
		} else if (sil) {
			/* the preview first: it must stay visible however long the matchers get */
			char pv[80];

			tui_silence_preview(app, app->prompt.text.s, pv, sizeof(pv));
			x += tui_put(&app->th, w, 0, x, app->cols - x - 2, TUI_R_KEY, 0, pv);
			x += tui_put(&app->th, w, 0, x, 2, TUI_R_PROMPT, 0, ": ");
		}
		if (app->prompt.kind != TUI_P_CONFIRM) {
			if (app->prompt.dropped > 0) {
				char note[48];

				snprintf(note, sizeof(note), "(%d typed-ahead key%s ignored) ",
					 app->prompt.dropped, app->prompt.dropped == 1 ? "" : "s");
				x += tui_put(&app->th, w, 0, x, app->cols - x - 1, TUI_R_KEY, 0,
					     note);
			}
			if (app->prompt.note[0] != '\0')
				x += tui_put(&app->th, w, 0, x, app->cols - x - 1, TUI_R_KEY, 0,
					     app->prompt.note);
			if (app->prompt.text.refused > 0) {
				char note[80];

				snprintf(note, sizeof(note), "(full at %d KiB: %zu byte%s refused) ",
					 TUI_PROMPT_MAX / 1024, app->prompt.text.refused,
					 app->prompt.text.refused == 1 ? "" : "s");
				x += tui_put(&app->th, w, 0, x, app->cols - x - 1, TUI_R_ERROR, 0,
					     note);
			}
			if (x < app->cols - 1) {
				/* long text scrolls: its end, where the cursor is, stays in view */
				struct sr_buf view;

				sr_buf_init(&view);
				tui_text_view(&view, app->prompt.text.s, app->prompt.text.len,
					      (size_t)(app->cols - x - 1), app->th.utf8);
				sr_buf_addc(&view, '\0');
				x += tui_put(&app->th, w, 0, x, app->cols - x - 1, TUI_R_PROMPT, 0,
					     view.data);
				sr_buf_done(&view);
			}
			wmove(w, 0, x < app->cols ? x : app->cols - 1);
		}
	} else if (app->msg[0] != '\0') {
		enum tui_role r = app->msg_error ? TUI_R_ERROR : TUI_R_MESSAGE;

		wattrset(w, app->th.attr[r]);
		mvwhline(w, 0, 0, ' ', app->cols);
		tui_put(&app->th, w, 0, 1, app->cols - 2, r, 0, app->msg);
	} else if (app->opt.wallboard) {
		/* a wall screen shows no action hints: nobody at the back of the room can act */
		tui_putf(&app->th, w, 0, 1, app->cols - 2, TUI_R_FOOTER,
			 "wall screen: %s, views change every %ds", v->name,
			 app->opt.wallboard_cycle > 0 ? app->opt.wallboard_cycle : 15);
	} else {
		char hints[300], mine[256];
		int n;

		/* where q goes first (it must never be cut off), then help, the view's keys */
		if (v->back != NULL && v->back(app) != NULL)
			n = snprintf(hints, sizeof(hints), "q back to %s", v->back(app));
		else if (app->depth > 0)
			n = snprintf(hints, sizeof(hints), "q back to %s",
				     views[app->stack[app->depth - 1]]->name);
		else
			n = snprintf(hints, sizeof(hints), "q %s",
				     app->view == TUI_V_DASHBOARD || app->view == TUI_V_WALLBOARD ?
					     "quit" : "back");
		footer_hints(app, v->hints, mine, sizeof(mine));
		snprintf(hints + n, sizeof(hints) - (size_t)n, "%s%s%s%s",
			 tui_mode_refuses(&app->opt, TUI_A_HELP) ? "" : "  ? help",
			 mine[0] ? "  " : "", mine,
			 tui_mode_refuses(&app->opt, TUI_A_COMMAND) ? "" : "  : command");
		tui_put(&app->th, w, 0, 1, app->cols - 2, TUI_R_FOOTER, 0, hints);
	}
	wnoutrefresh(w);
}

static void
draw_too_small(struct tui_app *app)
{
	WINDOW *w = app->body;
	char line[64];
	int y = app->rows / 2 - 1;

	werase(w);
	snprintf(line, sizeof(line), "terminal too small: %dx%d", app->cols, app->rows);
	for (int i = 0; i < 2; i++, y++) {
		const char *s = i == 0 ? line : "need 80x24 (q quits)";
		int len = (int)strlen(s), x = (app->cols - len) / 2;

		if (y < 0 || y >= app->rows)
			continue;
		tui_put(&app->th, w, y, x > 0 ? x : 0, app->cols, TUI_R_WARN, 0, s);
	}
	wnoutrefresh(w);
}

/* --- the command line (":") --- */

static enum tui_result
cmd_quit(struct tui_app *app, const char *arg)
{
	(void)app, (void)arg;
	return TUI_QUIT;
}

/* :incident new P1..P4 TITLE */
static enum tui_result
incident_new(struct tui_app *app, const char *arg)
{
	char sev[8] = "", *err = NULL;
	struct sr_new_incident ni = { 0 };
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	int k = 0;

	if (tui_refuse_readonly(app))
		return TUI_HANDLED | TUI_REDRAW;
	if (sscanf(arg, " %7s %n", sev, &k) != 1 || k == 0 || sr_sev_parse(sev, &ni.sev, &err) != 0) {
		free(err);
		tui_message(app, 1, "usage: :incident new P1..P4 TITLE");
		return TUI_HANDLED | TUI_REDRAW;
	}
	ni.title = arg + k;
	tui_model_clock(&app->model);
	sr_incident_init(&inc);
	if (sr_change_create(app->model.st, &ni, app->model.ses->actor, app->model.now, &inc, &ev,
			     &err) == 0 &&
	    tui_model_reload(&app->model, &err) == 0) {
		tui_message(app, 0, "%s: %s", inc.id, ev.v[0].detail);
		tui_open_incident(app, inc.id);
	} else {
		tui_error(app, err);
	}
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return TUI_HANDLED | TUI_REDRAW;
}

/* :incident [ID | new P1..P4 TITLE] */
static enum tui_result
cmd_incident(struct tui_app *app, const char *arg)
{
	if (strncmp(arg, "new", 3) == 0 && (arg[3] == ' ' || arg[3] == '\0'))
		return incident_new(app, arg + 3);
	if (arg[0] == '\0') {
		switch_to(app, TUI_V_INCIDENTS);
	} else if (tui_model_find(&app->model, arg) == NULL) {
		tui_message(app, 1, "no incident %s", arg);
	} else {
		tui_open_incident(app, arg);
	}
	return TUI_HANDLED | TUI_REDRAW;
}

static enum tui_result
cmd_runbook(struct tui_app *app, const char *arg)
{
	if (arg[0] == '\0') {
		switch_to(app, TUI_V_RUNBOOK);
		return TUI_HANDLED | TUI_REDRAW;
	}
	return views[TUI_V_RUNBOOK]->answer(app, TUI_A_COMMAND, arg);
}

static enum tui_result
cmd_search(struct tui_app *app, const char *arg)
{
	if (arg[0] == '\0') {
		tui_message(app, 1, "usage: :search WORDS");
		return TUI_HANDLED | TUI_REDRAW;
	}
	switch_to(app, TUI_V_RUNBOOK);
	return views[TUI_V_RUNBOOK]->answer(app, TUI_A_SEARCH, arg);
}

static enum tui_result
cmd_silence(struct tui_app *app, const char *arg)
{
	(void)arg;
	switch_to(app, TUI_V_ALERTS);
	return views[TUI_V_ALERTS]->action(app, TUI_A_SILENCE);
}

static enum tui_result
cmd_db(struct tui_app *app, const char *arg)
{
	(void)arg;
	if (app->view == TUI_V_DB)
		views[TUI_V_DB]->enter(app);	/* check again */
	else
		tui_push(app, TUI_V_DB);
	return TUI_HANDLED | TUI_REDRAW;
}

/* The ":" commands: run_command parses from this table and the help view lists it. */
const struct tui_command tui_commands[] = {
	{ "quit", "q", "", "leave the console", cmd_quit, 0 },
	{ "incident", "inc", "[ID | new P1..P4 TITLE]", "open an incident, or a new one",
	  cmd_incident, 0 },
	{ "runbook", NULL, "[NAME]", "open a runbook by name", cmd_runbook, 0 },
	{ "search", NULL, "WORDS", "search every runbook", cmd_search, 0 },
	{ "silence", NULL, "", "silence the selected alert", cmd_silence, 0 },
	{ "db", NULL, "", "database health ([postgres NAME])", cmd_db, 0 },
	{ "stats", NULL, "", "incident statistics of the last 30 days", NULL, TUI_V_STATS },
	{ "silences", NULL, "", "list silences: active, pending, recently expired", NULL,
	  TUI_V_SILENCES },
	{ "help", NULL, "", "this help", NULL, TUI_V_HELP },
	{ "VIEW", NULL, "", "a view by name: dashboard, alerts, ..., slack", NULL, 0 },
};
const size_t tui_n_commands = SR_ARRAY_LEN(tui_commands);

static enum tui_result
run_command(struct tui_app *app, const char *line)
{
	char word[32] = "", arg[200] = "";
	int n = 0;

	while (*line == ' ')
		line++;
	sscanf(line, "%31s %n", word, &n);
	if (n > 0)
		snprintf(arg, sizeof(arg), "%s", line + n);
	if (word[0] == '\0')
		return TUI_HANDLED | TUI_REDRAW;
	for (size_t i = 0; i < tui_n_commands; i++) {
		const struct tui_command *c = &tui_commands[i];

		if ((c->run == NULL && c->opens == 0) ||
		    (strcmp(word, c->name) != 0 && (c->alias == NULL || strcmp(word, c->alias) != 0)))
			continue;
		if (c->run != NULL)
			return c->run(app, arg);
		tui_push(app, c->opens);
		return TUI_HANDLED | TUI_REDRAW;
	}
	for (int v = 0; v < TUI_V_TOPLEVEL; v++) {
		if (strcmp(word, views[v]->name) == 0) {
			switch_to(app, (enum tui_view_id)v);
			return TUI_HANDLED | TUI_REDRAW;
		}
	}
	tui_message(app, 1, "unknown command \"%s\" (? lists the commands)", word);
	return TUI_HANDLED | TUI_REDRAW;
}

/* --- keys --- */

/*
 * After a text prompt's Enter, keys that arrive in the same burst are not the user's: on a
 * terminal without bracketed paste, a pasted stack trace submits its first line with its
 * first newline, and the rest ("at ...", an ESC) would run as commands. They are ignored
 * for the type-ahead time, counted in a message.
 */
static void
guard_after_enter(struct tui_app *app)
{
	if (app->typeahead_ms <= 0)
		return;
	app->guard_until_ms = mono_ms() + app->typeahead_ms;
	app->guard_dropped = 0;
}

/* A prompt's text answered: the view (or the command line) acts on a copy of it. */
static enum tui_result
answer(struct tui_app *app, enum tui_action a, enum tui_view_id v, const char *s)
{
	char *text = sr_xstrdup(s != NULL ? s : "");
	enum tui_result r = TUI_HANDLED | TUI_REDRAW;

	if (a == TUI_A_COMMAND)
		r |= run_command(app, text);
	else if (views[v]->answer != NULL)
		r |= views[v]->answer(app, a, text);
	free(text);
	return r;
}

static enum tui_result
prompt_key(struct tui_app *app, int ch)
{
	struct tui_prompt *p = &app->prompt;
	enum tui_result r = TUI_HANDLED | TUI_REDRAW;

	if (mono_ms() - p->opened_ms < app->typeahead_ms) {
		/* typed before the form or the question could be read */
		if (p->kind == TUI_P_CONFIRM) {
			p->kind = TUI_P_NONE;
			tui_message(app, 1, "cancelled: keys arrived before the question was shown "
					    "(nothing done)");
		} else {
			p->dropped++;
		}
		return r;
	}
	if (p->kind == TUI_P_CONFIRM) {
		p->kind = TUI_P_NONE;
		if (ch == 'y' || ch == 'Y') {
			r = answer(app, p->action, p->view, p->staged ? p->text.s : "");
			guard_after_enter(app);
			return r;
		}
		tui_message(app, 0, "cancelled (nothing done)");
		return r;
	}
	if (ch == 27 || ch == CTRL('c') || ch == CTRL('g')) {
		p->kind = TUI_P_NONE;
		tui_message(app, 0, "cancelled");
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		if (staged_action(p->action)) {
			stage(app, p);
			return r;
		}
		p->kind = TUI_P_NONE;
		r = answer(app, p->action, p->view, p->text.s);
		guard_after_enter(app);
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == CTRL('h')) {
		tui_text_backspace(&p->text);
	} else if (ch == CTRL('u')) {
		tui_text_set(&p->text, NULL);
	} else if (ch == '\t' && p->action == TUI_A_SILENCE && p->view != TUI_V_SILENCES) {
		/* Tab: the next duration preset, free text like "for 90m" typed works too */
		size_t size = p->text.len + 32;
		char *buf = sr_xmalloc(size);

		snprintf(buf, size, "%s", p->text.s != NULL ? p->text.s : "");
		tui_silence_next_preset(buf, size);
		tui_text_set(&p->text, buf);
		free(buf);
	} else if (ch >= 0x20 && ch < 0x100 && ch != 0x7f) {
		char c = (char)ch;

		tui_text_add(&p->text, &c, 1);
	}
	return r;
}

/*
 * A bracketed paste ended: its bytes are text, never keys. An open text prompt takes them
 * (a note keeps its line breaks; a one-line prompt gets spaces for them); a question is
 * cancelled; with no prompt open the paste is ignored, said in a message.
 */
static enum tui_result
paste_done(struct tui_app *app)
{
	struct tui_paste *ps = &app->paste;
	struct tui_prompt *p = &app->prompt;
	struct sr_buf text;
	size_t lines = 0, refused;

	ps->on = 0;
	if (p->kind == TUI_P_CONFIRM) {
		p->kind = TUI_P_NONE;
		tui_message(app, 1, "cancelled: a paste is not an answer (nothing done)");
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (p->kind != TUI_P_TEXT) {
		tui_message(app, 1, "paste ignored (%zu bytes): pasted text is not keys; open a "
			    "prompt first (n adds a note)", ps->b.len);
		return TUI_HANDLED | TUI_REDRAW;
	}
	sr_buf_init(&text);
	tui_paste_text(&text, ps->b.data != NULL ? ps->b.data : "", ps->b.len, p->multiline,
		       &lines);
	refused = tui_text_add(&p->text, text.data != NULL ? text.data : "", text.len);
	/* said in the prompt itself: a message would hide behind it */
	if (refused == 0 && lines > 0 && !p->multiline)
		snprintf(p->note, sizeof(p->note), "(%zu lines joined) ",
			 lines + 1);
	sr_buf_done(&text);
	p->dropped = 0;
	return TUI_HANDLED | TUI_REDRAW;
}

static enum tui_result
global_action(struct tui_app *app, enum tui_action a)
{
	switch (a) {
	case TUI_A_QUIT:
		return TUI_QUIT;
	case TUI_A_BACK:
		if (app->opt.wallboard && app->depth == 0)
			return TUI_QUIT;	/* whichever view the cycle shows (help: back) */
		if (app->depth == 0)
			return app->view == TUI_V_DASHBOARD || app->view == TUI_V_WALLBOARD ||
					       app->opt.wallboard ?	/* any screen of the cycle */
				       TUI_QUIT : (switch_to(app, TUI_V_DASHBOARD), TUI_REDRAW);
		app->view = app->stack[--app->depth];
		if (views[app->view]->enter != NULL)
			views[app->view]->enter(app);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_HELP:
		tui_push(app, TUI_V_HELP);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_SILENCES:
		tui_push(app, TUI_V_SILENCES);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_NEXT_VIEW:
	case TUI_A_PREV_VIEW: {
		int v = app->view == TUI_V_DETAIL ? TUI_V_INCIDENTS :
			app->view >= TUI_V_TOPLEVEL ? 0 : (int)app->view;

		v = (v + (a == TUI_A_NEXT_VIEW ? 1 : TUI_V_TOPLEVEL - 1)) % TUI_V_TOPLEVEL;
		switch_to(app, (enum tui_view_id)v);
		return TUI_HANDLED | TUI_REDRAW;
	}
	case TUI_A_VIEW_1: case TUI_A_VIEW_2: case TUI_A_VIEW_3: case TUI_A_VIEW_4:
	case TUI_A_VIEW_5: case TUI_A_VIEW_6: case TUI_A_VIEW_7:
		switch_to(app, (enum tui_view_id)(a - TUI_A_VIEW_1));
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_STATS:
		tui_push(app, TUI_V_STATS);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_EXPORT:
		return app->view == TUI_V_DETAIL ? tui_export_draft(app, app->target_id) :
						   TUI_UNHANDLED;
	case TUI_A_COMMAND:
		tui_prompt_text(app, TUI_A_COMMAND, ":", NULL);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_REDRAW:
	case TUI_A_REFRESH:
		/* both fetch every source now: a user who asks for fresh data gets it */
		if (tui_model_refresh(&app->model) > 0)
			tui_message(app, 0, "fetching every source now");
		if (a == TUI_A_REFRESH)
			return TUI_HANDLED | TUI_REDRAW;
		clearok(curscr, TRUE);
		return TUI_HANDLED | TUI_RESIZE;
	default:
		return TUI_UNHANDLED;
	}
}

static enum tui_result
key(struct tui_app *app, int ch)
{
	const struct tui_view_ops *v = views[app->view];
	enum tui_result r;

	if (ch == KEY_RESIZE)
		return TUI_RESIZE;
	if (app->prompt.kind != TUI_P_NONE)
		return prompt_key(app, ch);
	if (app->guard_until_ms != 0 && mono_ms() < app->guard_until_ms) {
		/* came in one burst with the Enter that closed a prompt: not typed as keys */
		app->guard_dropped++;
		tui_message(app, 1, "%d key%s right after Enter ignored (a paste?)",
			    app->guard_dropped, app->guard_dropped == 1 ? "" : "s");
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (app->msg[0] != '\0') {
		app->msg[0] = '\0';
		r = TUI_REDRAW;
	} else {
		r = TUI_UNHANDLED;
	}
	if (app->too_small)
		return ch == 'q' || ch == 27 ? TUI_QUIT : r;
	for (size_t i = 0; i < tui_n_keys; i++) {
		const struct tui_key *k = &tui_keys[i];
		enum tui_result vr;
		const char *why;

		if (k->key != ch || !(k->scope & TUI_IN(app->view)))
			continue;
		if ((why = tui_mode_refuses(&app->opt, k->action)) != NULL) {
			/* said once, in the footer: the same refusal again changes nothing */
			tui_message(app, 1, "%s (%s) refused: %s", k->name,
				    tui_action_text(k->action), why);
			return TUI_HANDLED | TUI_REDRAW;
		}
		vr = v->action != NULL ? v->action(app, k->action) : TUI_UNHANDLED;
		if (vr == TUI_UNHANDLED)
			vr = global_action(app, k->action);
		if (vr != TUI_UNHANDLED)
			return r | vr | TUI_REDRAW;
	}
	if (app->opt.wallboard && ch >= 0x20 && ch < 0x7f) {
		tui_message(app, 1, "%c does nothing: %s", ch, tui_mode_refuses(&app->opt, TUI_A_NONE));
		r |= TUI_REDRAW;
	}
	return r;
}

/* --- the loop --- */

#define DIRTY_HDR 0x1
#define DIRTY_BODY 0x2
#define DIRTY_FOOT 0x4
#define DIRTY_DATA 0x8	/* data or the user's choice changed: the view's update op runs */
#define DIRTY_ALL 0xf

struct stats {
	int64_t start_ms, first_frame_ms;
	int64_t keys, key_cpu_us, key_cpu_max_us;
	int64_t frames;
};

static void
paint(struct tui_app *app, unsigned dirty)
{
	if (app->too_small) {
		if (dirty)
			draw_too_small(app);
		doupdate();
		return;
	}
	if (dirty & DIRTY_HDR)
		draw_header(app);
	if ((dirty & DIRTY_DATA) && views[app->view]->update != NULL)
		views[app->view]->update(app);
	if (dirty & DIRTY_BODY) {
		int h, wd;

		getmaxyx(app->body, h, wd);
		werase(app->body);
		views[app->view]->draw(app, app->body, h, wd);
		wnoutrefresh(app->body);
	}
	if (dirty & (DIRTY_FOOT | DIRTY_BODY))
		draw_footer(app);
	curs_set(app->prompt.kind != TUI_P_NONE ? 1 : 0);
	doupdate();
}

static void
write_stats(const struct stats *s)
{
	const char *path = getenv("SITREP_TUI_STATS");
	struct rusage ru;
	FILE *f;

	if (path == NULL || *path == '\0' || (f = fopen(path, "w")) == NULL)
		return;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(f, "first_frame_ms %lld\nkeys %lld\nkey_cpu_us_total %lld\nkey_cpu_us_max %lld\n"
		   "frames %lld\nmaxrss_kb %ld\n",
		(long long)s->first_frame_ms, (long long)s->keys, (long long)s->key_cpu_us,
		(long long)s->key_cpu_max_us, (long long)s->frames, ru.ru_maxrss);
	fclose(f);
}

/* Ctrl-Z: the terminal as it was (paste marks off), stop, and take it again on SIGCONT. */
static void
suspend(struct tui_app *app)
{
	got_tstp = 0;
	endwin();
	term_mode(TUI_PASTE_OFF);
	tstp_install(0);
	raise(SIGTSTP);		/* stops here until SIGCONT */
	tstp_install(1);
	term_mode(TUI_PASTE_ON);
	clearok(curscr, TRUE);
	doupdate();
	layout(app);
}

static int
loop(struct tui_app *app, struct sr_http *http, struct stats *stats)
{
	unsigned dirty = DIRTY_ALL;
	int64_t last_sec = mono_ms() / 1000, last_reload = last_sec;
	int quit = 0;

	while (!quit && !got_stop) {
		/*
		 * the keyboard, the store's live updates (PostgreSQL LISTEN) or its reconnection
		 * when it has an fd, and the database checks under way
		 */
		struct sr_http_waitfd wfd[2 + TUI_DB_MAX];
		int db_at[TUI_DB_MAX] = { 0 }, db_ready[TUI_DB_MAX];
		int n_wfd = 0, store_at, store_ready;
		int64_t now_s, t0 = 0;
		int ch, timeout, got_key = 0;
		char *err = NULL;

		wfd[n_wfd++] = (struct sr_http_waitfd){ STDIN_FILENO, SR_HTTP_WAIT_IN, 0 };
		store_at = tui_model_store_fd(&app->model) >= 0 ? n_wfd : -1;
		if (store_at >= 0)
			wfd[n_wfd++] = (struct sr_http_waitfd){
				tui_model_store_fd(&app->model),
				tui_model_store_events(&app->model), 0 };
		for (size_t i = 0; i < app->model.n_db; i++) {
			short ev;
			int fd = tui_model_db_fd(&app->model, i, &ev);

			db_at[i] = fd >= 0 ? n_wfd : -1;
			if (fd >= 0)
				wfd[n_wfd++] = (struct sr_http_waitfd){ fd, ev, 0 };
		}

		if (dirty) {
			paint(app, dirty);
			stats->frames++;
			if (stats->first_frame_ms < 0)
				stats->first_frame_ms = mono_ms() - stats->start_ms;
			dirty = 0;
		}
		timeout = ms_to_next_second();
		if (store_at < 0 && timeout > STORE_LOOK_MS)
			timeout = STORE_LOOK_MS;	/* SQLite (or offline): look again soon */
		if (http != NULL) {
			if (sr_http_poll(http, wfd, (unsigned)n_wfd, timeout, &err) < 0) {
				free(err);
				http = NULL;	/* fall back to poll(2) from now on */
			}
		} else {
			struct pollfd pfd[2 + TUI_DB_MAX];

			for (int i = 0; i < n_wfd; i++)
				pfd[i] = (struct pollfd){ wfd[i].fd, wfd[i].events & SR_HTTP_WAIT_OUT ?
								   POLLOUT : POLLIN, 0 };
			if (poll(pfd, (nfds_t)n_wfd, timeout) < 0 && errno != EINTR)
				return -1;
			for (int i = 0; i < n_wfd; i++)
				wfd[i].revents = pfd[i].revents ? wfd[i].events : 0;
		}
		/*
		 * another console or the CLI committed: just the incidents it changed (SQLite,
		 * which has no fd, and an offline store are looked at after every wait)
		 */
		store_ready = store_at >= 0 && wfd[store_at].revents != 0;
		app->model.store_fd_ready = store_ready;
		if ((store_at < 0 || store_ready || app->model.store_connecting) &&
		    tui_model_store_tick(&app->model, mono_ms()))
			dirty |= DIRTY_ALL;
		/* database health: checks move on as their sockets allow, never from a draw */
		for (size_t i = 0; i < app->model.n_db; i++)
			db_ready[i] = db_at[i] >= 0 && wfd[db_at[i]].revents != 0;
		if (tui_model_db_tick(&app->model, mono_ms(), db_ready))
			dirty |= DIRTY_BODY;
		/*
		 * the feed engine: take what arrived inside the poll (the alert list may have
		 * changed under the model's view of it), start what is due
		 */
		if (tui_model_feeds_tick(&app->model))
			dirty |= DIRTY_ALL;
		tui_silences_ack_tick(app);	/* acks kept while their incident is open */
		/* news since the last pass: highlights, bell, notification, the wallboard flash */
		if (tui_tell_tick(app))
			dirty |= DIRTY_HDR | DIRTY_BODY;

		/* keys: everything the terminal has sent, then one paint */
		while ((ch = wgetch(app->body)) != ERR) {
			enum tui_result r;

			if (!got_key)
				t0 = cpu_us();
			got_key = 1;
			if (ch == TUI_KEY_PASTE_BEGIN) {
				tui_paste_begin(&app->paste, mono_ms());
				continue;
			}
			if (app->paste.on && ch != TUI_KEY_PASTE_END && ch != KEY_RESIZE) {
				/* pasted bytes are text, whatever they look like */
				tui_paste_key(&app->paste, ch, mono_ms());
				continue;
			}
			if (ch == TUI_KEY_PASTE_END)
				r = app->paste.on ? paste_done(app) : TUI_HANDLED;
			else
				r = key(app, ch);
			if (r & TUI_QUIT) {
				quit = 1;
				break;
			}
			if (r & TUI_RESIZE) {
				layout(app);
				dirty = DIRTY_ALL;
			}
			if (r & TUI_REDRAW)
				dirty |= DIRTY_BODY | DIRTY_FOOT | DIRTY_DATA;
			if (app->too_small && ch == KEY_RESIZE)
				dirty = DIRTY_ALL;
		}
		if (quit)
			break;
		if (app->paste.on && mono_ms() - app->paste.last_ms > TUI_PASTE_TIMEOUT_MS) {
			/* the end of the paste never came: what did is still text */
			paste_done(app);
			dirty |= DIRTY_BODY | DIRTY_FOOT | DIRTY_DATA;
		}
		if (got_tstp) {
			suspend(app);
			dirty = DIRTY_ALL;
		}
		if (app->model.notice != NULL) {
			tui_message(app, app->model.notice_error, "%s", app->model.notice);
			free(app->model.notice);
			app->model.notice = NULL;
			dirty |= DIRTY_FOOT;
		}
		if (got_key && dirty) {
			int64_t used;

			paint(app, dirty);
			dirty = 0;
			stats->frames++;
			used = cpu_us() - t0;
			stats->keys++;
			stats->key_cpu_us += used;
			if (used > stats->key_cpu_max_us)
				stats->key_cpu_max_us = used;
		}

		/* the 1 Hz tick: clocks and countdowns; feeds and the store less often */
		now_s = mono_ms() / 1000;
		if (now_s != last_sec) {
			last_sec = now_s;
			tui_model_clock(&app->model);
			dirty |= DIRTY_HDR;
			if (tui_comms_tick(app))
				dirty |= DIRTY_BODY;
			if (views[app->view]->live)
				dirty |= DIRTY_BODY;
			if (app->msg[0] != '\0' && now_s >= app->msg_until &&
			    (!app->msg_error || app->opt.wallboard)) {
				app->msg[0] = '\0';
				dirty |= DIRTY_FOOT;
			}
			if (app->model.store_offline_since == 0 &&
			    now_s - last_reload >= RELOAD_EVERY) {
				last_reload = now_s;
				if (tui_model_reload(&app->model, &err) != 0)
					tui_error(app, err);
				dirty |= DIRTY_BODY | DIRTY_DATA;
			}
			if (app->opt.wallboard) {
				enum tui_view_id next = tui_wallboard_next(app, now_s);

				if (next != TUI_V_COUNT && next != app->view) {
					app->depth = 0;
					app->view = next;
					if (views[next]->enter != NULL)
						views[next]->enter(app);
					dirty = DIRTY_ALL;
				}
			}
		}
	}
	return 0;
}

int
tui_run(struct sr_session *ses, const struct tui_options *opt, char **errp)
{
	struct tui_app *app = sr_xcalloc(1, sizeof(*app));
	struct sigaction old[3];
	SCREEN *scr;
	struct stats stats = { mono_ms(), -1, 0, 0, 0, 0 };
	char *err = NULL, *fixtures = NULL;
	const char *fx_env = getenv("SITREP_TUI_FIXTURES");
	int rc = 0;

	app->opt = *opt;
	{
		const char *ta = getenv("SITREP_TYPEAHEAD_MS");

		app->typeahead_ms = ta != NULL && *ta ? atoi(ta) : TUI_TYPEAHEAD_MS;
	}
	if (app->opt.wallboard)
		app->opt.readonly = 1;
	if (opt->demo)
		fixtures = sr_xasprintf("%s/demo", ses->datadir);
	else if (fx_env != NULL && *fx_env != '\0')
		fixtures = sr_xstrdup(fx_env);	/* replay recorded answers against a real store */
	if (tui_model_open(&app->model, ses, fixtures, app->opt.readonly, &err) != 0) {
		*errp = err;
		rc = TUI_FAILED;
		goto out;
	}

	app->th.utf8 = tui_locale_utf8();
	signals_install(old);
	tstp_install(1);
	/* newterm, not initscr: its SCREEN can be freed with delscreen() after endwin() */
	scr = newterm(NULL, stdout, stdin);
	if (scr != NULL && (tigetstr("cup") == NULL || tigetstr("cup") == (char *)-1)) {
		/* a terminal without cursor addressing cannot hold a screen layout */
		endwin();
		delscreen(scr);
		scr = NULL;
	}
	if (scr == NULL) {
		/* TERM=dumb and friends: no cursor addressing; main.c falls back to a list. */
		const char *term = getenv("TERM");

		signals_restore(old);
		*errp = sr_xasprintf("TERM=%s cannot show the console", term ? term : "(unset)");
		rc = TUI_NO_TERMINAL;
		goto out;
	}
	/* pastes arrive between ESC [ 200 ~ and ESC [ 201 ~: text, never keys */
	define_key("\033[200~", TUI_KEY_PASTE_BEGIN);
	define_key("\033[201~", TUI_KEY_PASTE_END);
	term_mode(TUI_PASTE_ON);
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	tui_theme_init(&app->th, getenv("SITREP_THEME"), app->th.utf8);
	/* no secret of the configuration reaches the screen, whatever field it was typed in */
	app->th.secrets = sr_config_secrets(app->model.cfg, &app->th.n_secrets);
	layout(app);
	app->view = app->opt.wallboard ? TUI_V_WALLBOARD : TUI_V_DASHBOARD;
	if (views[app->view]->enter != NULL)
		views[app->view]->enter(app);
	if (loop(app, app->model.http, &stats) != 0) {
		*errp = sr_xstrdup("the console's event loop failed");
		rc = TUI_FAILED;
	}
	windows_free(app);
	endwin();	/* every path after newterm() comes through here */
	term_mode(TUI_PASTE_OFF);
	delscreen(scr);
	signals_restore(old);
	if (got_stop)
		rc = 128 + (int)got_stop;
	write_stats(&stats);
out:
	for (int v = 0; v < TUI_V_COUNT; v++)
		if (views[v]->done != NULL)
			views[v]->done(app);
	for (int v = 0; v < TUI_V_COUNT; v++)
		free(app->priv[v]);
	sr_secrets_free(app->th.secrets, app->th.n_secrets);
	tui_oncall_done(app);
	tui_tell_done(&app->model);
	tui_model_done(&app->model);
	tui_text_done(&app->prompt.text);
	sr_buf_done(&app->paste.b);
	free(fixtures);
	free(app);
	return rc;
}

/* SPDX-License-Identifier: MIT */
/* app.h: the console's shared state, the view ops table, key actions and drawing helpers. */
#ifndef TUI_APP_H
#define TUI_APP_H

#include <curses.h>

#include "draw.h"
#include "input.h"
#include "model.h"
#include "runbook.h"
#include "theme.h"
#include "tui.h"

/* What a handler did, as flags: the loop decides what to repaint once per pass. */
enum tui_result {
	TUI_UNHANDLED = 0,
	TUI_HANDLED = 0x1,
	TUI_REDRAW = 0x2,	/* the body (and footer) changed */
	TUI_RESIZE = 0x4,	/* the layout must be rebuilt */
	TUI_QUIT = 0x8,
};

/* Top-level views in Tab / 1..7 order, then the ones reached from them. */
enum tui_view_id {
	TUI_V_DASHBOARD,
	TUI_V_ALERTS,
	TUI_V_INCIDENTS,
	TUI_V_RUNBOOK,
	TUI_V_METRICS,
	TUI_V_SLACK,
	TUI_V_HELP,
	TUI_V_DETAIL,
	TUI_V_WALLBOARD,
	TUI_V_DB,		/* database health (:db), not a tab */
	TUI_V_STATS,
	TUI_V_SILENCES,
	TUI_V_COUNT
};
#define TUI_V_TOPLEVEL 7	/* views 1..7 */

/* Key scopes: a bit per view, or every view. */
#define TUI_IN(v) (1u << (v))
#define TUI_ANY 0xffffu

#define TUI_ACTIONS(X)                                        \
	X(NONE, "")                                           \
	X(QUIT, "quit")                                       \
	X(BACK, "back")                                       \
	X(HELP, "help")                                       \
	X(NEXT_VIEW, "next view")                             \
	X(PREV_VIEW, "previous view")                         \
	X(VIEW_1, "dashboard")                                \
	X(VIEW_2, "alerts")                                   \
	X(VIEW_3, "incidents")                                \
	X(VIEW_4, "runbook")                                  \
	X(VIEW_5, "metrics")                                  \
	X(VIEW_6, "slack preview")                            \
	X(VIEW_7, "help")                                     \
	X(UP, "up")                                           \
	X(DOWN, "down")                                       \
	X(PAGE_UP, "page up")                                 \
	X(PAGE_DOWN, "page down")                             \
	X(TOP, "first")                                       \
	X(BOTTOM, "last")                                     \
	X(OPEN, "open")                                       \
	X(FILTER, "filter")                                   \
	X(COMMAND, "command line")                            \
	X(REDRAW, "repaint the screen")                       \
	X(REFRESH, "fetch every source now")                  \
	X(ACK, "acknowledge")                                 \
	X(STATUS, "set status")                               \
	X(SEV, "set severity")                                \
	X(NOTE, "add a note")                                 \
	X(ASSIGN, "assign a role")                            \
	X(ESCALATE, "escalate")                               \
	X(DEESCALATE, "de-escalate")                          \
	X(RESOLVE, "resolve")                                 \
	X(CLOSE, "close")                                     \
	X(UPDATE_SENT, "status update sent")                  \
	X(NEW_INCIDENT, "open an incident from the alert")    \
	X(SILENCE, "silence")                                 \
	X(ACK_ALERT, "acknowledge the alert")                 \
	X(RUNBOOK, "open the runbook")                        \
	X(SLACK, "slack preview")                             \
	X(COPY, "copy to the clipboard")                      \
	X(FIND_NEXT, "next match")                            \
	X(FIND_PREV, "previous match")                        \
	X(FOLLOW, "follow a link")                            \
	X(TOC, "table of contents")                           \
	X(HISTORY, "previous runbook")                        \
	X(CHECK, "tick a checklist item")                     \
	X(SEARCH, "search all runbooks")                      \
	X(SORT, "change the sort order")                      \
	X(GROUP, "group by a label")                          \
	X(LEFT, "scroll code left")                           \
	X(RIGHT, "scroll code right")                         \
	X(LEFT_EDGE, "code back to column 0")                 \
	X(TARGET, "next message target")                      \
	X(SEND, "send the message")                           \
	X(RETRY, "retry a message")                           \
	X(DROP, "drop a message")                             \
	X(EXPORT, "write the post-mortem draft")              \
	X(STATS, "statistics")                                \
	X(SILENCES, "list the silences")                      \
	X(EXPIRE, "expire a silence")                         \
	X(EXTEND, "extend a silence")

enum tui_action {
#define X(id, text) TUI_A_##id,
	TUI_ACTIONS(X)
#undef X
	TUI_A_COUNT
};

/* One binding: the key table in app.c is the only source of bindings and of the help view. */
struct tui_key {
	int key;
	unsigned scope;		/* TUI_ANY or TUI_IN(view) | ... */
	enum tui_action action;
	const char *name;	/* "a", "Enter", "C-l" */
	const char *help;
};
extern const struct tui_key tui_keys[];
extern const size_t tui_n_keys;
const char *tui_action_text(enum tui_action a);
/*
 * Why the console's mode (opt: --readonly, --wallboard) refuses action a (a static sentence),
 * or NULL when it does not. The footer hides the keys of refused actions.
 */
struct tui_options;
const char *tui_mode_refuses(const struct tui_options *opt, enum tui_action a);

struct tui_app;
struct tui_runbook;

/* One ":" command: the table in app.c parses the command line and writes the help. */
struct tui_command {
	const char *name;
	const char *alias;	/* a short spelling, or NULL */
	const char *args;	/* for the help: "[ID | new P1..P4 TITLE]" */
	const char *help;
	enum tui_result (*run)(struct tui_app *app, const char *arg);	/* or NULL: */
	enum tui_view_id opens;	/* the view it opens over this one (0: help only) */
};
extern const struct tui_command tui_commands[];
extern const size_t tui_n_commands;

struct tui_view_ops {
	const char *name;	/* "dashboard": the tab label */
	int live;		/* shows running timers: repainted by the 1 Hz tick */
	const char *hints;	/* footer key hints */
	void (*enter)(struct tui_app *app);
	/*
	 * Data or the user's choice changed: bring what the view derives from them up to date
	 * (filter, sort, group; load a timeline; ask for a series). Called before a paint, never
	 * by the 1 Hz tick alone; the only op besides actions that may start I/O. NULL: none.
	 */
	void (*update)(struct tui_app *app);
	/* The view is opened on arg (an incident id) before it is entered; NULL: not used. */
	void (*open)(struct tui_app *app, const char *arg);
	/* Paints from the model and the view's state; starts no I/O and changes no data. */
	void (*draw)(struct tui_app *app, WINDOW *w, int h, int wd);
	enum tui_result (*action)(struct tui_app *app, enum tui_action a);
	/* A prompt this view opened was answered (text is "" for a yes/no prompt). */
	enum tui_result (*answer)(struct tui_app *app, enum tui_action a, const char *text);
	/* Frees what the view holds (at exit). */
	void (*done)(struct tui_app *app);
	/* Where q goes when the view takes Back itself ("alert list"), else NULL; NULL: none. */
	const char *(*back)(struct tui_app *app);
};

/* A view's ops: its tab name, whether the 1 Hz tick repaints it, its footer hints, then ops. */
#define TUI_VIEW(nm, lv, hn, ...) { .name = (nm), .live = (lv), .hints = (hn), __VA_ARGS__ }

extern const struct tui_view_ops tui_view_dashboard, tui_view_alerts, tui_view_incidents,
	tui_view_detail, tui_view_runbook, tui_view_metrics, tui_view_slack, tui_view_help,
	tui_view_wallboard, tui_view_stats, tui_view_silences;
extern const struct tui_view_ops tui_view_db;

enum tui_prompt_kind { TUI_P_NONE, TUI_P_TEXT, TUI_P_CONFIRM };

/*
 * Keys that arrive this soon after a form or a question opened were typed before the user
 * could see it: a form ignores them, a question is cancelled by them (nothing is done).
 */
#define TUI_TYPEAHEAD_MS 300

struct tui_prompt {
	enum tui_prompt_kind kind;
	enum tui_action action;
	enum tui_view_id view;
	char label[160];
	struct tui_text text;	/* what was typed or pasted (TUI_PROMPT_MAX bytes at most) */
	int multiline;		/* a note: pasted line breaks are kept */
	int64_t opened_ms;	/* when it opened: keys before opened_ms + typeahead_ms are
				 * type-ahead meant for something else */
	int staged;		/* a confirmation of buf's text (an outward action) */
	int dropped;		/* type-ahead keys ignored */
	char note[96];		/* what became of a paste, shown before the text ("" = none) */
};

struct tui_app {
	struct tui_options opt;
	int typeahead_ms;		/* $SITREP_TYPEAHEAD_MS, default TUI_TYPEAHEAD_MS */
	struct tui_model model;
	struct tui_theme th;		/* th.utf8: the locale speaks UTF-8 */

	WINDOW *hdr, *body, *foot;
	int rows, cols, too_small;

	enum tui_view_id view;
	enum tui_view_id stack[8];	/* where Back returns to */
	int depth;

	char msg[256];
	int msg_error;
	sr_time msg_until;
	struct tui_prompt prompt;
	struct tui_paste paste;		/* a bracketed paste being received */
	int64_t guard_until_ms;		/* keys before this came in one burst with a prompt's Enter */
	int guard_dropped;		/* keys the guard ignored since the last Enter */

	struct tui_list list[TUI_V_COUNT];	/* each list's place */
	char target_id[SR_ID_MAX];	/* the incident last opened or acted on (prompts change it) */
	/* Each view's private block (tui_view_state): only that view's file knows its type. */
	void *priv[TUI_V_COUNT];

	struct tui_runbook *rb;		/* runbook view state (view_runbook.c) */
	struct tui_oncall *oncall;	/* the store's on-call overrides (oncall_show.c) */
};

/*
 * View v's private block of n bytes, allocated zeroed on first use and freed (after the
 * view's done op) at exit. Only v's own file calls this, always with the same n.
 */
void *tui_view_state(struct tui_app *app, enum tui_view_id v, size_t n);
/*
 * The wallboard's cycle (view_wallboard.c): the view to show at now_s when its turn has
 * come, else TUI_V_COUNT.
 */
enum tui_view_id tui_wallboard_next(struct tui_app *app, int64_t now_s);
/*
 * The header in --wallboard mode (view_wallboard.c): the clock, every source with its state
 * word (stale ones in the error colour), who is on call, and the flash of news; it replaces
 * the tabs, which a wall screen has no use for.
 */
void tui_wallboard_header(struct tui_app *app, WINDOW *w);

/* --- app services for views --- */

void tui_push(struct tui_app *app, enum tui_view_id v);
void tui_message(struct tui_app *app, int error, const char *fmt, ...) SR_PRINTF(3, 4);
/* Shows err (sanitised) as an error message and frees it. */
void tui_error(struct tui_app *app, char *err);
void tui_prompt_text(struct tui_app *app, enum tui_action a, const char *label,
		     const char *initial);
void tui_prompt_confirm(struct tui_app *app, enum tui_action a, const char *label);
/* True (with a message) when changes are not allowed. */
int tui_refuse_readonly(struct tui_app *app);
/* The incident actions shared by the list and detail views (view_incidents.c). */
enum tui_result tui_incident_action(struct tui_app *app, const char *id, enum tui_action a);
enum tui_result tui_incident_answer(struct tui_app *app, enum tui_action a, const char *text);
/*
 * Opens the runbook for alert a (found by the model) in the runbook view; 0, or -1 with a
 * message saying why there is none.
 */
int tui_runbook_for_alert(struct tui_app *app, const struct sr_am_alert *a);
/*
 * The Slack view's 1 Hz work (view_slack.c): starts the outbox's delivery worker, takes what
 * it delivered, re-reads the outbox and the overdue action items when incidents were
 * reloaded. Returns 1 when the dashboard or the Slack view should be repainted.
 */
int tui_comms_tick(struct tui_app *app);
/*
 * The dashboard's "needs attention" lines from y, at most h: messages stuck in the outbox,
 * open action items past their due date. Returns the rows used (0: nothing to say).
 */
int tui_comms_notes(struct tui_app *app, WINDOW *w, int y, int h, int wd);
/*
 * Writes the post-mortem draft of incident id into the data directory with `sitrep export`
 * run as a child (view_stats.c); tui_export_tick (called from tui_comms_tick) opens it in
 * the runbook view once written, or shows why not. tui_export_tick returns 1 when it did.
 */
enum tui_result tui_export_draft(struct tui_app *app, const char *id);
int tui_export_tick(struct tui_app *app);
/* Opens view v on arg through its open op. */
void tui_view_open(struct tui_app *app, enum tui_view_id v, const char *arg);
/*
 * The actions on one alert (sel may be NULL), shared by the alerts view and the dashboard's
 * alert list: open (its incident), new incident (i), silence (z). view_alerts.c.
 */
enum tui_result tui_alert_action(struct tui_app *app, const struct sr_am_alert *sel,
				 enum tui_action a);
/* A top-level view as Tab and 1..7 reach it: Back from it goes to the dashboard. */
void tui_switch(struct tui_app *app, enum tui_view_id v);
/* Opens the detail view of incident id. */
void tui_open_incident(struct tui_app *app, const char *id);
/* --- on call (oncall_show.c) --- */

/*
 * "on call: alice until Mon 09:00 CET" for the rotation of the first level that names one
 * (else the first [rotation]), overrides of the store laid over; "" without rotations.
 * Returns buf.
 */
const char *tui_oncall_line(struct tui_app *app, char *buf, size_t n);
/* Who level lv reaches now (sr_oncall_level_contact with the store's overrides). Allocated. */
char *tui_oncall_level(struct tui_app *app, int lv);
void tui_oncall_done(struct tui_app *app);

/* --- silences (view_silences.c) --- */

/*
 * The silence form's text "MATCHERS [for DURATION] [-- COMMENT]": the matchers into m (when
 * not NULL; initialised by the caller), the duration (default 2h) into *secs, the comment
 * (allocated, NULL when none) into *comment when not NULL. 0, or -1 with *err.
 */
int tui_silence_spec(const char *text, struct sr_matchers *m, int64_t *secs, char **comment,
		     char **err);
/* The form's label for text ("Silence 90m "), its match preview, and its y/n question. */
void tui_silence_label(const char *text, char *out, size_t n);
void tui_silence_preview(const struct tui_app *app, const char *text, char *out, size_t n);
void tui_silence_question(const struct tui_app *app, const char *text, char *out, size_t n);
/* Tab in the form: " for DUR" becomes the next preset (1h 2h 4h 8h 1d). */
void tui_silence_next_preset(char *buf, size_t size);
/* The question of the silences view's extend / silence-again forms. */
void tui_silences_question(struct tui_app *app, enum tui_action a, const char *text, char *out,
			   size_t n);
/* Asks for the silence list when an alert is silenced and the list is old (an update op). */
void tui_silences_want(struct tui_app *app);
/*
 * The console's tick for acknowledgements (issue 16): every sr_ack_tick_every(ack_for) it asks
 * for the silence list and, when the list is whole, extends the acks of open incidents whose
 * alerts still fire and expires those of incidents that are over (sr_ack_plan), all through
 * the engine's client. Nothing when read-only, in the demo, or without an Alertmanager.
 */
void tui_silences_ack_tick(struct tui_app *app);
struct sr_ack;
/* a's acknowledgement among the listed silences: 1 with out filled (sr_ack_done), else 0. */
int tui_silences_ack_of(struct tui_app *app, const struct sr_am_alert *a, struct sr_ack *out);
/*
 * Draws, from row y and in at most h rows, the silences that cover a (id, author, ends in,
 * comment). Returns the rows used.
 */
int tui_silences_draw_for_alert(struct tui_app *app, WINDOW *w, int y, int h, int wd,
				const struct sr_am_alert *a);

/* Moves a list selection for a navigation action over n items, h rows visible. */
enum tui_result tui_list_move(struct tui_list *l, enum tui_action a, size_t n, int h);
/*
 * Scrolls a view without a selection (its first line l->top, clamped when drawn): down/page
 * down one step, up/page up one step back, top to the start; other actions are not its.
 */
enum tui_result tui_list_scroll(struct tui_list *l, enum tui_action a);

#endif

/* SPDX-License-Identifier: MIT */
/* model.h: what the console shows, and the one place the TUI calls into the core library. */
#ifndef TUI_MODEL_H
#define TUI_MODEL_H

#include "alertmgr.h"
#include "change.h"
#include "dbcheck.h"
#include "feed.h"
#include "http.h"
#include "incident.h"
#include "prom.h"
#include "runbook.h"
#include "session.h"

/* One feed source as the header shows it: "prom ok 3s", "am STALE 4m". */
struct tui_source {
	char name[16];
	unsigned kind;		/* SR_FEEDS_PANELS or SR_FEEDS_ALERTS */
	int configured;		/* there is something to fetch (fixtures, or live sources) */
	int ok;			/* the last fetch succeeded */
	sr_time fetched_at;	/* oldest last good answer, 0 = never */
	char *err;		/* last failure (sanitised on display), or NULL */
};

/* A dashboard metric: its last value and its samples over the panel's range. */
struct tui_panel {
	const struct sr_panel *def;	/* name, unit, thresholds, range, runbook */
	double *v;			/* samples, oldest first */
	size_t n;
	double last, min, max;
	int has_last;
	char *err;	/* why there is no value, or why the last query failed (a value is then
			 * the last good one), without the source's URL in front; or NULL */
};

/* An alert's own expression over the last hour (from its generatorURL), fetched on demand. */
struct tui_series {
	char *fingerprint;
	char *expr;		/* decoded g0.expr, or NULL */
	double *v;
	size_t n;
	double min, max;
	int state;		/* TUI_SERIES_* */
	char *err;
};
#define TUI_SERIES_PENDING 1
#define TUI_SERIES_OK 2
#define TUI_SERIES_ERR 3

/*
 * When an alert fired over the last 24 hours (issue 16): one range query of Prometheus's
 * ALERTS{alertstate="firing"} series for its alertname, asked when its detail opens.
 */
struct tui_history {
	char *alertname;	/* the alert asked about (NULL: none yet) */
	int state;		/* TUI_SERIES_PENDING, _OK or _ERR */
	struct sr_alert_history h;	/* SR_HISTORY_CELLS cells, when OK */
	char *err;		/* why there is none, when ERR */
	sr_time asked_at;	/* model time of the question */
};

struct tui_model {
	struct sr_session *ses;
	const struct sr_config *cfg;	/* ses->cfg */
	struct sr_store *st;		/* ses's store */
	sr_time now;			/* ses->now when the model last read the clock */
	int readonly;

	struct sr_incident_list inc;	/* every incident, newest first (the store's order) */
	sr_time inc_loaded_at;
	unsigned inc_gen;		/* bumped whenever inc is reloaded */

	/*
	 * The engine's merged alerts, sorted most severe first, borrowed (not owned): valid
	 * until the next tui_model_feeds_tick. Each alert's feed.change marks it new/changed.
	 */
	struct sr_am_alerts alerts;
	unsigned alerts_gen;		/* bumped whenever alerts may have changed */
	struct tui_panel *panels;
	size_t n_panels;
	struct tui_source src[2];	/* [0] prometheus, [1] alertmanager */
	size_t n_src;

	struct sr_feeds *feeds;		/* every source: live, or the demo recording */
	struct sr_http *http;		/* the engine's client; the loop waits in its poll (may be NULL) */
	int feeds_changed;		/* an answer arrived since tui_model_feeds_tick */
	char *notice;			/* an asynchronous result for the user, or NULL */
	struct tui_series series;	/* the selected alert's expression (one at a time) */
	struct tui_history history;	/* the selected alert's last 24 hours (one at a time) */
	void **hist_out;		/* its questions in flight (freed at exit if still out) */
	size_t n_hist_out;
	void **series_out;		/* the series' questions in flight (the same) */
	size_t n_series_out;
	int notice_error;
	struct sr_config fixture_cfg;	/* the panels and maps of the demo */
	int has_fixture_cfg;

	struct sr_runbook_set runbooks;	/* scanned on first use (tui_model_runbooks) */
	int runbooks_scanned;

	/* live updates from the store, and whether it answers (tui_model_store_tick) */
	sr_time store_offline_since;	/* 0: reachable; else since when it is not */
	int64_t store_retry_ms, store_backoff_ms;	/* next reconnect try (monotonic ms) */
	char *store_error;		/* why it went offline (allocated) */
	/* a reconnection under way without blocking (PostgreSQL: sr_store_ops.connect_step) */
	int store_connecting, store_conn_fd, store_conn_out;
	int64_t store_conn_deadline_ms;
	int store_fd_ready;		/* set by the loop: its poll saw the store's descriptor */
	/*
	 * The watched databases ([postgres NAME]), checked without blocking every
	 * TUI_DB_EVERY_MS from the loop (tui_model_db_tick), never from a draw; the
	 * dashboard shows their last reports.
	 */
	struct sr_dbwatch **db;
	size_t n_db;
	unsigned db_gen;		/* bumped when a check ended */
	/* alert transitions the engine reported, not yet taken by tell.c (which frees them) */
	struct sr_feed_events news;
	struct tui_tell *tell;		/* what is news and until when (tell.c), or NULL */
};

/*
 * The store's descriptor to poll beside the keyboard and curl, or -1 (then tick each second);
 * while reconnecting, the connection's, for what tui_model_store_events says (SR_HTTP_WAIT_IN
 * or SR_HTTP_WAIT_OUT): the loop then ticks every pass, with store_fd_ready set when it
 * was ready.
 */
int tui_model_store_fd(const struct tui_model *m);
short tui_model_store_events(const struct tui_model *m);
/*
 * Takes the store's changes (another console's or the CLI's commits): reloads just the
 * incidents changed, or everything after a reconnection. When the store does not answer it
 * is marked offline (store_offline_since) and tried again with a growing backoff (1 s to
 * 8 s), without blocking where the backend can (connect_step, given up after 10 s); once
 * back, everything is reloaded. now_ms: a monotonic clock. Returns 1 when the
 * screen should be redrawn.
 */
int tui_model_store_tick(struct tui_model *m, int64_t now_ms);

/* Databases watched at most (the loop polls one descriptor each) and how often. */
#define TUI_DB_MAX 8
#define TUI_DB_EVERY_MS 15000
/*
 * The descriptor of database check i under way (-1 when idle) and what to poll it for
 * (SR_HTTP_WAIT_IN or _OUT).
 */
int tui_model_db_fd(const struct tui_model *m, size_t i, short *events);
/*
 * Moves every database check on (ready[i]: its descriptor was ready; NULL: none was);
 * starts those due. Never blocks. Returns 1 when a check ended (redraw).
 */
int tui_model_db_tick(struct tui_model *m, int64_t now_ms, const int *ready);

/*
 * The runbooks of the configured directories and the shipped ones, scanned on the first call.
 * A scan error goes to *err (allocated) once; the set then holds what could be read.
 */
const struct sr_runbook_set *tui_model_runbooks(struct tui_model *m, char **err);
/*
 * The runbook of alert a through the rules of sr_runbook_resolve (label, annotation, map,
 * name). Returns 1 with out filled (path, anchor; name allocated into *name when name is not
 * NULL), or 0 with out->why/closest saying why not. out needs sr_runbook_match_done() always.
 */
int tui_model_runbook_for_alert(struct tui_model *m, const struct sr_am_alert *a,
				struct sr_runbook_match *out, char **name);

/*
 * Opens the model: the session's store (opened when not yet), then the fixtures in dir
 * (NULL: live mode, where feeds are not wired yet and the sources say so). Returns 0 or -1
 * with *err set; tui_model_done() is needed either way.
 */
int tui_model_open(struct tui_model *m, struct sr_session *ses, const char *fixtures,
		   int readonly, char **err);
void tui_model_done(struct tui_model *m);

/* Reads the session's clock (SITREP_NOW when set) into m->now. */
void tui_model_clock(struct tui_model *m);

/*
 * Reloads every incident from the store, first applying escalations that are due (unless
 * read-only; a conflict means another console did it). Returns 0 or -1 with *err set.
 */
int tui_model_reload(struct tui_model *m, char **err);
/*
 * Runs the feed engine: takes the answers that arrived through m->http's poll, starts the
 * sources that are due (with backoff after failures; the demo recording is read at once).
 * Returns 1 when alerts, panels or source states changed since the last call.
 */
int tui_model_feeds_tick(struct tui_model *m);

/*
 * Creates a silence of m (matchers) from now for secs, by the configured user, on every
 * configured Alertmanager (POST /api/v2/silences; the answer arrives later as m->notice) or,
 * with fixtures, on the local alerts only. Returns 0, or -1 with *err (nothing configured).
 */
int tui_model_silence(struct tui_model *m, const struct sr_matchers *ms, int64_t secs,
		      const char *comment, char **err);

/* For the silence prompt: "[matches N of M alerts]" for matcher text, or why it cannot. */
void tui_model_silence_preview(const struct tui_model *m, const char *text, char *out,
			       size_t n);

/*
 * The series of a's expression over the last hour: started (live: a range query to the
 * first Prometheus; demo: the recording expr-FINGERPRINT.json) when a is not the alert
 * asked about last time. Look at ->state: pending until the answer arrives.
 */
const struct tui_series *tui_model_alert_series(struct tui_model *m, const struct sr_am_alert *a);

/*
 * The 24-hour firing history of a's alertname: asked (one range query to the first
 * Prometheus, through the engine's client; never waited for) when a's alertname is not the
 * one asked about last, or that answer is 5 minutes old. Look at ->state: pending until the
 * answer arrives; ERR with ->err saying why there is none (no Prometheus, unreachable, the
 * demo). Call it from an update, never from a draw.
 */
const struct tui_history *tui_model_alert_history(struct tui_model *m,
						  const struct sr_am_alert *a);

/* Loads the timeline of id into out (initialised by the caller). 0 or -1 with *err. */
int tui_model_events(struct tui_model *m, const char *id, struct sr_event_list *out, char **err);

/*
 * Applies ch to incident id the way `sitrep incident` does: load, due escalations, the change,
 * one update. Returns 0 with *done (allocated, "INC-...: acknowledged by ...") or -1 with
 * *err (a conflict says someone else changed it). Reloads the incident list on success.
 */
int tui_model_change(struct tui_model *m, const char *id, const struct sr_change *ch,
		     char **done, char **err);

/*
 * Opens an incident from alert a: severity through the [severity map] of its severity label
 * (P3 when unknown), title from its summary annotation (else its alertname), service from its
 * service/job label, the alert linked. Writes the new id into id (SR_ID_MAX bytes).
 */
int tui_model_incident_from_alert(struct tui_model *m, const struct sr_am_alert *a, char *id,
				  char **err);

/* The incident with id, or NULL. */
const struct sr_incident *tui_model_find(const struct tui_model *m, const char *id);

/*
 * The open incident whose running clock is closest to (or furthest past) its deadline; its
 * deciding deadline goes to *d and its label ("respond", "resolve") to *what. NULL if none.
 */
const struct sr_incident *tui_model_most_urgent(const struct tui_model *m,
						struct sr_deadline *d, const char **what);

/*
 * Fills idx (at least m->inc.n entries) with the indexes of incidents to show, open ones
 * first by urgency (breached, then least time left), then the rest newest first; with
 * open_only only the open ones. Returns the count.
 */
size_t tui_model_order(const struct tui_model *m, size_t *idx, int open_only);

/* Alert accessors: alertname, severity label, summary (or description), "" when absent. */
const char *tui_alert_name(const struct sr_am_alert *a);
const char *tui_alert_severity(const struct sr_am_alert *a);
const char *tui_alert_summary(const struct sr_am_alert *a);
/* The incident severity the [severity map] gives a's severity label (P3 when unknown). */
enum sr_sev tui_alert_sev(const struct tui_model *m, const struct sr_am_alert *a);
/* The incident (open first) that links a's fingerprint, or NULL. */
const struct sr_incident *tui_alert_incident(const struct tui_model *m,
					     const struct sr_am_alert *a);

/*
 * What is known of the alerts when some Alertmanager never gave an answer: "No alerts known"
 * (or "Some alerts not known" when others answered), then " — Alertmanager NAME: ERROR" for
 * each that failed without ever answering (sanitised on display); "Alerts not known yet:
 * waiting for..." while none has answered or failed. Writes "" and returns 0 when every
 * Alertmanager answered at least once (or none is configured): only then does an empty list
 * mean no alerts. Returns 1 when buf says why.
 */
int tui_model_alerts_unknown(const struct tui_model *m, char *buf, size_t n);
/*
 * The dead man's switch ([feeds] watchdog) as a banner, "ALERTING PIPELINE: Watchdog absent
 * for 3m00s", or NULL while the pipeline is provably alive (or no watchdog is configured).
 * Allocated.
 */
char *tui_model_pipeline_banner(const struct tui_model *m);
/*
 * Whether a is a problem to show among the firing alerts of the dashboard and the wallboard:
 * active (not silenced or inhibited) and not the dead man's switch itself ([feeds] watchdog,
 * which fires while all is well: its absence is the banner's business).
 */
int tui_alert_firing_problem(const struct tui_model *m, const struct sr_am_alert *a);
/* Seconds since src last fetched; the state word "ok", "STALE", "ERR", "off". */
const char *tui_source_state(const struct tui_model *m, const struct tui_source *s,
			     int64_t *age);

/*
 * When a failing source of s's kind is tried next, into out: "retry 12s", "retry now",
 * "retrying" (an attempt is running), or "" when none fails. Returns out.
 */
const char *tui_source_retry(const struct tui_model *m, const struct tui_source *s, char *out,
			     size_t n);

/* Makes every source due now (g, C-l): the next tick fetches them. Returns how many. */
size_t tui_model_refresh(struct tui_model *m);

#endif

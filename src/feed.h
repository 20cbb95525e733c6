/* SPDX-License-Identifier: MIT */
/* feed.h: refresh schedule with backoff, last-good cache, staleness and alert transitions. */
#ifndef SR_FEED_H
#define SR_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "alertmgr.h"
#include "clock.h"
#include "config.h"
#include "http.h"
#include "matcher.h"
#include "prom.h"
#include "spool.h"
#include "store.h"

/* An unchanged Alertmanager answer is written to the last-good cache at most this often (s). */
#define SR_FEED_CACHE_EVERY 300

/* The longest wait between two attempts after failures: a failing source is probed this often. */
#define SR_FEED_MAX_BACKOFF 30

/* Schedule state of one source (an Alertmanager, a panel query, a health check). */
struct sr_feed_state {
	char *key;		/* cache key, e.g. "alerts:main", "panel:cpu", "check:api" */
	int64_t interval;	/* seconds between polls when healthy */
	sr_time next_due;	/* when the next attempt should start */
	sr_time last_try;	/* start of the last attempt, 0 = never */
	sr_time last_ok;	/* fetched_at of the last good answer (also from the cache) */
	unsigned failures;	/* consecutive failed attempts */
	char *last_err;		/* the last failure's message, NULL after a success */
	int in_flight;
	int cached;		/* the data shown came from the store, not from this session */
};

/*
 * Seconds to wait before the next attempt: interval when healthy, interval * 2^(failures-1)
 * after failures, then never more than SR_FEED_MAX_BACKOFF (nor less than 1).
 */
int64_t sr_feed_backoff(int64_t interval, unsigned failures);

/* Sets up st for key (copied), due at now. Free with sr_feed_state_done. */
void sr_feed_state_init(struct sr_feed_state *st, const char *key, int64_t interval, sr_time now);
void sr_feed_state_done(struct sr_feed_state *st);
/* True when no attempt is running and next_due has come. */
int sr_feed_due(const struct sr_feed_state *st, sr_time now);
/* Marks an attempt as started at now. */
void sr_feed_started(struct sr_feed_state *st, sr_time now);
/* Records a good answer fetched at now: failures reset, next poll one interval later. */
void sr_feed_succeeded(struct sr_feed_state *st, sr_time now);
/* Records a failure (err is copied): the next attempt backs off exponentially. */
void sr_feed_failed(struct sr_feed_state *st, sr_time now, const char *err);
/* Seconds since the last good answer, or -1 when there never was one. */
int64_t sr_feed_age(const struct sr_feed_state *st, sr_time now);
/*
 * True when the data shown is not current: there is no good answer yet, it came from the
 * store, the last attempt failed, or the last good answer is older than two intervals.
 */
int sr_feed_stale(const struct sr_feed_state *st, sr_time now);
/* Milliseconds until the earliest due source among n (0 when one is due; max_ms caps it). */
int sr_feed_wait_ms(const struct sr_feed_state *st, size_t n, sr_time now, int max_ms);

/*
 * The last good answer of a source, kept in the store so a console started with the network
 * down still has data. Save returns 0 or -1 with *err; load returns 1 (found, *body
 * allocated), 0 (nothing cached) or -1 with *err.
 */
int sr_feed_cache_save(struct sr_store *store, const char *key, const char *body, size_t len,
		       sr_time fetched_at, char **err);
int sr_feed_cache_load(struct sr_store *store, const char *key, char **body, size_t *len,
		       sr_time *fetched_at, char **err);
/* Save for an answer kept in a spool: never held whole in memory (where the store can). */
struct sr_spool;
int sr_feed_cache_save_spool(struct sr_store *store, const char *key, struct sr_spool *sp,
			     sr_time fetched_at, char **err);

/* Alert transitions between two polls. */
enum sr_feed_ev_kind {
	SR_FEED_EV_FIRING,	/* new, active */
	SR_FEED_EV_RESOLVED,	/* gone (or ended) since the last poll */
	SR_FEED_EV_SILENCED,	/* was active, now silenced */
	SR_FEED_EV_UNSILENCED,	/* was silenced, active again */
};

struct sr_feed_event {
	enum sr_feed_ev_kind kind;
	char *fingerprint;
	char *alertname;	/* "" when the alert has no alertname label */
	char *silenced_by;	/* first silence ID for SILENCED, else NULL */
	sr_time at;
};

struct sr_feed_events {
	struct sr_feed_event *v;
	size_t n, cap;
};

/* "firing", "resolved", "silenced", "unsilenced". */
const char *sr_feed_ev_name(enum sr_feed_ev_kind k);

/*
 * Appends to out the transitions from prev to cur (both as fetched, any order), stamped now.
 * An alert whose ends_at is not after now counts as resolved. prev NULL means "no earlier
 * poll": nothing is reported (what was already firing is not news).
 */
void sr_feed_alert_diff(const struct sr_am_alerts *prev, const struct sr_am_alerts *cur,
			sr_time now, struct sr_feed_events *out);
void sr_feed_events_done(struct sr_feed_events *ev);

/*
 * --- dead man's switch: the always-firing alert ([feeds] watchdog) ---
 * The pipeline (Prometheus -> Alertmanager -> sitrep) is provably alive only while that
 * alert is seen; missing from every Alertmanager for longer than watchdog_grace, it is dead.
 */
enum sr_watchdog_health {
	SR_WD_OFF,	/* no [feeds] watchdog configured */
	SR_WD_ALIVE,	/* seen, or missing for no longer than the grace */
	SR_WD_ABSENT,	/* missing for longer than the grace (or never seen since then) */
};
struct sr_watchdog {
	enum sr_watchdog_health health;
	const char *name;	/* the alert's name (cfg's), NULL when off */
	int64_t absent_for;	/* seconds missing (0 when seen at now); -1: never seen */
};
/* The alert name [feeds] watchdog configures ("yes" means "Watchdog"), or NULL when off. */
const char *sr_watchdog_name(const struct sr_config *cfg);
/* True when an alert named name is in al and has not ended at now. */
int sr_watchdog_in(const struct sr_am_alerts *al, const char *name, sr_time now);
/*
 * Pure judgement: last seen at last_seen (0 = never), watched since `since` (when the
 * watching began: a console's start; 0 for a one-shot command, which then needs a sighting).
 */
void sr_watchdog_judge(const struct sr_config *cfg, sr_time last_seen, sr_time since,
		       sr_time now, struct sr_watchdog *out);
/*
 * The banner for an ABSENT watchdog: "ALERTING PIPELINE: Watchdog absent for 3m" (or "...
 * not seen since sitrep started"), else NULL. Allocated.
 */
char *sr_watchdog_banner(const struct sr_watchdog *w);

/*
 * --- the feed engine: every source of one console or command, polled from one loop ---
 *
 * Sources are the [alertmanager] sections (read while they arrive, through sr_am_reader),
 * the [panel] range queries, the [check] probes, or, in demo mode, a recorded directory
 * (alerts.json, panel-NAME.json, expr-FINGERPRINT.json, with {{now-5m}} style times) read as
 * if it had been fetched: the demo is one more transport, not a branch of its callers.
 */

/* What came back last from a source, stashed by the HTTP callback until sr_feeds_update. */
struct sr_feeds_reply {
	int ready;
	long status;
	char *body;		/* collected answers (panels, checks, non-2xx of an Alertmanager) */
	size_t len;
	char *err;
	double seconds;
	int streamed, sink_failed;
};

struct sr_feeds;

struct sr_feeds_am {
	struct sr_feeds *f;
	const char *name;		/* the instance name ("demo" for the recording) */
	const struct sr_source *src;	/* NULL for the demo source */
	uint64_t bit;			/* this instance's bit in struct sr_am_seen */
	struct sr_feed_state st;
	/* the answer being read */
	struct sr_am_reader *rd;
	struct sr_spool *spool;		/* its raw bytes, for the last-good cache (or NULL) */
	char *rerr;
	size_t n_read, n_skipped;	/* alerts parsed, alerts known from the same bytes */
	sr_time saved_at;		/* when the last good copy was last written to the store */
	struct sr_feeds_reply reply;
};

struct sr_feeds_panel {
	const struct sr_panel *panel;
	const struct sr_source *src;	/* live: NULL when its [prometheus] source is missing */
	struct sr_feed_state st;
	struct sr_prom_result res;	/* the last good result (a range query) */
	int has_res;
	struct sr_feeds_reply reply;
};

struct sr_feeds_check {
	const struct sr_check *check;
	struct sr_feed_state st;
	int has_result, ok;
	long status;
	double latency_ms;
	char *detail;		/* the failure, or NULL */
	struct sr_feeds_reply reply;
};

/* A silence the demo source applies to what it reads (nothing is sent anywhere). */
struct sr_feeds_silence {
	struct sr_matchers ms;
	char *id;
	sr_time until;
};

/* Which kinds of data changed since the caller last cleared the flags. */
#define SR_FEEDS_ALERTS 0x1
#define SR_FEEDS_PANELS 0x2
#define SR_FEEDS_CHECKS 0x4

/* The longest merged alert list an engine handles: one bit per Alertmanager in a mask. */
#define SR_FEEDS_MAX_AM 64

struct sr_feeds {
	const struct sr_config *cfg;
	struct sr_store *store;		/* last-good cache; may be NULL */
	struct sr_http *http;		/* NULL when libcurl could not start (http_err says why) */
	char *http_err;
	char *demo;			/* the recording's directory, or NULL: live sources */
	struct sr_feeds_am *am;
	size_t n_am;
	struct sr_feeds_panel *panels;
	size_t n_panels;
	struct sr_feeds_check *checks;
	size_t n_checks;
	/*
	 * Merged over every Alertmanager by fingerprint (an HA pair's copies are one alert
	 * whose instances name both), sorted most severe first. One copy of each alert is held:
	 * an answer replaces an alert's copy in place as it is read, and an alert whose bytes
	 * are unchanged since it was read is not parsed again. It changes while requests are
	 * moved along (sr_feeds_wait): a caller that keeps a view of it takes it again after.
	 */
	struct sr_am_alerts alerts;
	int have_alerts;		/* alerts is a baseline for transitions (cached, or all answered) */
	struct sr_feed_events events;	/* transitions not yet taken by the caller */
	unsigned changed;		/* SR_FEEDS_* flags; the caller clears them */
	struct sr_feeds_silence *sil;	/* demo silences */
	size_t n_sil;
	/* private: the instance-name lists the alerts borrow, one per set of instances seen */
	struct sr_feeds_names {
		uint64_t mask;
		char **v;
		size_t n;
	} *names;
	size_t n_names;
	/* private: fingerprint and raw-bytes indexes into alerts (index + 1, 0 = empty) */
	size_t *fp_slot, *raw_slot, n_slot, n_indexed;
	uint64_t cur_hash;
	size_t cur_len;
	sr_time now;
	/* private: what sr_feeds_open was asked (see struct sr_feeds_opts) */
	struct sr_am_filter am_filter;
	const struct sr_matchers *match;
	int cache_late, no_save;
	sr_time started;	/* when the engine began watching (sr_feeds_new's now) */
	sr_time wd_seen;	/* the watchdog alert was last seen (0 = not yet) */
};

/*
 * Sets up the sources of cfg (which must outlive f), all due at now: live, every
 * [alertmanager], [panel] and [check]; with demo (a directory), its recording in their place.
 * Last good answers found in store (may be NULL) are loaded, so data shows at once, marked
 * stale, with its age. Never fails: when libcurl cannot start, live sources fail with
 * f->http_err when they are due.
 */
struct sr_feeds *sr_feeds_new(const struct sr_config *cfg, struct sr_store *store,
			      const char *demo, sr_time now);
/*
 * What a one-shot command asks of the engine (sr_feeds_new asks for all of the defaults):
 * the kinds of sources (SR_FEEDS_* flags, 0: all), the Alertmanagers' state filter (NULL:
 * active, silenced and inhibited), the matchers sent with every alerts request and applied
 * to what the cache and the demo give (NULL: none; must outlive f), and the last-good cache:
 * read at start (a console: data at once), or only for an Alertmanager whose answer failed
 * (a command: no parse of the cache when the server answers), and written or not.
 */
enum sr_feeds_cache { SR_FEEDS_CACHE_START, SR_FEEDS_CACHE_ON_FAILURE };
struct sr_feeds_opts {
	unsigned kinds;
	const struct sr_am_filter *am_filter;
	const struct sr_matchers *match;
	enum sr_feeds_cache cache;
	int no_save;
};
struct sr_feeds *sr_feeds_open(const struct sr_config *cfg, struct sr_store *store,
			       const char *demo, sr_time now, const struct sr_feeds_opts *o);
/*
 * Asks every source once and waits until each has answered or failed (a command's fetch):
 * the alerts are then in f->alerts, merged, and each instance's failure in f->am[i].st
 * (last_err; cached and last_ok when its last good answer stands in). 0, or -1 with *err
 * when libcurl failed.
 */
int sr_feeds_once(struct sr_feeds *f, sr_time now, char **err);
/* Aborts running requests and frees f (NULL is fine). */
void sr_feeds_free(struct sr_feeds *f);
/*
 * Takes in what completed (stamped now): keeps it as last good (and in the store), backs off
 * failed sources, records alert transitions in f->events and on each alert (feed.change);
 * then starts every source that is due (the demo's are read at once). Never blocks. Returns
 * 0, or -1 with *err set when a request cannot be started (the source then backs off like
 * any failure).
 */
int sr_feeds_update(struct sr_feeds *f, sr_time now, char **err);
/* Makes every source not in flight due now (the user asked: g, C-l); returns how many. */
size_t sr_feeds_poll_all_now(struct sr_feeds *f, sr_time now);
/* Makes every Alertmanager source due now (after a silence, say). */
void sr_feeds_poll_alerts_now(struct sr_feeds *f, sr_time now);
/* Milliseconds until the next source is due (at most max_ms). */
int sr_feeds_wait_ms(const struct sr_feeds *f, sr_time now, int max_ms);
/*
 * Waits at most timeout_ms for network activity or the extra descriptors (stdin, ...), and
 * moves transfer work along. Returns the number of requests in flight, or -1 with *err.
 */
int sr_feeds_wait(struct sr_feeds *f, struct sr_http_waitfd *extra, unsigned n_extra,
		  int timeout_ms, char **err);
/* True when any request is in flight. */
int sr_feeds_busy(const struct sr_feeds *f);

/* The state of one kind of source (SR_FEEDS_ALERTS, _PANELS or _CHECKS), for a header. */
enum sr_feeds_health { SR_FEEDS_OFF, SR_FEEDS_WAIT, SR_FEEDS_OK, SR_FEEDS_STALE, SR_FEEDS_ERR };
struct sr_feeds_status {
	enum sr_feeds_health health;
	sr_time fetched_at;	/* the oldest last good answer among them, 0 = none yet */
	const char *err;	/* a failure to show, or NULL (valid until the next update) */
	sr_time next_try;	/* the earliest next attempt of a failing source, 0 = none due */
	int retrying;		/* a failing source is being tried right now */
};
/*
 * off: none configured; wait: no answer and no failure yet; ERR: no good answer, only
 * failures; STALE: sr_feed_stale() of any of them (failed since, cached, or too old); ok.
 */
void sr_feeds_status(const struct sr_feeds *f, unsigned kind, sr_time now,
		     struct sr_feeds_status *out);
/* The dead man's switch as this engine sees it at now (see struct sr_watchdog). */
void sr_feeds_watchdog(const struct sr_feeds *f, sr_time now, struct sr_watchdog *out);

/* "off", "wait", "ok", "STALE", "ERR". */
const char *sr_feeds_health_name(enum sr_feeds_health h);

/*
 * Demo mode: a silence of ms (copied) until `until`, applied by the demo source to what it
 * reads from now on (the alerts are read again at once). Returns the number of alerts it
 * matches now, or -1 with *err when f is not in demo mode.
 */
long sr_feeds_silence_demo(struct sr_feeds *f, const struct sr_matchers *ms, sr_time until,
			   sr_time now, char **err);

/*
 * The range of expr over the hour before now, for the alert with fingerprint: live, a query
 * to the first [prometheus] (cb is called from sr_feeds_wait); demo, the recording
 * expr-FINGERPRINT.json (cb is called before this returns). Returns 0, or -1 with *err.
 */
int sr_feeds_series(struct sr_feeds *f, const char *fingerprint, const char *expr, sr_time now,
		    sr_http_cb cb, void *arg, char **err);

/*
 * One-shot requests of a command, all at once on one curl multi handle: sr_feed_jobs_run
 * submits every job and returns when all have finished. A job that could not start has err
 * set. Returns 0, or -1 with *err when libcurl fails.
 */
struct sr_feed_job {
	const char *name;		/* source name, for messages */
	char *url;			/* owned */
	const struct sr_transport *t;
	const char *method;
	char *body;			/* request body or NULL; owned */
	sr_http_sink sink;		/* takes a 2xx answer as it arrives (NULL: collected) */
	void *sink_arg;
	/* results */
	int done, streamed, sink_failed;
	long status;
	char *resp;
	size_t len;
	char *err;
	double seconds;
};
int sr_feed_jobs_run(struct sr_feed_job *jobs, size_t n, char **err);
void sr_feed_jobs_free(struct sr_feed_job *jobs, size_t n);

#endif

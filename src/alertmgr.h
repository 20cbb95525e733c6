/* SPDX-License-Identifier: MIT */
/* alertmgr.h: Alertmanager API v2: alerts, groups and silences; merging several instances. */
#ifndef SR_ALERTMGR_H
#define SR_ALERTMGR_H

#include <stddef.h>
#include <stdint.h>

#include "answer.h"
#include "clock.h"
#include "matcher.h"
#include "util.h"

enum sr_am_state { SR_AM_ACTIVE, SR_AM_SUPPRESSED, SR_AM_UNPROCESSED };

/* What changed about an alert at the last answer that touched it (the console marks rows). */
enum sr_am_change { SR_AM_SAME, SR_AM_NEW, SR_AM_CHANGED };

/*
 * The feed engine's bookkeeping on one merged alert. Bit i of a mask stands for the engine's
 * Alertmanager i (at most 64).
 */
struct sr_am_seen {
	uint64_t raw_hash;	/* hash of the bytes this copy was read from */
	size_t raw_len;
	uint64_t seen;		/* instances whose last good answer had it */
	uint64_t pass;		/* instances whose answer being read has it */
	uint64_t active_in;	/* instances that report it active */
	enum sr_am_state raw_state;	/* the state in the bytes this copy was read from */
	int shown;		/* the transition state at the last commit (private) */
	enum sr_am_change change;
	sr_time change_at;	/* when change was recorded */
};

struct sr_am_alert {
	char *fingerprint;
	struct sr_label *labels;
	size_t n_labels;
	struct sr_label *annotations;
	size_t n_annotations;
	sr_time starts_at, ends_at, updated_at;	/* 0 when absent */
	char *generator_url;
	enum sr_am_state state;
	char **silenced_by;	/* silence IDs */
	size_t n_silenced_by;
	char **inhibited_by;	/* fingerprints of inhibiting alerts */
	size_t n_inhibited_by;
	char **receivers;
	size_t n_receivers;
	char **instances;	/* names of the Alertmanagers that reported it (merge) */
	size_t n_instances;
	struct sr_am_seen feed;	/* kept by the feed engine (src/feed.c); zero elsewhere */
	void *pack;	/* non-NULL after sr_am_alert_pack: the one block that holds the rest */
};

struct sr_am_alerts {
	struct sr_am_alert *v;
	size_t n, cap;
};

struct sr_am_group {
	struct sr_label *labels;
	size_t n_labels;
	char *receiver;
	struct sr_am_alerts alerts;
};

struct sr_am_groups {
	struct sr_am_group *v;
	size_t n;
};

struct sr_am_silence {
	char *id;
	struct sr_matchers matchers;	/* regexes are not compiled here */
	sr_time starts_at, ends_at, updated_at;
	char *created_by;
	char *comment;
	char *state;		/* "active", "pending", "expired" */
};

struct sr_am_silences {
	struct sr_am_silence *v;
	size_t n;
};

/* Which alerts GET /api/v2/alerts returns (amtool's defaults: active only). */
struct sr_am_filter {
	int active, silenced, inhibited, unprocessed;
};

/* "active", "suppressed", "unprocessed". */
const char *sr_am_state_name(enum sr_am_state s);
/*
 * What a's state means to a reader, the one answer both front ends show: "silenced" (a silence
 * matches it), "inhibited" (suppressed by another alert), "active" or "unprocessed".
 */
const char *sr_am_alert_state(const struct sr_am_alert *a);
/* True when a is silenced or inhibited (not firing at anyone). */
int sr_am_alert_suppressed(const struct sr_am_alert *a);

/* URL of GET /api/v2/alerts with f and the matchers as filter parameters. Allocated. */
char *sr_am_alerts_url(const char *base, const struct sr_am_filter *f,
		       const struct sr_matchers *m);
/* URLs of /api/v2/alerts/groups, /api/v2/silences and /api/v2/silence/{id} (GET, DELETE). */
char *sr_am_groups_url(const char *base, const struct sr_am_filter *f,
		       const struct sr_matchers *m);
char *sr_am_silences_url(const char *base);
char *sr_am_silence_url(const char *base, const char *id);

/*
 * The readers of whole answers (answer.h says what they take, return and fail with): GET
 * /api/v2/alerts, /alerts/groups, /silences, /silence/{id} (freed with sr_am_silence_done)
 * and POST /api/v2/silences (*out is the new silence's id, allocated).
 */
SR_ANSWER_READER(sr_am_parse_alerts, struct sr_am_alerts);
SR_ANSWER_READER(sr_am_parse_groups, struct sr_am_groups);
SR_ANSWER_READER(sr_am_parse_silences, struct sr_am_silences);
SR_ANSWER_READER(sr_am_parse_silence, struct sr_am_silence);
SR_ANSWER_READER(sr_am_parse_silence_id, char *);
/*
 * Streams the alerts of a GET /api/v2/alerts answer: fn gets each alert as it is read and may
 * take it (copy the struct and zero it); otherwise it is freed after fn returns. On a failure
 * part-way, fn has already seen the alerts before it. Same errors as sr_am_parse_alerts.
 */
typedef void (*sr_am_alert_fn)(void *arg, struct sr_am_alert *a);
int sr_am_parse_alerts_each(const char *body, size_t len, long status, const char *url,
			    sr_am_alert_fn fn, void *arg, char **err);
/*
 * The same reading done incrementally, for a 2xx answer fed as it arrives: fn gets each
 * alert as soon as its last byte has been fed (and may take it, as above); at most one
 * alert of at most max bytes is held. feed and end return 0, or -1 with *err in the same
 * words as sr_am_parse_alerts ("unexpected response from URL: ..."); after a failure the
 * reader takes no more. sr_am_reader_count says how many array elements were read.
 */
struct sr_am_reader;
struct sr_am_reader *sr_am_reader_new(const char *url, size_t max, sr_am_alert_fn fn,
				      void *arg);
int sr_am_reader_feed(struct sr_am_reader *x, const char *p, size_t n, char **err);
int sr_am_reader_end(struct sr_am_reader *x, char **err);
size_t sr_am_reader_count(const struct sr_am_reader *x);
/*
 * Gives x a look at each element's bytes before it is parsed: when skip returns 1 the element
 * is taken as read (an alert already known from exactly these bytes) and fn is not called.
 */
typedef int (*sr_am_skip_fn)(void *arg, const char *elem, size_t len);
void sr_am_reader_skip(struct sr_am_reader *x, sr_am_skip_fn skip);
void sr_am_reader_free(struct sr_am_reader *x);
void sr_am_silence_done(struct sr_am_silence *s);
/* "active", "pending" or "expired": as the Alertmanager said, else from the times and now. */
const char *sr_am_silence_state(const struct sr_am_silence *s, sr_time now);
/* Checks the answer to DELETE (or any call whose body does not matter). */
int sr_am_check_status(const char *body, size_t len, long status, const char *url, char **err);

/*
 * The JSON body of POST /api/v2/silences: matchers, from start to end, author and comment.
 * id may be NULL (a new silence). Allocated.
 */
char *sr_am_silence_json(const struct sr_matchers *m, sr_time start, sr_time end,
			 const char *created_by, const char *comment, const char *id);
/*
 * The body that extends active or pending silence s (same id, matchers, start, author,
 * comment) to until, or (until 0) by seconds past its end (past now if it is already behind).
 * 0 with *body allocated, or -1 with *err: s has expired, or the new end is not later.
 */
int sr_am_silence_extend_json(const struct sr_am_silence *s, sr_time now, int64_t by, sr_time until,
			      char **body, char **err);
/*
 * The body of a new silence with the matchers of expired silence s, from now for secs, by
 * user, with comment (NULL: s's own). 0 with *body allocated, or -1 with *err (s not expired).
 */
int sr_am_silence_recreate_json(const struct sr_am_silence *s, sr_time now, int64_t secs,
				const char *user, const char *comment, char **body, char **err);
/* Equality matchers for every label of an alert (a silence for exactly that alert). */
void sr_am_matchers_from_labels(struct sr_matchers *out, const struct sr_label *labels,
				size_t n);

/*
 * Moves the alerts of src into dst, tagged with instance: an alert whose fingerprint is
 * already in dst only gains the instance name (and its silences/inhibitions; it stays
 * active when any instance says so). src is left empty.
 */
/*
 * Moves everything a owns except instances into one allocation (a->pack) so that a held alert
 * costs one block, not one per string: for lists kept long (the feed engine's). A packed alert's
 * fields are read-only; sr_am_alert_done frees the block, and leaves instances alone (the
 * packer's owner sets them and keeps them alive while the alert lives).
 */
void sr_am_alert_pack(struct sr_am_alert *a);
void sr_am_alerts_merge(struct sr_am_alerts *dst, struct sr_am_alerts *src, const char *instance);
/* Sorts by severity label order critical, error, warning, info, other; then start, name. */
void sr_am_alerts_sort(struct sr_am_alerts *a);

void sr_am_alert_done(struct sr_am_alert *a);
void sr_am_alerts_done(struct sr_am_alerts *a);
void sr_am_groups_done(struct sr_am_groups *g);
void sr_am_silences_done(struct sr_am_silences *s);

#endif

/* SPDX-License-Identifier: MIT */
/* store.h: where incidents, timelines and last-good feed data live; an ops table per backend. */
#ifndef SR_STORE_H
#define SR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "chain.h"
#include "stats.h"
#include "incident.h"
#include "oncall.h"

struct sr_store;

/* List filters. */
#define SR_LIST_OPEN 0x1	/* only incidents neither resolved nor closed */
#define SR_LIST_ALL 0x0
/*
 * Open incidents plus the SR_LIST_RECENT_N newest resolved or closed ones: what a console
 * shows, bounded however long the store's history grows.
 */
#define SR_LIST_RECENT 0x2
#define SR_LIST_RECENT_N 100

/* Which action items sr_store_ops.actions returns. */
struct sr_action_filter {
	int open_only;		/* only those not done */
	const char *owner;	/* NULL: any */
	const char *incident;	/* NULL: any */
};

/* --- the outbox: status messages on their way to Slack or Mattermost --- */

enum sr_outbox_state {
	SR_OB_PENDING,	/* waiting to be sent (at next_at) */
	SR_OB_SENDING,	/* a sender (claimed_by) is posting it now */
	SR_OB_SENT,	/* delivered: the receiver said so */
	SR_OB_FAILED,	/* given up (a 4xx or Slack error other than rate limiting) */
	SR_OB_UNKNOWN,	/* its sender died mid-post to a webhook: it may have arrived */
};
const char *sr_outbox_state_name(enum sr_outbox_state s);	/* "pending", ... */

struct sr_outbox_msg {
	int64_t id;		/* set by the store */
	char incident[SR_ID_MAX];
	char *target;		/* the config target's name */
	char *kind;		/* "update", ... */
	char *payload;		/* the JSON body to post (channel and thread added at send) */
	char *text;		/* the message as text, for people */
	char *error;		/* the last failure, e.g. Slack's "channel_not_found" */
	char *ts;		/* chat.postMessage's ts once delivered */
	enum sr_outbox_state state;
	int attempts;
	int64_t claimed_by;	/* pid of the sender while SENDING */
	char *claimed_host;	/* and its host (NULL: unknown, a claim older than schema 8/3) */
	int64_t claimed_at;	/* when claimed (ms since the epoch): the lease runs from here */
	sr_time created_at;	/* when queued, by the wall clock */
	int64_t next_at;	/* not before: milliseconds since the epoch */
	int64_t sent_ms;	/* delivery time, milliseconds since the epoch */
};

struct sr_outbox_list {
	struct sr_outbox_msg *v;
	size_t n, cap;
};

void sr_outbox_msg_done(struct sr_outbox_msg *m);
void sr_outbox_list_done(struct sr_outbox_list *l);

/*
 * Who claims an outbox message: a sender process (pid) on a host, at at_ms. A claim made on
 * this host is judged by its pid (kill 0); one made on another host cannot be, so it is
 * taken over only once its lease (sr_outbox_lease_ms) ran out.
 */
struct sr_outbox_claimer {
	int64_t pid;
	const char *host;
	int64_t at_ms;
	int64_t seen_at;	/* taking over from SENDING: the claimed_at seen (compare-and-set) */
};

/* Which outbox messages to list (NULL / 0 = no filter), oldest first. */
struct sr_outbox_filter {
	const char *incident;
	const char *target;
	int undelivered;	/* only pending, sending, failed and unknown */
	int64_t id;		/* just this one */
};

/* Incidents changed since the last look (live updates; see sr_store_changes). */
struct sr_store_changes {
	char (*ids)[SR_ID_MAX];	/* distinct ids, in the order first seen */
	size_t n, cap;
	int all;		/* changes may have been missed (reconnected): reload everything */
};

/* What `sitrep store info` shows. */
struct sr_store_info {
	int schema_version;
	char schema[64];	/* PostgreSQL schema, "" for SQLite */
	char server[96];	/* "PostgreSQL 15.x", "SQLite 3.x" */
	int64_t incidents, open, events, alert_links;
};

/* Gives up to n more bytes in buf; returns how many (at least 1), or 0 or less on failure. */
typedef long (*sr_store_read_fn)(void *arg, char *buf, size_t n);

/* A backend's rows of an update or send in one transaction: 0 committed, -1 rolled back. */
struct sr_store;
typedef int (*sr_store_rows_fn)(struct sr_store *st, struct sr_incident *inc,
				struct sr_event_list *ev, struct sr_outbox_msg *msg, int *conflict,
				char **err);

/*
 * Every operation returns 0 on success or -1 with *err set (allocated, caller frees). A
 * write is one transaction: on failure nothing of it is stored. Errors name the database
 * and the incident concerned.
 */
struct sr_store_ops {
	const char *name;	/* "sqlite", "postgresql" */
	void (*close)(struct sr_store *st);

	/*
	 * Stores a new incident with its events. Allocates the next id for inc's creation
	 * year (INC-YYYY-NNN, no gaps, no duplicates across processes), writes it into
	 * inc->id, inc->year, inc->seq and the events' incident field, and sets
	 * inc->version to 1.
	 */
	int (*create)(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev,
		      char **err);
	/* Loads one incident. An unknown id fails with "no incident ID". */
	int (*get)(struct sr_store *st, const char *id, struct sr_incident *out, char **err);
	/*
	 * Writes inc's fields and appends the events, provided the stored version is still
	 * inc->version; then increments inc->version. When another writer got there first it
	 * fails with a conflict error ("INC-... was changed by someone else ...") and writes
	 * nothing; *conflict (when not NULL) is set to 1 in that case, 0 otherwise.
	 */
	int (*update)(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev,
		      int *conflict, char **err);
	/* Appends incidents (newest first) to out. flags: SR_LIST_OPEN, SR_LIST_RECENT or SR_LIST_ALL. */
	int (*list)(struct sr_store *st, unsigned flags, struct sr_incident_list *out,
		    char **err);
	/* Appends inc's timeline to out, oldest first. */
	int (*events)(struct sr_store *st, const char *id, struct sr_event_list *out, char **err);

	/* Last good answer of a feed source (body bytes and when it was fetched). */
	int (*cache_put)(struct sr_store *st, const char *source, const char *body, size_t len,
			 int64_t fetched_at, char **err);
	/*
	 * The same for a body too large to hold whole: len bytes come from rd, and the store
	 * keeps at most a small part of them in memory at a time. NULL when not supported.
	 */
	int (*cache_put_stream)(struct sr_store *st, const char *source, size_t len,
				int64_t fetched_at, sr_store_read_fn rd, void *arg, char **err);
	/* Returns 1 with *body (allocated) when present, 0 when absent, -1 on error. */
	int (*cache_get)(struct sr_store *st, const char *source, char **body, size_t *len,
			 int64_t *fetched_at, char **err);

	/*
	 * --- the verifiable timeline (chain.h) ---
	 * create and update give every event its position and hash and move the incident's
	 * chain head, in their transaction. chain_walk calls fn for every stored event of
	 * incident id (of every incident when id is NULL) as it is stored now, ordered by
	 * incident then by row id, with the incident's recorded head; then once (row id 0) for
	 * each incident that has no event left. An unknown id fails with "no incident ID".
	 */
	int (*chain_walk)(struct sr_store *st, const char *id, sr_chain_fn fn, void *arg,
			  char **err);
	/* The recorded head of id's chain: its number of events and last hash. */
	int (*chain_head)(struct sr_store *st, const char *id, int64_t *n,
			  char hash[SR_HASH_HEX], char **err);

	/*
	 * --- post-mortem: review fields and action items ---
	 * get fills inc->review and inc->actions (list leaves them empty). create and update
	 * write every review field that is not NULL (a NULL one is left as stored: fields are
	 * never cleared) and every action with id 0 (inserted; its id is set) or dirty (its
	 * done_at and done_by written; dirty cleared), in their transaction.
	 */
	/* Appends the action items matching f across incidents to out, by due date then id. */
	int (*actions)(struct sr_store *st, const struct sr_action_filter *f,
		       struct sr_action_list *out, char **err);
	/*
	 * Streams to k, from one snapshot: every incident created in [q->since, q->until) (of
	 * q->service), each followed by its escalation events and its update_sent events at or
	 * after q->since, the updates in time order. They come from the incident's own row
	 * (its stats_events summary, SR_STORE_STATS_COLS): one row read per incident.
	 */
	int (*stats)(struct sr_store *st, const struct sr_stats_query *q,
		     const struct sr_stats_sink *k, char **err);

	/*
	 * --- the outbox ---
	 * As update, and in the same transaction queues msg in the outbox (state pending):
	 * the "update sent" event and the message are stored together or not at all. Sets
	 * msg->id.
	 */
	int (*send)(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev,
		    struct sr_outbox_msg *msg, int *conflict, char **err);
	/* The backend's part of send (sr_store_send_tx frames it): the rows, one transaction. */
	sr_store_rows_fn send_rows;
	/* Appends the messages matching f to out, oldest first. */
	int (*outbox_list)(struct sr_store *st, const struct sr_outbox_filter *f,
			   struct sr_outbox_list *out, char **err);
	/*
	 * Takes message id for sending: when its state is from (and, from SENDING, its claim
	 * is still the one made at by->seen_at), sets it to SENDING claimed by by (pid, host,
	 * at_ms) with one more attempt, and *claimed = 1; else *claimed = 0. Atomic across
	 * processes and hosts: two senders never both claim a message.
	 */
	int (*outbox_claim)(struct sr_store *st, int64_t id, enum sr_outbox_state from,
			    const struct sr_outbox_claimer *by, int *claimed, char **err);
	/*
	 * Writes m's state, attempts, claimed_by, claimed_host, claimed_at, next_at, sent_ms,
	 * error and ts.
	 */
	int (*outbox_set)(struct sr_store *st, const struct sr_outbox_msg *m, char **err);
	/* Deletes an undelivered message; a delivered one is refused. */
	int (*outbox_drop)(struct sr_store *st, int64_t id, char **err);

	/*
	 * Copies inc and its events verbatim (id, year, sequence, version, event ids; review
	 * fields and action items with their ids), for `sitrep store migrate`, in one
	 * transaction; the year's id sequence moves past it and the timeline is chained as
	 * sitrep chains it (same content, same hashes). An incident whose id is already there
	 * is left alone and *existed set to 1.
	 */
	int (*import)(struct sr_store *st, const struct sr_incident *inc,
		      const struct sr_event_list *ev, int *existed, char **err);
	/*
	 * The same for an on-call override and an outbox message (its incident copied first),
	 * with their ids and every field: one whose id is there already is left alone.
	 */
	int (*override_import)(struct sr_store *st, const struct sr_override *o, int *existed,
			       char **err);
	int (*outbox_import)(struct sr_store *st, const struct sr_outbox_msg *m, int *existed,
			     char **err);

	/*
	 * Live updates. watch starts noticing changes made by anyone (this connection
	 * included); watch_fd is a descriptor to poll for reading beside the others (-1 when
	 * the backend has none: then call changes once per tick); changes appends the ids
	 * of incidents created or changed since the last call.
	 */
	int (*watch)(struct sr_store *st, char **err);
	int (*watch_fd)(struct sr_store *st);
	int (*changes)(struct sr_store *st, struct sr_store_changes *out, char **err);

	/* Backend facts and counts. */
	int (*info)(struct sr_store *st, struct sr_store_info *out, char **err);
	/* One round trip to the database (reconnecting if needed): 0 when it answered. */
	int (*ping)(struct sr_store *st, char **err);

	/*
	 * On-call overrides (table oncall_overrides, see docs/architecture.md). add stores o
	 * (rotation, who, from < until, created, created_by) and sets o->id. list appends, in
	 * order of start then id, the overrides of rotation (NULL: every rotation, names
	 * compared without case) that end after ending_after and start before starting_before
	 * (INT64_MAX: no bound): those overlapping that window. remove deletes one by id; an
	 * unknown id fails with "no override ID".
	 */
	int (*override_add)(struct sr_store *st, struct sr_override *o, char **err);
	int (*override_list)(struct sr_store *st, const char *rotation, sr_time ending_after,
			     sr_time starting_before, struct sr_override_list *out, char **err);
	int (*override_remove)(struct sr_store *st, int64_t id, char **err);

	/*
	 * Reconnecting without blocking, for a console's one poll loop (NULL for a backend
	 * with no connection: SQLite). After connect_async, an operation never connects by
	 * itself: with the connection lost it fails at once ("unreachable (reconnecting)").
	 * connect_step starts a connection when none is under way, else moves it on once its
	 * descriptor is ready: 1 connected (session set up, LISTEN again; the next changes()
	 * says everything changed), 0 under way (poll *fd for writing when *out, else for
	 * reading), -1 failed (*err; the next call starts again). It keeps no deadline:
	 * connect_stop gives up an attempt under way whose time ran out.
	 */
	void (*connect_async)(struct sr_store *st);
	int (*connect_step)(struct sr_store *st, int *fd, int *out, char **err);
	void (*connect_stop)(struct sr_store *st);
};

struct sr_store {
	const struct sr_store_ops *ops;
	char *where;	/* path or URL, with any password removed: safe to print */
};

/*
 * Opens the store named by where: a "postgresql://" or "postgres://" URL, else a SQLite file
 * path (its directory is created when missing). Returns NULL with *err set on failure.
 */
struct sr_store *sr_store_open(const char *where, char **err);
/*
 * Whether st keeps what the post-mortem commands need (chain_walk, chain_head, actions,
 * stats): 0, or -1 with *err naming the store when a backend does not have them yet.
 */
int sr_store_has_postmortem(const struct sr_store *st, char **err);
/* The same for the outbox (send, outbox_list, outbox_claim, outbox_set, outbox_drop). */
int sr_store_has_outbox(const struct sr_store *st, char **err);
/*
 * mkdir -p of the directory part of path (a store file, a post-mortem draft), new
 * directories private to the user (0700). 0, or -1 with *err.
 */
int sr_store_parent_dirs(const char *path, char **err);
/*
 * Statistics of q at now into s (initialised here; sr_stats_done() is needed either way):
 * the store's stream of incidents, escalations and updates, then the open action items,
 * then the medians. 0, or -1 with *err.
 */
int sr_store_stats(struct sr_store *st, const struct sr_config *cfg, sr_time now,
		   const struct sr_stats_query *q, struct sr_stats *s, char **err);
/*
 * The on-call overrides still running or to come at `at` (of every rotation) into out
 * (initialised here), for messages that name who is on call; none when the store keeps no
 * overrides or cannot read them (the rotation's own schedule then applies).
 */
void sr_store_overrides_at(struct sr_store *st, sr_time at, struct sr_override_list *out);
/* The same for on-call overrides (override_add, override_list, override_remove). */
int sr_store_has_overrides(const struct sr_store *st, char **err);
/* Closes and frees st (NULL is fine). */
void sr_store_close(struct sr_store *st);

/*
 * The SQLite backend, used by sr_store_open for a path (or "sqlite:PATH").
 */
struct sr_store *sr_store_sqlite_open(const char *path, char **err);
/*
 * The PostgreSQL backend, used by sr_store_open for a postgresql:// (postgres://) URI or a
 * libpq key=value connection string. libpq honours PGPASSFILE, PGSERVICE, sslmode and the
 * PG* variables. sitrep_schema=NAME (in the query or as a key) picks the schema, "sitrep"
 * by default. No message ever holds the password.
 */
struct sr_store *sr_store_pg_open(const char *where, char **err);

/*
 * For other libpq users: conninfo shown without its password (NULL with *err when libpq
 * cannot parse it), and msg (freed) returned with the inline password and pass (the one
 * libpq used, PQpass) replaced by "***".
 */
char *sr_pg_display(const char *conninfo, char **err);
char *sr_pg_redact(char *msg, const char *conninfo, const char *pass);

/* True when where names a PostgreSQL database rather than a SQLite file. */
int sr_store_is_pg(const char *where);

/* The schema versions the backends migrate to. */
#define SR_SQLITE_SCHEMA_VERSION 9
#define SR_PG_SCHEMA_VERSION 4

/* --- copying between stores (sitrep store migrate) --- */

/* What a store holds, summed up: counts and a checksum over every stored byte that matters. */
struct sr_store_sum {
	int64_t incidents, events, actions, overrides, messages;
	uint64_t checksum;	/* FNV-1a 64 over every field, link and event (ids included) */
};

/*
 * Sums st up: every incident (all fields, version, alert links in order, review fields,
 * action items, chain head) and every event (row id, time, actor, kind, detail), in id
 * order; then every on-call override and every outbox message (all fields, ids included),
 * so equal stores give equal sums whatever the backend. Returns 0 or -1 with *err.
 */
int sr_store_sum(struct sr_store *st, struct sr_store_sum *out, char **err);

struct sr_store_copied {
	int64_t copied, existed, events;	/* incidents copied, already there; events copied */
	int64_t overrides, messages;		/* overrides and outbox messages copied */
	int64_t chained;			/* events whose chain verified on the target */
	struct sr_store_sum from, to;
};

/*
 * Copies every incident of from, with its timeline, review fields and action items,
 * verbatim into to (one transaction per incident; one already in to is left alone, so a
 * second run copies nothing), then every on-call override and outbox message (sent ones
 * too: their ts threads later messages; pending ones are delivered by whoever uses to
 * next, and a message's id, which its text carries, keeps delivery idempotent). Then
 * verifies to's timeline chains (chain.h) and sums both up. Fails when a chain does not
 * verify or the sums differ (to holds other incidents, or a copy differs).
 */
int sr_store_copy(struct sr_store *from, struct sr_store *to, struct sr_store_copied *out,
		  char **err);

/* --- shared by the backends --- */

/* The columns both backends select and write, in this order (the SR_COL_* positions). */
#define SR_STORE_INCIDENT_COLS \
	"id, year, seq, title, service, impact, root_cause, resolution, sev, status, level, " \
	"commander, comms, scribe, created_at, acked_at, resolved_at, closed_at, " \
	"last_update_at, version"
enum {
	SR_COL_ID, SR_COL_YEAR, SR_COL_SEQ, SR_COL_TITLE, SR_COL_SERVICE, SR_COL_IMPACT,
	SR_COL_ROOT_CAUSE, SR_COL_RESOLUTION, SR_COL_SEV, SR_COL_STATUS, SR_COL_LEVEL,
	SR_COL_COMMANDER, SR_COL_COMMS, SR_COL_SCRIBE, SR_COL_CREATED, SR_COL_ACKED,
	SR_COL_RESOLVED, SR_COL_CLOSED, SR_COL_LAST_UPDATE, SR_COL_VERSION, SR_N_COLS
};
#define SR_STORE_EVENT_COLS "id, at, actor, kind, detail"
#define SR_STORE_ACTION_COLS \
	"id, incident_id, text, owner, kind, due, created_at, done_at, done_by"
#define SR_STORE_OUTBOX_COLS \
	"id, incident_id, target, kind, payload, text, error, ts, state, attempts, claimed_by, " \
	"created_at, next_at, sent_ms, claimed_host, claimed_at"
#define SR_STORE_OVERRIDE_COLS "id, rotation, who, starts_at, ends_at, created_at, created_by"
/* chain_walk: events e joined with their incident's head c; then incidents with none (id, n, head) */
#define SR_STORE_CHAIN_COLS \
	"e.incident_id, e.id, e.at, e.actor, e.kind, e.detail, e.pos, e.hash, c.n, c.head"
/*
 * stats: an incident's row, its escalations and status updates in the last column. That
 * column, stats_events, is the incident's summary for statistics, written in the transaction
 * that appends its events (sr_store_stats_events): "u<t>;" for each update_sent event,
 * "e<level>@<t>;" for each escalation to L<level> (an escalated event whose detail
 * sr_store_stats_row's parser reads), in the order appended; t is the event's time in seconds
 * after the incident's creation (which never changes): "u900;u2700;e2@960;".
 */
#define SR_STORE_STATS_COLS \
	"id, service, sev, status, created_at, acked_at, resolved_at, closed_at, stats_events"

/*
 * One row of a backend's query result, read by column: how the decoding below serves both
 * backends. text is NULL for SQL NULL; num is 0 for SQL NULL.
 */
struct sr_store_row {
	const char *(*text)(const struct sr_store_row *r, int col);
	int64_t (*num)(const struct sr_store_row *r, int col);
	/* 1 when the column holds an integer (not NULL, text, real or blob) */
	int (*is_int)(const struct sr_store_row *r, int col);
	void *res;	/* the backend's statement or result */
	int i;		/* the row number (PostgreSQL) */
};

/*
 * Fills inc (initialised, empty) from a row of SR_STORE_INCIDENT_COLS; checks every value
 * (types, ranges, times in 0..SR_TIME_LIMIT) and fails naming the incident and the column.
 */
int sr_store_read_incident(const char *where, const struct sr_store_row *r,
			   struct sr_incident *inc, char **err);
/* Appends the incident of a row to out, or skips an invalid row and says so in out->skipped. */
void sr_store_list_row(const char *where, const struct sr_store_row *r,
		       struct sr_incident_list *out);
/*
 * Appends the event of a row of SR_STORE_EVENT_COLS to out; an invalid row (unknown kind, a
 * time outside 0..SR_TIME_LIMIT, no actor or detail) is skipped and named in out->skipped.
 */
void sr_store_read_event(const char *where, const char *id, const struct sr_store_row *r,
			 struct sr_event_list *out);
/* A row of SR_STORE_ACTION_COLS. */
int sr_store_read_action(const char *where, const struct sr_store_row *r, struct sr_action *a,
			 char **err);
/* A row (field, value) of an incident's review; a field a newer sitrep added is skipped. */
void sr_store_read_review(const struct sr_store_row *r, struct sr_incident *inc);
/* A row of SR_STORE_OUTBOX_COLS (m zeroed first). */
void sr_store_read_outbox(const struct sr_store_row *r, struct sr_outbox_msg *m);
/* A row of SR_STORE_OVERRIDE_COLS (o zeroed first). */
void sr_store_read_override(const struct sr_store_row *r, struct sr_override *o);
/*
 * One value of a row to write, as each backend binds it: text (NULL for SQL NULL) or, when
 * is_num, the integer num.
 */
struct sr_store_val {
	const char *text;
	int64_t num;
	int is_num;
};
#define SR_STORE_OUTBOX_NCOLS 16
#define SR_STORE_OVERRIDE_NCOLS 7
/*
 * The values of m (o) for SR_STORE_OUTBOX_COLS (SR_STORE_OVERRIDE_COLS), in that order, from the
 * same column table the row reader above uses: what a verbatim copy writes. Texts point into
 * m (o) or are constants.
 */
void sr_store_outbox_vals(const struct sr_outbox_msg *m,
			  struct sr_store_val v[SR_STORE_OUTBOX_NCOLS]);
void sr_store_override_vals(const struct sr_override *o,
			    struct sr_store_val v[SR_STORE_OVERRIDE_NCOLS]);
/* A row of SR_STORE_CHAIN_COLS, or (empty) of an incident with no event (id, n, head). */
void sr_store_read_chain(const struct sr_store_row *r, int empty, struct sr_chain_row *out);
/*
 * Hands one row of SR_STORE_STATS_COLS to k: the incident, then its escalations and (in time
 * order) its updates at or after q->since.
 */
void sr_store_stats_row(const struct sr_stats_query *q, const struct sr_store_row *r,
			const struct sr_stats_sink *k);
/*
 * Appends to b what the stats_events summary of an incident created at created records of
 * one of its events (kind as stored).
 */
void sr_store_stats_event(struct sr_buf *b, sr_time created, sr_time at, const char *kind,
			  const char *detail);
/* The same for the events of ev (nothing for most changes). */
void sr_store_stats_events(struct sr_buf *b, sr_time created, const struct sr_event_list *ev);
/* Row sinks for the backends' row loops: each appends the row to list (an sr_outbox_list,
 * an sr_override_list). */
typedef int (*sr_store_row_fn)(void *arg, const struct sr_store_row *r, char **err);
int sr_store_add_outbox_row(void *list, const struct sr_store_row *r, char **err);
int sr_store_add_override_row(void *list, const struct sr_store_row *r, char **err);
/*
 * update, for a backend whose send does both (msg NULL: no outbox row): one write path,
 * and send leaves msg->id as it was when it fails.
 */
int sr_store_update_by_send(struct sr_store *st, struct sr_incident *inc,
			    struct sr_event_list *ev, int *conflict, char **err);
/* After a failed read: drop what it appended to a list (items from on). Return -1. */
int sr_store_drop_incidents(struct sr_incident_list *l, size_t from);
int sr_store_drop_events(struct sr_event_list *l, size_t from);
int sr_store_drop_actions(struct sr_action_list *l, size_t from);
/*
 * Both backends' send (and so their update, sr_store_update_by_send): *conflict cleared,
 * inc's row checked, then the backend's send_rows, its one transaction (0:
 * committed, -1: rolled back, *conflict set when the version was stale); committed, the
 * version moves on and the events belong to inc; else they have no row id and msg->id is
 * as it was. Returns 0 or -1.
 */
int sr_store_send_tx(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev,
		     struct sr_outbox_msg *msg, int *conflict, char **err);
/*
 * The end of both backends' create (rc 0: committed as id, year, seq): inc takes its id at
 * version 1 and the events belong to it; else they have no row id. Returns rc.
 */
int sr_store_create_done(int rc, struct sr_incident *inc, struct sr_event_list *ev,
			 const char *id, int year, int64_t seq);
/* Parses an outbox state name; -1 when unknown. */
int sr_outbox_state_parse(const char *name, enum sr_outbox_state *out);

/* Refuses a severity, status or level out of range before anything is written. */
int sr_store_check_row(const char *where, const struct sr_incident *inc, char **err);
/* Refuses an event kind that could not be read back. */
/*
 * How a backend writes an incident's rows, for sr_store_append_events and
 * sr_store_write_children: one const table per backend. head reads and set_head moves a
 * timeline's chain head; put writes e under id at chain position pos with hash (actor and
 * detail never NULL); keep_id (a verbatim copy) stores e under its own row id, else e->id is
 * set to the new row's. add_stats appends summary (not empty) to id's stats_events. alerts
 * links inc's alerts to id; review writes inc's review fields and new or changed action
 * items (keep_ids: every action under its own id). Each returns 0, or -1 with *err.
 */
struct sr_store_writer {
	int (*head)(struct sr_store *st, const char *id, int64_t *n, char hash[SR_HASH_HEX],
		    char **err);
	int (*put)(struct sr_store *st, const char *id, struct sr_event *e, const char *actor,
		   const char *detail, int64_t pos, const char *hash, int keep_id, char **err);
	int (*set_head)(struct sr_store *st, const char *id, int64_t n, const char *hash,
			char **err);
	int (*add_stats)(struct sr_store *st, const char *id, const char *summary, char **err);
	int (*alerts)(struct sr_store *st, const char *id, const struct sr_incident *inc,
		      char **err);
	int (*review)(struct sr_store *st, const char *id, struct sr_incident *inc, int keep_ids,
		      char **err);
};
/*
 * Appends ev under id as both backends do (in the caller's transaction): from the chain head,
 * each event is checked (sr_store_check_kind), hashed onto the one before it (chain.h) and
 * written (keep_ids: under its own row id), then the head is moved and what the events
 * record for statistics (sr_store_stats_events, for an incident created at created) is added
 * to the incident's summary. Nothing is read or written for no event. 0, or -1 with *err.
 */
int sr_store_append_events(struct sr_store *st, const struct sr_store_writer *io,
			   const char *id, sr_time created, struct sr_event_list *ev, int keep_ids,
			   char **err);
/*
 * Writes what belongs to the new incident row id (in the caller's transaction): inc's alert
 * links, the timeline ev (sr_store_append_events) and inc's review. keep_ids: a verbatim
 * copy, which writes nothing to inc or ev. 0, or -1 with *err.
 */
int sr_store_write_children(struct sr_store *st, const struct sr_store_writer *io,
			    const char *id, struct sr_incident *inc, struct sr_event_list *ev,
			    int keep_ids, char **err);
int sr_store_check_kind(const char *where, const char *id, const struct sr_event *e,
			char **err);
/* After a write: the events now belong to id; after a failed one they have no row id. */
void sr_store_events_stored(struct sr_event_list *ev, const char *id);
void sr_store_events_unstored(struct sr_event_list *ev);
/*
 * Pointers to l->v[from..] sorted by id (allocated; at least one slot), and the lookup in
 * them: how a list's alert links, read in one query, find their incidents.
 */
struct sr_incident **sr_store_index_by_id(struct sr_incident_list *l, size_t from);
struct sr_incident *sr_store_find_by_id(struct sr_incident **idx, size_t n, const char *id);
/* Appends a copy of fingerprint to inc's alert links. */
void sr_store_add_alert(struct sr_incident *inc, const char *fingerprint);

/* --- live updates (see the ops) --- */
int sr_store_watch(struct sr_store *st, char **err);
/* The descriptor to poll, or -1 (then call sr_store_changes every tick). */
int sr_store_watch_fd(const struct sr_store *st);
/* Appends what changed since the last call to out (which the caller empties). */
int sr_store_changes(struct sr_store *st, struct sr_store_changes *out, char **err);
/* Adds id to out unless it is there already. */
void sr_store_changes_add(struct sr_store_changes *out, const char *id);
void sr_store_changes_done(struct sr_store_changes *out);

#endif

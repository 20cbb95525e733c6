/* SPDX-License-Identifier: MIT */
/* store.h: where incidents, timelines and last-good feed data live; an ops table per backend. */
#ifndef SR_STORE_H
#define SR_STORE_H

#include <stddef.h>
#include <stdint.h>

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

/* Gives up to n more bytes in buf; returns how many (at least 1), or 0 or less on failure. */
typedef long (*sr_store_read_fn)(void *arg, char *buf, size_t n);

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
	 * On-call overrides (table oncall_overrides, see docs/architecture.md). add stores o
	 * (rotation, who, from < until, created, created_by) and sets o->id. list appends, in
	 * order of start then id, the overrides of rotation (NULL: every rotation, names
	 * compared without case) that end after ending_after. remove deletes one by id; an
	 * unknown id fails with "no override ID".
	 */
	int (*override_add)(struct sr_store *st, struct sr_override *o, char **err);
	int (*override_list)(struct sr_store *st, const char *rotation, sr_time ending_after,
			     struct sr_override_list *out, char **err);
	int (*override_remove)(struct sr_store *st, int64_t id, char **err);
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
/* Closes and frees st (NULL is fine). */
void sr_store_close(struct sr_store *st);

/* The SQLite backend, used by sr_store_open. */
struct sr_store *sr_store_sqlite_open(const char *path, char **err);

/* The schema version the SQLite backend migrates to. */
#define SR_SQLITE_SCHEMA_VERSION 4

#endif

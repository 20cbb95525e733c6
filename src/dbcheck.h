/* SPDX-License-Identifier: MIT */
/* dbcheck.h: health of a watched PostgreSQL database ([postgres NAME], sitrep db). */
#ifndef SR_DBCHECK_H
#define SR_DBCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define SR_DB_TEXT 200	/* characters of a query kept (the "first 200") */

/* A session worth showing: a long query, an old transaction, one waiting on a lock. */
struct sr_db_session {
	int pid;
	char *user, *db;
	double seconds;		/* running (query), open (transaction) or waiting (lock) */
	char *query;		/* its first SR_DB_TEXT characters, as the server sent them */
	char *blocked_by;	/* "123,456" for a lock wait, else NULL */
};

struct sr_db_list {
	struct sr_db_session *v;
	size_t n;
};

/* One threshold compared: what, the value, the limit, and whether it is breached. */
struct sr_db_finding {
	const char *what;	/* "connections", "long_query", ... (static) */
	double value, limit;
	int breached;
	char *text;		/* a sentence: "19 of 20 connections in use (95%, limit 90%)" */
};

struct sr_db_report {
	char server[96];
	int connections, max_connections;
	struct sr_db_list queries, xacts, waits;	/* longest first, at most 5 each */
	int replica;		/* in recovery */
	double lag;		/* replay lag in seconds (replicas), else 0 */
	int64_t size;		/* bytes of the current database */
	int64_t xid_age;	/* age(datfrozenxid) of the oldest database */
	struct sr_db_finding findings[6];
	size_t n_findings;
	int breached;		/* any finding breached */
};

/*
 * Connects to w->url read-only (default_transaction_read_only, statement_timeout) and fills
 * out. Returns 0, or -1 with *err (never holding the password). sr_db_report_done frees.
 */
int sr_dbcheck_run(const struct sr_pgwatch *w, struct sr_db_report *out, char **err);
void sr_db_report_done(struct sr_db_report *r);

/*
 * The same check without blocking, for a console's one poll loop: a connection started with
 * PQconnectStartParams and driven by PQconnectPoll, then each query sent and its answer read
 * as the socket allows. sr_dbwatch_step starts a check when due (every every_ms), moves it on
 * when ready says its descriptor was (sr_dbwatch_fd: -1 when idle; *out: poll for writing),
 * and gives it up past its deadline (10 s to connect plus 4 statement_timeouts). Returns 1
 * when a check just ended (its report or failure is in), else 0. w must outlive the watch.
 */
struct sr_dbwatch;
struct sr_dbwatch *sr_dbwatch_new(const struct sr_pgwatch *w);
void sr_dbwatch_free(struct sr_dbwatch *d);
int sr_dbwatch_fd(const struct sr_dbwatch *d, int *out);
int sr_dbwatch_step(struct sr_dbwatch *d, int64_t now_ms, int ready, int64_t every_ms);
/*
 * The last check: its report (NULL when it failed or none ended yet), *err why it failed
 * (else NULL), *at_ms when it ended (0: none yet). Owned by d, valid until the next step.
 */
const struct sr_db_report *sr_dbwatch_report(const struct sr_dbwatch *d, const char **err,
					     int64_t *at_ms);

#endif

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

#endif

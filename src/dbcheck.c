/* SPDX-License-Identifier: MIT */
/* dbcheck.c: a watched PostgreSQL database's health, read-only, bounded by statement_timeout. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbcheck.h"
#include "pq_lazy.h"
#include "store.h"
#include "util.h"

#define TOP "5"	/* sessions listed per kind */

/* The queries: each one round trip, parameters bound. $1 = characters of query text kept. */
static const char q_conn[] =
	"SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'), "
	"current_setting('max_connections')::int, current_setting('server_version'), "
	"pg_is_in_recovery(), "
	"CASE WHEN pg_is_in_recovery() THEN coalesce(extract(epoch FROM now() - "
	"pg_last_xact_replay_timestamp()), 0) ELSE 0 END, "
	"pg_database_size(current_database()), "
	"(SELECT max(age(datfrozenxid)) FROM pg_database)";
#define SESSION_COLS "pid, coalesce(usename, ''), coalesce(datname, ''), "
static const char q_queries[] =
	"SELECT " SESSION_COLS "extract(epoch FROM now() - query_start), left(query, $1), NULL "
	"FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND "
	"backend_type = 'client backend' AND query_start IS NOT NULL "
	"ORDER BY query_start LIMIT " TOP;
static const char q_xacts[] =
	"SELECT " SESSION_COLS "extract(epoch FROM now() - xact_start), left(query, $1), NULL "
	"FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND "
	"backend_type = 'client backend' ORDER BY xact_start LIMIT " TOP;
static const char q_waits[] =
	"SELECT " SESSION_COLS "extract(epoch FROM now() - coalesce(state_change, query_start)), "
	"left(query, $1), array_to_string(pg_blocking_pids(pid), ',') "
	"FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0 "
	"ORDER BY coalesce(state_change, query_start) LIMIT " TOP;

static int
db_fail(PGconn *c, const struct sr_pgwatch *w, const char *what, const PGresult *res,
	char **err)
{
	const char *m = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char *shown = sr_pg_display(w->url, NULL), *msg;

	if (m == NULL)
		m = PQerrorMessage(c);
	msg = sr_xasprintf("postgres %s (%s): %s: %s", w->name,
			   shown != NULL ? shown : "connection string not shown", what, m);
	free(shown);
	for (char *p = msg; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	msg = sr_pg_redact(msg, w->url, PQpass(c));
	if (err != NULL && *err == NULL)
		*err = msg;
	else
		free(msg);
	return -1;
}

static int
load_sessions(PGconn *c, const struct sr_pgwatch *w, const char *sql, const char *what,
	      struct sr_db_list *out, char **err)
{
	char n[16];
	const char *v[1] = { n };
	PGresult *res;

	snprintf(n, sizeof n, "%d", SR_DB_TEXT);
	res = PQexecParams(c, sql, 1, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_fail(c, w, what, res, err);
		PQclear(res);
		return -1;
	}
	out->n = (size_t)PQntuples(res);
	out->v = sr_xcalloc(out->n ? out->n : 1, sizeof *out->v);
	for (size_t i = 0; i < out->n; i++) {
		struct sr_db_session *s = &out->v[i];

		s->pid = atoi(PQgetvalue(res, (int)i, 0));
		s->user = sr_xstrdup(PQgetvalue(res, (int)i, 1));
		s->db = sr_xstrdup(PQgetvalue(res, (int)i, 2));
		s->seconds = strtod(PQgetvalue(res, (int)i, 3), NULL);
		s->query = sr_xstrdup(PQgetvalue(res, (int)i, 4));
		if (!PQgetisnull(res, (int)i, 5))
			s->blocked_by = sr_xstrdup(PQgetvalue(res, (int)i, 5));
	}
	PQclear(res);
	return 0;
}

static void
finding(struct sr_db_report *r, const char *what, double value, double limit, char *text)
{
	struct sr_db_finding *f = &r->findings[r->n_findings++];

	f->what = what;
	f->value = value;
	f->limit = limit;
	f->breached = value > limit;
	f->text = text;
	r->breached |= f->breached;
}

/* The oldest of a list (lists are oldest first), 0 when empty. */
static double
oldest(const struct sr_db_list *l)
{
	return l->n > 0 ? l->v[0].seconds : 0;
}

static void
judge(struct sr_db_report *r, const struct sr_pgwatch *w)
{
	double pct = r->max_connections > 0 ? 100.0 * r->connections / r->max_connections : 0;

	finding(r, "connections", pct, w->conn_pct,
		sr_xasprintf("%d of %d connections in use (%.0f%%, limit %.0f%%)", r->connections,
			     r->max_connections, pct, w->conn_pct));
	finding(r, "long_query", oldest(&r->queries), (double)w->long_query,
		sr_xasprintf("longest query running %.0f s (limit %" PRId64 " s)",
			     oldest(&r->queries), w->long_query));
	finding(r, "long_transaction", oldest(&r->xacts), (double)w->long_xact,
		sr_xasprintf("oldest transaction open %.0f s (limit %" PRId64 " s)",
			     oldest(&r->xacts), w->long_xact));
	finding(r, "lock_wait", oldest(&r->waits), (double)w->lock_wait,
		sr_xasprintf("%zu session%s waiting on locks, longest %.0f s (limit %" PRId64
			     " s)", r->waits.n, r->waits.n == 1 ? "" : "s", oldest(&r->waits),
			     w->lock_wait));
	finding(r, "replication_lag", r->lag, (double)w->lag,
		r->replica ? sr_xasprintf("replica replay lag %.0f s (limit %" PRId64 " s)",
					  r->lag, w->lag) :
			     sr_xstrdup("primary (no replication lag)"));
	finding(r, "xid_age", (double)r->xid_age, w->xid_age,
		sr_xasprintf("transaction-id age %" PRId64 " (limit %.0f; wraparound at "
			     "2147483647)", r->xid_age, w->xid_age));
}

int
sr_dbcheck_run(const struct sr_pgwatch *w, struct sr_db_report *out, char **err)
{
	char opts[96];
	const char *keys[] = { "connect_timeout", "fallback_application_name", "options",
			       "dbname", NULL };
	const char *vals[] = { "10", "sitrep db", opts, w->url, NULL };
	PGconn *c;
	PGresult *res;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (sr_pq_load(err) != 0)
		return -1;
	/* read-only and bounded, whatever the role may do */
	snprintf(opts, sizeof opts, "-c default_transaction_read_only=on -c statement_timeout=%"
		 PRId64, w->timeout_ms);
	c = PQconnectdbParams(keys, vals, 1);
	if (c == NULL)
		return sr_err(err, "postgres %s: out of memory", w->name);
	if (PQstatus(c) != CONNECTION_OK) {
		db_fail(c, w, "cannot connect", NULL, err);
		PQfinish(c);
		return -1;
	}
	res = PQexecParams(c, q_conn, 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_fail(c, w, "reading the server's state", res, err);
		goto out;
	}
	out->connections = atoi(PQgetvalue(res, 0, 0));
	out->max_connections = atoi(PQgetvalue(res, 0, 1));
	snprintf(out->server, sizeof out->server, "PostgreSQL %s", PQgetvalue(res, 0, 2));
	out->replica = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
	out->lag = strtod(PQgetvalue(res, 0, 4), NULL);
	out->size = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
	out->xid_age = strtoll(PQgetvalue(res, 0, 6), NULL, 10);
	if (load_sessions(c, w, q_queries, "listing queries", &out->queries, err) != 0 ||
	    load_sessions(c, w, q_xacts, "listing transactions", &out->xacts, err) != 0 ||
	    load_sessions(c, w, q_waits, "listing lock waits", &out->waits, err) != 0)
		goto out;
	judge(out, w);
	rc = 0;
out:
	PQclear(res);
	PQfinish(c);
	if (rc != 0)
		sr_db_report_done(out);
	return rc;
}

static void
list_done(struct sr_db_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].user);
		free(l->v[i].db);
		free(l->v[i].query);
		free(l->v[i].blocked_by);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

void
sr_db_report_done(struct sr_db_report *r)
{
	list_done(&r->queries);
	list_done(&r->xacts);
	list_done(&r->waits);
	for (size_t i = 0; i < r->n_findings; i++)
		free(r->findings[i].text);
	r->n_findings = 0;
}

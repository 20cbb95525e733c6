/* SPDX-License-Identifier: MIT */
/* dbcheck.c: a watched PostgreSQL database's health, read-only, bounded by statement_timeout. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "pq_lazy.h"

#include "dbcheck.h"
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

/* The sessions of a q_queries, q_xacts or q_waits result into out. */
static void
fill_sessions(const PGresult *res, struct sr_db_list *out)
{
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
	fill_sessions(res, out);
	PQclear(res);
	return 0;
}

/* The server's state (a q_conn result) into out. */
static void
fill_state(const PGresult *res, struct sr_db_report *out)
{
	out->connections = atoi(PQgetvalue(res, 0, 0));
	out->max_connections = atoi(PQgetvalue(res, 0, 1));
	snprintf(out->server, sizeof out->server, "PostgreSQL %s", PQgetvalue(res, 0, 2));
	out->replica = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
	out->lag = strtod(PQgetvalue(res, 0, 4), NULL);
	out->size = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
	out->xid_age = strtoll(PQgetvalue(res, 0, 6), NULL, 10);
}

/* What a check connects with: read-only and bounded, whatever the role may do. */
struct conn_params {
	char opts[96];
	const char *keys[5], *vals[5];
};

static void
conn_params(const struct sr_pgwatch *w, struct conn_params *p)
{
	snprintf(p->opts, sizeof p->opts, "-c default_transaction_read_only=on "
		 "-c statement_timeout=%" PRId64, w->timeout_ms);
	p->keys[0] = "connect_timeout";
	p->vals[0] = "10";
	p->keys[1] = "fallback_application_name";
	p->vals[1] = "sitrep db";
	p->keys[2] = "options";
	p->vals[2] = p->opts;
	p->keys[3] = "dbname";
	p->vals[3] = w->url;
	p->keys[4] = p->vals[4] = NULL;
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
	struct conn_params p = { .opts = "" };
	PGconn *c;
	PGresult *res;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (sr_pq_load(err) != 0)	/* libpq is loaded on first use: pq_lazy.h */
		return -1;
	conn_params(w, &p);
	c = PQconnectdbParams(p.keys, p.vals, 1);
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
	fill_state(res, out);
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

/* --- checking without blocking (a console's loop) --- */

/* The check's steps after connecting: one query each, in this order. */
static const char *const steps_sql[] = { q_conn, q_queries, q_xacts, q_waits };
static const char *const steps_what[] = { "reading the server's state", "listing queries",
					  "listing transactions", "listing lock waits" };

struct sr_dbwatch {
	const struct sr_pgwatch *w;
	PGconn *c;
	int step;		/* -1 idle, 0 connecting, 1.. the query steps_sql[step - 1] */
	int fd, out;		/* what to poll while under way */
	int64_t next_ms, start_ms, deadline_ms;
	struct sr_db_report cur;	/* being filled */
	struct sr_db_report rep;	/* the last complete one (has_rep) */
	int has_rep;
	char *err;		/* why the last check failed, or NULL */
	int64_t done_ms;	/* when the last check ended; 0 = none yet */
};

struct sr_dbwatch *
sr_dbwatch_new(const struct sr_pgwatch *w)
{
	struct sr_dbwatch *d = sr_xcalloc(1, sizeof *d);

	d->w = w;
	d->step = -1;
	d->fd = -1;
	return d;
}

static void
dw_close(struct sr_dbwatch *d)
{
	if (d->c != NULL)
		PQfinish(d->c);
	d->c = NULL;
	d->step = -1;
	d->fd = -1;
	d->out = 0;
}

void
sr_dbwatch_free(struct sr_dbwatch *d)
{
	if (d == NULL)
		return;
	dw_close(d);
	sr_db_report_done(&d->cur);
	sr_db_report_done(&d->rep);
	free(d->err);
	free(d);
}

int
sr_dbwatch_fd(const struct sr_dbwatch *d, int *out)
{
	*out = d->out;
	return d->step >= 0 ? d->fd : -1;
}

/* A check ended: keep its report or its failure (text in err, taken). Returns 1. */
static int
dw_end(struct sr_dbwatch *d, int64_t now_ms, char *err)
{
	dw_close(d);
	d->done_ms = now_ms;
	free(d->err);
	d->err = err;
	if (err == NULL) {
		judge(&d->cur, d->w);
		sr_db_report_done(&d->rep);
		d->rep = d->cur;
		d->has_rep = 1;
	} else {
		sr_db_report_done(&d->cur);
	}
	memset(&d->cur, 0, sizeof d->cur);
	return 1;
}

static int
dw_fail(struct sr_dbwatch *d, int64_t now_ms, const char *what, const PGresult *res)
{
	char *err = NULL;

	db_fail(d->c, d->w, what, res, &err);
	return dw_end(d, now_ms, err);
}

/* Sends the query of the current step; waits for its answer (reading) next. */
static int
dw_send(struct sr_dbwatch *d, int64_t now_ms)
{
	char n[16];
	const char *v[1] = { n };
	int k = d->step - 1;

	snprintf(n, sizeof n, "%d", SR_DB_TEXT);
	if (!PQsendQueryParams(d->c, steps_sql[k], k == 0 ? 0 : 1, NULL, k == 0 ? NULL : v,
			       NULL, NULL, 0))
		return dw_fail(d, now_ms, steps_what[k], NULL);
	d->fd = PQsocket(d->c);
	d->out = PQflush(d->c) == 1;	/* the rest of the query waits for the socket */
	return 0;
}

/* The answer of the current step is in: take it, then send the next query or end. */
static int
dw_answer(struct sr_dbwatch *d, int64_t now_ms)
{
	PGresult *res, *first = NULL;
	int k = d->step - 1, ok;

	while ((res = PQgetResult(d->c)) != NULL) {
		if (first == NULL)
			first = res;
		else
			PQclear(res);
	}
	ok = first != NULL && PQresultStatus(first) == PGRES_TUPLES_OK &&
	     (k != 0 || PQntuples(first) == 1);
	if (!ok) {
		dw_fail(d, now_ms, steps_what[k], first);
		PQclear(first);
		return 1;
	}
	if (k == 0)
		fill_state(first, &d->cur);
	else
		fill_sessions(first, k == 1 ? &d->cur.queries : k == 2 ? &d->cur.xacts :
							       &d->cur.waits);
	PQclear(first);
	if (++d->step > (int)SR_ARRAY_LEN(steps_sql))
		return dw_end(d, now_ms, NULL);
	return dw_send(d, now_ms);
}

int
sr_dbwatch_step(struct sr_dbwatch *d, int64_t now_ms, int ready, int64_t every_ms)
{
	PostgresPollingStatusType r;
	struct conn_params p = { .opts = "" };

	if (d->step < 0) {
		char *err = NULL;

		if (now_ms < d->next_ms)
			return 0;
		d->next_ms = now_ms + every_ms;
		d->start_ms = now_ms;
		/* connect and every query bounded: the check is given up past this */
		d->deadline_ms = now_ms + 10000 + 4 * d->w->timeout_ms;
		if (sr_pq_load(&err) != 0)
			return dw_end(d, now_ms, err);
		conn_params(d->w, &p);
		d->c = PQconnectStartParams(p.keys, p.vals, 1);
		if (d->c == NULL)
			return dw_end(d, now_ms, sr_xasprintf("postgres %s: out of memory",
							      d->w->name));
		d->step = 0;
		if (PQstatus(d->c) == CONNECTION_BAD)
			return dw_fail(d, now_ms, "cannot connect", NULL);
		d->fd = PQsocket(d->c);
		d->out = 1;	/* libpq: poll for writing first */
		return 0;
	}
	if (now_ms >= d->deadline_ms)
		return dw_end(d, now_ms, sr_xasprintf("postgres %s: no answer within %" PRId64
						      " s", d->w->name,
						      (d->deadline_ms - d->start_ms) / 1000));
	if (!ready)
		return 0;
	if (d->step == 0) {
		r = PQconnectPoll(d->c);
		if (r == PGRES_POLLING_FAILED)
			return dw_fail(d, now_ms, "cannot connect", NULL);
		if (r == PGRES_POLLING_OK) {
			d->step = 1;
			return dw_send(d, now_ms);
		}
		d->fd = PQsocket(d->c);
		d->out = r == PGRES_POLLING_WRITING;
		return 0;
	}
	if (d->out) {
		int f = PQflush(d->c);

		if (f < 0)
			return dw_fail(d, now_ms, steps_what[d->step - 1], NULL);
		d->out = f == 1;
		return 0;
	}
	if (!PQconsumeInput(d->c))
		return dw_fail(d, now_ms, steps_what[d->step - 1], NULL);
	if (PQisBusy(d->c))
		return 0;
	return dw_answer(d, now_ms);
}

const struct sr_db_report *
sr_dbwatch_report(const struct sr_dbwatch *d, const char **err, int64_t *at_ms)
{
	*err = d->err;
	*at_ms = d->done_ms;
	return d->has_rep && d->err == NULL ? &d->rep : NULL;
}

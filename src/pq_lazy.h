/* SPDX-License-Identifier: MIT */
/*
 * pq_lazy.h: libpq, loaded on first use. Linking libpq costs every start of sitrep its
 * Kerberos, LDAP, SASL and GnuTLS dependencies (their relocations and constructors: about
 * 8 M instructions, more than half of a start), also for the commands that never speak to
 * PostgreSQL (a SQLite store, `sitrep oncall`). So src/store_pg.c and src/dbcheck.c include
 * this after <libpq-fe.h>: each PQ* call goes through a table filled by dlopen() of
 * libpq.so.5 the first time sr_pq_load() runs (each public entry point that reaches libpq
 * calls it first).
 */
#ifndef SR_PQ_LAZY_H
#define SR_PQ_LAZY_H

#include <libpq-fe.h>

/* The functions sitrep uses (the table takes libpq's own prototypes with __typeof__). */
#define SR_PQ_FUNCS(X) \
	X(PQclear) \
	X(PQcmdTuples) \
	X(PQconnectPoll) \
	X(PQconnectStartParams) \
	X(PQconnectdbParams) \
	X(PQconninfoFree) \
	X(PQconninfoParse) \
	X(PQconsumeInput) \
	X(PQerrorMessage) \
	X(PQexec) \
	X(PQexecParams) \
	X(PQexecPrepared) \
	X(PQfinish) \
	X(PQflush) \
	X(PQfreemem) \
	X(PQgetResult) \
	X(PQgetisnull) \
	X(PQgetlength) \
	X(PQgetvalue) \
	X(PQisBusy) \
	X(PQnotifies) \
	X(PQntuples) \
	X(PQpass) \
	X(PQprepare) \
	X(PQsendQueryParams) \
	X(PQresultErrorField) \
	X(PQresultStatus) \
	X(PQsetClientEncoding) \
	X(PQsetNoticeProcessor) \
	X(PQsocket) \
	X(PQstatus) \
	X(PQtransactionStatus)

struct sr_pq_api {
#define X(name) __typeof__(name) *name;
	SR_PQ_FUNCS(X)
#undef X
};

/* The loaded table; valid only after sr_pq_load() returned 0. */
extern struct sr_pq_api sr_pq;

/*
 * Loads libpq.so.5 and resolves every function (once; later calls return at once).
 * Returns 0, or -1 with *err naming the library and dlerror()'s reason.
 */
int sr_pq_load(char **err);

/* From here on, PQ* calls in the including file go through the table. */
#ifndef SR_PQ_LAZY_IMPL
#define PQclear (sr_pq.PQclear)
#define PQcmdTuples (sr_pq.PQcmdTuples)
#define PQconnectPoll (sr_pq.PQconnectPoll)
#define PQconnectStartParams (sr_pq.PQconnectStartParams)
#define PQconnectdbParams (sr_pq.PQconnectdbParams)
#define PQconninfoFree (sr_pq.PQconninfoFree)
#define PQconninfoParse (sr_pq.PQconninfoParse)
#define PQconsumeInput (sr_pq.PQconsumeInput)
#define PQerrorMessage (sr_pq.PQerrorMessage)
#define PQexec (sr_pq.PQexec)
#define PQexecParams (sr_pq.PQexecParams)
#define PQexecPrepared (sr_pq.PQexecPrepared)
#define PQfinish (sr_pq.PQfinish)
#define PQflush (sr_pq.PQflush)
#define PQfreemem (sr_pq.PQfreemem)
#define PQgetResult (sr_pq.PQgetResult)
#define PQgetisnull (sr_pq.PQgetisnull)
#define PQgetlength (sr_pq.PQgetlength)
#define PQgetvalue (sr_pq.PQgetvalue)
#define PQisBusy (sr_pq.PQisBusy)
#define PQnotifies (sr_pq.PQnotifies)
#define PQntuples (sr_pq.PQntuples)
#define PQpass (sr_pq.PQpass)
#define PQprepare (sr_pq.PQprepare)
#define PQsendQueryParams (sr_pq.PQsendQueryParams)
#define PQresultErrorField (sr_pq.PQresultErrorField)
#define PQresultStatus (sr_pq.PQresultStatus)
#define PQsetClientEncoding (sr_pq.PQsetClientEncoding)
#define PQsetNoticeProcessor (sr_pq.PQsetNoticeProcessor)
#define PQsocket (sr_pq.PQsocket)
#define PQstatus (sr_pq.PQstatus)
#define PQtransactionStatus (sr_pq.PQtransactionStatus)
#endif

#endif

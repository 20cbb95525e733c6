/* SPDX-License-Identifier: MIT */
/*
 * pq_lazy.h: libpq, loaded on first use (see lazy.h for why). Include it instead of
 * <libpq-fe.h>; every PQ* call of the including file goes through sr_pq, which sr_pq_load()
 * fills. Call sr_pq_load() before the first PQ* call.
 */
#ifndef SR_PQ_LAZY_H
#define SR_PQ_LAZY_H

#include <libpq-fe.h>

#include "lazy.h"

#define SR_PQ_FUNCS(X)                                                                  \
	X(PQclear) X(PQgetvalue) X(PQntuples) X(PQresultStatus) X(PQpass) X(PQexec)      \
	X(PQerrorMessage) X(PQstatus) X(PQresultErrorField) X(PQgetlength) X(PQfinish)   \
	X(PQconninfoParse) X(PQconninfoFree) X(PQcmdTuples) X(PQtransactionStatus)       \
	X(PQsocket) X(PQsetNoticeProcessor) X(PQsetClientEncoding) X(PQprepare)         \
	X(PQnotifies) X(PQgetisnull) X(PQfreemem) X(PQexecPrepared) X(PQexecParams)      \
	X(PQconsumeInput) X(PQconnectdbParams)

/* libpq's own prototypes, through typeof: nothing is retyped */
struct sr_pq_api {
#define X(name) __typeof__(name) *name;
	SR_PQ_FUNCS(X)
#undef X
};
extern struct sr_pq_api sr_pq;

#ifndef SR_LAZY_IMPL
#define PQclear (sr_pq.PQclear)
#define PQgetvalue (sr_pq.PQgetvalue)
#define PQntuples (sr_pq.PQntuples)
#define PQresultStatus (sr_pq.PQresultStatus)
#define PQpass (sr_pq.PQpass)
#define PQexec (sr_pq.PQexec)
#define PQerrorMessage (sr_pq.PQerrorMessage)
#define PQstatus (sr_pq.PQstatus)
#define PQresultErrorField (sr_pq.PQresultErrorField)
#define PQgetlength (sr_pq.PQgetlength)
#define PQfinish (sr_pq.PQfinish)
#define PQconninfoParse (sr_pq.PQconninfoParse)
#define PQconninfoFree (sr_pq.PQconninfoFree)
#define PQcmdTuples (sr_pq.PQcmdTuples)
#define PQtransactionStatus (sr_pq.PQtransactionStatus)
#define PQsocket (sr_pq.PQsocket)
#define PQsetNoticeProcessor (sr_pq.PQsetNoticeProcessor)
#define PQsetClientEncoding (sr_pq.PQsetClientEncoding)
#define PQprepare (sr_pq.PQprepare)
#define PQnotifies (sr_pq.PQnotifies)
#define PQgetisnull (sr_pq.PQgetisnull)
#define PQfreemem (sr_pq.PQfreemem)
#define PQexecPrepared (sr_pq.PQexecPrepared)
#define PQexecParams (sr_pq.PQexecParams)
#define PQconsumeInput (sr_pq.PQconsumeInput)
#define PQconnectdbParams (sr_pq.PQconnectdbParams)
#endif

#endif

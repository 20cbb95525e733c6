/* SPDX-License-Identifier: MIT */
/*
 * chain.h: the verifiable timeline. Every stored event carries its position in its incident's
 * timeline (1, 2, ...) and hash = SHA-256 over the previous event's hash, the position and the
 * event's content; each incident's chain head (event count, last hash) is kept beside it. Both
 * are written in the transaction that appends the events. sr_chain_check_* recompute a chain
 * and name the first event that was altered, deleted or inserted behind sitrep's back.
 */
#ifndef SR_CHAIN_H
#define SR_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "incident.h"

#define SR_HASH_HEX 65	/* 64 lowercase hex digits and a NUL */

/* SHA-256 of n bytes as lowercase hex (out holds SR_HASH_HEX bytes). */
void sr_sha256_hex(const void *p, size_t n, char out[SR_HASH_HEX]);

/*
 * The hash of an event: prev is the previous event's hash ("" for the first), pos the
 * event's position (1-based), kind its stored name. Each field is length-prefixed, so no two
 * different events encode to the same bytes.
 */
void sr_chain_hash(const char *prev, int64_t pos, const char *incident, sr_time at,
		   const char *actor, const char *kind, const char *detail,
		   char out[SR_HASH_HEX]);

/*
 * One stored row as a backend reads it for checking. pos and hash are 0 / NULL when the row
 * has none (sitrep never writes such a row). head_n / head are the incident's recorded chain
 * head (head NULL when none is recorded). A row with id 0 stands for an incident that has no
 * event left at all.
 */
struct sr_chain_row {
	const char *incident;
	int64_t id;
	sr_time at;
	const char *actor, *kind, *detail;
	int64_t pos;
	const char *hash;
	int64_t head_n;
	const char *head;
};

/* Called by a backend for each row, ordered by incident then by row id; nonzero stops. */
typedef int (*sr_chain_fn)(void *arg, const struct sr_chain_row *row);

enum sr_chain_problem { SR_CHAIN_ALTERED, SR_CHAIN_DELETED, SR_CHAIN_INSERTED };
const char *sr_chain_problem_name(enum sr_chain_problem p);	/* "altered", ... */

struct sr_chain_finding {
	char incident[SR_ID_MAX];
	enum sr_chain_problem what;
	int64_t event_id;	/* the row named (0 when the events named are gone) */
	int64_t pos;		/* the position concerned */
	char *text;		/* a sentence saying what was found */
};

/* Checker state: feed every row with sr_chain_check_row, then call sr_chain_check_end. */
struct sr_chain_check {
	/* results */
	struct sr_chain_finding *found;	/* first problem of each incident that has one */
	size_t n_found, cap_found;
	int64_t incidents, events;	/* counted */
	/* the incident being read */
	char cur[SR_ID_MAX];
	int bad;			/* a problem was found in cur: skip its other rows */
	int64_t k;			/* rows of cur read so far */
	int64_t last_id;
	char prev[SR_HASH_HEX];		/* hash of the last good row of cur */
	int64_t head_n;
	char head[SR_HASH_HEX];
	int has_head;
};

void sr_chain_check_init(struct sr_chain_check *c);
void sr_chain_check_done(struct sr_chain_check *c);
/* Takes one row (an sr_chain_fn: arg is the checker). Always returns 0. */
int sr_chain_check_row(void *arg, const struct sr_chain_row *row);
/* Finishes the last incident. */
void sr_chain_check_end(struct sr_chain_check *c);

#endif

/* SPDX-License-Identifier: MIT */
/* session.h: what one run of sitrep works with, shared by both front ends (CLI and console). */
#ifndef SR_SESSION_H
#define SR_SESSION_H

#include "clock.h"
#include "config.h"
#include "store.h"

/*
 * A session: the config, the clock, the incident store (opened on first use, from
 * store_where), the shipped data directory, the read-only flag and who acts. main.c fills it;
 * the CLI wraps it with its output streams, the console with its screen. It holds no terminal.
 */
struct sr_session {
	const struct sr_config *cfg;	/* borrowed */
	sr_time now;			/* read by sr_session_clock (SITREP_NOW when set) */
	const char *store_where;	/* --store or cfg->store (borrowed) */
	struct sr_store *store;		/* owned; NULL until sr_session_store */
	const char *datadir;		/* shipped data: runbooks, demo, templates (borrowed) */
	int readonly;			/* refuse every change */
	const char *actor;		/* who changes things: cfg->user */
};

/*
 * Fills s from cfg (borrowed for the session's life) and reads the clock. Returns 0, or -1
 * with *err when SITREP_NOW is set but not a time. sr_session_done() is needed either way.
 */
int sr_session_init(struct sr_session *s, const struct sr_config *cfg, const char *store_where,
		    const char *datadir, int readonly, char **err);
/* Re-reads the clock into s->now; on failure keeps the last time (SITREP_NOW was checked). */
void sr_session_clock(struct sr_session *s);
/*
 * The store, opened from s->store_where on first call. Returns it (owned by s), or NULL with
 * *err when there is no place for it or it cannot be opened.
 */
struct sr_store *sr_session_store(struct sr_session *s, char **err);
/* Closes the store. */
void sr_session_done(struct sr_session *s);

#endif

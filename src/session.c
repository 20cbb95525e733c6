/* SPDX-License-Identifier: MIT */
/* session.c: the config, clock and store one run of sitrep shares between its front ends. */
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "util.h"

int
sr_session_init(struct sr_session *s, const struct sr_config *cfg, const char *store_where,
		const char *datadir, int readonly, char **err)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->store_where = store_where;
	s->datadir = datadir;
	s->readonly = readonly;
	s->actor = cfg->user;
	return sr_clock_now(&s->now, err);
}

void
sr_session_clock(struct sr_session *s)
{
	char *err = NULL;
	sr_time now;

	if (sr_clock_now(&now, &err) == 0)
		s->now = now;
	free(err);
}

struct sr_store *
sr_session_store(struct sr_session *s, char **err)
{
	if (s->store != NULL)
		return s->store;
	if (s->store_where == NULL) {
		*err = sr_xstrdup("no store configured");
		return NULL;
	}
	s->store = sr_store_open(s->store_where, err);
	return s->store;
}

void
sr_session_done(struct sr_session *s)
{
	sr_store_close(s->store);
	s->store = NULL;
}

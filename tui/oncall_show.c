/* SPDX-License-Identifier: MIT */
/* oncall_show.c: who is on call, for the dashboard and wallboard headers and the ladder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "oncall.h"

#define OVERRIDES_EVERY 60	/* seconds between re-reads of the store's overrides */

/* The overrides of the store, read at most once a minute (another console may add one). */
struct tui_oncall {
	struct sr_override_list ov;
	sr_time loaded;		/* model time of the last read, 0 = never */
};

static const struct sr_override_list *
overrides(struct tui_app *app)
{
	struct tui_model *m = &app->model;
	struct tui_oncall *o = app->oncall;
	char *err = NULL;

	if (o == NULL) {
		o = app->oncall = sr_xcalloc(1, sizeof(*o));
		sr_override_list_init(&o->ov);
	}
	if (o->loaded != 0 && m->now >= o->loaded && m->now - o->loaded < OVERRIDES_EVERY)
		return &o->ov;
	o->loaded = m->now;
	sr_override_list_done(&o->ov);
	sr_override_list_init(&o->ov);
	/* a store without overrides (or failing) still shows the plain schedule */
	if (m->st != NULL && m->st->ops->override_list != NULL &&
	    m->st->ops->override_list(m->st, NULL, m->now - 1, INT64_MAX, &o->ov,
				      &err) != 0) {
		free(err);
		sr_override_list_done(&o->ov);
		sr_override_list_init(&o->ov);
	}
	return &o->ov;
}

/* The rotation the headers name: the first level that follows one, else the first rotation. */
static const struct sr_rotation *
header_rotation(const struct sr_config *cfg)
{
	for (int lv = 0; lv < SR_LEVEL_COUNT; lv++) {
		const struct sr_rotation *r = sr_config_rotation(cfg, cfg->level[lv].rotation);

		if (r != NULL)
			return r;
	}
	return cfg->n_rotations > 0 ? &cfg->rotations[0] : NULL;
}

/* "Mon 2026-11-30 09:00 CET" -> "Mon 09:00 CET": a week at most away, the date adds nothing. */
static void
short_local(sr_time t, const char *zone, char *buf, size_t n)
{
	char full[48], day[8] = "", date[16] = "", rest[32] = "";

	sr_oncall_local(t, zone, full, sizeof(full));
	if (sscanf(full, "%7s %15s %31[^\n]", day, date, rest) == 3)
		snprintf(buf, n, "%s %s", day, rest);
	else
		snprintf(buf, n, "%s", full);
}

const char *
tui_oncall_line(struct tui_app *app, char *buf, size_t n)
{
	const struct sr_config *cfg = app->model.cfg;
	const struct sr_rotation *r = header_rotation(cfg);
	const struct sr_override_list *ov;
	struct sr_oncall_now now;
	char *err = NULL, until[48];

	buf[0] = '\0';
	if (r == NULL)
		return buf;
	ov = overrides(app);
	if (sr_oncall_who(r, cfg->timezone, NULL, ov->v, ov->n, app->model.now, &now, &err) != 0) {
		snprintf(buf, n, "on call: unknown (%s)", err);
		free(err);
		return buf;
	}
	if (now.who == NULL) {
		snprintf(buf, n, "on call: nobody in %s", r->name);
	} else {
		short_local(now.until, r->timezone ? r->timezone : cfg->timezone, until,
			    sizeof(until));
		snprintf(buf, n, "on call: %s%s until %s", now.who,
			 now.override_id > 0 ? " (override)" : "", until);
	}
	sr_oncall_now_done(&now);
	return buf;
}

char *
tui_oncall_level(struct tui_app *app, int lv)
{
	const struct sr_override_list *ov = overrides(app);

	return sr_oncall_level_contact(app->model.cfg, lv, app->model.now, ov->v, ov->n);
}

void
tui_oncall_done(struct tui_app *app)
{
	struct tui_oncall *o = app->oncall;

	if (o == NULL)
		return;
	sr_override_list_done(&o->ov);
	free(o);
	app->oncall = NULL;
}

/* SPDX-License-Identifier: MIT */
/* tell.h: being told what is new: highlights, the bell, desktop notifications, the flash. */
#ifndef TUI_TELL_H
#define TUI_TELL_H

#include "model.h"

struct tui_app;

/*
 * Looks for news since the last call: the alert transitions of the feed engine (m->news,
 * taken and freed), new incidents, escalations, updates gone overdue and breaches. The first
 * look is the baseline and tells nothing. News marks rows for [console] highlight seconds,
 * rings the bell ([console] bell), writes a desktop notification ([console] notify) and, for
 * a new P1 or a breach, flashes the wallboard header. Returns 1 when the screen must be
 * repainted (a mark came or went, a flash is on).
 */
int tui_tell_tick(struct tui_app *app);
/* What is new about alert a ("new", "resolved", "changed") while it is highlighted, or NULL. */
const char *tui_tell_alert(const struct tui_model *m, const struct sr_am_alert *a);
/* Why incident id is highlighted ("new", "escalated to L2", ...), or NULL. */
const char *tui_tell_incident(const struct tui_model *m, const char *id);
/* The flash's text while the wallboard header flashes (*on: this second's phase), or NULL. */
const char *tui_tell_flash(const struct tui_model *m, int *on);
void tui_tell_done(struct tui_model *m);

#endif

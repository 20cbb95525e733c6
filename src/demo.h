/* SPDX-License-Identifier: MIT */
/* demo.h: the built-in demo data: a few incidents at different severities and ages. */
#ifndef SR_DEMO_H
#define SR_DEMO_H

#include "config.h"
#include "store.h"

/*
 * Creates the demo incidents in st, as if they had been worked on over the hours before
 * now (each step recorded at its own time). Returns 0, or -1 with *err set.
 */
int sr_demo_seed(struct sr_store *st, const struct sr_config *cfg, sr_time now, char **err);

#endif

/* SPDX-License-Identifier: MIT */
/* tui.h: the ncurses console's entry point, called by main.c when both ends are terminals. */
#ifndef TUI_H
#define TUI_H

#include "session.h"

struct tui_options {
	int readonly;		/* --readonly: every change is refused with a message */
	int demo;		/* --demo: feeds come from ses->datadir/demo fixtures */
	int wallboard;		/* --wallboard: read-only, no prompts, views cycle */
	int wallboard_cycle;	/* --wallboard-cycle N: seconds per view (default 15) */
};

/* tui_run's answers besides 0 (the user quit) and 128 + N (signal N stopped it). */
#define TUI_FAILED (-1)		/* *err says why (the store cannot be opened, ...) */
#define TUI_NO_TERMINAL (-2)	/* *err: "TERM=dumb cannot show the console" */

/*
 * Runs the console until the user quits or SIGTERM/SIGHUP/SIGINT arrives. ses must have its
 * config and clock ready (its store is opened here when not yet). The terminal is restored on
 * every exit path before tui_run returns; it prints nothing itself. Returns 0, 128 + signal,
 * TUI_FAILED or TUI_NO_TERMINAL (with *err, allocated, for the caller to show).
 */
int tui_run(struct sr_session *ses, const struct tui_options *opt, char **err);

#endif

/* SPDX-License-Identifier: MIT */
/* tui.h: the ncurses console's entry point, called by main.c when both ends are terminals. */
#ifndef TUI_H
#define TUI_H

#include "cli.h"

struct tui_options {
	int readonly;		/* --readonly: every change is refused with a message */
	int demo;		/* --demo: feeds come from cli->datadir/demo fixtures */
	int wallboard;		/* --wallboard: read-only, no prompts, views cycle */
	int wallboard_cycle;	/* --wallboard-cycle N: seconds per view (default 15) */
};

/*
 * Runs the console until the user quits or SIGTERM/SIGHUP/SIGINT arrives. cli must have its
 * config, clock and store ready (cli->store is opened here when NULL). The terminal is
 * restored on every exit path. Returns an SR_EXIT_* status; errors that stop the console
 * (no terminal, store cannot be opened) are printed to cli->errf after the screen is restored.
 */
int tui_run(struct sr_cli *cli, const struct tui_options *opt);

#endif

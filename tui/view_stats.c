/* SPDX-License-Identifier: MIT */
/*
 * view_stats.c: the console's post-mortem parts. The statistics view (figures and bar
 * charts of src/stats.c over the last 30 days, `sitrep stats` on screen), and the export
 * draft of an incident: `sitrep export ID -o FILE` run as a child process into the data
 * directory (the console does not wait for it: Prometheus may be slow), opened in the
 * runbook view when it is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "stats.h"
#include "text.h"

extern char **environ;

#define WINDOW_DAYS 30

struct stats_view {
	struct sr_stats s;
	int loaded;
	unsigned inc_gen;
	char err[200];
	/* the export child */
	pid_t child;
	char path[1024], errpath[1040];
};

static struct stats_view *
state(struct tui_app *app)
{
	return tui_view_state(app, TUI_V_STATS, sizeof(struct stats_view));
}

/* --- statistics --- */

static void
update(struct tui_app *app)
{
	struct stats_view *v = state(app);
	struct sr_stats_query q = { 0 };
	char *err = NULL;

	if (v->loaded && v->inc_gen == app->model.inc_gen)
		return;
	sr_stats_done(&v->s);
	q.until = app->model.now + 1;
	q.since = app->model.now - WINDOW_DAYS * 86400;
	v->err[0] = '\0';
	if (sr_store_has_postmortem(app->model.st, &err) != 0 ||
	    sr_store_stats(app->model.st, app->model.cfg, app->model.now, &q, &v->s, &err) != 0)
		snprintf(v->err, sizeof(v->err), "%s", err ? err : "no statistics");
	free(err);
	v->loaded = 1;
	v->inc_gen = app->model.inc_gen;
}

/* "label ████████ 12": a bar of width cols for n of max. */
static void
bar(struct tui_app *app, WINDOW *w, int y, const char *label, int64_t n, int64_t max, int cols,
    enum tui_role r, const char *extra)
{
	char cells[400];
	size_t off = 0;
	int len = max > 0 ? (int)((n * cols + max - 1) / max) : 0;

	for (int i = 0; i < len && off + 4 < sizeof(cells); i++) {
		const char *g = app->th.utf8 ? "\xe2\x96\x88" : "#";

		memcpy(cells + off, g, strlen(g));
		off += strlen(g);
	}
	cells[off] = '\0';
	tui_put(&app->th, w, y, 2, 12, TUI_R_DIM, 0, label);
	tui_put(&app->th, w, y, 15, cols + 1, r, 0, cells);
	tui_putf(&app->th, w, y, 16 + len, 40, TUI_R_NORMAL, "%lld%s", (long long)n,
		 extra ? extra : "");
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	struct stats_view *v = state(app);
	const struct sr_stats *s = &v->s;
	char title[96], a[24], b[24], c[24], d[24];
	int64_t max = 1;
	int y = 1, cols = wd - 30 > 10 ? (wd - 30 > 40 ? 40 : wd - 30) : 10;

	snprintf(title, sizeof(title), "Statistics: incidents of the last %d days", WINDOW_DAYS);
	tui_rule(&app->th, w, 0, 0, wd, title);
	if (v->err[0] != '\0') {
		tui_put(&app->th, w, 2, 2, wd - 4, TUI_R_ERROR, 0, v->err);
		return;
	}
	tui_putf(&app->th, w, y++, 2, wd - 4, TUI_R_TITLE, "%lld incidents, %lld open",
		 (long long)s->incidents, (long long)s->open);
	tui_putf(&app->th, w, y++, 2, wd - 4, TUI_R_NORMAL,
		 "MTTA median %s p90 %s (%lld)   MTTR median %s p90 %s (%lld)",
		 sr_duration_format(s->mtta.median, a, 24), sr_duration_format(s->mtta.p90, b, 24),
		 (long long)s->mtta.n, sr_duration_format(s->mttr.median, c, 24),
		 sr_duration_format(s->mttr.p90, d, 24), (long long)s->mttr.n);
	for (int i = 0; i < SR_SEV_COUNT; i++)
		max = s->by_sev[i] > max ? s->by_sev[i] : max;
	for (int i = 0; i < SR_SEV_COUNT && y < h; i++) {
		char extra[64];

		snprintf(extra, sizeof(extra), "  breached: respond %lld/%lld, resolve %lld/%lld",
			 (long long)s->respond_breached[i], (long long)s->respond_n[i],
			 (long long)s->resolve_breached[i], (long long)s->resolve_n[i]);
		bar(app, w, y++, sr_sev_name((enum sr_sev)i), s->by_sev[i], max, cols,
		    tui_sev_role((enum sr_sev)i), extra);
	}
	if (y < h)
		tui_putf(&app->th, w, y++, 2, wd - 4, TUI_R_NORMAL,
			 "escalations: L2 %lld, L3 %lld, L4 %lld   updates on time: %lld of %lld",
			 (long long)s->escalations[1], (long long)s->escalations[2],
			 (long long)s->escalations[3], (long long)s->updates_on_time,
			 (long long)s->updates);
	if (y + 1 < h && s->n_service > 0) {
		tui_put(&app->th, w, y++, 2, wd - 4, TUI_R_DIM, 0, "by service");
		for (size_t i = 0; i < s->n_service && y < h - 3; i++)
			bar(app, w, y++, s->by_service[i].key, s->by_service[i].n,
			    s->by_service[0].n, cols, TUI_R_SPARK, NULL);
	}
	if (y + 1 < h) {
		tui_putf(&app->th, w, y++, 2, wd - 4, TUI_R_DIM, "open action items: %lld",
			 (long long)s->open_actions);
		for (size_t i = 0; i < s->n_owners && y < h; i++) {
			char extra[40];

			snprintf(extra, sizeof(extra), s->owners[i].overdue ? " (%lld overdue)" : "",
				 (long long)s->owners[i].overdue);
			bar(app, w, y++, s->owners[i].key, s->owners[i].n, s->owners[0].n, cols,
			    s->owners[i].overdue ? TUI_R_WARN : TUI_R_SPARK, extra);
		}
	}
}

/* --- the export draft --- */

/* $XDG_DATA_HOME/sitrep/postmortems (made when missing), or NULL. */
static char *
drafts_dir(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *dir, *probe;

	if (xdg != NULL && *xdg == '/')
		dir = sr_xasprintf("%s/sitrep/postmortems", xdg);
	else if (home != NULL && *home != '\0')
		dir = sr_xasprintf("%s/.local/share/sitrep/postmortems", home);
	else
		return NULL;
	probe = sr_xasprintf("%s/x", dir);
	if (sr_store_parent_dirs(probe, NULL) != 0) {
		free(dir);
		dir = NULL;
	}
	free(probe);
	return dir;
}

enum tui_result
tui_export_draft(struct tui_app *app, const char *id)
{
	struct stats_view *v = state(app);
	const char *argv[12];
	char *dir;
	int n = 0;
	posix_spawn_file_actions_t fa;

	if (v->child > 0) {
		tui_message(app, 1, "a draft is being written already (%s)", v->path);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if ((dir = drafts_dir()) == NULL) {
		tui_message(app, 1, "no data directory for drafts (set HOME or XDG_DATA_HOME)");
		return TUI_HANDLED | TUI_REDRAW;
	}
	snprintf(v->path, sizeof(v->path), "%s/%s.md", dir, id);
	snprintf(v->errpath, sizeof(v->errpath), "%s.err", v->path);
	free(dir);
	argv[n++] = "sitrep";
	if (app->model.cfg->path != NULL) {
		argv[n++] = "--config";
		argv[n++] = app->model.cfg->path;
	}
	if (app->model.ses->store_where != NULL) {
		argv[n++] = "--store";
		argv[n++] = app->model.ses->store_where;
	}
	argv[n++] = "export";
	argv[n++] = id;
	argv[n++] = "-o";
	argv[n++] = v->path;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, v->errpath,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	/* the running binary itself: the same version writes the draft */
	if (posix_spawn(&v->child, "/proc/self/exe", &fa, NULL, (char *const *)argv, environ) !=
	    0) {
		v->child = 0;
		tui_message(app, 1, "cannot run sitrep export: %s", strerror(errno));
	} else {
		tui_message(app, 0, "writing the post-mortem draft of %s to %s", id, v->path);
	}
	posix_spawn_file_actions_destroy(&fa);
	return TUI_HANDLED | TUI_REDRAW;
}

int
tui_export_tick(struct tui_app *app)
{
	struct stats_view *v = app->priv[TUI_V_STATS];
	int status = 0;

	if (v == NULL || v->child <= 0 || waitpid(v->child, &status, WNOHANG) != v->child)
		return 0;
	v->child = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		tui_message(app, 0, "post-mortem draft written to %s", v->path);
		tui_view_open(app, TUI_V_RUNBOOK, v->path);
	} else {
		char line[200] = "";
		FILE *f = fopen(v->errpath, "r");

		if (f != NULL) {
			if (fgets(line, sizeof(line), f) == NULL)
				line[0] = '\0';
			fclose(f);
		}
		line[strcspn(line, "\n")] = '\0';
		tui_message(app, 1, "export failed: %s", line[0] ? line : "sitrep export failed");
	}
	remove(v->errpath);
	return 1;
}

static enum tui_result
action(struct tui_app *app, enum tui_action a)
{
	(void)app;
	if (a == TUI_A_OPEN)
		return TUI_HANDLED;
	return TUI_UNHANDLED;
}

static void
done(struct tui_app *app)
{
	struct stats_view *v = app->priv[TUI_V_STATS];

	if (v == NULL)
		return;
	if (v->child > 0) {
		kill(v->child, SIGTERM);
		waitpid(v->child, NULL, 0);
	}
	sr_stats_done(&v->s);
}

const struct tui_view_ops tui_view_stats = TUI_VIEW("stats", 0, "q back",
	.update = update, .draw = draw, .action = action, .done = done);

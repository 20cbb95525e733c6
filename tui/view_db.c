/* SPDX-License-Identifier: MIT */
/*
 * view_db.c: database health (":db"): each [postgres NAME] of the config checked read-only by
 * src/dbcheck.c each time the view is entered (:db again checks again): connections against
 * max_connections, size, transaction-id age, replica lag, the findings with the runbook for a
 * breach, and the longest queries, transactions and lock waits. Every outside string goes
 * through tui_put (sanitised).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "dbcheck.h"

struct db_state {
	struct sr_db_report *rep;	/* one per [postgres NAME] */
	char **err;			/* why a check failed, or NULL */
	size_t n;
	int loaded;
};

static struct db_state *
state(struct tui_app *app)
{
	return tui_view_state(app, TUI_V_DB, sizeof(struct db_state));
}

static void
db_clear(struct db_state *s)
{
	for (size_t i = 0; i < s->n; i++) {
		sr_db_report_done(&s->rep[i]);
		free(s->err[i]);
	}
	free(s->rep);
	free(s->err);
	memset(s, 0, sizeof(*s));
}

/* Runs every check now (blocking, each bounded by its statement_timeout). */
static void
load(struct tui_app *app)
{
	const struct sr_config *cfg = app->model.cfg;
	struct db_state *s = state(app);

	db_clear(s);
	s->n = cfg->n_pg;
	s->rep = sr_xcalloc(s->n ? s->n : 1, sizeof(*s->rep));
	s->err = sr_xcalloc(s->n ? s->n : 1, sizeof(*s->err));
	for (size_t i = 0; i < s->n; i++)
		if (sr_dbcheck_run(&cfg->pg[i], &s->rep[i], &s->err[i]) != 0 && s->err[i] == NULL)
			s->err[i] = sr_xstrdup("check failed");
	s->loaded = 1;
}

static void
enter(struct tui_app *app)
{
	load(app);
}

static int
sessions(struct tui_app *app, WINDOW *w, int y, int h, int wd, const char *title,
	 const struct sr_db_list *l)
{
	for (size_t i = 0; i < l->n && y < h; i++, y++) {
		const struct sr_db_session *ss = &l->v[i];
		int x = 4;

		x += tui_putf(&app->th, w, y, x, wd - x, TUI_R_DIM, "%-6s %6d %6.0fs ", title,
			      ss->pid, ss->seconds);
		if (ss->blocked_by != NULL)
			x += tui_putf(&app->th, w, y, x, wd - x, TUI_R_ERROR, "blocked by %s ",
				      ss->blocked_by);
		tui_put(&app->th, w, y, x, wd - x, TUI_R_NORMAL, 0, ss->query ? ss->query : "");
	}
	return y;
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	const struct sr_config *cfg = app->model.cfg;
	struct db_state *s = state(app);
	int y = 0;

	if (!s->loaded)
		load(app);
	if (s->n == 0) {
		tui_put(&app->th, w, 0, 1, wd - 1, TUI_R_DIM, 0,
			"No database to watch ([postgres NAME] with url = ... in the config).");
		return;
	}
	for (size_t i = 0; i < s->n && y < h; i++) {
		const struct sr_db_report *r = &s->rep[i];

		tui_rule(&app->th, w, y++, 0, wd, cfg->pg[i].name);
		if (s->err[i] != NULL) {
			tui_put(&app->th, w, y++, 2, wd - 2, TUI_R_ERROR, 0, s->err[i]);
			continue;
		}
		if (y < h)
			tui_putf(&app->th, w, y++, 2, wd - 2, TUI_R_NORMAL,
				 "%s  connections %d/%d  size %lld MB  xid age %lld%s", r->server,
				 r->connections, r->max_connections,
				 (long long)(r->size / (1024 * 1024)), (long long)r->xid_age,
				 r->replica ? "  replica" : "");
		for (size_t f = 0; f < r->n_findings && y < h; f++)
			tui_put(&app->th, w, y++, 4, wd - 4,
				r->findings[f].breached ? TUI_R_ERROR : TUI_R_DIM, 0,
				r->findings[f].text);
		if (r->breached && y < h)
			tui_putf(&app->th, w, y++, 4, wd - 4, TUI_R_TITLE, "runbook: %s (:runbook %s)",
				 cfg->pg[i].runbook, cfg->pg[i].runbook);
		y = sessions(app, w, y, h, wd, "query", &r->queries);
		y = sessions(app, w, y, h, wd, "xact", &r->xacts);
		y = sessions(app, w, y, h, wd, "lock", &r->waits);
	}
}

static void
done(struct tui_app *app)
{
	db_clear(state(app));
}

const struct tui_view_ops tui_view_db = TUI_VIEW(
	"db", 0, " :db check again", .enter = enter, .draw = draw,
	.done = done);

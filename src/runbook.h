/* SPDX-License-Identifier: MIT */
/* runbook.h: runbook directories, alert -> runbook resolution, checklists, FTS5 search index. */
#ifndef SR_RUNBOOK_H
#define SR_RUNBOOK_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* --- the set of runbooks found in the configured directories --- */

struct sr_runbook {
	char *name;		/* path under its dir without ".md": "disk-space", "db/pool" */
	char *path;		/* dir + "/" + relative path */
	char *dir;		/* the directory it was found in */
	char *title;		/* front matter title or first "# " heading (SR_RB_META) */
	char **tags;
	size_t n_tags;
	char **alerts;		/* front matter "alerts:" */
	size_t n_alerts;
	int64_t mtime_ns, size;
};

struct sr_runbook_set {
	struct sr_runbook *v;	/* sorted by name; a name found in an earlier dir wins */
	size_t n, cap;
	char **dirs;		/* the directories scanned, in order */
	size_t n_dirs;
	char *warning;		/* directories that could not be read and were skipped, or NULL */
};

#define SR_RB_META 0x1	/* read each file's front matter (title, tags, alerts) */

/*
 * The directories to search: cfg's [runbooks] dirs, then "<datadir>/runbooks". Allocated:
 * sr_strv_free(dirs, *n).
 */
char **sr_runbook_dirs(const struct sr_config *cfg, const char *datadir, size_t *n);

/*
 * Finds every *.md file (recursively, at most 8 levels, skipping dot files) under dirs into
 * set (initialised here). A missing directory is skipped; an unreadable one is skipped too and
 * named in set->warning, so that it hides none of the other directories' runbooks. With
 * SR_RB_META each file's front matter is read too. Returns 0 (-1 with *err is kept for
 * failures that stop the whole scan).
 */
int sr_runbook_scan(struct sr_runbook_set *set, char *const *dirs, size_t n_dirs, unsigned flags,
		    char **err);
void sr_runbook_set_done(struct sr_runbook_set *set);

/* The runbook named name ("disk-space", "disk-space.md", case-insensitive), or NULL. */
const struct sr_runbook *sr_runbook_find(const struct sr_runbook_set *set, const char *name);
/* Up to max names closest to name (edit distance), as "a, b, c" (allocated; "" if none). */
char *sr_runbook_closest(const struct sr_runbook_set *set, const char *name, size_t max);

/*
 * Resolves what a user typed: "NAME", "NAME#anchor", a path to a file ("./x.md", "/abs/x.md",
 * "dir/x.md#anchor"). Sets *path and *anchor (NULL when none), both allocated. An unknown
 * name fails with the closest names; a missing file with its path.
 */
int sr_runbook_locate(const struct sr_runbook_set *set, const char *arg, char **path,
		      char **anchor, char **err);

/*
 * Follows a link target written in the runbook at from: "other.md#sec", "../x.md", "#sec".
 * Sets *path (allocated, the file) and *anchor (allocated or NULL). Fails for non-local
 * targets ("https://...": not a local runbook) and for missing files ("broken link ...").
 */
int sr_runbook_follow(const char *from, const char *target, char **path, char **anchor,
		      char **err);

/* --- alert -> runbook --- */

enum sr_rb_rule {
	SR_RB_NONE,
	SR_RB_ANNOTATION_PATH,	/* runbook_url annotation, a relative path */
	SR_RB_ANNOTATION_URL,	/* runbook_url annotation, a URL: its last path segment */
	SR_RB_LABEL,		/* a "runbook" label */
	SR_RB_MAP,		/* [runbooks map] alertname = file */
	SR_RB_FRONT_MATTER,	/* a runbook lists the alert in its front matter "alerts:"
				 * (compared ignoring case, unlike the map) */
	SR_RB_PANEL,		/* the panel's runbook = */
	SR_RB_NAME,		/* no rule named one, but a runbook's file name is the alert
				 * name ignoring case and dashes (HighErrorRate,
				 * high-error-rate.md) */
};
/* "annotation", "annotation-url", "label", "map", "front-matter", "panel", "name", "none" */
const char *sr_rb_rule_name(enum sr_rb_rule r);

struct sr_runbook_alert {
	const char *alertname;
	const char *runbook_url;	/* annotation, or NULL */
	const char *runbook_label;	/* label, or NULL */
	const char *panel_runbook;	/* the selected panel's runbook, or NULL */
};

struct sr_runbook_match {
	enum sr_rb_rule rule;
	char *path;		/* the file, NULL when none */
	char *anchor;		/* from a "#fragment", or NULL */
	char *why;		/* sanitised, human-readable: which rule, or why nothing matched */
	char *closest;		/* when none matched: "a, b, c" */
};

/*
 * Applies the rules in the order of enum sr_rb_rule (set must be scanned with SR_RB_META for
 * the front-matter rule). A relative runbook_url ("runbooks/x.md") is looked for in each
 * runbook directory and then against each directory's parent, but only files inside the
 * directories are ever opened (no "..", no absolute path from an alert). A URL's last path
 * segment ("https://wiki/runbooks/x", "x.html") names a runbook by file name, also loosely.
 * The one function both `sitrep runbook for` and the console call. Returns 1 and fills m
 * when a rule names an existing runbook, 0 when none does (m->why says what was tried, m->closest offers names). Never fails otherwise.
 */
int sr_runbook_resolve(const struct sr_runbook_set *set, const struct sr_config *cfg,
		       const struct sr_runbook_alert *a, struct sr_runbook_match *m);
void sr_runbook_match_done(struct sr_runbook_match *m);

/* --- checklists --- */

struct sr_checklist_item {
	int number;	/* 1-based, in document order */
	char *text;	/* plain, sanitised */
	int checked;	/* ticked in the file itself ("[x]") */
};

struct sr_checklist {
	struct sr_checklist_item *v;
	size_t n;
};

/* Reads the task-list items of the runbook at path. Returns 0 or -1 with *err (path named). */
int sr_runbook_checklist(const char *path, struct sr_checklist *out, char **err);
void sr_checklist_done(struct sr_checklist *cl);

/* --- full-text index (SQLite FTS5) --- */

struct sr_runbook_index;

/*
 * $SITREP_RUNBOOK_INDEX, else $XDG_CACHE_HOME/sitrep/runbooks.db, else
 * $HOME/.cache/sitrep/runbooks.db. Allocated; NULL when none of these is set.
 */
char *sr_runbook_index_default_path(void);
/* Opens (creating it and its directory) the index at path. NULL with *err on failure. */
struct sr_runbook_index *sr_runbook_index_open(const char *path, char **err);
void sr_runbook_index_close(struct sr_runbook_index *idx);

struct sr_index_stats {
	size_t files, added, updated, removed, unchanged, sections;
};

/*
 * Brings the index up to date with set: files whose mtime or size changed are re-read,
 * files no longer in set are removed (rebuild: everything is re-read). One transaction.
 * progress (may be NULL) is called after each file read with (done, total to read).
 * A file that cannot be read or is binary is indexed with its name only. Returns 0 or -1.
 */
int sr_runbook_index_update(struct sr_runbook_index *idx, const struct sr_runbook_set *set,
			    int rebuild, void (*progress)(void *arg, size_t done, size_t total),
			    void *arg, struct sr_index_stats *stats, char **err);

/* Snippets mark matches with these bytes; the rest of the snippet is sanitised text. */
#define SR_HL_START '\002'
#define SR_HL_END '\003'

struct sr_search_hit {
	char *name, *path, *title;
	char *heading;	/* the heading the match sits under ("" before the first one) */
	char *anchor;	/* its anchor ("" when none) */
	char *snippet;	/* with SR_HL_START / SR_HL_END around matched terms */
	double score;	/* bm25: lower is better */
};

struct sr_search_hits {
	struct sr_search_hit *v;
	size_t n;
};

/*
 * Searches titles, headings and bodies (words of query, each as a prefix, all required),
 * best first, at most limit hits. An empty query fails. Returns 0 or -1 with *err.
 */
int sr_runbook_search(struct sr_runbook_index *idx, const char *query, size_t limit,
		      struct sr_search_hits *out, char **err);
void sr_search_hits_done(struct sr_search_hits *h);

#endif

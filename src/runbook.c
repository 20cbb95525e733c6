/* SPDX-License-Identifier: MIT */
/* runbook.c: finds runbooks, maps alerts to them, reads checklists, keeps an FTS5 index. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <sqlite3.h>

#include "markdown.h"
#include "runbook.h"
#include "text.h"
#include "util.h"

#define MAX_DEPTH 8
#define INDEX_WIDTH 400	/* layout width for indexing: wide enough that paragraphs stay whole */
#define INDEX_VERSION 1

/* --- directories --- */

char **
sr_runbook_dirs(const struct sr_config *cfg, const char *datadir, size_t *n)
{
	char **v;
	size_t i, k = 0, nc = cfg ? cfg->n_runbook_dirs : 0;

	v = sr_xcalloc(nc + 1, sizeof(*v));
	for (i = 0; i < nc; i++)
		if (cfg->runbook_dirs[i] && cfg->runbook_dirs[i][0])
			v[k++] = sr_xstrdup(cfg->runbook_dirs[i]);
	if (datadir != NULL && datadir[0] != '\0')
		v[k++] = sr_xasprintf("%s/runbooks", datadir);
	*n = k;
	return v;
}

/* --- scanning --- */

static int
ends_with_md(const char *s)
{
	size_t n = strlen(s);

	return n > 3 && sr_strcaseeq(s + n - 3, ".md");
}

static void
rb_done(struct sr_runbook *rb)
{
	free(rb->name);
	free(rb->path);
	free(rb->dir);
	free(rb->title);
	sr_strv_free(rb->tags, rb->n_tags);
	sr_strv_free(rb->alerts, rb->n_alerts);
}

/* Front matter and title come from the head of the file: 64 KiB is plenty. */
static void
rb_read_meta(struct sr_runbook *rb)
{
	char *src;
	size_t len;
	struct sr_md_meta meta;
	int fd = sr_open_regular(rb->path, NULL, NULL);	/* never waits on a FIFO */
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;

	if (f == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	src = sr_xmalloc(65536 + 1);
	len = fread(src, 1, 65536, f);
	fclose(f);
	src[len] = '\0';
	if (sr_text_is_binary(src, len)) {
		free(src);
		return;
	}
	sr_md_meta_read(src, len, &meta);
	free(src);
	rb->title = meta.title;
	rb->tags = meta.tags;
	rb->n_tags = meta.n_tags;
	rb->alerts = meta.alerts;
	rb->n_alerts = meta.n_alerts;
}

/*
 * One scan over the configured roots. Each directory is visited once, by device and inode,
 * whatever links lead to it; a symbolic link is followed only when its target lies inside
 * the root being scanned or is itself one of the configured roots, so a link to ".." or "/"
 * neither loops nor walks out of the runbooks.
 */
struct scan {
	struct sr_runbook_set *set;
	char **real;		/* realpath of each configured root (NULL when missing) */
	size_t n_roots;
	const char *root_real;	/* of the root being scanned */
	struct dev_ino {
		dev_t dev;
		ino_t ino;
	} *seen;
	size_t n_seen, cap_seen;
};

/* Records directory st as visited; returns 0 when it was already. */
static int
first_visit(struct scan *sc, const struct stat *st)
{
	for (size_t i = 0; i < sc->n_seen; i++)
		if (sc->seen[i].dev == st->st_dev && sc->seen[i].ino == st->st_ino)
			return 0;
	sc->seen = sr_xgrow(sc->seen, &sc->cap_seen, sc->n_seen + 1, sizeof(*sc->seen));
	sc->seen[sc->n_seen].dev = st->st_dev;
	sc->seen[sc->n_seen++].ino = st->st_ino;
	return 1;
}

static int
path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* May the symbolic link at full be followed? */
static int
link_allowed(const struct scan *sc, const char *full)
{
	char *target = realpath(full, NULL);
	int ok = 0;

	if (target == NULL)
		return 0;	/* dangling */
	if (sc->root_real != NULL && path_within(target, sc->root_real))
		ok = 1;
	for (size_t i = 0; !ok && i < sc->n_roots; i++)
		ok = sc->real[i] != NULL && strcmp(target, sc->real[i]) == 0;
	free(target);
	return ok;
}

static int
scan_dir(struct scan *sc, const char *root, const char *rel, int depth, char **err)
{
	struct sr_runbook_set *set = sc->set;
	char *dpath = rel[0] ? sr_xasprintf("%s/%s", root, rel) : sr_xstrdup(root);
	DIR *d = opendir(dpath);
	struct dirent *de;
	struct stat dst;
	int rc = 0;

	if (d == NULL) {
		int e = errno;

		/* a configured directory that does not exist (yet) is not an error */
		if (e == ENOENT && depth == 0) {
			free(dpath);
			return 0;
		}
		if (depth == 0)
			rc = sr_err(err, "runbook directory %s: %s", dpath, strerror(e));
		free(dpath);
		return rc;
	}
	if (fstat(dirfd(d), &dst) != 0 || !first_visit(sc, &dst)) {
		closedir(d);
		free(dpath);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		char *full, *r;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		r = rel[0] ? sr_xasprintf("%s/%s", rel, de->d_name) : sr_xstrdup(de->d_name);
		full = sr_xasprintf("%s/%s", root, r);
		if (lstat(full, &st) == 0 && (!S_ISLNK(st.st_mode) || link_allowed(sc, full)) &&
		    stat(full, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth + 1 < MAX_DEPTH) {
				scan_dir(sc, root, r, depth + 1, err);
			} else if (S_ISREG(st.st_mode) && ends_with_md(de->d_name)) {
				struct sr_runbook *rb;

				set->v = sr_xgrow(set->v, &set->cap, set->n + 1, sizeof(*set->v));
				rb = &set->v[set->n++];
				memset(rb, 0, sizeof(*rb));
				rb->name = sr_xstrndup(r, strlen(r) - 3);
				rb->path = full;
				full = NULL;
				rb->dir = sr_xstrdup(root);
				rb->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 +
					       st.st_mtim.tv_nsec;
				rb->size = (int64_t)st.st_size;
			}
		}
		free(full);
		free(r);
	}
	closedir(d);
	free(dpath);
	return 0;
}

static int
cmp_rb(const void *a, const void *b)
{
	const struct sr_runbook *x = a, *y = b;

	return strcmp(x->name, y->name);	/* names are unique by now */
}

int
sr_runbook_scan(struct sr_runbook_set *set, char *const *dirs, size_t n_dirs, unsigned flags,
		char **err)
{
	size_t i, k, start;
	struct scan sc = { .set = set, .n_roots = n_dirs };

	memset(set, 0, sizeof(*set));
	set->dirs = sr_xcalloc(n_dirs + 1, sizeof(*set->dirs));
	set->n_dirs = n_dirs;
	sc.real = sr_xcalloc(n_dirs + 1, sizeof(*sc.real));
	for (i = 0; i < n_dirs; i++) {
		set->dirs[i] = sr_xstrdup(dirs[i]);
		sc.real[i] = realpath(dirs[i], NULL);
	}
	for (i = 0; i < n_dirs; i++) {
		char *derr = NULL;

		start = set->n;
		sc.root_real = sc.real[i];
		if (scan_dir(&sc, dirs[i], "", 0, &derr) < 0) {
			/* one unreadable directory must not hide the runbooks of the others
			 * (the shipped ones above all): it is skipped and named */
			char *w = set->warning;

			set->warning = w ? sr_xasprintf("%s; %s (skipped)", w, derr)
					 : sr_xasprintf("%s (skipped)", derr);
			free(w);
			free(derr);
			continue;
		}
		/* drop names an earlier directory already has */
		for (k = start; k < set->n;) {
			size_t j;
			int dup = 0;

			for (j = 0; j < start && !dup; j++)
				dup = strcmp(set->v[j].name, set->v[k].name) == 0;
			if (dup) {
				rb_done(&set->v[k]);
				set->v[k] = set->v[--set->n];
			} else {
				k++;
			}
		}
	}
	sr_strv_free(sc.real, n_dirs);
	free(sc.seen);
	qsort(set->v, set->n, sizeof(*set->v), cmp_rb);
	if (flags & SR_RB_META)
		for (i = 0; i < set->n; i++)
			rb_read_meta(&set->v[i]);
	return 0;
}

void
sr_runbook_set_done(struct sr_runbook_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		rb_done(&set->v[i]);
	free(set->v);
	sr_strv_free(set->dirs, set->n_dirs);
	free(set->warning);
	memset(set, 0, sizeof(*set));
}

const struct sr_runbook *
sr_runbook_find(const struct sr_runbook_set *set, const char *name)
{
	size_t i, n;
	char *base;

	if (name == NULL || name[0] == '\0')
		return NULL;
	base = sr_xstrdup(name);
	n = strlen(base);
	if (ends_with_md(base))
		base[n - 3] = '\0';
	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, base) == 0)
			goto found;
	for (i = 0; i < set->n; i++)
		if (sr_strcaseeq(set->v[i].name, base))
			goto found;
	/* a bare file name matches a runbook in a subdirectory */
	for (i = 0; i < set->n; i++) {
		const char *slash = strrchr(set->v[i].name, '/');

		if (slash && sr_strcaseeq(slash + 1, base))
			goto found;
	}
	free(base);
	return NULL;
found:
	free(base);
	return &set->v[i];
}

/* "HighErrorRate" -> "high-error-rate", to compare alert names with file names. */
static char *
kebab(const char *s)
{
	struct sr_buf b;
	size_t i;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z') {
			if (i > 0 && b.len > 0 && b.data[b.len - 1] != '-' &&
			    !(s[i - 1] >= 'A' && s[i - 1] <= 'Z'))
				sr_buf_addc(&b, '-');
			sr_buf_addc(&b, (char)(c - 'A' + 'a'));
		} else if (c == '_' || c == ' ' || c == '.') {
			sr_buf_addc(&b, '-');
		} else {
			sr_buf_addc(&b, c);
		}
	}
	return sr_buf_steal(&b);
}

char *
sr_runbook_closest(const struct sr_runbook_set *set, const char *name, size_t max)
{
	struct sr_buf b;
	size_t *dist, i, k, shown = 0;
	char *kb;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	if (set->n == 0 || name == NULL)
		return sr_buf_steal(&b);
	kb = kebab(name);
	dist = sr_xcalloc(set->n, sizeof(*dist));
	for (i = 0; i < set->n; i++) {
		size_t d1 = sr_edit_distance(set->v[i].name, name);
		size_t d2 = sr_edit_distance(set->v[i].name, kb);

		dist[i] = d1 < d2 ? d1 : d2;
		/* a name containing the other is close whatever its length */
		if (strstr(set->v[i].name, kb) || strstr(kb, set->v[i].name))
			dist[i] = 1;
	}
	for (k = 0; k < max && k < set->n; k++) {
		size_t best = (size_t)-1, bi = 0;

		for (i = 0; i < set->n; i++)
			if (dist[i] < best) {
				best = dist[i];
				bi = i;
			}
		if (best == (size_t)-1)
			break;
		if (shown++)
			sr_buf_adds(&b, ", ");
		sr_text_sanitize(&b, set->v[bi].name, strlen(set->v[bi].name), 0);
		dist[bi] = (size_t)-1;
	}
	free(dist);
	free(kb);
	return sr_buf_steal(&b);
}

static int
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Splits "x.md#frag" into an allocated path part and anchor (NULL when none). */
static char *
split_anchor(const char *s, char **anchor)
{
	const char *h = strchr(s, '#');

	*anchor = NULL;
	if (h == NULL)
		return sr_xstrdup(s);
	if (h[1] != '\0')
		*anchor = sr_xstrdup(h + 1);
	return sr_xstrndup(s, (size_t)(h - s));
}

int
sr_runbook_locate(const struct sr_runbook_set *set, const char *arg, char **path, char **anchor,
		  char **err)
{
	const struct sr_runbook *rb;
	char *p, *clean, *close;

	*path = NULL;
	p = split_anchor(arg, anchor);
	if (strchr(p, '/') != NULL || file_exists(p)) {
		if (file_exists(p)) {
			*path = p;
			return 0;
		}
		rb = sr_runbook_find(set, p);
		if (rb != NULL) {
			*path = sr_xstrdup(rb->path);
			free(p);
			return 0;
		}
		clean = sr_text_clean(p);
		sr_err(err, "%s: %s", clean, strerror(ENOENT));
		free(clean);
		goto fail;
	}
	rb = sr_runbook_find(set, p);
	if (rb != NULL) {
		*path = sr_xstrdup(rb->path);
		free(p);
		return 0;
	}
	clean = sr_text_clean(p);
	close = sr_runbook_closest(set, p, 3);
	if (close[0])
		sr_err(err, "no runbook \"%s\" (closest: %s)", clean, close);
	else
		sr_err(err, "no runbook \"%s\" (no runbooks found in %zu director%s)", clean,
		       set->n_dirs, set->n_dirs == 1 ? "y" : "ies");
	free(close);
	free(clean);
fail:
	free(p);
	free(*anchor);
	*anchor = NULL;
	return -1;
}

int
sr_runbook_follow(const char *from, const char *target, char **path, char **anchor, char **err)
{
	const char *slash;
	char *rel, *clean;

	*path = NULL;
	*anchor = NULL;
	if (strstr(target, "://") != NULL || strncmp(target, "mailto:", 7) == 0) {
		clean = sr_text_clean(target);
		sr_err(err, "%s is not a local runbook link", clean);
		free(clean);
		return -1;
	}
	rel = split_anchor(target, anchor);
	if (rel[0] == '\0') {
		free(rel);
		*path = sr_xstrdup(from);
		return 0;
	}
	if (rel[0] == '/') {
		*path = rel;
	} else {
		slash = strrchr(from, '/');
		*path = slash ? sr_xasprintf("%.*s/%s", (int)(slash - from), from, rel)
			      : sr_xstrdup(rel);
		free(rel);
	}
	if (!file_exists(*path)) {
		char *cf = sr_text_clean(from), *ct = sr_text_clean(target);

		sr_err(err, "broken link in %s: %s: no such file", cf, ct);
		free(cf);
		free(ct);
		free(*path);
		free(*anchor);
		*path = NULL;
		*anchor = NULL;
		return -1;
	}
	return 0;
}

/* --- alert -> runbook --- */

static const char *const rule_names[] = {
	[SR_RB_NONE] = "none",
	[SR_RB_ANNOTATION_PATH] = "annotation",
	[SR_RB_ANNOTATION_URL] = "annotation-url",
	[SR_RB_LABEL] = "label",
	[SR_RB_MAP] = "map",
	[SR_RB_FRONT_MATTER] = "front-matter",
	[SR_RB_PANEL] = "panel",
	[SR_RB_NAME] = "name",
};

const char *
sr_rb_rule_name(enum sr_rb_rule r)
{
	return (size_t)r < SR_ARRAY_LEN(rule_names) ? rule_names[r] : "none";
}

/* A relative path without "..": only files inside the runbook directories are opened. */
static int
safe_relative(const char *p)
{
	const char *s = p;

	if (p[0] == '/' || p[0] == '\0')
		return 0;
	while (s != NULL) {
		if (strncmp(s, "..", 2) == 0 && (s[2] == '/' || s[2] == '\0'))
			return 0;
		s = strchr(s, '/');
		if (s != NULL)
			s++;
	}
	return 1;
}

/* dir without trailing slashes or a leading "./" (allocated), to compare paths as strings. */
static char *
norm_dir(const char *d)
{
	size_t n;

	while (d[0] == '.' && d[1] == '/')
		d += 2;
	n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		n--;
	return sr_xstrndup(d, n);
}

/*
 * A safe relative ref ("runbooks/x.md") taken against the parent of each runbook directory,
 * as alert rules written next to a runbooks/ folder name them. The file must still lie inside
 * one of the directories: the parent itself is never searched.
 */
static char *
lookup_parent(const struct sr_runbook_set *set, const char *ref)
{
	size_t i, j;

	for (i = 0; i < set->n_dirs; i++) {
		char *d = norm_dir(set->dirs[i]), *slash = strrchr(d, '/'), *cand;

		if (slash == d)
			cand = sr_xasprintf("/%s", ref);
		else if (slash != NULL)
			cand = sr_xasprintf("%.*s/%s", (int)(slash - d), d, ref);
		else
			cand = sr_xstrdup(ref);
		free(d);
		for (j = 0; j < set->n_dirs; j++) {
			char *dj = norm_dir(set->dirs[j]);
			/* the one rule for "inside" (path_within: "/" holds every path), and a
			 * file below it, not the directory itself */
			int inside = path_within(cand, dj) && strcmp(cand, dj) != 0;

			free(dj);
			if (inside && file_exists(cand))
				return cand;
		}
		free(cand);
	}
	return NULL;
}

/* A name or a relative path inside the dirs (trusted: absolute paths are allowed too). */
static char *
lookup(const struct sr_runbook_set *set, const char *ref, int trusted)
{
	const struct sr_runbook *rb;
	char *p;
	size_t i;

	if (ref == NULL || ref[0] == '\0')
		return NULL;
	if (trusted && ref[0] == '/' && file_exists(ref))
		return sr_xstrdup(ref);
	while (ref[0] == '.' && ref[1] == '/')
		ref += 2;
	if (safe_relative(ref)) {
		for (i = 0; i < set->n_dirs; i++) {
			p = sr_xasprintf("%s/%s", set->dirs[i], ref);
			if (file_exists(p))
				return p;
			free(p);
		}
		if ((p = lookup_parent(set, ref)) != NULL)
			return p;
	}
	rb = sr_runbook_find(set, ref);
	return rb ? sr_xstrdup(rb->path) : NULL;
}

/* s lowercased with everything but letters and digits dropped: "HighErrorRate",
 * "high-error-rate" and "high_error_rate" all give "higherrorrate". Allocated. */
static char *
loose(const char *s)
{
	char *o = sr_xstrdup(s), *w = o;

	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			*w++ = *s;
		else if (*s >= 'A' && *s <= 'Z')
			*w++ = (char)(*s - 'A' + 'a');
	*w = '\0';
	return o;
}

/* The runbook whose file name (without directories and ".md") is name, compared loosely. */
static const struct sr_runbook *
find_loose(const struct sr_runbook_set *set, const char *name)
{
	const struct sr_runbook *best = NULL;
	char *want = loose(name);
	size_t i;

	for (i = 0; want[0] && i < set->n; i++) {
		const char *slash = strrchr(set->v[i].name, '/');
		char *have = loose(slash ? slash + 1 : set->v[i].name);

		/* a top-level runbook wins over one in a subdirectory */
		if (strcmp(have, want) == 0 && (best == NULL || (strchr(best->name, '/') &&
								 !slash)))
			best = &set->v[i];
		free(have);
	}
	free(want);
	return best;
}

/* Appends "before VALUE after" to why, VALUE sanitised. */
static void
tried(struct sr_buf *why, const char *before, const char *value, const char *after)
{
	if (why->len)
		sr_buf_adds(why, "; ");
	sr_buf_adds(why, before);
	sr_text_sanitize(why, value, strlen(value), 0);
	sr_buf_adds(why, after);
}

/* Fills m with the rule that matched; why says it, then what was tried before it. */
static int
found(struct sr_runbook_match *m, enum sr_rb_rule rule, char *path, char *anchor,
      struct sr_buf *why, const char *before, const char *value, const char *after)
{
	struct sr_buf win;

	m->rule = rule;
	m->path = path;
	m->anchor = anchor;
	sr_buf_init(&win);
	tried(&win, before, value, after);
	if (why->len > 0) {
		sr_buf_adds(&win, "; before it: ");
		sr_buf_add(&win, why->data, why->len);
	}
	sr_buf_done(why);
	m->why = sr_buf_steal(&win);
	return 1;
}

/*
 * One rule that names a runbook by reference ("file.md#anchor" in ref_text): returns 1 with m
 * filled (why: found_label + found_value) when it resolves, else appends miss_label +
 * miss_value + miss_after to why and returns 0.
 */
static int
try_ref(struct sr_runbook_match *m, const struct sr_runbook_set *set, const char *ref_text,
	int trusted, enum sr_rb_rule rule, struct sr_buf *why, const char *found_label,
	const char *found_value, const char *miss_label, const char *miss_value,
	const char *miss_after)
{
	char *anchor = NULL, *ref = split_anchor(ref_text, &anchor);
	char *path = lookup(set, ref, trusted);

	free(ref);
	if (path)
		return found(m, rule, path, anchor, why, found_label, found_value, "");
	free(anchor);
	tried(why, miss_label, miss_value, miss_after);
	return 0;
}

int
sr_runbook_resolve(const struct sr_runbook_set *set, const struct sr_config *cfg,
		   const struct sr_runbook_alert *a, struct sr_runbook_match *m)
{
	struct sr_buf why;
	char *path, *anchor = NULL, *ref;
	size_t i, j;

	memset(m, 0, sizeof(*m));
	sr_buf_init(&why);
	if (a->runbook_url && a->runbook_url[0]) {
		const char *u = a->runbook_url;
		const char *scheme = strstr(u, "://");

		ref = split_anchor(u, &anchor);
		if (scheme == NULL) {
			path = lookup(set, ref, 0);
			if (path) {
				free(ref);
				return found(m, SR_RB_ANNOTATION_PATH, path, anchor, &why,
					     "runbook_url annotation ", u, "");
			}
			tried(&why, "runbook_url annotation ", u,
			      " is not a file in the runbook dirs");
		} else {
			/* the last path segment of the URL, without query */
			char *q = strpbrk(ref, "?");
			char *seg;

			if (q)
				*q = '\0';
			while (strlen(ref) > 0 && ref[strlen(ref) - 1] == '/')
				ref[strlen(ref) - 1] = '\0';
			seg = strrchr(ref, '/');
			seg = seg ? seg + 1 : ref;
			path = NULL;
			if (strstr(ref, "://") + 3 < seg) {
				const struct sr_runbook *rb;
				size_t n = strlen(seg);

				/* a wiki page of the runbook: "postgres-down.html" */
				if (n > 5 && sr_strcaseeq(seg + n - 5, ".html"))
					seg[n - 5] = '\0';
				else if (n > 4 && sr_strcaseeq(seg + n - 4, ".htm"))
					seg[n - 4] = '\0';
				path = lookup(set, seg, 0);
				if (path == NULL && (rb = find_loose(set, seg)) != NULL)
					path = sr_xstrdup(rb->path);
			}
			if (path) {
				free(ref);
				return found(m, SR_RB_ANNOTATION_URL, path, anchor, &why,
					     "runbook_url annotation ", u,
					     " (its last path segment)");
			}
			tried(&why, "runbook_url ", u, " names no local runbook");
		}
		free(ref);
		free(anchor);
		anchor = NULL;
	}
	if (a->runbook_label && a->runbook_label[0] &&
	    try_ref(m, set, a->runbook_label, 0, SR_RB_LABEL, &why, "runbook label ",
		    a->runbook_label, "runbook label ", a->runbook_label, " is not a runbook"))
		return 1;
	if (cfg && a->alertname) {
		for (i = 0; i < cfg->n_runbook_map; i++) {
			/* alert names are case-sensitive in the map (sitrep.conf(5)) */
			if (cfg->runbook_map[i].alertname == NULL ||
			    strcmp(cfg->runbook_map[i].alertname, a->alertname) != 0)
				continue;
			if (try_ref(m, set, cfg->runbook_map[i].file, 1, SR_RB_MAP, &why,
				    "[runbooks map] ", a->alertname, "[runbooks map] names ",
				    cfg->runbook_map[i].file, ", which is missing"))
				return 1;
		}
	}
	if (a->alertname) {
		for (i = 0; i < set->n; i++)
			for (j = 0; j < set->v[i].n_alerts; j++)
				if (sr_strcaseeq(set->v[i].alerts[j], a->alertname))
					return found(m, SR_RB_FRONT_MATTER,
						     sr_xstrdup(set->v[i].path), NULL, &why,
						     "", set->v[i].name,
						     " lists the alert in its front matter");
	}
	if (a->panel_runbook && a->panel_runbook[0] &&
	    try_ref(m, set, a->panel_runbook, 1, SR_RB_PANEL, &why, "panel runbook ",
		    a->panel_runbook, "panel runbook ", a->panel_runbook, " is missing"))
		return 1;
	if (a->alertname) {
		const struct sr_runbook *rb = find_loose(set, a->alertname);

		if (rb != NULL)
			return found(m, SR_RB_NAME, sr_xstrdup(rb->path), NULL, &why,
				     "the alert name matches runbook ", rb->name,
				     " (ignoring case and dashes)");
	}
	m->rule = SR_RB_NONE;
	if (why.len == 0)
		tried(&why, "no runbook_url annotation, runbook label, map entry, front matter, "
			    "panel or runbook name matches ", a->alertname ? a->alertname : "", "");
	m->why = sr_buf_steal(&why);
	m->closest = sr_runbook_closest(set, a->alertname ? a->alertname : "", 3);
	return 0;
}

void
sr_runbook_match_done(struct sr_runbook_match *m)
{
	free(m->path);
	free(m->anchor);
	free(m->why);
	free(m->closest);
	memset(m, 0, sizeof(*m));
}

/* --- checklists --- */

int
sr_runbook_checklist(const char *path, struct sr_checklist *out, char **err)
{
	struct sr_doc *doc;
	size_t i;

	memset(out, 0, sizeof(*out));
	doc = sr_md_load(path, 80, SR_MD_NO_REFS, err);
	if (doc == NULL)
		return -1;
	out->v = sr_xcalloc(doc->n_tasks + 1, sizeof(*out->v));
	out->n = doc->n_tasks;
	for (i = 0; i < doc->n_tasks; i++) {
		out->v[i].number = doc->tasks[i].number;
		out->v[i].text = doc->tasks[i].text;
		doc->tasks[i].text = NULL;
		out->v[i].checked = doc->tasks[i].checked;
	}
	sr_doc_free(doc);
	return 0;
}

void
sr_checklist_done(struct sr_checklist *cl)
{
	size_t i;

	for (i = 0; i < cl->n; i++)
		free(cl->v[i].text);
	free(cl->v);
	memset(cl, 0, sizeof(*cl));
}

/* --- the full-text index --- */

struct sr_runbook_index {
	sqlite3 *db;
	char *path;
};

char *
sr_runbook_index_default_path(void)
{
	const char *e = getenv("SITREP_RUNBOOK_INDEX");

	if (e != NULL && e[0] != '\0')
		return sr_xstrdup(e);
	e = getenv("XDG_CACHE_HOME");
	if (e != NULL && e[0] == '/')
		return sr_xasprintf("%s/sitrep/runbooks.db", e);
	e = getenv("HOME");
	if (e != NULL && e[0] != '\0')
		return sr_xasprintf("%s/.cache/sitrep/runbooks.db", e);
	return NULL;
}

static int
db_fail(struct sr_runbook_index *idx, const char *what, char **err)
{
	return sr_err(err, "runbook index %s: %s: %s", idx->path, what, sqlite3_errmsg(idx->db));
}

static int
exec(struct sr_runbook_index *idx, const char *sql, char **err)
{
	if (sqlite3_exec(idx->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(idx, sql, err);
	return 0;
}

static void
mkdir_parents(const char *path)
{
	char *p = sr_xstrdup(path), *s;

	for (s = p + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	free(p);
}

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS files(id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL,"
	" name TEXT NOT NULL, title TEXT NOT NULL, mtime_ns INTEGER NOT NULL,"
	" size INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS sect(id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL,"
	" heading TEXT NOT NULL, anchor TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS sect_file ON sect(file_id);"
	"CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, heading, body,"
	" tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');";

struct sr_runbook_index *
sr_runbook_index_open(const char *path, char **err)
{
	struct sr_runbook_index *idx = sr_xcalloc(1, sizeof(*idx));
	sqlite3_stmt *st = NULL;
	int version = 0;

	idx->path = sr_text_clean(path);
	mkdir_parents(path);
	if (sqlite3_open_v2(path, &idx->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		db_fail(idx, "open", err);
		goto fail;
	}
	sqlite3_busy_timeout(idx->db, 5000);
	if (sqlite3_prepare_v2(idx->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) {
		db_fail(idx, "read version", err);
		goto fail;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	/* the index is a cache: an old layout is simply rebuilt */
	if (version != INDEX_VERSION &&
	    (exec(idx, "DROP TABLE IF EXISTS fts; DROP TABLE IF EXISTS sect;"
		       "DROP TABLE IF EXISTS files;", err) < 0 ||
	     exec(idx, "PRAGMA user_version = 1", err) < 0))
		goto fail;
	if (exec(idx, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", err) < 0 ||
	    exec(idx, schema, err) < 0)
		goto fail;
	return idx;
fail:
	sr_runbook_index_close(idx);
	return NULL;
}

void
sr_runbook_index_close(struct sr_runbook_index *idx)
{
	if (idx == NULL)
		return;
	sqlite3_close(idx->db);
	free(idx->path);
	free(idx);
}

/* Plain text of doc lines [a, b): spans that carry words, lines joined with spaces. */
static void
plain_lines(const struct sr_doc *doc, size_t a, size_t b, struct sr_buf *out)
{
	const unsigned skip = SR_MD_RULE | SR_MD_TABLE_BORDER | SR_MD_LIST_MARKER | SR_MD_QUOTE |
			      SR_MD_TASK | SR_MD_TASK_DONE | SR_MD_HEADING_MARK | SR_MD_CUT;
	size_t i, j;

	for (i = a; i < b; i++) {
		const struct sr_md_line *ln = &doc->lines[i];

		for (j = ln->first; j < ln->first + ln->n; j++) {
			const struct sr_md_span *sp = &doc->spans[j];

			if (sp->style & skip)
				continue;
			sr_buf_add(out, doc->text + sp->off, sp->len);
		}
		if (ln->n > 0)
			sr_buf_addc(out, '\n');
	}
}

enum {
	Q_FILE_GET, Q_FILE_INS, Q_FILE_UPD, Q_FILE_DEL, Q_FILE_ALL, Q_SECT_INS, Q_FTS_INS,
	Q_FTS_DEL, Q_SECT_DEL, Q_COUNT
};

static const char *const queries[Q_COUNT] = {
	[Q_FILE_GET] = "SELECT id, mtime_ns, size FROM files WHERE path = ?1",
	[Q_FILE_INS] = "INSERT INTO files(path, name, title, mtime_ns, size)"
		       " VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_FILE_UPD] = "UPDATE files SET name = ?2, title = ?3, mtime_ns = ?4, size = ?5"
		       " WHERE id = ?1",
	[Q_FILE_DEL] = "DELETE FROM files WHERE id = ?1",
	[Q_FILE_ALL] = "SELECT id, path FROM files",
	[Q_SECT_INS] = "INSERT INTO sect(file_id, heading, anchor) VALUES (?1, ?2, ?3)",
	[Q_FTS_INS] = "INSERT INTO fts(rowid, title, heading, body) VALUES (?1, ?2, ?3, ?4)",
	[Q_FTS_DEL] = "DELETE FROM fts WHERE rowid IN (SELECT id FROM sect WHERE file_id = ?1)",
	[Q_SECT_DEL] = "DELETE FROM sect WHERE file_id = ?1",
};

static int
step_done(struct sr_runbook_index *idx, sqlite3_stmt *st, char **err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(idx, "write", err);
	return 0;
}

static int
drop_sections(struct sr_runbook_index *idx, sqlite3_stmt **q, int64_t file_id, char **err)
{
	sqlite3_bind_int64(q[Q_FTS_DEL], 1, file_id);
	if (step_done(idx, q[Q_FTS_DEL], err) < 0)
		return -1;
	sqlite3_bind_int64(q[Q_SECT_DEL], 1, file_id);
	return step_done(idx, q[Q_SECT_DEL], err);
}

static int
add_section(struct sr_runbook_index *idx, sqlite3_stmt **q, int64_t file_id, const char *title,
	    const char *heading, const char *anchor, const char *body, size_t body_len,
	    size_t *n, char **err)
{
	int64_t id;

	sqlite3_bind_int64(q[Q_SECT_INS], 1, file_id);
	sqlite3_bind_text(q[Q_SECT_INS], 2, heading, -1, SQLITE_STATIC);
	sqlite3_bind_text(q[Q_SECT_INS], 3, anchor, -1, SQLITE_STATIC);
	if (step_done(idx, q[Q_SECT_INS], err) < 0)
		return -1;
	id = sqlite3_last_insert_rowid(idx->db);
	sqlite3_bind_int64(q[Q_FTS_INS], 1, id);
	sqlite3_bind_text(q[Q_FTS_INS], 2, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q[Q_FTS_INS], 3, heading, -1, SQLITE_STATIC);
	sqlite3_bind_text(q[Q_FTS_INS], 4, body, (int)body_len, SQLITE_STATIC);
	(*n)++;
	return step_done(idx, q[Q_FTS_INS], err);
}

/* Reads one runbook into sections: the text before the first heading, then one per heading. */
static int
index_file(struct sr_runbook_index *idx, sqlite3_stmt **q, int64_t file_id,
	   const struct sr_runbook *rb, const struct sr_doc *doc, size_t *n, char **err)
{
	struct sr_buf body;
	const char *title = doc && doc->title ? doc->title : rb->name;
	size_t i, start;
	int rc = 0;

	if (doc == NULL)
		return add_section(idx, q, file_id, title, "", "", "", 0, n, err);
	sr_buf_init(&body);
	sr_buf_adds(&body, "");
	start = doc->n_toc > 0 ? doc->toc[0].line : doc->n_lines;
	plain_lines(doc, 0, start, &body);
	if (body.len > 0 || doc->n_toc == 0)
		rc = add_section(idx, q, file_id, title, "", "", body.data, body.len, n, err);
	for (i = 0; i < doc->n_toc && rc == 0; i++) {
		size_t a = doc->toc[i].line, b = i + 1 < doc->n_toc ? doc->toc[i + 1].line
								  : doc->n_lines;

		/* skip the heading's own lines (text and underline) */
		while (a < b && doc->lines[a].heading)
			a++;
		body.len = 0;
		body.data[0] = '\0';
		plain_lines(doc, a, b, &body);
		rc = add_section(idx, q, file_id, title, doc->toc[i].text, doc->toc[i].anchor,
				 body.data ? body.data : "", body.len, n, err);
	}
	sr_buf_done(&body);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
sr_runbook_index_update(struct sr_runbook_index *idx, const struct sr_runbook_set *set,
			int rebuild, void (*progress)(void *arg, size_t done, size_t total),
			void *arg, struct sr_index_stats *stats, char **err)
{
	sqlite3_stmt *q[Q_COUNT] = { 0 };
	int64_t *ids;
	unsigned char *todo;
	size_t i, total = 0, done = 0;
	int rc = -1, in_tx = 0;

	memset(stats, 0, sizeof(*stats));
	stats->files = set->n;
	for (i = 0; i < Q_COUNT; i++)
		if (sqlite3_prepare_v2(idx->db, queries[i], -1, &q[i], NULL) != SQLITE_OK) {
			db_fail(idx, "prepare", err);
			goto out_q;
		}
	if (exec(idx, "BEGIN IMMEDIATE", err) < 0)
		goto out_q;
	in_tx = 1;
	ids = sr_xcalloc(set->n + 1, sizeof(*ids));
	todo = sr_xcalloc(set->n + 1, 1);
	/* what changed: compare mtime and size */
	for (i = 0; i < set->n; i++) {
		const struct sr_runbook *rb = &set->v[i];

		sqlite3_bind_text(q[Q_FILE_GET], 1, rb->path, -1, SQLITE_STATIC);
		if (sqlite3_step(q[Q_FILE_GET]) == SQLITE_ROW) {
			ids[i] = sqlite3_column_int64(q[Q_FILE_GET], 0);
			if (rebuild || sqlite3_column_int64(q[Q_FILE_GET], 1) != rb->mtime_ns ||
			    sqlite3_column_int64(q[Q_FILE_GET], 2) != rb->size)
				todo[i] = 2;	/* update */
		} else {
			todo[i] = 1;		/* new */
		}
		sqlite3_reset(q[Q_FILE_GET]);
		if (todo[i])
			total++;
		else
			stats->unchanged++;
	}
	/* files gone from the set (paths sorted once, then looked up by bisection) */
	{
		int64_t *gone = NULL;
		size_t n_gone = 0, cap = 0;
		const char **paths = sr_xcalloc(set->n + 1, sizeof(*paths));

		for (i = 0; i < set->n; i++)
			paths[i] = set->v[i].path;
		qsort(paths, set->n, sizeof(*paths), cmp_str);
		while (sqlite3_step(q[Q_FILE_ALL]) == SQLITE_ROW) {
			const char *p = (const char *)sqlite3_column_text(q[Q_FILE_ALL], 1);
			int keep = p != NULL && bsearch(&p, paths, set->n, sizeof(*paths),
							cmp_str) != NULL;

			if (!keep) {
				gone = sr_xgrow(gone, &cap, n_gone + 1, sizeof(*gone));
				gone[n_gone++] = sqlite3_column_int64(q[Q_FILE_ALL], 0);
			}
		}
		sqlite3_reset(q[Q_FILE_ALL]);
		free(paths);
		for (i = 0; i < n_gone; i++) {
			sqlite3_bind_int64(q[Q_FILE_DEL], 1, gone[i]);
			if (drop_sections(idx, q, gone[i], err) < 0 ||
			    step_done(idx, q[Q_FILE_DEL], err) < 0) {
				free(gone);
				goto out;
			}
			stats->removed++;
		}
		free(gone);
	}
	for (i = 0; i < set->n; i++) {
		const struct sr_runbook *rb = &set->v[i];
		struct sr_doc *doc;
		char *e = NULL;
		const char *title;
		sqlite3_stmt *w;

		if (!todo[i])
			continue;
		doc = sr_md_load(rb->path, INDEX_WIDTH, SR_MD_NO_REFS | SR_MD_ASCII, &e);
		free(e);	/* unreadable or binary: indexed by name only */
		title = doc && doc->title ? doc->title : rb->name;
		if (todo[i] == 2 && drop_sections(idx, q, ids[i], err) < 0) {
			sr_doc_free(doc);
			goto out;
		}
		w = todo[i] == 1 ? q[Q_FILE_INS] : q[Q_FILE_UPD];
		if (todo[i] == 1)
			sqlite3_bind_text(w, 1, rb->path, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(w, 1, ids[i]);
		sqlite3_bind_text(w, 2, rb->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(w, 3, title, -1, SQLITE_STATIC);
		sqlite3_bind_int64(w, 4, rb->mtime_ns);
		sqlite3_bind_int64(w, 5, rb->size);
		if (step_done(idx, w, err) < 0) {
			sr_doc_free(doc);
			goto out;
		}
		if (todo[i] == 1)
			ids[i] = sqlite3_last_insert_rowid(idx->db);
		if (index_file(idx, q, ids[i], rb, doc, &stats->sections, err) < 0) {
			sr_doc_free(doc);
			goto out;
		}
		sr_doc_free(doc);
		if (todo[i] == 1)
			stats->added++;
		else
			stats->updated++;
		if (progress)
			progress(arg, ++done, total);
	}
	if (exec(idx, "COMMIT", err) < 0)
		goto out;
	in_tx = 0;
	rc = 0;
out:
	if (in_tx)
		sqlite3_exec(idx->db, "ROLLBACK", NULL, NULL, NULL);
	free(ids);
	free(todo);
out_q:
	for (i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(q[i]);
	return rc;
}

/* Each word of the query becomes a quoted FTS5 prefix term: no query syntax from users. */
static char *
fts_query(const char *query)
{
	struct sr_buf b;
	const unsigned char *s = (const unsigned char *)query;
	int in_word = 0;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	for (; *s; s++) {
		int word = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			   (*s >= '0' && *s <= '9') || *s == '_' || *s >= 0x80;

		if (word && !in_word) {
			if (b.len)
				sr_buf_addc(&b, ' ');
			sr_buf_addc(&b, '"');
		} else if (!word && in_word) {
			sr_buf_adds(&b, "\"*");
		}
		if (word)
			sr_buf_addc(&b, (char)*s);
		in_word = word;
	}
	if (in_word)
		sr_buf_adds(&b, "\"*");
	return sr_buf_steal(&b);
}

static char *
col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return sr_text_clean(t ? (const char *)t : "");
}

/* Snippets keep the highlight bytes but sanitise everything between them. */
static char *
snippet_clean(const char *s)
{
	struct sr_buf b;
	const char *p;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	if (s == NULL)
		return sr_buf_steal(&b);
	while (*s) {
		p = s;
		while (*p && *p != SR_HL_START && *p != SR_HL_END)
			p++;
		sr_text_sanitize(&b, s, (size_t)(p - s), 0);
		if (*p)
			sr_buf_addc(&b, *p++);
		s = p;
	}
	return sr_buf_steal(&b);
}

int
sr_runbook_search(struct sr_runbook_index *idx, const char *query, size_t limit,
		  struct sr_search_hits *out, char **err)
{
	/*
	 * Two steps: rank every match (cheap), then build snippets for the best few only, in
	 * one query — snippet() in the ranking query would run for every matching section.
	 */
	static const char rank_sql[] =
		"SELECT rowid, bm25(fts, 10.0, 5.0, 1.0) AS score FROM fts WHERE fts MATCH ?1"
		" ORDER BY score LIMIT ?2";
	sqlite3_stmt *st = NULL, *hs = NULL;
	struct sr_buf sql;
	int64_t *ids = NULL;
	double *scores = NULL;
	size_t n = 0, cap = 0, i;
	char *q;
	int rc;

	memset(out, 0, sizeof(*out));
	q = fts_query(query ? query : "");
	if (q[0] == '\0') {
		free(q);
		return sr_err(err, "empty search: give one or more words");
	}
	if (sqlite3_prepare_v2(idx->db, rank_sql, -1, &st, NULL) != SQLITE_OK) {
		free(q);
		return db_fail(idx, "search", err);
	}
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(limit ? limit : 10));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t c2 = cap;

		ids = sr_xgrow(ids, &cap, n + 1, sizeof(*ids));
		scores = sr_xgrow(scores, &c2, n + 1, sizeof(*scores));
		ids[n] = sqlite3_column_int64(st, 0);
		scores[n++] = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(idx, "search", err);
		goto out;
	}
	rc = 0;
	if (n == 0)
		goto out;
	sr_buf_init(&sql);
	sr_buf_adds(&sql, "SELECT fts.rowid, f.name, f.path, f.title, s.heading, s.anchor,"
			  " snippet(fts, -1, char(2), char(3), '…', 16)"
			  " FROM fts JOIN sect s ON s.id = fts.rowid"
			  " JOIN files f ON f.id = s.file_id"
			  " WHERE fts MATCH ?1 AND fts.rowid IN (");
	for (i = 0; i < n; i++)
		sr_buf_printf(&sql, i ? ", ?%zu" : "?%zu", i + 2);
	sr_buf_adds(&sql, ")");
	if (sqlite3_prepare_v2(idx->db, sql.data, -1, &hs, NULL) != SQLITE_OK) {
		sr_buf_done(&sql);
		rc = db_fail(idx, "search", err);
		goto out;
	}
	sr_buf_done(&sql);
	sqlite3_bind_text(hs, 1, q, -1, SQLITE_STATIC);
	for (i = 0; i < n; i++)
		sqlite3_bind_int64(hs, (int)i + 2, ids[i]);
	out->v = sr_xcalloc(n, sizeof(*out->v));
	while ((rc = sqlite3_step(hs)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(hs, 0);
		struct sr_search_hit *h;

		for (i = 0; i < n && ids[i] != id; i++)
			;
		if (i == n || out->v[i].name != NULL)
			continue;
		h = &out->v[i];	/* keep the ranking's order */
		h->name = col_dup(hs, 1);
		h->path = col_dup(hs, 2);
		h->title = col_dup(hs, 3);
		h->heading = col_dup(hs, 4);
		h->anchor = col_dup(hs, 5);
		h->snippet = snippet_clean((const char *)sqlite3_column_text(hs, 6));
		h->score = scores[i];
	}
	sqlite3_finalize(hs);
	if (rc != SQLITE_DONE) {
		out->n = n;
		sr_search_hits_done(out);
		rc = db_fail(idx, "search", err);
		goto out;
	}
	rc = 0;
	/* drop ranked sections whose rows vanished meanwhile (another writer) */
	for (i = 0; i < n; i++)
		if (out->v[i].name != NULL)
			out->v[out->n++] = out->v[i];
out:
	free(ids);
	free(scores);
	free(q);
	return rc;
}

void
sr_search_hits_done(struct sr_search_hits *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].path);
		free(h->v[i].title);
		free(h->v[i].heading);
		free(h->v[i].anchor);
		free(h->v[i].snippet);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
}

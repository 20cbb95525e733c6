/* SPDX-License-Identifier: MIT */
/* store.c: picks the store backend for a path or URL and hands out the ops table behind it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"
#include "util.h"

/* --- naming the store safely --- */

/*
 * Returns a copy of a URL with the password of "scheme://user:password@host" and any
 * "password=" query parameter replaced by "***", so the result can go into messages.
 */
static char *
redact_url(const char *url)
{
	struct sr_buf b;
	const char *scheme = strstr(url, "://");
	const char *p = url;

	sr_buf_init(&b);
	if (scheme != NULL) {
		const char *auth = scheme + 3;
		size_t authlen = strcspn(auth, "/?#");
		const char *at = NULL;

		/* The last '@' before the path ends the userinfo (passwords may hold '@'). */
		for (size_t i = 0; i < authlen; i++)
			if (auth[i] == '@')
				at = auth + i;
		if (at != NULL) {
			const char *colon = memchr(auth, ':', (size_t)(at - auth));

			if (colon != NULL) {
				sr_buf_add(&b, url, (size_t)(colon - url) + 1);
				sr_buf_adds(&b, "***");
				p = at;
			}
		}
	}
	while (*p != '\0') {
		size_t n = strcspn(p, "?&");

		sr_buf_add(&b, p, n);
		p += n;
		if (*p == '\0')
			break;
		sr_buf_addc(&b, *p++);
		if (strncmp(p, "password=", 9) == 0) {
			sr_buf_adds(&b, "password=***");
			p += 9 + strcspn(p + 9, "&#");
		}
	}
	return sr_buf_steal(&b);
}

static int
is_pg_url(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0;
}

/* --- creating the directory of a SQLite file --- */

/* mkdir -p for the directory part of path, new directories private to the user (0700). */
static int
make_parent_dirs(const char *path, char **err)
{
	char *dir = sr_xstrdup(path);
	char *slash = strrchr(dir, '/');
	struct stat sb;

	if (slash == NULL || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	if (stat(dir, &sb) == 0) {
		int ok = S_ISDIR(sb.st_mode);

		if (!ok)
			sr_err(err, "store %s: %s is not a directory", path, dir);
		free(dir);
		return ok ? 0 : -1;
	}
	for (char *p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			sr_err(err, "store %s: cannot create directory %s: %s", path, dir,
			       strerror(errno));
			free(dir);
			return -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(dir);
	return 0;
}

/* --- public --- */

struct sr_store *
sr_store_open(const char *where, char **err)
{
	if (where == NULL || *where == '\0') {
		sr_err(err, "store: no path given");
		return NULL;
	}
	if (is_pg_url(where)) {
		char *safe = redact_url(where);

		sr_err(err, "PostgreSQL stores are not available in this build yet (store = %s); "
		       "use a file path", safe);
		free(safe);
		return NULL;
	}
	if (make_parent_dirs(where, err) != 0)
		return NULL;
	return sr_store_sqlite_open(where, err);
}

void
sr_store_close(struct sr_store *st)
{
	if (st == NULL)
		return;
	st->ops->close(st);
}

int
sr_store_has_postmortem(const struct sr_store *st, char **err)
{
	if (st->ops->chain_walk == NULL || st->ops->chain_head == NULL ||
	    st->ops->actions == NULL || st->ops->stats == NULL)
		return sr_err(err, "%s: the %s store does not keep the post-mortem data "
			      "(verifiable timeline, action items, statistics) yet", st->where,
			      st->ops->name);
	return 0;
}

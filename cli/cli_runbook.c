/* SPDX-License-Identifier: MIT */
/* cli_runbook.c: `sitrep runbook list|show|search|for|index`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "alertmgr.h"
#include "change.h"
#include "cli.h"
#include "feed.h"
#include "http.h"
#include "incident.h"
#include "markdown.h"
#include "render_ansi.h"
#include "runbook.h"
#include "store.h"
#include "text.h"

/* --- shared helpers --- */

/* Reads "--opt VALUE" or "--opt=VALUE" at argv[*i]; returns the value or NULL. */
static const char *
opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int
term_width(struct sr_cli *cli)
{
	const char *c = getenv("COLUMNS");
	int w = sr_cli_tty_width(cli);
	long v;

	if (w > 0)
		return w;
	if (c != NULL && sr_cli_long(c, 1, 10000, &v) == 0)
		return (int)v;
	return 80;
}

/* OSC 8 only where the terminal is known to handle it (or the user asks for it). */
static int
osc8_supported(void)
{
	const char *e = getenv("SITREP_HYPERLINKS"), *tp = getenv("TERM_PROGRAM");
	const char *vte = getenv("VTE_VERSION");

	if (e != NULL)
		return strcmp(e, "1") == 0 || strcmp(e, "yes") == 0;
	if (getenv("TMUX") != NULL)
		return 0;
	if (vte != NULL && atoi(vte) >= 5000)
		return 1;
	if (getenv("KITTY_WINDOW_ID") || getenv("WT_SESSION"))
		return 1;
	return tp != NULL && (strcmp(tp, "iTerm.app") == 0 || strcmp(tp, "WezTerm") == 0 ||
			      strcmp(tp, "vscode") == 0);
}

static void
progress_cb(void *arg, size_t done, size_t total)
{
	FILE *f = arg;

	if (done == total || done % 25 == 0)
		fprintf(f, "\rindexing runbooks %zu/%zu", done, total);
	if (done == total)
		fputs("\r\033[K", f);
	fflush(f);
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* --- help texts (one table: the usage lines and `--help` come from it) --- */

static const struct {
	const char *name;
	const char *usage;
	const char *help;
} subs[] = {
	{ "list", "runbook list [--json]",
	  "Lists the runbooks in the configured directories and the shipped examples:\n"
	  "name, title and tags. A name in an earlier directory hides the same name later.\n" },
	{ "show", "runbook show NAME|PATH[#ANCHOR] [--width N] [--plain] [--ascii] [--toc]",
	  "Renders a runbook for the terminal. NAME is a runbook name (see `runbook list`),\n"
	  "PATH a Markdown file; #ANCHOR starts at that heading. Colours are used on a\n"
	  "terminal unless --plain or NO_COLOR; --width defaults to the terminal's width\n"
	  "(else $COLUMNS, else 80). --toc prints the table of contents with anchors.\n" },
	{ "search", "runbook search QUERY... [--json] [--limit N]",
	  "Searches titles, headings and text of every runbook (SQLite FTS5 index, updated\n"
	  "first for files that changed). Each word is matched as a prefix; all must occur.\n"
	  "Prints the best matches with the heading they sit under and a snippet.\n"
	  "The index is $SITREP_RUNBOOK_INDEX, else $XDG_CACHE_HOME/sitrep/runbooks.db.\n" },
	{ "for", "runbook for ALERTNAME [--runbook-url URL] [--runbook-label NAME] "
		 "[--panel PANEL] [--offline] [--json]",
	  "Tells which runbook an alert opens and why, as the console does. Rules, in order:\n"
	  "the runbook_url annotation (a relative path, in a runbook directory or against\n"
	  "its parent, or a URL whose last path segment names a local runbook), a runbook\n"
	  "label, [runbooks map] alertname = file, a runbook's front matter alerts: list,\n"
	  "the panel's runbook =, and last a runbook named like the alert (HighErrorRate ->\n"
	  "high-error-rate.md). Without --runbook-url or --runbook-label, the annotation and\n"
	  "label are those of the alert as the configured Alertmanagers have it now (not\n"
	  "asked with --offline). Without a match, the closest names.\n" },
	{ "index", "runbook index [--rebuild]",
	  "Brings the search index up to date (only files whose size or mtime changed are\n"
	  "read again; deleted files are dropped). --rebuild reads everything.\n" },
};

static int
sub_help(struct sr_cli *cli, const char *name)
{
	size_t i;

	for (i = 0; i < SR_ARRAY_LEN(subs); i++)
		if (strcmp(subs[i].name, name) == 0) {
			fprintf(cli->out, "usage: sitrep %s\n\n%s", subs[i].usage, subs[i].help);
			return SR_EXIT_OK;
		}
	return SR_EXIT_USAGE;
}

static void
main_help(struct sr_cli *cli)
{
	size_t i;

	fputs("usage:\n", cli->out);
	for (i = 0; i < SR_ARRAY_LEN(subs); i++)
		fprintf(cli->out, "  sitrep %s\n", subs[i].usage);
	fputs("\n`sitrep runbook COMMAND --help` describes each command.\n", cli->out);
}

/* --- list --- */

static int
cmd_list(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_runbook_set set;
	struct sr_buf b;
	size_t i, j, nw = 4;
	int json = 0, n;
	char *none[1];
	const struct sr_cli_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };

	if (sr_cli_parse(cli, "runbook list", argc - 1, argv + 1, opts, none, 0, &n) != 0)
		return SR_EXIT_USAGE;
	if (sr_cli_runbook_set(cli, &set, SR_RB_META) != 0)
		return SR_EXIT_FAIL;
	sr_buf_init(&b);
	if (json) {
		sr_buf_adds(&b, "[");
		for (i = 0; i < set.n; i++) {
			const struct sr_runbook *rb = &set.v[i];

			sr_cli_json_fields(&b, i ? ",\n {\"name\": " : "\n {\"name\": ", rb->name,
					   ", \"title\": ", rb->title ? rb->title : "", ", \"path\": ",
					   rb->path, (char *)NULL);
			sr_buf_adds(&b, ", \"tags\": [");
			for (j = 0; j < rb->n_tags; j++) {
				if (j)
					sr_buf_adds(&b, ", ");
				sr_json_str(&b, rb->tags[j]);
			}
			sr_buf_adds(&b, "], \"alerts\": [");
			for (j = 0; j < rb->n_alerts; j++) {
				if (j)
					sr_buf_adds(&b, ", ");
				sr_json_str(&b, rb->alerts[j]);
			}
			sr_buf_adds(&b, "]}");
		}
		sr_buf_adds(&b, set.n ? "\n]\n" : "]\n");
	} else if (set.n == 0) {
		sr_buf_adds(&b, "no runbooks found in:");
		for (i = 0; i < set.n_dirs; i++) {
			sr_buf_adds(&b, " ");
			sr_text_sanitize(&b, set.dirs[i], strlen(set.dirs[i]), 0);
		}
		sr_buf_adds(&b, "\n");
	} else {
		for (i = 0; i < set.n; i++) {
			size_t w = sr_text_width(set.v[i].name, strlen(set.v[i].name));

			if (w > nw)
				nw = w;
		}
		if (nw > 40)
			nw = 40;
		for (i = 0; i < set.n; i++) {
			const struct sr_runbook *rb = &set.v[i];

			sr_text_fit(&b, rb->name, nw, 1, 0);
			sr_buf_adds(&b, "  ");
			sr_text_fit(&b, rb->title ? rb->title : "", 60, 0, 0);
			for (j = 0; j < rb->n_tags; j++) {
				sr_buf_adds(&b, j ? " #" : "  #");
				sr_text_fit(&b, rb->tags[j], 30, 0, 0);
			}
			sr_buf_adds(&b, "\n");
		}
	}
	sr_cli_write(cli, &b);
	sr_buf_done(&b);
	sr_runbook_set_done(&set);
	return SR_EXIT_OK;
}

/* --- show --- */

static int
is_md(const char *s)
{
	size_t n = strlen(s);

	return n > 3 && strcmp(s + n - 3, ".md") == 0;
}

static void
print_toc(struct sr_buf *b, const struct sr_doc *doc, int color)
{
	size_t i;

	if (doc->title) {
		if (color)
			sr_buf_adds(b, "\033[1m");
		sr_buf_adds(b, doc->title);
		if (color)
			sr_buf_adds(b, "\033[0m");
		sr_buf_adds(b, "\n");
	}
	for (i = 0; i < doc->n_toc; i++) {
		const struct sr_md_heading *h = &doc->toc[i];
		int k;

		for (k = 1; k < h->level; k++)
			sr_buf_adds(b, "  ");
		sr_buf_adds(b, h->text);
		sr_buf_adds(b, color ? "  \033[2m#" : "  #");
		sr_buf_adds(b, h->anchor);
		sr_buf_adds(b, color ? "\033[0m\n" : "\n");
	}
}

/*
 * The numbered link targets, like sr_render_links, with local links checked: a missing
 * file or heading is marked where the reader will look for it.
 */
static void
links_list(struct sr_buf *b, const struct sr_doc *doc, const char *path, int color)
{
	/* the same targets recur (a runbook links its neighbours often): check each once */
	struct {
		const char *url;
		size_t len;
		int ok;
	} seen[64];
	size_t i, n_seen = 0, k;

	if (doc->n_links == 0)
		return;
	sr_buf_adds(b, color ? "\n\033[1mLinks\033[0m\n" : "\nLinks\n");
	for (i = 0; i < doc->n_links; i++) {
		const char *url = doc->links[i].url;
		char *to = NULL, *anchor = NULL, *err = NULL;
		const char *broken = NULL;

		sr_buf_printf(b, color ? "\033[2m[%d]\033[0m %s" : "[%d] %s", doc->links[i].number,
			      url);	/* sanitised at parse time */
		if (url[0] == '#') {
			if (sr_doc_find_anchor(doc, url + 1) < 0)
				broken = "no such heading";
		} else if (url[0] != '\0' && strstr(url, "://") == NULL &&
			   strncmp(url, "mailto:", 7) != 0) {
			size_t ul = strcspn(url, "#");

			for (k = 0; k < n_seen; k++)
				if (seen[k].len == ul && strncmp(seen[k].url, url, ul) == 0)
					break;
			if (k == n_seen) {
				int ok = sr_runbook_follow(path, url, &to, &anchor, &err) == 0;

				if (n_seen < SR_ARRAY_LEN(seen)) {
					seen[n_seen].url = url;
					seen[n_seen].len = ul;
					seen[n_seen++].ok = ok;
				}
				if (!ok)
					broken = "no such file";
			} else if (!seen[k].ok) {
				broken = "no such file";
			}
		}
		if (broken != NULL)
			sr_buf_printf(b, color ? "  \033[1;31m(broken link: %s)\033[0m" :
					       "  (broken link: %s)", broken);
		sr_buf_addc(b, '\n');
		free(to);
		free(anchor);
		free(err);
	}
}

static int
cmd_show(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_runbook_set set;
	const char *what = NULL, *v;
	char *path = NULL, *anchor = NULL, *err = NULL;
	struct sr_doc *doc;
	struct sr_buf b;
	int plain = 0, toc = 0, ascii = 0, k, width = 0, rc = SR_EXIT_OK;
	/* no sideways scrolling here: wide table cells and code lines wrap, never cut */
	unsigned mflags = SR_MD_WRAP_CELLS | SR_MD_WRAP_CODE, rflags = 0;
	long lw;

	for (k = 2; k < argc; k++) {
		if (strcmp(argv[k], "--plain") == 0) {
			plain = 1;
		} else if (strcmp(argv[k], "--toc") == 0) {
			toc = 1;
		} else if (strcmp(argv[k], "--ascii") == 0) {
			ascii = 1;
		} else if ((v = opt_value(argc, argv, &k, "--width")) != NULL) {
			if (sr_cli_long(v, SR_MD_MIN_WIDTH, 10000, &lw) < 0)
				return sr_cli_usage(cli, "runbook show",
						    "--width wants a number from %d to 10000",
						    SR_MD_MIN_WIDTH);
			width = (int)lw;
		} else if (strcmp(argv[k], "--width") == 0) {
			return sr_cli_usage(cli, "runbook show", "--width needs a value");
		} else if (argv[k][0] == '-' && argv[k][1] != '\0') {
			return sr_cli_usage(cli, "runbook show", "unknown option %s", argv[k]);
		} else if (what == NULL) {
			what = argv[k];
		} else {
			return sr_cli_usage(cli, "runbook show", "one runbook at a time");
		}
	}
	if (what == NULL)
		return sr_cli_usage(cli, "runbook show", "which runbook? (NAME or PATH)");
	if (width == 0)
		width = term_width(cli);
	if (width < SR_MD_MIN_WIDTH)
		width = SR_MD_MIN_WIDTH;
	if (strchr(what, '#') == NULL && (strchr(what, '/') != NULL || is_md(what)) &&
	    access(what, R_OK) == 0) {
		path = sr_xstrdup(what);	/* a file: no need to scan the directories */
	} else {
		if (sr_cli_runbook_set(cli, &set, 0) != 0)
			return SR_EXIT_FAIL;
		if (sr_runbook_locate(&set, what, &path, &anchor, &err) < 0) {
			sr_runbook_set_done(&set);
			return sr_cli_fail(cli, SR_EXIT_FAIL, err);
		}
		sr_runbook_set_done(&set);
	}
	if (cli->color && !plain) {
		rflags |= SR_RENDER_COLOR;
		if (osc8_supported()) {
			rflags |= SR_RENDER_OSC8;
			mflags |= SR_MD_NO_REFS;
		}
	}
	if (ascii) {
		mflags |= SR_MD_ASCII;
		rflags |= SR_RENDER_ASCII;
	}
	doc = sr_md_load(path, width, mflags, &err);
	if (doc == NULL) {
		free(path);
		free(anchor);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	sr_buf_init(&b);
	if (toc) {
		print_toc(&b, doc, (rflags & SR_RENDER_COLOR) != 0);
	} else {
		size_t from = 0;

		if (anchor != NULL) {
			long h = sr_doc_find_anchor(doc, anchor);

			if (h < 0) {
				char *ca = sr_text_clean(anchor), *cp = sr_text_clean(path);

				err = sr_xasprintf("%s: no heading #%s (see `sitrep runbook "
						   "show %s --toc`)", cp, ca, cp);
				free(ca);
				free(cp);
				rc = sr_cli_fail(cli, SR_EXIT_FAIL, err);
				goto out;
			}
			from = doc->toc[h].line;
		}
		/* in slices: a large runbook never needs its whole rendering in memory */
		for (; from < doc->n_lines; from += 2000) {
			b.len = 0;
			sr_render_lines(&b, doc, from, from + 2000, rflags);
			sr_cli_write(cli, &b);
		}
		b.len = 0;
		if (!(rflags & SR_RENDER_OSC8))
			links_list(&b, doc, path, rflags & SR_RENDER_COLOR);
	}
	sr_cli_write(cli, &b);
out:
	sr_buf_done(&b);
	sr_doc_free(doc);
	free(path);
	free(anchor);
	return rc;
}

/* --- search and index --- */

static struct sr_runbook_index *
open_index(struct sr_cli *cli)
{
	char *path = sr_runbook_index_default_path(), *err = NULL;
	struct sr_runbook_index *idx;

	if (path == NULL) {
		sr_cli_fail(cli, SR_EXIT_FAIL,
			    sr_xstrdup("no place for the runbook index: set HOME, XDG_CACHE_HOME "
				       "or SITREP_RUNBOOK_INDEX"));
		return NULL;
	}
	idx = sr_runbook_index_open(path, &err);
	free(path);
	if (idx == NULL)
		sr_cli_fail(cli, SR_EXIT_FAIL, err);
	return idx;
}

static int
update_index(struct sr_cli *cli, struct sr_runbook_index *idx, int rebuild,
	     struct sr_index_stats *st)
{
	struct sr_runbook_set set;
	char *err = NULL;
	int tty = isatty(fileno(cli->errf));
	int rc;

	if (sr_cli_runbook_set(cli, &set, 0) != 0)
		return -1;
	rc = sr_runbook_index_update(idx, &set, rebuild, tty ? progress_cb : NULL, cli->errf, st,
				     &err);
	sr_runbook_set_done(&set);
	if (rc < 0) {
		sr_cli_fail(cli, SR_EXIT_FAIL, err);
		return -1;
	}
	return 0;
}

static int
cmd_index(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_runbook_index *idx;
	struct sr_index_stats st;
	struct timespec t0;
	int rebuild = 0, n;
	char *none[1];
	const struct sr_cli_opt opts[] = { { "rebuild", NULL, &rebuild }, { NULL, NULL, NULL } };

	if (sr_cli_parse(cli, "runbook index", argc - 1, argv + 1, opts, none, 0, &n) != 0)
		return SR_EXIT_USAGE;
	if (cli->ses->readonly)
		return sr_cli_fail(cli, SR_EXIT_FAIL,
				   sr_xstrdup("--readonly: not updating the runbook index"));
	if ((idx = open_index(cli)) == NULL)
		return SR_EXIT_FAIL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (update_index(cli, idx, rebuild, &st) < 0) {
		sr_runbook_index_close(idx);
		return SR_EXIT_FAIL;
	}
	fprintf(cli->out,
		"%zu runbooks: %zu added, %zu updated, %zu removed, %zu unchanged "
		"(%zu sections read) in %.1f ms\n",
		st.files, st.added, st.updated, st.removed, st.unchanged, st.sections,
		ms_since(&t0));
	sr_runbook_index_close(idx);
	return SR_EXIT_OK;
}

/* Snippet for a terminal: highlight bytes become bold/yellow, or ** in plain text. */
static void
add_snippet(struct sr_buf *b, const char *s, int color)
{
	for (; *s; s++) {
		if (*s == SR_HL_START)
			sr_buf_adds(b, color ? "\033[1;33m" : "**");
		else if (*s == SR_HL_END)
			sr_buf_adds(b, color ? "\033[0m" : "**");
		else
			sr_buf_addc(b, *s == '\n' ? ' ' : *s);
	}
}

static void
json_plain_snippet(struct sr_buf *b, const char *s)
{
	struct sr_buf t;

	sr_buf_init(&t);
	sr_buf_adds(&t, "");
	for (; *s; s++)
		if (*s != SR_HL_START && *s != SR_HL_END)
			sr_buf_addc(&t, *s == '\n' ? ' ' : *s);
	sr_json_str(b, t.data);
	sr_buf_done(&t);
}

static int
cmd_search(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_runbook_index *idx;
	struct sr_index_stats st;
	struct sr_search_hits hits;
	struct sr_buf q, b;
	const char *v;
	char *err = NULL;
	int json = 0, k, color = cli->color;
	long limit = 10;
	size_t i;

	sr_buf_init(&q);
	sr_buf_adds(&q, "");
	for (k = 2; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[k], "--plain") == 0) {
			color = 0;
		} else if ((v = opt_value(argc, argv, &k, "--limit")) != NULL) {
			if (sr_cli_long(v, 1, 1000, &limit) < 0) {
				sr_buf_done(&q);
				return sr_cli_usage(cli, "runbook search",
						    "--limit wants a number from 1 to 1000");
			}
		} else if (argv[k][0] == '-' && argv[k][1] == '-') {
			sr_buf_done(&q);
			return sr_cli_usage(cli, "runbook search", "unknown option %s", argv[k]);
		} else {
			if (q.len)
				sr_buf_addc(&q, ' ');
			sr_buf_adds(&q, argv[k]);
		}
	}
	if (q.len == 0) {
		sr_buf_done(&q);
		return sr_cli_usage(cli, "runbook search", "search for what? (one or more words)");
	}
	if ((idx = open_index(cli)) == NULL) {
		sr_buf_done(&q);
		return SR_EXIT_FAIL;
	}
	/* a read-only session still searches, with the index as it is */
	if (!cli->ses->readonly && update_index(cli, idx, 0, &st) < 0) {
		sr_runbook_index_close(idx);
		sr_buf_done(&q);
		return SR_EXIT_FAIL;
	}
	if (sr_runbook_search(idx, q.data, (size_t)limit, &hits, &err) < 0) {
		sr_runbook_index_close(idx);
		sr_buf_done(&q);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	sr_runbook_index_close(idx);
	sr_buf_init(&b);
	if (json) {
		sr_buf_adds(&b, "[");
		for (i = 0; i < hits.n; i++) {
			const struct sr_search_hit *h = &hits.v[i];

			sr_cli_json_fields(&b, i ? ",\n {\"name\": " : "\n {\"name\": ", h->name,
					   ", \"title\": ", h->title, ", \"path\": ", h->path,
					   ", \"heading\": ", h->heading, ", \"anchor\": ", h->anchor,
					   (char *)NULL);
			sr_buf_adds(&b, ", \"snippet\": ");
			json_plain_snippet(&b, h->snippet);
			sr_buf_printf(&b, ", \"rank\": %zu, \"score\": ", i + 1);
			sr_json_num(&b, h->score, 4);
			sr_buf_addc(&b, '}');
		}
		sr_buf_adds(&b, hits.n ? "\n]\n" : "]\n");
	} else {
		for (i = 0; i < hits.n; i++) {
			const struct sr_search_hit *h = &hits.v[i];

			if (color)
				sr_buf_adds(&b, "\033[1m");
			sr_buf_adds(&b, h->name);
			if (h->anchor[0]) {
				sr_buf_adds(&b, "#");
				sr_buf_adds(&b, h->anchor);
			}
			if (color)
				sr_buf_adds(&b, "\033[0m");
			sr_buf_adds(&b, "  ");
			sr_buf_adds(&b, h->title);
			if (h->heading[0]) {
				sr_buf_adds(&b, " > ");
				sr_buf_adds(&b, h->heading);
			}
			sr_buf_adds(&b, "\n    ");
			add_snippet(&b, h->snippet, color);
			sr_buf_adds(&b, "\n");
		}
	}
	sr_cli_write(cli, &b);
	sr_buf_done(&b);
	if (hits.n == 0 && !json) {
		char *cq = sr_text_clean(q.data);

		fprintf(cli->errf, "sitrep: no runbook matches \"%s\"\n", cq);
		free(cq);
	}
	k = hits.n > 0 ? SR_EXIT_OK : SR_EXIT_FAIL;
	sr_search_hits_done(&hits);
	sr_buf_done(&q);
	return k;
}

/* --- for --- */

/*
 * The runbook_url annotation and runbook label of the alert named name as the Alertmanagers
 * have it now (any state, silenced too), read through the feed engine as `sitrep alerts`
 * reads them, so that `runbook for` resolves what the console resolves for the same alert.
 * Returns 1 with *url / *label (allocated or NULL) and *from (the instance's name) when one
 * of them has it, 0 when none does; an instance that cannot be asked is named in a warning
 * and the others still count.
 */
static int
live_alert(struct sr_cli *cli, const char *name, char **url, char **label, const char **from)
{
	const struct sr_config *cfg = cli->ses->cfg;
	const struct sr_am_filter every = { 1, 1, 1, 1 };
	struct sr_label lab = { (char *)"alertname", (char *)name };
	struct sr_matchers m;
	struct sr_feeds *f;
	char *err = NULL, *msg;
	int found = 0;

	*url = *label = NULL;
	*from = NULL;
	if (cfg == NULL || cfg->n_am == 0)
		return 0;
	sr_matchers_init(&m);
	sr_am_matchers_from_labels(&m, &lab, 1);
	if ((f = sr_cli_am_feeds(cli, &every, &m, 0, &err)) == NULL) {
		msg = sr_text_clean(err);
		fprintf(cli->errf, "sitrep: warning: %s: not asking the Alertmanagers\n", msg);
		free(msg);
		free(err);
		sr_matchers_done(&m);
		return 0;
	}
	for (size_t i = 0; i < f->n_am; i++) {
		if (f->am[i].st.last_err == NULL)
			continue;
		msg = sr_text_clean(f->am[i].st.last_err);
		fprintf(cli->errf, "sitrep: warning: Alertmanager %s unreachable (%s): the "
			"alert's annotations are not known\n", f->am[i].name, msg);
		free(msg);
	}
	for (size_t k = 0; k < f->alerts.n && !found; k++) {
		const struct sr_am_alert *a = &f->alerts.v[k];
		const char *an = sr_label_get(a->labels, a->n_labels, "alertname");
		const char *u = sr_label_get(a->annotations, a->n_annotations, "runbook_url");
		const char *l = sr_label_get(a->labels, a->n_labels, "runbook");

		if (an == NULL || strcmp(an, name) != 0 || a->n_instances == 0)
			continue;
		*url = u ? sr_xstrdup(u) : NULL;
		*label = l ? sr_xstrdup(l) : NULL;
		*from = a->instances[0];	/* the config's name: outlives the engine */
		found = 1;
	}
	sr_feeds_free(f);
	sr_matchers_done(&m);
	return found;
}

static int
cmd_for(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_runbook_alert a = { 0 };
	struct sr_runbook_match m;
	struct sr_runbook_set set;
	struct sr_buf b;
	const char *v, *panel = NULL, *from = NULL;
	char *live_url = NULL, *live_label = NULL;
	int json = 0, offline = 0, k, found;
	size_t i;

	for (k = 2; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0)
			json = 1;
		else if (strcmp(argv[k], "--offline") == 0)
			offline = 1;
		else if ((v = opt_value(argc, argv, &k, "--runbook-url")) != NULL)
			a.runbook_url = v;
		else if ((v = opt_value(argc, argv, &k, "--runbook-label")) != NULL)
			a.runbook_label = v;
		else if ((v = opt_value(argc, argv, &k, "--panel")) != NULL)
			panel = v;
		else if (argv[k][0] == '-')
			return sr_cli_usage(cli, "runbook for", "unknown option %s", argv[k]);
		else if (a.alertname == NULL)
			a.alertname = argv[k];
		else
			return sr_cli_usage(cli, "runbook for", "one alert name at a time");
	}
	if (a.alertname == NULL)
		return sr_cli_usage(cli, "runbook for", "which alert? (ALERTNAME)");
	if (panel != NULL) {
		for (i = 0; i < cli->ses->cfg->n_panels; i++)
			if (strcmp(cli->ses->cfg->panels[i].name, panel) == 0)
				break;
		if (i == cli->ses->cfg->n_panels) {
			char *cp = sr_text_clean(panel);

			k = sr_cli_usage(cli, "runbook for", "no panel \"%s\" in the config", cp);
			free(cp);
			return k;
		}
		a.panel_runbook = cli->ses->cfg->panels[i].runbook;
	}
	/* what the console would see for this alert: its own annotation and label */
	if (!offline && a.runbook_url == NULL && a.runbook_label == NULL &&
	    live_alert(cli, a.alertname, &live_url, &live_label, &from)) {
		a.runbook_url = live_url;
		a.runbook_label = live_label;
	}
	if (sr_cli_runbook_set(cli, &set, SR_RB_META) != 0) {
		free(live_url);
		free(live_label);
		return SR_EXIT_FAIL;
	}
	found = sr_runbook_resolve(&set, cli->ses->cfg, &a, &m);
	sr_buf_init(&b);
	if (json) {
		const struct sr_runbook *rb = NULL;

		for (i = 0; found && i < set.n && rb == NULL; i++)
			if (strcmp(set.v[i].path, m.path) == 0)
				rb = &set.v[i];
		sr_buf_adds(&b, "{\"alertname\": ");
		sr_json_str(&b, a.alertname);
		sr_buf_adds(&b, ", \"rule\": ");
		sr_json_str(&b, sr_rb_rule_name(m.rule));
		sr_buf_adds(&b, ", \"runbook\": ");
		if (rb)
			sr_json_str(&b, rb->name);
		else
			sr_buf_adds(&b, "null");
		sr_buf_adds(&b, ", \"path\": ");
		if (m.path)
			sr_json_str(&b, m.path);
		else
			sr_buf_adds(&b, "null");
		sr_buf_adds(&b, ", \"anchor\": ");
		if (m.anchor)
			sr_json_str(&b, m.anchor);
		else
			sr_buf_adds(&b, "null");
		sr_buf_adds(&b, ", \"why\": ");
		sr_json_str(&b, m.why);
		sr_buf_adds(&b, ", \"alert_from\": ");
		if (from)
			sr_json_str(&b, from);
		else
			sr_buf_adds(&b, "null");
		sr_buf_adds(&b, ", \"closest\": [");
		if (!found && m.closest && m.closest[0]) {
			char *c = sr_xstrdup(m.closest), *tok, *save = NULL;
			int first = 1;

			for (tok = strtok_r(c, ", ", &save); tok != NULL;
			     tok = strtok_r(NULL, ", ", &save)) {
				if (!first)
					sr_buf_adds(&b, ", ");
				sr_json_str(&b, tok);
				first = 0;
			}
			free(c);
		}
		sr_buf_adds(&b, "]}\n");
	} else if (found) {
		sr_text_sanitize(&b, a.alertname, strlen(a.alertname), 0);
		sr_buf_adds(&b, " -> ");
		sr_text_sanitize(&b, m.path, strlen(m.path), 0);
		if (m.anchor) {
			sr_buf_adds(&b, "#");
			sr_text_sanitize(&b, m.anchor, strlen(m.anchor), 0);
		}
		sr_buf_printf(&b, "\n  rule: %s (%s)\n", sr_rb_rule_name(m.rule), m.why);
	} else {
		sr_text_sanitize(&b, a.alertname, strlen(a.alertname), 0);
		sr_buf_printf(&b, ": no runbook\n  %s\n", m.why);
		if (m.closest && m.closest[0])
			sr_buf_printf(&b, "  closest: %s\n", m.closest);
	}
	if (!json && from != NULL) {
		sr_buf_adds(&b, "  alert: as Alertmanager ");
		sr_text_sanitize(&b, from, strlen(from), 0);
		sr_buf_adds(&b, " has it now (runbook_url ");
		sr_text_sanitize(&b, live_url ? live_url : "-", strlen(live_url ? live_url : "-"), 0);
		sr_buf_adds(&b, ", runbook label ");
		sr_text_sanitize(&b, live_label ? live_label : "-",
				 strlen(live_label ? live_label : "-"), 0);
		sr_buf_adds(&b, ")\n");
	}
	sr_cli_write(cli, &b);
	sr_buf_done(&b);
	sr_runbook_match_done(&m);
	sr_runbook_set_done(&set);
	free(live_url);
	free(live_label);
	return found ? SR_EXIT_OK : SR_EXIT_FAIL;
}

/* --- dispatch --- */

static const struct {
	const char *name;
	int (*run)(struct sr_cli *cli, int argc, char **argv);
} cmds[] = {
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "search", cmd_search },
	{ "for", cmd_for },
	{ "index", cmd_index },
};

int
sr_cli_runbook(struct sr_cli *cli, int argc, char **argv)
{
	size_t i;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		main_help(cli);
		return argc < 2 ? SR_EXIT_USAGE : SR_EXIT_OK;
	}
	for (i = 0; i < SR_ARRAY_LEN(cmds); i++)
		if (strcmp(argv[1], cmds[i].name) == 0) {
			if (sr_cli_wants_help(argc - 1, argv + 1))
				return sub_help(cli, cmds[i].name);
			return cmds[i].run(cli, argc, argv);
		}
	{
		char *c = sr_text_clean(argv[1]);
		int rc = sr_cli_usage(cli, "runbook",
				      "unknown command \"%s\" (list, show, search, for, index)", c);

		free(c);
		return rc;
	}
}

/* SPDX-License-Identifier: MIT */
/* cli_runbook.c: `sitrep runbook list|show|search|for|index` and `sitrep incident check`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "change.h"
#include "cli.h"
#include "incident.h"
#include "markdown.h"
#include "render_ansi.h"
#include "runbook.h"
#include "store.h"
#include "text.h"

/* --- shared helpers --- */

static void
put_buf(struct sr_cli *cli, const struct sr_buf *b)
{
	if (b->len > 0)
		fwrite(b->data, 1, b->len, cli->out);
}

/* Prints an error message after sanitising it (paths and names inside come from outside). */
static int
fail_clean(struct sr_cli *cli, int status, char *msg)
{
	char *c = sr_text_clean(msg ? msg : "unknown error");

	free(msg);
	return sr_cli_fail(cli, status, c);
}

static int
load_set(struct sr_cli *cli, struct sr_runbook_set *set, unsigned flags)
{
	size_t n;
	char **dirs = sr_runbook_dirs(cli->cfg, cli->datadir, &n);
	char *err = NULL;
	int rc = sr_runbook_scan(set, dirs, n, flags, &err);

	sr_runbook_dirs_free(dirs, n);
	if (rc < 0) {
		sr_runbook_set_done(set);
		return fail_clean(cli, SR_EXIT_FAIL, err);
	}
	return 0;
}

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
parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
term_width(struct sr_cli *cli)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	long v;

	if (isatty(fileno(cli->out)) && ioctl(fileno(cli->out), TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	if (c != NULL && parse_int(c, 1, 10000, &v) == 0)
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
		 "[--panel PANEL] [--json]",
	  "Tells which runbook an alert opens and why. Rules, in order: the runbook_url\n"
	  "annotation (a relative path, or a URL whose last path segment names a local\n"
	  "file), a runbook label, [runbooks map] alertname = file, a runbook's front\n"
	  "matter alerts: list, the panel's runbook =. Without a match, the closest names.\n" },
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
	int json = 0, k;

	for (k = 2; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0)
			json = 1;
		else
			return sr_cli_usage(cli, "runbook list", "unknown argument %s", argv[k]);
	}
	if (load_set(cli, &set, SR_RB_META) != 0)
		return SR_EXIT_FAIL;
	sr_buf_init(&b);
	if (json) {
		sr_buf_adds(&b, "[");
		for (i = 0; i < set.n; i++) {
			const struct sr_runbook *rb = &set.v[i];

			sr_buf_adds(&b, i ? ",\n {\"name\": " : "\n {\"name\": ");
			sr_json_str(&b, rb->name);
			sr_buf_adds(&b, ", \"title\": ");
			sr_json_str(&b, rb->title ? rb->title : "");
			sr_buf_adds(&b, ", \"path\": ");
			sr_json_str(&b, rb->path);
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
	put_buf(cli, &b);
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
	unsigned mflags = 0, rflags = 0;
	long lw;

	for (k = 2; k < argc; k++) {
		if (strcmp(argv[k], "--plain") == 0) {
			plain = 1;
		} else if (strcmp(argv[k], "--toc") == 0) {
			toc = 1;
		} else if (strcmp(argv[k], "--ascii") == 0) {
			ascii = 1;
		} else if ((v = opt_value(argc, argv, &k, "--width")) != NULL) {
			if (parse_int(v, SR_MD_MIN_WIDTH, 10000, &lw) < 0)
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
		if (load_set(cli, &set, 0) != 0)
			return SR_EXIT_FAIL;
		if (sr_runbook_locate(&set, what, &path, &anchor, &err) < 0) {
			sr_runbook_set_done(&set);
			return fail_clean(cli, SR_EXIT_FAIL, err);
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
		return fail_clean(cli, SR_EXIT_FAIL, err);
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
				rc = fail_clean(cli, SR_EXIT_FAIL, err);
				goto out;
			}
			from = doc->toc[h].line;
		}
		/* in slices: a large runbook never needs its whole rendering in memory */
		for (; from < doc->n_lines; from += 2000) {
			b.len = 0;
			sr_render_lines(&b, doc, from, from + 2000, rflags);
			put_buf(cli, &b);
		}
		b.len = 0;
		if (!(rflags & SR_RENDER_OSC8))
			links_list(&b, doc, path, rflags & SR_RENDER_COLOR);
	}
	put_buf(cli, &b);
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
		fail_clean(cli, SR_EXIT_FAIL, err);
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

	if (load_set(cli, &set, 0) != 0)
		return -1;
	rc = sr_runbook_index_update(idx, &set, rebuild, tty ? progress_cb : NULL, cli->errf, st,
				     &err);
	sr_runbook_set_done(&set);
	if (rc < 0) {
		fail_clean(cli, SR_EXIT_FAIL, err);
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
	int rebuild = 0, k;

	for (k = 2; k < argc; k++) {
		if (strcmp(argv[k], "--rebuild") == 0)
			rebuild = 1;
		else
			return sr_cli_usage(cli, "runbook index", "unknown argument %s", argv[k]);
	}
	if (cli->readonly)
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
			if (parse_int(v, 1, 1000, &limit) < 0) {
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
	if (!cli->readonly && update_index(cli, idx, 0, &st) < 0) {
		sr_runbook_index_close(idx);
		sr_buf_done(&q);
		return SR_EXIT_FAIL;
	}
	if (sr_runbook_search(idx, q.data, (size_t)limit, &hits, &err) < 0) {
		sr_runbook_index_close(idx);
		sr_buf_done(&q);
		return fail_clean(cli, SR_EXIT_FAIL, err);
	}
	sr_runbook_index_close(idx);
	sr_buf_init(&b);
	if (json) {
		sr_buf_adds(&b, "[");
		for (i = 0; i < hits.n; i++) {
			const struct sr_search_hit *h = &hits.v[i];

			sr_buf_adds(&b, i ? ",\n {\"name\": " : "\n {\"name\": ");
			sr_json_str(&b, h->name);
			sr_buf_adds(&b, ", \"title\": ");
			sr_json_str(&b, h->title);
			sr_buf_adds(&b, ", \"path\": ");
			sr_json_str(&b, h->path);
			sr_buf_adds(&b, ", \"heading\": ");
			sr_json_str(&b, h->heading);
			sr_buf_adds(&b, ", \"anchor\": ");
			sr_json_str(&b, h->anchor);
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
	put_buf(cli, &b);
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

static int
cmd_for(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_runbook_alert a = { 0 };
	struct sr_runbook_match m;
	struct sr_runbook_set set;
	struct sr_buf b;
	const char *v, *panel = NULL;
	int json = 0, k, found;
	size_t i;

	for (k = 2; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0)
			json = 1;
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
		for (i = 0; i < cli->cfg->n_panels; i++)
			if (strcmp(cli->cfg->panels[i].name, panel) == 0)
				break;
		if (i == cli->cfg->n_panels) {
			char *cp = sr_text_clean(panel);

			k = sr_cli_usage(cli, "runbook for", "no panel \"%s\" in the config", cp);
			free(cp);
			return k;
		}
		a.panel_runbook = cli->cfg->panels[i].runbook;
	}
	if (load_set(cli, &set, SR_RB_META) != 0)
		return SR_EXIT_FAIL;
	found = sr_runbook_resolve(&set, cli->cfg, &a, &m);
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
	put_buf(cli, &b);
	sr_buf_done(&b);
	sr_runbook_match_done(&m);
	sr_runbook_set_done(&set);
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

/* --- incident check ID RUNBOOK N --- */

int
sr_cli_incident_check(struct sr_cli *cli, int argc, char **argv)
{
	const char *id = NULL, *rbname = NULL, *nstr = NULL;
	struct sr_runbook_set set;
	struct sr_checklist cl;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_store *st;
	char *path = NULL, *anchor = NULL, *err = NULL, *label;
	const struct sr_runbook *rb;
	int undo = 0, k, conflict = 0, rc = SR_EXIT_FAIL;
	long n;

	if (sr_cli_wants_help(argc, argv)) {
		fputs("usage: sitrep incident check ID RUNBOOK N [--undo]\n\n"
		      "Ticks item N of RUNBOOK's checklist (its task-list items, numbered from 1;\n"
		      "see `sitrep runbook show RUNBOOK`) for incident ID, as a timeline event.\n"
		      "--undo records the item as not done.\n", cli->out);
		return SR_EXIT_OK;
	}
	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--undo") == 0)
			undo = 1;
		else if (argv[k][0] == '-' && argv[k][1] == '-')
			return sr_cli_usage(cli, "incident check", "unknown option %s", argv[k]);
		else if (id == NULL)
			id = argv[k];
		else if (rbname == NULL)
			rbname = argv[k];
		else if (nstr == NULL)
			nstr = argv[k];
		else
			return sr_cli_usage(cli, "incident check", "too many arguments");
	}
	if (nstr == NULL)
		return sr_cli_usage(cli, "incident check", "needs ID RUNBOOK N");
	if (parse_int(nstr, 1, 1000000, &n) < 0)
		return sr_cli_usage(cli, "incident check", "N is an item number from 1");
	if (cli->readonly)
		return sr_cli_fail(cli, SR_EXIT_FAIL,
				   sr_xstrdup("--readonly: not changing anything"));
	if (load_set(cli, &set, 0) != 0)
		return SR_EXIT_FAIL;
	if (sr_runbook_locate(&set, rbname, &path, &anchor, &err) < 0) {
		sr_runbook_set_done(&set);
		return fail_clean(cli, SR_EXIT_FAIL, err);
	}
	rb = sr_runbook_find(&set, rbname);
	label = sr_xstrdup(rb && strcmp(rb->path, path) == 0 ? rb->name : path);
	sr_runbook_set_done(&set);
	free(anchor);
	if (sr_runbook_checklist(path, &cl, &err) < 0) {
		free(path);
		free(label);
		return fail_clean(cli, SR_EXIT_FAIL, err);
	}
	free(path);
	if (cl.n == 0 || (size_t)n > cl.n) {
		char *c = sr_text_clean(label);

		if (cl.n == 0)
			err = sr_xasprintf("runbook %s has no checklist items", c);
		else
			err = sr_xasprintf("runbook %s has %zu checklist item%s (1..%zu), not %ld",
					   c, cl.n, cl.n == 1 ? "" : "s", cl.n, n);
		free(c);
		sr_checklist_done(&cl);
		free(label);
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	}
	if ((st = sr_cli_store(cli)) == NULL)
		goto out_cl;
	sr_incident_init(&inc);
	{
		const struct sr_change ch = { .op = SR_CH_CHECK, .a = label, .b = cl.v[n - 1].text,
					      .n = (int)n, .done = !undo };

		if (sr_change_commit(st, id, &ch, cli->cfg, cli->cfg->user, cli->now, &inc, &ev,
				     &conflict, &err) < 0) {
			fail_clean(cli, SR_EXIT_FAIL, err);
			goto out_inc;
		}
	}
	{
		struct sr_buf b;

		sr_buf_init(&b);
		sr_text_sanitize(&b, inc.id, strlen(inc.id), 0);
		sr_buf_printf(&b, ": %s ", undo ? "unchecked" : "checked");
		sr_text_sanitize(&b, label, strlen(label), 0);
		sr_buf_printf(&b, " item %ld: %s\n", n, cl.v[n - 1].text);
		put_buf(cli, &b);
		sr_buf_done(&b);
	}
	rc = SR_EXIT_OK;
out_inc:
	sr_event_list_done(&ev);
	sr_incident_done(&inc);
out_cl:
	sr_checklist_done(&cl);
	free(label);
	return rc;
}

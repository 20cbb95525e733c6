/* SPDX-License-Identifier: MIT */
/*
 * main.c: the composition root: parses global options, loads the config, fills the session,
 * and is the one place that decides between a subcommand, the console and (no terminal that
 * can hold a screen) the plain incident list.
 */
#include <errno.h>
#include <langinfo.h>
#include <stddef.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "http.h"
#include "demo.h"
#include "text.h"
#include "tui.h"

/* Global options, before the subcommand. One table: parsing and --help both read it. */
struct gopts {
	const char *config, *store;
	int readonly, demo, help, version;
	int wallboard, wallboard_cycle;
};

enum gopt_kind {
	G_FLAG,		/* --name sets an int to 1 */
	G_VALUE,	/* --name VALUE or --name=VALUE sets a string */
	G_SECONDS,	/* as G_VALUE, seconds 1..3600 into an int */
};

static const struct gopt {
	const char *name;	/* without the leading "--" */
	const char *alias;	/* a short spelling ("-h"), or NULL */
	enum gopt_kind kind;
	size_t off;		/* the field of struct gopts it sets */
	const char *arg, *help;
} gopt_table[] = {
	{ "config", NULL, G_VALUE, offsetof(struct gopts, config), "FILE",
	  "read FILE instead of $XDG_CONFIG_HOME/sitrep/sitrep.conf" },
	{ "store", NULL, G_VALUE, offsetof(struct gopts, store), "STORE",
	  "use STORE (SQLite path or postgresql:// URL) as the incident store" },
	{ "readonly", NULL, G_FLAG, offsetof(struct gopts, readonly), NULL,
	  "look but do not change anything" },
	{ "demo", NULL, G_FLAG, offsetof(struct gopts, demo), NULL,
	  "use built-in demo data in a temporary store" },
	{ "wallboard", NULL, G_FLAG, offsetof(struct gopts, wallboard), NULL,
	  "war-room screen: read-only, big countdown, views cycle" },
	{ "wallboard-cycle", NULL, G_SECONDS, offsetof(struct gopts, wallboard_cycle), "N",
	  "seconds per view on the wallboard (default 15)" },
	{ "version", "-V", G_FLAG, offsetof(struct gopts, version), NULL,
	  "print the version and exit" },
	{ "help", "-h", G_FLAG, offsetof(struct gopts, help), NULL, "print this help and exit" },
};

static void
usage(FILE *f)
{
	fputs("usage: sitrep [OPTIONS] [COMMAND [ARGS]]\n\noptions:\n", f);
	for (size_t i = 0; i < SR_ARRAY_LEN(gopt_table); i++) {
		char left[32];

		snprintf(left, sizeof(left), "--%s%s%s", gopt_table[i].name,
			 gopt_table[i].arg ? " " : "", gopt_table[i].arg ? gopt_table[i].arg : "");
		fprintf(f, "  %-18s %s\n", left, gopt_table[i].help);
	}
	fputs("\ncommands:\n", f);
	for (const struct sr_cli_command *c = sr_cli_commands; c->name != NULL; c++)
		fprintf(f, "  %-18s %s\n", c->name, c->summary);
	fputs("\nWith no command, sitrep opens the console when stdin and stdout are terminals,\n"
	      "and otherwise lists the open incidents with their live timers.\n"
	      "SITREP_NOW=<RFC 3339 time> fixes the clock (for tests and demos).\n"
	      "Run `sitrep COMMAND --help` for a command's options; see sitrep(1).\n",
	      f);
}

/* The table entry a names ("--name", "--name=VALUE" or its alias), with *value after '='. */
static const struct gopt *
gopt_find(const char *a, const char **value)
{
	*value = NULL;
	for (size_t i = 0; i < SR_ARRAY_LEN(gopt_table); i++) {
		const struct gopt *o = &gopt_table[i];
		size_t n = strlen(o->name);

		if (o->alias != NULL && strcmp(a, o->alias) == 0)
			return o;
		if (a[0] != '-' || a[1] != '-' || strncmp(a + 2, o->name, n) != 0)
			continue;
		if (a[2 + n] == '\0')
			return o;
		if (a[2 + n] == '=' && o->kind != G_FLAG) {
			*value = a + 3 + n;
			return o;
		}
	}
	return NULL;
}

/* Returns the index of the first non-option argument, or -1 after printing a usage error. */
static int
parse_globals(int argc, char **argv, struct gopts *g)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *v;
		const struct gopt *o;
		char *field, *end = NULL;
		long n;

		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if ((o = gopt_find(argv[i], &v)) == NULL) {
			char *clean = sr_text_clean(argv[i]);

			fprintf(stderr, "sitrep: unknown option \"%s\" (see sitrep --help)\n", clean);
			free(clean);
			return -1;
		}
		field = (char *)g + o->off;
		if (o->kind == G_FLAG) {
			*(int *)(void *)field = 1;
			continue;
		}
		if (v == NULL && i + 1 >= argc) {
			fprintf(stderr, "sitrep: option --%s needs a value\n", o->name);
			return -1;
		}
		if (v == NULL)
			v = argv[++i];
		if (o->kind == G_VALUE) {
			*(const char **)(void *)field = v;
			continue;
		}
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 1 || n > 3600) {
			fprintf(stderr, "sitrep: --%s needs seconds (1..3600)\n", o->name);
			return -1;
		}
		*(int *)(void *)field = (int)n;
	}
	if (g->wallboard_cycle > 0)
		g->wallboard = 1;
	return i;
}

static const char *
find_datadir(void)
{
	const char *env = getenv("SITREP_DATADIR");
	struct stat sb;

	if (env != NULL && *env != '\0')
		return env;
	if (stat(SR_DATADIR, &sb) == 0 && S_ISDIR(sb.st_mode))
		return SR_DATADIR;
	return SR_SRCDATADIR;	/* running from the build tree, not installed */
}

/* --- the demo store: a temporary directory removed at exit --- */

static char demo_dir[64];

static void
demo_cleanup(void)
{
	static const char *const names[] = { "sitrep.db", "sitrep.db-wal", "sitrep.db-shm",
					     "sitrep.db-journal" };
	char path[128];

	if (demo_dir[0] == '\0')
		return;
	for (size_t i = 0; i < SR_ARRAY_LEN(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", demo_dir, names[i]);
		unlink(path);
	}
	rmdir(demo_dir);
	demo_dir[0] = '\0';
}

static int
demo_setup(struct sr_cli *cli, char **store_path)
{
	const char *tmp = getenv("TMPDIR");
	char *err = NULL;

	snprintf(demo_dir, sizeof(demo_dir), "%s/sitrep-demo-XXXXXX",
		 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (mkdtemp(demo_dir) == NULL) {
		fprintf(stderr, "sitrep: cannot create a demo directory in %s: %s\n",
			tmp ? tmp : "/tmp", strerror(errno));
		demo_dir[0] = '\0';
		return -1;
	}
	atexit(demo_cleanup);
	*store_path = sr_xasprintf("%s/sitrep.db", demo_dir);
	cli->ses->store_where = *store_path;
	if (sr_cli_store(cli) == NULL)
		return -1;
	if (sr_demo_seed(cli->ses->store, cli->ses->cfg, cli->ses->now, &err) != 0) {
		sr_cli_fail(cli, SR_EXIT_FAIL, err);
		return -1;
	}
	return 0;
}

/* --- ASCII output in a locale that is not UTF-8 --- */

/*
 * In a C or Latin-1 locale a terminal may take 0x9B for CSI and shows UTF-8 as mojibake, so
 * every byte the CLI writes passes through sr_text_ascii: one choke point instead of a flag
 * in every printer. The stream writes to the descriptor itself, so nothing depends on the
 * order in which stdio flushes streams at exit.
 */
struct ascii_out {
	int fd;
	char carry[4];	/* the start of a UTF-8 sequence cut by the previous write */
	size_t n_carry;
};

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t
ascii_write(void *cookie, const char *buf, size_t size)
{
	struct ascii_out *a = cookie;
	struct sr_buf in, out;
	size_t used;
	int rc;

	sr_buf_init(&in);
	sr_buf_init(&out);
	sr_buf_add(&in, a->carry, a->n_carry);
	sr_buf_add(&in, buf, size);
	used = sr_text_ascii(&out, in.data, in.len, 0);
	a->n_carry = in.len - used;	/* < 4 by sr_text_ascii's contract */
	memcpy(a->carry, in.data + used, a->n_carry);
	rc = write_all(a->fd, out.data, out.len);
	sr_buf_done(&in);
	sr_buf_done(&out);
	return rc == 0 ? (ssize_t)size : -1;
}

static int
ascii_close(void *cookie)
{
	struct ascii_out *a = cookie;
	struct sr_buf out;

	sr_buf_init(&out);
	sr_text_ascii(&out, a->carry, a->n_carry, 1);
	if (out.len)
		write_all(a->fd, out.data, out.len);
	sr_buf_done(&out);
	free(a);
	return 0;
}

static FILE *
ascii_stream(int fd, int mode)
{
	static const cookie_io_functions_t io = { .write = ascii_write, .close = ascii_close };
	struct ascii_out *a = calloc(1, sizeof(*a));
	FILE *f;

	if (a == NULL)
		return NULL;
	a->fd = fd;
	if ((f = fopencookie(a, "w", io)) == NULL) {
		free(a);
		return NULL;
	}
	setvbuf(f, NULL, mode, BUFSIZ);
	return f;
}

/* The ASCII streams stdout and stderr were replaced with (non-UTF-8 locale), or NULL. */
static FILE *ascii_o, *ascii_e;

/* Closes o and e (each may be NULL); stdout (stderr) becomes o_to (e_to) when it was o (e). */
static void
close_streams(FILE *o, FILE *o_to, FILE *e, FILE *e_to)
{
	if (o != NULL) {
		if (stdout == o)
			stdout = o_to;
		fclose(o);
	}
	if (e != NULL) {
		if (stderr == e)
			stderr = e_to;
		fclose(e);
	}
}

/*
 * At exit: closes them, which writes a character cut at the end of the last write and frees
 * the stream (exit only flushes; a cookie stream's close function would never run).
 */
static void
ascii_close_all(void)
{
	close_streams(ascii_o, NULL, ascii_e, NULL);
}

/* --- no secret of the configuration in anything the CLI prints --- */

/*
 * stdout and stderr pass through sr_text_scrub once the configuration is read: list, show,
 * --json, --csv, errors and every other printer, with one choke point (as for ASCII above).
 * The end of a write that could begin a secret is held until the next write or the close.
 */
struct mask_out {
	FILE *to;
	char **sec;
	size_t n;
	struct sr_buf pend;
};

/* Bytes at the end of s[0..len) that are a proper prefix of some secret: held back. */
static size_t
mask_hold(const struct mask_out *m, const char *s, size_t len)
{
	size_t hold = 0;

	for (size_t i = 0; i < m->n; i++) {
		size_t sl = strlen(m->sec[i]);

		for (size_t k = sl - 1 < len ? sl - 1 : len; k > hold; k--)
			if (memcmp(s + len - k, m->sec[i], k) == 0) {
				hold = k;
				break;
			}
	}
	return hold;
}

static ssize_t
mask_write(void *cookie, const char *buf, size_t size)
{
	struct mask_out *m = cookie;
	size_t out, hold;
	int rc = 0;

	sr_buf_add(&m->pend, buf, size);
	m->pend.len = sr_text_scrub(m->pend.data, m->pend.len, (const char *const *)m->sec, m->n);
	hold = mask_hold(m, m->pend.data, m->pend.len);
	out = m->pend.len - hold;
	if (out > 0 && (fwrite(m->pend.data, 1, out, m->to) != out || fflush(m->to) != 0))
		rc = -1;
	memmove(m->pend.data, m->pend.data + out, hold);
	m->pend.len = hold;
	return rc == 0 ? (ssize_t)size : -1;
}

static int
mask_close(void *cookie)
{
	struct mask_out *m = cookie;
	int rc = 0;

	if (m->pend.len > 0 && fwrite(m->pend.data, 1, m->pend.len, m->to) != m->pend.len)
		rc = -1;
	if (fflush(m->to) != 0)
		rc = -1;
	sr_buf_done(&m->pend);
	sr_secrets_free(m->sec, m->n);
	free(m);
	return rc == 0 ? 0 : EOF;
}

static FILE *
mask_stream(FILE *to, const struct sr_config *cfg, int mode)
{
	static const cookie_io_functions_t io = { .write = mask_write, .close = mask_close };
	struct mask_out *m = sr_xcalloc(1, sizeof(*m));
	FILE *f;

	m->to = to;
	m->sec = sr_config_secrets(cfg, &m->n);
	sr_buf_init(&m->pend);
	if (m->n == 0 || (f = fopencookie(m, "w", io)) == NULL) {
		mask_close(m);
		return NULL;
	}
	setvbuf(f, NULL, mode, BUFSIZ);
	return f;
}

/* The masking streams stdout and stderr were replaced with, or NULL. */
static FILE *mask_o, *mask_e, *mask_o_to, *mask_e_to;

/* At exit, before the ASCII streams they write to: what was held back, then the close. */
static void
mask_close_all(void)
{
	close_streams(mask_o, mask_o_to, mask_e, mask_e_to);
}

static int
locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/*
 * No command: the console when stdin and stdout are terminals, else (scripts, or a terminal
 * without cursor addressing such as TERM=dumb) the open incidents with their live timers.
 * real_out and real_err are the unfiltered streams (see ascii_stream).
 */
static int
no_command(struct sr_cli *cli, const struct gopts *g, FILE *real_out, FILE *real_err)
{
	char *list_argv[] = { "incident", "list", NULL };
	struct tui_options topt = { g->readonly, g->demo, g->wallboard, g->wallboard_cycle };
	FILE *ascii_out, *ascii_err;
	char *err = NULL;
	int rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return sr_cli_incident(cli, 2, list_argv);
	/* curses needs the real terminal stream and draws ASCII itself in a locale that is not
	 * UTF-8; what the CLI prints (cli->out, cli->errf) stays filtered */
	fflush(stdout);
	fflush(stderr);
	ascii_out = stdout;
	ascii_err = stderr;
	stdout = real_out;
	stderr = real_err;
	rc = tui_run(cli->ses, &topt, &err);
	stdout = ascii_out;
	stderr = ascii_err;
	if (rc == TUI_NO_TERMINAL) {
		char *clean = sr_text_clean(err);

		fprintf(cli->errf, "sitrep: %s; open incidents:\n", clean);
		free(clean);
		free(err);
		return sr_cli_incident(cli, 2, list_argv);
	}
	if (rc == TUI_FAILED)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	return rc;
}

int
main(int argc, char **argv)
{
	struct gopts g = { 0 };
	struct sr_config cfg;
	struct sr_session ses;
	struct sr_cli cli = { &ses, NULL, NULL, 0 };
	char *cfg_path = NULL, *demo_store = NULL, *err = NULL;
	const char *nc;
	int first, rc = SR_EXIT_OK;
	FILE *real_out = stdout, *real_err = stderr;

	setlocale(LC_CTYPE, "");
	if (!locale_is_utf8()) {
		FILE *o = ascii_stream(STDOUT_FILENO, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF);
		FILE *e = ascii_stream(STDERR_FILENO, _IOLBF);

		if (o != NULL)
			stdout = ascii_o = o;
		if (e != NULL)
			stderr = ascii_e = e;
		atexit(ascii_close_all);
	}
	cli.out = stdout;
	cli.errf = stderr;
	signal(SIGPIPE, SIG_IGN);
	/* A file-size limit (a full disk, in tests) must fail the write, not kill us mid-way. */
	signal(SIGXFSZ, SIG_IGN);
	first = parse_globals(argc, argv, &g);
	if (first < 0)
		return SR_EXIT_USAGE;
	if (g.version) {
		printf("sitrep %s\n", PACKAGE_VERSION);
		return SR_EXIT_OK;
	}
	if (g.help) {
		usage(stdout);
		return SR_EXIT_OK;
	}

	sr_config_init(&cfg);
	cfg_path = g.config ? sr_xstrdup(g.config) : sr_config_default_path();
	if (cfg_path != NULL && sr_config_load(&cfg, cfg_path, g.config != NULL, &err) != 0) {
		char *clean = sr_text_clean(err);

		fprintf(stderr, "sitrep: %s\n", clean);
		free(clean);
		free(err);
		free(cfg_path);
		sr_config_done(&cfg);
		return SR_EXIT_USAGE;
	}

	mask_o_to = stdout;
	mask_e_to = stderr;
	if ((mask_o = mask_stream(stdout, &cfg, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF)) != NULL)
		stdout = cli.out = mask_o;
	if ((mask_e = mask_stream(stderr, &cfg, _IOLBF)) != NULL)
		stderr = cli.errf = mask_e;
	atexit(mask_close_all);
	nc = getenv("NO_COLOR");
	cli.color = isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
	if (sr_session_init(&ses, &cfg, g.store ? g.store : cfg.store, find_datadir(), g.readonly,
			    &err) != 0) {
		rc = sr_cli_fail(&cli, SR_EXIT_USAGE, err);
		goto out;
	}
	if (ses.store_where == NULL && !g.demo) {
		rc = sr_cli_fail(&cli, SR_EXIT_USAGE,
				 sr_xstrdup("no store: set [store] path in the config, --store "
					    "PATH, or XDG_STATE_HOME/HOME"));
		goto out;
	}
	if (g.demo && demo_setup(&cli, &demo_store) != 0) {
		rc = SR_EXIT_FAIL;
		goto out;
	}

	if (first >= argc) {
		rc = no_command(&cli, &g, real_out, real_err);
		goto out;
	}
	rc = -1;
	for (const struct sr_cli_command *c = sr_cli_commands; c->name != NULL; c++) {
		if (strcmp(argv[first], c->name) == 0) {
			rc = c->run(&cli, argc - first, argv + first);
			break;
		}
	}
	if (rc < 0) {
		char *clean = sr_text_clean(argv[first]);

		fprintf(stderr, "sitrep: unknown command \"%s\" (see sitrep --help)\n", clean);
		free(clean);
		rc = SR_EXIT_USAGE;
	}
out:
	if (fflush(stdout) != 0 && rc == SR_EXIT_OK)
		rc = SR_EXIT_FAIL;
	sr_session_done(&ses);
	free(demo_store);
	free(cfg_path);
	sr_config_done(&cfg);
	demo_cleanup();
	return rc;
}

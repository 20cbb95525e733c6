/* SPDX-License-Identifier: MIT */
/* test_runbook.c: runbook dirs, alert -> runbook rules, links, checklists, the FTS5 index. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "incident.h"
#include "runbook.h"
#include "store.h"
#include "util.h"
#include "tmpdir.h"

#define D1 SR_FIXTURES "/runbook/dir1"
#define D2 SR_FIXTURES "/runbook/dir2"

static void
scan_fixtures(struct sr_runbook_set *set, unsigned flags)
{
	char *dirs[] = { D1, D2, SR_FIXTURES "/runbook/not-there" };
	char *err = NULL;

	assert_int_equal(sr_runbook_scan(set, dirs, 3, flags, &err), 0);
}

/* --- the set --- */

static void
test_scan(void **state)
{
	struct sr_runbook_set set;
	const char *want[] = { "checklist", "db/pool", "disk-full", "links", "only-two" };
	size_t i;

	(void)state;
	scan_fixtures(&set, SR_RB_META);
	assert_int_equal(set.n, SR_ARRAY_LEN(want));
	for (i = 0; i < set.n; i++)
		assert_string_equal(set.v[i].name, want[i]);
	/* dir1 hides dir2's runbook of the same name */
	assert_string_equal(set.v[2].path, D1 "/disk-full.md");
	assert_string_equal(set.v[2].title, "Disk full");
	assert_int_equal(set.v[2].n_alerts, 2);
	assert_string_equal(set.v[1].title, "Connection pool");	/* from the heading */
	assert_string_equal(set.v[4].title, "Only in the second directory");
	assert_true(set.v[0].size > 0 && set.v[0].mtime_ns > 0);
	sr_runbook_set_done(&set);
}

static void
test_find_and_closest(void **state)
{
	struct sr_runbook_set set;
	char *c;

	(void)state;
	scan_fixtures(&set, 0);
	assert_string_equal(sr_runbook_find(&set, "disk-full")->name, "disk-full");
	assert_string_equal(sr_runbook_find(&set, "disk-full.md")->name, "disk-full");
	assert_string_equal(sr_runbook_find(&set, "DISK-FULL")->name, "disk-full");
	assert_string_equal(sr_runbook_find(&set, "pool")->name, "db/pool");
	assert_null(sr_runbook_find(&set, "nope"));
	assert_null(sr_runbook_find(&set, ""));
	c = sr_runbook_closest(&set, "disk-ful", 2);
	assert_true(strncmp(c, "disk-full, ", 11) == 0);
	free(c);
	c = sr_runbook_closest(&set, "DiskFull", 1);	/* camel case against kebab names */
	assert_string_equal(c, "disk-full");
	free(c);
	sr_runbook_set_done(&set);
}

static void
test_locate(void **state)
{
	struct sr_runbook_set set;
	char *path, *anchor, *err = NULL;

	(void)state;
	scan_fixtures(&set, 0);
	assert_int_equal(sr_runbook_locate(&set, "disk-full#checks", &path, &anchor, &err), 0);
	assert_string_equal(path, D1 "/disk-full.md");
	assert_string_equal(anchor, "checks");
	free(path);
	free(anchor);
	assert_int_equal(sr_runbook_locate(&set, D2 "/disk-full.md", &path, &anchor, &err), 0);
	assert_string_equal(path, D2 "/disk-full.md");
	assert_null(anchor);
	free(path);
	assert_int_equal(sr_runbook_locate(&set, "db/pool", &path, &anchor, &err), 0);
	assert_string_equal(path, D1 "/db/pool.md");
	free(path);
	assert_int_equal(sr_runbook_locate(&set, "disk-fll", &path, &anchor, &err), -1);
	assert_true(strncmp(err, "no runbook \"disk-fll\" (closest: disk-full, ", 40) == 0);
	free(err);
	err = NULL;
	assert_int_equal(sr_runbook_locate(&set, "/no/such/file.md", &path, &anchor, &err), -1);
	assert_string_equal(err, "/no/such/file.md: No such file or directory");
	free(err);
	err = NULL;
	/* escape characters in what the user typed do not come back raw */
	assert_int_equal(sr_runbook_locate(&set, "x\033[2J", &path, &anchor, &err), -1);
	assert_null(strchr(err, '\033'));
	free(err);
	sr_runbook_set_done(&set);
}

static void
test_follow_links(void **state)
{
	char *path, *anchor, *err = NULL;
	const char *from = D1 "/links.md";

	(void)state;
	assert_int_equal(sr_runbook_follow(from, "disk-full.md#checks", &path, &anchor, &err), 0);
	assert_string_equal(path, D1 "/disk-full.md");
	assert_string_equal(anchor, "checks");
	free(path);
	free(anchor);
	assert_int_equal(sr_runbook_follow(from, "db/pool.md", &path, &anchor, &err), 0);
	assert_string_equal(path, D1 "/db/pool.md");
	assert_null(anchor);
	free(path);
	assert_int_equal(sr_runbook_follow(from, "#links", &path, &anchor, &err), 0);
	assert_string_equal(path, from);
	assert_string_equal(anchor, "links");
	free(path);
	free(anchor);
	assert_int_equal(sr_runbook_follow(from, "missing.md", &path, &anchor, &err), -1);
	assert_string_equal(err, "broken link in " D1 "/links.md: missing.md: no such file");
	free(err);
	err = NULL;
	assert_int_equal(sr_runbook_follow(from, "https://example.com/x.md", &path, &anchor, &err),
			 -1);
	assert_string_equal(err, "https://example.com/x.md is not a local runbook link");
	free(err);
}

/* --- alert -> runbook, one test per rule --- */

struct fx {
	struct sr_runbook_set set;
	struct sr_config cfg;
};

static int
setup_fx(void **state)
{
	struct fx *f = sr_xcalloc(1, sizeof(*f));

	scan_fixtures(&f->set, SR_RB_META);
	sr_config_init(&f->cfg);
	f->cfg.runbook_map = sr_xcalloc(2, sizeof(*f->cfg.runbook_map));
	f->cfg.runbook_map[0].alertname = sr_xstrdup("PoolExhausted");
	f->cfg.runbook_map[0].file = sr_xstrdup("db/pool.md#terminate-idle-sessions");
	f->cfg.runbook_map[1].alertname = sr_xstrdup("Gone");
	f->cfg.runbook_map[1].file = sr_xstrdup("gone.md");
	f->cfg.n_runbook_map = 2;
	*state = f;
	return 0;
}

static int
teardown_fx(void **state)
{
	struct fx *f = *state;

	sr_runbook_set_done(&f->set);
	sr_config_done(&f->cfg);
	free(f);
	return 0;
}

static int
resolve(struct fx *f, const char *alert, const char *url, const char *label, const char *panel,
	struct sr_runbook_match *m)
{
	struct sr_runbook_alert a = { alert, url, label, panel };

	return sr_runbook_resolve(&f->set, &f->cfg, &a, m);
}

static void
test_rule_annotation_path(void **state)
{
	struct sr_runbook_match m;

	assert_int_equal(resolve(*state, "X", "db/pool.md#terminate-idle-sessions", NULL, NULL, &m),
			 1);
	assert_int_equal(m.rule, SR_RB_ANNOTATION_PATH);
	assert_string_equal(m.path, D1 "/db/pool.md");
	assert_string_equal(m.anchor, "terminate-idle-sessions");
	assert_string_equal(sr_rb_rule_name(m.rule), "annotation");
	sr_runbook_match_done(&m);
	/* a path leaving the runbook directories is never opened */
	assert_int_equal(resolve(*state, "X", "../dir2/only-two.md", NULL, NULL, &m), 0);
	assert_non_null(strstr(m.why, "is not a file in the runbook dirs"));
	sr_runbook_match_done(&m);
}

static void
test_rule_annotation_url(void **state)
{
	struct sr_runbook_match m;

	assert_int_equal(resolve(*state, "X", "https://wiki.example.com/runbooks/disk-full", NULL,
				 NULL, &m), 1);
	assert_int_equal(m.rule, SR_RB_ANNOTATION_URL);
	assert_string_equal(m.path, D1 "/disk-full.md");
	sr_runbook_match_done(&m);
	assert_int_equal(resolve(*state, "X", "https://wiki.example.com/rb/only-two.md?v=2#x", NULL,
				 NULL, &m), 1);
	assert_string_equal(m.path, D2 "/only-two.md");
	assert_string_equal(m.anchor, "x");
	sr_runbook_match_done(&m);
	/* a URL without a path segment names nothing */
	assert_int_equal(resolve(*state, "X", "https://disk-full/", NULL, NULL, &m), 0);
	assert_non_null(strstr(m.why, "names no local runbook"));
	sr_runbook_match_done(&m);
}

static void
test_rule_label(void **state)
{
	struct sr_runbook_match m;

	/* the annotation fails, the label is next */
	assert_int_equal(resolve(*state, "X", "https://w.example/missing", "only-two", NULL, &m), 1);
	assert_int_equal(m.rule, SR_RB_LABEL);
	assert_string_equal(m.path, D2 "/only-two.md");
	assert_string_equal(m.why, "runbook label only-two; before it: runbook_url "
				   "https://w.example/missing names no local runbook");
	sr_runbook_match_done(&m);
	/* an annotation that matches wins over the label */
	assert_int_equal(resolve(*state, "X", "disk-full.md", "only-two", NULL, &m), 1);
	assert_int_equal(m.rule, SR_RB_ANNOTATION_PATH);
	sr_runbook_match_done(&m);
}

static void
test_rule_map(void **state)
{
	struct sr_runbook_match m;

	assert_int_equal(resolve(*state, "PoolExhausted", NULL, "nope", NULL, &m), 1);
	assert_int_equal(m.rule, SR_RB_MAP);
	assert_string_equal(m.path, D1 "/db/pool.md");
	assert_string_equal(m.anchor, "terminate-idle-sessions");
	sr_runbook_match_done(&m);
	assert_int_equal(resolve(*state, "Gone", NULL, NULL, NULL, &m), 0);
	assert_non_null(strstr(m.why, "[runbooks map] names gone.md, which is missing"));
	sr_runbook_match_done(&m);
}

static void
test_rule_front_matter_and_panel(void **state)
{
	struct sr_runbook_match m;

	assert_int_equal(resolve(*state, "diskalmostfull", NULL, NULL, "checklist", &m), 1);
	assert_int_equal(m.rule, SR_RB_FRONT_MATTER);
	assert_string_equal(m.path, D1 "/disk-full.md");
	sr_runbook_match_done(&m);
	assert_int_equal(resolve(*state, "Unlisted", NULL, NULL, "checklist", &m), 1);
	assert_int_equal(m.rule, SR_RB_PANEL);
	assert_string_equal(m.path, D1 "/checklist.md");
	sr_runbook_match_done(&m);
}

static void
test_rule_none(void **state)
{
	struct sr_runbook_match m;

	assert_int_equal(resolve(*state, "DiskFul", NULL, NULL, NULL, &m), 0);
	assert_int_equal(m.rule, SR_RB_NONE);
	assert_null(m.path);
	assert_non_null(strstr(m.why, "runbook name matches DiskFul"));
	assert_true(strncmp(m.closest, "disk-full", 9) == 0);
	sr_runbook_match_done(&m);
}

/*
 * runbook_url values as alert rules in the wild write them, against a team directory
 * ".../ops/runbooks" configured before the shipped one (dir2 stands in for it). ops/ also
 * holds a file that is not a runbook: no rule may open it.
 */
static void write_file(const char *path, const char *text);

struct harness {
	char dir[64];
	char *rb, *ops;
	struct sr_runbook_set set;
};

static void
harness_init(struct harness *h, int unreadable)
{
	char *p, *dirs[3];

	sr_test_tmp(h->dir, sizeof(h->dir), "sitrep-test-harness");
	assert_non_null(mkdtemp(h->dir));
	h->ops = sr_xasprintf("%s/ops", h->dir);
	h->rb = sr_xasprintf("%s/ops/runbooks", h->dir);
	mkdir(h->ops, 0700);
	mkdir(h->rb, 0700);
	p = sr_xasprintf("%s/postgres-down.md", h->rb);
	write_file(p, "# Postgres down\n\nCheck the primary.\n");
	free(p);
	p = sr_xasprintf("%s/high-error-rate.md", h->rb);
	write_file(p, "# High error rate\n");
	free(p);
	p = sr_xasprintf("%s/secret.md", h->ops);
	write_file(p, "# not a runbook\n");
	free(p);
	/* a directory that cannot be opened (ENOTDIR, whoever runs the test), or a missing one */
	p = unreadable ? sr_xasprintf("%s/secret.md/x", h->ops) : sr_xasprintf("%s/none", h->dir);
	dirs[0] = p;
	dirs[1] = h->rb;
	dirs[2] = D2;
	assert_int_equal(sr_runbook_scan(&h->set, dirs, 3, SR_RB_META, NULL), 0);
	free(p);
}

static void
harness_done(struct harness *h)
{
	char *cmd = sr_xasprintf("rm -rf %s", h->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	sr_runbook_set_done(&h->set);
	free(h->rb);
	free(h->ops);
}

static int
harness_resolve(struct harness *h, const char *alert, const char *url,
		struct sr_runbook_match *m)
{
	struct sr_runbook_alert a = { alert, url, NULL, NULL };

	return sr_runbook_resolve(&h->set, NULL, &a, m);
}

static void
test_rule_harness_urls(void **state)
{
	static const char *const good[] = {
		"runbooks/postgres-down.md",	/* relative to the directory's parent */
		"postgres-down.md",
		"./postgres-down.md",
		"runbooks/postgres-down.md#failover",
		"https://wiki.example.com/runbooks/postgres-down",
		"https://wiki.example.com/runbooks/postgres-down/",
		"https://wiki.example.com/runbooks/postgres-down.md",
		"https://wiki.example.com/runbooks/postgres-down.html?x=1",
		"https://wiki.example.com/display/OPS/PostgresDown",
	};
	static const char *const refused[] = {
		"secret.md",			/* in the parent, not in a runbook directory */
		"../secret.md",
		"runbooks/../secret.md",
		"runbooks/../../ops/secret.md",
		"https://wiki.example.com/secret",	/* not a runbook */
	};
	struct harness h;
	struct sr_runbook_match m;
	char *want, *abs;
	size_t i;

	(void)state;
	harness_init(&h, 0);
	want = sr_xasprintf("%s/postgres-down.md", h.rb);
	for (i = 0; i < SR_ARRAY_LEN(good); i++) {
		assert_int_equal(harness_resolve(&h, "PGDown", good[i], &m), 1);
		assert_string_equal(m.path, want);
		assert_int_equal(m.rule, strstr(good[i], "://") ? SR_RB_ANNOTATION_URL
								: SR_RB_ANNOTATION_PATH);
		assert_non_null(strstr(m.why, "runbook_url"));
		if (strchr(good[i], '#') && !strstr(good[i], "://"))
			assert_string_equal(m.anchor, "failover");
		sr_runbook_match_done(&m);
	}
	for (i = 0; i < SR_ARRAY_LEN(refused); i++) {
		assert_int_equal(harness_resolve(&h, "PGDown", refused[i], &m), 0);
		assert_null(m.path);
		sr_runbook_match_done(&m);
	}
	/* an absolute path from an alert is never opened, even to a real file */
	abs = sr_xasprintf("%s/secret.md", h.ops);
	assert_int_equal(harness_resolve(&h, "PGDown", abs, &m), 0);
	sr_runbook_match_done(&m);
	free(abs);
	abs = sr_xasprintf("%s/postgres-down.md", h.rb);
	assert_int_equal(harness_resolve(&h, "PGDown", abs, &m), 0);
	sr_runbook_match_done(&m);
	free(abs);
	free(want);
	harness_done(&h);
}

static void
test_rule_name(void **state)
{
	static const char *const names[] = { "HighErrorRate", "high_error_rate", "HIGH-ERROR-RATE",
					     "highErrorRate" };
	struct harness h;
	struct sr_runbook_match m;
	char *want;
	size_t i;

	(void)state;
	harness_init(&h, 0);
	want = sr_xasprintf("%s/high-error-rate.md", h.rb);
	for (i = 0; i < SR_ARRAY_LEN(names); i++) {
		/* a runbook_url naming nothing falls through to the name rule */
		assert_int_equal(harness_resolve(&h, names[i], i ? NULL : "https://x.example/y/z",
						 &m), 1);
		assert_int_equal(m.rule, SR_RB_NAME);
		assert_string_equal(sr_rb_rule_name(m.rule), "name");
		assert_string_equal(m.path, want);
		assert_non_null(strstr(m.why, "high-error-rate"));
		sr_runbook_match_done(&m);
	}
	/* "only-two" is in the shipped stand-in: a team directory does not hide it */
	assert_int_equal(harness_resolve(&h, "OnlyTwo", NULL, &m), 1);
	assert_string_equal(m.path, D2 "/only-two.md");
	sr_runbook_match_done(&m);
	/* a near miss is not a match */
	assert_int_equal(harness_resolve(&h, "HighErrorRates", NULL, &m), 0);
	assert_int_equal(m.rule, SR_RB_NONE);
	sr_runbook_match_done(&m);
	free(want);
	harness_done(&h);
}

/* An unreadable team directory is skipped and named; the shipped runbooks stay. */
static void
test_unreadable_dir_hides_nothing(void **state)
{
	struct harness h;

	(void)state;
	harness_init(&h, 1);
	assert_non_null(h.set.warning);
	assert_non_null(strstr(h.set.warning, "secret.md/x"));
	assert_non_null(strstr(h.set.warning, "(skipped)"));
	assert_non_null(sr_runbook_find(&h.set, "only-two"));
	assert_non_null(sr_runbook_find(&h.set, "postgres-down"));
	harness_done(&h);
}

/* --- checklists --- */

static void
test_checklist(void **state)
{
	struct sr_checklist cl;
	char *err = NULL;

	(void)state;
	assert_int_equal(sr_runbook_checklist(D1 "/checklist.md", &cl, &err), 0);
	assert_int_equal(cl.n, 4);
	assert_int_equal(cl.v[0].number, 1);
	assert_string_equal(cl.v[0].text, "Confirm the alert");
	assert_false(cl.v[0].checked);
	assert_true(cl.v[1].checked);
	assert_string_equal(cl.v[2].text, "Mitigate with kubectl rollout undo");
	assert_string_equal(cl.v[3].text, "nested step");
	assert_int_equal(cl.v[3].number, 4);
	sr_checklist_done(&cl);
	assert_int_equal(sr_runbook_checklist(D1 "/disk-full.md", &cl, &err), 0);
	assert_int_equal(cl.n, 0);
	sr_checklist_done(&cl);
	assert_int_equal(sr_runbook_checklist(D1 "/nope.md", &cl, &err), -1);
	assert_non_null(strstr(err, "nope.md: No such file"));
	free(err);
}

/* --- the index --- */

struct ix {
	char dir[64];
	char *rbdir, *db;
};

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
setup_ix(void **state)
{
	struct ix *x = sr_xcalloc(1, sizeof(*x));
	int i;

	sr_test_tmp(x->dir, sizeof(x->dir), "sitrep-test-runbook");
	assert_non_null(mkdtemp(x->dir));
	x->rbdir = sr_xasprintf("%s/rb", x->dir);
	x->db = sr_xasprintf("%s/cache/sub/runbooks.db", x->dir);
	mkdir(x->rbdir, 0700);
	for (i = 0; i < 30; i++) {
		char *p = sr_xasprintf("%s/filler-%02d.md", x->rbdir, i);
		char *t = sr_xasprintf("# Filler %d\n\nOrdinary text about services and hosts "
				       "number %d.\n\n## Checks\n\nLook at the graphs.\n", i, i);

		write_file(p, t);
		free(p);
		free(t);
	}
	{
		char *p = sr_xasprintf("%s/zebra-title.md", x->rbdir);

		write_file(p, "---\ntitle: Zebra crossing outage\n---\nNothing else here.\n");
		free(p);
		p = sr_xasprintf("%s/zebra-body.md", x->rbdir);
		write_file(p, "# Traffic lights\n\nIntro.\n\n## Mitigation\n\nWave at the zebra "
			      "until the lights work again.\n");
		free(p);
		p = sr_xasprintf("%s/binary.md", x->rbdir);
		write_file(p, "\x7f" "ELF\x01\x02\x03");
		/* a NUL byte makes it binary */
		{
			FILE *f = fopen(p, "ab");

			fputc(0, f);
			fclose(f);
		}
		free(p);
	}
	*state = x;
	return 0;
}

static int
teardown_ix(void **state)
{
	struct ix *x = *state;
	char *cmd = sr_xasprintf("rm -rf '%s'", x->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(x->rbdir);
	free(x->db);
	free(x);
	return 0;
}

static void
update(struct ix *x, int rebuild, struct sr_index_stats *st)
{
	struct sr_runbook_set set;
	struct sr_runbook_index *idx;
	char *dirs[] = { x->rbdir }, *err = NULL;

	assert_int_equal(sr_runbook_scan(&set, dirs, 1, 0, &err), 0);
	idx = sr_runbook_index_open(x->db, &err);
	if (idx == NULL)
		fail_msg("%s", err);
	if (sr_runbook_index_update(idx, &set, rebuild, NULL, NULL, st, &err) < 0)
		fail_msg("%s", err);
	sr_runbook_index_close(idx);
	sr_runbook_set_done(&set);
}

static void
search(struct ix *x, const char *q, struct sr_search_hits *h)
{
	struct sr_runbook_index *idx;
	char *err = NULL;

	idx = sr_runbook_index_open(x->db, &err);
	assert_non_null(idx);
	if (sr_runbook_search(idx, q, 10, h, &err) < 0)
		fail_msg("search %s: %s", q, err);
	sr_runbook_index_close(idx);
}

static void
test_index_incremental(void **state)
{
	struct ix *x = *state;
	struct sr_index_stats st;
	struct timespec ts[2];
	char *p;

	update(x, 0, &st);
	assert_int_equal(st.files, 33);
	assert_int_equal(st.added, 33);
	assert_int_equal(st.unchanged, 0);
	update(x, 0, &st);
	assert_int_equal(st.added + st.updated + st.removed, 0);
	assert_int_equal(st.unchanged, 33);
	assert_int_equal(st.sections, 0);

	/* touch one file: only it is read again */
	p = sr_xasprintf("%s/filler-07.md", x->rbdir);
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec += 5;
	ts[1] = ts[0];
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	update(x, 0, &st);
	assert_int_equal(st.updated, 1);
	assert_int_equal(st.unchanged, 32);
	assert_int_equal(st.sections, 2);	/* its two headings */

	/* a changed size with the same mtime is noticed too; the new text is searchable */
	write_file(p, "# Filler 7\n\nNow mentions a quokka.\n");
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	update(x, 0, &st);
	assert_int_equal(st.updated, 1);
	{
		struct sr_search_hits h;

		search(x, "quokka", &h);
		assert_int_equal(h.n, 1);
		assert_string_equal(h.v[0].name, "filler-07");
		sr_search_hits_done(&h);
	}

	/* delete one: it leaves the index and the results */
	assert_int_equal(unlink(p), 0);
	update(x, 0, &st);
	assert_int_equal(st.removed, 1);
	assert_int_equal(st.files, 32);
	{
		struct sr_search_hits h;

		search(x, "quokka", &h);
		assert_int_equal(h.n, 0);
		sr_search_hits_done(&h);
	}
	free(p);
	update(x, 1, &st);	/* rebuild reads everything */
	assert_int_equal(st.updated, 32);
}

static void
test_search_ranking(void **state)
{
	struct ix *x = *state;
	struct sr_index_stats st;
	struct sr_search_hits h;
	char *err = NULL;
	struct sr_runbook_index *idx;
	static const char *const odd[] = { "foo-bar", "\"x\"", "a AND OR NOT (", "col:umn",
					   "\xE6\x97\xA5\xE6\x9C\xAC", "x'; DROP TABLE files; --" };
	size_t i;

	update(x, 0, &st);
	/* a title match ranks above a body match */
	search(x, "zebra", &h);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.v[0].name, "zebra-title");
	assert_string_equal(h.v[0].title, "Zebra crossing outage");
	assert_string_equal(h.v[1].name, "zebra-body");
	assert_string_equal(h.v[1].heading, "Mitigation");
	assert_string_equal(h.v[1].anchor, "mitigation");
	assert_true(h.v[0].score <= h.v[1].score);
	assert_non_null(strchr(h.v[1].snippet, SR_HL_START));
	assert_non_null(strstr(h.v[1].snippet, "\002zebra\003"));
	sr_search_hits_done(&h);

	/* words are prefixes and all must match */
	search(x, "zeb wav", &h);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.v[0].name, "zebra-body");
	sr_search_hits_done(&h);
	search(x, "checks graphs", &h);
	assert_int_equal(h.n, 10);	/* the limit */
	assert_string_equal(h.v[0].heading, "Checks");
	sr_search_hits_done(&h);

	/* user text is never FTS5 syntax */
	for (i = 0; i < SR_ARRAY_LEN(odd); i++) {
		search(x, odd[i], &h);
		sr_search_hits_done(&h);
	}
	idx = sr_runbook_index_open(x->db, &err);
	assert_int_equal(sr_runbook_search(idx, " -- ", 10, &h, &err), -1);
	assert_string_equal(err, "empty search: give one or more words");
	free(err);
	sr_runbook_index_close(idx);

	/* the binary file is indexed by name only */
	search(x, "binary", &h);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.v[0].title, "binary");
	sr_search_hits_done(&h);
}

static void
test_index_paths(void **state)
{
	char *p, *err = NULL;

	(void)state;
	setenv("SITREP_RUNBOOK_INDEX", "/x/idx.db", 1);
	p = sr_runbook_index_default_path();
	assert_string_equal(p, "/x/idx.db");
	free(p);
	unsetenv("SITREP_RUNBOOK_INDEX");
	setenv("XDG_CACHE_HOME", "/c", 1);
	p = sr_runbook_index_default_path();
	assert_string_equal(p, "/c/sitrep/runbooks.db");
	free(p);
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/h", 1);
	p = sr_runbook_index_default_path();
	assert_string_equal(p, "/h/.cache/sitrep/runbooks.db");
	free(p);
	assert_null(sr_runbook_index_open("/proc/no/such/dir/x.db", &err));
	assert_non_null(strstr(err, "/proc/no/such/dir/x.db"));
	free(err);
}

/* --- `incident check ID RUNBOOK N` (cli/cli_incident.c) against a real SQLite store --- */

struct chk {
	char dir[64];
	struct sr_config cfg;
	struct sr_session ses;
	struct sr_cli cli;
	char *out, *errs;
	size_t n_out, n_err;
	char id[SR_ID_MAX];
};

static int
run_check(struct chk *c, int argc, const char **argv)
{
	char *full[8] = { "incident" };
	int rc;

	for (int i = 0; i < argc && i < 7; i++)
		full[i + 1] = (char *)argv[i];
	free(c->out);
	free(c->errs);
	c->cli.out = open_memstream(&c->out, &c->n_out);
	c->cli.errf = open_memstream(&c->errs, &c->n_err);
	rc = sr_cli_incident(&c->cli, argc + 1, full);
	fclose(c->cli.out);
	fclose(c->cli.errf);
	return rc;
}

static void
test_incident_check(void **state)
{
	struct chk c;
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_store *st;
	char *db, *err = NULL;
	const char *argv[6];
	size_t before;

	(void)state;
	memset(&c, 0, sizeof(c));
	sr_test_tmp(c.dir, sizeof(c.dir), "sitrep-test-check");
	assert_non_null(mkdtemp(c.dir));
	db = sr_xasprintf("%s/s.db", c.dir);
	sr_config_init(&c.cfg);
	c.cfg.runbook_dirs = sr_xcalloc(1, sizeof(char *));
	c.cfg.runbook_dirs[0] = sr_xstrdup(D1);
	c.cfg.n_runbook_dirs = 1;
	sr_set_str(&c.cfg.user, "alice");
	assert_int_equal(sr_session_init(&c.ses, &c.cfg, db, NULL, 0, &err), 0);
	c.ses.now = 1795000000;
	c.cli.ses = &c.ses;

	/* an incident to tick items on */
	st = sr_store_open(db, &err);
	assert_non_null(st);
	sr_incident_init(&inc);
	assert_int_equal(sr_incident_new(&inc, "Pool exhausted", "db", SR_SEV_P2, "slow", "alice",
					 c.ses.now, &ev, &err), 0);
	assert_int_equal(st->ops->create(st, &inc, &ev, &err), 0);
	strcpy(c.id, inc.id);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_store_close(st);

	argv[0] = "check", argv[1] = c.id, argv[2] = "checklist", argv[3] = "3";
	assert_int_equal(run_check(&c, 4, argv), 0);
	assert_non_null(strstr(c.out, ": checked checklist item 3: Mitigate with kubectl rollout "
				      "undo"));
	st = c.ses.store;
	assert_non_null(st);
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(st->ops->events(st, c.id, &ev, &err), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.v[1].kind, SR_EV_CHECKLIST);
	assert_string_equal(ev.v[1].actor, "alice");
	assert_non_null(strstr(ev.v[1].detail, "Mitigate with kubectl rollout undo"));
	before = ev.n;
	sr_event_list_done(&ev);

	/* --undo records the item as not done, as another event */
	argv[4] = "--undo";
	assert_int_equal(run_check(&c, 5, argv), 0);
	assert_non_null(strstr(c.out, "unchecked checklist item 3"));
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(st->ops->events(st, c.id, &ev, &err), 0);
	assert_int_equal(ev.n, before + 1);
	sr_event_list_done(&ev);

	/* out of range, unknown runbook, no checklist, unknown incident, bad N */
	argv[3] = "9";
	assert_int_equal(run_check(&c, 4, argv), SR_EXIT_FAIL);
	assert_non_null(strstr(c.errs, "runbook checklist has 4 checklist items (1..4), not 9"));
	argv[2] = "no-such-book", argv[3] = "1";
	assert_int_equal(run_check(&c, 4, argv), SR_EXIT_FAIL);
	assert_non_null(strstr(c.errs, "no runbook \"no-such-book\""));
	argv[2] = "disk-full";
	assert_int_equal(run_check(&c, 4, argv), SR_EXIT_FAIL);
	assert_non_null(strstr(c.errs, "runbook disk-full has no checklist items"));
	argv[1] = "INC-2026-999", argv[2] = "checklist";
	assert_int_equal(run_check(&c, 4, argv), SR_EXIT_FAIL);
	assert_non_null(strstr(c.errs, "INC-2026-999"));
	argv[1] = c.id, argv[3] = "zero";
	assert_int_equal(run_check(&c, 4, argv), SR_EXIT_USAGE);
	assert_int_equal(run_check(&c, 3, argv), SR_EXIT_USAGE);
	c.ses.readonly = 1;
	argv[3] = "1";
	assert_int_equal(run_check(&c, 4, argv), SR_EXIT_FAIL);
	assert_non_null(strstr(c.errs, "--readonly"));
	c.ses.readonly = 0;
	argv[1] = "--help";
	assert_int_equal(run_check(&c, 2, argv), SR_EXIT_OK);
	assert_non_null(strstr(c.out, "usage: sitrep incident check ID RUNBOOK N"));

	/* nothing else was written by the failures */
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(st->ops->events(st, c.id, &ev, &err), 0);
	assert_int_equal(ev.n, before + 1);
	sr_event_list_done(&ev);

	sr_session_done(&c.ses);
	sr_config_done(&c.cfg);
	free(c.out);
	free(c.errs);
	{
		char *cmd = sr_xasprintf("rm -rf '%s'", c.dir);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	free(db);
}

/* An absolute runbook_url or label is never opened, even when it names a real file; the map
 * and panel settings (the operator's own) may name absolute paths. */
static void
test_absolute_paths(void **state)
{
	struct fx *f = *state;
	struct sr_runbook_match m;
	static const char *const refused[] = {
		"/etc/passwd", D1 "/disk-full.md", D1 "/disk-full.md#x", "/", "db/../../dir2/only-two.md",
		"db/..", "..", "../", "./../dir2/only-two.md",
	};

	for (size_t i = 0; i < SR_ARRAY_LEN(refused); i++) {
		assert_int_equal(resolve(f, "X", refused[i], NULL, NULL, &m), 0);
		assert_null(m.path);
		if (strstr(m.why, "is not a file in the runbook dirs") == NULL)
			fail_msg("%s: %s", refused[i], m.why);
		sr_runbook_match_done(&m);
		assert_int_equal(resolve(f, "X", NULL, refused[i], NULL, &m), 0);
		assert_null(m.path);
		sr_runbook_match_done(&m);
	}
	/* inside the dirs, "." and a name starting with dots are fine */
	assert_int_equal(resolve(f, "X", "./db/./pool.md", NULL, NULL, &m), 1);
	assert_string_equal(m.path, D1 "/db/./pool.md");
	sr_runbook_match_done(&m);
	/* the map and the panel are trusted with absolute paths */
	free(f->cfg.runbook_map[1].file);
	f->cfg.runbook_map[1].file = sr_xstrdup(D2 "/only-two.md#a");
	assert_int_equal(resolve(f, "Gone", "/etc/passwd", NULL, NULL, &m), 1);
	assert_int_equal(m.rule, SR_RB_MAP);
	assert_string_equal(m.path, D2 "/only-two.md");
	assert_string_equal(m.anchor, "a");
	assert_non_null(strstr(m.why, "[runbooks map] Gone"));
	sr_runbook_match_done(&m);
	free(f->cfg.runbook_map[1].file);
	f->cfg.runbook_map[1].file = sr_xstrdup("/nonexistent/gone.md");
	assert_int_equal(resolve(f, "Gone", NULL, NULL, D1 "/checklist.md", &m), 1);
	assert_int_equal(m.rule, SR_RB_PANEL);
	assert_string_equal(m.path, D1 "/checklist.md");
	/* the why names the rule that picked it first, then what was passed over */
	assert_true(strncmp(m.why, "panel runbook " D1 "/checklist.md",
			    strlen("panel runbook " D1 "/checklist.md")) == 0);
	assert_non_null(strstr(m.why, "/nonexistent/gone.md, which is missing"));
	sr_runbook_match_done(&m);
	free(f->cfg.runbook_map[1].file);
	f->cfg.runbook_map[1].file = sr_xstrdup("gone.md");
	/* URLs: trailing slashes and the query are not part of the last segment */
	assert_int_equal(resolve(f, "X", "https://wiki.example.com/rb/disk-full//?a=/b", NULL, NULL,
				 &m), 1);
	assert_string_equal(m.path, D1 "/disk-full.md");
	sr_runbook_match_done(&m);
	assert_int_equal(resolve(f, "X", "https://wiki.example.com/rb?p=/disk-full", NULL, NULL,
				 &m), 0);
	assert_non_null(strstr(m.why, "runbook_url https://wiki.example.com/rb?p=/disk-full names "
				      "no local runbook"));
	sr_runbook_match_done(&m);
	assert_int_equal(resolve(f, "X", "https://", NULL, NULL, &m), 0);
	sr_runbook_match_done(&m);
	/* what was tried is listed, every step */
	assert_int_equal(resolve(f, "Gone", "/etc/passwd", "nope", "nothing", &m), 0);
	assert_string_equal(m.why, "runbook_url annotation /etc/passwd is not a file in the runbook "
			    "dirs; runbook label nope is not a runbook; [runbooks map] names "
			    "gone.md, which is missing; panel runbook nothing is missing");
	sr_runbook_match_done(&m);
}

/* A runbook directory that is not a directory is a warning naming it; a missing one is silent. */
static void
test_scan_bad_dir(void **state)
{
	struct sr_runbook_set set;
	char *dirs[] = { D1, D1 "/disk-full.md" };
	char *missing[] = { SR_FIXTURES "/runbook/not-there", D2 };
	char *err = NULL;

	(void)state;
	memset(&set, 0, sizeof(set));
	/* a configured directory that cannot be read hides nothing: a warning names it */
	assert_int_equal(sr_runbook_scan(&set, dirs, 2, SR_RB_META, &err), 0);
	assert_null(err);
	assert_non_null(set.warning);
	if (strstr(set.warning, D1 "/disk-full.md") == NULL ||
	    strstr(set.warning, "Not a directory") == NULL)
		fail_msg("warning: %s", set.warning);
	assert_non_null(sr_runbook_find(&set, "disk-full"));
	sr_runbook_set_done(&set);
	memset(&set, 0, sizeof(set));
	assert_int_equal(sr_runbook_scan(&set, missing, 2, SR_RB_META, &err), 0);
	assert_null(err);
	assert_int_equal(set.n, 2);
	sr_runbook_set_done(&set);
}

/* Lines of a section are separate words in the index: a word at the start of a line is found. */
static void
test_index_line_breaks(void **state)
{
	struct ix *x = *state;
	struct sr_index_stats st;
	struct sr_search_hits h;
	char *p = sr_xasprintf("%s/lines.md", x->rbdir);

	write_file(p, "# Lines\n\nwombatfirst\nwombatsecond\n- wombatthird\n");
	free(p);
	update(x, 0, &st);
	search(x, "wombatsecond", &h);
	assert_int_equal(h.n, 1);
	sr_search_hits_done(&h);
	search(x, "wombatthird", &h);
	assert_int_equal(h.n, 1);
	sr_search_hits_done(&h);
	search(x, "wombatfirstwombatsecond", &h);
	assert_int_equal(h.n, 0);
	sr_search_hits_done(&h);
}

/* --- issue 17: edges the mutation runs found untested --- */

/* Closest names: camel case is compared in kebab form ("High_ErrorRate" is
 * "high-error-rate", not "high--error-rate"), and a name containing the query is close
 * whatever its length. */
static void
test_closest_kebab_and_containing(void **state)
{
	struct sr_runbook v[] = { { .name = (char *)"high-error-rate" },
				  { .name = (char *)"higherrorrat" } };
	struct sr_runbook w[] = { { .name = (char *)"db-connection-pool" },
				  { .name = (char *)"pol" } };
	struct sr_runbook_set set = { .v = v, .n = 2 };
	char *c;

	(void)state;
	c = sr_runbook_closest(&set, "HighErrorRate", 1);
	assert_string_equal(c, "high-error-rate");
	free(c);
	c = sr_runbook_closest(&set, "High_ErrorRate", 1);
	assert_string_equal(c, "high-error-rate");
	free(c);
	c = sr_runbook_closest(&set, "HighErrorRate", 5);
	assert_string_equal(c, "high-error-rate, higherrorrat");
	free(c);
	set.v = w;
	c = sr_runbook_closest(&set, "pool", 1);
	assert_string_equal(c, "db-connection-pool");
	free(c);
	c = sr_runbook_closest(&set, NULL, 1);
	assert_string_equal(c, "");
	free(c);
	assert_null(sr_runbook_find(&set, NULL));
	set.n = 0;
	c = sr_runbook_closest(&set, "pool", 1);
	assert_string_equal(c, "");
	free(c);
}

/* A missing directory is skipped without a warning; a symbolic link is followed only into a
 * runbook directory, never to a file outside them. */
static void
test_scan_missing_and_links(void **state)
{
	struct harness h;
	struct sr_runbook_set set;
	char *p, *t, *dirs[2], *err = NULL;

	(void)state;
	harness_init(&h, 0);
	assert_null(h.set.warning);
	assert_non_null(sr_runbook_find(&h.set, "postgres-down"));
	/* rb/evil.md -> ../secret.md (outside), rb/alias.md -> postgres-down.md (inside) */
	p = sr_xasprintf("%s/evil.md", h.rb);
	t = sr_xasprintf("%s/secret.md", h.ops);
	assert_int_equal(symlink(t, p), 0);
	free(p);
	free(t);
	p = sr_xasprintf("%s/alias.md", h.rb);
	t = sr_xasprintf("%s/postgres-down.md", h.rb);
	assert_int_equal(symlink(t, p), 0);
	free(p);
	free(t);
	dirs[0] = h.rb;
	dirs[1] = D2;
	assert_int_equal(sr_runbook_scan(&set, dirs, 2, 0, &err), 0);
	assert_null(sr_runbook_find(&set, "evil"));
	assert_non_null(sr_runbook_find(&set, "alias"));
	assert_non_null(sr_runbook_find(&set, "only-two"));
	sr_runbook_set_done(&set);
	harness_done(&h);
}

/* A runbook directory configured with a trailing slash still anchors relative refs on its
 * parent; a ref that exists relative to the working directory (but in no runbook directory)
 * is refused, and so is one that only its last segment would make a runbook; the name rule
 * compares every letter and digit ("HighErrorRte" is not "high-error-rate"). */
static void
test_rule_dir_forms(void **state)
{
	struct harness h;
	struct sr_runbook_set set;
	struct sr_runbook_match m;
	char *dirs[2], *err = NULL, *want, cwd[4096];
	struct sr_runbook_alert a = { "PGDown", "runbooks/postgres-down.md", NULL, NULL };

	(void)state;
	harness_init(&h, 0);
	want = sr_xasprintf("%s/postgres-down.md", h.rb);
	dirs[0] = sr_xasprintf("%s/", h.rb);
	dirs[1] = D2;
	assert_int_equal(sr_runbook_scan(&set, dirs, 2, 0, &err), 0);
	assert_int_equal(sr_runbook_resolve(&set, NULL, &a, &m), 1);
	assert_string_equal(m.path, want);
	sr_runbook_match_done(&m);
	sr_runbook_set_done(&set);
	free(dirs[0]);
	/* from inside ops/, "secret.md" exists relative to the working directory */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(h.ops), 0);
	assert_int_equal(harness_resolve(&h, "PGDown", "secret.md", &m), 0);
	assert_null(m.path);
	sr_runbook_match_done(&m);
	assert_int_equal(chdir(cwd), 0);
	/* only a leading "./" is dropped: "x/postgres-down.md" is not "postgres-down.md" */
	assert_int_equal(harness_resolve(&h, "PGDown", "x/postgres-down.md", &m), 0);
	sr_runbook_match_done(&m);
	assert_int_equal(harness_resolve(&h, "PGDown", "./././postgres-down.md", &m), 1);
	sr_runbook_match_done(&m);
	/* digits count too: "Http50" is not "http-500" */
	{
		char *p = sr_xasprintf("%s/http-500.md", h.rb);

		write_file(p, "# 500s\n");
		free(p);
		dirs[0] = h.rb;
		assert_int_equal(sr_runbook_scan(&set, dirs, 1, 0, &err), 0);
		a = (struct sr_runbook_alert){ "Http50", NULL, NULL, NULL };
		assert_int_equal(sr_runbook_resolve(&set, NULL, &a, &m), 0);
		sr_runbook_match_done(&m);
		a.alertname = "HTTP_500";
		assert_int_equal(sr_runbook_resolve(&set, NULL, &a, &m), 1);
		assert_int_equal(m.rule, SR_RB_NAME);
		sr_runbook_match_done(&m);
		sr_runbook_set_done(&set);
	}
	assert_int_equal(harness_resolve(&h, "HighErrorRte", NULL, &m), 0);
	assert_int_equal(m.rule, SR_RB_NONE);
	sr_runbook_match_done(&m);
	assert_int_equal(harness_resolve(&h, "HighErrorRate", NULL, &m), 1);
	assert_int_equal(m.rule, SR_RB_NAME);
	sr_runbook_match_done(&m);
	free(want);
	harness_done(&h);
}

/* The index: text before the first heading is searchable, each section holds only its own
 * text, query words keep digits (0-9), upper case and '_'; no hit is an answer, not an error. */
static void
test_search_words_and_sections(void **state)
{
	struct ix *x = *state;
	struct sr_index_stats st;
	struct sr_search_hits h;
	struct sr_runbook_index *idx;
	char *err = NULL;

	update(x, 0, &st);
	search(x, "nothing else", &h);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.v[0].name, "zebra-title");
	sr_search_hits_done(&h);
	search(x, "ordinary number 7", &h);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.v[0].name, "filler-07");
	assert_string_equal(h.v[0].heading, "Filler 7");
	sr_search_hits_done(&h);
	search(x, "NUMBER 19", &h);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.v[0].name, "filler-19");
	sr_search_hits_done(&h);
	search(x, "ZEBRA", &h);
	assert_int_equal(h.n, 2);
	sr_search_hits_done(&h);
	idx = sr_runbook_index_open(x->db, &err);
	assert_non_null(idx);
	assert_int_equal(sr_runbook_search(idx, "nowhere-at-all", 10, &h, &err), 0);
	assert_int_equal(h.n, 0);
	sr_search_hits_done(&h);
	sr_runbook_index_close(idx);
}

/* --- sixth round (issue 17, seed 29's survivors) --- */

/* A link back up the tree is not followed round: each runbook is listed once. */
static void
test_scan_dir_loops_once(void **state)
{
	struct harness h;
	struct sr_runbook_set set;
	char *p, *dirs[1], *err = NULL;

	(void)state;
	harness_init(&h, 0);
	p = sr_xasprintf("%s/again", h.rb);
	assert_int_equal(symlink(h.rb, p), 0);
	free(p);
	p = sr_xasprintf("%s/sub", h.rb);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	p = sr_xasprintf("%s/sub/up", h.rb);
	assert_int_equal(symlink("..", p), 0);
	free(p);
	dirs[0] = h.rb;
	assert_int_equal(sr_runbook_scan(&set, dirs, 1, 0, &err), 0);
	assert_int_equal(set.n, 2);
	assert_non_null(sr_runbook_find(&set, "postgres-down"));
	assert_null(sr_runbook_find(&set, "again/postgres-down"));
	assert_null(sr_runbook_find(&set, "sub/up/postgres-down"));
	sr_runbook_set_done(&set);
	harness_done(&h);
}

/* A wiki page of the runbook ends in ".htm" as well as ".html", any case. */
static void
test_rule_htm_url(void **state)
{
	static const char *const good[] = {
		"https://wiki.example.com/runbooks/postgres-down.htm",
		"https://wiki.example.com/runbooks/postgres-down.HTM",
		"https://wiki.example.com/runbooks/postgres-down.Html",
	};
	struct harness h;
	struct sr_runbook_match m;
	char *want;

	(void)state;
	harness_init(&h, 0);
	want = sr_xasprintf("%s/postgres-down.md", h.rb);
	for (size_t i = 0; i < SR_ARRAY_LEN(good); i++) {
		assert_int_equal(harness_resolve(&h, "PGDown", good[i], &m), 1);
		assert_string_equal(m.path, want);
		sr_runbook_match_done(&m);
	}
	free(want);
	harness_done(&h);
}

/* A file read again is recorded as read: the next update finds nothing to do. */
static void
test_index_update_records_state(void **state)
{
	struct ix *x = *state;
	struct sr_index_stats st;
	char *p;

	update(x, 0, &st);
	p = sr_xasprintf("%s/filler-03.md", x->rbdir);
	write_file(p, "# Filler three, longer now\n\nAnother body with a wombat.\n");
	free(p);
	update(x, 0, &st);
	assert_int_equal(st.updated, 1);
	update(x, 0, &st);
	assert_int_equal(st.updated + st.added + st.removed, 0);
	assert_int_equal(st.unchanged, st.files);
	{
		struct sr_search_hits h;

		search(x, "wombat", &h);
		assert_int_equal(h.n, 1);
		assert_string_equal(h.v[0].name, "filler-03");
		sr_search_hits_done(&h);
	}
}

/*
 * "/" as a runbook directory holds every path: a ref found beside another runbook directory
 * (in its parent) lies inside "/" and is taken, as path_within says for links.
 */
static void
test_root_dir_holds_parent_refs(void **state)
{
	struct harness h;
	struct sr_runbook_set set;
	struct sr_runbook_match m;
	char *dirs[1], *err = NULL, *want;

	(void)state;
	harness_init(&h, 0);
	dirs[0] = h.rb;
	assert_int_equal(sr_runbook_scan(&set, dirs, 1, 0, &err), 0);
	{
		struct sr_runbook_alert a = { "X", "secret.md", NULL, NULL };

		assert_int_equal(sr_runbook_resolve(&set, NULL, &a, &m), 0);
		sr_runbook_match_done(&m);
		/* "/" configured too (not scanned here: only the directory list matters) */
		set.dirs = sr_xrealloc(set.dirs, 2 * sizeof(*set.dirs));
		set.dirs[set.n_dirs++] = sr_xstrdup("/");
		want = sr_xasprintf("%s/secret.md", h.ops);
		assert_int_equal(sr_runbook_resolve(&set, NULL, &a, &m), 1);
		assert_string_equal(m.path, want);
		sr_runbook_match_done(&m);
		free(want);
	}
	sr_runbook_set_done(&set);
	harness_done(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_scan_bad_dir),
		cmocka_unit_test(test_find_and_closest),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_follow_links),
		cmocka_unit_test_setup_teardown(test_rule_annotation_path, setup_fx, teardown_fx),
		cmocka_unit_test_setup_teardown(test_rule_annotation_url, setup_fx, teardown_fx),
		cmocka_unit_test_setup_teardown(test_rule_label, setup_fx, teardown_fx),
		cmocka_unit_test_setup_teardown(test_rule_map, setup_fx, teardown_fx),
		cmocka_unit_test_setup_teardown(test_rule_front_matter_and_panel, setup_fx,
						teardown_fx),
		cmocka_unit_test_setup_teardown(test_rule_none, setup_fx, teardown_fx),
		cmocka_unit_test(test_rule_harness_urls),
		cmocka_unit_test(test_rule_name),
		cmocka_unit_test(test_unreadable_dir_hides_nothing),
		cmocka_unit_test_setup_teardown(test_absolute_paths, setup_fx, teardown_fx),
		cmocka_unit_test(test_checklist),
		cmocka_unit_test_setup_teardown(test_index_incremental, setup_ix, teardown_ix),
		cmocka_unit_test_setup_teardown(test_index_line_breaks, setup_ix, teardown_ix),
		cmocka_unit_test_setup_teardown(test_search_ranking, setup_ix, teardown_ix),
		cmocka_unit_test(test_index_paths),
		cmocka_unit_test(test_incident_check),
		cmocka_unit_test(test_closest_kebab_and_containing),
		cmocka_unit_test(test_scan_missing_and_links),
		cmocka_unit_test(test_rule_dir_forms),
		cmocka_unit_test_setup_teardown(test_search_words_and_sections, setup_ix,
						teardown_ix),
		cmocka_unit_test(test_scan_dir_loops_once),
		cmocka_unit_test(test_rule_htm_url),
		cmocka_unit_test_setup_teardown(test_index_update_records_state, setup_ix,
						teardown_ix),
		cmocka_unit_test(test_root_dir_holds_parent_refs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

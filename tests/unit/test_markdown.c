/* SPDX-License-Identifier: MIT */
/* test_markdown.c: Markdown layout: golden files at widths 40/80/120, invariants, bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "markdown.h"
#include "render_ansi.h"
#include "text.h"
#include "util.h"

#define FIX SR_FIXTURES "/markdown/"

static const char *const fixtures[] = {
	"headings", "paragraphs", "inline", "lists", "tasks", "code",
	"quotes", "tables", "blocks", "frontmatter", "unsafe",
};
static const int widths[] = { 40, 80, 120 };

/* --- helpers --- */

static struct sr_doc *
load(const char *name, int width, unsigned flags)
{
	char *path = sr_xasprintf(FIX "%s.md", name), *err = NULL;
	struct sr_doc *doc = sr_md_load(path, width, flags, &err);

	if (doc == NULL)
		fail_msg("%s: %s", path, err);
	free(path);
	return doc;
}

static char *
render(const struct sr_doc *doc, unsigned flags)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_render_doc(&b, doc, 0, flags);
	return sr_buf_steal(&b);
}

static char *
parse_render(const char *md, int width, unsigned mflags, unsigned rflags)
{
	char *err = NULL, *out;
	struct sr_doc *doc = sr_md_parse(md, strlen(md), width, mflags, &err);

	if (doc == NULL)
		fail_msg("parse failed: %s", err);
	out = render(doc, rflags);
	sr_doc_free(doc);
	return out;
}

/*
 * Compares out with the golden file byte for byte. SITREP_UPDATE_GOLDEN=1 rewrites it
 * instead (read every rewritten file before committing it).
 */
static void
golden(const char *file, const char *out)
{
	char *path = sr_xasprintf(FIX "%s", file), *want = NULL, *err = NULL;
	size_t len = 0;
	const char *upd = getenv("SITREP_UPDATE_GOLDEN");

	if (upd != NULL && strcmp(upd, "1") == 0) {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		fputs(out, f);
		fclose(f);
		free(path);
		return;
	}
	if (sr_read_file(path, 1 << 24, &want, &len, &err) < 0)
		fail_msg("%s (run with SITREP_UPDATE_GOLDEN=1 to create it)", err);
	if (strcmp(want, out) != 0) {
		size_t i = 0, line = 1;

		while (want[i] && want[i] == out[i]) {
			if (want[i] == '\n')
				line++;
			i++;
		}
		fail_msg("%s differs at line %zu:\n--- got ---\n%s", path, line, out);
	}
	free(want);
	free(path);
}

/* --- golden files --- */

static void
test_golden_plain(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < SR_ARRAY_LEN(fixtures); i++)
		for (j = 0; j < SR_ARRAY_LEN(widths); j++) {
			struct sr_doc *doc = load(fixtures[i], widths[j], 0);
			char *out = render(doc, 0);
			char *file = sr_xasprintf("%s.%d.txt", fixtures[i], widths[j]);

			golden(file, out);
			free(file);
			free(out);
			sr_doc_free(doc);
		}
}

static void
test_golden_ansi_and_ascii(void **state)
{
	struct sr_doc *doc;
	char *out;

	(void)state;
	doc = load("inline", 80, 0);
	out = render(doc, SR_RENDER_COLOR);
	golden("inline.80.ansi", out);
	free(out);
	sr_doc_free(doc);

	doc = load("headings", 80, 0);
	out = render(doc, SR_RENDER_COLOR);
	golden("headings.80.ansi", out);
	free(out);
	sr_doc_free(doc);

	doc = load("tables", 40, SR_MD_ASCII);
	out = render(doc, SR_RENDER_ASCII);
	golden("tables.40.ascii", out);
	free(out);
	sr_doc_free(doc);

	/* OSC 8: the link text is wrapped in a hyperlink, no "[n]" and no list */
	doc = load("inline", 80, SR_MD_NO_REFS);
	out = render(doc, SR_RENDER_COLOR | SR_RENDER_OSC8);
	golden("inline.80.osc8", out);
	assert_non_null(strstr(out, "\033]8;;https://example.com/page\033\\"));
	assert_null(strstr(out, "Links\n"));
	free(out);
	sr_doc_free(doc);
}

/* OSC 8 only for http(s) and relative targets; any other scheme stays plain text. */
static void
test_osc8_schemes(void **state)
{
	static const struct {
		const char *url;
		int link;
	} cases[] = {
		{ "https://example.com/a", 1 }, { "HTTP://example.com/", 1 }, { "ops/db.md#x", 1 },
		{ "/wiki/Failover", 1 },	{ "#anchor", 1 },		  { "?q=1", 1 },
		{ "a/b:c", 1 },			{ "javascript:alert(1)", 0 },	  { "JavaScript:x", 0 },
		{ "file:///etc/passwd", 0 },	{ "data:text/html,x", 0 },	  { "vbscript:x", 0 },
		{ "ssh://host", 0 },		{ "httpx://host", 0 },		  { "http:", 1 },
		{ "mailto:a@b", 0 },		{ "java%09script:x", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char md[256], *out;

		assert_int_equal(sr_render_link_ok(cases[i].url), cases[i].link);
		snprintf(md, sizeof(md), "see [the target](%s) now\n", cases[i].url);
		out = parse_render(md, 80, SR_MD_NO_REFS, SR_RENDER_OSC8);
		if (cases[i].link)
			assert_non_null(strstr(out, "\033]8;;"));
		else
			assert_null(strstr(out, "\033]8"));
		assert_non_null(strstr(out, "the target"));
		free(out);
	}
}

/* --- invariants over every fixture and width --- */

static void
test_invariants(void **state)
{
	size_t i, j, k, s;
	int w;

	(void)state;
	for (i = 0; i < SR_ARRAY_LEN(fixtures); i++)
		for (w = 16; w <= 130; w += 7) {
			struct sr_doc *doc = load(fixtures[i], w, 0);
			char *out;

			for (k = 0; k < doc->n_lines; k++) {
				const struct sr_md_line *ln = &doc->lines[k];
				size_t sum = 0;

				if (!ln->code && ln->width > (size_t)w)
					fail_msg("%s at width %d: line %zu is %zu wide", fixtures[i],
						 w, k, ln->width);
				for (s = ln->first; s < ln->first + ln->n; s++) {
					const struct sr_md_span *sp = &doc->spans[s];

					assert_int_equal(sp->width,
							 sr_text_width(doc->text + sp->off, sp->len));
					sum += sp->width;
				}
				assert_int_equal(sum, ln->width);
			}
			/* nothing that can drive a terminal, ever */
			for (j = 0; j < doc->text_len; j++) {
				unsigned char c = (unsigned char)doc->text[j];

				assert_true(c >= 0x20 && c != 0x7F);
			}
			out = render(doc, 0);
			for (j = 0; out[j]; j++)
				assert_true((unsigned char)out[j] >= 0x20 || out[j] == '\n');
			/* the rendered output (code cut) is never wider than the width */
			{
				char *line = out, *nl;

				while ((nl = strchr(line, '\n')) != NULL) {
					if (sr_text_width(line, (size_t)(nl - line)) > (size_t)w &&
					    strncmp(line, "[", 1) != 0)
						fail_msg("%s at %d: wide output line: %.*s",
							 fixtures[i], w, (int)(nl - line), line);
					line = nl + 1;
				}
			}
			free(out);
			sr_doc_free(doc);
		}
}

/* --- structure the TUI relies on --- */

static void
test_toc_and_anchors(void **state)
{
	struct sr_doc *doc = load("headings", 80, 0);
	const char *want[] = {
		"level-one-heading", "level-two-heading-that-is-long-enough-to-wrap-at-forty-columns",
		"level-three", "level-four", "level-five", "level-six", "setext-level-one",
		"setext-level-two", "duplicate", "duplicate-1",
		"punctuation-code-emphasis--quotes",
	};
	size_t i;

	(void)state;
	assert_int_equal(doc->n_toc, SR_ARRAY_LEN(want));
	for (i = 0; i < doc->n_toc; i++) {
		assert_string_equal(doc->toc[i].anchor, want[i]);
		assert_true(doc->lines[doc->toc[i].line].heading == doc->toc[i].level);
	}
	assert_int_equal(doc->toc[0].level, 1);
	assert_int_equal(doc->toc[5].level, 6);
	assert_string_equal(doc->toc[10].text, "Punctuation: code, emphasis & \"quotes\"!");
	assert_int_equal(sr_doc_find_anchor(doc, "#duplicate-1"), 9);
	assert_int_equal(sr_doc_find_anchor(doc, "Level Three"), 2);
	assert_int_equal(sr_doc_find_anchor(doc, "nope"), -1);
	assert_string_equal(doc->title, "Level one heading");
	sr_doc_free(doc);
}

static void
test_slug(void **state)
{
	char *s;

	(void)state;
	s = sr_md_slug("Check the Pool (PostgreSQL) — now!");
	assert_string_equal(s, "check-the-pool-postgresql--now");
	free(s);
	s = sr_md_slug("Ünïcode Straße 日本");
	assert_string_equal(s, "ünïcode-straße-日本");
	free(s);
	s = sr_md_slug("snake_case and-dash 42");
	assert_string_equal(s, "snake_case-and-dash-42");
	free(s);
}

static void
test_tasks_and_links(void **state)
{
	struct sr_doc *doc = load("tasks", 40, 0);
	size_t i;

	(void)state;
	assert_int_equal(doc->n_tasks, 6);
	assert_string_equal(doc->tasks[0].text, "open task");
	assert_false(doc->tasks[0].checked);
	assert_true(doc->tasks[1].checked);
	assert_true(doc->tasks[2].checked);
	assert_string_equal(doc->tasks[4].text, "nested open task");
	assert_string_equal(doc->tasks[5].text, "numbered task");
	for (i = 0; i < doc->n_tasks; i++)
		assert_int_equal(doc->tasks[i].number, (int)i + 1);
	/* the task's line starts with its box */
	{
		const struct sr_md_line *ln = &doc->lines[doc->tasks[1].line];
		size_t s;
		int box = 0;

		for (s = ln->first; s < ln->first + ln->n; s++)
			box |= (doc->spans[s].style & SR_MD_TASK_DONE) != 0;
		assert_true(box);
	}
	sr_doc_free(doc);

	doc = load("inline", 80, 0);
	assert_int_equal(doc->n_links, 5);
	assert_string_equal(doc->links[0].url, "https://example.com/page");
	assert_string_equal(doc->links[3].url, "https://example.com/ref");
	assert_string_equal(doc->links[4].url, "img/arch.png");
	/* every link span names its target */
	for (i = 0; i < doc->n_spans; i++)
		if (doc->spans[i].style & SR_MD_LINK)
			assert_true(doc->spans[i].link >= 0 && (size_t)doc->spans[i].link < doc->n_links);
	sr_doc_free(doc);
}

static void
test_code_lines_marked(void **state)
{
	struct sr_doc *doc = load("code", 40, 0);
	size_t i, n_code = 0, wide = 0;

	(void)state;
	for (i = 0; i < doc->n_lines; i++)
		if (doc->lines[i].code) {
			n_code++;
			if (doc->lines[i].width > 40)
				wide++;
			assert_int_equal(doc->lines[i].n == 0 ? 0 : 4, doc->lines[i].prefix_width);
		}
	assert_int_equal(n_code, 10);
	assert_int_equal(wide, 1);	/* kept whole: the TUI scrolls it */
	sr_doc_free(doc);
}

static void
test_front_matter(void **state)
{
	struct sr_doc *doc = load("frontmatter", 80, 0);
	struct sr_md_meta meta;
	const char *src = "---\ntitle: x\n# no closing line\n";

	(void)state;
	assert_string_equal(doc->title, "Front matter title");
	assert_int_equal(doc->n_tags, 3);
	assert_string_equal(doc->tags[1], "two");
	assert_int_equal(doc->n_alerts, 2);
	assert_string_equal(doc->alerts[1], "AlertTwo");
	sr_doc_free(doc);

	/* without a closing line it is a rule and text, not front matter */
	sr_md_meta_read(src, strlen(src), &meta);
	assert_int_equal(meta.body_off, 0);
	assert_string_equal(meta.title, "no closing line");	/* from the heading */
	sr_md_meta_done(&meta);
	src = "\xEF\xBB\xBF---\r\ntitle: 'CRLF'\r\n---\r\n# H\r\n";
	sr_md_meta_read(src, strlen(src), &meta);
	assert_string_equal(meta.title, "CRLF");
	assert_int_equal(meta.body_line, 3);
	sr_md_meta_done(&meta);
	src = "no front matter\n\n# The Title #\n";
	sr_md_meta_read(src, strlen(src), &meta);
	assert_string_equal(meta.title, "The Title");
	sr_md_meta_done(&meta);
}

/* --- bad input --- */

static void
test_binary(void **state)
{
	char bin[256], *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (char)i;
	assert_null(sr_md_parse(bin, sizeof(bin), 80, 0, &err));
	assert_string_equal(err, "not a text file");
	free(err);
	err = NULL;
	/* a file of Latin-1 bytes is mostly invalid UTF-8 */
	memset(bin, 0xE9, sizeof(bin));
	assert_null(sr_md_parse(bin, sizeof(bin), 80, 0, &err));
	free(err);
	err = NULL;
	assert_null(sr_md_load(SR_FIXTURES "/markdown/does-not-exist.md", 80, 0, &err));
	assert_non_null(strstr(err, "does-not-exist.md: No such file"));
	free(err);
}

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
test_deep_nesting(void **state)
{
	struct sr_buf b;
	struct sr_doc *doc;
	char *err = NULL;
	int i, k;
	double t0;

	(void)state;
	/* 1,000 nested lists, one per line */
	sr_buf_init(&b);
	for (i = 0; i < 1000; i++) {
		for (k = 0; k < i; k++)
			sr_buf_adds(&b, "  ");
		sr_buf_printf(&b, "- item %d\n", i);
	}
	t0 = now_s();
	doc = sr_md_parse(b.data, b.len, 80, 0, &err);
	assert_non_null(doc);
	assert_true(now_s() - t0 < 5.0);
	assert_int_equal(doc->n_lines, 1000);
	for (i = 0; i < (int)doc->n_lines; i++)
		assert_true(doc->lines[i].width <= 80);
	sr_doc_free(doc);
	sr_buf_done(&b);

	/* 1,000 nested quotes, 1,000 list markers on one line, 1,000 nested emphasis */
	sr_buf_init(&b);
	for (i = 0; i < 1000; i++)
		sr_buf_adds(&b, "> ");
	sr_buf_adds(&b, "deep quote\n\n");
	for (i = 0; i < 1000; i++)
		sr_buf_adds(&b, "- ");
	sr_buf_adds(&b, "deep list\n\n");
	for (i = 0; i < 1000; i++)
		sr_buf_adds(&b, "*_");
	sr_buf_adds(&b, "x");
	for (i = 0; i < 1000; i++)
		sr_buf_adds(&b, "_*");
	sr_buf_adds(&b, "\n");
	for (i = 0; i < 1000; i++)
		sr_buf_adds(&b, "[");
	sr_buf_adds(&b, "\n");
	doc = sr_md_parse(b.data, b.len, 40, 0, &err);
	assert_non_null(doc);
	for (i = 0; i < (int)doc->n_lines; i++)
		assert_true(doc->lines[i].width <= 40);
	{
		char *out = render(doc, 0);

		assert_non_null(strstr(out, "deep quote"));
		assert_non_null(strstr(out, "▪ deep list"));
		free(out);
	}
	sr_doc_free(doc);
	sr_buf_done(&b);
}

static void
test_wide_table(void **state)
{
	struct sr_buf b;
	char *out;
	int i;

	(void)state;
	sr_buf_init(&b);
	for (i = 0; i < 200; i++)
		sr_buf_printf(&b, "| column %d ", i);
	sr_buf_adds(&b, "|\n");
	for (i = 0; i < 200; i++)
		sr_buf_adds(&b, "|---");
	sr_buf_adds(&b, "|\n");
	for (i = 0; i < 200; i++)
		sr_buf_printf(&b, "| value %d ", i);
	sr_buf_adds(&b, "|\n");
	out = parse_render(b.data, 80, 0, 0);
	assert_non_null(strstr(out, "│ co… │ co… │"));
	assert_non_null(strstr(out, "│…\n"));	/* columns cut, marked */
	assert_null(strstr(out, "column 199"));
	free(out);
	sr_buf_done(&b);
}

static void
test_large_file_linear(void **state)
{
	struct sr_buf b;
	struct sr_doc *doc;
	char *err = NULL;
	double t1, t2;
	int i, n1;

	(void)state;
	/* time 1 MB and 4 MB: linear means about four times as long, not sixteen */
	sr_buf_init(&b);
	for (i = 0; b.len < 1000000; i++)
		sr_buf_printf(&b, "## Section %d\n\nSome *text* with `code` and a [link](x%d.md) "
				  "that goes on for a while.\n\n- item\n- item\n\n| a | b |\n|---|---|\n"
				  "| 1 | 2 |\n\n", i, i);
	n1 = i;
	t1 = now_s();
	doc = sr_md_parse(b.data, b.len, 100, 0, &err);
	t1 = now_s() - t1;
	assert_non_null(doc);
	sr_doc_free(doc);
	{
		char *one = sr_xstrdup(b.data);
		size_t n = b.len;

		for (i = 0; i < 3; i++)
			sr_buf_add(&b, one, n);
		free(one);
	}
	t2 = now_s();
	doc = sr_md_parse(b.data, b.len, 100, 0, &err);
	t2 = now_s() - t2;
	assert_non_null(doc);
	assert_int_equal(doc->n_toc, 4 * (size_t)n1);
	sr_doc_free(doc);
	if (t2 > t1 * 10 + 0.05)
		fail_msg("4x input took %.3fs vs %.3fs: not linear", t2, t1);
	sr_buf_done(&b);
}

static void
test_unsafe_text(void **state)
{
	struct sr_doc *doc = load("unsafe", 80, 0);
	char *out = render(doc, SR_RENDER_COLOR);
	size_t i;

	(void)state;
	/* the only escapes in the output are our own SGR sequences: ESC [ digits ; m */
	for (i = 0; out[i]; i++) {
		if (out[i] != '\033')
			continue;
		assert_int_equal(out[i + 1], '[');
		i += 2;
		while ((out[i] >= '0' && out[i] <= '9') || out[i] == ';')
			i++;
		assert_int_equal(out[i], 'm');
	}
	assert_non_null(strstr(out, "\xEF\xBF\xBD"));
	assert_null(strstr(out, "\xE2\x80\xAE"));	/* no bidi override */
	free(out);
	sr_doc_free(doc);
}

static void
test_narrow_width_and_empty(void **state)
{
	char *out;

	(void)state;
	out = parse_render("", 80, 0, 0);
	assert_string_equal(out, "");
	free(out);
	out = parse_render("word\n", 1, 0, 0);	/* raised to the minimum */
	assert_string_equal(out, "word\n");
	free(out);
	out = parse_render("# Title\n\ntext\n", 80, 0, 0);
	assert_string_equal(out, "Title\n═════\n\ntext\n");
	free(out);
	out = parse_render("1. a\n2. b\n", 80, 0, 0);
	assert_string_equal(out, "1. a\n2. b\n");
	free(out);
}

/*
 * A table cell and a code line wider than the layout: wrapped (nothing cut, every line
 * within the width, the threshold at the end kept), or kept whole as verbatim lines.
 */
static void
test_wrap_cells_code_and_wide_tables(void **state)
{
	static const char md[] =
		"| Alert | Threshold |\n|---|---|\n"
		"| HighErrorRate | `sum(rate(http_requests_total{status=~\"5..\"}[5m])) / "
		"sum(rate(http_requests_total[5m])) > 0.05` |\n\n"
		"```\nsum by (instance) (rate(http_requests_total{job=\"checkout\"}[5m])) "
		"> 0.05 and on() vector(1)\n```\n";
	char *err = NULL, *out;
	struct sr_doc *doc;
	size_t i, wide = 0;
	int width;

	(void)state;
	for (width = 24; width <= 64; width += 20) {
		doc = sr_md_parse(md, strlen(md), width, SR_MD_WRAP_CELLS | SR_MD_WRAP_CODE, &err);
		assert_non_null(doc);
		for (i = 0; i < doc->n_lines; i++)
			if (doc->lines[i].width > (uint32_t)width)
				fail_msg("line %zu is %u wide at %d", i, doc->lines[i].width, width);
		out = render(doc, 0);
		assert_non_null(strstr(out, "0.05"));	/* the cell's end, in the cell */
		assert_non_null(strstr(out, "↪ "));	/* the code line continues */
		assert_null(strstr(out, "…"));
		assert_non_null(strstr(out, "vector(1)"));	/* the code line's end */
		free(out);
		sr_doc_free(doc);
	}
	/* without the flags the cell is cut, as before */
	out = parse_render(md, 40, 0, 0);
	assert_non_null(strstr(out, "…"));
	free(out);
	/* wide tables: natural width, verbatim lines for sideways scrolling */
	doc = sr_md_parse(md, strlen(md), 40, SR_MD_WIDE_TABLES, &err);
	assert_non_null(doc);
	for (i = 0; i < doc->n_lines; i++)
		if (doc->lines[i].width > 40) {
			assert_int_equal(doc->lines[i].code, 1);
			wide++;
		}
	assert_true(wide >= 4);	/* 3 borders and the row (plus the code line) */
	out = render(doc, 0);
	assert_null(strstr(out, "…│"));
	free(out);
	sr_doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_plain),
		cmocka_unit_test(test_golden_ansi_and_ascii),
		cmocka_unit_test(test_osc8_schemes),
		cmocka_unit_test(test_invariants),
		cmocka_unit_test(test_toc_and_anchors),
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_tasks_and_links),
		cmocka_unit_test(test_code_lines_marked),
		cmocka_unit_test(test_front_matter),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_wide_table),
		cmocka_unit_test(test_large_file_linear),
		cmocka_unit_test(test_unsafe_text),
		cmocka_unit_test(test_narrow_width_and_empty),
		cmocka_unit_test(test_wrap_cells_code_and_wide_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

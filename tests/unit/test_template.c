/* SPDX-License-Identifier: MIT */
/* test_template.c: the Mustache engine against the official spec suite, escapers, load checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "template.h"
#include "util.h"

/* --- the spec suite --- */

static int
spec_partial(void *arg, const char *name, const char **src, size_t *len)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive((const cJSON *)arg, name);

	if (!cJSON_IsString(p))
		return -1;
	*src = p->valuestring;
	*len = strlen(p->valuestring);
	return 0;
}

/* Runs every test of one spec file; returns how many passed, failing on the first mismatch. */
static int
run_spec(const char *file)
{
	char path[512], *json, *err = NULL;
	size_t len;
	cJSON *root;
	const cJSON *tests, *tc;
	int passed = 0;

	snprintf(path, sizeof(path), "%s/mustache-spec/%s.json", SR_FIXTURES, file);
	assert_int_equal(sr_read_file(path, 1 << 20, &json, &len, &err), 0);
	root = cJSON_ParseWithLength(json, len);
	assert_non_null(root);
	tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
	assert_true(cJSON_GetArraySize(tests) > 0);
	cJSON_ArrayForEach(tc, tests) {
		const char *name = cJSON_GetObjectItemCaseSensitive(tc, "name")->valuestring;
		const char *tpl = cJSON_GetObjectItemCaseSensitive(tc, "template")->valuestring;
		const char *want = cJSON_GetObjectItemCaseSensitive(tc, "expected")->valuestring;
		char *data_json = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(tc, "data"));
		struct sr_tdata *d = sr_tdata_new();
		struct sr_tval *data = sr_tv_from_json(d, data_json, strlen(data_json), &err);
		struct sr_tpl_out o = { .partial = spec_partial,
					.partial_arg = cJSON_GetObjectItemCaseSensitive(tc, "partials") };
		struct sr_tpl *t = sr_tpl_parse(name, tpl, strlen(tpl), &err);
		struct sr_buf out;

		if (!t)
			fail_msg("%s/%s: %s", file, name, err);
		assert_non_null(data);
		sr_buf_init(&out);
		if (sr_tpl_render(t, data, &o, &out, &err) != 0)
			fail_msg("%s/%s: %s", file, name, err);
		if (strcmp(out.data, want) != 0)
			fail_msg("%s/%s:\n template [%s]\n want [%s]\n got  [%s]", file, name, tpl,
				 want, out.data);
		passed++;
		sr_buf_done(&out);
		sr_tpl_free(t);
		sr_tdata_free(d);
		cJSON_free(data_json);
	}
	cJSON_Delete(root);
	free(json);
	print_message("mustache spec %s: %d passed\n", file, passed);
	return passed;
}

static void
test_spec(void **state)
{
	static const char *const files[] = { "comments", "delimiters", "interpolation",
					     "inverted", "partials", "sections" };
	int total = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		total += run_spec(files[i]);
	print_message("mustache spec: %d of %d tests passed\n", total, total);
	/* 136 tests in the six files at spec commit 9cb20c3 */
	assert_int_equal(total, 136);
}

/* --- helpers --- */

static char *
render(const char *tpl, const char *json, const struct sr_tpl_out *o)
{
	struct sr_tdata *d = sr_tdata_new();
	char *err = NULL;
	struct sr_tval *data = sr_tv_from_json(d, json, strlen(json), &err);
	struct sr_tpl *t = sr_tpl_parse("t", tpl, strlen(tpl), &err);
	struct sr_buf out;

	assert_non_null(data);
	if (!t)
		fail_msg("%s", err);
	sr_buf_init(&out);
	assert_int_equal(sr_tpl_render(t, data, o, &out, &err), 0);
	sr_tpl_free(t);
	sr_tdata_free(d);
	return sr_buf_steal(&out);
}

static void
expect(const char *tpl, const char *json, sr_tpl_escape_fn esc, const char *want)
{
	struct sr_tpl_out o = { .escape = esc, .raw = esc };
	char *got = render(tpl, json, &o);

	assert_string_equal(got, want);
	free(got);
}

/* --- escapers: the renderer's choice, the same for {{x}} and {{{x}}} in sitrep's formats --- */

static void
test_escape_mrkdwn(void **state)
{
	(void)state;
	expect("{{t}}|{{{t}}}", "{\"t\":\"<!channel> *down* <@U123> & `x`\"}", sr_tpl_esc_mrkdwn,
	       "&lt;!channel&gt; *down* &lt;@U123&gt; &amp; \xCB\x8Bx\xCB\x8B|"
	       "&lt;!channel&gt; *down* &lt;@U123&gt; &amp; \xCB\x8Bx\xCB\x8B");
	expect("{{t}}", "{\"t\":\"hi @channel @here @bob\"}", sr_tpl_esc_mrkdwn,
	       "hi @\xE2\x81\xA0" "channel @\xE2\x81\xA0here @bob");
	/* ESC, newlines and bidi overrides never reach the message */
	expect("{{t}}", "{\"t\":\"a\\u001b[31mb\\nc\\u202ed\"}", sr_tpl_esc_mrkdwn,
	       "a\xEF\xBF\xBD[31mb c\xEF\xBF\xBD" "d");
}

static void
test_escape_json_text_markdown(void **state)
{
	(void)state;
	expect("\"{{t}}\"", "{\"t\":\"say \\\"hi\\\" \\\\ \\u0007\\n\"}", sr_tpl_esc_json,
	       "\"say \\\"hi\\\" \\\\ \xEF\xBF\xBD \"");
	expect("{{t}}", "{\"t\":\"a\\u001b]52;c;x\\u0007b\"}", sr_tpl_esc_text,
	       "a\xEF\xBF\xBD]52;c;x\xEF\xBF\xBD" "b");
	expect("{{t}}", "{\"t\":\"@all *x* [a](b)\"}", sr_tpl_esc_markdown,
	       "@\xE2\x81\xA0" "all \\*x\\* \\[a\\](b)");
	expect("{{t}}", "{\"t\":\"<b> & 'q' \\\"\"}", NULL, "&lt;b&gt; &amp; &#39;q&#39; &quot;");
}

/* --- load errors: file:line:column and the nearest name --- */

static char *
parse_err(const char *tpl)
{
	char *err = NULL;
	struct sr_tpl *t = sr_tpl_parse("x.mustache", tpl, strlen(tpl), &err);

	assert_null(t);
	assert_non_null(err);
	return err;
}

static char *
check_err(const char *tpl)
{
	static const char schema_json[] =
		"{\"title\":\"\",\"severity\":\"P1\",\"timers\":{\"next_update\":{\"at\":\"\"}},"
		"\"timeline\":[{\"at\":\"\",\"detail\":\"\"}],\"labels\":[]}";
	struct sr_tdata *d = sr_tdata_new();
	struct sr_tval *schema = sr_tv_from_json(d, schema_json, strlen(schema_json), NULL);
	char *err = NULL;
	struct sr_tpl *t = sr_tpl_parse("x.mustache", tpl, strlen(tpl), &err);
	int rc;

	assert_non_null(t);
	rc = sr_tpl_check(t, schema, &err);
	sr_tpl_free(t);
	sr_tdata_free(d);
	if (rc == 0)
		return NULL;
	assert_non_null(err);
	return err;
}

/* A standalone tag ends at "\n" or "\r\n" inside the source: a "\r" that is the last byte
 * given is kept as text (the byte after it is not the template's, even when it is a "\n"). */
static void
test_standalone_cr_at_end(void **state)
{
	static const char src[] = "a\n{{! c }}\r\n";
	struct sr_tdata *d = sr_tdata_new();
	char *err = NULL;
	struct sr_tval *data = sr_tv_from_json(d, "{}", 2, &err);
	struct sr_tpl *t;
	struct sr_buf out;

	(void)state;
	for (size_t len = sizeof(src) - 2; len <= sizeof(src) - 1; len++) {
		t = sr_tpl_parse("t", src, len, &err);
		assert_non_null(t);
		sr_buf_init(&out);
		assert_int_equal(sr_tpl_render(t, data, NULL, &out, &err), 0);
		/* cut before the "\n": not standalone, the "\r" stays; whole: the line goes */
		assert_string_equal(out.data, len == sizeof(src) - 2 ? "a\n\r" : "a\n");
		sr_buf_done(&out);
		sr_tpl_free(t);
	}
	sr_tdata_free(d);
}

static void
expect_err(char *err, const char *want)
{
	if (!err || strcmp(err, want) != 0)
		fail_msg("want [%s]\n got [%s]", want, err ? err : "(no error)");
	free(err);
}

/* The deepest nesting the parser takes (256 sections) checks against a schema; one more is
 * refused by the parser. */
static void
test_check_deepest_nesting(void **state)
{
	struct sr_buf b;

	(void)state;
	for (int depth = 256; depth <= 257; depth++) {
		sr_buf_init(&b);
		for (int i = 0; i < depth; i++)
			sr_buf_adds(&b, "{{#timers}}");
		sr_buf_adds(&b, "{{title}}{{next_update.at}}");
		for (int i = 0; i < depth; i++)
			sr_buf_adds(&b, "{{/timers}}");
		if (depth == 256) {
			assert_null(check_err(b.data));
		} else {
			char *err = parse_err(b.data);

			assert_non_null(strstr(err, "sections nested too deep"));
			free(err);
		}
		sr_buf_done(&b);
	}
}

static void
test_load_errors(void **state)
{
	(void)state;
	expect_err(parse_err("a\n  {{#timeline}}\n{{at}}\n"),
		   "x.mustache:2:3: unclosed section \"timeline\"");
	expect_err(parse_err("{{#a}}\n{{#b}}x{{/a}}{{/b}}"),
		   "x.mustache:2:8: section \"b\" (opened at 2:1) closed by \"a\"");
	expect_err(parse_err("ok\n\xC3\xA9 {{=<%>=}}"),
		   "x.mustache:2:3: bad delimiter tag (want {{=<open> <close>=}}): \"<%>\"");
	expect_err(parse_err("x {{=<% %> y=}}"),
		   "x.mustache:1:3: bad delimiter tag (want {{=<open> <close>=}}): \"<% %> y\"");
	expect_err(parse_err("x\n\ny {{title"), "x.mustache:3:3: unclosed tag");
	expect_err(parse_err("{{/x}}"), "x.mustache:1:1: no open section to close: \"x\"");
	expect_err(parse_err("{{ }}"), "x.mustache:1:1: empty tag");

	assert_null(check_err("{{title}} {{#timeline}}{{at}} {{detail}} {{title}}{{/timeline}}"
			      "{{timers.next_update.at}}{{#labels}}{{anything.x}}{{/labels}}{{.}}"));
	expect_err(check_err("Title: {{titel}}"),
		   "x.mustache:1:8: unknown field \"titel\" (did you mean \"title\"?)");
	expect_err(check_err("{{#timeline}}\n  {{detial}}{{/timeline}}"),
		   "x.mustache:2:3: unknown field \"detial\" (did you mean \"detail\"?)");
	expect_err(check_err("{{timers.next_updat.at}}"),
		   "x.mustache:1:1: unknown field \"timers.next_updat.at\" (did you mean "
		   "\"timers.next_update\"?)");
	expect_err(check_err("{{detail}}"),
		   "x.mustache:1:1: unknown field \"detail\"");
	expect_err(check_err("{{#severity}}{{zzzzzzzz}}{{/severity}}"),
		   "x.mustache:1:14: unknown field \"zzzzzzzz\"");
	/* only "." itself is the current item: a one-letter name is looked up like any other */
	expect_err(check_err("{{x}}"), "x.mustache:1:1: unknown field \"x\"");
}

/* --- data tree and edge cases --- */

static void
test_values(void **state)
{
	struct sr_tdata *d = sr_tdata_new();
	struct sr_tval *root = sr_tv_obj(d), *list;
	struct sr_tpl *t;
	struct sr_buf out;
	char *err = NULL;
	const char *tpl = "{{#items}}{{name}}={{n}}{{#ok}}!{{/ok}}{{^ok}}?{{/ok}};{{/items}}"
			  "{{^none}}empty{{/none}} {{big}} {{neg}} {{frac}}";

	(void)state;
	list = sr_tv_set_list(d, root, "items");
	for (int i = 0; i < 1000; i++) {
		struct sr_tval *it = sr_tv_push(list, sr_tv_obj(d));

		sr_tv_set_str(d, it, "name", i % 2 ? "odd" : "even");
		sr_tv_set_num(d, it, "n", i);
		sr_tv_set_bool(d, it, "ok", i % 2);
	}
	sr_tv_set_list(d, root, "none");
	sr_tv_set_num(d, root, "big", 1e20);
	sr_tv_set_num(d, root, "neg", -42);
	sr_tv_set_num(d, root, "frac", 0.1);
	t = sr_tpl_parse("t", tpl, strlen(tpl), &err);
	assert_non_null(t);
	sr_buf_init(&out);
	assert_int_equal(sr_tpl_render(t, root, NULL, &out, &err), 0);
	assert_true(strncmp(out.data, "even=0?;odd=1!;even=2?;", 23) == 0);
	assert_non_null(strstr(out.data, "odd=999!;empty 1e+20 -42 0.1"));
	sr_buf_done(&out);
	sr_tpl_free(t);
	sr_tdata_free(d);
	assert_null(sr_tv_from_json(d = sr_tdata_new(), "{", 1, &err));
	assert_string_equal(err, "JSON: syntax error");
	free(err);
	sr_tdata_free(d);
}

/* A partial that includes itself stops at the nesting limit instead of overflowing. */
static int
self_partial(void *arg, const char *name, const char **src, size_t *len)
{
	(void)arg;
	(void)name;
	*src = "x{{>me}}";
	*len = 8;
	return 0;
}

static int
double_partial(void *arg, const char *name, const char **src, size_t *len)
{
	(void)arg;
	(void)name;
	*src = "x{{>me}}{{>me}}";
	*len = 15;
	return 0;
}

static int
broken_partial(void *arg, const char *name, const char **src, size_t *len)
{
	(void)arg;
	(void)name;
	*src = "ok {{#open}} never closed";
	*len = strlen(*src);
	return 0;
}

/* A partial that does not parse fails the render wherever it is: at the top, inside an
 * object's section, inside a list's, inside an inverted section. */
static void
test_partial_parse_error_fails_render(void **state)
{
	static const char *tpls[] = { "a{{>p}}b", "{{#obj}}a{{>p}}b{{/obj}}",
				      "{{#list}}a{{>p}}b{{/list}}", "{{^none}}a{{>p}}b{{/none}}" };
	struct sr_tpl_out o = { .partial = broken_partial };

	(void)state;
	for (size_t i = 0; i < sizeof(tpls) / sizeof(tpls[0]); i++) {
		struct sr_tdata *d = sr_tdata_new();
		char *err = NULL;
		struct sr_tval *data = sr_tv_from_json(d, "{\"obj\":{\"x\":1},\"list\":[1,2]}", 28,
						       &err);
		struct sr_tpl *t = sr_tpl_parse("t", tpls[i], strlen(tpls[i]), &err);
		struct sr_buf out;

		assert_non_null(data);
		assert_non_null(t);
		sr_buf_init(&out);
		if (sr_tpl_render(t, data, &o, &out, &err) != -1)
			fail_msg("%s rendered", tpls[i]);
		assert_non_null(err);
		if (strncmp(err, "p:1:", 4) != 0)
			fail_msg("%s", err);
		free(err);
		sr_buf_done(&out);
		sr_tpl_free(t);
		sr_tdata_free(d);
	}
}

static int
ab_partial(void *arg, const char *name, const char **src, size_t *len)
{
	(void)arg;
	(void)name;
	*src = "a\nb\n";
	*len = 4;
	return 0;
}

/* A standalone partial is indented by what stood before it, and only that: the tag after it
 * is not part of the indent. */
static void
test_partial_indent_then_tag(void **state)
{
	struct sr_tpl_out o = { .partial = ab_partial };
	char *got;

	(void)state;
	got = render("  {{>p}}\n{{x}}", "{\"x\":\"X\"}", &o);
	assert_string_equal(got, "  a\n  b\nX");
	free(got);
	got = render(" {{>p}}\n\t{{>p}}\n{{x}}{{x}}", "{\"x\":\"Y\"}", &o);
	assert_string_equal(got, " a\n b\n\ta\n\tb\nYY");
	free(got);
}

/* Values around and above the data arena's chunk size (16 KiB) keep their bytes. */
static void
test_arena_large_values(void **state)
{
	static const size_t sizes[] = { 20000, 100, 16383, 16384, 5, 30000, 16369, 16400 };
	struct sr_tdata *d = sr_tdata_new();
	struct sr_tval *root = sr_tv_obj(d), *l = sr_tv_list(d);
	struct sr_buf want, out;
	char *err = NULL;
	struct sr_tpl *t = sr_tpl_parse("t", "{{#l}}{{{.}}}|{{/l}}", 20, &err);

	(void)state;
	assert_non_null(t);
	sr_buf_init(&want);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *v = malloc(sizes[i]);

		memset(v, 'a' + (int)i, sizes[i]);
		sr_tv_push(l, sr_tv_strn(d, v, sizes[i]));
		sr_buf_add(&want, v, sizes[i]);
		sr_buf_addc(&want, '|');
		free(v);
	}
	sr_tv_set(d, root, "l", l);
	sr_buf_init(&out);
	assert_int_equal(sr_tpl_render(t, root, NULL, &out, &err), 0);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	sr_buf_done(&out);
	sr_buf_done(&want);
	sr_tpl_free(t);
	sr_tdata_free(d);
}

static void
test_partial_recursion_bounded(void **state)
{
	struct sr_tpl_out o = { .partial = self_partial };
	char *got;

	(void)state;
	got = render("{{>me}}", "{}", &o);
	assert_int_equal(strlen(got), 64);
	free(got);
	/* twice per level would be 2^64 renders: a budget of 4,096 partials ends it */
	o.partial = double_partial;
	got = render("{{>me}}", "{}", &o);
	assert_int_equal(strlen(got), 4096);
	free(got);
}

/* --- lists made on reading --- */

#define FILLER "................................................................................"

/* Item i of a lazy list: {"i": i, "s": "item i", "sub": [i, i+1] made on reading too}. */
static struct sr_tval *
lazy_sub(const void *arg, size_t i, struct sr_tdata *d)
{
	return sr_tv_num(d, (double)(*(const size_t *)arg + i));
}

struct lazy_arg {
	size_t base[1000];
};

static struct sr_tval *
lazy_item(const void *arg, size_t i, struct sr_tdata *d)
{
	const struct lazy_arg *a = arg;
	struct sr_tval *o = sr_tv_obj(d);
	char s[128];

	snprintf(s, sizeof s, "item %zu %s", i, FILLER);
	sr_tv_set_num(d, o, "i", (double)i);
	sr_tv_set_str(d, o, "s", s);
	sr_tv_set(d, o, "sub", sr_tv_lazy_list(d, 2, lazy_sub, &a->base[i]));
	return o;
}

/* The same data held whole: what the lazy list must render like. */
static struct sr_tval *
whole_list(struct sr_tdata *d, size_t n)
{
	struct sr_tval *l = sr_tv_list(d);

	for (size_t i = 0; i < n; i++) {
		struct sr_tval *o = sr_tv_push(l, sr_tv_obj(d)), *sub;
		char s[128];

		snprintf(s, sizeof s, "item %zu %s", i, FILLER);
		sr_tv_set_num(d, o, "i", (double)i);
		sr_tv_set_str(d, o, "s", s);
		sub = sr_tv_set_list(d, o, "sub");
		sr_tv_push(sub, sr_tv_num(d, (double)i));
		sr_tv_push(sub, sr_tv_num(d, (double)(i + 1)));
	}
	return l;
}

static void
flush_half(void *arg, struct sr_buf *out)
{
	struct sr_buf *taken = arg;

	/* takes the first half away: what is left must carry on where it stopped */
	sr_buf_add(taken, out->data, out->len / 2);
	memmove(out->data, out->data + out->len / 2, out->len - out->len / 2);
	out->len -= out->len / 2;
	out->data[out->len] = '\0';
}

static void
test_lazy_list(void **state)
{
	static struct lazy_arg a;
	static const char tpl[] = "{{#l}}{{i}}:{{s}}[{{#sub}}{{.}},{{/sub}}]\n{{/l}}"
				  "{{^l}}none{{/l}}{{#empty}}x{{/empty}}{{^empty}}empty{{/empty}}";
	struct sr_tdata *d = sr_tdata_new(), *w = sr_tdata_new();
	struct sr_tval *lazy = sr_tv_obj(d), *whole = sr_tv_obj(w);
	struct sr_tpl *t = sr_tpl_parse("t", tpl, strlen(tpl), NULL);
	struct sr_buf got, want, taken;
	struct sr_tpl_out o = { .flush = flush_half, .flush_arg = &taken };
	struct sr_tv_iter it;
	const struct sr_tval *v;
	size_t held, n = 0;
	char *err = NULL;

	(void)state;
	for (size_t i = 0; i < 1000; i++)
		a.base[i] = i;
	sr_tv_set(d, lazy, "l", sr_tv_lazy_list(d, 1000, lazy_item, &a));
	sr_tv_set(d, lazy, "empty", sr_tv_lazy_list(d, 0, lazy_item, &a));
	sr_tv_set(w, whole, "l", whole_list(w, 1000));
	sr_tv_set_list(w, whole, "empty");
	sr_buf_init(&got);
	sr_buf_init(&want);
	sr_buf_init(&taken);
	held = sr_tdata_bytes(d);
	assert_int_equal(sr_tpl_check(t, lazy, &err), 0);
	assert_int_equal(sr_tdata_bytes(d), held);
	assert_int_equal(sr_tpl_render(t, lazy, NULL, &got, &err), 0);
	assert_int_equal(sr_tpl_render(t, whole, NULL, &want, &err), 0);
	assert_string_equal(got.data, want.data);
	assert_non_null(strstr(got.data, "999:item 999 " FILLER "[999,1000,]\nempty"));
	/* one item at a time: the render gave every item's memory back */
	assert_int_equal(sr_tdata_bytes(d), held);
	assert_true(held <= 32768 && sr_tdata_bytes(w) > 10 * held);
	/* flushed between items once the output is long: what was taken + the rest = the whole */
	got.len = 0;
	assert_int_equal(sr_tpl_render(t, lazy, &o, &got, &err), 0);
	assert_true(taken.len > 0);
	sr_buf_add(&taken, got.data, got.len);
	assert_string_equal(taken.data, want.data);
	assert_true(got.len < SR_TPL_FLUSH + 100);
	/* the iterator walks it too, and an unknown field below it is found on its first item */
	for (v = sr_tv_first(&it, sr_tv_get(lazy, "l", 1)); v != NULL; v = sr_tv_next(&it))
		assert_int_equal((size_t)sr_tv_get(v, "i", 1)->num, n++);
	assert_int_equal(n, 1000);
	assert_null(sr_tv_first(&it, sr_tv_get(lazy, "empty", 5)));
	assert_int_equal(sr_tdata_bytes(d), held);
	sr_tpl_free(t);
	t = sr_tpl_parse("t", "{{#l}}{{#sub}}{{.}}{{/sub}}{{z}}{{/l}}", 38, NULL);
	assert_non_null(t);
	assert_int_equal(sr_tpl_check(t, lazy, &err), -1);
	assert_string_equal(err, "t:1:28: unknown field \"z\" (did you mean \"i\"?)");
	free(err);
	assert_int_equal(sr_tdata_bytes(d), held);
	sr_tpl_free(t);
	sr_buf_done(&got);
	sr_buf_done(&want);
	sr_buf_done(&taken);
	sr_tdata_free(d);
	sr_tdata_free(w);
}

/* --- sixth round (issue 17, seed 29's survivors) --- */

static char *
render_json(const char *tpl, const char *json)
{
	struct sr_tdata *d = sr_tdata_new();
	char *err = NULL, *res;
	struct sr_tval *data = sr_tv_from_json(d, json, strlen(json), &err);
	struct sr_tpl *t = sr_tpl_parse("t", tpl, strlen(tpl), &err);
	struct sr_buf out;

	if (t == NULL)
		fail_msg("%s", err);
	assert_non_null(data);
	sr_buf_init(&out);
	if (sr_tpl_render(t, data, NULL, &out, &err) != 0)
		fail_msg("%s", err);
	res = sr_xstrdup(out.data != NULL ? out.data : "");
	sr_buf_done(&out);
	sr_tpl_free(t);
	sr_tdata_free(d);
	return res;
}

/* Blanks (spaces, tabs) after a standalone tag belong to its line: the line goes whole. */
static void
test_standalone_trailing_blanks(void **state)
{
	char *out;

	(void)state;
	out = render_json("a\n{{#x}} \t \n b\n  {{/x}}\t\n{{^x}}  \nno\n{{/x}} \n{{! c }}  \r\nz",
			  "{\"x\":true}");
	assert_string_equal(out, "a\n b\nz");
	free(out);
}

/* A delimiter longer than 32 bytes is refused, opening or closing. */
static void
test_delimiter_length_bound(void **state)
{
	char tpl[128], *err;

	(void)state;
	snprintf(tpl, sizeof(tpl), "{{=%.33s %s=}}", "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", ">>");
	err = parse_err(tpl);
	assert_non_null(strstr(err, "bad delimiter tag"));
	free(err);
	snprintf(tpl, sizeof(tpl), "{{=%s %.33s=}}", "<<", ">>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>");
	err = parse_err(tpl);
	assert_non_null(strstr(err, "bad delimiter tag"));
	free(err);
	/* 32 each is taken */
	snprintf(tpl, sizeof(tpl), "{{=%.32s %.32s=}}", "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
		 ">>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>");
	assert_null(check_err(tpl));
}

/* Below a list the schema's sample leaves empty, any name checks (nothing to compare with). */
static void
test_check_below_empty_sample_list(void **state)
{
	char *err;

	(void)state;
	assert_null(check_err("{{labels.name}}{{#labels}}{{anything}}{{/labels}}"));
	assert_null(check_err("{{labels.a.b}}"));
	err = check_err("{{timeline.nope}}");
	assert_non_null(err);
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_escape_mrkdwn),
		cmocka_unit_test(test_escape_json_text_markdown),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_check_deepest_nesting),
		cmocka_unit_test(test_standalone_cr_at_end),
		cmocka_unit_test(test_partial_indent_then_tag),
		cmocka_unit_test(test_arena_large_values),
		cmocka_unit_test(test_partial_parse_error_fails_render),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_partial_recursion_bounded),
		cmocka_unit_test(test_lazy_list),
		cmocka_unit_test(test_standalone_trailing_blanks),
		cmocka_unit_test(test_delimiter_length_bound),
		cmocka_unit_test(test_check_below_empty_sample_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* test_prom.c: Prometheus answers: recorded fixtures, broken and hostile bodies, big results. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"

static char *
fixture(const char *name, size_t *len)
{
	char *path = sr_xasprintf("%s/prom/%s", SR_FIXTURES, name), *data = NULL, *err = NULL;

	if (sr_read_file(path, 1 << 20, &data, len, &err) < 0)
		fail_msg("%s", err);
	free(path);
	return data;
}

static int
parse_str(const char *body, long status, struct sr_prom_result *r, char **err)
{
	return sr_prom_parse_query(body, strlen(body), status, "http://prom:9090/api/v1/query", r,
				   err);
}

static void
expect_fail(const char *body, long status, const char *part)
{
	struct sr_prom_result r;
	char *err = NULL;

	assert_int_equal(parse_str(body, status, &r, &err), -1);
	assert_non_null(err);
	if (strstr(err, part) == NULL)
		fail_msg("error \"%s\" lacks \"%s\" (body %s)", err, part, body);
	free(err);
	sr_prom_result_done(&r);
}

/*
 * The fast reader and the cJSON reader must agree. An "errorType" member (ignored on
 * success) makes the fast reader give up, so the same answer goes through cJSON.
 */
static void
same_both_ways(const char *body, size_t len)
{
	struct sr_prom_result a, b;
	struct sr_buf dom;
	char *err = NULL;
	const char *brace = memchr(body, '{', len);

	assert_non_null(brace);
	sr_buf_init(&dom);
	sr_buf_add(&dom, body, (size_t)(brace - body) + 1);
	sr_buf_adds(&dom, "\"errorType\":\"\",");
	sr_buf_add(&dom, brace + 1, len - (size_t)(brace - body) - 1);
	assert_int_equal(sr_prom_parse_query(body, len, 200, "u", &a, &err), 0);
	if (sr_prom_parse_query(dom.data, dom.len, 200, "u", &b, &err) != 0)
		fail_msg("cJSON path: %s", err);
	/* the well-formed answer took the fast reader; the one with errorType did not */
	if (a.fast != 1)
		fail_msg("the fast reader gave up on %.*s", (int)(len > 300 ? 300 : len), body);
	assert_int_equal(b.fast, 0);
	assert_int_equal(a.type, b.type);
	assert_int_equal(a.n_series, b.n_series);
	assert_int_equal(a.n_warnings, b.n_warnings);
	for (size_t i = 0; i < a.n_series; i++) {
		assert_int_equal(a.series[i].n_labels, b.series[i].n_labels);
		for (size_t k = 0; k < a.series[i].n_labels; k++) {
			assert_string_equal(a.series[i].labels[k].name, b.series[i].labels[k].name);
			assert_string_equal(a.series[i].labels[k].value, b.series[i].labels[k].value);
		}
		assert_int_equal(a.series[i].n_samples, b.series[i].n_samples);
		/* Bit for bit: both round correctly (NaN compares by its bits too). */
		assert_memory_equal(a.series[i].samples, b.series[i].samples,
				    a.series[i].n_samples * sizeof(struct sr_prom_sample));
	}
	sr_prom_result_done(&a);
	sr_prom_result_done(&b);
	sr_buf_done(&dom);
}

static void
test_fast_and_dom_agree(void **state)
{
	const char *files[] = { "query_vector.json", "query_range.json", "query_matrix_instant.json",
				"query_empty.json" };
	struct sr_buf b;
	unsigned seed = 7;

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(files); i++) {
		size_t len;
		char *body = fixture(files[i], &len);

		same_both_ways(body, len);
		free(body);
	}
	/* Awkward numbers: long mantissas, exponents, tiny, huge, negative zero, specials. */
	sr_buf_init(&b);
	sr_buf_adds(&b, "{\"status\":\"success\",\"warnings\":[\"w\\u00e9\"],\"data\":"
		    "{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"a\":\"\\ud83d\\ude00\"},"
		    "\"values\":[[1.5,\"-0\"],[2e0,\"1e-320\"],[3,\"1.7976931348623157e308\"],"
		    "[4,\"0.30000000000000004\"],[5,\"123456789012345678\"],[6,\"NaN\"],"
		    "[7,\"-Inf\"],[8,\"4.9e-324\"],[9,\"2.2250738585072011e-308\"],"
		    "[10,\"9007199254740993\"],[1795461707.726,\"1E+22\"],[11,\"1e23\"]");
	for (int i = 0; i < 2000; i++) {
		seed = seed * 1103515245u + 12345u;
		sr_buf_printf(&b, ",[%d.%03u,\"%.*g\"]", 100 + i, seed % 1000, 1 + (int)(seed % 17),
			      (double)seed / 7.0 * ((seed & 1) ? 1e-5 : 1e5));
	}
	sr_buf_adds(&b, "]}]}}");
	same_both_ways(b.data, b.len);
	sr_buf_done(&b);
}

/* Parses body (HTTP 200): rc as given, and read by the fast reader or not. */
static void
reader_is(const char *body, int rc, int fast)
{
	struct sr_prom_result r;
	char *err = NULL;

	if (parse_str(body, 200, &r, &err) != rc)
		fail_msg("rc != %d for %s (%s)", rc, body, err ? err : "");
	if (r.fast != fast)
		fail_msg("fast %d != %d for %s", r.fast, fast, body);
	free(err);
	sr_prom_result_done(&r);
}

/*
 * Every well-formed vector or matrix answer (whitespace, member order, members it skips,
 * empty parts, special values, escaped labels) is read by the fast reader, with the cJSON
 * reader's result; the shapes it cannot read fall back (fast = 0) and still parse. A fast
 * reader that gives up too often costs time and memory only, so it is checked here.
 */
static void
test_fast_path_taken(void **state)
{
	static const char *fast[] = {
		" {\n \"status\" : \"success\" ,\t\"data\" : { \"resultType\" : \"vector\" ,"
		" \"result\" : [ { \"metric\" : { \"a\" : \"b\" , \"c\" : \"d\" } , "
		"\"value\" : [ 1 , \"2\" ] } ] } }\n ",
		"{\"data\":{\"result\":[{\"value\":[1.5,\"-3\"],\"metric\":{}}],"
		"\"resultType\":\"vector\"},\"status\":\"success\"}",
		"{\"status\":\"success\",\"stats\":{\"x\":[1,{\"y\":null}]},\"infos\":[\"i\"],"
		"\"data\":{\"resultType\":\"matrix\",\"stats\":{\"t\":true},\"result\":["
		"{\"metric\":{\"job\":\"a\\\"b\\\\c\\u00e9\"},\"values\":[[1,\"NaN\"],[2,\"+Inf\"],"
		"[3,\"-Inf\"],[4,\"5e-3\"]]},{\"metric\":{\"job\":\"x\"},\"values\":[]}]}}",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]},"
		"\"warnings\":[]}",
		"{\"status\":\"success\",\"warnings\":[\"w1\",\"w2\"],\"data\":{\"resultType\":"
		"\"vector\",\"result\":[{\"metric\":{\"a\":\"1\"},\"value\":[1,\"1\"]},"
		"{\"metric\":{\"a\":\"2\"},\"value\":[2,\"2\"]},{\"value\":[3,\"3\"]}]}}",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
		"{\"values\":[[1,\"1\"]],\"metric\":{\"z\":\"\"}}]}}",
	};
	/* valid answers the fast reader leaves to cJSON (rc 0), and broken ones (rc -1) */
	static const struct { const char *body; int rc; } slow[] = {
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
		  "\"result\":[1,\"2\"]}}", 0 },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"string\","
		  "\"result\":[1,\"s\"]}}", 0 },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
		  "[{\"metric\":{},\"histogram\":[1,{\"count\":\"1\"}]}]}}", 0 },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
		  "[{\"metric\":{},\"value\":[1,\"\\u0031\"]}]}}", 0 },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":null}}", 0 },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
		  "[{\"metric\":{},\"value\":[1,\"2\"]}]}} x", -1 },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
		  "[{\"metric\":{},\"values\":[[1,\"2\"]]}]}}", 0 },	/* the series is left out */
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
		  "[{\"metric\":{},\"value\":[1,\"2\"]}]}}", 0 },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
		  "[{\"metric\":{},\"value\":[1,\"abc\"]}]}}", -1 },
		{ "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"e\"}", -1 },
		{ "{\"data\":{\"resultType\":\"vector\",\"result\":[]}}", -1 },
		/* odd but valid: empty member names, a series with neither value nor values */
		{ "{\"\":1,\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", 0 },
		{ "{\"status\":\"success\",\"data\":{\"\":1,\"resultType\":\"vector\",\"result\":[]}}", 0 },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
		  "[{\"\":1,\"metric\":{},\"value\":[1,\"2\"]}]}}", 0 },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
		  "[{\"metric\":{}}]}}", 0 },
	};

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(fast); i++) {
		reader_is(fast[i], 0, 1);
		same_both_ways(fast[i], strlen(fast[i]));
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(slow); i++)
		reader_is(slow[i].body, slow[i].rc, 0);
}

static void
test_vector_fixture(void **state)
{
	size_t len;
	char *body = fixture("query_vector.json", &len), *err = NULL;
	struct sr_prom_result r;

	(void)state;
	assert_int_equal(sr_prom_parse_query(body, len, 200, "u", &r, &err), 0);
	assert_int_equal(r.type, SR_PROM_VECTOR);
	assert_int_equal(r.n_series, 2);
	assert_string_equal(sr_label_get(r.series[0].labels, r.series[0].n_labels, "__name__"),
			    "up");
	assert_string_equal(sr_label_get(r.series[1].labels, r.series[1].n_labels, "job"), "node");
	assert_int_equal(r.series[0].n_samples, 1);
	assert_true(r.series[0].samples[0].v == 1.0);
	assert_true(fabs(r.series[0].samples[0].t - 1795461707.726) < 1e-6);
	sr_prom_result_done(&r);
	free(body);
}

static void
test_matrix_fixtures(void **state)
{
	const char *files[] = { "query_range.json", "query_matrix_instant.json" };

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(files); i++) {
		size_t len;
		char *body = fixture(files[i], &len), *err = NULL;
		struct sr_prom_result r;

		assert_int_equal(sr_prom_parse_query(body, len, 200, "u", &r, &err), 0);
		assert_int_equal(r.type, SR_PROM_MATRIX);
		assert_int_equal(r.n_series, 2);
		assert_true(r.series[0].n_samples >= 3);
		for (size_t k = 1; k < r.series[0].n_samples; k++)
			assert_true(r.series[0].samples[k].t > r.series[0].samples[k - 1].t);
		sr_prom_result_done(&r);
		free(body);
	}
}

static void
test_scalar_string_empty_nan(void **state)
{
	size_t len;
	char *body, *err = NULL;
	struct sr_prom_result r;

	(void)state;
	body = fixture("query_scalar.json", &len);
	assert_int_equal(sr_prom_parse_query(body, len, 200, "u", &r, &err), 0);
	assert_int_equal(r.type, SR_PROM_SCALAR);
	assert_int_equal(r.n_series, 1);
	assert_int_equal(r.series[0].n_labels, 0);
	assert_true(r.series[0].samples[0].v == 2.0);
	sr_prom_result_done(&r);
	free(body);

	body = fixture("query_string.json", &len);
	assert_int_equal(sr_prom_parse_query(body, len, 200, "u", &r, &err), 0);
	assert_int_equal(r.type, SR_PROM_STRING);
	assert_string_equal(r.string, "hello");
	sr_prom_result_done(&r);
	free(body);

	body = fixture("query_empty.json", &len);
	assert_int_equal(sr_prom_parse_query(body, len, 200, "u", &r, &err), 0);
	assert_int_equal(r.type, SR_PROM_VECTOR);
	assert_int_equal(r.n_series, 0);
	sr_prom_result_done(&r);
	free(body);

	body = fixture("query_nan.json", &len);
	assert_int_equal(sr_prom_parse_query(body, len, 200, "u", &r, &err), 0);
	assert_true(isnan(r.series[0].samples[0].v));
	sr_prom_result_done(&r);
	free(body);
}

static void
test_special_values(void **state)
{
	struct sr_prom_result r;
	char *err = NULL;
	char buf[64];

	(void)state;
	assert_int_equal(parse_str("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
				   "\"result\":[{\"metric\":{},\"value\":[1,\"+Inf\"]},"
				   "{\"metric\":{},\"value\":[1,\"-Inf\"]},"
				   "{\"metric\":{},\"value\":[1,\"NaN\"]},"
				   "{\"metric\":{},\"value\":[1,\"1e400\"]},"
				   "{\"metric\":{},\"value\":[1e300,\"-1.7976931348623157e308\"]},"
				   "{\"metric\":{},\"value\":[1,\"0.1\"]},"
				   "{\"metric\":{},\"value\":[1,\"12345678901234567890123\"]}]}}",
				   200, &r, &err), 0);
	assert_int_equal(r.n_series, 7);
	assert_true(isinf(r.series[0].samples[0].v) && r.series[0].samples[0].v > 0);
	assert_true(isinf(r.series[1].samples[0].v) && r.series[1].samples[0].v < 0);
	assert_true(isnan(r.series[2].samples[0].v));
	assert_true(isinf(r.series[3].samples[0].v));
	assert_true(r.series[4].samples[0].v == -1.7976931348623157e308);
	assert_true(r.series[4].samples[0].t == 1e300);
	assert_true(r.series[5].samples[0].v == 0.1);
	assert_true(r.series[6].samples[0].v == 12345678901234567890123.0);
	assert_string_equal(sr_prom_format_value(r.series[0].samples[0].v, buf, sizeof(buf)),
			    "+Inf");
	assert_string_equal(sr_prom_format_value(r.series[1].samples[0].v, buf, sizeof(buf)),
			    "-Inf");
	assert_string_equal(sr_prom_format_value(r.series[2].samples[0].v, buf, sizeof(buf)),
			    "NaN");
	assert_string_equal(sr_prom_format_value(0.1, buf, sizeof(buf)), "0.1");
	assert_string_equal(sr_prom_format_value(1.0 / 3, buf, sizeof(buf)),
			    "0.3333333333333333");
	sr_prom_result_done(&r);
}

static void
test_labels_hostile(void **state)
{
	struct sr_prom_result r;
	char *err = NULL;

	(void)state;
	/* Escapes, control characters and non-ASCII arrive decoded; sanitising is the printer's. */
	assert_int_equal(parse_str("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
				   "\"result\":[{\"metric\":{\"a\":\"\\u001b[31mred\","
				   "\"b\":\"Grüße 日本 \\ud83d\\ude00\",\"c\":\"x\\\"y\\\\z\\n\"},"
				   "\"value\":[1,\"1\"]}]}}", 200, &r, &err), 0);
	assert_string_equal(r.series[0].labels[0].value, "\x1b[31mred");
	assert_string_equal(r.series[0].labels[1].value, "Grüße 日本 \xf0\x9f\x98\x80");
	assert_string_equal(r.series[0].labels[2].value, "x\"y\\z\n");
	sr_prom_result_done(&r);
}

static void
test_error_envelope(void **state)
{
	size_t len;
	char *body = fixture("error_bad_data.json", &len), *err = NULL;
	struct sr_prom_result r;

	(void)state;
	assert_int_equal(sr_prom_parse_query(body, len, 400, "http://p/api/v1/query", &r, &err),
			 -1);
	assert_string_equal(err, "http://p/api/v1/query: HTTP 400: bad_data: invalid parameter "
			    "\"query\": 1:5: parse error: unclosed left parenthesis");
	free(err);
	sr_prom_result_done(&r);
	free(body);

	expect_fail("<html>Bad Gateway</html>", 502, "HTTP 502: <html>Bad Gateway</html>");
	expect_fail("", 503, "HTTP 503");
	expect_fail("<a href=\"/login\">Found</a>.", 302, "HTTP 302: <a href=");
	expect_fail("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}",
		    200, "timeout: query timed out");
}

static void
test_broken(void **state)
{
	(void)state;
	expect_fail("", 200, "unexpected response from http://prom:9090/api/v1/query: empty body");
	expect_fail("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"me",
		    200, "not a JSON object");
	expect_fail("[1,2]", 200, "not a JSON object");
	expect_fail("{\"data\":{}}", 200, "no \"status\"");
	expect_fail("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}",
		    200, "data.result is not an array");
	expect_fail("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[1]}}",
		    200, "data.result[0] is not an object");
	expect_fail("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
		    "[{\"metric\":{\"a\":1},\"value\":[1,\"1\"]}]}}", 200, "metric is not an object");
	expect_fail("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
		    "[{\"metric\":{},\"value\":[1,1]}]}}", 200, "value is not [time, \"number\"]");
	expect_fail("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
		    "[{\"metric\":{},\"value\":[1,\"abc\"]}]}}", 200, "value is not");
	expect_fail("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
		    "[{\"metric\":{},\"values\":[[1,\"1\"],[2]]}]}}", 200, "values[1]");
	expect_fail("{\"status\":\"success\",\"data\":{\"resultType\":\"weird\",\"result\":[]}}",
		    200, "unknown data.resultType");
	expect_fail("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":\"x\"}}",
		    200, "data.result is not [time");
	expect_fail("{\"status\":\"success\"}", 200, "no data.resultType");
}

static void
test_histograms_and_warnings(void **state)
{
	struct sr_prom_result r;
	char *err = NULL;

	(void)state;
	assert_int_equal(parse_str("{\"status\":\"success\",\"warnings\":[\"PromQL info: x\"],"
				   "\"data\":{\"resultType\":\"matrix\",\"result\":["
				   "{\"metric\":{\"a\":\"h\"},\"histograms\":[[1,{\"count\":\"3\","
				   "\"sum\":\"1\",\"buckets\":[[0,\"0\",\"1\",\"3\"]]}]]},"
				   "{\"metric\":{\"a\":\"f\"},\"values\":[[1,\"2\"]]}]}}",
				   200, &r, &err), 0);
	assert_int_equal(r.n_series, 1);
	assert_string_equal(r.series[0].labels[0].value, "f");
	assert_int_equal(r.n_skipped, 1);
	assert_int_equal(r.n_warnings, 1);
	assert_string_equal(r.warnings[0], "PromQL info: x");
	sr_prom_result_done(&r);

	assert_int_equal(parse_str("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
				   "\"result\":[{\"metric\":{},\"histogram\":[1,{\"count\":\"1\"}]}"
				   "]}}", 200, &r, &err), 0);
	assert_int_equal(r.n_series, 0);
	assert_int_equal(r.n_skipped, 1);
	sr_prom_result_done(&r);
}

static void
test_fifty_thousand_series(void **state)
{
	struct sr_buf b;
	struct sr_prom_result r;
	char *err = NULL;

	(void)state;
	sr_buf_init(&b);
	sr_buf_adds(&b, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
	for (int i = 0; i < 50000; i++)
		sr_buf_printf(&b, "%s{\"metric\":{\"__name__\":\"m\",\"i\":\"%d\"},"
			      "\"value\":[1700000000.5,\"%d.25\"]}", i ? "," : "", i, i);
	sr_buf_adds(&b, "]}}");
	assert_int_equal(sr_prom_parse_query(b.data, b.len, 200, "u", &r, &err), 0);
	assert_int_equal(r.n_series, 50000);
	assert_string_equal(r.series[49999].labels[1].value, "49999");
	assert_true(r.series[49999].samples[0].v == 49999.25);
	assert_true(r.series[123].samples[0].t == 1700000000.5);
	sr_prom_result_done(&r);
	same_both_ways(b.data, b.len);

	/* Truncated anywhere: a clean failure, never a crash or a partial success. */
	for (size_t cut = 1; cut < 4000; cut += 97) {
		assert_int_equal(sr_prom_parse_query(b.data, cut, 200, "u", &r, &err), -1);
		free(err);
		err = NULL;
		sr_prom_result_done(&r);
	}
	sr_buf_done(&b);
}

static void
test_alerts_and_rules(void **state)
{
	size_t len;
	char *body, *err = NULL;
	struct sr_prom_alerts a;
	struct sr_prom_rules ru;

	(void)state;
	body = fixture("alerts.json", &len);
	assert_int_equal(sr_prom_parse_alerts(body, len, 200, "u", &a, &err), 0);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.v[0].state, "firing");
	assert_string_equal(sr_label_get(a.v[0].labels, a.v[0].n_labels, "alertname"),
			    "SitrepTestFiring");
	assert_string_equal(a.v[0].annotations[0].value, "always firing test alert");
	assert_true(a.v[0].active_at > 1700000000);
	assert_string_equal(a.v[0].value, "1e+00");
	sr_prom_alerts_done(&a);
	free(body);

	body = fixture("rules.json", &len);
	assert_int_equal(sr_prom_parse_rules(body, len, 200, "u", &ru, &err), 0);
	assert_int_equal(ru.n, 2);
	assert_string_equal(ru.v[0].type, "alerting");
	assert_string_equal(ru.v[0].state, "firing");
	assert_int_equal(ru.v[0].n_alerts, 1);
	assert_string_equal(ru.v[1].type, "recording");
	assert_null(ru.v[1].state);
	assert_string_equal(ru.v[1].group, "sitrep-test");
	sr_prom_rules_done(&ru);
	free(body);

	assert_int_equal(sr_prom_parse_alerts("{\"status\":\"success\",\"data\":{\"alerts\":"
					      "[{\"labels\":{}}]}}", 45, 200, "u", &a, &err), -1);
	assert_non_null(strstr(err, "unexpected response from u"));
	free(err);
	err = NULL;
	sr_prom_alerts_done(&a);
	{
		/* the server's warnings come with the alerts too */
		static const char w[] = "{\"status\":\"success\",\"warnings\":[\"w1\",\"w2\"],"
			"\"data\":{\"alerts\":[]}}";

		assert_int_equal(sr_prom_parse_alerts(w, sizeof(w) - 1, 200, "u", &a, &err), 0);
		assert_int_equal(a.n_warnings, 2);
		assert_string_equal(a.warnings[1], "w2");
		sr_prom_alerts_done(&a);
	}
	{
		/* the message names the alert that is wrong (its index from 0) */
		static const char two[] = "{\"status\":\"success\",\"data\":{\"alerts\":["
			"{\"labels\":{},\"annotations\":{},\"state\":\"firing\",\"value\":\"1\"},"
			"{\"labels\":{\"a\":1},\"state\":\"firing\",\"value\":\"1\"}]}}";

		assert_int_equal(sr_prom_parse_alerts(two, sizeof(two) - 1, 200, "u", &a, &err), -1);
		if (strstr(err, "data.alerts[1] labels or annotations") == NULL)
			fail_msg("%s", err);
		free(err);
		err = NULL;
		sr_prom_alerts_done(&a);
	}
	{
		/* a rule's last evaluation error is kept; an empty one is none */
		static const char le[] = "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":"
			"\"g\",\"rules\":[{\"name\":\"a\",\"health\":\"err\",\"lastError\":\"boom\"},"
			"{\"name\":\"b\",\"health\":\"ok\",\"lastError\":\"\"}]}]}}";

		assert_int_equal(sr_prom_parse_rules(le, sizeof(le) - 1, 200, "u", &ru, &err), 0);
		assert_int_equal(ru.n, 2);
		assert_string_equal(ru.v[0].last_error, "boom");
		assert_string_equal(ru.v[0].health, "err");
		assert_null(ru.v[1].last_error);
		sr_prom_rules_done(&ru);
	}
	assert_int_equal(sr_prom_parse_rules("{\"status\":\"success\",\"data\":{}}", 31, 200, "u",
					     &ru, &err), -1);
	assert_non_null(strstr(err, "data.groups"));
	free(err);
	sr_prom_rules_done(&ru);
}

static void
test_urls(void **state)
{
	char *u;

	(void)state;
	u = sr_prom_query_url("http://p:9090/", "sum(rate(x{a=\"b c\"}[5m]))", 0);
	assert_string_equal(u, "http://p:9090/api/v1/query?query=sum%28rate%28x%7Ba%3D%22b%20c"
			    "%22%7D%5B5m%5D%29%29");
	free(u);
	u = sr_prom_range_url("http://p:9090", "up", 100, 3700, 15);
	assert_string_equal(u, "http://p:9090/api/v1/query_range?query=up&start=100&end=3700&step=15");
	free(u);
	assert_int_equal(sr_prom_step(3600, 80), 45);
	assert_int_equal(sr_prom_step(10, 80), 1);
	assert_int_equal(sr_prom_step(3600, 0), 3600);
}

/* Only a 2xx answer (or none: a file) is read; 1xx and 3xx (an SSO proxy's 302) fail, even
 * when their body is a well-formed "success" envelope. */
static void
test_status_boundaries(void **state)
{
	static const char q[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
				"\"result\":[{\"metric\":{},\"value\":[1,\"2\"]}]}}";
	static const char al[] = "{\"status\":\"success\",\"data\":{\"alerts\":[]}}";
	static const char ru[] = "{\"status\":\"success\",\"data\":{\"groups\":[]}}";
	static const long good[] = { 0, 200, 204, 299 };
	static const long badst[] = { 1, 100, 199, 300, 302, 304, 400, 503 };

	(void)state;
	for (int k = 0; k < 2; k++) {
		const long *st = k == 0 ? good : badst;
		size_t n = k == 0 ? SR_ARRAY_LEN(good) : SR_ARRAY_LEN(badst);

		for (size_t i = 0; i < n; i++) {
			struct sr_prom_result r;
			struct sr_prom_alerts a;
			struct sr_prom_rules ru2;
			char *err = NULL, want[32];
			int rc[3];

			memset(&a, 0, sizeof(a));
			memset(&ru2, 0, sizeof(ru2));
			snprintf(want, sizeof(want), "u: HTTP %ld", st[i]);
			rc[0] = sr_prom_parse_query(q, sizeof(q) - 1, st[i], "u", &r, &err);
			if (k == 0) {
				assert_int_equal(r.n_series, 1);
				assert_true(r.series[0].samples[0].v == 2);
			}
			sr_prom_result_done(&r);
			if (k == 1) {
				if (err == NULL || strstr(err, want) == NULL)
					fail_msg("query at %ld: %s", st[i], err ? err : "(none)");
				free(err);
				err = NULL;
			}
			rc[1] = sr_prom_parse_alerts(al, sizeof(al) - 1, st[i], "u", &a, &err);
			sr_prom_alerts_done(&a);
			if (k == 1) {
				assert_non_null(strstr(err, want));
				free(err);
				err = NULL;
			}
			rc[2] = sr_prom_parse_rules(ru, sizeof(ru) - 1, st[i], "u", &ru2, &err);
			sr_prom_rules_done(&ru2);
			if (k == 1) {
				assert_non_null(strstr(err, want));
				free(err);
				err = NULL;
			}
			for (int j = 0; j < 3; j++)
				if (rc[j] != (k == 0 ? 0 : -1))
					fail_msg("status %ld, parser %d: %d", st[i], j, rc[j]);
		}
	}
	/* a body that is not JSON (a proxy's HTML page): the status is what the error names */
	{
		static const char html[] = "<html>moved</html>";
		static const long st[] = { 1, 199, 300, 302, 404 };

		for (size_t i = 0; i < SR_ARRAY_LEN(st); i++) {
			struct sr_prom_result r;
			char *err = NULL, want[32];

			snprintf(want, sizeof(want), "u: HTTP %ld", st[i]);
			assert_int_equal(sr_prom_parse_query(html, sizeof(html) - 1, st[i], "u", &r,
							     &err), -1);
			if (err == NULL || strstr(err, want) == NULL)
				fail_msg("HTML at %ld: %s", st[i], err ? err : "(none)");
			free(err);
			sr_prom_result_done(&r);
		}
		for (long code = 0; code <= 299; code += 299) {
			struct sr_prom_result r;
			char *err = NULL;

			assert_int_equal(sr_prom_parse_query(html, sizeof(html) - 1, code, "u", &r,
							     &err), -1);
			assert_non_null(strstr(err, "not a JSON object"));
			free(err);
			sr_prom_result_done(&r);
		}
	}
	/* an empty result may come as null, or be left out */
	{
		static const char *const empty[] = {
			"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":null}}",
			"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":null}}",
			"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\"}}",
		};
		struct sr_prom_result r;
		char *err = NULL;

		for (size_t i = 0; i < SR_ARRAY_LEN(empty); i++) {
			if (sr_prom_parse_query(empty[i], strlen(empty[i]), 200, "u", &r, &err) != 0)
				fail_msg("%s: %s", empty[i], err);
			assert_int_equal(r.n_series, 0);
			sr_prom_result_done(&r);
		}
	}
	/* a series without "metric" has no labels (read with and without the fast reader) */
	for (long st = 0; st <= 200; st += 200) {
		static const char nm[] = "{\"status\":\"success\",\"data\":{\"resultType\":"
					 "\"vector\",\"result\":[{\"value\":[1,\"2\"]}]}}";
		struct sr_prom_result r;
		char *err = NULL;

		if (sr_prom_parse_query(nm, sizeof(nm) - 1, st, "u", &r, &err) != 0)
			fail_msg("status %ld: %s", st, err);
		assert_int_equal(r.n_series, 1);
		assert_int_equal(r.series[0].n_labels, 0);
		assert_true(r.series[0].samples[0].v == 2);
		sr_prom_result_done(&r);
	}
	/* an error body: its first 200 bytes */
	{
		char body[300], *err = NULL;
		struct sr_prom_result r;

		memset(body, 'x', sizeof(body));
		assert_int_equal(sr_prom_parse_query(body, sizeof(body), 502, "u", &r, &err), -1);
		assert_int_equal(strlen(err), strlen("u: HTTP 502: ") + 200);
		free(err);
		sr_prom_result_done(&r);
	}
}

/* Values as Prometheus writes them, and nothing else; formatting is the shortest exact form. */
static void
test_values_and_steps(void **state)
{
	static const struct {
		const char *in;
		double want;
	} good[] = { { "1", 1 }, { "-2.5", -2.5 }, { "1e3", 1000 }, { "+1", 1 }, { ".5", 0.5 },
		     { "1E-2", 0.01 } };
	static const char *const bad[] = { "", " 1", "1 ", "inf", "nan", "0x10", "Inf", "+inf",
					   "1e", "-", "abc", "1,5" };
	char buf[32];
	double d;
	char *u;

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(good); i++) {
		assert_int_equal(sr_prom_parse_value(good[i].in, &d), 0);
		assert_true(d == good[i].want);
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(bad); i++)
		if (sr_prom_parse_value(bad[i], &d) == 0)
			fail_msg("\"%s\" accepted", bad[i]);
	assert_int_equal(sr_prom_parse_value(NULL, &d), -1);
	assert_int_equal(sr_prom_parse_value("NaN", &d), 0);
	assert_true(isnan(d));
	assert_int_equal(sr_prom_parse_value("+Inf", &d), 0);
	assert_true(isinf(d) && d > 0);
	assert_int_equal(sr_prom_parse_value("-Inf", &d), 0);
	assert_true(isinf(d) && d < 0);
	assert_string_equal(sr_prom_format_value(0.1, buf, sizeof(buf)), "0.1");
	assert_string_equal(sr_prom_format_value(1.0 / 3, buf, sizeof(buf)), "0.3333333333333333");
	assert_string_equal(sr_prom_format_value(2, buf, sizeof(buf)), "2");
	assert_string_equal(sr_prom_format_value(123456, buf, sizeof(buf)), "123456");
	assert_string_equal(sr_prom_format_value(-1e-7, buf, sizeof(buf)), "-1e-07");
	assert_string_equal(sr_prom_format_value(NAN, buf, sizeof(buf)), "NaN");
	assert_string_equal(sr_prom_format_value(-INFINITY, buf, sizeof(buf)), "-Inf");
	assert_string_equal(sr_prom_format_value(INFINITY, buf, sizeof(buf)), "+Inf");
	/* steps round up, never below 1 s */
	assert_int_equal(sr_prom_step(3601, 80), 46);
	assert_int_equal(sr_prom_step(3600, 80), 45);
	assert_int_equal(sr_prom_step(80, 80), 1);
	assert_int_equal(sr_prom_step(81, 80), 2);
	assert_int_equal(sr_prom_step(0, 80), 1);
	assert_int_equal(sr_prom_step(100, -5), 100);
	assert_int_equal(sr_prom_step(100, 1), 100);
	u = sr_prom_range_url("http://p", "up", 1, 2, 0);
	assert_string_equal(u, "http://p/api/v1/query_range?query=up&start=1&end=2&step=1");
	free(u);
	u = sr_prom_range_url("http://p", "up", 1, 2, 1);
	assert_string_equal(u, "http://p/api/v1/query_range?query=up&start=1&end=2&step=1");
	free(u);
	u = sr_prom_query_url("http://p", "up", 1795403520);
	assert_string_equal(u, "http://p/api/v1/query?query=up&time=1795403520");
	free(u);
	u = sr_prom_query_url("http://p", "up", 1);
	assert_string_equal(u, "http://p/api/v1/query?query=up&time=1");
	free(u);
	assert_string_equal(sr_prom_type_name(SR_PROM_VECTOR), "vector");
	assert_string_equal(sr_prom_type_name(SR_PROM_MATRIX), "matrix");
	assert_string_equal(sr_prom_type_name(SR_PROM_SCALAR), "scalar");
	assert_string_equal(sr_prom_type_name(SR_PROM_STRING), "string");
	assert_string_equal(sr_prom_type_name((enum sr_prom_type)99), "?");
}

/*
 * Alert history (issue 16): samples of every label set land in 30-minute cells; overlapping
 * series count once; runs of firing samples are episodes; the URL escapes the name.
 */
static void
test_alert_history(void **state)
{
	const sr_time now = 1795460000;
	struct sr_prom_sample a[3], b[2];
	struct sr_prom_series se[2];
	struct sr_prom_result res;
	struct sr_alert_history h;
	char *strip, *url;

	(void)state;
	/* series a fires at -3m, -2m and -1m; series b at -2m and 23h ago */
	for (int i = 0; i < 3; i++) {
		a[i].t = (double)(now - 180 + 60 * i);
		a[i].v = 1;
	}
	b[0].t = (double)(now - 120);
	b[0].v = 1;
	b[1].t = (double)(now - 23 * 3600);
	b[1].v = 1;
	memset(se, 0, sizeof(se));
	se[0].samples = a;
	se[0].n_samples = 3;
	se[1].samples = b;
	se[1].n_samples = 2;
	memset(&res, 0, sizeof(res));
	res.type = SR_PROM_MATRIX;
	res.series = se;
	res.n_series = 2;
	sr_alert_history_cells(&res, now, 48, &h);
	assert_int_equal(h.firing_seconds, 4 * 60);	/* -2m counted once */
	assert_int_equal(h.episodes, 2);
	assert_int_equal(h.last_fired, now - 60);
	strip = sr_alert_history_strip(&h, "#", ".");
	assert_int_equal(strlen(strip), 48);
	assert_int_equal(strip[47], '#');
	assert_int_equal(strip[2], '#');	/* 23h ago: the third half hour */
	assert_int_equal(strip[0], '.');
	assert_int_equal(strip[24], '.');
	free(strip);
	sr_alert_history_done(&h);
	/* nothing */
	sr_alert_history_cells(NULL, now, 4, &h);
	strip = sr_alert_history_strip(&h, "#", ".");
	assert_string_equal(strip, "....");
	assert_int_equal(h.episodes, 0);
	free(strip);
	sr_alert_history_done(&h);
	url = sr_alert_history_url("http://p:9090", "A\"b", now);
	assert_non_null(strstr(url, "/api/v1/query_range?query="));
	assert_non_null(strstr(url, "step=60"));
	assert_non_null(strstr(url, "A%5C%22b"));
	free(url);
}

/* Shapes Prometheus never sends are errors, not empty data: a series whose metric is not an
 * object of strings, a rule group without a name or without a rules array. */
static void
test_malformed_shapes(void **state)
{
	static const char *const bad_metric[] = {
		"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
		"{\"metric\":\"x\",\"value\":[1,\"1\"]}]}}",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
		"{\"metric\":{\"a\":1},\"value\":[1,\"1\"]}]}}",
	};
	static const char *const bad_groups[] = {
		"{\"status\":\"success\",\"data\":{\"groups\":[{\"rules\":[]}]}}",
		"{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"g\",\"rules\":{}}]}}",
	};
	struct sr_prom_result r;
	struct sr_prom_rules ru;
	char *err = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_metric) / sizeof(bad_metric[0]); i++) {
		assert_int_equal(parse_str(bad_metric[i], 200, &r, &err), -1);
		if (strstr(err, "data.result[0].metric is not an object of strings") == NULL)
			fail_msg("%zu: %s", i, err);
		free(err);
		err = NULL;
		sr_prom_result_done(&r);
	}
	for (size_t i = 0; i < sizeof(bad_groups) / sizeof(bad_groups[0]); i++) {
		assert_int_equal(sr_prom_parse_rules(bad_groups[i], strlen(bad_groups[i]), 200, "u",
						     &ru, &err), -1);
		if (strstr(err, "a rule group has no name or rules array") == NULL)
			fail_msg("%zu: %s", i, err);
		free(err);
		err = NULL;
		sr_prom_rules_done(&ru);
	}
}

/* --- sixth round (issue 17, seed 29's survivors) --- */

/* One long run of firing steps is one episode; each gap starts a new one. */
static void
test_alert_history_episodes(void **state)
{
	const sr_time now = 1795460000;
	struct sr_prom_sample a[7];
	struct sr_prom_series se;
	struct sr_prom_result res;
	struct sr_alert_history h;

	(void)state;
	/* -10m..-6m (five steps in a row), then -3m and -2m */
	for (int i = 0; i < 5; i++) {
		a[i].t = (double)(now - 600 + 60 * i);
		a[i].v = 1;
	}
	a[5].t = (double)(now - 180);
	a[5].v = 1;
	a[6].t = (double)(now - 120);
	a[6].v = 1;
	memset(&se, 0, sizeof(se));
	se.samples = a;
	se.n_samples = 5;
	memset(&res, 0, sizeof(res));
	res.type = SR_PROM_MATRIX;
	res.series = &se;
	res.n_series = 1;
	sr_alert_history_cells(&res, now, 48, &h);
	assert_int_equal(h.firing_seconds, 5 * 60);
	assert_int_equal(h.episodes, 1);
	sr_alert_history_done(&h);
	se.n_samples = 7;
	sr_alert_history_cells(&res, now, 48, &h);
	assert_int_equal(h.firing_seconds, 7 * 60);
	assert_int_equal(h.episodes, 2);
	sr_alert_history_done(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_fixture),
		cmocka_unit_test(test_matrix_fixtures),
		cmocka_unit_test(test_scalar_string_empty_nan),
		cmocka_unit_test(test_special_values),
		cmocka_unit_test(test_labels_hostile),
		cmocka_unit_test(test_error_envelope),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_histograms_and_warnings),
		cmocka_unit_test(test_fifty_thousand_series),
		cmocka_unit_test(test_alerts_and_rules),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_status_boundaries),
		cmocka_unit_test(test_values_and_steps),
		cmocka_unit_test(test_fast_and_dom_agree),
		cmocka_unit_test(test_fast_path_taken),
		cmocka_unit_test(test_alert_history),
		cmocka_unit_test(test_malformed_shapes),
		cmocka_unit_test(test_alert_history_episodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * fuzz_template.c: Mustache templates from arbitrary bytes. What parses is checked against a
 * schema and rendered in every escaper against a fixed tree (with itself as every partial);
 * the JSON escaper's output must read back as a JSON string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const char *s;
	size_t len;
};

static int
partial(void *arg, const char *name, const char **src, size_t *len)
{
	const struct input *in = arg;

	if (strcmp(name, "none") == 0)
		return -1;
	*src = in->s;
	*len = in->len;
	return 0;
}

static const char data_json[] =
	"{\"title\":\"<!channel> *down* `x` \\u001b[2J\",\"n\":3,\"f\":1.5,\"ok\":true,"
	"\"no\":false,\"empty\":[],\"list\":[{\"a\":\"1\",\"b\":[\"x\",\"y\"]},{\"a\":\"2\"}],"
	"\"obj\":{\"a\":{\"b\":{\"c\":\"deep\"}}}}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const sr_tpl_escape_fn esc[] = { sr_tpl_esc_html, sr_tpl_esc_text,
						sr_tpl_esc_mrkdwn, sr_tpl_esc_markdown,
						sr_tpl_esc_json };
	struct input in = { (const char *)data, size };
	struct sr_tdata *d = sr_tdata_new();
	struct sr_tval *root = sr_tv_from_json(d, data_json, sizeof(data_json) - 1, NULL);
	char *err = NULL;
	struct sr_tpl *t = sr_tpl_parse("fuzz", (const char *)data, size, &err);

	if (!root)
		abort();
	if (t) {
		(void)sr_tpl_check(t, root, &err);
		free(err);
		err = NULL;
		for (size_t i = 0; i < sizeof(esc) / sizeof(esc[0]); i++) {
			struct sr_tpl_out o = { .escape = esc[i], .raw = esc[i], .partial = partial,
						.partial_arg = &in };
			struct sr_buf out;

			sr_buf_init(&out);
			if (sr_tpl_render(t, root, &o, &out, &err) != 0) {
				free(err);
				err = NULL;
			}
			sr_buf_done(&out);
		}
		sr_tpl_free(t);
	} else if (!err) {
		abort();	/* a failure always says why */
	}
	free(err);
	/* the JSON escaper always yields a valid JSON string, whatever the bytes */
	{
		struct sr_buf b;
		cJSON *j;

		sr_buf_init(&b);
		sr_buf_addc(&b, '"');
		sr_tpl_esc_json(&b, (const char *)data, size, NULL);
		sr_buf_addc(&b, '"');
		j = cJSON_ParseWithLength(b.data, b.len);
		if (!j || !cJSON_IsString(j))
			abort();
		cJSON_Delete(j);
		sr_buf_done(&b);
	}
	sr_tdata_free(d);
	return 0;
}

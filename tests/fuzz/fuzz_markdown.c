/* SPDX-License-Identifier: MIT */
/* fuzz_markdown.c: the Markdown layout and its terminal rendering on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "render_ansi.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int widths[] = { 16, 40, 80, 137 };
	static const unsigned mflags[] = { 0, SR_MD_ASCII, SR_MD_NO_REFS, 0 };
	static const unsigned rflags[] = { 0, SR_RENDER_COLOR | SR_RENDER_ASCII,
					   SR_RENDER_COLOR | SR_RENDER_OSC8, SR_RENDER_COLOR };
	struct sr_md_meta meta;
	size_t i, k;

	if (size > (1u << 20))
		return 0;
	sr_md_meta_read((const char *)data, size, &meta);
	sr_md_meta_done(&meta);
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		char *err = NULL;
		struct sr_doc *doc = sr_md_parse((const char *)data, size, widths[i], mflags[i], &err);
		struct sr_buf b;

		if (doc == NULL) {
			free(err);
			continue;
		}
		/* what the layout promises: no control bytes, lines within the width */
		for (k = 0; k < doc->text_len; k++)
			if ((unsigned char)doc->text[k] < 0x20 || doc->text[k] == 0x7F)
				abort();
		for (k = 0; k < doc->n_lines; k++)
			if (!doc->lines[k].code && doc->lines[k].width > (size_t)doc->width)
				abort();
		for (k = 0; k < doc->n_toc; k++)
			if (sr_doc_find_anchor(doc, doc->toc[k].anchor) < 0)
				abort();
		sr_buf_init(&b);
		sr_render_doc(&b, doc, 0, rflags[i]);
		sr_buf_done(&b);
		sr_doc_free(doc);
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* render_ansi.c: writes laid-out Markdown documents as ANSI-coloured or plain terminal text. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "render_ansi.h"
#include "text.h"

/* Colour roles per style bit, one table (see STYLE.md: tables over switches). */
static const struct {
	unsigned style;
	const char *sgr;
} style_sgr[] = {
	{ SR_MD_STRONG, "1" },
	{ SR_MD_EMPH, "3" },
	{ SR_MD_STRIKE, "9" },
	{ SR_MD_CODE, "36" },
	{ SR_MD_LINK, "4;34" },
	{ SR_MD_LINK_REF, "2" },
	{ SR_MD_QUOTE, "2" },
	{ SR_MD_LIST_MARKER, "33" },
	{ SR_MD_RULE, "2" },
	{ SR_MD_TABLE_BORDER, "2" },
	{ SR_MD_TABLE_HEAD, "1" },
	{ SR_MD_CODE_BLOCK, "32" },
	{ SR_MD_HTML, "2;3" },
	{ SR_MD_TASK, "33" },
	{ SR_MD_TASK_DONE, "32" },
	{ SR_MD_HEADING_MARK, "2" },
	{ SR_MD_IMAGE, "35" },
	{ SR_MD_CUT, "7" },
};

static const char *heading_sgr[7] = { "", "1;4;35", "1;36", "1;34", "1;33", "1", "1;2" };

const char *
sr_render_sgr(unsigned style, int heading, char *buf, size_t n)
{
	size_t i, len = 0;

	if (n == 0)
		return "";
	buf[0] = '\0';
	if (heading >= 1 && heading <= 6 && !(style & (SR_MD_RULE | SR_MD_HEADING_MARK)))
		len += (size_t)snprintf(buf + len, n - len, "%s", heading_sgr[heading]);
	else if (heading >= 1 && heading <= 6)
		len += (size_t)snprintf(buf + len, n - len, "%s", heading == 1 ? "35" : "36");
	for (i = 0; i < SR_ARRAY_LEN(style_sgr) && len < n; i++)
		if (style & style_sgr[i].style)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ";" : "",
						style_sgr[i].sgr);
	return buf;
}

/* OSC 8 targets: printable ASCII only, everything else percent-encoded. */
static void
add_url(struct sr_buf *out, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)url;

	for (; *u; u++) {
		if (*u > 0x20 && *u < 0x7F) {
			sr_buf_addc(out, (char)*u);
		} else {
			sr_buf_addc(out, '%');
			sr_buf_addc(out, hex[*u >> 4]);
			sr_buf_addc(out, hex[*u & 15]);
		}
	}
}

int
sr_render_link_ok(const char *url)
{
	size_t k;

	if (url == NULL || url[0] == '\0')
		return 0;
	/* a scheme is whatever ends at the first ':' before any '/', '?' or '#'
	 * (RFC 3986 4.2: a relative reference cannot have a ':' there) */
	k = strcspn(url, ":/?#");
	if (url[k] != ':')
		return 1;	/* relative: "ops/db.md#failover", "/wiki/x", "?q" */
	return (k == 4 && strncasecmp(url, "http", 4) == 0) ||
	       (k == 5 && strncasecmp(url, "https", 5) == 0);
}

static void
add_span(struct sr_buf *out, const struct sr_doc *doc, const struct sr_md_span *sp, size_t len,
	 unsigned flags)
{
	char sgr[96];
	const char *code = "";
	int osc = (flags & SR_RENDER_OSC8) && sp->link >= 0 && (size_t)sp->link < doc->n_links &&
		  (sp->style & (SR_MD_LINK | SR_MD_IMAGE)) &&
		  sr_render_link_ok(doc->links[sp->link].url);

	if (flags & SR_RENDER_COLOR)
		code = sr_render_sgr(sp->style, sp->heading, sgr, sizeof(sgr));
	if (osc) {
		sr_buf_adds(out, "\033]8;;");
		add_url(out, doc->links[sp->link].url);
		sr_buf_adds(out, "\033\\");
	}
	if (code[0]) {
		sr_buf_printf(out, "\033[%sm", code);
		sr_buf_add(out, doc->text + sp->off, len);
		sr_buf_adds(out, "\033[0m");
	} else {
		sr_buf_add(out, doc->text + sp->off, len);
	}
	if (osc)
		sr_buf_adds(out, "\033]8;;\033\\");
}

void
sr_render_lines(struct sr_buf *out, const struct sr_doc *doc, size_t from, size_t to,
		unsigned flags)
{
	size_t i, j, w = (size_t)doc->width;

	sr_buf_adds(out, "");
	if (to > doc->n_lines)
		to = doc->n_lines;
	for (i = from; i < to; i++) {
		const struct sr_md_line *ln = &doc->lines[i];
		size_t used = 0;
		int cut = ln->code && ln->width > w;

		for (j = ln->first; j < ln->first + ln->n; j++) {
			const struct sr_md_span *sp = &doc->spans[j];

			if (cut && used + sp->width > w - 1) {
				size_t cols, nb = sr_text_cut(doc->text + sp->off, sp->len,
							      w - 1 - used, &cols);

				add_span(out, doc, sp, nb, flags);
				used += cols;
				break;
			}
			add_span(out, doc, sp, sp->len, flags);
			used += sp->width;
		}
		if (cut) {
			while (used < w - 1) {
				sr_buf_addc(out, ' ');
				used++;
			}
			if (flags & SR_RENDER_COLOR)
				sr_buf_adds(out, "\033[7m");
			sr_buf_adds(out, (flags & SR_RENDER_ASCII) ? ">" : "…");
			if (flags & SR_RENDER_COLOR)
				sr_buf_adds(out, "\033[0m");
		}
		sr_buf_addc(out, '\n');
	}
}

void
sr_render_doc(struct sr_buf *out, const struct sr_doc *doc, size_t from, unsigned flags)
{
	sr_render_lines(out, doc, from, doc->n_lines, flags);
	if (!(flags & (SR_RENDER_OSC8 | SR_RENDER_NO_LINKS)))
		sr_render_links(out, doc, flags);
}

void
sr_render_links(struct sr_buf *out, const struct sr_doc *doc, unsigned flags)
{
	size_t i;

	sr_buf_adds(out, "");
	if (doc->n_links == 0)
		return;
	sr_buf_addc(out, '\n');
	sr_buf_adds(out, (flags & SR_RENDER_COLOR) ? "\033[1mLinks\033[0m\n" : "Links\n");
	for (i = 0; i < doc->n_links; i++) {
		if (flags & SR_RENDER_COLOR)
			sr_buf_printf(out, "\033[2m[%d]\033[0m ", doc->links[i].number);
		else
			sr_buf_printf(out, "[%d] ", doc->links[i].number);
		sr_buf_adds(out, doc->links[i].url);	/* sanitised at parse time */
		sr_buf_addc(out, '\n');
	}
}

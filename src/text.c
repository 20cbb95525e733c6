/* SPDX-License-Identifier: MIT */
/* text.c: UTF-8, display widths and the sanitiser every outside string passes through. */
#include <string.h>

#include "text.h"

size_t
sr_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	size_t n, i;

	if (len == 0) {
		*cp = SR_REPLACEMENT;
		return 0;
	}
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		goto bad;
	}
	if (n > len)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = SR_REPLACEMENT;
	return 1;
}

int
sr_utf8_valid(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = sr_utf8_decode(s + i, len - i, &cp);

		if (cp == SR_REPLACEMENT && n == 1)
			return 0;	/* U+FFFD itself decodes from its 3 bytes */
		i += n;
	}
	return 1;
}

size_t
sr_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = SR_REPLACEMENT;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

struct range {
	uint32_t lo, hi;
};

/* Zero-width: combining marks and format characters (the common blocks). */
static const struct range zero_width[] = {
	{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x05BF, 0x05BF },
	{ 0x05C1, 0x05C2 }, { 0x05C4, 0x05C5 }, { 0x05C7, 0x05C7 }, { 0x0610, 0x061A },
	{ 0x064B, 0x065F }, { 0x0670, 0x0670 }, { 0x06D6, 0x06DC }, { 0x06DF, 0x06E4 },
	{ 0x0900, 0x0902 }, { 0x093A, 0x093A }, { 0x093C, 0x093C }, { 0x0941, 0x0948 },
	{ 0x094D, 0x094D }, { 0x0951, 0x0957 }, { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A },
	{ 0x0E47, 0x0E4E }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF }, { 0x200B, 0x200F },
	{ 0x2028, 0x202E }, { 0x2060, 0x206F }, { 0x20D0, 0x20FF }, { 0x302A, 0x302D },
	{ 0x3099, 0x309A }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF },
	{ 0x1F3FB, 0x1F3FF }, { 0xE0001, 0xE007F }, { 0xE0100, 0xE01EF },
};

/* Wide: East Asian Wide/Fullwidth and emoji presentation blocks. */
static const struct range wide[] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
	{ 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 }, { 0x25FD, 0x25FE }, { 0x2614, 0x2615 },
	{ 0x2648, 0x2653 }, { 0x267F, 0x267F }, { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
	{ 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE },
	{ 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 },
	{ 0x26FA, 0x26FA }, { 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B },
	{ 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x274E, 0x274E }, { 0x2753, 0x2755 },
	{ 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF },
	{ 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 }, { 0x2E80, 0x303E },
	{ 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
	{ 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 },
	{ 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x16FE0, 0x16FE4 },
	{ 0x17000, 0x18CFF }, { 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF },
	{ 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A }, { 0x1F200, 0x1F251 }, { 0x1F300, 0x1F320 },
	{ 0x1F32D, 0x1F335 }, { 0x1F337, 0x1F37C }, { 0x1F37E, 0x1F393 }, { 0x1F3A0, 0x1F3CA },
	{ 0x1F3CF, 0x1F3D3 }, { 0x1F3E0, 0x1F3F0 }, { 0x1F3F4, 0x1F3F4 }, { 0x1F3F8, 0x1F43E },
	{ 0x1F440, 0x1F440 }, { 0x1F442, 0x1F4FC }, { 0x1F4FF, 0x1F53D }, { 0x1F54B, 0x1F54E },
	{ 0x1F550, 0x1F567 }, { 0x1F57A, 0x1F57A }, { 0x1F595, 0x1F596 }, { 0x1F5A4, 0x1F5A4 },
	{ 0x1F5FB, 0x1F64F }, { 0x1F680, 0x1F6C5 }, { 0x1F6CC, 0x1F6CC }, { 0x1F6D0, 0x1F6D2 },
	{ 0x1F6D5, 0x1F6D7 }, { 0x1F6EB, 0x1F6EC }, { 0x1F6F4, 0x1F6FC }, { 0x1F7E0, 0x1F7EB },
	{ 0x1F90C, 0x1F93A }, { 0x1F93C, 0x1F945 }, { 0x1F947, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
	{ 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
};

static int
in_table(uint32_t cp, const struct range *t, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < t[mid].lo)
			hi = mid;
		else if (cp > t[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int
sr_cp_is_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x061C || cp == 0x200E || cp == 0x200F;
}

int
sr_cp_is_line_break(uint32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 ||
	       cp == 0x2028 || cp == 0x2029;
}

int
sr_cp_width(uint32_t cp)
{
	if (cp < 0x300)
		return 1;
	if (in_table(cp, zero_width, SR_ARRAY_LEN(zero_width)))
		return 0;
	if (in_table(cp, wide, SR_ARRAY_LEN(wide)))
		return 2;
	return 1;
}

void
sr_text_sanitize(struct sr_buf *b, const char *s, size_t len, unsigned flags)
{
	size_t i = 0, run = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c >= 0x20 && c < 0x7F) {	/* fast path: printable ASCII */
			i++;
			run++;
			continue;
		}
		if (run > 0) {
			sr_buf_add(b, s + i - run, run);
			run = 0;
		}
		n = sr_utf8_decode(s + i, len - i, &cp);
		if (sr_cp_is_line_break(cp)) {
			/* CR LF is one break; every other break (lone CR, VT, FF, NEL, LS, PS)
			 * means what LF means, so no text can start a line the output did not */
			if (cp == '\r' && i + 1 < len && s[i + 1] == '\n')
				n++;
			sr_buf_addc(b, (flags & SR_SAN_NEWLINES) ? '\n' : ' ');
		} else if (cp == '\t') {
			sr_buf_addc(b, ' ');
		} else if (sr_cp_is_unsafe(cp) || cp == SR_REPLACEMENT) {
			if (flags & SR_SAN_ASCII)
				sr_buf_addc(b, '?');
			else
				sr_buf_add(b, "\xEF\xBF\xBD", 3);
		} else if (flags & SR_SAN_ASCII) {
			sr_buf_addc(b, '?');
		} else {
			sr_buf_add(b, s + i, n);
		}
		i += n;
	}
	if (run > 0)
		sr_buf_add(b, s + i - run, run);
}

char *
sr_text_clean(const char *s)
{
	struct sr_buf b;

	sr_buf_init(&b);
	if (s != NULL)
		sr_text_sanitize(&b, s, strlen(s), 0);
	return sr_buf_steal(&b);
}

void
sr_text_flatten(char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = sr_utf8_decode(s + i, len - i, &cp);

		if (sr_cp_is_line_break(cp))
			memset(s + i, ' ', n);
		i += n;
	}
}

void
sr_text_block(struct sr_buf *b, const char *s, size_t len, const char *indent, unsigned flags)
{
	struct sr_buf clean;
	size_t i = 0, end;

	sr_buf_init(&clean);
	sr_text_sanitize(&clean, s, len, (flags & SR_SAN_ASCII) | SR_SAN_NEWLINES);
	end = clean.len;
	while (end > 0 && clean.data[end - 1] == '\n')	/* trailing breaks say nothing */
		end--;
	while (i < end) {
		const char *nl = memchr(clean.data + i, '\n', end - i);
		size_t n = nl ? (size_t)(nl - (clean.data + i)) : end - i;

		sr_buf_add(b, clean.data + i, n);
		i += n;
		if (nl == NULL)
			break;
		sr_buf_addc(b, '\n');
		sr_buf_adds(b, indent ? indent : "");
		i++;
	}
	sr_buf_done(&clean);
}

size_t
sr_text_width(const char *s, size_t len)
{
	size_t i = 0, w = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;

		if ((unsigned char)s[i] < 0x80) {	/* ASCII: one column (controls too) */
			w++;
			i++;
			continue;
		}
		n = sr_utf8_decode(s + i, len - i, &cp);
		w += sr_cp_is_unsafe(cp) ? 1 : (size_t)sr_cp_width(cp);
		i += n;
	}
	return w;
}

size_t
sr_text_fit(struct sr_buf *b, const char *s, size_t width, int pad, unsigned flags)
{
	struct sr_buf clean;
	size_t i = 0, w = 0, total;

	sr_buf_init(&clean);
	sr_text_sanitize(&clean, s ? s : "", s ? strlen(s) : 0, flags & SR_SAN_ASCII);
	total = sr_text_width(clean.data ? clean.data : "", clean.len);
	if (total <= width) {
		if (clean.len)
			sr_buf_add(b, clean.data, clean.len);
		w = total;
	} else if (width > 0) {
		while (i < clean.len) {
			uint32_t cp;
			size_t n = sr_utf8_decode(clean.data + i, clean.len - i, &cp);
			int cw = sr_cp_width(cp);

			if (w + (size_t)cw > width - 1)
				break;
			sr_buf_add(b, clean.data + i, n);
			w += (size_t)cw;
			i += n;
		}
		if (flags & SR_SAN_ASCII)
			sr_buf_addc(b, '.');
		else
			sr_buf_add(b, "\xE2\x80\xA6", 3);
		w++;
	}
	sr_buf_done(&clean);
	while (pad && w < width) {
		sr_buf_addc(b, ' ');
		w++;
	}
	return w;
}

size_t
sr_text_cut(const char *s, size_t len, size_t width, size_t *cols)
{
	size_t i = 0, w = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;
		int cw;

		if ((unsigned char)s[i] < 0x80) {	/* fast path: ASCII is one column */
			if (w + 1 > width)
				break;
			w++;
			i++;
			continue;
		}
		n = sr_utf8_decode(s + i, len - i, &cp);
		cw = sr_cp_is_unsafe(cp) ? 1 : sr_cp_width(cp);
		if (w + (size_t)cw > width)
			break;
		w += (size_t)cw;
		i += n;
	}
	if (cols != NULL)
		*cols = w;
	return i;
}

/*
 * True when s[0..len) is a proper prefix of a valid UTF-8 sequence: a lead byte that can start
 * one (0xC2-0xF4; 0x80-0xC1 and 0xF5-0xFF never do), fewer bytes than it needs, each one present
 * a continuation byte within the lead's range (no overlong form, surrogate or code point above
 * U+10FFFF).
 */
int
sr_utf8_cut(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF;

	if (len == 0 || s[0] < 0xC2 || s[0] > 0xF4)
		return 0;
	need = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	if (len >= need)
		return 0;
	for (size_t i = 1; i < len; i++, lo = 0x80, hi = 0xBF)
		if (s[i] < lo || s[i] > hi)
			return 0;
	return 1;
}

int
sr_text_is_binary(const char *s, size_t len)
{
	size_t i = 0, bad = 0, seqs = 0;

	if (len > 65536)
		len = 65536;
	if (memchr(s, '\0', len) != NULL)
		return 1;
	while (i < len) {
		uint32_t cp;
		size_t n = sr_utf8_decode(s + i, len - i, &cp);

		/* A sequence cut by the 64 KiB window is not evidence of binary data. */
		if (cp == SR_REPLACEMENT && n == 1 && sr_utf8_cut(s + i, len - i))
			break;
		if (cp == SR_REPLACEMENT && n == 1)
			bad++;
		seqs++;
		i += n;
	}
	return bad * 10 > seqs;
}

/* --- ASCII output for non-UTF-8 locales --- */

/* The glyphs sitrep draws itself, as the ASCII a C locale gets (each one column). */
static const struct {
	uint32_t cp;
	char ascii;
} ascii_glyphs[] = {
	{ 0x00B7, '.' }, { 0x2013, '-' }, { 0x2014, '-' }, { 0x2018, '\'' }, { 0x2019, '\'' },
	{ 0x201C, '"' }, { 0x201D, '"' }, { 0x2022, '*' }, { 0x2026, '.' }, { 0x2190, '<' },
	{ 0x2191, '^' }, { 0x2192, '>' }, { 0x2193, 'v' }, { 0x2500, '-' }, { 0x2502, '|' },
	{ 0x250C, '+' }, { 0x2510, '+' }, { 0x2514, '+' }, { 0x2518, '+' }, { 0x251C, '+' },
	{ 0x2524, '+' }, { 0x252C, '+' }, { 0x2534, '+' }, { 0x253C, '+' }, { 0x2581, '_' },
	{ 0x2582, '_' }, { 0x2583, '_' }, { 0x2584, '=' }, { 0x2585, '=' }, { 0x2586, '#' },
	{ 0x2587, '#' }, { 0x2588, '#' }, { 0x25B2, '^' }, { 0x25B6, '>' }, { 0x25BC, 'v' },
	{ 0x25CF, '*' }, { 0x2713, '+' }, { 0x2717, 'x' },
};

size_t
sr_text_ascii(struct sr_buf *b, const char *s, size_t len, int final)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n, g = 0, j = i;
		int w;

		while (j < len && (unsigned char)s[j] < 0x80)	/* ASCII goes through whole */
			j++;
		sr_buf_add(b, s + i, j - i);
		if ((i = j) == len)
			break;
		n = sr_utf8_decode(s + i, len - i, &cp);
		/* a sequence cut by the end of this chunk waits for the next one */
		if (!final && cp == SR_REPLACEMENT && n == 1 &&
		    sr_utf8_cut(s + i, len - i))
			return i;
		/* a short table, looked at only for the rare non-ASCII character */
		while (g < SR_ARRAY_LEN(ascii_glyphs) && ascii_glyphs[g].cp != cp)
			g++;
		if (g < SR_ARRAY_LEN(ascii_glyphs)) {
			sr_buf_addc(b, ascii_glyphs[g].ascii);
		} else {
			/* as many '?' as the character had columns, so tables stay aligned */
			w = sr_cp_is_unsafe(cp) ? 1 : sr_cp_width(cp);
			while (w-- > 0)
				sr_buf_addc(b, '?');
		}
		i += n;
	}
	return i;
}

size_t
sr_text_scrub(char *s, size_t len, const char *const *secrets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *sec = secrets[i];
		size_t sl = sec != NULL ? strlen(sec) : 0, at = 0, put = sl < 3 ? sl : 3;
		char *hit;

		if (sl == 0)
			continue;
		while (at < len && (hit = memmem(s + at, len - at, sec, sl)) != NULL) {
			size_t off = (size_t)(hit - s);

			memset(hit, '*', put);
			memmove(hit + put, hit + sl, len - off - sl);
			len -= sl - put;
			at = off + put;
		}
	}
	return len;
}

void
sr_text_osc52(struct sr_buf *out, const char *s, size_t len, const char *const *secrets,
	      size_t n)
{
	struct sr_buf clean;

	sr_buf_init(&clean);
	sr_text_sanitize(&clean, s, len, SR_SAN_NEWLINES);
	if (clean.len > 0)
		clean.len = sr_text_scrub(clean.data, clean.len, secrets, n);
	sr_buf_adds(out, "\033]52;c;");
	sr_base64_add(out, clean.data != NULL ? clean.data : "", clean.len);
	sr_buf_adds(out, "\a");
	sr_buf_done(&clean);
}

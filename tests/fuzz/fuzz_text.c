/* SPDX-License-Identifier: MIT */
/*
 * fuzz_text.c: the text that leaves sitrep, on arbitrary bytes: a one-line field has no line
 * break or control character left, a multi-line field's every later line starts with its
 * indent, the ASCII filter writes no byte >= 0x80 and gives the same bytes however the input
 * is cut into writes, and a redacted URL keeps no password (libcurl's reading of it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "text.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void
one_line(const char *s, size_t n)
{
	struct sr_buf b;
	size_t i = 0;

	sr_buf_init(&b);
	sr_text_sanitize(&b, s, n, 0);
	while (i < b.len) {
		uint32_t cp;
		size_t k = sr_utf8_decode(b.data + i, b.len - i, &cp);

		CHECK(cp != SR_REPLACEMENT || k == 3);	/* valid UTF-8 out */
		CHECK(!sr_cp_is_line_break(cp) && !sr_cp_is_unsafe(cp));
		i += k;
	}
	sr_buf_done(&b);
}

static void
block(const char *s, size_t n)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_text_block(&b, s, n, "    ", 0);
	for (size_t i = 0; i < b.len; i++) {
		if (b.data[i] == '\n')
			CHECK(b.len - i > 4 && memcmp(b.data + i + 1, "    ", 4) == 0);
		CHECK(b.data[i] != '\r' && b.data[i] != '\v' && b.data[i] != '\f');
	}
	sr_buf_done(&b);
}

static void
ascii(const char *s, size_t n)
{
	struct sr_buf whole, parts, carry;
	size_t cut = n ? (unsigned char)s[0] % (n + 1) : 0, used;

	sr_buf_init(&whole);
	sr_buf_init(&parts);
	sr_buf_init(&carry);
	CHECK(sr_text_ascii(&whole, s, n, 1) == n);
	for (size_t i = 0; i < whole.len; i++)
		CHECK((unsigned char)whole.data[i] < 0x80);
	/* the same bytes in two writes, as the stdout filter sees them */
	used = sr_text_ascii(&parts, s, cut, 0);
	CHECK(cut - used < 4);
	sr_buf_add(&carry, s + used, cut - used);
	sr_buf_add(&carry, s + cut, n - cut);
	CHECK(sr_text_ascii(&parts, carry.data ? carry.data : "", carry.len, 1) == carry.len);
	CHECK(parts.len == whole.len && memcmp(parts.data, whole.data, whole.len) == 0);
	sr_buf_done(&whole);
	sr_buf_done(&parts);
	sr_buf_done(&carry);
}

static void
url(const char *s)
{
	struct sr_url_parts u;
	char *red = sr_http_redact(s);

	if (sr_url_split(s, &u) == 0) {
		size_t len = strlen(s);

		CHECK(u.auth <= u.host && u.host <= u.auth_end && u.auth_end <= len);
		if (u.has_password) {
			size_t pl = u.pass_end - u.pass;
			char *pass = strndup(s + u.pass, pl);
			char *rest = strdup(s + u.host);

			/* unless the password also appears in the host or path, it is gone */
			if (pl >= 3 && strstr(rest, pass) == NULL)
				CHECK(strstr(red, pass) == NULL);
			free(pass);
			free(rest);
		}
	} else {
		const char *sep = strstr(s, "://");

		CHECK(strcmp(red + (sep ? (size_t)(sep + 3 - s) : 0), "***") == 0);
	}
	free(red);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	one_line(s, size);
	block(s, size);
	ascii(s, size);
	url(s);
	free(s);
	return 0;
}

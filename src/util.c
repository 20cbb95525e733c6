/* SPDX-License-Identifier: MIT */
/* util.c: allocation, error strings and growable buffers. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "util.h"

static void
oom(size_t n)
{
	fprintf(stderr, "sitrep: out of memory (%zu bytes)\n", n);
	abort();
}

void *
sr_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
sr_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
sr_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

void *
sr_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap;

	if (need <= c)
		return p;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2 / size)
			oom(SIZE_MAX);
		c *= 2;
	}
	p = sr_xrealloc(p, c * size);
	*cap = c;
	return p;
}

void *
sr_block_alloc(struct sr_block **head, struct sr_block **spare, size_t n, size_t min)
{
	struct sr_block *b = *head;

	if (b == NULL || b->cap - b->used < n) {
		size_t cap = n > min ? n : min;

		if (cap == min && spare != NULL && *spare != NULL) {
			b = *spare;
			*spare = NULL;
		} else {
			b = sr_xmalloc(sizeof(*b) + cap);
		}
		b->prev = *head;
		b->used = 0;
		b->cap = cap;
		*head = b;
	}
	b->used += n;
	return b->mem + b->used - n;
}

void
sr_block_free(struct sr_block *newest)
{
	struct sr_block *first = NULL, *b;

	while ((b = newest) != NULL) {
		newest = b->prev;
		b->prev = first;
		first = b;
	}
	while ((b = first) != NULL) {
		first = b->prev;
		free(b);
	}
}

char *
sr_xstrdup(const char *s)
{
	return s == NULL ? NULL : sr_xstrndup(s, strlen(s));
}

char *
sr_xstrndup(const char *s, size_t n)
{
	char *p = sr_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
sr_xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		oom(0);
	p = sr_xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
sr_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = sr_xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

int
sr_err(char **err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || *err != NULL)
		return -1;
	va_start(ap, fmt);
	*err = sr_xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

void
sr_set_str(char **dst, const char *src)
{
	char *old = *dst;

	*dst = sr_xstrdup(src);
	free(old);
}

void
sr_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* --- buffers --- */

void
sr_buf_init(struct sr_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
sr_buf_done(struct sr_buf *b)
{
	free(b->data);
	sr_buf_init(b);
}

void
sr_buf_add(struct sr_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
		b->data = sr_xgrow(b->data, &b->cap, b->len + n + 1, 1);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
sr_buf_adds(struct sr_buf *b, const char *s)
{
	sr_buf_add(b, s, strlen(s));
}

void
sr_buf_addc(struct sr_buf *b, char c)
{
	if (b->len + 2 > b->cap)
		b->data = sr_xgrow(b->data, &b->cap, b->len + 2, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
sr_buf_printf(struct sr_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->data = sr_xgrow(b->data, &b->cap, b->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
sr_buf_steal(struct sr_buf *b)
{
	char *p = b->data;

	if (p == NULL)
		p = sr_xstrdup("");
	sr_buf_init(b);
	return p;
}

/* --- strings --- */

int
sr_strcaseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

size_t
sr_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t *row, result;

	if (la > 64 || lb > 64)
		return la > lb ? la : lb;
	row = sr_xmalloc((lb + 1) * sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) !=
				      tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	result = row[lb];
	free(row);
	return result;
}

int
sr_open_regular(const char *path, struct stat *st, char **err)
{
	struct stat tmp;
	int fd, e;

	if (st == NULL)
		st = &tmp;
	/* O_NONBLOCK: opening a FIFO for reading must not wait for a writer */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		sr_err(err, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, st) != 0) {
		e = errno;
		close(fd);
		sr_err(err, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		sr_err(err, "%s: not a regular file (%s)", path,
		       S_ISFIFO(st->st_mode) ? "a FIFO" : S_ISDIR(st->st_mode) ? "a directory" :
		       S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? "a device" :
		       S_ISSOCK(st->st_mode) ? "a socket" : "not a plain file");
		errno = EINVAL;
		return -1;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
		e = errno;
		close(fd);
		sr_err(err, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	return fd;
}

int
sr_read_file(const char *path, size_t max, char **out, size_t *len, char **err)
{
	FILE *f;
	struct sr_buf b;
	char chunk[65536];
	size_t n;
	int fd;

	*out = NULL;
	if (len)
		*len = 0;
	if ((fd = sr_open_regular(path, NULL, err)) < 0)
		return -1;
	f = fdopen(fd, "rb");
	if (f == NULL) {
		close(fd);
		return sr_err(err, "%s: %s", path, strerror(errno));
	}
	sr_buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > max) {
			fclose(f);
			sr_buf_done(&b);
			return sr_err(err, "%s: file larger than %zu bytes", path, max);
		}
		sr_buf_add(&b, chunk, n);
	}
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		sr_buf_done(&b);
		return sr_err(err, "%s: %s", path, strerror(e));
	}
	fclose(f);
	if (len)
		*len = b.len;
	*out = sr_buf_steal(&b);
	return 0;
}

/* --- URLs the way libcurl reads them --- */

int
sr_url_split(const char *url, struct sr_url_parts *out)
{
	const char *sep, *auth, *end, *at, *host, *colon, *p;

	memset(out, 0, sizeof(*out));
	if (url == NULL || (sep = strstr(url, "://")) == NULL || sep == url)
		return -1;
	for (p = url; p < sep; p++)
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
			return -1;
	auth = sep + 3;
	/* libcurl: the authority ends at the first '/', '?' or '#'; the userinfo at its first
	 * '@'; a password starts at the userinfo's first ':' */
	end = auth + strcspn(auth, "/?#");
	out->auth = (size_t)(auth - url);
	out->auth_end = (size_t)(end - url);
	at = memchr(auth, '@', (size_t)(end - auth));
	host = auth;
	if (at != NULL) {
		out->has_userinfo = 1;
		out->user = (size_t)(auth - url);
		colon = memchr(auth, ':', (size_t)(at - auth));
		out->user_end = (size_t)((colon ? colon : at) - url);
		if (colon != NULL) {
			out->has_password = 1;
			out->pass = (size_t)(colon + 1 - url);
			out->pass_end = (size_t)(at - url);
		}
		host = at + 1;
	}
	out->host = (size_t)(host - url);
	/* what libcurl accepts as host[:port]: a name or [IPv6], then digits */
	if (*host == '[') {
		p = memchr(host, ']', (size_t)(end - host));
		if (p == NULL)
			return -1;
		p++;
	} else {
		for (p = host; p < end && *p != ':'; p++)
			if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_' &&
			    *p != '%' && (unsigned char)*p < 0x80)
				return -1;
		if (p == host)
			return -1;
	}
	if (p < end) {
		if (*p != ':')
			return -1;
		for (p++; p < end; p++)
			if (!isdigit((unsigned char)*p))
				return -1;
	}
	return 0;
}

int
sr_url_has_secret(const char *url)
{
	struct sr_url_parts u;

	return sr_url_split(url, &u) != 0 || u.has_password;
}

void
sr_base64_add(struct sr_buf *b, const char *s, size_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned char)s[i] << 16;

		v |= i + 1 < len ? (unsigned char)s[i + 1] << 8 : 0;
		v |= i + 2 < len ? (unsigned char)s[i + 2] : 0;
		sr_buf_addc(b, tab[(v >> 18) & 63]);
		sr_buf_addc(b, tab[(v >> 12) & 63]);
		sr_buf_addc(b, i + 1 < len ? tab[(v >> 6) & 63] : '=');
		sr_buf_addc(b, i + 2 < len ? tab[v & 63] : '=');
	}
}

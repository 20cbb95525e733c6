/* SPDX-License-Identifier: MIT */
/* spool.c: an unlinked temporary file behind a small buffer, with a memory fallback. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"

/* An anonymous file in dir: O_TMPFILE, or a mkstemp() name removed at once. */
static int
tmp_in(const char *dir)
{
	char *path;
	int fd;

#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	path = sr_xasprintf("%s/sitrep-spool.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd >= 0) {
		unlink(path);
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	free(path);
	return fd;
}

void
sr_spool_init(struct sr_spool *sp)
{
	const char *dir = getenv("TMPDIR");

	memset(sp, 0, sizeof(*sp));
	sr_buf_init(&sp->b);
	sp->fd = -1;
	if (dir != NULL && *dir != '\0')
		sp->fd = tmp_in(dir);
	if (sp->fd < 0)
		sp->fd = tmp_in("/tmp");
}

void
sr_spool_done(struct sr_spool *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	sr_buf_done(&sp->b);
	sp->fd = -1;
}

/*
 * The file cannot take more (a full or size-limited disk): bring what it holds back into
 * memory and go on there, so that the answer is still whole. off bytes of b were written.
 */
static int
to_memory(struct sr_spool *sp, size_t off, int err_no)
{
	size_t have = sp->flushed + off, got = 0;
	char *all = sr_xmalloc(have + (sp->b.len - off) + 1);

	while (got < have) {
		ssize_t n = pread(sp->fd, all + got, have - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(all);
			sp->failed = 1;
			sp->err_no = err_no;
			return -1;
		}
		got += (size_t)n;
	}
	memcpy(all + have, sp->b.data + off, sp->b.len - off);
	have += sp->b.len - off;
	all[have] = '\0';
	free(sp->b.data);
	sp->b.data = all;
	sp->b.len = have;
	sp->b.cap = have + 1;
	close(sp->fd);
	sp->fd = -1;
	sp->flushed = 0;
	return 0;
}

/* Writes all of b to the file. */
static int
flush(struct sr_spool *sp)
{
	size_t off = 0;

	if (sp->fd < 0 || sp->failed)
		return sp->failed ? -1 : 0;
	while (off < sp->b.len) {
		ssize_t n = write(sp->fd, sp->b.data + off, sp->b.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return to_memory(sp, off, n < 0 ? errno : ENOSPC);
		off += (size_t)n;
	}
	sp->flushed += sp->b.len;
	sp->b.len = 0;
	return 0;
}

int
sr_spool_drain(struct sr_spool *sp)
{
	if (sp->failed)
		return -1;
	if (sp->fd >= 0 && sp->b.len >= SR_SPOOL_CHUNK)
		return flush(sp);
	return 0;
}

int
sr_spool_write(struct sr_spool *sp, const void *p, size_t n)
{
	if (sp->failed)
		return -1;
	sr_buf_add(&sp->b, p, n);
	return sr_spool_drain(sp);
}

size_t
sr_spool_size(const struct sr_spool *sp)
{
	return sp->flushed + sp->b.len;
}

long
sr_spool_read(void *arg, char *buf, size_t n)
{
	struct sr_spool *sp = arg;
	ssize_t got;

	if (sp->fd < 0) {
		if (sp->rpos >= sp->b.len)
			return 0;
		if (n > sp->b.len - sp->rpos)
			n = sp->b.len - sp->rpos;
		memcpy(buf, sp->b.data + sp->rpos, n);
		sp->rpos += n;
		return (long)n;
	}
	if (flush(sp) < 0)
		return -1;
	do
		got = pread(sp->fd, buf, n, (off_t)sp->rpos);
	while (got < 0 && errno == EINTR);
	if (got > 0)
		sp->rpos += (size_t)got;
	return (long)got;
}

int
sr_spool_copy(struct sr_spool *sp, FILE *out, char **err)
{
	char buf[SR_SPOOL_CHUNK];
	long n;

	if (sp->failed)
		return sr_err(err, "cannot write a temporary file: %s", strerror(sp->err_no));
	sp->rpos = 0;
	while ((n = sr_spool_read(sp, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
			return sr_err(err, "cannot write the output: %s", strerror(errno));
	if (n < 0)
		return sr_err(err, "cannot read a temporary file back: %s", strerror(errno));
	return 0;
}

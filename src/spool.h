/* SPDX-License-Identifier: MIT */
/* spool.h: bytes too many to hold in memory, kept in an unlinked temporary file meanwhile. */
#ifndef SR_SPOOL_H
#define SR_SPOOL_H

#include <stdio.h>

#include "util.h"

/*
 * Writers append to b with the sr_buf functions and call sr_spool_drain() now and then;
 * whatever b holds beyond SR_SPOOL_CHUNK then goes to the file. When no temporary file
 * can be made (no writable $TMPDIR or /tmp), or the file stops taking bytes (a full disk),
 * everything is kept in b instead: the same results, only more memory. failed is set only
 * when even that is impossible (the file cannot be read back).
 */
struct sr_spool {
	struct sr_buf b;	/* bytes not yet in the file */
	int fd;			/* -1: memory only */
	size_t flushed;		/* bytes already in the file */
	size_t rpos;		/* read position of sr_spool_read */
	int failed;		/* the contents are incomplete */
	int err_no;		/* its errno */
};

#define SR_SPOOL_CHUNK (64 * 1024)

/* Makes an empty spool in $TMPDIR (or /tmp); falls back to memory. Never fails. */
void sr_spool_init(struct sr_spool *sp);
/* Closes the file (it was never linked anywhere: nothing is left on disk). */
void sr_spool_done(struct sr_spool *sp);
/* Moves what b holds to the file once it is at least SR_SPOOL_CHUNK. 0, or -1 (failed). */
int sr_spool_drain(struct sr_spool *sp);
/* Appends n bytes. 0, or -1 once the contents are incomplete (failed). */
int sr_spool_write(struct sr_spool *sp, const void *p, size_t n);
/* The number of bytes written so far. */
size_t sr_spool_size(const struct sr_spool *sp);
/* Sequential reads from the start (an sr_store_read_fn): returns bytes given, 0 at the end. */
long sr_spool_read(void *sp, char *buf, size_t n);
/* Copies everything to out. 0, or -1 with *err naming what failed. */
int sr_spool_copy(struct sr_spool *sp, FILE *out, char **err);

#endif

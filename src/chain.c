/* SPDX-License-Identifier: MIT */
/* chain.c: SHA-256 hash chain of the timeline (nettle's SHA-256) and its checker. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "chain.h"

/* Finishes ctx into out as lowercase hex. */
static void
digest_hex(struct sha256_ctx *ctx, char out[SR_HASH_HEX])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_digest(ctx, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * SHA256_DIGEST_SIZE] = '\0';
}

void
sr_sha256_hex(const void *p, size_t n, char out[SR_HASH_HEX])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, n, p);
	digest_hex(&ctx, out);
}

/* "<length>:<bytes>," (a netstring): fields can hold any byte without ambiguity. */
static void
put_field(struct sha256_ctx *ctx, const char *s)
{
	char len[24];
	size_t n = s != NULL ? strlen(s) : 0;
	int m = snprintf(len, sizeof len, "%zu:", n);

	sha256_update(ctx, (size_t)m, (const uint8_t *)len);
	if (n > 0)
		sha256_update(ctx, n, (const uint8_t *)s);
	sha256_update(ctx, 1, (const uint8_t *)",");
}

void
sr_chain_hash(const char *prev, int64_t pos, const char *incident, sr_time at,
	      const char *actor, const char *kind, const char *detail, char out[SR_HASH_HEX])
{
	struct sha256_ctx ctx;
	char num[24];

	sha256_init(&ctx);
	put_field(&ctx, "sitrep-event-1");
	put_field(&ctx, prev);
	snprintf(num, sizeof num, "%" PRId64, pos);
	put_field(&ctx, num);
	put_field(&ctx, incident);
	snprintf(num, sizeof num, "%" PRId64, (int64_t)at);
	put_field(&ctx, num);
	put_field(&ctx, actor);
	put_field(&ctx, kind);
	put_field(&ctx, detail);
	digest_hex(&ctx, out);
}

const char *
sr_chain_problem_name(enum sr_chain_problem p)
{
	switch (p) {
	case SR_CHAIN_ALTERED:
		return "altered";
	case SR_CHAIN_DELETED:
		return "deleted";
	case SR_CHAIN_INSERTED:
		return "inserted";
	}
	return "?";
}

void
sr_chain_check_init(struct sr_chain_check *c)
{
	memset(c, 0, sizeof *c);
}

void
sr_chain_check_done(struct sr_chain_check *c)
{
	for (size_t i = 0; i < c->n_found; i++)
		free(c->found[i].text);
	free(c->found);
	memset(c, 0, sizeof *c);
}

static void
found(struct sr_chain_check *c, enum sr_chain_problem what, int64_t id, int64_t pos,
      const char *fmt, ...) SR_PRINTF(5, 6);

static void
found(struct sr_chain_check *c, enum sr_chain_problem what, int64_t id, int64_t pos,
      const char *fmt, ...)
{
	struct sr_chain_finding *f;
	va_list ap;

	c->found = sr_xgrow(c->found, &c->cap_found, c->n_found + 1, sizeof *c->found);
	f = &c->found[c->n_found++];
	snprintf(f->incident, sizeof f->incident, "%s", c->cur);
	f->what = what;
	f->event_id = id;
	f->pos = pos;
	va_start(ap, fmt);
	f->text = sr_xvasprintf(fmt, ap);
	va_end(ap);
	c->bad = 1;
}

/* The checks made once every row of the current incident was read. */
static void
finish(struct sr_chain_check *c)
{
	if (c->cur[0] == '\0' || c->bad)
		return;
	if (!c->has_head) {
		found(c, SR_CHAIN_DELETED, 0, 0, "its chain head (event count and last hash) is "
		      "missing: the record was deleted");
	} else if (c->k < c->head_n) {
		found(c, SR_CHAIN_DELETED, 0, c->k + 1, "event%s at position %" PRId64 "%s "
		      "deleted (the chain head records %" PRId64 " events, %" PRId64 " are left%s)",
		      c->head_n - c->k > 1 ? "s" : "", c->k + 1,
		      c->head_n - c->k > 1 ? " and after" : "", c->head_n, c->k,
		      c->k > 0 ? "" : ": the whole timeline");
	} else if (c->k == c->head_n && strcmp(c->prev, c->head) != 0) {
		found(c, SR_CHAIN_ALTERED, c->last_id, c->k, "event #%" PRId64 " (position %"
		      PRId64 ") altered: its hash was rewritten and no longer matches the chain "
		      "head", c->last_id, c->k);
	}
}

int
sr_chain_check_row(void *arg, const struct sr_chain_row *r)
{
	struct sr_chain_check *c = arg;
	char h[SR_HASH_HEX];
	int64_t pos;

	if (strcmp(r->incident, c->cur) != 0) {
		finish(c);
		snprintf(c->cur, sizeof c->cur, "%s", r->incident);
		c->bad = 0;
		c->k = 0;
		c->last_id = 0;
		c->prev[0] = '\0';
		c->has_head = r->head != NULL;
		c->head_n = r->head_n;
		snprintf(c->head, sizeof c->head, "%s", r->head != NULL ? r->head : "");
		c->incidents++;
	}
	if (r->id == 0)
		return 0;	/* an incident without events */
	c->events++;
	if (c->bad)
		return 0;	/* only the first problem of an incident is named */
	pos = c->k + 1;
	if (r->hash == NULL || r->pos <= 0) {
		found(c, SR_CHAIN_INSERTED, r->id, pos, "event #%" PRId64 " (\"%s\" at position %"
		      PRId64 ") inserted behind sitrep's back: it has no chain hash", r->id,
		      r->kind != NULL ? r->kind : "", pos);
	} else if (r->pos < pos) {
		found(c, SR_CHAIN_INSERTED, r->id, pos, "event #%" PRId64 " inserted behind "
		      "sitrep's back: it claims position %" PRId64 ", already taken by event #%"
		      PRId64, r->id, r->pos, c->last_id);
	} else if (c->has_head && pos > c->head_n) {
		found(c, SR_CHAIN_INSERTED, r->id, pos, "event #%" PRId64 " (position %" PRId64
		      ") inserted behind sitrep's back after the last recorded event (the chain "
		      "head records %" PRId64 ")", r->id, pos, c->head_n);
	} else if (r->pos > pos) {
		char range[32] = "";

		if (r->pos - pos > 1)
			snprintf(range, sizeof range, "..%" PRId64, r->pos - 1);
		found(c, SR_CHAIN_DELETED, r->id, pos, "event%s at position %" PRId64 "%s deleted "
		      "(just before event #%" PRId64 ", at position %" PRId64 ")",
		      r->pos - pos > 1 ? "s" : "", pos, range, r->id, r->pos);
	} else {
		sr_chain_hash(c->prev, pos, r->incident, r->at, r->actor, r->kind, r->detail, h);
		if (strcmp(h, r->hash) != 0)
			found(c, SR_CHAIN_ALTERED, r->id, pos, "event #%" PRId64 " (position %"
			      PRId64 ") altered: its content no longer matches its hash", r->id,
			      pos);
	}
	if (c->bad)
		return 0;
	snprintf(c->prev, sizeof c->prev, "%s", r->hash);
	c->k = pos;
	c->last_id = r->id;
	return 0;
}

void
sr_chain_check_end(struct sr_chain_check *c)
{
	finish(c);
	c->cur[0] = '\0';
}

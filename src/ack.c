/* SPDX-License-Identifier: MIT */
/* ack.c: acknowledgements as short silences (see ack.h). */
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "util.h"

char *
sr_ack_comment(const char *fmt, const char *incident, const char *user)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	for (const char *p = fmt; *p != '\0';) {
		if (strncmp(p, "{incident}", 10) == 0) {
			if (incident == NULL || *incident == '\0') {
				if (b.len > 0 && b.data[b.len - 1] == ' ' && p[10] == ' ')
					p++;	/* "ACK! {incident} by" -> "ACK! by" */
			} else {
				sr_buf_adds(&b, incident);
			}
			p += 10;
		} else if (strncmp(p, "{user}", 6) == 0) {
			sr_buf_adds(&b, user != NULL ? user : "");
			p += 6;
		} else {
			sr_buf_addc(&b, *p++);
		}
	}
	return sr_buf_steal(&b);
}

/*
 * Matches comment against fmt from fi and ci on: literal text must be equal, a field takes
 * the shortest text up to the next literal character (or the rest at the end). Recursive
 * on fields only, so a format has at most two levels.
 */
static int
match(const char *fmt, const char *c, char **incident, char **user)
{
	while (*fmt != '\0') {
		int is_inc = strncmp(fmt, "{incident}", 10) == 0;
		int is_user = strncmp(fmt, "{user}", 6) == 0;

		if (is_inc || is_user) {
			const char *rest = fmt + (is_inc ? 10 : 6);
			char **slot = is_inc ? incident : user;

			for (const char *e = c;; e++) {
				char *save = *slot;

				*slot = sr_xstrndup(c, (size_t)(e - c));
				if (match(rest, e, incident, user) ||
				    /* an empty incident dropped the space before it */
				    (is_inc && e == c && *rest == ' ' && match(rest + 1, e, incident, user))) {
					free(save);
					return 1;
				}
				free(*slot);
				*slot = save;
				if (*e == '\0')
					return 0;
			}
		}
		if (*fmt != *c)
			return 0;
		fmt++;
		c++;
	}
	return *c == '\0';
}

int
sr_ack_parse(const char *fmt, const char *comment, char **incident, char **user)
{
	const char *f = fmt;

	*incident = NULL;
	*user = NULL;
	if (fmt == NULL || comment == NULL)
		return 0;
	/* an empty incident also dropped the space before it: "ACK! by alice" */
	if (match(f, comment, incident, user)) {
		if (*incident == NULL)
			*incident = sr_xstrdup("");
		if (*user == NULL)
			*user = sr_xstrdup("");
		return 1;
	}
	free(*incident);
	free(*user);
	*incident = *user = NULL;
	return 0;
}

void
sr_ack_done(struct sr_ack *a)
{
	free(a->incident);
	free(a->user);
	memset(a, 0, sizeof(*a));
}

static int
cmp_id(const void *x, const void *y)
{
	const struct sr_am_silence *a = x, *b = y;

	return strcmp(a->id, b->id);
}

void
sr_ack_index(struct sr_am_silences *sil)
{
	if (sil->n > 1)
		qsort(sil->v, sil->n, sizeof(*sil->v), cmp_id);
}

int
sr_ack_of(const struct sr_am_alert *a, const struct sr_am_silences *sil, const char *fmt,
	  sr_time now, struct sr_ack *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < a->n_silenced_by; i++) {
		struct sr_am_silence key = { 0 };
		const struct sr_am_silence *s;

		key.id = a->silenced_by[i];
		s = sil->n > 0 ? bsearch(&key, sil->v, sil->n, sizeof(*sil->v), cmp_id) : NULL;
		if (s != NULL && strcmp(sr_am_silence_state(s, now), "active") == 0 &&
		    sr_ack_parse(fmt, s->comment, &out->incident, &out->user)) {
			out->silence = s;
			return 1;
		}
	}
	return 0;
}

char *
sr_ack_text(const struct sr_ack *a)
{
	if (a->incident != NULL && *a->incident != '\0')
		return sr_xasprintf("acked by %s (%s)", a->user, a->incident);
	return sr_xasprintf("acked by %s", a->user);
}

enum sr_ack_step
sr_ack_step(const struct sr_am_silence *s, int incident_open, int firing, sr_time now,
	    int64_t ack_for)
{
	if (strcmp(sr_am_silence_state(s, now), "expired") == 0)
		return SR_ACK_KEEP;
	if (!incident_open)
		return SR_ACK_EXPIRE;
	if (firing && s->ends_at - now < ack_for / 2)
		return SR_ACK_EXTEND;
	return SR_ACK_KEEP;
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

struct known {
	char *id;
	int open;
};

size_t
sr_ack_plan(const struct sr_am_silences *sil, const struct sr_am_alerts *al, const char *fmt,
	    sr_ack_incident_fn incident_open, void *arg, sr_time now, int64_t ack_for,
	    struct sr_ack_plan_item **out)
{
	const char **firing = NULL;
	size_t n_firing = 0, cap = 0, n = 0, n_known = 0;
	struct known *known = NULL;

	*out = NULL;
	/* the silences that still silence a firing alert, sorted for lookups */
	for (size_t i = 0; i < al->n; i++) {
		if (al->v[i].ends_at != 0 && al->v[i].ends_at <= now)
			continue;
		for (size_t k = 0; k < al->v[i].n_silenced_by; k++) {
			firing = sr_xgrow(firing, &cap, n_firing + 1, sizeof(*firing));
			firing[n_firing++] = al->v[i].silenced_by[k];
		}
	}
	if (n_firing > 1)
		qsort(firing, n_firing, sizeof(*firing), cmp_str);
	for (size_t i = 0; i < sil->n; i++) {
		const struct sr_am_silence *s = &sil->v[i];
		char *inc = NULL, *user = NULL;
		int open = -1;
		enum sr_ack_step step;
		size_t k;

		if (strcmp(sr_am_silence_state(s, now), "expired") == 0 ||
		    !sr_ack_parse(fmt, s->comment, &inc, &user) || *inc == '\0') {
			free(inc);
			free(user);
			continue;
		}
		free(user);
		for (k = 0; k < n_known && strcmp(known[k].id, inc) != 0; k++)
			;
		if (k == n_known) {	/* few incidents, many alerts: ask once each */
			known = sr_xrealloc(known, (n_known + 1) * sizeof(*known));
			known[n_known].id = sr_xstrdup(inc);
			known[n_known++].open = incident_open(arg, inc);
		}
		open = known[k].open;
		step = open < 0 ? SR_ACK_KEEP :
		       sr_ack_step(s, open, n_firing > 0 && bsearch(&s->id, firing, n_firing,
								     sizeof(*firing), cmp_str) != NULL,
				   now, ack_for);
		if (step == SR_ACK_KEEP) {
			free(inc);
			continue;
		}
		*out = sr_xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n].silence = i;
		(*out)[n].step = step;
		(*out)[n++].incident = inc;
	}
	for (size_t k = 0; k < n_known; k++)
		free(known[k].id);
	free(known);
	free(firing);
	return n;
}

void
sr_ack_plan_free(struct sr_ack_plan_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].incident);
	free(v);
}

char *
sr_ack_extend_body(const struct sr_am_silence *s, sr_time now, int64_t ack_for)
{
	return sr_am_silence_json(&s->matchers, s->starts_at, now + ack_for, s->created_by,
				  s->comment, s->id);
}

int64_t
sr_ack_tick_every(int64_t ack_for)
{
	int64_t e = ack_for / 6;

	return e < 5 ? 5 : e > 60 ? 60 : e;
}

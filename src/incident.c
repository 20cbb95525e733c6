/* SPDX-License-Identifier: MIT */
/* incident.c: incident lifecycle, SLA timers and escalation, as pure functions of "now". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "incident.h"
#include "text.h"
#include "oncall.h"

/* --- names --- */

static const char *const status_names[SR_STATUS_COUNT] = {
	[SR_ST_TRIGGERED] = "triggered",	   [SR_ST_ACKNOWLEDGED] = "acknowledged",
	[SR_ST_INVESTIGATING] = "investigating", [SR_ST_IDENTIFIED] = "identified",
	[SR_ST_MONITORING] = "monitoring",	   [SR_ST_RESOLVED] = "resolved",
	[SR_ST_CLOSED] = "closed",
};

static const char *const role_names[SR_ROLE_COUNT] = {
	[SR_ROLE_COMMANDER] = "commander",
	[SR_ROLE_COMMS] = "comms",
	[SR_ROLE_SCRIBE] = "scribe",
};

static const char *const event_names[] = {
#define X(id, name) [SR_EV_##id] = name,
	SR_EVENT_KINDS(X)
#undef X
};

static const char *const review_names[] = {
#define X(id, name) [SR_RV_##id] = name,
	SR_REVIEW_FIELDS(X)
#undef X
};

static const char *const action_kind_names[SR_ACTION_KIND_COUNT] = {
	[SR_AK_PREVENT] = "prevent",
	[SR_AK_MITIGATE] = "mitigate",
	[SR_AK_DETECT] = "detect",
	[SR_AK_PROCESS] = "process",
};

const char *
sr_status_name(enum sr_status s)
{
	return (unsigned)s < SR_STATUS_COUNT ? status_names[s] : "?";
}

/*
 * Parses name from names[n], ignoring case; a unique prefix of at least 3 characters is
 * enough ("inv" is investigating) so that a prompt or a command line needs no more. An ambiguous
 * prefix fails listing the names it fits; an unknown name lists the valid ones.
 */
static int
parse_name(const char *s, const char *const *names, size_t n, const char *what, int *out,
	   char **err)
{
	struct sr_buf b;
	size_t i, len = strlen(s), hits = 0;
	int pick = -1;

	for (i = 0; i < n; i++) {
		if (names[i] != NULL && sr_strcaseeq(s, names[i])) {
			*out = (int)i;
			return 0;
		}
	}
	for (i = 0; len >= 3 && i < n; i++)	/* "re" is too little to resolve by */
		if (names[i] != NULL && strlen(names[i]) > len && strncasecmp(s, names[i], len) == 0) {
			pick = (int)i;
			hits++;
		}
	if (hits == 1) {
		*out = pick;
		return 0;
	}
	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	for (i = 0; i < n; i++)
		if (names[i] != NULL && (hits < 2 || (strlen(names[i]) > len &&
						      strncasecmp(s, names[i], len) == 0)))
			sr_buf_printf(&b, "%s%s", b.len ? ", " : "", names[i]);
	if (hits > 1)
		sr_err(err, "ambiguous %s \"%s\": %s?", what, s, b.data);
	else
		sr_err(err, "bad %s \"%s\": expected one of %s", what, s, b.data);
	sr_buf_done(&b);
	return -1;
}

int
sr_status_parse(const char *s, enum sr_status *out, char **err)
{
	int v;

	if (parse_name(s, status_names, SR_STATUS_COUNT, "status", &v, err) != 0)
		return -1;
	*out = (enum sr_status)v;
	return 0;
}

const char *
sr_role_name(enum sr_role r)
{
	return (unsigned)r < SR_ROLE_COUNT ? role_names[r] : "?";
}

int
sr_role_parse(const char *s, enum sr_role *out, char **err)
{
	int v;

	/* Common spellings an engineer types at 3 a.m. */
	if (sr_strcaseeq(s, "ic") || sr_strcaseeq(s, "incident-commander"))
		s = "commander";
	else if (sr_strcaseeq(s, "comms-lead") || sr_strcaseeq(s, "comms_lead"))
		s = "comms";
	if (parse_name(s, role_names, SR_ROLE_COUNT, "role", &v, err) != 0)
		return -1;
	*out = (enum sr_role)v;
	return 0;
}

const char *
sr_review_name(enum sr_review f)
{
	return (unsigned)f < SR_REVIEW_COUNT ? review_names[f] : "?";
}

int
sr_review_parse(const char *s, enum sr_review *out)
{
	char norm[32];
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < sizeof norm; i++)
		norm[i] = s[i] == '-' ? '_' : s[i];
	norm[i] = '\0';
	for (i = 0; i < SR_REVIEW_COUNT; i++) {
		if (sr_strcaseeq(norm, review_names[i])) {
			*out = (enum sr_review)i;
			return 0;
		}
	}
	return -1;
}

const char *
sr_action_kind_name(enum sr_action_kind k)
{
	return (unsigned)k < SR_ACTION_KIND_COUNT ? action_kind_names[k] : "?";
}

int
sr_action_kind_parse(const char *s, enum sr_action_kind *out, char **err)
{
	int v;

	if (parse_name(s, action_kind_names, SR_ACTION_KIND_COUNT, "action kind", &v, err) != 0)
		return -1;
	*out = (enum sr_action_kind)v;
	return 0;
}

void
sr_action_done(struct sr_action *a)
{
	free(a->text);
	free(a->owner);
	free(a->done_by);
	memset(a, 0, sizeof *a);
}

void
sr_action_copy(struct sr_action *dst, const struct sr_action *src)
{
	*dst = *src;
	dst->text = sr_xstrdup(src->text);
	dst->owner = sr_xstrdup(src->owner);
	dst->done_by = sr_xstrdup(src->done_by);
}

void
sr_action_list_done(struct sr_action_list *l)
{
	SR_LIST_DONE(l, sr_action_done);
	memset(l, 0, sizeof *l);
}

struct sr_action *
sr_action_list_push(struct sr_action_list *l)
{
	l->v = sr_xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	return &l->v[l->n++];
}

const char *
sr_event_kind_name(enum sr_event_kind k)
{
	return (unsigned)k < SR_ARRAY_LEN(event_names) ? event_names[k] : "?";
}

int
sr_event_kind_parse(const char *s, enum sr_event_kind *out)
{
	for (size_t i = 0; i < SR_ARRAY_LEN(event_names); i++) {
		if (strcmp(s, event_names[i]) == 0) {
			*out = (enum sr_event_kind)i;
			return 0;
		}
	}
	return -1;
}

/* --- memory --- */

void
sr_incident_init(struct sr_incident *inc)
{
	memset(inc, 0, sizeof(*inc));
}

void
sr_incident_done(struct sr_incident *inc)
{
	free(inc->title);
	free(inc->service);
	free(inc->impact);
	free(inc->root_cause);
	free(inc->resolution);
	for (int i = 0; i < SR_ROLE_COUNT; i++)
		free(inc->roles[i]);
	sr_strv_free(inc->alerts, inc->n_alerts);
	for (int i = 0; i < SR_REVIEW_COUNT; i++)
		free(inc->review[i]);
	for (size_t i = 0; i < inc->n_actions; i++)
		sr_action_done(&inc->actions[i]);
	free(inc->actions);
	sr_incident_init(inc);
}

void
sr_incident_copy(struct sr_incident *dst, const struct sr_incident *src)
{
	*dst = *src;
	dst->title = sr_xstrdup(src->title);
	dst->service = sr_xstrdup(src->service);
	dst->impact = sr_xstrdup(src->impact);
	dst->root_cause = sr_xstrdup(src->root_cause);
	dst->resolution = sr_xstrdup(src->resolution);
	for (int i = 0; i < SR_ROLE_COUNT; i++)
		dst->roles[i] = sr_xstrdup(src->roles[i]);
	dst->alerts = NULL;
	if (src->n_alerts > 0) {
		dst->alerts = sr_xcalloc(src->n_alerts, sizeof(*dst->alerts));
		for (size_t i = 0; i < src->n_alerts; i++)
			dst->alerts[i] = sr_xstrdup(src->alerts[i]);
	}
	for (int i = 0; i < SR_REVIEW_COUNT; i++)
		dst->review[i] = sr_xstrdup(src->review[i]);
	dst->actions = NULL;
	if (src->n_actions > 0) {
		dst->actions = sr_xcalloc(src->n_actions, sizeof(*dst->actions));
		for (size_t i = 0; i < src->n_actions; i++)
			sr_action_copy(&dst->actions[i], &src->actions[i]);
	}
}

void
sr_incident_list_done(struct sr_incident_list *l)
{
	SR_LIST_DONE(l, sr_incident_done);
	free(l->skipped);
	memset(l, 0, sizeof(*l));
}

void
sr_skipped_add(char **skipped, char *msg)
{
	char *joined;

	if (*skipped == NULL) {
		*skipped = msg;
		return;
	}
	joined = sr_xasprintf("%s; %s", *skipped, msg);
	free(*skipped);
	free(msg);
	*skipped = joined;
}

struct sr_incident *
sr_incident_list_push(struct sr_incident_list *l)
{
	l->v = sr_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	sr_incident_init(&l->v[l->n]);
	return &l->v[l->n++];
}

void
sr_event_done(struct sr_event *ev)
{
	free(ev->actor);
	free(ev->detail);
	memset(ev, 0, sizeof(*ev));
}

/* --- a packed event list's strings: blocks filled one after the other --- */

#define POOL_BLOCK 65536

void
sr_event_list_pack(struct sr_event_list *l)
{
	if (l->pool == NULL)
		l->pool = sr_xcalloc(1, sizeof(*l->pool));	/* an empty block: packed from now on */
}

static char *
pool_alloc(struct sr_event_list *l, size_t n)
{
	return sr_block_alloc(&l->pool, NULL, n, POOL_BLOCK);
}

static char *
pool_vprintf(struct sr_event_list *l, const char *fmt, va_list ap)
{
	struct sr_block *p = l->pool;
	size_t room = p->cap - p->used;
	va_list aq;
	int k;
	char *s;

	va_copy(aq, ap);
	k = vsnprintf(room > 0 ? (char *)p->mem + p->used : NULL, room, fmt, aq);
	va_end(aq);
	if (k < 0)
		k = 0, fmt = "";
	if ((size_t)k < room) {	/* it fitted where it was written */
		p->used += (size_t)k + 1;
		return (char *)p->mem + p->used - (size_t)k - 1;
	}
	s = pool_alloc(l, (size_t)k + 1);
	vsnprintf(s, (size_t)k + 1, fmt, ap);
	return s;
}

void
sr_event_list_drop(struct sr_event_list *l, size_t from)
{
	while (l->n > from) {
		struct sr_event *ev = &l->v[--l->n];

		if (l->pool != NULL)
			memset(ev, 0, sizeof(*ev));	/* its strings go with the pool */
		else
			sr_event_done(ev);
	}
}

void
sr_event_list_done(struct sr_event_list *l)
{
	sr_event_list_drop(l, 0);
	free(l->v);
	free(l->skipped);
	sr_block_free(l->pool);
	memset(l, 0, sizeof(*l));
}

struct sr_event *
sr_event_list_add(struct sr_event_list *l, sr_time at, const char *actor,
		  enum sr_event_kind kind, const char *fmt, ...)
{
	struct sr_event *ev;
	va_list ap;

	l->v = sr_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	ev = &l->v[l->n++];
	memset(ev, 0, sizeof(*ev));
	ev->at = at;
	actor = actor ? actor : "sitrep";
	if (l->pool == NULL)
		ev->actor = sr_xstrdup(actor);
	else if (l->n > 1 && strcmp(l->v[l->n - 2].actor, actor) == 0)
		ev->actor = l->v[l->n - 2].actor;
	else
		ev->actor = strcpy(pool_alloc(l, strlen(actor) + 1), actor);
	ev->kind = kind;
	va_start(ap, fmt);
	ev->detail = l->pool == NULL ? sr_xvasprintf(fmt, ap) : pool_vprintf(l, fmt, ap);
	va_end(ap);
	/* a detail made of one-line fields (a title, a name) stays one line; a note and a
	 * multi-line field's new value keep their breaks (see text.h) */
	if (kind != SR_EV_NOTE && kind != SR_EV_FIELD)
		sr_text_flatten(ev->detail);
	return ev;
}

int
sr_incident_is_open(const struct sr_incident *inc)
{
	return inc->status != SR_ST_RESOLVED && inc->status != SR_ST_CLOSED;
}

/* --- timers --- */

/* A deadline whose clock stops at stop (0 = still running). Due at exactly now is not late. */
static void
deadline(struct sr_deadline *d, sr_time due, sr_time stop, sr_time now)
{
	d->due = due;
	d->running = stop == 0;
	d->left = due - (stop ? stop : now);
	d->breached = d->left < 0;
}

static int
level_due(const struct sr_incident *inc, const struct sr_config *cfg, sr_time now)
{
	int lvl = 0;

	for (int l = 1; l < SR_LEVEL_COUNT; l++)
		if (now >= inc->created_at + sr_config_escalate_after(cfg, inc->sev, l))
			lvl = l;
	return lvl;
}

void
sr_incident_timers(const struct sr_incident *inc, const struct sr_config *cfg, sr_time now,
		   struct sr_timers *out)
{
	const struct sr_sev_policy *p = &cfg->sev[inc->sev];
	sr_time done = inc->resolved_at ? inc->resolved_at : inc->closed_at;
	sr_time responded = inc->acked_at ? inc->acked_at : done;

	memset(out, 0, sizeof(*out));
	deadline(&out->respond, inc->created_at + p->respond, responded, now);
	deadline(&out->resolve, inc->created_at + p->resolve, done, now);
	if (sr_incident_is_open(inc)) {
		sr_time base = inc->last_update_at ? inc->last_update_at : inc->created_at;

		deadline(&out->update, base + p->update_every, 0, now);
	}

	out->due_level = sr_incident_level_now(inc, cfg, now);
	if (inc->status == SR_ST_TRIGGERED) {
		if (out->due_level + 1 < SR_LEVEL_COUNT)
			out->next_escalation = inc->created_at +
					       sr_config_escalate_after(cfg, inc->sev,
									out->due_level + 1);
	}
}

/* --- lifecycle --- */

static int
refuse_closed(const struct sr_incident *inc, const char *what, char **err)
{
	if (inc->status == SR_ST_CLOSED)
		return sr_err(err, "%s is closed: cannot %s", inc->id, what);
	return 0;
}

static int
refuse_done(const struct sr_incident *inc, const char *what, char **err)
{
	if (!sr_incident_is_open(inc))
		return sr_err(err, "%s is %s: cannot %s", inc->id, sr_status_name(inc->status),
			      what);
	return 0;
}

static int
nonempty(const char *s, const char *what, char **err)
{
	if (s == NULL || s[strspn(s, " \t\n")] == '\0')
		return sr_err(err, "%s must not be empty", what);
	return 0;
}

int
sr_incident_new(struct sr_incident *inc, const char *title, const char *service,
		enum sr_sev sev, const char *impact, const char *actor, sr_time now,
		struct sr_event_list *ev, char **err)
{
	if (nonempty(title, "title", err) != 0)
		return -1;
	if ((unsigned)sev >= SR_SEV_COUNT)
		return sr_err(err, "bad severity %d: expected P1..P4", (int)sev);
	sr_incident_init(inc);
	inc->title = sr_xstrdup(title);
	inc->service = sr_xstrdup(service);
	inc->impact = sr_xstrdup(impact);
	inc->sev = sev;
	inc->status = SR_ST_TRIGGERED;
	inc->level = 0;
	inc->created_at = now;
	inc->year = sr_time_year(now);
	if (service != NULL)
		sr_event_list_add(ev, now, actor, SR_EV_CREATED, "created %s: %s (service %s)",
				  sr_sev_name(sev), title, service);
	else
		sr_event_list_add(ev, now, actor, SR_EV_CREATED, "created %s: %s",
				  sr_sev_name(sev), title);
	return 0;
}

static void
do_ack(struct sr_incident *inc, const char *actor, sr_time now, struct sr_event_list *ev)
{
	inc->status = SR_ST_ACKNOWLEDGED;
	inc->acked_at = now;
	sr_event_list_add(ev, now, actor, SR_EV_ACKNOWLEDGED, "acknowledged by %s at L%d",
			  actor ? actor : "sitrep", inc->level + 1);
}

int
sr_incident_ack(struct sr_incident *inc, const char *actor, sr_time now,
		struct sr_event_list *ev, char **err)
{
	if (refuse_done(inc, "acknowledge", err) != 0)
		return -1;
	if (inc->status != SR_ST_TRIGGERED)
		return sr_err(err, "%s is already acknowledged (status %s)", inc->id,
			      sr_status_name(inc->status));
	do_ack(inc, actor, now, ev);
	return 0;
}

int
sr_incident_set_status(struct sr_incident *inc, enum sr_status st, const char *actor,
		       sr_time now, struct sr_event_list *ev, char **err)
{
	enum sr_status old = inc->status;

	if ((unsigned)st >= SR_STATUS_COUNT)
		return sr_err(err, "bad status %d", (int)st);
	if (st == old)
		return sr_err(err, "%s is already %s", inc->id, sr_status_name(st));
	switch (st) {
	case SR_ST_TRIGGERED:
		return sr_err(err, "%s: cannot go back to triggered (an incident is triggered "
				   "only once)", inc->id);
	case SR_ST_ACKNOWLEDGED:
		return sr_incident_ack(inc, actor, now, ev, err);
	case SR_ST_RESOLVED:
		return sr_incident_resolve(inc, NULL, NULL, actor, now, ev, err);
	case SR_ST_CLOSED:
		return sr_incident_close(inc, actor, now, ev, err);
	default:
		break;
	}
	if (refuse_closed(inc, "change its status", err) != 0)
		return -1;
	if (old == SR_ST_TRIGGERED)	/* working on it implies acknowledging it */
		do_ack(inc, actor, now, ev);
	if (old == SR_ST_RESOLVED) {
		inc->resolved_at = 0;
		sr_event_list_add(ev, now, actor, SR_EV_STATUS, "status resolved -> %s (reopened)",
				  sr_status_name(st));
	} else {
		sr_event_list_add(ev, now, actor, SR_EV_STATUS, "status %s -> %s",
				  sr_status_name(inc->status), sr_status_name(st));
	}
	inc->status = st;
	return 0;
}

int
sr_incident_set_sev(struct sr_incident *inc, enum sr_sev sev, const char *actor, sr_time now,
		    struct sr_event_list *ev, char **err)
{
	if (refuse_closed(inc, "change its severity", err) != 0)
		return -1;
	if ((unsigned)sev >= SR_SEV_COUNT)
		return sr_err(err, "bad severity %d: expected P1..P4", (int)sev);
	if (sev == inc->sev)
		return sr_err(err, "%s is already %s", inc->id, sr_sev_name(sev));
	sr_event_list_add(ev, now, actor, SR_EV_SEVERITY,
			  "severity %s -> %s (deadlines re-based from creation)",
			  sr_sev_name(inc->sev), sr_sev_name(sev));
	inc->sev = sev;
	return 0;
}

int
sr_incident_note(struct sr_incident *inc, const char *text, const char *actor, sr_time now,
		 struct sr_event_list *ev, char **err)
{
	if (nonempty(text, "note", err) != 0)
		return -1;
	sr_event_list_add(ev, now, actor, SR_EV_NOTE, "%s", text);
	return 0;
}

int
sr_incident_assign(struct sr_incident *inc, enum sr_role role, const char *name,
		   const char *actor, sr_time now, struct sr_event_list *ev, char **err)
{
	if (refuse_closed(inc, "assign roles", err) != 0 || nonempty(name, "name", err) != 0)
		return -1;
	if ((unsigned)role >= SR_ROLE_COUNT)
		return sr_err(err, "bad role %d", (int)role);
	if (inc->roles[role] != NULL && strcmp(inc->roles[role], name) == 0)
		return sr_err(err, "%s: %s is already %s", inc->id, name, sr_role_name(role));
	if (inc->roles[role] != NULL)
		sr_event_list_add(ev, now, actor, SR_EV_ROLE, "%s: %s -> %s", sr_role_name(role),
				  inc->roles[role], name);
	else
		sr_event_list_add(ev, now, actor, SR_EV_ROLE, "%s: %s", sr_role_name(role), name);
	sr_set_str(&inc->roles[role], name);
	return 0;
}

/* A review field: the review happens after the incident, so closed is no obstacle. */
static int
set_review(struct sr_incident *inc, enum sr_review f, const char *value, const char *actor,
	   sr_time now, struct sr_event_list *ev, char **err)
{
	char ts[32];

	if (nonempty(value, review_names[f], err) != 0)
		return -1;
	if (f == SR_RV_REVIEW_AT) {
		sr_time t;

		if (sr_time_parse(value, &t, err) != 0)
			return -1;
		value = sr_time_format(t, ts, sizeof ts);
	}
	sr_event_list_add(ev, now, actor, SR_EV_FIELD, "%s: %s", review_names[f], value);
	sr_set_str(&inc->review[f], value);
	return 0;
}

int
sr_incident_action_add(struct sr_incident *inc, const char *text, const char *owner,
		       sr_time due, enum sr_action_kind kind, const char *actor, sr_time now,
		       struct sr_event_list *ev, char **err)
{
	struct sr_action *a;
	char ts[32];

	if (nonempty(text, "action item", err) != 0 || nonempty(owner, "owner", err) != 0)
		return -1;
	if ((unsigned)kind >= SR_ACTION_KIND_COUNT)
		return sr_err(err, "bad action kind %d", (int)kind);
	if (due <= 0)
		return sr_err(err, "an action item needs a due date");
	inc->actions = sr_xrealloc(inc->actions, (inc->n_actions + 1) * sizeof *inc->actions);
	a = &inc->actions[inc->n_actions++];
	memset(a, 0, sizeof *a);
	snprintf(a->incident, sizeof a->incident, "%s", inc->id);
	a->text = sr_xstrdup(text);
	a->owner = sr_xstrdup(owner);
	a->kind = kind;
	a->due = due;
	a->created_at = now;
	a->dirty = 1;
	sr_event_list_add(ev, now, actor, SR_EV_ACTION, "action added (%s, owner %s, due %s): %s",
			  action_kind_names[kind], owner, sr_time_format(due, ts, sizeof ts), text);
	return 0;
}

int
sr_incident_action_done(struct sr_incident *inc, int64_t id, const char *actor, sr_time now,
			struct sr_event_list *ev, char **err)
{
	for (size_t i = 0; i < inc->n_actions; i++) {
		struct sr_action *a = &inc->actions[i];

		if (a->id != id)
			continue;
		if (a->done_at != 0)
			return sr_err(err, "action %lld of %s is already done", (long long)id,
				      inc->id);
		a->done_at = now;
		sr_set_str(&a->done_by, actor);
		a->dirty = 1;
		sr_event_list_add(ev, now, actor, SR_EV_ACTION, "action A%lld done: %s",
				  (long long)id, a->text);
		return 0;
	}
	return sr_err(err, "%s has no action item %lld", inc->id, (long long)id);
}

int
sr_incident_set_field(struct sr_incident *inc, const char *field, const char *value,
		      const char *actor, sr_time now, struct sr_event_list *ev, char **err)
{
	char **dst;
	enum sr_review rv;

	if (sr_review_parse(field, &rv) == 0)
		return set_review(inc, rv, value, actor, now, ev, err);
	if (refuse_closed(inc, "change it", err) != 0 || nonempty(value, field, err) != 0)
		return -1;
	if (strcmp(field, "impact") == 0)
		dst = &inc->impact;
	else if (strcmp(field, "cause") == 0)
		dst = &inc->root_cause;
	else if (strcmp(field, "resolution") == 0)
		dst = &inc->resolution;
	else
		return sr_err(err, "unknown field \"%s\": expected impact, cause, resolution, "
			      "summary, trigger, detection, went_well, went_wrong, lucky or "
			      "review_at", field);
	sr_event_list_add(ev, now, actor, SR_EV_FIELD, "%s: %s", field, value);
	sr_set_str(dst, value);
	return 0;
}

/* The event names the level's contact, or who was on call in its rotation at that moment. */
static void
escalation_event(struct sr_incident *inc, const struct sr_config *cfg, int to, int delta,
		 const char *actor, sr_time at, const char *why, const struct sr_override *ov,
		 size_t n_ov, struct sr_event_list *ev)
{
	const struct sr_level *l = &cfg->level[to];
	char *contact = sr_oncall_level_contact(cfg, to, at, ov, n_ov);

	sr_event_list_add(ev, at, actor, delta > 0 ? SR_EV_ESCALATED : SR_EV_DEESCALATED,
			  "%s L%d -> L%d (%s, %s)%s", delta > 0 ? "escalated" : "de-escalated",
			  inc->level + 1, to + 1, l->name ? l->name : "", contact, why);
	free(contact);
	inc->level = to;
}

int
sr_incident_escalate(struct sr_incident *inc, int delta, const struct sr_config *cfg,
		     const char *actor, sr_time now, struct sr_event_list *ev, char **err)
{
	return sr_incident_escalate_oncall(inc, delta, cfg, NULL, 0, actor, now, ev, err);
}

int
sr_incident_escalate_oncall(struct sr_incident *inc, int delta, const struct sr_config *cfg,
			    const struct sr_override *ov, size_t n_ov, const char *actor,
			    sr_time now, struct sr_event_list *ev, char **err)
{
	int to = inc->level + (delta > 0 ? 1 : -1);

	if (refuse_done(inc, delta > 0 ? "escalate" : "de-escalate", err) != 0)
		return -1;
	if (to >= SR_LEVEL_COUNT)
		return sr_err(err, "%s is already at the top level L%d", inc->id,
			      SR_LEVEL_COUNT);
	if (to < 0)
		return sr_err(err, "%s is already at L1: cannot de-escalate", inc->id);
	escalation_event(inc, cfg, to, delta, actor, now, "", ov, n_ov, ev);
	return 0;
}

int
sr_incident_link_alert(struct sr_incident *inc, const char *fingerprint, const char *what,
		       const char *actor, sr_time now, struct sr_event_list *ev, char **err)
{
	if (refuse_closed(inc, "link alerts", err) != 0 ||
	    nonempty(fingerprint, "alert fingerprint", err) != 0)
		return -1;
	for (size_t i = 0; i < inc->n_alerts; i++)
		if (strcmp(inc->alerts[i], fingerprint) == 0)
			return sr_err(err, "%s: alert %s is already linked", inc->id, fingerprint);
	inc->alerts = sr_xrealloc(inc->alerts, (inc->n_alerts + 1) * sizeof(*inc->alerts));
	inc->alerts[inc->n_alerts++] = sr_xstrdup(fingerprint);
	sr_event_list_add(ev, now, actor, SR_EV_ALERT_LINKED, "alert %s linked%s%s", fingerprint,
			  what ? ": " : "", what ? what : "");
	return 0;
}

int
sr_incident_update_sent(struct sr_incident *inc, const char *channel, const char *actor,
			sr_time now, struct sr_event_list *ev, char **err)
{
	return sr_incident_update_sent_text(inc, channel, NULL, actor, now, ev, err);
}

int
sr_incident_update_sent_text(struct sr_incident *inc, const char *channel, const char *text,
			     const char *actor, sr_time now, struct sr_event_list *ev, char **err)
{
	if (refuse_done(inc, "send a status update", err) != 0)
		return -1;
	inc->last_update_at = now;
	sr_event_list_add(ev, now, actor, SR_EV_UPDATE_SENT, "status update sent%s%s%s%s",
			  channel ? " to " : "", channel ? channel : "", text ? ": " : "",
			  text ? text : "");
	return 0;
}

int
sr_incident_check_item(struct sr_incident *inc, const char *runbook, int item,
		       const char *text, int done, const char *actor, sr_time now,
		       struct sr_event_list *ev, char **err)
{
	if (refuse_closed(inc, "tick checklist items", err) != 0 ||
	    nonempty(runbook, "runbook", err) != 0)
		return -1;
	if (item < 1)
		return sr_err(err, "checklist item numbers start at 1 (got %d)", item);
	sr_event_list_add(ev, now, actor, SR_EV_CHECKLIST, "%s #%d [%c] %s", runbook, item,
			  done ? 'x' : ' ', text ? text : "");
	return 0;
}

int
sr_incident_resolve(struct sr_incident *inc, const char *cause, const char *resolution,
		    const char *actor, sr_time now, struct sr_event_list *ev, char **err)
{
	if (refuse_done(inc, "resolve it", err) != 0)
		return -1;
	/* Validate both before changing anything, so a failure leaves inc as it was. */
	if ((cause != NULL && nonempty(cause, "cause", err) != 0) ||
	    (resolution != NULL && nonempty(resolution, "resolution", err) != 0))
		return -1;
	if (cause != NULL && sr_incident_set_field(inc, "cause", cause, actor, now, ev, err) != 0)
		return -1;
	if (resolution != NULL &&
	    sr_incident_set_field(inc, "resolution", resolution, actor, now, ev, err) != 0)
		return -1;
	sr_event_list_add(ev, now, actor, SR_EV_RESOLVED, "resolved (was %s)",
			  sr_status_name(inc->status));
	inc->status = SR_ST_RESOLVED;
	inc->resolved_at = now;
	return 0;
}

int
sr_incident_close(struct sr_incident *inc, const char *actor, sr_time now,
		  struct sr_event_list *ev, char **err)
{
	if (inc->status == SR_ST_CLOSED)
		return sr_err(err, "%s is already closed", inc->id);
	if (inc->status != SR_ST_RESOLVED)
		return sr_err(err, "%s is %s: resolve it before closing", inc->id,
			      sr_status_name(inc->status));
	sr_event_list_add(ev, now, actor, SR_EV_CLOSED, "closed");
	inc->status = SR_ST_CLOSED;
	inc->closed_at = now;
	return 0;
}

int
sr_incident_level_now(const struct sr_incident *inc, const struct sr_config *cfg, sr_time now)
{
	int lvl = inc->status == SR_ST_TRIGGERED ? level_due(inc, cfg, now) : 0;

	return lvl > inc->level ? lvl : inc->level;
}

int
sr_incident_tick_due(const struct sr_incident *inc, const struct sr_config *cfg, sr_time now)
{
	return inc->status == SR_ST_TRIGGERED && level_due(inc, cfg, now) > inc->level;
}

int
sr_incident_tick(struct sr_incident *inc, const struct sr_config *cfg, sr_time now,
		 struct sr_event_list *ev)
{
	return sr_incident_tick_oncall(inc, cfg, NULL, 0, now, ev);
}

int
sr_incident_tick_oncall(struct sr_incident *inc, const struct sr_config *cfg,
			const struct sr_override *ov, size_t n_ov, sr_time now,
			struct sr_event_list *ev)
{
	int due, changed = 0;

	if (!sr_incident_tick_due(inc, cfg, now))
		return 0;
	due = level_due(inc, cfg, now);
	while (inc->level < due) {
		int to = inc->level + 1;
		int64_t wait = sr_config_escalate_after(cfg, inc->sev, to);
		char why[64], d[24];

		snprintf(why, sizeof(why), ": unacknowledged for %s",
			 sr_duration_format(wait, d, sizeof(d)));
		escalation_event(inc, cfg, to, 1, "sitrep", inc->created_at + wait, why, ov, n_ov,
				 ev);
		changed = 1;
	}
	return changed;
}

/* --- acknowledgement timeout --- */

static int
acked_open(const struct sr_incident *inc, const struct sr_config *cfg)
{
	return inc->acked_at != 0 && inc->status != SR_ST_TRIGGERED && sr_incident_is_open(inc) &&
	       cfg->sev[inc->sev].ack_timeout > 0;
}

static int
work_sign(enum sr_event_kind k)
{
	switch (k) {
	case SR_EV_ACKNOWLEDGED:
	case SR_EV_STATUS:
	case SR_EV_SEVERITY:
	case SR_EV_NOTE:
	case SR_EV_UPDATE_SENT:
	case SR_EV_ESCALATED:
	case SR_EV_REMINDER:
		return 1;
	default:
		return 0;
	}
}

sr_time
sr_incident_ack_timeout_at(const struct sr_incident *inc, const struct sr_config *cfg,
			   const struct sr_event *tl, size_t n)
{
	sr_time last;

	if (!acked_open(inc, cfg))
		return 0;
	last = inc->acked_at;
	for (size_t i = 0; i < n; i++)
		if (work_sign(tl[i].kind) && tl[i].at > last &&
		    (tl[i].incident[0] == '\0' || strcmp(tl[i].incident, inc->id) == 0))
			last = tl[i].at;
	return last + cfg->sev[inc->sev].ack_timeout;
}

int
sr_incident_ack_maybe_due(const struct sr_incident *inc, const struct sr_config *cfg,
			  sr_time now)
{
	return acked_open(inc, cfg) && inc->acked_at + cfg->sev[inc->sev].ack_timeout <= now;
}

int
sr_incident_ack_remind(struct sr_incident *inc, const struct sr_config *cfg,
		       const struct sr_event *tl, size_t n, const struct sr_override *ov,
		       size_t n_ov, sr_time now, struct sr_event_list *ev)
{
	const struct sr_sev_policy *pol = &cfg->sev[inc->sev];
	sr_time due = sr_incident_ack_timeout_at(inc, cfg, tl, n);
	char d[24], why[64];

	if (due == 0 || due > now)
		return 0;
	sr_duration_format(now - (due - pol->ack_timeout), d, sizeof(d));
	sr_event_list_add(ev, now, "sitrep", SR_EV_REMINDER, "acknowledged, no update for %s "
			  "(ack timeout %s%s)", d, sr_duration_format(pol->ack_timeout, why,
								     sizeof(why)),
			  pol->ack_timeout_escalate && inc->level + 1 < SR_LEVEL_COUNT ?
			  ": escalating" : "");
	if (pol->ack_timeout_escalate && inc->level + 1 < SR_LEVEL_COUNT) {
		snprintf(why, sizeof(why), ": acknowledged, no update for %s", d);
		escalation_event(inc, cfg, inc->level + 1, 1, "sitrep", now, why, ov, n_ov, ev);
	}
	return 1;
}

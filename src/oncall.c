/* SPDX-License-Identifier: MIT */
/* oncall.c: rotation schedules in local wall-clock time, overrides laid over them. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "ical.h"
#include "oncall.h"
#include "util.h"

/* --- lists --- */

void
sr_shift_list_init(struct sr_shift_list *l)
{
	memset(l, 0, sizeof(*l));
}

void
sr_shift_list_done(struct sr_shift_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].who);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
sr_shift_list_add(struct sr_shift_list *l, sr_time from, sr_time until, const char *who)
{
	struct sr_shift *s;

	l->v = sr_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	s = &l->v[l->n++];
	s->from = from;
	s->until = until;
	s->who = sr_xstrdup(who);
	s->override_id = 0;
}

static int
shift_cmp(const void *a, const void *b)
{
	const struct sr_shift *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->until != y->until)
		return x->until < y->until ? -1 : 1;
	return 0;
}

void
sr_shift_list_sort(struct sr_shift_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), shift_cmp);
}

void
sr_override_list_init(struct sr_override_list *l)
{
	memset(l, 0, sizeof(*l));
}

void
sr_override_done(struct sr_override *o)
{
	free(o->rotation);
	free(o->who);
	free(o->created_by);
	memset(o, 0, sizeof(*o));
}

void
sr_override_list_done(struct sr_override_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		sr_override_done(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
sr_override_list_add(struct sr_override_list *l, const struct sr_override *o)
{
	struct sr_override *d;

	l->v = sr_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	d = &l->v[l->n++];
	*d = *o;
	d->rotation = o->rotation ? sr_xstrdup(o->rotation) : NULL;
	d->who = o->who ? sr_xstrdup(o->who) : NULL;
	d->created_by = o->created_by ? sr_xstrdup(o->created_by) : NULL;
}

/* Case-insensitive order of rotation names (equal exactly when sr_strcaseeq says so). */
static int
rot_cmp(const char *a, const char *b)
{
	return strcasecmp(a, b);
}

static int
override_cmp(const void *x, const void *y)
{
	const struct sr_override *a = x, *b = y;
	int c = rot_cmp(a->rotation, b->rotation);

	if (c != 0)
		return c;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

void
sr_override_list_by_rotation(struct sr_override_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), override_cmp);
}

const struct sr_override *
sr_overrides_of(const struct sr_override *v, size_t n_v, const char *rotation, size_t *n)
{
	size_t lo = 0, hi = n_v, end;

	while (lo < hi) {	/* the first of rotation's run */
		size_t mid = lo + (hi - lo) / 2;

		if (rot_cmp(v[mid].rotation, rotation) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < n_v && rot_cmp(v[end].rotation, rotation) == 0; end++)
		;
	*n = end - lo;
	return n_v > 0 ? v + lo : v;
}

void
sr_oncall_now_done(struct sr_oncall_now *o)
{
	free(o->who);
	free(o->next);
	memset(o, 0, sizeof(*o));
}

/* --- handoff and zone names --- */

static const char *const day_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"
};

int
sr_oncall_parse_handoff(const char *s, int *wday, int *minute, char **err)
{
	const char *p = s;
	int d = -1, h = 0, m = 0, nd = 0;

	while (*p == ' ')
		p++;
	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
		size_t n = 0;
		char w[16];

		while (n < sizeof(w) - 1 && ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))) {
			w[n] = (char)(p[n] | 0x20);
			n++;
		}
		w[n] = '\0';
		for (int i = 0; i < 7 && n >= 3; i++)
			if (strncmp(day_names[i], w, n) == 0)
				d = i;
		if (d < 0)
			goto bad;
		p += n;
		if (*p != ' ' && *p != '\t')
			goto bad;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	while (*p >= '0' && *p <= '9' && nd < 2) {
		h = h * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0 || *p++ != ':' || !(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9'))
		goto bad;
	m = (p[0] - '0') * 10 + (p[1] - '0');
	p += 2;
	while (*p == ' ')
		p++;
	if (*p != '\0' || h > 23 || m > 59)
		goto bad;
	*wday = d;
	*minute = h * 60 + m;
	return 0;
bad:
	return sr_err(err, "bad handoff \"%s\": expected a day and a time such as \"mon 09:00\", "
		      "or a time such as \"09:00\" for every day", s);
}

static const char *
tz_dir(void)
{
	const char *d = getenv("TZDIR");

	return d != NULL && *d != '\0' ? d : "/usr/share/zoneinfo";
}

int
sr_oncall_tz_valid(const char *name)
{
	char *path;
	int ok;

	if (name == NULL || *name == '\0' || name[0] == '/' || strstr(name, "..") != NULL ||
	    strpbrk(name, " \t,") != NULL)
		return 0;
	path = sr_xasprintf("%s/%s", tz_dir(), name);
	ok = access(path, R_OK) == 0;
	free(path);
	return ok;
}

/* --- local wall-clock time --- */

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* A conversion asked of the tz database: to_utc from a local date/minute, or back. */
struct tz_job {
	int to_utc;
	int64_t day;		/* local days since 1970-01-01 */
	int minute;		/* local minutes after midnight */
	sr_time t;		/* UTC */
	char *text;		/* when not NULL (from UTC only): "Mon 2026-11-30 09:00 CET" */
	size_t text_n;
};

/* Runs the conversions under whatever zone TZ names now (see tz_scope). */
static void
tz_run(struct tz_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct tz_job *j = &jobs[i];
		struct tm tm;

		memset(&tm, 0, sizeof(tm));
		if (j->to_utc) {
			int y, m, d;

			civil_from_days(j->day, &y, &m, &d);
			tm.tm_year = y - 1900;
			tm.tm_mon = m - 1;
			tm.tm_mday = d;
			tm.tm_hour = j->minute / 60;
			tm.tm_min = j->minute % 60;
			tm.tm_isdst = -1;
			j->t = (sr_time)mktime(&tm);
		} else {
			time_t tt = (time_t)j->t;

			localtime_r(&tt, &tm);
			if (j->text != NULL &&
			    strftime(j->text, j->text_n, "%a %Y-%m-%d %H:%M %Z", &tm) == 0)
				j->text[0] = '\0';
			j->day = sr_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
			j->minute = tm.tm_hour * 60 + tm.tm_min;
		}
	}
}

/*
 * The one function in src/ that touches process-global state: the C library converts local
 * time only in the zone named by the TZ environment variable. It sets TZ to zone, runs body
 * (which converts with tz_run), and puts TZ back as it was before returning, so no caller
 * sees the change. (sitrep is single-threaded; see docs/architecture.md.) zone NULL: the
 * system's. glibc re-reads a zone file only when TZ changes: two reads per scope.
 */
static void
tz_scope(const char *zone, void (*body)(void *arg), void *arg)
{
	char *saved = NULL, *want = NULL;
	const char *old = getenv("TZ");

	if (zone != NULL) {
		saved = old != NULL ? sr_xstrdup(old) : NULL;
		want = sr_xasprintf(":%s", zone);
		setenv("TZ", want, 1);
	}
	tzset();
	body(arg);
	if (zone != NULL) {
		if (saved != NULL)
			setenv("TZ", saved, 1);
		else
			unsetenv("TZ");
		tzset();
	}
	free(saved);
	free(want);
}

static void
local_body(void *arg)
{
	tz_run(arg, 1);
}

char *
sr_oncall_local(sr_time t, const char *zone, char *buf, size_t n)
{
	struct tz_job j;

	memset(&j, 0, sizeof(j));
	j.t = t;
	j.text = buf;
	j.text_n = n;
	if (n > 0)
		buf[0] = '\0';
	if (zone == NULL || sr_oncall_tz_valid(zone))
		tz_scope(zone, local_body, &j);
	return buf;
}

/* --- member rotations --- */

struct shifts_job {
	const struct sr_rotation *rot;
	sr_time from, until;
	int64_t anchor, len_days, k0;
	struct tz_job *jobs;
	size_t nj;
};

/* Under the rotation's zone: the local dates of from and until, then every handoff between. */
static void
shifts_body(void *arg)
{
	struct shifts_job *x = arg;
	struct tz_job probe[2];
	int64_t k1;

	memset(probe, 0, sizeof(probe));
	probe[0].t = x->from;
	probe[1].t = x->until;
	tz_run(probe, 2);
	/* shift numbers around from and until, one shift of slack each side */
	x->k0 = floor_div(probe[0].day - x->anchor, x->len_days) - 1;
	k1 = floor_div(probe[1].day - x->anchor, x->len_days) + 1;
	x->nj = (size_t)(k1 - x->k0 + 1);
	x->jobs = sr_xcalloc(x->nj, sizeof(*x->jobs));
	for (size_t i = 0; i < x->nj; i++) {
		x->jobs[i].to_utc = 1;
		x->jobs[i].day = x->anchor + (x->k0 + (int64_t)i) * x->len_days;
		x->jobs[i].minute = x->rot->handoff_min;
	}
	tz_run(x->jobs, x->nj);
}

int
sr_rotation_shifts(const struct sr_rotation *rot, const char *tz_default, sr_time from,
		   sr_time until, struct sr_shift_list *out, char **err)
{
	const char *zone = rot->timezone != NULL ? rot->timezone : tz_default;
	struct shifts_job x;

	if (rot->n_members == 0)
		return sr_err(err, "rotation %s has no members", rot->name);
	if (rot->length < 86400)
		return sr_err(err, "rotation %s: length must be whole days", rot->name);
	if (zone != NULL && !sr_oncall_tz_valid(zone))
		return sr_err(err, "rotation %s: unknown timezone \"%s\"", rot->name, zone);
	if (until <= from)
		return 0;
	memset(&x, 0, sizeof(x));
	x.rot = rot;
	x.from = from;
	x.until = until;
	x.len_days = rot->length / 86400;
	/* The first boundary day: the first handoff weekday on or after start. */
	x.anchor = rot->start_day;
	if (rot->handoff_wday >= 0)	/* 1970-01-01 was a Thursday */
		x.anchor += ((rot->handoff_wday - (x.anchor + 4) % 7) % 7 + 7) % 7;
	tz_scope(zone, shifts_body, &x);
	for (size_t i = 0; i + 1 < x.nj; i++) {
		int64_t k = x.k0 + (int64_t)i, n = (int64_t)rot->n_members;
		int64_t idx = ((k % n) + n) % n;

		if (x.jobs[i + 1].t <= from || x.jobs[i].t >= until)
			continue;
		sr_shift_list_add(out, x.jobs[i].t, x.jobs[i + 1].t, rot->members[idx]);
	}
	free(x.jobs);
	return 0;
}

/* --- overrides laid over the base --- */

static int
time_cmp(const void *a, const void *b)
{
	sr_time x = *(const sr_time *)a, y = *(const sr_time *)b;

	return x < y ? -1 : x > y;
}

void
sr_oncall_effective(const struct sr_shift_list *base, const char *rotation,
		    const struct sr_override *ov, size_t n_ov, sr_time from, sr_time until,
		    struct sr_shift_list *out)
{
	const struct sr_override **mine = NULL;
	size_t n_mine = 0, n_pts = 0, first = out->n, bi = 0;
	sr_time *pts;

	if (until <= from)
		return;
	mine = sr_xcalloc(n_ov + 1, sizeof(*mine));
	pts = sr_xcalloc(2 * (base->n + n_ov) + 2, sizeof(*pts));
	pts[n_pts++] = from;
	pts[n_pts++] = until;
	for (size_t i = 0; i < n_ov; i++) {
		const struct sr_override *o = &ov[i];

		if (o->until <= from || o->from >= until || o->until <= o->from ||
		    (rotation != NULL && !sr_strcaseeq(o->rotation, rotation)))
			continue;
		mine[n_mine++] = o;
		if (o->from > from)
			pts[n_pts++] = o->from;
		if (o->until < until)
			pts[n_pts++] = o->until;
	}
	for (size_t i = 0; i < base->n; i++) {
		if (base->v[i].from > from && base->v[i].from < until)
			pts[n_pts++] = base->v[i].from;
		if (base->v[i].until > from && base->v[i].until < until)
			pts[n_pts++] = base->v[i].until;
	}
	qsort(pts, n_pts, sizeof(*pts), time_cmp);

	for (size_t i = 0; i + 1 < n_pts; i++) {
		sr_time a = pts[i], b = pts[i + 1];
		const struct sr_override *win = NULL;
		const char *who = NULL;
		struct sr_shift *last;

		if (a == b)
			continue;
		for (size_t j = 0; j < n_mine; j++) {
			const struct sr_override *o = mine[j];

			if (o->from <= a && o->until >= b &&
			    (win == NULL || o->from > win->from ||
			     (o->from == win->from && o->id > win->id)))
				win = o;
		}
		if (win != NULL) {
			who = win->who;
		} else {
			/* base is sorted and a only grows: walk it once */
			while (bi < base->n && base->v[bi].until <= a)
				bi++;
			if (bi < base->n && base->v[bi].from <= a)
				who = base->v[bi].who;
		}
		if (who == NULL)
			continue;
		last = out->n > first ? &out->v[out->n - 1] : NULL;
		if (last != NULL && last->until == a && strcmp(last->who, who) == 0 &&
		    last->override_id == (win ? win->id : 0)) {
			last->until = b;
			continue;
		}
		sr_shift_list_add(out, a, b, who);
		out->v[out->n - 1].override_id = win ? win->id : 0;
	}
	free(pts);
	free(mine);
}

void
sr_oncall_resolve(const struct sr_shift_list *base, const char *rotation,
		  const struct sr_override *ov, size_t n_ov, sr_time at, struct sr_oncall_now *out)
{
	struct sr_shift_list eff;
	sr_time lo, hi;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (base->n == 0 && n_ov == 0)
		return;
	lo = base->n ? base->v[0].from : at;
	hi = base->n ? base->v[base->n - 1].until : at + 1;
	/* Overrides reaching beyond the base window still count. */
	for (i = 0; i < n_ov; i++) {
		if (rotation != NULL && !sr_strcaseeq(ov[i].rotation, rotation))
			continue;
		if (ov[i].from <= at && ov[i].until > at) {
			if (ov[i].from < lo)
				lo = ov[i].from;
			if (ov[i].until > hi)
				hi = ov[i].until;
		}
	}
	if (at < lo || at >= hi)
		return;
	sr_shift_list_init(&eff);
	sr_oncall_effective(base, rotation, ov, n_ov, lo, hi, &eff);
	for (i = 0; i < eff.n; i++)
		if (eff.v[i].from <= at && at < eff.v[i].until)
			break;
	if (i < eff.n) {
		out->who = sr_xstrdup(eff.v[i].who);
		out->since = eff.v[i].from;
		out->until = eff.v[i].until;
		out->override_id = eff.v[i].override_id;
		if (i + 1 < eff.n && eff.v[i + 1].from == eff.v[i].until) {
			out->next = sr_xstrdup(eff.v[i + 1].who);
			out->next_until = eff.v[i + 1].until;
		}
	}
	sr_shift_list_done(&eff);
}

int
sr_oncall_settled(const struct sr_oncall_now *o, sr_time from, sr_time until)
{
	sr_time end = o->next != NULL ? o->next_until : o->until;

	return o->who != NULL && o->since > from && end < until;
}

/* The most a calendar file may hold. */
#define ICAL_MAX_BYTES (16 << 20)

int
sr_oncall_base(const struct sr_rotation *rot, const char *tz_default,
	       const struct sr_calendar *cal, sr_time from, sr_time until,
	       struct sr_shift_list *out, char **err)
{
	char *text = NULL, *rerr = NULL;
	size_t len = 0;
	int rc;

	if (cal != NULL)
		return sr_ical_shifts(cal->text, cal->len, cal->name, from, until, out, err);
	if (rot->ical_url != NULL)
		return sr_err(err, "rotation %s: its ical_url calendar was not fetched", rot->name);
	if (rot->ical == NULL)
		return sr_rotation_shifts(rot, tz_default, from, until, out, err);
	if (sr_read_file(rot->ical, ICAL_MAX_BYTES, &text, &len, &rerr) != 0) {
		sr_err(err, "rotation %s: %s", rot->name, rerr);
		free(rerr);
		return -1;
	}
	rc = sr_ical_shifts(text, len, rot->ical, from, until, out, err);
	free(text);
	return rc;
}

/* How far around "at" a calendar is read: two months each way. */
#define ICAL_WINDOW (62 * 86400)

int
sr_oncall_who(const struct sr_rotation *rot, const char *tz_default,
	      const struct sr_calendar *cal, const struct sr_override *ov, size_t n_ov, sr_time at, struct sr_oncall_now *out,
	      char **err)
{
	struct sr_shift_list base;
	int rc;

	memset(out, 0, sizeof(out[0]));
	sr_shift_list_init(&base);
	/* members: one turn back and three ahead, enough for "next" after an override ends */
	if (rot->n_members > 0)
		rc = sr_oncall_base(rot, tz_default, cal, at - rot->length, at + 3 * rot->length,
				    &base, err);
	else
		rc = sr_oncall_base(rot, tz_default, cal, at - ICAL_WINDOW, at + ICAL_WINDOW, &base,
				    err);
	if (rc == 0)
		sr_oncall_resolve(&base, rot->name, ov, n_ov, at, out);
	sr_shift_list_done(&base);
	return rc;
}

char *
sr_oncall_level_contact(const struct sr_config *cfg, int lvl, sr_time at,
			const struct sr_override *ov, size_t n_ov)
{
	const struct sr_level *l = &cfg->level[lvl];
	const struct sr_rotation *r = sr_config_rotation(cfg, l->rotation);
	struct sr_oncall_now now;
	char *err = NULL, *text;

	if (l->rotation == NULL)
		return sr_xstrdup(l->contact != NULL ? l->contact : "");
	if (r == NULL)
		return sr_xasprintf("on call in %s: unknown (no such rotation)", l->rotation);
	if (sr_oncall_who(r, cfg->timezone, NULL, ov, n_ov, at, &now, &err) != 0) {
		text = sr_xasprintf("on call in %s: unknown (%s)", r->name, err);
		free(err);
		return text;
	}
	text = now.who != NULL ? sr_xasprintf("%s (on call in %s)", now.who, r->name) :
				 sr_xasprintf("nobody on call in %s", r->name);
	sr_oncall_now_done(&now);
	return text;
}

const struct sr_rotation *
sr_config_rotation(const struct sr_config *cfg, const char *name)
{
	for (size_t i = 0; name != NULL && i < cfg->n_rotations; i++)
		if (sr_strcaseeq(cfg->rotations[i].name, name))
			return &cfg->rotations[i];
	return NULL;
}

/* SPDX-License-Identifier: MIT */
/* model.c: the console's adapters to the core: store, incident engine, fixtures, alerts, panels. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "prom.h"
#include "text.h"

/* --- fixtures: recorded answers whose times are written relative to "now" --- */

/*
 * Expands the time placeholders of a fixture so a recorded answer looks fresh:
 * {{now}} / {{now-DUR}} / {{now+DUR}} become RFC 3339 times, {{unix}} / {{unix-DUR}} Unix seconds,
 * DUR being a duration such as 90s, 21m or 1h30m. Anything else is copied unchanged.
 */
static char *
expand_times(const char *s, size_t len, sr_time now, size_t *out_len)
{
	struct sr_buf b;
	size_t i = 0;

	sr_buf_init(&b);
	while (i < len) {
		const char *open = memchr(s + i, '{', len - i), *close;
		char tok[40], ts[32];
		int64_t ago = 0;
		int is_unix;

		if (open == NULL || open + 1 >= s + len || open[1] != '{') {
			size_t n = open ? (size_t)(open - (s + i)) + 1 : len - i;

			sr_buf_add(&b, s + i, n);
			i += n;
			continue;
		}
		sr_buf_add(&b, s + i, (size_t)(open - (s + i)));
		i = (size_t)(open - s);
		close = memchr(open, '}', len - i);
		if (close == NULL || close + 1 >= s + len || close[1] != '}' ||
		    (size_t)(close - open - 2) >= sizeof(tok)) {
			sr_buf_addc(&b, '{');
			i++;
			continue;
		}
		memcpy(tok, open + 2, (size_t)(close - open - 2));
		tok[close - open - 2] = '\0';
		is_unix = strncmp(tok, "unix", 4) == 0;
		if (!is_unix && strncmp(tok, "now", 3) != 0) {
			sr_buf_addc(&b, '{');
			i++;
			continue;
		}
		if (tok[is_unix ? 4 : 3] == '-' || tok[is_unix ? 4 : 3] == '+') {
			char *e = NULL;

			if (sr_duration_parse(tok + (is_unix ? 5 : 4), &ago, &e) != 0) {
				free(e);
				ago = 0;
			}
			if (tok[is_unix ? 4 : 3] == '+')
				ago = -ago;
		}
		if (is_unix)
			sr_buf_printf(&b, "%lld", (long long)(now - ago));
		else
			sr_buf_adds(&b, sr_time_format(now - ago, ts, sizeof(ts)));
		i = (size_t)(close - s) + 2;
	}
	if (b.data == NULL)
		sr_buf_adds(&b, "");
	*out_len = b.len;
	return sr_buf_steal(&b);
}

/* Reads DIR/NAME with its times shifted to now. Returns 0 or -1 with *err. */
static int
read_fixture(const struct tui_model *m, const char *name, char **body, size_t *len, char **err)
{
	char *path = sr_xasprintf("%s/%s", m->fixtures, name), *raw = NULL;
	size_t rlen = 0;
	int rc = sr_read_file(path, 64u << 20, &raw, &rlen, err);

	free(path);
	if (rc != 0)
		return -1;
	*body = expand_times(raw, rlen, m->now, len);
	free(raw);
	return 0;
}

/* "error rate" -> "panel-error-rate.json" */
static char *
panel_file(const char *name)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_adds(&b, "panel-");
	for (const char *p = name; *p; p++) {
		char c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			sr_buf_addc(&b, c);
		else if (c >= 'A' && c <= 'Z')
			sr_buf_addc(&b, (char)(c - 'A' + 'a'));
		else
			sr_buf_addc(&b, '-');
	}
	sr_buf_adds(&b, ".json");
	return sr_buf_steal(&b);
}

static void
panels_free(struct tui_model *m)
{
	for (size_t i = 0; i < m->n_panels; i++) {
		free(m->panels[i].v);
		free(m->panels[i].err);
	}
	free(m->panels);
	m->panels = NULL;
	m->n_panels = 0;
}

static void
load_panel(struct tui_model *m, struct tui_panel *p)
{
	struct sr_prom_result r;
	char *name = panel_file(p->def->name), *body = NULL, *err = NULL;
	size_t len = 0;

	memset(&r, 0, sizeof(r));
	if (read_fixture(m, name, &body, &len, &err) != 0 ||
	    sr_prom_parse_query(body, len, 200, name, &r, &err) != 0) {
		p->err = err;
		goto out;
	}
	if (r.n_series == 0 || r.series[0].n_samples == 0) {
		p->err = sr_xstrdup("no data");
		goto out;
	}
	/* A panel shows one series: its query is expected to aggregate to one. */
	p->n = r.series[0].n_samples;
	p->v = sr_xcalloc(p->n, sizeof(*p->v));
	p->min = INFINITY;
	p->max = -INFINITY;
	for (size_t i = 0; i < p->n; i++) {
		double v = r.series[0].samples[i].v;

		p->v[i] = v;
		if (isfinite(v)) {
			p->min = fmin(p->min, v);
			p->max = fmax(p->max, v);
		}
	}
	p->last = p->v[p->n - 1];
	p->has_last = 1;
out:
	sr_prom_result_done(&r);
	free(body);
	free(name);
}

static void
source_set(struct tui_source *s, int ok, sr_time now, char *err)
{
	s->ok = ok;
	if (ok)
		s->fetched_at = now;
	free(s->err);
	s->err = err;
}

void
tui_model_refresh_feeds(struct tui_model *m)
{
	const struct sr_panel *defs;
	size_t n_defs, len = 0;
	char *body = NULL, *err = NULL;
	struct sr_am_alerts fresh;
	int any_ok = 0;

	defs = m->has_fixture_cfg ? m->fixture_cfg.panels : m->cfg->panels;
	n_defs = m->has_fixture_cfg ? m->fixture_cfg.n_panels : m->cfg->n_panels;
	panels_free(m);
	m->n_panels = n_defs;
	m->panels = sr_xcalloc(n_defs ? n_defs : 1, sizeof(*m->panels));
	for (size_t i = 0; i < n_defs; i++) {
		m->panels[i].def = &defs[i];
		if (m->fixtures == NULL) {
			m->panels[i].err = sr_xstrdup("live feeds are not connected yet");
			continue;
		}
		load_panel(m, &m->panels[i]);
		any_ok |= m->panels[i].has_last;
	}
	if (m->fixtures == NULL)
		return;
	source_set(&m->src[0], any_ok || n_defs == 0, m->now,
		   any_ok || n_defs == 0 ? NULL : sr_xstrdup("no panel answered"));

	memset(&fresh, 0, sizeof(fresh));
	if (read_fixture(m, "alerts.json", &body, &len, &err) != 0 ||
	    sr_am_parse_alerts(body, len, 200, "alerts.json", &fresh, &err) != 0) {
		/* keep the last good alerts; the header shows the source failing */
		source_set(&m->src[1], 0, m->now, err);
		sr_am_alerts_done(&fresh);
	} else {
		sr_am_alerts_done(&m->alerts);
		m->alerts = fresh;
		sr_am_alerts_sort(&m->alerts);
		source_set(&m->src[1], 1, m->now, NULL);
	}
	free(body);
}

/* --- opening --- */

int
tui_model_open(struct tui_model *m, struct sr_cli *cli, const char *fixtures, int readonly,
	       char **err)
{
	memset(m, 0, sizeof(*m));
	m->cli = cli;
	m->cfg = cli->cfg;
	m->readonly = readonly;
	tui_model_clock(m);
	sr_config_init(&m->fixture_cfg);
	m->n_src = 2;
	snprintf(m->src[0].name, sizeof(m->src[0].name), "prom");
	snprintf(m->src[1].name, sizeof(m->src[1].name), "am");
	m->src[0].interval = m->cfg->panels_interval;
	m->src[1].interval = m->cfg->alerts_interval;
	if (fixtures != NULL) {
		char *path = sr_xasprintf("%s/sitrep.conf", fixtures);

		m->fixtures = sr_xstrdup(fixtures);
		if (sr_config_load(&m->fixture_cfg, path, 1, err) != 0) {
			free(path);
			return -1;
		}
		free(path);
		m->has_fixture_cfg = 1;
	}
	if (cli->store == NULL && (cli->store = sr_store_open(cli->store_where, err)) == NULL)
		return -1;
	m->st = cli->store;
	if (tui_model_reload(m, err) != 0)
		return -1;
	tui_model_refresh_feeds(m);
	return 0;
}

void
tui_model_done(struct tui_model *m)
{
	sr_incident_list_done(&m->inc);
	sr_am_alerts_done(&m->alerts);
	panels_free(m);
	for (size_t i = 0; i < SR_ARRAY_LEN(m->src); i++)
		free(m->src[i].err);
	free(m->fixtures);
	sr_config_done(&m->fixture_cfg);
	memset(m, 0, sizeof(*m));
}

void
tui_model_clock(struct tui_model *m)
{
	char *err = NULL;
	sr_time now;

	/* SITREP_NOW was validated by main.c; a failure here keeps the last time */
	if (sr_clock_now(&now, &err) == 0)
		m->now = now;
	free(err);
}

/* --- incidents --- */

/* Records due escalations of open, unacknowledged incidents (as `sitrep incident tick`). */
static void
apply_ticks(struct tui_model *m, const struct sr_incident_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct sr_incident inc;
		struct sr_event_list ev = { 0 };
		struct sr_timers t;
		char *err = NULL;

		if (!sr_incident_is_open(&l->v[i]) || l->v[i].acked_at != 0)
			continue;
		sr_incident_timers(&l->v[i], m->cfg, m->now, &t);
		if (t.due_level <= l->v[i].level)
			continue;
		sr_incident_init(&inc);
		if (m->st->ops->get(m->st, l->v[i].id, &inc, &err) == 0 &&
		    sr_incident_tick(&inc, m->cfg, m->now, &ev))
			m->st->ops->update(m->st, &inc, &ev, NULL, &err);
		free(err);	/* a conflict: another console recorded it */
		sr_incident_done(&inc);
		sr_event_list_done(&ev);
	}
}

int
tui_model_reload(struct tui_model *m, char **err)
{
	struct sr_incident_list l = { 0 };

	if (m->st->ops->list(m->st, SR_LIST_ALL, &l, err) != 0) {
		sr_incident_list_done(&l);
		return -1;
	}
	if (!m->readonly) {
		apply_ticks(m, &l);
		sr_incident_list_done(&l);
		memset(&l, 0, sizeof(l));
		if (m->st->ops->list(m->st, SR_LIST_ALL, &l, err) != 0) {
			sr_incident_list_done(&l);
			return -1;
		}
	}
	sr_incident_list_done(&m->inc);
	m->inc = l;
	m->inc_loaded_at = m->now;
	m->inc_gen++;
	return 0;
}

int
tui_model_events(struct tui_model *m, const char *id, struct sr_event_list *out, char **err)
{
	return m->st->ops->events(m->st, id, out, err);
}

static int
apply(struct tui_model *m, struct sr_incident *inc, const struct tui_change *ch,
      struct sr_event_list *ev, char **err)
{
	const char *who = m->cfg->user;
	sr_time now = m->now;

	switch (ch->op) {
	case TUI_CH_ACK:
		return sr_incident_ack(inc, who, now, ev, err);
	case TUI_CH_STATUS: {
		enum sr_status st;

		if (sr_status_parse(ch->a, &st, err) != 0)
			return -1;
		return sr_incident_set_status(inc, st, who, now, ev, err);
	}
	case TUI_CH_SEV: {
		enum sr_sev sev;

		if (sr_sev_parse(ch->a, &sev, err) != 0)
			return -1;
		return sr_incident_set_sev(inc, sev, who, now, ev, err);
	}
	case TUI_CH_NOTE:
		return sr_incident_note(inc, ch->a, who, now, ev, err);
	case TUI_CH_ASSIGN: {
		enum sr_role role;

		if (sr_role_parse(ch->a, &role, err) != 0)
			return -1;
		return sr_incident_assign(inc, role, ch->b, who, now, ev, err);
	}
	case TUI_CH_ESCALATE:
		return sr_incident_escalate(inc, 1, m->cfg, who, now, ev, err);
	case TUI_CH_DEESCALATE:
		return sr_incident_escalate(inc, -1, m->cfg, who, now, ev, err);
	case TUI_CH_RESOLVE:
		return sr_incident_resolve(inc, NULL, ch->a && *ch->a ? ch->a : NULL, who, now, ev,
					   err);
	case TUI_CH_CLOSE:
		return sr_incident_close(inc, who, now, ev, err);
	case TUI_CH_UPDATE_SENT:
		return sr_incident_update_sent(inc, ch->a, who, now, ev, err);
	}
	return sr_err(err, "internal error: unknown change %d", (int)ch->op);
}

int
tui_model_change(struct tui_model *m, const char *id, const struct tui_change *ch, char **done,
		 char **err)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_buf b;
	int rc = -1;

	if (m->readonly)
		return sr_err(err, "read-only mode (--readonly): %s is not changed", id);
	tui_model_clock(m);
	sr_incident_init(&inc);
	if (m->st->ops->get(m->st, id, &inc, err) != 0)
		goto out;
	sr_incident_tick(&inc, m->cfg, m->now, &ev);
	if (apply(m, &inc, ch, &ev, err) != 0)
		goto out;
	if (m->st->ops->update(m->st, &inc, &ev, NULL, err) != 0)
		goto out;
	sr_buf_init(&b);
	sr_buf_printf(&b, "%s: %s", inc.id, ev.n ? ev.v[ev.n - 1].detail : "changed");
	*done = sr_buf_steal(&b);
	rc = 0;
	if (tui_model_reload(m, err) != 0)
		rc = -1;
out:
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return rc;
}

int
tui_model_incident_from_alert(struct tui_model *m, const struct sr_am_alert *a, char *id,
			      char **err)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	const char *name = tui_alert_name(a), *summary = tui_alert_summary(a);
	const char *service = sr_label_get(a->labels, a->n_labels, "service");
	char *what;
	int rc = -1;

	if (m->readonly)
		return sr_err(err, "read-only mode (--readonly): no incident opened");
	if (service == NULL)
		service = sr_label_get(a->labels, a->n_labels, "job");
	tui_model_clock(m);
	if (sr_incident_new(&inc, *summary ? summary : name, service, tui_alert_sev(m, a),
			    sr_label_get(a->annotations, a->n_annotations, "impact"),
			    m->cfg->user, m->now, &ev, err) != 0) {
		sr_event_list_done(&ev);
		return -1;
	}
	what = service ? sr_xasprintf("%s{service=\"%s\"}", name, service) : sr_xstrdup(name);
	if (sr_incident_link_alert(&inc, a->fingerprint ? a->fingerprint : "", what,
				   m->cfg->user, m->now, &ev, err) == 0 &&
	    m->st->ops->create(m->st, &inc, &ev, err) == 0) {
		snprintf(id, SR_ID_MAX, "%s", inc.id);
		rc = tui_model_reload(m, err);
	}
	free(what);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return rc;
}

const struct sr_incident *
tui_model_find(const struct tui_model *m, const char *id)
{
	for (size_t i = 0; i < m->inc.n; i++)
		if (strcmp(m->inc.v[i].id, id) == 0)
			return &m->inc.v[i];
	return NULL;
}

/* The deadline that decides how urgent an open incident is: respond until acked. */
static const struct sr_deadline *
deciding(const struct sr_timers *t, const char **what)
{
	if (t->respond.running) {
		*what = "respond";
		return &t->respond;
	}
	*what = "resolve";
	return &t->resolve;
}

static int64_t
urgency(const struct tui_model *m, const struct sr_incident *inc)
{
	struct sr_timers t;
	const char *what;
	const struct sr_deadline *d;

	sr_incident_timers(inc, m->cfg, m->now, &t);
	d = deciding(&t, &what);
	if (d->due == 0 || !d->running)
		return INT64_MAX / 2;
	return d->left;
}

const struct sr_incident *
tui_model_most_urgent(const struct tui_model *m, struct sr_deadline *d, const char **what)
{
	const struct sr_incident *best = NULL;
	int64_t best_u = INT64_MAX;

	for (size_t i = 0; i < m->inc.n; i++) {
		int64_t u;

		if (!sr_incident_is_open(&m->inc.v[i]))
			continue;
		u = urgency(m, &m->inc.v[i]);
		if (best == NULL || u < best_u ||
		    (u == best_u && m->inc.v[i].sev < best->sev)) {
			best = &m->inc.v[i];
			best_u = u;
		}
	}
	if (best != NULL) {
		struct sr_timers t;

		sr_incident_timers(best, m->cfg, m->now, &t);
		*d = *deciding(&t, what);
	}
	return best;
}

struct ord {
	size_t i;
	int open;
	int64_t u;
	enum sr_sev sev;
};

static int
ord_cmp(const void *pa, const void *pb)
{
	const struct ord *a = pa, *b = pb;

	if (a->open != b->open)
		return b->open - a->open;
	if (a->open && a->u != b->u)
		return a->u < b->u ? -1 : 1;
	if (a->open && a->sev != b->sev)
		return (int)a->sev - (int)b->sev;
	return a->i < b->i ? -1 : a->i > b->i;
}

size_t
tui_model_order(const struct tui_model *m, size_t *idx, int open_only)
{
	struct ord *o = sr_xcalloc(m->inc.n ? m->inc.n : 1, sizeof(*o));
	size_t n = 0;

	for (size_t i = 0; i < m->inc.n; i++) {
		int open = sr_incident_is_open(&m->inc.v[i]);

		if (open_only && !open)
			continue;
		o[n].i = i;
		o[n].open = open;
		o[n].u = open ? urgency(m, &m->inc.v[i]) : 0;
		o[n].sev = m->inc.v[i].sev;
		n++;
	}
	qsort(o, n, sizeof(*o), ord_cmp);
	for (size_t i = 0; i < n; i++)
		idx[i] = o[i].i;
	free(o);
	return n;
}

/* --- alerts --- */

static const char *
label_or_empty(const struct sr_label *l, size_t n, const char *name)
{
	const char *v = sr_label_get(l, n, name);

	return v ? v : "";
}

const char *
tui_alert_name(const struct sr_am_alert *a)
{
	return label_or_empty(a->labels, a->n_labels, "alertname");
}

const char *
tui_alert_severity(const struct sr_am_alert *a)
{
	return label_or_empty(a->labels, a->n_labels, "severity");
}

const char *
tui_alert_summary(const struct sr_am_alert *a)
{
	const char *s = sr_label_get(a->annotations, a->n_annotations, "summary");

	if (s == NULL)
		s = sr_label_get(a->annotations, a->n_annotations, "description");
	return s ? s : "";
}

const char *
tui_alert_state(const struct sr_am_alert *a)
{
	if (a->n_silenced_by > 0)
		return "silenced";
	if (a->n_inhibited_by > 0)
		return "inhibited";
	return "active";
}

enum sr_sev
tui_alert_sev(const struct tui_model *m, const struct sr_am_alert *a)
{
	const char *s = tui_alert_severity(a);

	for (size_t i = 0; i < m->cfg->n_sevmap; i++)
		if (sr_strcaseeq(m->cfg->sevmap[i].label, s))
			return m->cfg->sevmap[i].sev;
	return SR_SEV_P3;
}

const struct sr_incident *
tui_alert_incident(const struct tui_model *m, const struct sr_am_alert *a)
{
	const struct sr_incident *found = NULL;

	if (a->fingerprint == NULL)
		return NULL;
	for (size_t i = 0; i < m->inc.n; i++) {
		const struct sr_incident *inc = &m->inc.v[i];

		for (size_t j = 0; j < inc->n_alerts; j++) {
			if (strcmp(inc->alerts[j], a->fingerprint) != 0)
				continue;
			if (sr_incident_is_open(inc))
				return inc;
			if (found == NULL)
				found = inc;
		}
	}
	return found;
}

const char *
tui_source_state(const struct tui_model *m, const struct tui_source *s, int64_t *age)
{
	*age = s->fetched_at ? m->now - s->fetched_at : 0;
	if (m->fixtures == NULL)
		return "off";
	if (s->fetched_at == 0)
		return "ERR";
	if (*age > 2 * (s->interval > 0 ? s->interval : 30))
		return "STALE";
	return s->ok ? "ok" : "ERR";
}

/* SPDX-License-Identifier: MIT */
/* cli_oncall.c: `sitrep oncall ...`: who is on call per rotation, overrides, calendars. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "http.h"
#include "ical.h"
#include "oncall.h"

#define ONCALL_USAGE \
	"usage: sitrep oncall [--at TIME] [--json]\n" \
	"       sitrep oncall override ROTATION --who NAME --from TIME --until TIME\n" \
	"       sitrep oncall override list [ROTATION] [--all] [--json]\n" \
	"       sitrep oncall override remove ID\n" \
	"       sitrep oncall ics [ROTATION] [--from TIME] [--until TIME]\n"

/* How far back overrides are read for "since": the longest turn of any rotation, + 1 day. */
static sr_time
lookback(const struct sr_config *cfg)
{
	int64_t m = 7 * 86400;

	for (size_t i = 0; i < cfg->n_rotations; i++)
		if (cfg->rotations[i].length > m)
			m = cfg->rotations[i].length;
	return m + 86400;
}

static const char *
rot_zone(const struct sr_config *cfg, const struct sr_rotation *r)
{
	return r->timezone != NULL ? r->timezone : cfg->timezone;
}

/*
 * The overrides of every rotation that overlap (after, before), from the store; 0, or -1
 * after printing the error (ov is then empty but valid).
 */
static int
load_overrides(struct sr_cli *cli, sr_time after, sr_time before, struct sr_override_list *ov)
{
	char *err = NULL;
	struct sr_store *st;

	sr_override_list_init(ov);
	if ((st = sr_session_store(cli->ses, &err)) == NULL ||
	    sr_store_has_overrides(st, &err) != 0 ||
	    st->ops->override_list(st, NULL, after, before, ov, &err) != 0) {
		sr_cli_fail(cli, SR_EXIT_FAIL, sr_xasprintf("overrides not shown: %s", err));
		free(err);
		sr_override_list_done(ov);
		return -1;
	}
	sr_override_list_by_rotation(ov);	/* each rotation is handed its own run */
	return 0;
}

/*
 * `sitrep oncall` reads overrides in two steps. First those within NEAR of the time asked
 * about: with overrides every day (a year of them is 3,650 rows for 10 rotations) they settle
 * each rotation's answer (sr_oncall_settled) from a few dozen rows. A rotation they do not
 * settle (a plain weekly turn began days ago) is answered again from every override since
 * lookback(), read once, as before. Either way the answer is the one all overrides give.
 */
#define NEAR (36 * 3600)

struct ov_read {
	struct sr_override_list near, all;
	sr_time at, lookback;
	int all_read;		/* 1: all read (or failed and printed) */
	int failed;		/* a read failed (printed): the schedules still show */
};

static void
ov_read_init(struct ov_read *o, struct sr_cli *cli, sr_time at, sr_time lookback)
{
	memset(o, 0, sizeof(*o));
	o->at = at;
	o->lookback = lookback;
	if (load_overrides(cli, at - NEAR, at + NEAR, &o->near) != 0) {
		o->failed = 1;
		o->all_read = 1;	/* one message is enough */
	}
}

static void
ov_read_done(struct ov_read *o)
{
	sr_override_list_done(&o->near);
	sr_override_list_done(&o->all);
}

/* Who is on call in r at o->at, from the near overrides if they settle it, else from all. */
static int
ov_who(struct sr_cli *cli, struct ov_read *o, const struct sr_rotation *r,
       const struct sr_calendar *cal, struct sr_oncall_now *now, char **err)
{
	const char *tz = cli->ses->cfg->timezone;
	const struct sr_override *mine;
	size_t n_mine;

	mine = sr_overrides_of(o->near.v, o->near.n, r->name, &n_mine);
	if (sr_oncall_who(r, tz, cal, mine, n_mine, o->at, now, err) != 0)
		return -1;
	if (o->failed || sr_oncall_settled(now, o->at - NEAR, o->at + NEAR))
		return 0;
	sr_oncall_now_done(now);
	if (!o->all_read) {
		o->all_read = 1;
		if (load_overrides(cli, o->at - o->lookback, INT64_MAX, &o->all) != 0)
			o->failed = 1;
	}
	mine = sr_overrides_of(o->all.v, o->all.n, r->name, &n_mine);
	return sr_oncall_who(r, tz, cal, mine, n_mine, o->at, now, err);
}

/* The store for the override commands; NULL (the error printed) when it keeps none. */
static struct sr_store *
override_store(struct sr_cli *cli)
{
	return sr_cli_store_with(cli, sr_store_has_overrides);
}

/*
 * The same for a command that changes overrides (doing says what, "adding an override"):
 * NULL, the refusal printed, in read-only mode.
 */
static struct sr_store *
override_store_rw(struct sr_cli *cli, const char *doing)
{
	if (cli->ses->readonly) {
		sr_cli_fail(cli, SR_EXIT_FAIL,
			    sr_xasprintf("read-only mode (--readonly): not %s", doing));
		return NULL;
	}
	return override_store(cli);
}

/* --- calendars at a URL: fetched each time, the last good copy kept in the store --- */

/* One rotation's fetched calendar: fresh, or the last good copy (stale) when the URL failed. */
struct fetched {
	char *text;
	size_t len;
	int stale;
	sr_time fetched_at;
	char *why;		/* why the copy is stale */
	struct sr_calendar cal;
};

struct fetch_ctx {
	struct sr_http_response *r;
};

static void
on_fetched(void *arg, struct sr_http_response *r)
{
	struct fetch_ctx *x = arg;

	x->r = sr_xcalloc(1, sizeof(*x->r));
	x->r->status = r->status;
	x->r->body = r->body;
	r->body = NULL;
	x->r->len = r->len;
	x->r->err = r->err != NULL ? sr_xstrdup(r->err) : NULL;
}

/*
 * Fetches r's ical_url (10 s at most) and checks that it parses; a good answer replaces the
 * copy in the store ("ical:NAME"), a bad one or no answer falls back to that copy, marked
 * stale. 0 with f filled, or -1 + *err when there is neither.
 */
static int
fetch_calendar(struct sr_cli *cli, const struct sr_rotation *r, struct fetched *f, char **err)
{
	struct sr_transport t = { 0 };
	struct sr_http_request rq = { 0 };
	struct fetch_ctx x = { NULL };
	struct sr_http *h;
	struct sr_shift_list probe;
	struct sr_store *st;
	char *key = sr_xasprintf("ical:%s", r->name), *e = NULL, *why = NULL;
	int rc = -1;

	memset(f, 0, sizeof(*f));
	t.url = r->ical_url;
	t.connect_timeout_ms = 3000;
	t.timeout_ms = 10000;
	t.max_bytes = 16 << 20;
	t.tls_verify = 1;
	rq.url = r->ical_url;
	rq.t = &t;
	if ((h = sr_http_new(&e)) == NULL || sr_http_submit(h, &rq, on_fetched, &x, &e) != 0 ||
	    sr_http_run(h, &e) != 0) {
		why = e;
		e = NULL;
	} else if (x.r == NULL || x.r->err != NULL || x.r->status < 200 || x.r->status > 299) {
		why = x.r == NULL ? sr_xstrdup("no answer") : x.r->err != NULL ?
		      sr_xstrdup(x.r->err) : sr_xasprintf("HTTP status %ld", x.r->status);
	} else {
		sr_shift_list_init(&probe);
		if (sr_ical_shifts(x.r->body, x.r->len, "the fetched calendar", 0, 1, &probe,
				   &e) != 0) {
			why = e;
			e = NULL;
		} else {
			f->text = x.r->body;
			f->len = x.r->len;
			x.r->body = NULL;
			f->fetched_at = cli->ses->now;
		}
		sr_shift_list_done(&probe);
	}
	sr_http_free(h);
	if (x.r != NULL) {
		free(x.r->body);
		free(x.r->err);
		free(x.r);
	}
	st = sr_session_store(cli->ses, &e);
	free(e);
	e = NULL;
	if (f->text != NULL) {
		if (st != NULL && !cli->ses->readonly &&
		    st->ops->cache_put(st, key, f->text, f->len, f->fetched_at, &e) != 0)
			free(e);	/* the fresh copy still answers; only the fallback is lost */
		rc = 0;
	} else if (st != NULL && st->ops->cache_get(st, key, &f->text, &f->len, &f->fetched_at,
						      &e) == 1) {
		f->stale = 1;
		f->why = why;
		why = NULL;
		rc = 0;
	} else {
		free(e);
		sr_err(err, "rotation %s: calendar URL failed (%s) and no copy was kept yet",
		       r->name, why);
	}
	f->cal.text = f->text;
	f->cal.len = f->len;
	f->cal.name = "ical_url";
	free(why);
	free(key);
	return rc;
}

static void
fetched_done(struct fetched *f)
{
	free(f->text);
	free(f->why);
	memset(f, 0, sizeof(*f));
}

/* `sitrep oncall [--at TIME] [--json]` */
static int
oncall_show(struct sr_cli *cli, int argc, char **argv)
{
	const struct sr_config *cfg = cli->ses->cfg;
	const char *at_s = NULL;
	int json = 0, n_pos, rc, status = SR_EXIT_OK;
	const struct sr_cli_opt opts[] = {
		{ "at", &at_s, NULL }, { "json", NULL, &json }, { NULL, NULL, NULL },
	};
	struct ov_read ov;
	struct sr_buf b;
	sr_time at = cli->ses->now;
	char *err = NULL, ts[32];

	if ((rc = sr_cli_parse(cli, "oncall", argc, argv, opts, NULL, 0, &n_pos)) != 0)
		return rc;
	if (at_s != NULL && sr_time_parse(at_s, &at, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	if (cfg->n_rotations == 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup("no rotations configured: add a "
				   "[rotation NAME] section (see sitrep.conf(5))"));
	ov_read_init(&ov, cli, at, lookback(cfg));
	sr_buf_init(&b);
	if (json)
		sr_buf_printf(&b, "{\"at\":\"%s\",\"rotations\":[",
			      sr_time_format(at, ts, sizeof(ts)));
	for (size_t i = 0; i < cfg->n_rotations; i++) {
		const struct sr_rotation *r = &cfg->rotations[i];
		const char *zone = rot_zone(cfg, r);
		struct sr_oncall_now now;
		struct fetched f;
		char since[48], until[48], fat[32];

		memset(&f, 0, sizeof(f));
		if (r->ical_url != NULL && fetch_calendar(cli, r, &f, &err) != 0) {
			sr_cli_fail(cli, SR_EXIT_FAIL, err);
			err = NULL;
			status = SR_EXIT_FAIL;
			continue;
		}
		if (ov_who(cli, &ov, r, r->ical_url ? &f.cal : NULL, &now, &err) != 0) {
			sr_cli_fail(cli, SR_EXIT_FAIL, err);
			err = NULL;
			status = SR_EXIT_FAIL;
			fetched_done(&f);
			continue;
		}
		if (f.stale)
			sr_cli_fail(cli, 0, sr_xasprintf("rotation %s: calendar URL failed (%s): "
				    "showing the copy fetched at %s (stale)", r->name, f.why,
				    sr_time_format(f.fetched_at, fat, sizeof(fat))));
		if (json) {
			sr_buf_adds(&b, i ? ",{\"rotation\":" : "{\"rotation\":");
			sr_json_str(&b, r->name);
			sr_buf_adds(&b, ",\"timezone\":");
			sr_json_str(&b, zone);
			sr_buf_adds(&b, ",\"who\":");
			sr_json_str(&b, now.who);
			sr_buf_addc(&b, ',');
			sr_json_time(&b, "since", now.since);
			sr_buf_addc(&b, ',');
			sr_json_time(&b, "until", now.until);
			sr_buf_adds(&b, ",\"next\":");
			sr_json_str(&b, now.next);
			sr_buf_addc(&b, ',');
			sr_json_time(&b, "next_until", now.next_until);
			sr_buf_printf(&b, ",\"override\":%s,\"stale\":%s}",
				      now.override_id > 0 ? "true" : "false", f.stale ? "true" : "false");
		} else {
			sr_cli_put(cli, r->name);
			fprintf(cli->out, ": ");
			sr_cli_put_styled(cli, "1", now.who ? now.who : "nobody");
			if (now.override_id > 0)
				fprintf(cli->out, " (override)");
			sr_oncall_local(now.since, zone, since, sizeof(since));
			sr_oncall_local(now.until, zone, until, sizeof(until));
			if (now.who != NULL)
				fprintf(cli->out, "  since %s  until %s", since, until);
			if (now.next != NULL) {
				fprintf(cli->out, "  next ");
				sr_cli_put(cli, now.next);
			}
			if (f.stale)
				fputs("  (stale calendar)", cli->out);
			fputc('\n', cli->out);
		}
		sr_oncall_now_done(&now);
		fetched_done(&f);
	}
	if (json) {
		sr_buf_adds(&b, "]}\n");
		sr_cli_write(cli, &b);
	}
	sr_buf_done(&b);
	if (ov.failed)
		status = SR_EXIT_FAIL;	/* the schedules still showed: better than nothing */
	ov_read_done(&ov);
	return status;
}

/* --- overrides --- */

/* The rotation named, or NULL after a usage error naming the nearest one. */
static const struct sr_rotation *
find_rotation(struct sr_cli *cli, const char *name, int *status)
{
	const struct sr_config *cfg = cli->ses->cfg;
	const struct sr_rotation *r = sr_config_rotation(cfg, name);
	const char *best = NULL;
	size_t bd = SIZE_MAX;

	if (r != NULL)
		return r;
	for (size_t i = 0; i < cfg->n_rotations; i++) {
		size_t d = sr_edit_distance(name, cfg->rotations[i].name);

		if (d < bd) {
			bd = d;
			best = cfg->rotations[i].name;
		}
	}
	if (best != NULL && bd <= 2)
		*status = sr_cli_usage(cli, "oncall", "no rotation \"%s\" (did you mean \"%s\"?)",
				       name, best);
	else
		*status = sr_cli_usage(cli, "oncall", "no rotation \"%s\" in the config", name);
	return NULL;
}

/* `sitrep oncall override ROTATION --who NAME --from TIME --until TIME` */
static int
override_add(struct sr_cli *cli, int argc, char **argv)
{
	const char *who = NULL, *from_s = NULL, *until_s = NULL;
	const struct sr_cli_opt opts[] = {
		{ "who", &who, NULL }, { "from", &from_s, NULL }, { "until", &until_s, NULL },
		{ NULL, NULL, NULL },
	};
	const struct sr_rotation *r;
	struct sr_override o;
	struct sr_store *st;
	char *pos[1], *err = NULL, a[48], b[48];
	int n_pos, rc, status = 0;

	if ((rc = sr_cli_parse(cli, "oncall", argc, argv, opts, pos, 1, &n_pos)) != 0)
		return rc;
	if (n_pos != 1 || who == NULL || from_s == NULL || until_s == NULL)
		return sr_cli_usage(cli, "oncall", "override needs ROTATION, --who, --from and "
				    "--until");
	if ((r = find_rotation(cli, pos[0], &status)) == NULL)
		return status;
	memset(&o, 0, sizeof(o));
	if (sr_time_parse(from_s, &o.from, &err) != 0 || sr_time_parse(until_s, &o.until, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	if (o.until <= o.from)
		return sr_cli_usage(cli, "oncall", "--until must be after --from");
	if (*who == '\0' || strlen(who) > 200)
		return sr_cli_usage(cli, "oncall", "--who needs a name (at most 200 bytes)");
	if ((st = override_store_rw(cli, "adding an override")) == NULL)
		return SR_EXIT_FAIL;
	o.rotation = r->name;
	o.who = (char *)who;
	o.created = cli->ses->now;
	o.created_by = (char *)cli->ses->actor;
	if (st->ops->override_add(st, &o, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	fprintf(cli->out, "override %lld: ", (long long)o.id);
	sr_cli_put(cli, who);
	fputs(" covers ", cli->out);
	sr_cli_put(cli, r->name);
	fprintf(cli->out, " from %s until %s\n",
		sr_oncall_local(o.from, rot_zone(cli->ses->cfg, r), a, sizeof(a)),
		sr_oncall_local(o.until, rot_zone(cli->ses->cfg, r), b, sizeof(b)));
	return SR_EXIT_OK;
}

/* `sitrep oncall override list [ROTATION] [--all] [--json]`: current and future ones. */
static int
override_list(struct sr_cli *cli, int argc, char **argv)
{
	int json = 0, all = 0, n_pos, rc, status = 0;
	const struct sr_cli_opt opts[] = {
		{ "json", NULL, &json }, { "all", NULL, &all }, { NULL, NULL, NULL },
	};
	struct sr_override_list l;
	struct sr_store *st;
	struct sr_buf b;
	char *pos[1], *err = NULL;

	if ((rc = sr_cli_parse(cli, "oncall", argc, argv, opts, pos, 1, &n_pos)) != 0)
		return rc;
	if (n_pos == 1 && find_rotation(cli, pos[0], &status) == NULL)
		return status;
	if ((st = override_store(cli)) == NULL)
		return SR_EXIT_FAIL;
	sr_override_list_init(&l);
	if (st->ops->override_list(st, n_pos ? pos[0] : NULL, all ? INT64_MIN : cli->ses->now,
				   INT64_MAX, &l, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	sr_buf_init(&b);
	if (json)
		sr_buf_addc(&b, '[');
	for (size_t i = 0; i < l.n; i++) {
		const struct sr_override *o = &l.v[i];
		const struct sr_rotation *r = sr_config_rotation(cli->ses->cfg, o->rotation);
		const char *zone = r != NULL ? rot_zone(cli->ses->cfg, r) : cli->ses->cfg->timezone;
		char f[48], u[48];

		if (json) {
			sr_buf_printf(&b, "%s{\"id\":%lld,\"rotation\":", i ? "," : "",
				      (long long)o->id);
			sr_json_str(&b, o->rotation);
			sr_buf_adds(&b, ",\"who\":");
			sr_json_str(&b, o->who);
			sr_buf_addc(&b, ',');
			sr_json_time(&b, "from", o->from);
			sr_buf_addc(&b, ',');
			sr_json_time(&b, "until", o->until);
			sr_buf_addc(&b, ',');
			sr_json_time(&b, "created_at", o->created);
			sr_buf_adds(&b, ",\"created_by\":");
			sr_json_str(&b, o->created_by);
			sr_buf_addc(&b, '}');
			continue;
		}
		fprintf(cli->out, "%-4lld ", (long long)o->id);
		sr_cli_put(cli, o->rotation);
		fputs(": ", cli->out);
		sr_cli_put(cli, o->who);
		fprintf(cli->out, "  from %s  until %s  (by ",
			sr_oncall_local(o->from, zone, f, sizeof(f)),
			sr_oncall_local(o->until, zone, u, sizeof(u)));
		sr_cli_put(cli, o->created_by);
		fputs(")\n", cli->out);
	}
	if (json) {
		sr_buf_adds(&b, "]\n");
		sr_cli_write(cli, &b);
	} else if (l.n == 0) {
		fputs("no overrides\n", cli->out);
	}
	sr_buf_done(&b);
	sr_override_list_done(&l);
	return SR_EXIT_OK;
}

/* `sitrep oncall override remove ID` */
static int
override_remove(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_store *st;
	char *pos[1], *err = NULL;
	int n_pos, rc;
	long id;

	if ((rc = sr_cli_parse(cli, "oncall", argc, argv, NULL, pos, 1, &n_pos)) != 0)
		return rc;
	if (n_pos != 1 || sr_cli_long(pos[0], 1, LONG_MAX, &id) != 0)
		return sr_cli_usage(cli, "oncall", "override remove needs an override number");
	if ((st = override_store_rw(cli, "removing an override")) == NULL)
		return SR_EXIT_FAIL;
	if (st->ops->override_remove(st, id, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, err);
	fprintf(cli->out, "override %ld removed\n", id);
	return SR_EXIT_OK;
}

/* --- calendar export --- */

/* Default export window: from now, twelve weeks. */
#define ICS_WEEKS 12

/*
 * `sitrep oncall ics [ROTATION] [--from TIME] [--until TIME]`: the effective shifts
 * (overrides laid over) that overlap the window, whole, as one RFC 5545 calendar.
 */
static int
oncall_ics(struct sr_cli *cli, int argc, char **argv)
{
	const struct sr_config *cfg = cli->ses->cfg;
	const char *from_s = NULL, *until_s = NULL;
	const struct sr_cli_opt opts[] = {
		{ "from", &from_s, NULL }, { "until", &until_s, NULL }, { NULL, NULL, NULL },
	};
	const struct sr_rotation *only = NULL;
	struct sr_override_list ov;
	sr_time from = cli->ses->now, until;
	struct sr_buf b;
	char *pos[1], *err = NULL, *calname;
	int n_pos, rc, status = 0;

	if ((rc = sr_cli_parse(cli, "oncall", argc, argv, opts, pos, 1, &n_pos)) != 0)
		return rc;
	if (n_pos == 1 && (only = find_rotation(cli, pos[0], &status)) == NULL)
		return status;
	if (from_s != NULL && sr_time_parse(from_s, &from, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	until = from + ICS_WEEKS * 7 * 86400;
	if (until_s != NULL && sr_time_parse(until_s, &until, &err) != 0)
		return sr_cli_fail(cli, SR_EXIT_USAGE, err);
	if (until <= from)
		return sr_cli_usage(cli, "oncall", "--until must be after --from");
	if (cfg->n_rotations == 0)
		return sr_cli_fail(cli, SR_EXIT_FAIL, sr_xstrdup("no rotations configured"));
	/* the window the effective shifts are laid over below, padded by a turn, lies inside */
	if (load_overrides(cli, from - lookback(cfg), until + lookback(cfg), &ov) != 0)
		return SR_EXIT_FAIL;	/* a calendar without its overrides would mislead */
	sr_buf_init(&b);
	calname = sr_xasprintf("sitrep on call%s%s", only ? ": " : "", only ? only->name : "");
	sr_ical_begin(&b, calname);
	free(calname);
	for (size_t i = 0; i < cfg->n_rotations && status == 0; i++) {
		const struct sr_rotation *r = &cfg->rotations[i];
		int64_t pad = r->n_members > 0 ? r->length : 7 * 86400;
		struct sr_shift_list base, eff;

		if (only != NULL && only != r)
			continue;
		sr_shift_list_init(&base);
		sr_shift_list_init(&eff);
		/* A turn of padding each side, so the shifts at the edges come out whole. */
		struct fetched f;

		memset(&f, 0, sizeof(f));
		if (r->ical_url != NULL && fetch_calendar(cli, r, &f, &err) != 0) {
			status = sr_cli_fail(cli, SR_EXIT_FAIL, err);
			err = NULL;	/* freed: the next rotation's error is its own */
		} else if (sr_oncall_base(r, cfg->timezone, r->ical_url ? &f.cal : NULL, from - pad,
					  until + pad, &base, &err) != 0) {
			status = sr_cli_fail(cli, SR_EXIT_FAIL, err);
			err = NULL;
		} else {
			size_t n_mine;
			const struct sr_override *mine = sr_overrides_of(ov.v, ov.n, r->name, &n_mine);

			sr_oncall_effective(&base, r->name, mine, n_mine, from - pad, until + pad, &eff);
			for (size_t j = 0; j < eff.n; j++)
				if (eff.v[j].until > from && eff.v[j].from < until)
					sr_ical_event(&b, r->name, &eff.v[j], cli->ses->now);
		}
		sr_shift_list_done(&base);
		sr_shift_list_done(&eff);
		fetched_done(&f);
	}
	sr_ical_end(&b);
	if (status == 0)
		sr_cli_write(cli, &b);
	sr_buf_done(&b);
	sr_override_list_done(&ov);
	return status;
}

int
sr_cli_oncall(struct sr_cli *cli, int argc, char **argv)
{
	if (sr_cli_wants_help(argc, argv)) {
		fputs(ONCALL_USAGE, cli->out);
		return SR_EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "override") == 0) {
		if (argc >= 3 && strcmp(argv[2], "list") == 0)
			return override_list(cli, argc - 2, argv + 2);
		if (argc >= 3 && strcmp(argv[2], "remove") == 0)
			return override_remove(cli, argc - 2, argv + 2);
		return override_add(cli, argc - 1, argv + 1);
	}
	if (argc >= 2 && strcmp(argv[1], "ics") == 0)
		return oncall_ics(cli, argc - 1, argv + 1);
	return oncall_show(cli, argc, argv);
}

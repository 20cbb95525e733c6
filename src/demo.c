/* SPDX-License-Identifier: MIT */
/* demo.c: seeds a store with realistic incidents so a newcomer sees a live-looking console. */
#include <string.h>

#include "change.h"
#include "demo.h"

/* One step of a demo incident's history, `ago` seconds before now. */
struct step {
	int64_t ago;
	enum { ACK, STATUS, ROLE, NOTE, LINK, UPDATE, RESOLVE, CLOSE, TICK } what;
	const char *a, *b;
};

struct demo {
	int64_t ago;
	enum sr_sev sev;
	const char *title, *service, *impact;
	const struct step *steps;
};

static const struct step checkout_steps[] = {
	{ 21 * 60, LINK, "a3f9c27e41d0b8e5", "HighErrorRate{service=\"checkout\"}" },
	{ 0, TICK, NULL, NULL },
	{ -1, ACK, NULL, NULL },
};
static const struct step search_steps[] = {
	{ 48 * 60, ACK, NULL, NULL },
	{ 47 * 60, ROLE, "commander", "dana" },
	{ 45 * 60, STATUS, "investigating", NULL },
	{ 40 * 60, LINK, "5be01c9d7f2a6e34", "HighLatencyP95{service=\"search\"}" },
	{ 38 * 60, NOTE, "p95 at 2.4s since the 02:10 deploy of search-api v4.18", NULL },
	{ 35 * 60, UPDATE, "#inc-search", NULL },
	{ -1, ACK, NULL, NULL },
};
static const struct step backup_steps[] = {
	{ 170 * 60, ACK, NULL, NULL },
	{ 160 * 60, STATUS, "investigating", NULL },
	{ 100 * 60, STATUS, "identified", NULL },
	{ 99 * 60, NOTE, "S3 credentials for the backup role expired at 00:00 UTC", NULL },
	{ 90 * 60, UPDATE, "#ops", NULL },
	{ -1, ACK, NULL, NULL },
};
static const struct step footer_steps[] = {
	{ 40 * 3600, ACK, NULL, NULL },
	{ -1, ACK, NULL, NULL },
};
static const struct step db_steps[] = {
	{ 26 * 3600 - 5 * 60, ACK, NULL, NULL },
	{ 26 * 3600 - 6 * 60, ROLE, "commander", "sam" },
	{ 26 * 3600 - 8 * 60, STATUS, "investigating", NULL },
	{ 26 * 3600 - 30 * 60, STATUS, "identified", NULL },
	{ 26 * 3600 - 31 * 60, NOTE, "pool exhausted by idle-in-transaction sessions from "
				     "the reports worker", NULL },
	{ 26 * 3600 - 50 * 60, STATUS, "monitoring", NULL },
	{ 26 * 3600 - 80 * 60, RESOLVE, "reports worker leaked transactions after v2.3",
	  "terminated idle sessions, rolled back reports worker to v2.2" },
	{ 20 * 3600, CLOSE, NULL, NULL },
	{ -1, ACK, NULL, NULL },
};

static const struct demo demos[] = {
	{ 26 * 3600, SR_SEV_P2, "Orders DB connection pool exhausted", "orders-db",
	  "Order placement failing for ~30% of users", db_steps },
	{ 2 * 86400, SR_SEV_P4, "Typo in status page footer", "status-page", NULL, footer_steps },
	{ 3 * 3600, SR_SEV_P3, "Nightly backup of billing DB failed", "backups",
	  "No fresh backup since yesterday 00:00", backup_steps },
	{ 50 * 60, SR_SEV_P2, "Search p95 latency above 2s", "search",
	  "Search slow for all users", search_steps },
	{ 22 * 60, SR_SEV_P1, "Checkout API returning 5xx", "checkout",
	  "Customers cannot pay; ~18% of checkout requests fail", checkout_steps },
};

static int
step(struct sr_incident *inc, const struct sr_config *cfg, const struct step *s, sr_time at,
     struct sr_event_list *ev, char **err)
{
	const char *who = "demo";
	enum sr_status st;
	enum sr_role role;

	switch (s->what) {
	case ACK:
		return sr_incident_ack(inc, who, at, ev, err);
	case STATUS:
		if (sr_status_parse(s->a, &st, err) != 0)
			return -1;
		return sr_incident_set_status(inc, st, who, at, ev, err);
	case ROLE:
		if (sr_role_parse(s->a, &role, err) != 0)
			return -1;
		return sr_incident_assign(inc, role, s->b, who, at, ev, err);
	case NOTE:
		return sr_incident_note(inc, s->a, who, at, ev, err);
	case LINK:
		return sr_incident_link_alert(inc, s->a, s->b, who, at, ev, err);
	case UPDATE:
		return sr_incident_update_sent(inc, s->a, who, at, ev, err);
	case RESOLVE:
		return sr_incident_resolve(inc, s->a, s->b, who, at, ev, err);
	case CLOSE:
		return sr_incident_close(inc, who, at, ev, err);
	case TICK:
		sr_incident_tick(inc, cfg, at, ev);
		return 0;
	}
	return 0;
}

int
sr_demo_seed(struct sr_store *st, const struct sr_config *cfg, sr_time now, char **err)
{
	for (size_t i = 0; i < SR_ARRAY_LEN(demos); i++) {
		const struct demo *d = &demos[i];
		struct sr_incident inc;
		const struct sr_new_incident n = { d->title, d->service, d->impact, d->sev, NULL,
						   NULL };
		struct sr_event_list ev = { 0 };
		int rc = 0;

		sr_incident_init(&inc);
		if (sr_change_create(st, &n, "demo", now - d->ago, &inc, NULL, err) != 0) {
			sr_incident_done(&inc);
			return -1;
		}
		for (const struct step *s = d->steps; s->ago >= 0 && rc == 0; s++) {
			memset(&ev, 0, sizeof(ev));
			rc = step(&inc, cfg, s, now - s->ago, &ev, err);
			if (rc == 0 && ev.n > 0)
				rc = st->ops->update(st, &inc, &ev, NULL, err);
			sr_event_list_done(&ev);
		}
		sr_incident_done(&inc);
		if (rc != 0)
			return -1;
	}
	return 0;
}

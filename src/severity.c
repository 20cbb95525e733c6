/* SPDX-License-Identifier: MIT */
/* severity.c: incident severities P1..P4: names and parsing. */
#include "severity.h"
#include "util.h"

static const char *const sev_names[SR_SEV_COUNT] = { "P1", "P2", "P3", "P4" };

const char *
sr_sev_name(enum sr_sev s)
{
	if ((int)s < 0 || (int)s >= SR_SEV_COUNT)
		return NULL;
	return sev_names[s];
}

int
sr_sev_parse(const char *s, enum sr_sev *out, char **err)
{
	const char *p = s;

	if (s == NULL)
		return sr_err(err, "missing severity: expected P1, P2, P3 or P4");
	if (*p == 'P' || *p == 'p')
		p++;
	if (p[0] >= '1' && p[0] <= '4' && p[1] == '\0') {
		*out = (enum sr_sev)(p[0] - '1');
		return 0;
	}
	return sr_err(err, "bad severity \"%.40s\": expected P1, P2, P3 or P4", s);
}

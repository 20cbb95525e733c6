/* SPDX-License-Identifier: MIT */
/* severity.h: incident severities P1..P4: their names and the one parser of them. */
#ifndef SR_SEVERITY_H
#define SR_SEVERITY_H

enum sr_sev { SR_SEV_P1, SR_SEV_P2, SR_SEV_P3, SR_SEV_P4 };
#define SR_SEV_COUNT 4

/* "P1".."P4" for a severity; NULL for an out-of-range value. */
const char *sr_sev_name(enum sr_sev s);
/* Parses "P1".."P4" (case-insensitive, "1".."4" too). Returns 0, or -1 with an error naming s. */
int sr_sev_parse(const char *s, enum sr_sev *out, char **err);

#endif

/* SPDX-License-Identifier: MIT */
/* matcher.h: label matchers in amtool's syntax (name=value, !=, =~, !~, quoted values). */
#ifndef SR_MATCHER_H
#define SR_MATCHER_H

#include <stddef.h>

#include "util.h"

enum sr_match_op { SR_MATCH_EQ, SR_MATCH_NE, SR_MATCH_RE, SR_MATCH_NRE };

/* One name/value pair of a label set (alert labels, annotations, series labels). */
struct sr_label {
	char *name;
	char *value;
};

struct sr_matcher {
	char *name;
	enum sr_match_op op;
	char *value;		/* unescaped */
	void *re;		/* compiled regex (private), for =~ and !~ */
};

struct sr_matchers {
	struct sr_matcher *v;
	size_t n, cap;
};

/* "=", "!=", "=~", "!~". */
const char *sr_match_op_str(enum sr_match_op op);

/*
 * Parses one matcher exactly as Alertmanager's labels.ParseMatcher: optional spaces,
 * a label name, an operator, and a value, optionally in double quotes with \" \\ \n escapes.
 * Regex values must compile (anchored at both ends). Appends to out. Fails with
 * "bad matcher format: TEXT" and similar messages naming the text.
 */
int sr_matcher_parse(struct sr_matchers *out, const char *s, char **err);
/*
 * Parses a comma-separated list, optionally in braces ({a="1",b=~"x.*"}), as
 * labels.ParseMatchers does; commas inside quotes do not split. Appends to out.
 */
int sr_matchers_parse(struct sr_matchers *out, const char *s, char **err);
/*
 * Parses command-line arguments as amtool does: each argument is a matcher list, and when the
 * first one is not a valid matcher it is taken as "alertname=ARG".
 */
int sr_matchers_parse_args(struct sr_matchers *out, int argc, char **argv, char **err);

void sr_matchers_init(struct sr_matchers *m);
void sr_matchers_done(struct sr_matchers *m);

/* True when labels satisfy m (a missing label has the value ""). */
int sr_matcher_matches(const struct sr_matcher *m, const struct sr_label *labels, size_t n);
/* True when labels satisfy every matcher in ms (an empty list matches everything). */
int sr_matchers_match(const struct sr_matchers *ms, const struct sr_label *labels, size_t n);

/*
 * Appends m to b in the canonical form Alertmanager reads back: name, operator and the value
 * in double quotes with ", \ and newline escaped.
 */
void sr_matcher_format(struct sr_buf *b, const struct sr_matcher *m);

/* The value of label name in labels, or NULL. */
const char *sr_label_get(const struct sr_label *labels, size_t n, const char *name);
/* Frees the names and values of n labels and the array itself. */
void sr_labels_free(struct sr_label *labels, size_t n);

#endif

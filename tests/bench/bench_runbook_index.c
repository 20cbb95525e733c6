/* SPDX-License-Identifier: MIT */
/* bench_runbook_index.c: index 1,000 runbooks (~10 MB), re-index after one change, search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>

#include "runbook.h"
#include "util.h"

#define N_FILES 1000

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/*
 * A vocabulary like real prose: 4,000 words with Zipf-distributed frequencies; the domain
 * words the queries use sit at ranks 40-65 (common, not in every section).
 */
static const char *const domain[] = {
	"database", "connection", "pool", "latency", "error", "rate", "disk", "space", "memory",
	"cpu", "kubernetes", "rollback", "deploy", "certificate", "backup", "restore", "replica",
	"timeout", "queue", "cache", "shard", "index", "vacuum", "throttle", "upstream", "proxy",
};
#define VOCAB 4000
static char *vocab[VOCAB];
static double cum[VOCAB];

static void
make_vocab(void)
{
	static const char *const syl[] = { "ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "de",
					   "pa", "gu", "fe", "zo", "hi", "ba", "ce" };
	double total = 0;
	size_t i, d = 0;

	for (i = 0; i < VOCAB; i++) {
		if (i >= 40 && d < SR_ARRAY_LEN(domain)) {
			vocab[i] = sr_xstrdup(domain[d++]);
		} else {
			size_t k = i + 1;
			struct sr_buf b;

			sr_buf_init(&b);
			while (k > 0) {
				sr_buf_adds(&b, syl[k % 16]);
				k /= 16;
			}
			vocab[i] = sr_buf_steal(&b);
		}
		total += 1.0 / (double)(i + 1);
		cum[i] = total;
	}
	for (i = 0; i < VOCAB; i++)
		cum[i] /= total;
}

static const char *
word(unsigned *seed)
{
	double r = (double)rand_r(seed) / ((double)RAND_MAX + 1);
	size_t lo = 0, hi = VOCAB - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cum[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return vocab[lo];
}

static void
gen(const char *path, int n, unsigned *seed)
{
	FILE *f = fopen(path, "w");
	int s, i;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fprintf(f, "---\ntitle: Runbook %d %s\ntags: [bench]\nalerts: [Alert%d]\n---\n"
		   "# Runbook %d\n\n", n, word(seed), n, n);
	for (s = 0; s < 12; s++) {
		fprintf(f, "## Section %d %s\n\n", s, word(seed));
		for (i = 0; i < 145; i++)
			fprintf(f, "%s%s", word(seed), i % 15 == 14 ? ".\n" : " ");
		fprintf(f, "\n\n- [ ] check the %s\n- [ ] fix the %s\n\n```sh\nkubectl get pods -n "
			   "prod | grep %s\n```\n\n", word(seed), word(seed), word(seed));
	}
	fclose(f);
}

static void
update(const char *dir, const char *db, struct sr_index_stats *st)
{
	struct sr_runbook_set set;
	struct sr_runbook_index *idx;
	char *dirs[] = { (char *)dir }, *err = NULL;

	if (sr_runbook_scan(&set, dirs, 1, 0, &err) < 0 ||
	    (idx = sr_runbook_index_open(db, &err)) == NULL) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	if (sr_runbook_index_update(idx, &set, 0, NULL, NULL, st, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	sr_runbook_index_close(idx);
	sr_runbook_set_done(&set);
}

int
main(void)
{
	char tmp[] = "/tmp/sitrep-bench-index-XXXXXX", *rb, *db, *p, *err = NULL;
	static const char *const queries[] = { "connection pool", "vacuum", "kube roll",
					       "certificate backup", "section 7 proxy" };
	struct sr_index_stats st;
	struct sr_runbook_index *idx;
	struct sr_search_hits h;
	struct stat sb;
	long long bytes = 0;
	double t, full, one, search_ms = 0;
	unsigned seed = 42;
	int i, k, rounds = 20;

	if (mkdtemp(tmp) == NULL)
		return 1;
	make_vocab();
	rb = sr_xasprintf("%s/rb", tmp);
	db = sr_xasprintf("%s/index.db", tmp);
	mkdir(rb, 0700);
	for (i = 0; i < N_FILES; i++) {
		p = sr_xasprintf("%s/runbook-%04d.md", rb, i);
		gen(p, i, &seed);
		if (stat(p, &sb) == 0)
			bytes += sb.st_size;
		free(p);
	}
	printf("corpus: %d runbooks, %.1f MB\n", N_FILES, (double)bytes / 1e6);

	t = now_ms();
	update(rb, db, &st);
	full = now_ms() - t;
	printf("index from scratch: %.0f ms (%zu files, %zu sections; target < 2000 ms): %s\n", full,
	       st.added, st.sections, full < 2000 ? "ok" : "SLOW");

	p = sr_xasprintf("%s/runbook-0500.md", rb);
	gen(p, 5000, &seed);	/* new content, new size and mtime */
	free(p);
	t = now_ms();
	update(rb, db, &st);
	one = now_ms() - t;
	printf("re-index after one change: %.1f ms (%zu updated, %zu unchanged; target < 50 ms): %s\n",
	       one, st.updated, st.unchanged, one < 50 ? "ok" : "SLOW");

	idx = sr_runbook_index_open(db, &err);
	if (idx == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	for (k = 0; k < rounds; k++)
		for (i = 0; i < (int)SR_ARRAY_LEN(queries); i++) {
			t = now_ms();
			if (sr_runbook_search(idx, queries[i], 10, &h, &err) < 0) {
				fprintf(stderr, "%s\n", err);
				return 1;
			}
			search_ms += now_ms() - t;
			if (k == 0 && h.n == 0) {
				fprintf(stderr, "no hits for %s\n", queries[i]);
				return 1;
			}
			sr_search_hits_done(&h);
		}
	search_ms /= rounds * (double)SR_ARRAY_LEN(queries);
	printf("search (10 best, mean of %d): %.2f ms (target < 10 ms): %s\n",
	       rounds * (int)SR_ARRAY_LEN(queries), search_ms, search_ms < 10 ? "ok" : "SLOW");
	sr_runbook_index_close(idx);

	if (getenv("SITREP_BENCH_KEEP") != NULL) {	/* for looking at the index by hand */
		printf("kept: %s\n", tmp);
	} else {
		p = sr_xasprintf("rm -rf '%s'", tmp);
		if (system(p) != 0)
			fprintf(stderr, "could not remove %s\n", tmp);
		free(p);
	}
	free(rb);
	free(db);
	for (i = 0; i < VOCAB; i++)
		free(vocab[i]);
	return 0;
}

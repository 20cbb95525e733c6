/* SPDX-License-Identifier: MIT */
/*
 * driver.c: a main() for fuzz targets in ordinary builds, so every target runs over its seed
 * corpus and crash regressions in `make check`. With --enable-fuzzing libFuzzer brings main().
 */
#ifndef SR_LIBFUZZER
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL) {
		perror(path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf == NULL || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
		fprintf(stderr, "%s: read failed\n", path);
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

static int
run_path(const char *path, int *count)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (stat(path, &sb) != 0)
		return 0;	/* an absent corpus directory is fine */
	if (!S_ISDIR(sb.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	if ((d = opendir(path)) == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		rc |= run_path(sub, count);
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0, count = 0;

	for (int i = 1; i < argc; i++)
		rc |= run_path(argv[i], &count);
	printf("%s: %d inputs\n", argv[0], count);
	return rc;
}
#endif

/* SPDX-License-Identifier: MIT */
/* fuzz_config.c: the config parser on arbitrary files (errors are fine; crashes and leaks not). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/sitrep-fuzz-config-XXXXXX";
	struct sr_config cfg;
	char *err = NULL;
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	sr_config_init(&cfg);
	(void)sr_config_load(&cfg, path, 1, &err);
	free(err);
	sr_config_done(&cfg);
	unlink(path);
	return 0;
}

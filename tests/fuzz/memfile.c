#define _GNU_SOURCE
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* One memory file per slot, rewritten for each input: no disk, no
 * directory entry, so a million executions cost no inodes. */
const char *fuzz_file(int slot, const uint8_t *data, size_t n)
{
	static int fd[2] = { -1, -1 };
	static char name[2][64];
	if (fd[slot] < 0) {
		fd[slot] = memfd_create("linkmatrix-fuzz", 0);
		if (fd[slot] < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(name[slot], sizeof name[slot], "/proc/self/fd/%d", fd[slot]);
	}
	if (ftruncate(fd[slot], 0) < 0 || pwrite(fd[slot], data, n, 0) != (ssize_t)n) {
		perror("fuzz input");
		abort();
	}
	return name[slot];
}

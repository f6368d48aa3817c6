#include "jobs/loadmsg.h"

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* What each loader prints when it refuses a program or a library (their
 * sources: glibc elf/dl-error-skeleton.c and rtld.c, musl ldso/dynlink.c,
 * illumos ld.so.1, FreeBSD rtld, bionic linker), and qemu-user, which
 * loads the interpreter itself where the kernel would: "Could not open
 * '/lib/ld-x.so.1': No such file or directory" is execve's ENOENT. */
static const struct {
	const char *needle, *who;
} msgs[] = {
	{ "error while loading shared libraries", "glibc ld.so" },
	{ "symbol lookup error", "glibc ld.so" },
	{ "' not found (required by ", "glibc ld.so" },
	{ "Inconsistency detected by ld.so", "glibc ld.so" },
	{ "Error relocating ", "musl ld.so" },
	{ "Error loading shared library ", "musl ld.so" },
	{ "ld.so.1: ", "illumos ld.so.1" },
	{ "ld-elf.so.1: ", "FreeBSD rtld" },
	{ "CANNOT LINK EXECUTABLE", "bionic linker" },
	{ ": Could not open '", "qemu-user, loading the interpreter" },
};

char *loader_message(const char *err, size_t len, const char **who)
{
	for (const char *line = err; err && line < err + len;) {
		const char *nl = memchr(line, '\n', (size_t)(err + len - line));
		size_t n = nl ? (size_t)(nl - line) : (size_t)(err + len - line);
		char *copy = xstrndup(line, n);
		for (size_t i = 0; i < ARRAY_LEN(msgs); i++)
			if (strstr(copy, msgs[i].needle)) {
				*who = msgs[i].who;
				return copy;
			}
		free(copy);
		line += n + 1;
	}
	return NULL;
}

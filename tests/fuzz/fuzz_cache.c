/* The cache's bundle reader: a cache is a directory anybody may write,
 * or a disk may damage. The input is a bundle; every key it names is
 * looked up, which restores the entry's files when its checksum holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "jobs/cache.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

static const char key[] = "0000000000000000000000000000000000000000000000000000000000000000";
static char *root, *cachedir, *restored;

static void cleanup(void)
{
	rm_rf(root);
}

/* The bundle's place in a scratch cache is a symbolic link to the input's
 * memory file: no file is written per input. */
static void setup(const char *input)
{
	static char tmpl[] = "/tmp/lm-fuzz-cache.XXXXXX";
	if (!(root = mkdtemp(tmpl)))
		abort();
	atexit(cleanup);
	cachedir = path_join(root, "cache");
	restored = path_join(root, "restored");
	char *bucket = xasprintf("%s/%.1s", cachedir, key);
	char *link = xasprintf("%s/%s", bucket, key + 1);
	if (mkdir_p(bucket) < 0 || mkdir_p(restored) < 0 || symlink(input, link) < 0)
		abort();
	free(bucket);
	free(link);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const char *input = fuzz_file(0, data, n);
	if (!cachedir)
		setup(input);
	struct cache_bundle *b = cache_bundle_open(cachedir, key, NULL);
	/* The keys the input names, as the bundle's entry lines do. */
	const char *p = (const char *)data, *end = p + n;
	for (const char *e; (e = memchr(p, 'y', (size_t)(end - p))); p = e + 1) {
		if (e - (const char *)data < 4 || memcmp(e - 4, "entr", 4) || end - e < 66 || e[1] != ' ')
			continue;
		char k[65];
		memcpy(k, e + 2, 64);
		k[64] = 0;
		size_t ncmds = 0;
		struct cache_cmd *c = cache_bundle_get(b, k, restored, NULL, &ncmds);
		cache_cmds_free(c, ncmds);
	}
	cache_bundle_close(b);   /* nothing put: nothing written */
	return 0;
}

/* The cache's bundles: a unit's entries in one file. What is put comes
 * back (files with their modes, each command's status, output and the
 * seconds it took, CPU unknown too); units
 * of a run share an open bundle; two runs that write one bundle keep
 * both's entries; an open bundle reads its entries from the file it
 * opened; a bundle keeps at most
 * 32 entries, the ones a run used first; a damaged bundle keeps the
 * entries before the damage, and garbage is a miss, not a crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jobs/cache.h"
#include "tap.h"
#include "util/util.h"

static char root[] = "/tmp/lm-test-cache.XXXXXX";
static char *cachedir, *work;
static const char unit[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/* A key that differs in its last digits: 64 hex digits, as sha256_hex makes. */
static const char *key(int i)
{
	static char k[65];
	snprintf(k, sizeof k, "%.56s%08x", unit, (unsigned)i);
	return k;
}

/* Writes obj.o (mode 0751) holding text into work and puts it into b with
 * one command that printed text to stdout and exited with status i, in
 * wall(i) seconds and cpu(i) (unknown for odd i). */
static double wall(int i) { return i * 0.5; }
static double cpu(int i) { return i % 2 ? -1 : i * 0.25; }

static void put(struct cache_bundle *b, int i, const char *text)
{
	char *path = path_join(work, "obj.o");
	write_file(path, text, strlen(text));
	chmod(path, 0751);
	free(path);
	struct cache_cmd m = { .status = i, .out_total = strlen(text), .err_total = 0,
			       .wall = wall(i), .cpu = cpu(i) };
	sb_adds(&m.out, text);
	char *outs[] = { "obj.o" };
	cache_bundle_put(b, key(i), work, outs, 1, &m, 1);
	sb_free(&m.out);
}

/* Whether key(i) is a hit whose file and output say text. */
static bool has(struct cache_bundle *b, int i, const char *text)
{
	char *path = path_join(work, "obj.o");
	unlink(path);
	size_t n = 0;
	struct cache_cmd *c = cache_bundle_get(b, key(i), work, NULL, &n);
	char *data = NULL;
	size_t len = 0;
	struct stat st;
	bool ok = c && n == 1 && c[0].status == i && !strcmp(sb_str(&c[0].out), text) &&
		  c[0].wall == wall(i) && c[0].cpu == cpu(i) &&
		  read_file(path, &data, &len) == 0 && len == strlen(text) &&
		  !memcmp(data, text, len) && stat(path, &st) == 0 && (st.st_mode & 0777) == 0751;
	cache_cmds_free(c, n);
	free(data);
	free(path);
	return ok;
}

static char *bundle_path(void)
{
	return xasprintf("%s/%c/%s", cachedir, unit[0], unit + 1);
}

static void roundtrip(void)
{
	struct cache_bundle *b = cache_bundle_open(cachedir, unit, NULL);
	ok(!has(b, 1, "one"), "an empty cache is a miss");
	put(b, 1, "one");
	put(b, 2, "two");
	ok(has(b, 2, "two"), "what was put is a hit in the same run");
	cache_bundle_close(b);
	char *path = bundle_path();
	struct stat st;
	ok(stat(path, &st) == 0, "the bundle is one file, named by the unit's key");
	free(path);
	b = cache_bundle_open(cachedir, unit, NULL);
	ok(has(b, 1, "one") && has(b, 2, "two"),
	   "the next run reads both entries: the file, its mode, the status and output");
	ok(!has(b, 3, "three"), "a key never put is a miss");
	cache_bundle_close(b);
}

static void shared_open(void)
{
	struct cache_bundle *a = cache_bundle_open(cachedir, unit, NULL);
	struct cache_bundle *b = cache_bundle_open(cachedir, unit, NULL);
	put(a, 10, "from a");
	ok(has(b, 10, "from a"), "units that compile alike share their open bundle");
	cache_bundle_close(a);
	put(b, 11, "from b");
	cache_bundle_close(b);
	struct cache_bundle *c = cache_bundle_open(cachedir, unit, NULL);
	ok(has(c, 10, "from a") && has(c, 11, "from b") && has(c, 1, "one"),
	   "written when the last of them closes it, with every entry");
	cache_bundle_close(c);
}

/* Another run (another process) writes the bundle while this one has it
 * open: neither's new entries are lost. The child names the cache by
 * another path, or it would find this run's open bundle in the memory
 * fork gave it. */
static void two_runs(void)
{
	struct cache_bundle *a = cache_bundle_open(cachedir, unit, NULL);
	put(a, 12, "from this run");
	pid_t pid = fork();
	if (pid == 0) {
		struct cache_bundle *b = cache_bundle_open(xasprintf("%s/.", cachedir), unit, NULL);
		put(b, 13, "from another run");
		cache_bundle_close(b);
		_exit(0);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	cache_bundle_close(a);
	struct cache_bundle *c = cache_bundle_open(cachedir, unit, NULL);
	ok(status == 0 && has(c, 12, "from this run") && has(c, 13, "from another run") &&
	   has(c, 11, "from b"),
	   "another run wrote the bundle meanwhile: both's entries are kept");
	cache_bundle_close(c);
}

/* Entries are read from the bundle when restored, not when it is opened:
 * from the file that was opened, whatever has been renamed over it. */
static void replaced(void)
{
	struct cache_bundle *a = cache_bundle_open(cachedir, unit, NULL);
	char *path = bundle_path(), *other = xasprintf("%s.other", path);
	write_file(other, "linkmatrix-cache-bundle 3\n", 26);
	ok(rename(other, path) == 0 && has(a, 1, "one") && has(a, 13, "from another run"),
	   "a bundle renamed over while open: its entries come from the file opened");
	cache_bundle_close(a);
	a = cache_bundle_open(cachedir, unit, NULL);
	ok(!has(a, 1, "one"), "and the next open reads the new one");
	put(a, 1, "one");
	put(a, 13, "from another run");
	cache_bundle_close(a);
	free(other);
	free(path);
}

static int rebuilt_hits(struct cache_bundle *b)
{
	int n = 0;
	for (int i = 100; i < 140; i++)
		n += has(b, i, "rebuilt");
	return n;
}

static void capped(void)
{
	/* A linker rebuilt 40 times: each run adds an entry for it; entry 1
	 * (another linker's) is used by every run. */
	for (int i = 100; i < 140; i++) {
		struct cache_bundle *b = cache_bundle_open(cachedir, unit, NULL);
		has(b, 1, "one");
		put(b, i, "rebuilt");
		cache_bundle_close(b);
	}
	struct cache_bundle *b = cache_bundle_open(cachedir, unit, NULL);
	int kept = rebuilt_hits(b);
	ok(has(b, 1, "one"), "an entry every run used is kept");
	ok(has(b, 139, "rebuilt") && has(b, 120, "rebuilt") && !has(b, 100, "rebuilt"),
	   "the newest entries are kept, the oldest dropped");
	is_int(kept + 1, 32, "a bundle keeps 32 entries, older ones a run did not use first to go");
	cache_bundle_close(b);
}

static void damaged(void)
{
	char *path = bundle_path(), *data = NULL;
	size_t len = 0;
	struct cache_bundle *b = cache_bundle_open(cachedir, unit, NULL);
	int before = rebuilt_hits(b);
	ok(read_file(path, &data, &len) == 0 && len > 100, "a bundle to damage");
	/* The last entry written is the oldest kept: cut it in half. */
	char *last = NULL;
	for (char *p = data; (p = strstr(p, "\nentry ")); p++)
		last = p + 1;
	size_t cut = last ? (size_t)(last - data) + (len - (size_t)(last - data)) / 2 : len;
	write_file(path, data, cut);
	cache_bundle_close(b);
	b = cache_bundle_open(cachedir, unit, NULL);
	ok(has(b, 1, "one") && has(b, 139, "rebuilt"), "cut short: the entries before the cut are hits");
	is_int(rebuilt_hits(b), before - 1, "the entry cut in half is a miss");
	cache_bundle_close(b);
	/* A byte changed inside an entry: its checksum fails. */
	free(data);
	read_file(path, &data, &len);
	char *one = strstr(data, "one");
	if (one)
		*one = 'O';
	write_file(path, data, len);
	b = cache_bundle_open(cachedir, unit, NULL);
	ok(one && !has(b, 1, "one") && !has(b, 1, "One") && has(b, 139, "rebuilt"),
	   "a changed byte makes its entry a miss, not the others");
	cache_bundle_close(b);
	static const char *const garbage[] = {
		"", "linkmatrix-cache-bundle 3\n", "linkmatrix-cache-bundle 3\nentry x 5\nabc",
		"linkmatrix-cache-bundle 3\nentry 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef 18446744073709551615\n",
		"linkmatrix-cache 2\nfiles 0\ncommands 0\n",
	};
	bool all = true;
	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
		write_file(path, garbage[i], strlen(garbage[i]));
		b = cache_bundle_open(cachedir, unit, NULL);
		all = all && !has(b, 1, "one");
		put(b, 1, "one");
		cache_bundle_close(b);
		b = cache_bundle_open(cachedir, unit, NULL);
		all = all && has(b, 1, "one");
		cache_bundle_close(b);
	}
	ok(all, "a bundle of garbage is a miss, and is written over");
	free(data);
	free(path);
}

int main(void)
{
	tap_start();
	if (!ok(mkdtemp(root) != NULL, "a scratch directory"))
		return tap_done();
	cachedir = path_join(root, "cache");
	work = path_join(root, "work");
	mkdir(work, 0777);
	roundtrip();
	shared_open();
	two_runs();
	replaced();
	capped();
	damaged();
	rm_rf(root);
	free(cachedir);
	free(work);
	return tap_done();
}

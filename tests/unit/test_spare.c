/* The pool of a run's emptied directories and files: what it takes, what
 * it gives back, and that a directory or file taken from it is as good as
 * a new one, from several threads at once. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/spare.h"
#include "tap.h"
#include "util/util.h"

static char *root;

static char *at(const char *rel)
{
	return path_join(root, rel);
}

static ino_t ino(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 ? st.st_ino : 0;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool has(const char *path, const char *text)
{
	char *data;
	size_t len;
	if (read_file(path, &data, &len) < 0)
		return false;
	bool same = len == strlen(text) && !memcmp(data, text, len);
	free(data);
	return same;
}

static int replace(struct spares *s, const char *path, const char *text)
{
	return spares_replace(s, path, spares_fill_bytes, &(struct spares_bytes){ text, strlen(text) });
}

/* A writer that fails halfway, as on a full disk. */
static int fill_half(int fd, void *arg)
{
	(void)arg;
	if (write_all(fd, "ha", 2) == 0)
		errno = ENOSPC;
	return -1;
}

static bool tmp_left(const char *dir)
{
	struct strvec left = STRVEC_INIT;
	list_names(dir, &left);
	bool tmp = false;
	for (size_t i = 0; i < left.n; i++)
		tmp |= strstr(left.v[i], ".tmp.") != NULL;
	sv_clear(&left);
	return tmp;
}

/* Entries of the pool's directory. */
static size_t pooled(const struct spares *s)
{
	DIR *d = opendir(s->dir);
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static void without_pool(void)
{
	char *deep = at("plain/a/b");
	ok(spares_mkdir(NULL, deep) == 0 && is_dir(deep), "no pool: mkdir -p");
	char *f = at("plain/a/b/f");
	ok(spares_write(NULL, f, "x", 1, -1) == 0 && has(f, "x"), "a file written");
	char *top = at("plain");
	ok(spares_remove(NULL, top) == 0 && ino(top) == 0, "rm -rf");
	free(deep), free(f), free(top);
}

static void recycling(void)
{
	struct spares s;
	char *work = at("work");
	if (!ok(spares_open(&s, work) == 0 && is_dir(s.dir) && pooled(&s) == 0, "an empty pool in WORK/.spare"))
		return;
	char *deep = at("work/u/build"), *src = at("work/u/build/main.c"), *u = at("work/u");
	ok(spares_mkdir(&s, deep) == 0 && is_dir(deep), "an empty pool: mkdir -p");
	ok(spares_write(&s, src, "int main(void) { return 42; }\n", 30, -1) == 0, "a source written");
	ino_t dirs[] = { ino(u), ino(deep) }, file = ino(src);

	/* What the pool must not take. */
	char *outside = at("outside"), *linked = at("work/u/build/linked");
	char *exe = at("work/u/build/exe"), *big = at("work/u/build/big"), *locked = at("work/u/locked");
	char *sym = at("work/u/out");
	write_file(outside, "keep", 4);
	ok(link(outside, linked) == 0 && symlink("../../outside", sym) == 0, "precondition: links out");
	write_file(exe, "#!/bin/sh\n", 10);
	chmod(exe, 0755);
	size_t bigsize = (1 << 20) + 1;
	char *bytes = xcalloc(1, bigsize);
	write_file(big, bytes, bigsize);
	free(bytes);
	mkdir(locked, 0700);
	ino_t foreign[] = { ino(outside), ino(big), ino(locked) }, prog = ino(exe);

	ok(spares_remove(&s, u) == 0 && ino(u) == 0, "the tree is gone");
	ok(has(outside, "keep"), "a hard link's other name and a symlink's target untouched");
	is_int(pooled(&s), 4, "the pool has the two directories, the source and the program");
	is_int(s.dirs.n + s.files.n, 4, "and knows them");

	char *again = at("work/v/build"), *v = at("work/v"), *src2 = at("work/v/build/lib.c");
	ok(spares_mkdir(&s, again) == 0 && is_dir(again), "mkdir -p from the pool");
	ino_t got[] = { ino(v), ino(again) };
	ok((got[0] == dirs[0] || got[0] == dirs[1]) && (got[1] == dirs[0] || got[1] == dirs[1]) &&
		   got[0] != got[1], "both directories are the spares");
	char *prog2 = at("work/v/build/prog");
	ok(spares_write(&s, src2, "int f;\n", 7, -1) == 0 && has(src2, "int f;\n") &&
		   spares_write(&s, prog2, "#!/bin/sh\nexit 3\n", 17, 0755) == 0 &&
		   has(prog2, "#!/bin/sh\nexit 3\n"),
	   "files from the pool hold what was written, and nothing of what they held");
	ok((ino(src2) == file || ino(src2) == prog) && (ino(prog2) == file || ino(prog2) == prog) &&
		   ino(src2) != ino(prog2), "they are the spares");
	struct stat st;
	ok(lstat(again, &st) == 0 && (st.st_mode & 07777) == s.dir_mode && lstat(src2, &st) == 0 &&
		   (st.st_mode & 07777) == s.file_mode && lstat(prog2, &st) == 0 &&
		   (st.st_mode & 07777) == 0755, "with a new one's permissions, or those asked for");
	is_int(pooled(&s), 0, "the pool is empty again");
	for (size_t i = 0; i < ARRAY_LEN(foreign); i++)
		ok(foreign[i] != got[0] && foreign[i] != got[1] && foreign[i] != ino(src2),
		   "never a changed directory, a linked or big file (%zu)", i);

	ok(spares_write(&s, src2, "x", 1, -1) == 0 && has(src2, "x"), "an empty pool: a new file");
	char *plain = at("work/file"), *under = at("work/file/sub");
	unlink(prog2);
	ok(rename(src2, plain) == 0 && spares_remove(&s, v) == 0 && s.dirs.n == 2, "two spares again");
	errno = 0;
	ok(spares_mkdir(&s, under) < 0 && errno == ENOTDIR && s.dirs.n == 1,
	   "a file in the way is ENOTDIR (and a spare is spent)");
	char *full = at("work/w");
	mkdir(full, 0777);
	char *kept = at("work/w/kept");
	write_file(kept, "k", 1);
	ok(spares_mkdir(&s, full) == 0 && has(kept, "k"), "a directory that is there is kept as it is");

	char *longer = at("work/w/kept"), *shorter = at("work/short"), *copied = at("work/copied");
	write_file(longer, "a longer text than the next", 27);
	write_file(shorter, "short", 5);
	ino_t was = ino(longer);
	int in = open(shorter, O_RDONLY);
	ok(spares_remove(&s, full) == 0 && spares_copy(&s, copied, in) == 0 && ino(copied) == was &&
		   has(copied, "short"), "a copy into a spare: the bytes copied, cut where they end");
	close(in);
	free(longer), free(shorter), free(copied);

	char *many = at("work/many");
	mkdir(many, 0777);
	for (size_t i = 0; i < s.files.max + 6; i++) {
		char *f = xasprintf("%s/%zu", many, i);
		write_file(f, "", 0);
		free(f);
	}
	size_t before = pooled(&s), room = s.files.max - s.files.n;
	ok(spares_remove(&s, many) == 0 && ino(many) == 0 && s.files.n == s.files.max &&
		   pooled(&s) == before + room + 1,
	   "the pool takes files up to its bound, the rest are removed");
	free(many);

	/* As the cache writes its files. */
	char *entry = at("work/entry");
	size_t spare_files = s.files.n;
	ok(replace(&s, entry, "one") == 0 && replace(&s, entry, "two!") == 0 &&
		   has(entry, "two!") && s.files.n == spare_files - 2,
	   "replaced whole, each time in a spare");
	ok(!tmp_left(work), "no temporary file left");
	errno = 0;
	ok(spares_replace(&s, entry, fill_half, NULL) < 0 && errno == ENOSPC && has(entry, "two!") &&
		   !tmp_left(work),
	   "a write that fails (a full disk) leaves the file as it was, and no temporary file");
	char other[] = "/dev/shm/lm-spare-XXXXXX";
	if (mkdtemp(other)) {
		char *there = path_join(other, "entry");
		spare_files = s.files.n;
		ok(replace(&s, there, "far") == 0 && has(there, "far") && s.files.n == spare_files,
		   "on another file system: a new file, and the spare stays in the pool");
		rm_rf(other);
		free(there);
	}
	free(entry);

	char *pool = xstrdup(s.dir);
	spares_close(&s);
	ok(ino(pool) == 0, "closing removes the pool");
	free(pool), free(full), free(kept), free(plain), free(under), free(again), free(v), free(src2);
	free(prog2), free(outside), free(linked), free(exe), free(big), free(locked), free(sym);
	free(deep), free(src), free(u), free(work);
}

/* A build's directory goes to the pool whole, its own directories in it
 * emptied, and comes back so. */
static void builds(void)
{
	struct spares s;
	char *work = at("work3");
	if (!ok(spares_open(&s, work) == 0, "a pool for builds"))
		return;
	char *u = at("work3/u"), *build = at("work3/u/build"), *lld = at("work3/u/lld");
	char *deep = at("work3/u/lld/sub"), *obj = at("work3/u/build/a.o"), *out = at("work3/u/lld/out");
	spares_mkbuild(&s, u);
	spares_mkdir(&s, build);
	spares_mkdir(&s, deep);
	write_file(obj, "o", 1);
	write_file(out, "x", 1);
	ino_t was[] = { ino(u), ino(build), ino(lld) };
	ok(spares_remove_build(&s, u) == 0 && ino(u) == 0, "a build's directory removed");
	is_int(s.builds.n, 1, "kept whole");
	is_int(s.dirs.n, 1, "what was deeper is a plain spare");
	char *v = at("work3/v"), *vbuild = at("work3/v/build"), *vlld = at("work3/v/lld");
	char *vdeep = at("work3/v/lld/sub"), *vobj = at("work3/v/build/a.o");
	ok(spares_mkbuild(&s, v) == 0 && ino(v) == was[0] && ino(vbuild) == was[1] && ino(vlld) == was[2],
	   "the next build's directory is that one, with its own");
	ok(ino(vdeep) == 0 && ino(vobj) == 0, "emptied");
	ok(spares_mkdir(&s, vlld) == 0 && ino(vlld) == was[2] && s.dirs.n == 1,
	   "a directory already there is taken as it is, no spare spent");

	chmod(v, 0700);
	ok(spares_remove_build(&s, v) == 0 && ino(v) == 0 && s.builds.n == 0,
	   "one whose permissions changed is removed, not kept");
	spares_close(&s);
	free(u), free(build), free(lld), free(deep), free(obj), free(out), free(v), free(vbuild);
	free(vlld), free(vdeep), free(vobj), free(work);
}

/* Threads that make, fill, check and remove trees through one pool: a
 * spare handed to two of them would show as the other's bytes. */
enum { THREADS = 4, ROUNDS = 200 };
static struct spares shared;
static int mixups;

static void *churn(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < ROUNDS; i++) {
		char *dir = xasprintf("%s/t%ld/r%d/sub", root, id, i % 3);
		char *file = xasprintf("%s/f", dir), *mine = xasprintf("thread %ld round %d", id, i);
		char *top = xasprintf("%s/t%ld", root, id);
		if (spares_mkdir(&shared, dir) < 0 || spares_write(&shared, file, mine, strlen(mine), i % 2 ? 0755 : -1) < 0 ||
		    !has(file, mine))
			__atomic_add_fetch(&mixups, 1, __ATOMIC_RELAXED);
		if (i % 3 == 2 && spares_remove(&shared, top) < 0)
			__atomic_add_fetch(&mixups, 1, __ATOMIC_RELAXED);
		free(dir), free(file), free(mine), free(top);
	}
	return NULL;
}

static void threads(void)
{
	char *work = at("work2");
	if (!ok(spares_open(&shared, work) == 0, "a pool for threads"))
		return;
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, churn, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	is_int(mixups, 0, "four threads, 800 trees made and removed: each got its own");
	ok(shared.dirs.n > 0 && shared.files.n > 0, "and what they removed went to the pool");
	spares_close(&shared);
	free(work);
}

int main(void)
{
	tap_start();
	char tmpl[] = "/tmp/lm-spare-XXXXXX";
	if (!ok(mkdtemp(tmpl) != NULL, "scratch directory"))
		return tap_done();
	root = tmpl;
	without_pool();
	recycling();
	builds();
	threads();
	ok(rm_rf(root) == 0, "scratch removed");
	return tap_done();
}

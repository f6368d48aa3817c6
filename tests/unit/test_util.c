/* The helpers every run depends on: for its work tree, making deep
 * directories, removing trees without following links out of them and
 * writing files whole; sizes as people read them; words quoted for sh;
 * argument vectors edited in place. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobs/commands.h"
#include "tap.h"
#include "util/util.h"

static char *root;

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static char *at(const char *rel)
{
	return path_join(root, rel);
}

static void mkdir_deep(void)
{
	char *deep = at("a/b/c/d");
	ok(mkdir_p(deep) == 0 && is_dir(deep), "mkdir_p makes every missing component");
	ok(mkdir_p(deep) == 0, "and succeeds when it exists");
	char *sibling = at("a/b/x");
	ok(mkdir_p(sibling) == 0 && is_dir(sibling), "a leaf under an existing parent");
	char *file = at("a/f");
	write_file(file, "x", 1);
	char *under = at("a/f/g/h");
	errno = 0;
	ok(mkdir_p(under) < 0 && errno == ENOTDIR, "a file in the way is ENOTDIR, not success");
	free(deep), free(sibling), free(file), free(under);
}

static void remove_tree(void)
{
	char *outside = at("outside");
	char *keep = at("outside/keep");
	mkdir_p(outside);
	write_file(keep, "k", 1);
	char *tree = at("tree");
	char *sub = at("tree/s/t");
	mkdir_p(sub);
	char *f1 = at("tree/f"), *f2 = at("tree/s/t/g"), *hard = at("tree/hard");
	char *sym = at("tree/link-out");
	write_file(f1, "1", 1);
	write_file(f2, "2", 1);
	ok(link(keep, hard) == 0, "precondition: a hard link into the tree");
	ok(symlink("../outside", sym) == 0, "precondition: a symlink out of it");
	ok(rm_rf(tree) == 0 && !exists(tree), "rm_rf removes files, links and subdirectories");
	ok(exists(keep), "without following a symlink or touching a hard link's other name");
	ok(rm_rf(tree) == 0, "a missing tree is not an error");
	char *lone = at("lone");
	write_file(lone, "", 0);
	ok(rm_rf(lone) == 0 && !exists(lone), "a plain file is removed");
	free(outside), free(keep), free(tree), free(sub), free(f1), free(f2), free(hard), free(sym),
		free(lone);
}

static void writes(void)
{
	char *p = at("w"), *data;
	size_t len;
	ok(write_file(p, "hello", 5) == 0 && read_file(p, &data, &len) == 0 && len == 5 &&
		   !memcmp(data, "hello", 5), "write_file writes the bytes");
	free(data);
	ok(write_file(p, "hi", 2) == 0 && read_file(p, &data, &len) == 0 && len == 2,
	   "and truncates what was there");
	free(data);
	ok(write_file_atomic(p, "atomic", 6) == 0 && read_file(p, &data, &len) == 0 && len == 6,
	   "write_file_atomic replaces it whole");
	free(data);
	char *missing = at("no/such/dir/w");
	ok(write_file(missing, "x", 1) < 0 && errno == ENOENT, "a missing directory is ENOENT");
	ok(write_file_atomic(missing, "x", 1) < 0 && errno == ENOENT, "for the atomic writer too");
	/* Bigger than copy_all's buffer, so it takes more than one read. */
	size_t big = 200000;
	char *bytes = xmalloc(big);
	for (size_t i = 0; i < big; i++)
		bytes[i] = (char)(i * 7);
	char *copy = at("copy");
	int in = -1, out = -1;
	ok(write_file(p, bytes, big) == 0 && (in = open(p, O_RDONLY)) >= 0 &&
		   (out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0666)) >= 0 && copy_all(in, out) == 0 &&
		   read_file(copy, &data, &len) == 0 && len == big && !memcmp(data, bytes, big),
	   "copy_all copies every byte");
	close(in), close(out);
	free(data);
	/* A case's path: source, copied when its unit is compiled. */
	struct case_file files[] = { { .name = "got.c", .path = copy }, { .name = "lost.c", .path = missing } };
	struct lcase c = { .files = files, .nfiles = 2 };
	struct strbuf why = STRBUF_INIT;
	char *got = at("got.c"), *lost = at("lost.c");
	ok(commands_materialise(&c, root, NULL, &why) < 0 && strstr(sb_str(&why), "lost.c: No such file"),
	   "a case's missing source is ENOENT, named");
	ok(read_file(got, &data, &len) == 0 && len == big && !exists(lost),
	   "the sources before it are copied, and no empty file is left for it");
	free(data);
	sb_free(&why);
	free(got), free(lost);
	free(bytes), free(copy), free(p), free(missing);
}

/* A diagnose command goes to sh: what a case wrote must stay one word. */
static void diagnose_quoting(void)
{
	char *argv[] = { "./x; touch pwned", "a b", NULL };
	char *cmd = diagnose_command("elfdump -d {program} && env {args}", argv, "");
	is_str(cmd, "elfdump -d './x; touch pwned' && env './x; touch pwned' 'a b'",
	       "{program} and {args} are quoted for the shell");
	free(cmd);
}

static void sizes(void)
{
	char b[32];
	is_str(human_size(64u << 20, b), "64 MiB", "64 MiB");
	is_str(human_size(100 << 10, b), "100 KiB", "100 KiB");
	is_str(human_size(1000, b), "1000 bytes", "not a whole KiB: bytes");
	is_str(human_size(0, b), "0 bytes", "nothing");
	is_str(human_size(8ull << 30, b), "8 GiB", "8 GiB");
}

/* An item taken out keeps the others' order and the vector an argv. */
static void vector_remove(void)
{
	struct strvec v = STRVEC_INIT;
	sv_push(&v, "-shared");
	sv_push(&v, "-z");
	sv_push(&v, "now");
	sv_remove(&v, 0);
	ok(v.n == 2 && !strcmp(v.v[0], "-z") && !strcmp(v.v[1], "now") && !v.v[2],
	   "the first of three taken out: the rest in order, NULL after them");
	sv_remove(&v, 1);
	ok(v.n == 1 && !strcmp(v.v[0], "-z") && !v.v[1], "the last taken out");
	sv_remove(&v, 0);
	ok(v.n == 0 && !v.v[0], "the only one: empty, still NULL-terminated");
	sv_push(&v, "again");
	ok(v.n == 1 && !strcmp(v.v[0], "again"), "and it grows again");
	sv_clear(&v);
}

/* Linker versions in the order of their release, as version columns and
 * the "fails up to 13, passes from 14" lines sort them. */
static void versions(void)
{
	ok(version_cmp("9.0.1", "13.0.1") < 0, "9 before 13: numbers, not strings");
	ok(version_cmp("14.0.6", "14.0.10") < 0, "14.0.6 before 14.0.10");
	ok(version_cmp("14.0", "14.0.6") < 0, "a shorter version before its longer one");
	ok(version_cmp("16.0.6", "16.0.6") == 0, "equal versions");
	ok(version_cmp("ld.lld-9", "ld.lld-13") < 0, "names holding versions sort by them too");
	ok(version_cmp("1.007", "1.7") == 0, "leading zeros are no digits of the number");
	ok(version_cmp("2.40", "2.4a") > 0, "a number after a letter where both differ");
}

/* "Did you mean": typos of a name found, other words left alone. */
static void suggestions(void)
{
	const char *opts[] = { "target", "linker", "max-failures", "known-failures", "tag" };
	const char *pt[] = { "PT_LOAD", "PT_GNU_RELRO", "PT_GNU_STACK", "PT_INTERP", "PT_PHDR" };
	const char *none = did_you_mean("zzz", opts, 5);
	ok(none == NULL, "nothing near: no suggestion");
	const char *s = did_you_mean("linekr", opts, 5);
	ok(s && !strcmp(s, "linker"), "two letters swapped: linekr is linker");
	s = did_you_mean("max-failure", opts, 5);
	ok(s && !strcmp(s, "max-failures"), "a letter left out");
	s = did_you_mean("PT_GNU_RELR", pt, 5);
	ok(s && !strcmp(s, "PT_GNU_RELRO"), "a constant's name with a letter left out");
	s = did_you_mean("pt_interp", pt, 5);
	ok(s && !strcmp(s, "PT_INTERP"), "letters compared without case");
	s = did_you_mean("known", opts, 5);
	ok(s && !strcmp(s, "known-failures"), "a prefix of one candidate alone");
	ok(did_you_mean("ta", opts, 5) == NULL, "a prefix of two candidates: none");
	ok(did_you_mean("tag", opts, 5) == NULL, "the word itself is no suggestion");
	ok(did_you_mean("PT_BOGUS", pt, 5) == NULL, "a word three letters from any: none");
	char longw[200];
	memset(longw, 'a', sizeof longw - 1);
	longw[sizeof longw - 1] = 0;
	ok(did_you_mean(longw, opts, 5) == NULL, "a long word: none, and no overflow");
}

int main(void)
{
	tap_start();
	char tmpl[] = "/tmp/lm-util-XXXXXX";
	if (!ok(mkdtemp(tmpl) != NULL, "scratch directory"))
		return tap_done();
	root = tmpl;
	mkdir_deep();
	remove_tree();
	writes();
	sizes();
	diagnose_quoting();
	vector_remove();
	versions();
	suggestions();
	ok(rm_rf(root) == 0 && !exists(root), "scratch removed");
	return tap_done();
}

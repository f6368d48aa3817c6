/* Facts of real linker outputs: names, not addresses; constructors in the
 * order they run; the diff's rule that matching any one reference is
 * enough; ignores by glob. Needs gcc and GNU ld; lld and mold where
 * installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/diff.h"
#include "elf/facts.h"
#include "elfbuild.h"
#include "tap.h"

static char dir[] = "/tmp/lm-test-facts.XXXXXX";

static const char program[] =
	"#include <stdio.h>\n"
	"__attribute__((constructor(201))) static void ctor_b(void) { puts(\"b\"); }\n"
	"__attribute__((constructor(101))) static void ctor_a(void) { puts(\"a\"); }\n"
	"__attribute__((destructor)) static void dtor_z(void) { puts(\"z\"); }\n"
	"int exported_data = 1;\n"
	"int main(void) { return exported_data - 1; }\n";

/* Links the program with linker l into dir/l; false when l is missing. */
static bool link_with(const char *l, const char *extra)
{
	char *cmd = xasprintf("cd %s && gcc -O1 -fuse-ld=%s %s -o %s prog.c 2>/dev/null", dir, l,
			      extra, l);
	bool ok = system(cmd) == 0;
	free(cmd);
	return ok;
}

static bool collect(const char *name, struct facts *fs)
{
	char *path = path_join(dir, name);
	struct elf_file f;
	struct strbuf err = STRBUF_INIT;
	bool ok = elf_open(&f, path, &err) == 0;
	if (ok) {
		facts_collect(&f, fs);
		elf_close(&f);
	} else {
		fprintf(stderr, "# %s\n", err.buf);
	}
	sb_free(&err);
	free(path);
	return ok;
}

static const char *val(const struct facts *fs, const char *key)
{
	const struct fact *f = facts_find(fs, key);
	return f ? f->val : NULL;
}

static void facts_of_bfd(void)
{
	struct facts fs;
	if (!ok(link_with("bfd", "-rdynamic") && collect("bfd", &fs), "GNU ld links the program"))
		return;
	is_str(val(&fs, "header.entry"), "_start", "the entry point is named, not an address");
	is_str(val(&fs, "header.type"), "ET_DYN", "a PIE by Debian's default");
	is_str(val(&fs, "interp"), "/lib64/ld-linux-x86-64.so.2", "the interpreter");
	is_str(val(&fs, "dynamic.DT_NEEDED"), "libc.so.6", "DT_NEEDED as names");
	is_str(val(&fs, "dynamic.DT_INIT_ARRAY"), "@.init_array", "address tags as the section they point at");
	const char *init = val(&fs, "init_array");
	ok(init && strstr(init, "ctor_a ctor_b"), "init_array resolves its slots to constructors in "
	   "the order they run (priority 101 before 201): %s", init ? init : "(none)");
	const char *fini = val(&fs, "fini_array");
	ok(fini && strstr(fini, "dtor_z"), "fini_array too: %s", fini ? fini : "(none)");
	is_str(val(&fs, "dynsym.exported_data.type"), "object", "an exported symbol's type");
	is_str(val(&fs, "dynsym.exported_data.section"), ".data", "and its section, by name");
	is_str(val(&fs, "symtab.__libc_start_main.version"), "GLIBC_2.34",
	       "GNU ld's foo@VERSION in .symtab is split into name and version");
	ok(val(&fs, "segment.LOAD.RX.sections") && strstr(val(&fs, "segment.LOAD.RX.sections"), ".text"),
	   "a segment lists the sections it holds");
	is_str(val(&fs, "section..init_array.segment"), "LOAD.RW", "a section names the segment holding it");
	ok(!val(&fs, "symtab.ctor_a"), "local symbols are not facts");
	bool sorted = true;
	for (size_t i = 1; i < fs.n; i++)
		sorted &= strcmp(fs.v[i - 1].key, fs.v[i].key) < 0;
	ok(sorted, "facts are sorted and their keys unique (%zu facts)", fs.n);
	facts_free(&fs);
}

static void diff_rules(void)
{
	if (!link_with("bfd", "-rdynamic") || !link_with("lld", "-rdynamic")) {
		ok(1, "# SKIP lld is not installed");
		return;
	}
	char *bfd = path_join(dir, "bfd"), *lld = path_join(dir, "lld");
	char *paths[3] = { lld, bfd, lld };
	struct elf_diff d;
	struct strbuf err = STRBUF_INIT;
	ok(elf_diff_files(paths, 2, NULL, false, &d, &err) == 0 && d.nrows > 0,
	   "lld's output differs from GNU ld's (%zu keys)", d.nrows);
	bool comment = false;
	for (size_t i = 0; i < d.nrows; i++)
		comment |= !strcmp(d.rows[i].key, "comment");
	ok(!comment, "the default ignores leave out .comment");
	elf_diff_free(&d);
	ok(elf_diff_files(paths, 2, NULL, true, &d, &err) == 0, "without the defaults");
	comment = false;
	for (size_t i = 0; i < d.nrows; i++)
		comment |= !strcmp(d.rows[i].key, "comment");
	ok(comment, "it differs in .comment");
	elf_diff_free(&d);
	ok(elf_diff_files(paths, 3, NULL, false, &d, &err) == 0 && d.nrows == 0,
	   "matching any one reference is enough: none against [bfd, lld] itself");
	elf_diff_free(&d);
	struct slist all = { (const char *[]){ "*" }, 1 };
	ok(elf_diff_files(paths, 2, &all, false, &d, &err) == 0 && d.nrows == 0, "ignore '*' hides all");
	elf_diff_free(&d);
	char *missing = path_join(dir, "nothing");
	char *bad[2] = { missing, bfd };
	ok(elf_diff_files(bad, 2, NULL, false, &d, &err) < 0 && strstr(sb_str(&err), missing),
	   "an unreadable file is an error naming it");
	sb_free(&err);
	free(missing), free(bfd), free(lld);
}

/* Found by fuzz_diff: a RELATIVE relocation at the last 8 bytes of a
 * 12-byte .init_array is not a slot; it was written one past the array
 * of slots (a heap overflow under ASan). */
static void init_array_partial_slot(void)
{
	struct fx f;
	fx_init(&f, ET_DYN, 0);
	const uint64_t at[] = { FX_RW + 0x100, FX_RW + 0x108 };
	fx_rela(&f, at, 2);
	fx_sec(&f, ".init_array", SHT_INIT_ARRAY, SHF_ALLOC | SHF_WRITE, FX_RW + 0x100, 0x2100, 12, 8);
	char *path = path_join(dir, "partial.so");
	struct elf_file e;
	struct strbuf err = STRBUF_INIT;
	struct facts fs = { 0 };
	bool opened = fx_write(&f, path) == 0 && elf_open(&e, path, &err) == 0;
	if (opened) {
		facts_collect(&e, &fs);
		elf_close(&e);
	}
	ok(opened && val(&fs, "init_array"), "a 12-byte .init_array: one slot, and no write past it");
	if (opened)
		facts_free(&fs);
	sb_free(&err);
	free(path);
}

int main(void)
{
	tap_start();
	if (!ok(mkdtemp(dir) != NULL, "scratch directory"))
		return tap_done();
	char *src = path_join(dir, "prog.c");
	write_file(src, program, strlen(program));
	free(src);
	facts_of_bfd();
	diff_rules();
	init_array_partial_slot();
	rm_rf(dir);
	return tap_done();
}

/* Every loader rule against a file made to break it and the same file
 * fixed (or checked under a profile the rule does not apply to): each
 * test fails if its rule is removed or goes wrong. Fixtures are built
 * byte by byte (elfbuild.h); real linker outputs close the file. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/model.h"
#include "elf/rules.h"
#include "elfbuild.h"
#include "tap.h"

static char dir[] = "/tmp/lm-test-rules.XXXXXX";

/* What the file f, checked under profile, has to say of rule: its first
 * finding's place, "" where there is none, NULL when f cannot be checked. */
static char *finding_as(const struct fx *f, const struct profile *p, const char *rule)
{
	char *path = path_join(dir, "f");
	struct strbuf err = STRBUF_INIT;
	struct elf_file e;
	char *where = NULL;
	if (fx_write(f, path) == 0 && elf_open(&e, path, &err) == 0) {
		struct findings fs = { 0 };
		rules_check(&e, p, 1, &fs);
		for (size_t i = 0; i < fs.n && !where; i++)
			if (!strcmp(fs.v[i].rule, rule))
				where = xstrdup(fs.v[i].where);
		if (!where)
			where = xstrdup("");
		findings_free(&fs);
		elf_close(&e);
	} else {
		fprintf(stderr, "# %s\n", sb_str(&err));
	}
	sb_free(&err);
	free(path);
	return where;
}

static char *finding(const struct fx *f, const char *profile, const char *rule)
{
	struct strbuf err = STRBUF_INIT;
	struct profile p;
	char *where = NULL;
	if (profile_parse(profile, &p, &err) == 0)
		where = finding_as(f, &p, rule);
	else
		fprintf(stderr, "# %s\n", sb_str(&err));
	sb_free(&err);
	return where;
}

/* Whether the file f, checked under profile, has a finding of rule. */
static int finds(const struct fx *f, const char *profile, const char *rule)
{
	char *where = finding(f, profile, rule);
	int r = where ? *where != 0 : -1;
	free(where);
	return r;
}

/* The rule fires on bad and not on good. */
static void pair(const char *rule, const char *profile, const struct fx *bad, const struct fx *good)
{
	is_int(finds(bad, profile, rule), 1, rule);
	is_int(finds(good, profile, rule), 0, "  and not on the file without the fault");
}

static void gabi(void)
{
	struct fx b, g;
	fx_init(&b, ET_EXEC, 0), fx_interp(&b, "/lib/ld.so", 1, 0);
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/lib/ld.so", 1, 1);
	pair("gabi-interp-once-before-load", "gabi", &b, &g);

	fx_init(&b, ET_EXEC, 0), fx_interp(&b, "/lib/ld.so", 1, 1);
	fx_ph(&b, PT_PHDR, PF_R, 0x40, FX_RX + 0x40, 0x100, 0x100, 8);
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/lib/ld.so", 1, 1), fx_phdr(&g);
	pair("gabi-phdr-once-before-load-covered", "gabi", &b, &g);
	fx_init(&b, ET_EXEC, 0);
	fx_ph_first(&b, PT_PHDR, PF_R, 0x40, 0x900000, 0x100, 8);   /* in no PT_LOAD */
	pair("gabi-phdr-once-before-load-covered", "gabi", &b, &g);

	fx_init(&b, ET_EXEC, 1);
	fx_ph(&b, PT_LOAD, PF_R | PF_W, 0x2000, FX_RW, 0x1000, 0x1000, 0x1000);
	fx_ph(&b, PT_LOAD, PF_R | PF_X, 0, FX_RX, 0x2000, 0x2000, 0x1000);
	fx_init(&g, ET_EXEC, 0);
	pair("gabi-load-sorted", "gabi", &b, &g);

	fx_init(&b, ET_EXEC, 0);
	fx_ph(&b, PT_LOAD, PF_R, 0x1000, 0x500000, 0x800, 0x400, 0x1000);
	pair("gabi-filesz-le-memsz", "gabi", &b, &g);
	pair("illumos-filesz-le-memsz", "illumos", &b, &g);
	pair("linux-filesz-le-memsz", "linux-glibc", &b, &g);

	fx_init(&b, ET_EXEC, 0);
	fx_ph(&b, PT_LOAD, PF_R, 0x1010, 0x500000, 0x10, 0x10, 0x1000);
	pair("gabi-align-congruent", "gabi", &b, &g);
	pair("linux-offset-congruence", "linux-musl", &b, &g);
	fx_init(&b, ET_EXEC, 0);
	fx_ph(&b, PT_LOAD, PF_R, 0x1000, 0x501000, 0x10, 0x10, 0x1800);
	pair("gabi-align-congruent", "gabi", &b, &g);

	uint64_t into_text[] = { FX_RW + 0x10, FX_RX + 0x1100 };
	uint64_t into_data[] = { FX_RW + 0x10, FX_RW + 0x18 };
	fx_init(&b, ET_DYN, 0), fx_rela(&b, into_text, 2);
	fx_init(&g, ET_DYN, 0), fx_rela(&g, into_data, 2);
	pair("gabi-textrel", "gabi", &b, &g);
	fx_init(&g, ET_DYN, 0), fx_rela(&g, into_text, 2), fx_dyn(&g, DT_TEXTREL, 0);
	pair("gabi-textrel", "gabi", &b, &g);
	/* RELR: an address, then a bitmap whose bit 3 lands in the text. */
	uint64_t relr_text[] = { FX_RX + 0x1000, (1ull << 3) | 1 };
	uint64_t relr_data[] = { FX_RW + 0x100, (1ull << 3) | 1 };
	fx_init(&b, ET_DYN, 0), fx_relr(&b, relr_text, 2);
	fx_init(&g, ET_DYN, 0), fx_relr(&g, relr_data, 2);
	pair("gabi-textrel", "gabi", &b, &g);

	/* GNU ld pads unused slots with R_*_NONE at offset 0 (aarch64 static-pie):
	 * they write nothing, wherever they point. */
	uint64_t at_zero[] = { FX_RX };
	fx_init(&g, ET_DYN, 0), fx_rela(&g, at_zero, 1);
	((Elf64_Rela *)(g.b + 0x2400))->r_info = 0;
	is_int(finds(&g, "gabi", "gabi-textrel"), 0, "an R_*_NONE in read-only memory writes nothing");

	fx_init(&b, ET_DYN, 0), fx_dyn(&b, DT_RELA, FX_RW + 0x400);
	fx_init(&g, ET_DYN, 0), fx_rela(&g, into_data, 1);
	pair("gabi-dyn-pairs", "gabi", &b, &g);
	fx_init(&b, ET_DYN, 0), fx_dyn(&b, DT_RELA, FX_RW + 0x400), fx_dyn(&b, DT_RELASZ, 24);
	fx_dyn(&b, DT_RELAENT, 16);
	pair("gabi-dyn-pairs", "gabi", &b, &g);
	pair("glibc-entsize", "linux-glibc", &b, &g);
}

/* Two SHT_INIT_ARRAY output sections named .init_array, DT_INIT_ARRAY
 * covering the first only (the Rustler/inventory case); or one section,
 * covered. */
static void init_arrays(struct fx *f, int broken)
{
	fx_init(f, ET_DYN, 0);
	fx_sec(f, ".init_array", SHT_INIT_ARRAY, SHF_ALLOC | SHF_WRITE, FX_RW + 0x100, 0x2100,
	       broken ? 16 : 24, 8);
	if (broken)
		fx_sec(f, ".init_array", SHT_INIT_ARRAY, SHF_ALLOC | SHF_WRITE, FX_RW + 0x110, 0x2110, 8, 8);
	fx_dyn(f, DT_INIT_ARRAY, FX_RW + 0x100);
	fx_dyn(f, DT_INIT_ARRAYSZ, broken ? 16 : 24);
}

static void init_array_rules(void)
{
	struct fx b, g;
	init_arrays(&b, 1), init_arrays(&g, 0);
	pair("gabi-init-array-covered", "gabi", &b, &g);
	pair("illumos-elfdump-init-array", "illumos", &b, &g);
}

/* One .init_array at 0x100 (16 bytes), DT_INIT_ARRAY written twice: at
 * the section, then elsewhere (last_elsewhere), or the other way round. */
static void init_array_twice(struct fx *f, int last_elsewhere)
{
	fx_init(f, ET_DYN, 0);
	fx_sec(f, ".init_array", SHT_INIT_ARRAY, SHF_ALLOC | SHF_WRITE, FX_RW + 0x100, 0x2100, 16, 8);
	fx_dyn(f, DT_INIT_ARRAY, FX_RW + (last_elsewhere ? 0x100 : 0x200));
	fx_dyn(f, DT_INIT_ARRAYSZ, 16);
	fx_dyn(f, DT_INIT_ARRAY, FX_RW + (last_elsewhere ? 0x200 : 0x100));
	fx_dyn(f, DT_INIT_ARRAYSZ, 16);
}

/* A tag written twice (gold was seen doing it): rules read it as the
 * loaders do, the last entry, and the duplicate is a finding of its own. */
static void duplicate_tags(void)
{
	struct fx b, g;
	init_array_twice(&b, 1), init_array_twice(&g, 0);
	pair("gabi-init-array-covered", "gabi", &b, &g);
	is_int(finds(&g, "gabi", "gabi-dyn-unique"), 1, "gabi-dyn-unique names the duplicate either way");
	char *where = finding(&b, "gabi", "gabi-dyn-unique");
	is_str(where, "DT_INIT_ARRAY is written 2 times in .dynamic, first 0x402100 (entry 0), "
	       "last 0x402200 (entry 2)",
	       "  saying which entry the loaders use");
	free(where);
	fx_init(&b, ET_DYN, 0), fx_dyn(&b, DT_INIT_ARRAYSZ, 8), fx_dyn(&b, DT_INIT_ARRAYSZ, 8);
	is_int(finds(&b, "gabi", "gabi-dyn-unique"), 0, "  not where both entries say the same");
	fx_init(&b, ET_DYN, 0), fx_dyn(&b, DT_NEEDED, 1), fx_dyn(&b, DT_NEEDED, 9);
	is_int(finds(&b, "gabi", "gabi-dyn-unique"), 0, "  not for DT_NEEDED, a list");

	/* 24 bytes of .init_array, 16 of them run. */
	fx_init(&b, ET_DYN, 0);
	fx_sec(&b, ".init_array", SHT_INIT_ARRAY, SHF_ALLOC | SHF_WRITE, FX_RW + 0x100, 0x2100, 24, 8);
	fx_dyn(&b, DT_INIT_ARRAY, FX_RW + 0x100), fx_dyn(&b, DT_INIT_ARRAYSZ, 16);
	where = finding(&b, "gabi", "gabi-init-array-covered");
	is_str(where, "section 2 .init_array (SHT_INIT_ARRAY) [0x402100, +0x18) is partly covered by "
	       "the range run [0x402100, 0x402110): its entries outside it never run",
	       "an array the range covers in part is said to be partly covered");
	free(where);
}

/* What glibc-interp-path says of a program with this PT_INTERP under p. */
static void interp_says(const struct profile *p, const char *interp, const char *want,
			const char *name)
{
	struct fx f;
	fx_init(&f, ET_EXEC, 0), fx_interp(&f, interp, 1, 1);
	char *where = finding_as(&f, p, "glibc-interp-path");
	is_str(where, want, name);
	free(where);
}

/* The interpreter a target has: what its file lists (and nothing else),
 * what its compiler writes, and, where its files are on this machine, a
 * file that is there, looked for where its loader looks. */
static void target_loaders(void)
{
	struct profile p;
	struct strbuf err = STRBUF_INIT;
	profile_parse("linux-glibc", &p, &err);
	sb_free(&err);
	const char *own[] = { "/opt/rt/ld.so" };
	p.loaders = own, p.nloaders = 1;
	interp_says(&p, "/opt/rt/ld.so", "", "a loader the target's compiler writes is known");
	interp_says(&p, "/lib64/ld-linux-x86-64.so.2", "", "  and the system's still are");
	p.loaders_only = true;
	interp_says(&p, "/lib64/ld-linux-x86-64.so.2",
		    "PT_INTERP /lib64/ld-linux-x86-64.so.2, where this target's loader is /opt/rt/ld.so",
		    "  unless the target's file lists its loaders: then only those");

	/* A root of our own: loaders are looked for in it. */
	char *root = path_join(dir, "root"), *lib = path_join(root, "lib"),
	     *ld = path_join(lib, "ld-elsewhere.so.1");
	mkdir(root, 0755), mkdir(lib, 0755), write_file(ld, "", 0);
	p.loaders = NULL, p.nloaders = 0, p.loaders_only = false, p.root = root;
	interp_says(&p, "/lib/ld-elsewhere.so.1", "", "a loader in no table that the target has is known");
	interp_says(&p, "/lib64/ld-linux-x86-64.so.2",
		    "PT_INTERP /lib64/ld-linux-x86-64.so.2, which this target does not have",
		    "a loader of the table that the target does not have is not");
	p.root_then_host = true;
	interp_says(&p, ld, "", "  a qemu-user runner's loader falls back on the host's path");
	interp_says(&p, "/lib/ld-nowhere.so.1",
		    "PT_INTERP /lib/ld-nowhere.so.1, where this system's loader is /lib64/ld-linux-x86-64.so.2",
		    "  a path neither has is named with the system's");
	free(ld), free(lib), free(root);
}

/* The rules of class 5: an entry point in no executable segment, an
 * interpreter the system does not have, lazily bound PLT slots under
 * RELRO; and rules about what a loader does say nothing of a file no
 * loader loads. */
static void loader_rules(void)
{
	struct fx b, g;
	fx_init(&b, ET_EXEC, 0), fx_interp(&b, "/lib64/ld-linux-x86-64.so.2", 1, 1);
	b.eh->e_entry = FX_RW + 0x10;
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/lib64/ld-linux-x86-64.so.2", 1, 1);
	pair("gabi-entry-executable", "gabi", &b, &g);
	b.eh->e_entry = 0x900000;
	is_int(finds(&b, "gabi", "gabi-entry-executable"), 1, "  and an entry in no PT_LOAD");
	fx_init(&b, ET_DYN, 0);
	b.eh->e_entry = FX_RW + 0x10;
	is_int(finds(&b, "gabi", "gabi-entry-executable"), 0, "  a shared object's e_entry is not checked");

	fx_init(&b, ET_EXEC, 0), fx_interp(&b, "/lib/ld-linux-x86-64.so.2", 1, 1);
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/lib64/ld-linux-x86-64.so.2", 1, 1);
	pair("glibc-interp-path", "linux-glibc", &b, &g);
	is_int(finds(&g, "linux-musl", "musl-interp-path"), 1, "musl-interp-path: glibc's loader on musl");
	is_int(finds(&g, "illumos", "illumos-interp-path"), 1, "illumos-interp-path: glibc's loader on illumos");
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/usr/lib/amd64/ld.so.1", 1, 1);
	is_int(finds(&g, "illumos", "illumos-interp-path"), 0, "  and not ld.so.1");
	char *where = finding(&b, "linux-glibc", "glibc-interp-path");
	is_str(where, "PT_INTERP /lib/ld-linux-x86-64.so.2, where this system's loader is "
	       "/lib64/ld-linux-x86-64.so.2", "  naming both paths");
	free(where);
	target_loaders();

	/* Segments that share a page: the later one's mapping is the page's. */
	fx_init(&b, ET_EXEC, 1);
	fx_ph(&b, PT_LOAD, PF_R | PF_X, 0, FX_RX, 0x1800, 0x1800, 0x1000);
	fx_ph(&b, PT_LOAD, PF_R, 0x1800, FX_RX + 0x1800, 0x100, 0x100, 0x1000);
	fx_init(&g, ET_EXEC, 1);
	fx_ph(&g, PT_LOAD, PF_R | PF_X, 0, FX_RX, 0x1800, 0x1800, 0x1000);
	fx_ph(&g, PT_LOAD, PF_R, 0x1800, FX_RX + 0x2800, 0x100, 0x100, 0x1000);
	pair("gabi-load-page-shared", "gabi", &b, &g);
	where = finding(&b, "gabi", "gabi-load-page-shared");
	is_str(where, "PT_LOAD 0 (R-X, up to 0x401800) and PT_LOAD 1 (R--, from 0x401800) share the page "
	       "at 0x401000: mapped last, PT_LOAD 1's is the page, and [0x401000, 0x401800) of PT_LOAD 0 "
	       "loses PF_X, and e_entry is there", "  naming the page, the bytes and what they lose");
	free(where);
	/* lld's RELRO and data segments: both RW, one file bias, one page. */
	fx_init(&g, ET_EXEC, 1);
	fx_ph(&g, PT_LOAD, PF_R | PF_W, 0x2000, FX_RW, 0x188, 0x188, 0x1000);
	fx_ph(&g, PT_LOAD, PF_R | PF_W, 0x2188, FX_RW + 0x188, 0x100, 0x100, 0x1000);
	is_int(finds(&g, "gabi", "gabi-load-page-shared"), 0, "  not for one page of one permission and bias");
	fx_ph(&g, PT_LOAD, PF_R | PF_W, 0x1288, FX_RW + 0x288, 0x10, 0x10, 0x1000);
	where = finding(&g, "gabi", "gabi-load-page-shared");
	is_str(where, "PT_LOAD 1 (RW-, up to 0x402288) and PT_LOAD 2 (RW-, from 0x402288) share the page "
	       "at 0x402000: mapped last, PT_LOAD 2's is the page, and [0x402188, 0x402288) of PT_LOAD 1 "
	       "holds other bytes of the file", "  but for a page two file pages would fill");
	free(where);

	/* RELRO over the first page of the RW load, a PLT slot in it. */
	static const uint64_t slot[] = { FX_RW + 0x18 };
	for (int now = 0; now < 2; now++) {
		struct fx *f = now ? &g : &b;
		fx_init(f, ET_DYN, 0), fx_interp(f, "/lib64/ld-linux-x86-64.so.2", 1, 1);
		fx_ph(f, PT_GNU_RELRO, PF_R, 0x2000, FX_RW, 0x1000, 0x1000, 1);
		fx_jmprel(f, slot, 1);
		if (now)
			fx_dyn(f, DT_FLAGS, DF_BIND_NOW);
	}
	pair("glibc-plt-got-relro", "linux-glibc", &b, &g);
	is_int(finds(&b, "linux-musl", "glibc-plt-got-relro"), 0,
	       "  not under musl, which binds every slot at load time");
	fx_init(&g, ET_DYN, 0), fx_interp(&g, "/lib64/ld-linux-x86-64.so.2", 1, 1);
	fx_ph(&g, PT_GNU_RELRO, PF_R, 0x2000, FX_RW, 0x800, 0x800, 1);
	fx_jmprel(&g, slot, 1);
	is_int(finds(&g, "linux-glibc", "glibc-plt-got-relro"), 0,
	       "  a slot in RELRO's last partial page stays writable: no finding");

	/* A CIE with FDE encoding absptr and one FDE for FX_RX + 0x1000, in the
	 * RX load at 0x100; relocated (g) or not (b). */
	static const unsigned char cie[24] = { 20, 0, 0, 0, 0, 0, 0, 0, 1, 'z', 'R', 0, 1, 0x78,
					       0x10, 1, 0x00 };
	unsigned char fde[28] = { 24, 0, 0, 0, 28, 0, 0, 0 };
	uint64_t pc = FX_RX + 0x1000, range = 0x10, at[] = { FX_RX + 0x100 + 24 + 8 };
	memcpy(fde + 8, &pc, 8), memcpy(fde + 16, &range, 8);
	for (int rel = 0; rel < 2; rel++) {
		struct fx *f = rel ? &g : &b;
		fx_init(f, ET_DYN, 0);
		fx_put(f, 0x100, cie, sizeof cie), fx_put(f, 0x100 + 24, fde, sizeof fde);
		fx_sec(f, ".eh_frame", SHT_PROGBITS, SHF_ALLOC, FX_RX + 0x100, 0x100, 24 + 28 + 4, 0);
		if (rel)
			fx_rela(f, at, 1);
	}
	pair("gabi-eh-frame-absolute", "gabi", &b, &g);
	b.eh->e_type = ET_EXEC;
	is_int(finds(&b, "gabi", "gabi-eh-frame-absolute"), 0, "  an ET_EXEC's absolute addresses are final");

	/* DT_GNU_HASH alone: a program with an interpreter, and a static-pie. */
	fx_init(&b, ET_DYN, 0), fx_interp(&b, "/usr/lib/amd64/ld.so.1", 1, 1);
	fx_dyn(&b, DT_GNU_HASH, FX_RW);
	fx_init(&g, ET_DYN, 0), fx_dyn(&g, DT_GNU_HASH, FX_RW), fx_dyn(&g, DT_FLAGS_1, DF_1_PIE);
	pair("illumos-needs-dt-hash", "illumos", &b, &g);
}

static void illumos(void)
{
	struct fx b, g;
	fx_init(&b, ET_EXEC, 0), fx_phdr(&b);
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/lib/amd64/ld.so.1", 1, 1), fx_phdr(&g);
	pair("illumos-phdr-needs-interp", "illumos", &b, &g);
	is_int(finds(&b, "linux-glibc", "illumos-phdr-needs-interp"), 0, "  an illumos rule only for illumos");
	fx_init(&g, ET_EXEC, 0);
	pair("illumos-phdr-needs-interp", "illumos", &b, &g);

	fx_init(&b, ET_EXEC, 0), fx_interp(&b, "/lib/amd64/ld.so.1", 1, 0);
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/lib/amd64/ld.so.1", 1, 1);
	pair("illumos-interp-before-load", "illumos", &b, &g);

	fx_init(&b, ET_EXEC, 0), fx_interp(&b, "/lib/amd64/ld.so.1", 1, 1);
	fx_ph(&b, PT_PHDR, PF_R, 0x40, FX_RX + 0x40, 0x100, 0x100, 8);
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/lib/amd64/ld.so.1", 1, 1), fx_phdr(&g);
	pair("illumos-phdr-before-load", "illumos", &b, &g);
	fx_init(&b, ET_EXEC, 0), fx_interp(&b, "/lib/amd64/ld.so.1", 1, 1);
	fx_ph_first(&b, PT_PHDR, 0, 0x40, FX_RX + 0x40, 0x100, 8);
	pair("illumos-phdr-before-load", "illumos", &b, &g);

	fx_init(&b, ET_EXEC, 0), b.eh->e_entry = 0;
	fx_init(&g, ET_EXEC, 0);
	pair("illumos-entry-nonzero", "illumos", &b, &g);

	fx_init(&b, ET_EXEC, 0), fx_interp(&b, "/lib/amd64/ld.so.1", 0, 1);
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/lib/amd64/ld.so.1", 1, 1);
	pair("illumos-interp-string", "illumos", &b, &g);
	pair("linux-interp", "linux-glibc", &b, &g);
	pair("freebsd-interp", "freebsd", &b, &g);

	fx_init(&b, ET_EXEC, 0), fx_ph(&b, 0x6ffffffc, PF_R | PF_W | PF_X, 0x2000, FX_RW, 0, 16, 8);
	fx_init(&g, ET_EXEC, 0), fx_ph(&g, 0x6ffffffc, PF_R | PF_W | PF_X, 0x2000, FX_RW, 0, 64, 8);
	pair("illumos-sunwdtrace", "illumos", &b, &g);

	fx_init(&b, ET_DYN, 0), fx_dyn(&b, DT_GNU_HASH, FX_RX + 0x1000);
	fx_init(&g, ET_DYN, 0), fx_dyn(&g, DT_GNU_HASH, FX_RX + 0x1000), fx_dyn(&g, DT_HASH, FX_RX + 0x1100);
	pair("illumos-needs-dt-hash", "illumos", &b, &g);

	uint64_t relr[] = { FX_RW + 0x100 };
	fx_init(&b, ET_DYN, 0), fx_relr(&b, relr, 1);
	fx_init(&g, ET_DYN, 0);
	pair("illumos-no-relr", "illumos", &b, &g);

	fx_init(&b, ET_DYN, 0), fx_dyn(&b, DT_PREINIT_ARRAY, FX_RW), fx_dyn(&b, DT_PREINIT_ARRAYSZ, 8);
	fx_init(&g, ET_EXEC, 0), fx_dyn(&g, DT_PREINIT_ARRAY, FX_RW), fx_dyn(&g, DT_PREINIT_ARRAYSZ, 8);
	pair("illumos-preinit-exec-only", "illumos", &b, &g);
}

static void linux_kernel(void)
{
	struct fx b, g;
	fx_init(&b, ET_EXEC, 0), b.eh->e_phentsize = 40;
	fx_init(&g, ET_EXEC, 0);
	pair("linux-phentsize", "linux-glibc", &b, &g);

	/* A GNU property note of the wrong type. */
	unsigned char bad_note[32] = { 4, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 'G', 'N', 'U', 0 };
	unsigned char good_note[32] = { 4, 0, 0, 0, 16, 0, 0, 0, 5, 0, 0, 0, 'G', 'N', 'U', 0 };
	fx_init(&b, ET_EXEC, 0), fx_put(&b, 0x1900, bad_note, 32);
	fx_ph(&b, 0x6474e553, PF_R, 0x1900, FX_RX + 0x1900, 32, 32, 8);
	fx_init(&g, ET_EXEC, 0), fx_put(&g, 0x1900, good_note, 32);
	fx_ph(&g, 0x6474e553, PF_R, 0x1900, FX_RX + 0x1900, 32, 32, 8);
	pair("linux-gnu-property", "linux-musl", &b, &g);
}

static void glibc_musl(void)
{
	struct fx b, g;
	uint64_t relr[] = { FX_RW + 0x100 };
	fx_init(&b, ET_DYN, 0), fx_relr(&b, relr, 1);
	is_int(finds(&b, "linux-glibc-2.35", "glibc-relr-unsupported"), 1, "glibc-relr-unsupported");
	is_int(finds(&b, "linux-glibc-2.36", "glibc-relr-unsupported"), 0,
	       "  and not from 2.36, which applies DT_RELR");
	is_int(finds(&b, "linux-musl-1.2.3", "musl-relr"), 1, "musl-relr");
	is_int(finds(&b, "linux-musl-1.2.4", "musl-relr"), 0, "  and not from musl 1.2.4");
	is_int(finds(&b, "linux-musl", "musl-relr"), 0, "  a version not given is the newest");
	is_int(finds(&b, "freebsd-13.0", "freebsd-relr"), 1, "freebsd-relr");
	is_int(finds(&b, "freebsd-13.1", "freebsd-relr"), 0, "  and not from FreeBSD 13.1");

	/* A static-pie (ET_DYN, DF_1_PIE, no PT_INTERP) relocating its text. */
	uint64_t into_text[] = { FX_RX + 0x1100 }, into_data[] = { FX_RW + 0x100 };
	fx_init(&b, ET_DYN, 0), fx_rela(&b, into_text, 1), fx_dyn(&b, DT_FLAGS_1, DF_1_PIE);
	fx_dyn(&b, DT_TEXTREL, 0);
	fx_init(&g, ET_DYN, 0), fx_rela(&g, into_data, 1), fx_dyn(&g, DT_FLAGS_1, DF_1_PIE);
	pair("glibc-static-pie-textrel", "linux-glibc", &b, &g);

	/* A static program whose PT_TLS starts 0x30 past its 64-byte
	 * alignment (Wild 0.8.0's tls-static), and one with an interpreter,
	 * whose ld.so keeps the offset. */
	fx_init(&b, ET_EXEC, 0), fx_ph(&b, PT_TLS, PF_R, 0x2070, FX_RW + 0x70, 0x1c, 0x114, 0x40);
	fx_init(&g, ET_EXEC, 0), fx_ph(&g, PT_TLS, PF_R, 0x2040, FX_RW + 0x40, 0x1c, 0x114, 0x40);
	pair("glibc-static-tls-aligned", "linux-glibc", &b, &g);
	is_int(finds(&b, "linux-musl", "glibc-static-tls-aligned"), 0,
	       "  not under musl, whose start-up keeps the offset");
	fx_interp(&b, "/lib64/ld-linux-x86-64.so.2", 1, 1);
	is_int(finds(&b, "linux-glibc", "glibc-static-tls-aligned"), 0,
	       "  not where ld.so starts the program");

	fx_init(&b, ET_DYN, 0);                      /* a shared object without PT_DYNAMIC */
	fx_init(&g, ET_DYN, 0), fx_dyn(&g, DT_SONAME, 0);
	pair("glibc-dso-load", "linux-glibc", &b, &g);

	fx_init(&b, ET_DYN, 0), fx_dyn(&b, DT_SYMTAB, FX_RX + 0x1000);
	fx_init(&g, ET_DYN, 0), fx_dyn(&g, DT_SYMTAB, FX_RX + 0x1000), fx_dyn(&g, DT_GNU_HASH, FX_RX + 0x1100);
	pair("musl-hash", "linux-musl", &b, &g);

	fx_init(&b, ET_DYN, 0), fx_dyn(&b, DT_FLAGS, DF_TEXTREL);
	fx_init(&g, ET_DYN, 0), fx_dyn(&g, DT_FLAGS, DF_TEXTREL), fx_dyn(&g, DT_TEXTREL, 0);
	pair("musl-textrel", "linux-musl", &b, &g);
	is_int(finds(&b, "android", "android-textrel"), 1, "android-textrel: DF_TEXTREL alone");
	fx_init(&g, ET_DYN, 0), fx_dyn(&g, DT_FLAGS, DF_BIND_NOW);
	pair("android-textrel", "android", &b, &g);

	fx_init(&b, ET_EXEC, 0), fx_dyn(&b, DT_PREINIT_ARRAY, FX_RW), fx_dyn(&b, DT_PREINIT_ARRAYSZ, 8);
	fx_init(&g, ET_EXEC, 0), fx_dyn(&g, DT_INIT_ARRAY, FX_RW), fx_dyn(&g, DT_INIT_ARRAYSZ, 8);
	pair("musl-no-preinit", "linux-musl", &b, &g);
}

static void freebsd(void)
{
	struct fx b, g;
	fx_init(&b, ET_EXEC, 0), fx_interp(&b, "/lib64/ld-linux-x86-64.so.2", 1, 1);
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/libexec/ld-elf.so.1", 1, 1);
	pair("freebsd-brand", "freebsd", &b, &g);
	fx_init(&g, ET_EXEC, 0), g.eh->e_ident[EI_OSABI] = 9;
	pair("freebsd-brand", "freebsd", &b, &g);

	fx_init(&b, ET_EXEC, 0), fx_interp(&b, "/libexec/ld-elf.so.1", 1, 1);
	fx_interp(&b, "/libexec/ld-elf.so.1", 1, 1);
	fx_init(&g, ET_EXEC, 0), fx_interp(&g, "/libexec/ld-elf.so.1", 1, 1);
	pair("freebsd-interp", "freebsd", &b, &g);

	fx_init(&b, ET_EXEC, 0), b.eh->e_phoff = 0x1f00;
	memcpy(b.b + 0x1f00, b.b + 0x40, 2 * sizeof(Elf64_Phdr));
	b.b[0x1f00 + 2 * sizeof(Elf64_Phdr)] = 0;
	b.eh->e_phnum = 4;        /* the table runs past the first page */
	memcpy(b.b + 0x1f00 + 2 * sizeof(Elf64_Phdr), b.b + 0x40, 2 * sizeof(Elf64_Phdr));
	fx_init(&g, ET_EXEC, 0);
	pair("freebsd-phdr-first-page", "freebsd", &b, &g);

	fx_init(&b, ET_EXEC, 0), fx_ph(&b, PT_LOAD, PF_R, 0x1000, 0x500000, 0x10, 0x10, 0x10);
	pair("freebsd-load-page-aligned", "freebsd", &b, &g);
}

/* The Wild-on-illumos failure, seen in real output: lld and mold put
 * PT_PHDR into static programs, GNU ld does not. */
static void real_outputs(void)
{
	static const char prog[] = "int main(void) { return 0; }\n";
	char *src = path_join(dir, "s.c");
	write_file(src, prog, strlen(prog));
	static const struct { const char *linker; int want; } cases[] = {
		{ "bfd", 0 }, { "lld", 1 }, { "mold", 1 },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *out = path_join(dir, cases[i].linker);
		char *cmd = xasprintf("gcc -static -fuse-ld=%s -o %s %s 2>/dev/null", cases[i].linker,
				      out, src);
		struct elf_file e;
		struct strbuf err = STRBUF_INIT;
		if (system(cmd) != 0 || elf_open(&e, out, &err) < 0) {
			ok(1, "# SKIP gcc -fuse-ld=%s cannot link here", cases[i].linker);
		} else {
			struct profile p;
			profile_parse("illumos", &p, &err);
			struct findings fs = { 0 };
			rules_check(&e, &p, 1, &fs);
			is_int(findings_has(&fs, "illumos-phdr-needs-interp"), cases[i].want,
			       cases[i].want ? "a static program by this linker would be SIGKILLed on illumos"
					     : "GNU ld's static program has no PT_PHDR");
			findings_free(&fs);
			elf_close(&e);
		}
		sb_free(&err);
		free(cmd);
		free(out);
	}
	free(src);
}

static void profiles(void)
{
	struct profile p;
	struct strbuf err = STRBUF_INIT;
	ok(profile_parse("linux-glibc-2.36", &p, &err) == 0 && p.kind == PROF_GLIBC &&
	   p.ver[0] == 2 && p.ver[1] == 36, "linux-glibc-2.36");
	ok(profile_parse("linux-musl-1.2.3", &p, &err) == 0 && p.kind == PROF_MUSL && p.ver[2] == 3,
	   "linux-musl-1.2.3");
	ok(profile_parse("freebsd", &p, &err) == 0 && p.kind == PROF_FREEBSD && !p.ver[0],
	   "a profile without a version");
	ok(profile_parse("illumos-11", &p, &err) < 0, "illumos takes no version");
	ok(profile_parse("linux-glibc-x", &p, &err) < 0, "a version is numbers");
	sb_reset(&err);
	ok(profile_parse("solaris", &p, &err) < 0 && strstr(sb_str(&err), "unknown loader profile 'solaris'"),
	   "an unknown profile is named");
	struct profile *v = NULL;
	size_t n = 0;
	ok(profiles_parse("illumos,linux-musl-1.2.3", &v, &n, &err) == 0 && n == 2, "a list of two");
	free(v);
	sb_free(&err);
}

/* gABI findings are said once, as gabi; others name their profile. */
static void finding_profiles(void)
{
	struct fx f;
	fx_init(&f, ET_EXEC, 0);
	fx_ph(&f, PT_LOAD, PF_R, 0x1000, 0x500000, 0x800, 0x400, 0x1000);
	char *path = path_join(dir, "f");
	fx_write(&f, path);
	struct strbuf err = STRBUF_INIT;
	struct profile *v = NULL;
	size_t n = 0;
	profiles_parse("linux-glibc-2.36,linux-musl-1.2.3,illumos", &v, &n, &err);
	struct elf_file e;
	if (ok(elf_open(&e, path, &err) == 0, "the fixture opens")) {
		struct findings fs = { 0 };
		rules_check(&e, v, n, &fs);
		size_t gabi = 0, lin = 0;
		for (size_t i = 0; i < fs.n; i++) {
			gabi += !strcmp(fs.v[i].rule, "gabi-filesz-le-memsz") && !strcmp(fs.v[i].profile, "gabi");
			lin += !strcmp(fs.v[i].rule, "linux-filesz-le-memsz");
		}
		is_int(gabi, 1, "a gABI finding once, as profile gabi, for three profiles");
		is_int(lin, 1, "a Linux finding once for glibc and musl, at the same place");
		findings_free(&fs);
		elf_close(&e);
	}
	free(v);
	sb_free(&err);
	free(path);
}

int main(void)
{
	tap_start();
	if (!ok(mkdtemp(dir) != NULL, "scratch directory"))
		return tap_done();
	profiles();
	gabi();
	init_array_rules();
	duplicate_tags();
	loader_rules();
	illumos();
	linux_kernel();
	glibc_musl();
	freebsd();
	finding_profiles();
	real_outputs();
	rm_rf(dir);
	return tap_done();
}

/* The ELF reader on hostile input: truncated files, wrong class or byte
 * order, tables past the end, indices out of range, huge counts, random
 * corruption. It must refuse with one line naming the file, or read what
 * is there; never crash or read out of bounds (the tests also run under
 * ASan). Every file it opens is walked with every iterator, all the rules
 * and the facts of the diff. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/facts.h"
#include "elf/model.h"
#include "elf/rules.h"
#include "elf/show.h"
#include "elfbuild.h"
#include "tap.h"

static char dir[] = "/tmp/lm-test-elf.XXXXXX";
static struct profile all[6];
static size_t nall;

static bool count_sym(void *c, const struct elf_symbol *s) { (void)s; ++*(size_t *)c; return true; }
static bool count_rel(void *c, const struct elf_reloc *r) { (void)r; ++*(size_t *)c; return true; }
static bool count_need(void *c, const char *f, const char *v) { (void)f, (void)v; ++*(size_t *)c; return true; }
static bool count_def(void *c, const char *n, unsigned i, unsigned f) { (void)n, (void)i, (void)f; ++*(size_t *)c; return true; }
static bool count_note(void *c, const struct elf_note *n) { (void)n; ++*(size_t *)c; return true; }
static bool count_comment(void *c, const char *s, size_t l) { (void)s, (void)l; ++*(size_t *)c; return true; }

/* Everything anyone reads of a file. */
static void walk(const struct elf_file *f)
{
	size_t n = 0;
	elf_each_symbol(f, false, count_sym, &n);
	elf_each_symbol(f, true, count_sym, &n);
	elf_each_dynreloc(f, count_rel, &n);
	elf_each_verneed(f, count_need, &n);
	elf_each_verdef(f, count_def, &n);
	elf_each_note(f, count_note, &n);
	elf_each_comment(f, count_comment, &n);
	struct findings fs = { 0 };
	rules_check(f, all, nall, &fs);
	findings_free(&fs);
	struct facts facts;
	facts_collect(f, &facts);
	facts_free(&facts);
}

/* 0 opened (and walked), 1 refused with a message naming the file, -1
 * refused without one. */
static int try_bytes(const void *data, size_t len)
{
	char *path = path_join(dir, "x");
	write_file(path, data, len);
	struct elf_file f;
	struct strbuf err = STRBUF_INIT;
	int r;
	if (elf_open(&f, path, &err) == 0) {
		walk(&f);
		elf_close(&f);
		r = 0;
	} else {
		r = strstr(sb_str(&err), path) && !strchr(sb_str(&err), '\n') ? 1 : -1;
	}
	sb_free(&err);
	free(path);
	return r;
}

static void truncations(const unsigned char *data, size_t len, const char *what)
{
	size_t opened = 0, refused = 0, bad = 0;
	for (size_t n = 0; n < len; n++) {
		int r = try_bytes(data, n);
		opened += r == 0, refused += r == 1, bad += r < 0;
	}
	ok(bad == 0, "%s cut at each of %zu lengths: %zu refused with a message, %zu read, "
	   "none refused silently", what, len, refused, opened);
}

static void hostile_headers(void)
{
	struct fx f;
	fx_init(&f, ET_EXEC, 0);
	struct { const char *what; size_t off, size; uint64_t val; } cases[] = {
		{ "EI_CLASS 0", EI_CLASS, 1, 0 },
		{ "EI_CLASS 3", EI_CLASS, 1, 3 },
		{ "EI_DATA 0", EI_DATA, 1, 0 },
		{ "e_phoff past the end", 32, 8, 0x100000 },
		{ "e_phoff near 2^64", 32, 8, ~0ull - 8 },
		{ "e_phnum 0xfffe", 56, 2, 0xfffe },
		{ "e_shoff past the end", 40, 8, 0x100000 },
		{ "e_shnum 0xffff", 60, 2, 0xffff },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct fx c = f;
		c.eh = (Elf64_Ehdr *)c.b;
		fx_sec(&c, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, FX_RW, 0x2000, 0x100, 0);
		memcpy(c.b + cases[i].off, &cases[i].val, cases[i].size);
		is_int(try_bytes(c.b, sizeof c.b), 1, cases[i].what);
	}
	struct { const char *what; uint32_t type; uint64_t off, size; uint32_t link, name; } secs[] = {
		{ "a section's bytes past the end", SHT_PROGBITS, 0x2f00, 0x1000, 0, 0 },
		{ "a section offset near 2^64", SHT_PROGBITS, ~0ull - 4, 16, 0, 0 },
		{ "sh_link out of range on SHT_SYMTAB", SHT_SYMTAB, 0x2000, 0x18, 99, 0 },
		{ "sh_link out of range on SHT_DYNAMIC", SHT_DYNAMIC, 0x2000, 0x10, 77, 0 },
		{ "sh_name outside the name table", SHT_PROGBITS, 0x2000, 0x10, 0, 0x7fff },
	};
	for (size_t i = 0; i < ARRAY_LEN(secs); i++) {
		struct fx c = f;
		c.eh = (Elf64_Ehdr *)c.b;
		int k = fx_sec(&c, ".x", secs[i].type, 0, 0, 0, 0, 0);
		Elf64_Shdr *s = (Elf64_Shdr *)(c.b + 0x800) + k;
		s->sh_offset = secs[i].off, s->sh_size = secs[i].size, s->sh_link = secs[i].link;
		if (secs[i].name)
			s->sh_name = secs[i].name;
		is_int(try_bytes(c.b, sizeof c.b), 1, secs[i].what);
	}
	struct fx c = f;
	c.eh = (Elf64_Ehdr *)c.b;
	fx_sec(&c, ".data", SHT_PROGBITS, 0, 0, 0x2000, 16, 0);
	c.eh->e_shstrndx = 500;
	is_int(try_bytes(c.b, sizeof c.b), 1, "e_shstrndx out of range");
}

/* Tables the loader would follow to nowhere: read as absent, not a crash. */
static void dangling_dynamic(void)
{
	struct fx f;
	fx_init(&f, ET_DYN, 0);
	fx_dyn(&f, DT_STRTAB, 0x7000000);
	fx_dyn(&f, DT_STRSZ, 0x100);
	fx_dyn(&f, DT_NEEDED, 5);
	fx_dyn(&f, DT_RELA, 0x7000000);
	fx_dyn(&f, DT_RELASZ, ~0ull / 2);
	fx_dyn(&f, DT_RELAENT, 24);
	fx_dyn(&f, 36, FX_RW + 0x10);          /* DT_RELR inside, DT_RELRSZ huge */
	fx_dyn(&f, 35, 0x10000000);
	fx_dyn(&f, DT_JMPREL, FX_RW);
	fx_dyn(&f, DT_PLTRELSZ, 0x1000 - 8);   /* to the last byte of the file */
	is_int(try_bytes(f.b, sizeof f.b), 0, "dynamic tags pointing outside every PT_LOAD are read as absent");
	/* A RELR bitmap of all ones at the end of the file. */
	uint64_t relr[] = { FX_RW, ~0ull };
	fx_init(&f, ET_DYN, 0);
	fx_relr(&f, relr, 2);
	is_int(try_bytes(f.b, sizeof f.b), 0, "a RELR bitmap of all ones");
}

static void not_elf(void)
{
	is_int(try_bytes("", 0), 1, "an empty file");
	is_int(try_bytes("#!/bin/sh\necho hi\n", 18), 1, "a shell script");
	is_int(try_bytes("\177ELF", 4), 1, "the magic alone");
	struct elf_file f;
	struct strbuf err = STRBUF_INIT;
	ok(elf_open(&f, dir, &err) < 0 && strstr(sb_str(&err), dir), "a directory is refused by name");
	sb_reset(&err);
	char *missing = path_join(dir, "missing");
	ok(elf_open(&f, missing, &err) < 0 && strstr(sb_str(&err), "No such file"), "a missing file");
	free(missing);
	sb_free(&err);
}

/* A byte order and class other than the host's: an ELF32 big-endian file
 * with one PT_LOAD, written by hand. */
static void elf32_big_endian(void)
{
	unsigned char b[0x200] = { 0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2MSB, EV_CURRENT };
	b[16] = 0, b[17] = ET_EXEC;                    /* e_type */
	b[18] = 0, b[19] = EM_PPC;                     /* e_machine */
	b[23] = EV_CURRENT;                            /* e_version */
	b[24] = 0x10, b[25] = 0x00, b[26] = 0x01, b[27] = 0x00;   /* e_entry 0x10000100 */
	b[31] = 0x34;                                  /* e_phoff */
	b[41] = 0x34;                                  /* e_ehsize */
	b[43] = 0x20;                                  /* e_phentsize */
	b[45] = 1;                                     /* e_phnum */
	b[47] = 0x28;                                  /* e_shentsize */
	unsigned char *p = b + 0x34;
	p[3] = PT_LOAD;
	p[11] = 0x00;                                  /* p_offset 0 */
	p[8] = 0x10;                                   /* p_vaddr 0x10000000 */
	p[18] = 0x02, p[19] = 0x00;                    /* p_filesz 0x200 */
	p[22] = 0x02, p[23] = 0x00;                    /* p_memsz */
	p[27] = 5;                                     /* p_flags R+X */
	p[30] = 0x10, p[31] = 0x00;                    /* p_align 0x1000 */
	char *path = path_join(dir, "be32");
	write_file(path, b, sizeof b);
	struct elf_file f;
	struct strbuf err = STRBUF_INIT;
	if (ok(elf_open(&f, path, &err) == 0, "an ELF32 big-endian file opens: %s", sb_str(&err))) {
		ok(f.cls == ELFCLASS32 && f.be && f.nph == 1, "as 32-bit, big-endian, one header");
		ok(f.ph[0].p_vaddr == 0x10000000 && f.ph[0].p_align == 0x1000 && f.ph[0].p_flags == 5,
		   "with its fields in the file's byte order");
		walk(&f);
		elf_close(&f);
	}
	sb_free(&err);
	free(path);
}

/* A real program with a few bytes changed, two thousand times. */
static void random_corruption(const char *real)
{
	char *data;
	size_t len;
	if (!real || read_file(real, &data, &len) < 0) {
		ok(1, "# SKIP no real program to corrupt");
		return;
	}
	srand(1);
	size_t opened = 0, refused = 0, silent = 0;
	char *copy = xmalloc(len);
	for (int i = 0; i < 2000; i++) {
		memcpy(copy, data, len);
		/* Headers and tables are where a reader goes wrong: aim there
		 * half the time. */
		for (int k = 0; k < 4; k++) {
			size_t at = (size_t)rand() % (k % 2 ? len : (len < 4096 ? len : 4096));
			copy[at] = (char)rand();
		}
		int r = try_bytes(copy, len);
		opened += r == 0, refused += r == 1, silent += r < 0;
	}
	ok(silent == 0, "2000 corrupted copies of a real program: %zu read and walked, %zu refused "
	   "with a message", opened, refused);
	free(copy);
	free(data);
}

/* .tbss has an address and no place at it: the section that starts there
 * too (.init_array after the TLS data) is the one an address is in. */
static void tbss_takes_no_address(void)
{
	struct fx f;
	fx_init(&f, ET_DYN, 0);
	fx_sec(&f, ".tbss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE | SHF_TLS, FX_RW + 0x100, 0x2100, 0x48, 0);
	fx_sec(&f, ".init_array", SHT_INIT_ARRAY, SHF_ALLOC | SHF_WRITE, FX_RW + 0x100, 0x2100, 0x10, 8);
	char *path = path_join(dir, "tbss");
	struct strbuf err = STRBUF_INIT;
	struct elf_file e;
	if (ok(fx_write(&f, path) == 0 && elf_open(&e, path, &err) == 0, "a file with .tbss over .init_array")) {
		const struct elf_sec *s = elf_section_at(&e, FX_RW + 0x108);
		is_str(s ? s->name : "(none)", ".init_array", "  an address there is .init_array's, not .tbss's");
		/* Another thread's test program would inherit it (run.t). */
		ok(fcntl(e.fd, F_GETFD) & FD_CLOEXEC, "  the file is open close-on-exec");
		elf_close(&e);
	}
	sb_free(&err);
	free(path);
}

int main(void)
{
	tap_start();
	if (!ok(mkdtemp(dir) != NULL, "scratch directory"))
		return tap_done();
	struct strbuf err = STRBUF_INIT;
	struct profile *v = NULL;
	profiles_parse("linux-glibc-2.35,linux-musl-1.2.3,illumos,freebsd-13.0,android", &v, &nall, &err);
	memcpy(all, v, nall * sizeof *v);
	free(v);
	sb_free(&err);
	tbss_takes_no_address();

	struct fx f;
	fx_init(&f, ET_DYN, 0);
	fx_sec(&f, ".dynamic", SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE, FX_DYN_ADDR, FX_DYN_OFF, 0x40, 16);
	fx_dyn(&f, DT_SONAME, 1);
	truncations(f.b, 0x900, "a small shared object");

	char *src = path_join(dir, "p.c"), *prog = path_join(dir, "prog");
	write_file(src, "int main(void) { return 0; }\n", 29);
	char *cmd = xasprintf("gcc -o %s %s 2>/dev/null", prog, src);
	bool built = system(cmd) == 0;
	char *data;
	size_t len;
	if (built && read_file(prog, &data, &len) == 0) {
		truncations((unsigned char *)data, len < 0x4000 ? len : 0x4000, "a real program");
		free(data);
	} else {
		ok(1, "# SKIP gcc cannot build here");
	}
	hostile_headers();
	dangling_dynamic();
	not_elf();
	elf32_big_endian();
	random_corruption(built ? prog : NULL);
	/* elf show of a good file once leaked elf_open's message buffer
	 * (found by tests/fuzz/fuzz_elf; LeakSanitizer fails this program
	 * under make check-san without the fix). */
	struct strbuf shown = STRBUF_INIT;
	ok(!built || (elf_show_file(prog, &shown) == 0 && strstr(sb_str(&shown), "PT_LOAD")),
	   "elf show of a program: its program headers");
	sb_free(&shown);
	free(cmd), free(src), free(prog);
	rm_rf(dir);
	return tap_done();
}

#include "jobs/inspect.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/diff.h"
#include "elf/expect.h"
#include "elf/model.h"

static const struct elf_check *check_for(const struct lcase *c, const char *output)
{
	for (size_t i = 0; i < c->nelf; i++)
		if (!strcmp(c->elf[i].file, output))
			return &c->elf[i];
	return NULL;
}

/* The first failure decides the test; later ones are in the notes. */
static void fail(struct result *r, enum stage s, char *msg)
{
	if (r->outcome == OUT_PASS) {
		result_set(r, OUT_FAIL, s, "%s", msg);
		r->failed_log = r->nlogs ? r->nlogs - 1 : NO_LOG;   /* the link */
	}
	free(msg);
}

void inspect_output(struct result *r, const struct lcase *c, const struct inspect_ctx *ic,
		    const char *output, const struct elf_file *f, const char *unreadable)
{
	if (!f) {
		fail(r, STAGE_ELF_RULE, xasprintf("the output is not a readable ELF file: %s", unreadable));
		return;
	}
	struct strbuf made = STRBUF_INIT;
	if (!mode_made(f, ic->mode, &made))
		fail(r, STAGE_MODE, xasprintf("%s: asked for %s (%s), the link made %s", output,
					      mode_name(ic->mode), mode_ldflag(ic->mode), made.buf));
	sb_free(&made);
	const struct elf_check *ec = check_for(c, output);
	size_t nown = ec ? ec->nprofiles : 0, np = 1 + ic->nextra + nown;
	struct profile *pv = xcalloc(np, sizeof *pv);
	pv[0] = *ic->target;
	if (ic->nextra)
		memcpy(pv + 1, ic->extra, ic->nextra * sizeof *pv);
	if (nown)
		memcpy(pv + 1 + ic->nextra, ec->profiles, nown * sizeof *pv);
	/* The file was made for the target: the other profiles check it as
	 * if it ran elsewhere. */
	for (size_t i = 1; i < np; i++)
		pv[i].as_if = pv[i].kind != pv[0].kind;
	struct findings fs = { 0 };
	rules_check(f, pv, np, &fs);
	size_t unexpected = 0, first = 0;
	for (size_t i = 0; i < fs.n; i++) {
		const struct finding *x = &fs.v[i];
		bool expected = ec && (!ec->loaded || elfx_expects_finding(ec, x->rule));
		result_note(r, output, x->rule, x->profile, x->where, x->consequence, expected);
		if (!expected && !unexpected++)
			first = i;
	}
	if (unexpected) {
		/* The first finding in full, the rules of the others by name. */
		const struct finding *x = &fs.v[first];
		struct strvec also = STRVEC_INIT;
		for (size_t i = first + 1; i < fs.n; i++)
			if (strcmp(fs.v[i].rule, x->rule) && !(ec && elfx_expects_finding(ec, fs.v[i].rule)))
				sv_push_once(&also, fs.v[i].rule);
		struct strbuf more = STRBUF_INIT;
		for (size_t i = 0; i < also.n; i++)
			sb_addf(&more, "%s%s", i ? ", " : "; it also breaks ", also.v[i]);
		fail(r, STAGE_ELF_RULE, xasprintf("%s breaks %s [%s]: %s; %s%s", output, x->rule,
						   x->profile, x->where, x->consequence, sb_str(&more)));
		sb_free(&more);
		sv_clear(&also);
	}
	if (ec) {
		struct strbuf bad = STRBUF_INIT;
		elfx_check(f, ec, &fs, &bad);
		if (bad.len) {
			bad.buf[--bad.len] = 0;   /* the last newline */
			char *nl = strchr(bad.buf, '\n');
			if (nl && !r->detail && r->outcome == OUT_PASS)
				r->detail = xstrdup(bad.buf);
			fail(r, STAGE_ELF_EXPECT,
			     xasprintf("%s: %.*s%s", output, nl ? (int)(nl - bad.buf) : (int)bad.len,
				       bad.buf, nl ? " (and more)" : ""));
		}
		sb_free(&bad);
	}
	findings_free(&fs);
	free(pv);
}

/* The output of step s in dir and in refdir, when the linker under test
 * made it and both are there. */
static bool both_outputs(const struct build_step *s, const char *dir, const char *refdir,
			 char *paths[2])
{
	if (s->reference || mode_by_tool(s->mode))
		return false;
	paths[0] = path_join(dir, s->output);
	paths[1] = path_join(refdir, s->output);
	if (access(paths[0], F_OK) == 0 && access(paths[1], F_OK) == 0)
		return true;
	free(paths[0]);
	free(paths[1]);
	return false;
}

size_t inspect_diff(struct result *r, const struct lcase *c, const char *dir,
		    const char *refdir, const char *refname)
{
	struct strbuf sb = STRBUF_INIT;
	size_t total = 0;
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct build_step *s = &c->steps[i];
		char *paths[2];
		if (!both_outputs(s, dir, refdir, paths))
			continue;
		struct elf_diff d;
		struct strbuf err = STRBUF_INIT;
		if (elf_diff_files(paths, 2, &c->diff.ignore, false, &d, &err) < 0) {
			sb_addf(&sb, "%s: no diff: %s\n", s->output, err.buf);
		} else {
			sb_addf(&sb, "%s against %s's: %zu difference%s\n", s->output, refname,
				d.nrows, d.nrows == 1 ? "" : "s");
			if (d.nrows)
				elf_diff_text(&d, 12, &sb);
			total += d.nrows;
			elf_diff_free(&d);
		}
		sb_free(&err);
		free(paths[0]);
		free(paths[1]);
	}
	if (sb.len) {
		char *all = xasprintf("%s%s", r->diff ? r->diff : "", sb.buf);
		free(r->diff);
		r->diff = all;
	}
	sb_free(&sb);
	return total;
}

/* The sections the loader or the unwinder reads through pointers: where
 * one linker has the loader relocate an address in one and another does
 * not, one of them fixed it at link time (mold baking a link-time address
 * into a PIC object's .eh_frame), left it out, or encoded it
 * position-independently (GNU ld's PC-relative .eh_frame), whatever the
 * test printed. */
static const char *const watched[] = { ".eh_frame", ".init_array", ".fini_array", ".data.rel.ro",
				       ".got" };

#define GOT_WATCHED (ARRAY_LEN(watched) - 1)

struct watch_count {
	const struct elf_file *f;
	size_t n[ARRAY_LEN(watched)];
	uint64_t *got_rel;        /* where relocations write into .got */
	size_t ngot_rel;
	size_t got_bare;          /* .got slots holding an address of the file, unrelocated */
	uint64_t got_first;       /* the first of them */
};

/* TLS relocations write module ids and offsets, not addresses. */
static bool tls_reloc(const struct elf_file *f, const struct elf_reloc *r)
{
	char b[32];
	const char *name = r->kind == ELF_RELR ? "" : elf_reloc_name(f->eh.e_machine, r->type, b);
	return strstr(name, "TLS") || strstr(name, "DTP") || strstr(name, "TPOFF") ||
	       strstr(name, "TPREL");
}

static bool count_watched(void *ctx, const struct elf_reloc *r)
{
	struct watch_count *w = ctx;
	const struct elf_sec *s = elf_reloc_writes_nothing(r) ? NULL : elf_section_at(w->f, r->offset);
	if (s && !strcmp(s->name, watched[GOT_WATCHED])) {
		w->got_rel = xrealloc(w->got_rel, (w->ngot_rel + 1) * sizeof *w->got_rel);
		w->got_rel[w->ngot_rel++] = r->offset;
	}
	for (size_t i = 0; s && !tls_reloc(w->f, r) && i < ARRAY_LEN(watched); i++)
		w->n[i] += !strcmp(s->name, watched[i]);
	return true;
}

/* A .got differs from another linker's in its relocations for good
 * reasons: a linker that relaxes GOT loads has fewer slots, GNU ld keeps
 * one for _DYNAMIC. It hides a fault only where a slot holds an address
 * of the file that nothing relocates: count those (not _DYNAMIC's, which
 * the x86-64 ABI leaves at its link-time value; not values in the first
 * page, which are TLS module ids and offsets, not addresses). */
static void got_bare(struct watch_count *w)
{
	const struct elf_file *f = w->f;
	const struct elf_sec *got = elf_section(f, watched[GOT_WATCHED]);
	const unsigned char *p = got ? elf_section_bytes(f, got) : NULL;
	const GElf_Phdr *dyn = NULL;
	for (size_t i = 0; i < f->nph && !dyn; i++)
		if (f->ph[i].p_type == PT_DYNAMIC)
			dyn = &f->ph[i];
	size_t wsz = elf_addr_size(f);
	for (uint64_t off = 0; p && off + wsz <= got->sh.sh_size; off += wsz) {
		uint64_t at = got->sh.sh_addr + off, v = elf_read_word(f, p + off, wsz);
		bool relocated = false;
		for (size_t i = 0; i < w->ngot_rel && !relocated; i++)
			relocated = w->got_rel[i] == at;
		if (relocated || v < 4096 || (dyn && v == dyn->p_vaddr) || !elf_load_at(f, v, true))
			continue;
		if (!w->got_bare++)
			w->got_first = at;
	}
}

static bool watched_relocs(const char *path, struct watch_count *w)
{
	struct elf_file f;
	if (elf_open_quiet(&f, path) < 0)
		return false;
	/* An ET_EXEC's addresses are final: fixed at link time is right. */
	bool ok = f.eh.e_type == ET_DYN;
	*w = (struct watch_count){ .f = &f };
	if (ok) {
		elf_each_dynreloc(&f, count_watched, w);
		got_bare(w);
	}
	free(w->got_rel);
	w->got_rel = NULL;
	elf_close(&f);
	return ok;
}

void inspect_hidden(struct result *r, const struct lcase *c, const char *dir, const char *refdir,
		    const char *refname)
{
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct build_step *s = &c->steps[i];
		char *paths[2];
		if (s->mode == MODE_RELOCATABLE || !both_outputs(s, dir, refdir, paths))
			continue;
		struct watch_count a, b;
		bool both = watched_relocs(paths[0], &a) && watched_relocs(paths[1], &b);
		for (size_t k = 0; both && k < GOT_WATCHED; k++)
			if (!a.n[k] != !b.n[k])
				sv_pushf(&r->warnings, "%s: %zu dynamic relocation%s into %s, %zu in %s's: "
					 "one of them fixes at link time, or leaves out, an address "
					 "the other has the loader relocate (linkmatrix elf diff shows "
					 "both)", s->output, a.n[k], a.n[k] == 1 ? "" : "s", watched[k],
					 b.n[k], refname);
		if (both && a.got_bare && b.n[GOT_WATCHED])
			sv_pushf(&r->warnings, "%s: %zu .got slot%s hold%s an address of the file that no "
				 "dynamic relocation fixes, the first at %#llx, where %s's has %zu dynamic relocation%s into .got: the "
				 "program uses it at its link-time value wherever it is loaded (linkmatrix "
				 "elf diff shows both)", s->output, a.got_bare, a.got_bare == 1 ? "" : "s",
				 a.got_bare == 1 ? "s" : "", (unsigned long long)a.got_first, refname,
				 b.n[GOT_WATCHED], b.n[GOT_WATCHED] == 1 ? "" : "s");
		free(paths[0]);
		free(paths[1]);
	}
}

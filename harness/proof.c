#include "proof.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match.h"

/* The NUL-separated strings of .comment, and whether `section` exists. */
struct marks {
	struct strvec comments;
	struct strvec sections;
};

static int read_marks(const char *path, struct marks *m, struct strbuf *why)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		sb_addf(why, "cannot open the output %s: %s", path, strerror(errno));
		return -1;
	}
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	size_t shstrndx;
	int rc = -1;
	if (!e || elf_kind(e) != ELF_K_ELF || elf_getshdrstrndx(e, &shstrndx) != 0) {
		sb_addf(why, "the output %s is not a readable ELF file: %s", path, elf_errmsg(-1));
		goto out;
	}
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(e, scn));) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		const char *name = elf_strptr(e, shstrndx, sh.sh_name);
		if (!name)
			continue;
		sv_push(&m->sections, name);
		if (strcmp(name, ".comment") || sh.sh_type == SHT_NOBITS)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			continue;
		const char *p = d->d_buf, *end = p + d->d_size;
		while (p < end) {
			size_t n = strnlen(p, (size_t)(end - p));
			if (n) {
				char *s = xstrndup(p, n);   /* the last may lack its NUL */
				sv_push(&m->comments, s);
				free(s);
			}
			p += n + 1;
		}
	}
	rc = 0;
out:
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

static bool has_comment(const struct marks *m, const struct regex *re)
{
	for (size_t i = 0; i < m->comments.n; i++)
		if (regex_match(re, m->comments.v[i], strlen(m->comments.v[i]), NULL))
			return true;
	return false;
}

static bool has_section(const struct marks *m, const char *name)
{
	for (size_t i = 0; i < m->sections.n; i++)
		if (!strcmp(m->sections.v[i], name))
			return true;
	return false;
}

/* The linker whose mark the file carries, other than l. */
static const struct linker *foreign_mark(const struct linker *l, const struct linker_set *all,
					 const struct marks *m)
{
	for (size_t i = 0; i < all->n; i++) {
		const struct linker *o = &all->v[i];
		if (o == l)
			continue;
		if (o->proof_comment && has_comment(m, o->proof_comment) &&
		    !(l->proof_comment && has_comment(m, l->proof_comment)))
			return o;
		if (o->proof_section && has_section(m, o->proof_section))
			return o;
	}
	return NULL;
}

static bool check_file(const struct linker *l, const struct linker_set *all,
		       const char *output, struct strbuf *why)
{
	struct marks m = { STRVEC_INIT, STRVEC_INIT };
	bool ok = read_marks(output, &m, why) == 0;
	const struct linker *o = ok ? foreign_mark(l, all, &m) : NULL;
	if (o) {
		sb_addf(why, "%s carries the mark of %s, not %s: the driver ran another linker",
			output, o->name, l->name);
		ok = false;
	} else if (ok && l->proof_comment && !has_comment(&m, l->proof_comment)) {
		sb_addf(why, "no .comment string of %s matches '%s'", output,
			regex_source(l->proof_comment));
		ok = false;
	} else if (ok && l->proof_section && !has_section(&m, l->proof_section)) {
		sb_addf(why, "%s has no %s section", output, l->proof_section);
		ok = false;
	}
	sv_clear(&m.comments);
	sv_clear(&m.sections);
	return ok;
}

bool proof_check(const struct linker *l, const struct linker_set *all,
		 const char *link_text, size_t link_len,
		 const char *output, enum mode m, struct strbuf *why)
{
	bool banner = !l->proof_banner || regex_match(l->proof_banner, link_text, link_len, NULL);
	/* Partial links carry no linker mark with most linkers, and some
	 * linkers (mold) print no banner for them: either proof will do. */
	if (m == MODE_RELOCATABLE && l->proof_banner)
		return banner || check_file(l, all, output, why);
	if (!banner) {
		sb_addf(why, "the link did not print the banner of %s ('%s'): the driver may "
			"have run another linker", l->name, regex_source(l->proof_banner));
		return false;
	}
	return check_file(l, all, output, why);
}

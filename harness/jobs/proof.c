#include "jobs/proof.h"

#include <string.h>

#include "elf/model.h"
#include "util/match.h"

struct comment_match {
	const struct regex *re;
	bool hit;
};

static bool match_one(void *ctx, const char *s, size_t len)
{
	struct comment_match *c = ctx;
	c->hit = regex_match(c->re, s, len, NULL);
	return !c->hit;
}

static bool has_comment(const struct elf_file *f, const struct regex *re)
{
	struct comment_match c = { re, false };
	elf_each_comment(f, match_one, &c);
	return c.hit;
}

static bool has_section(const struct elf_file *f, const char *name)
{
	return elf_section(f, name) != NULL;
}

/* The linker whose mark the file carries, other than l. */
static const struct linker *foreign_mark(const struct linker *l, const struct linker_set *all,
					 const struct elf_file *m)
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
		       const char *output, const struct elf_file *m, const char *unreadable,
		       struct strbuf *why)
{
	if (!m) {
		sb_addf(why, "the output is not a readable ELF file: %s", unreadable);
		return false;
	}
	const struct linker *o = foreign_mark(l, all, m);
	if (o)
		sb_addf(why, "%s carries the mark of %s, not %s: the driver ran another linker",
			output, o->name, l->name);
	else if (l->proof_comment && !has_comment(m, l->proof_comment))
		sb_addf(why, "no .comment string of %s matches '%s'", output,
			regex_source(l->proof_comment));
	else if (l->proof_section && !has_section(m, l->proof_section))
		sb_addf(why, "%s has no %s section", output, l->proof_section);
	else
		return true;
	return false;
}

bool proof_check(const struct linker *l, const struct linker_set *all,
		 const char *link_text, size_t link_len, const char *output,
		 const struct elf_file *f, const char *unreadable, enum mode m, struct strbuf *why)
{
	bool banner = !l->proof_banner || regex_match(l->proof_banner, link_text, link_len, NULL);
	/* Partial links carry no linker mark with most linkers, and some
	 * linkers (mold) print no banner for them: either proof will do. */
	if (m == MODE_RELOCATABLE && l->proof_banner)
		return banner || check_file(l, all, output, f, unreadable, why);
	if (!banner) {
		sb_addf(why, "the link did not print the banner of %s ('%s'): the driver may "
			"have run another linker", l->name, regex_source(l->proof_banner));
		return false;
	}
	return check_file(l, all, output, f, unreadable, why);
}

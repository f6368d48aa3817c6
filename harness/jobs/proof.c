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

/* Whether an input of the link (an object, or a member of an archive)
 * already carried o's mark: the linker copies .comment strings from its
 * inputs, so a mark an object made by `ld -r`, or elsewhere, brought in
 * proves nothing about the linker that ran. */
struct input_mark {
	const struct regex *re;
	const char *section;
	bool hit;
};

static bool input_has_mark(void *ctx, const struct elf_file *f)
{
	struct input_mark *im = ctx;
	im->hit = (im->re && has_comment(f, im->re)) || (im->section && has_section(f, im->section));
	return !im->hit;
}

static bool from_inputs(const struct linker *o, const struct strvec *inputs)
{
	struct input_mark im = { o->proof_comment, o->proof_section, false };
	for (size_t i = 0; i < inputs->n && !im.hit; i++)
		elf_each_in(inputs->v[i], input_has_mark, &im);
	return im.hit;
}

/* The linker whose mark the file carries, other than l, that no input
 * brought in. */
static const struct linker *foreign_mark(const struct linker *l, const struct linker_set *all,
					 const struct elf_file *m, const struct strvec *inputs)
{
	for (size_t i = 0; i < all->n; i++) {
		const struct linker *o = &all->v[i];
		if (o == l)
			continue;
		bool marked = (o->proof_comment && has_comment(m, o->proof_comment) &&
			       !(l->proof_comment && has_comment(m, l->proof_comment))) ||
			      (o->proof_section && has_section(m, o->proof_section));
		if (marked && !from_inputs(o, inputs))
			return o;
	}
	return NULL;
}

static bool check_file(const struct linker *l, const struct linker_set *all,
		       const struct proof_input *in, const struct elf_file *m, struct strbuf *why)
{
	if (!m) {
		sb_addf(why, "the output is not a readable ELF file: %s", in->unreadable);
		return false;
	}
	const struct linker *o = foreign_mark(l, all, m, in->inputs);
	if (o)
		sb_addf(why, "%s carries the mark of %s, not %s: the driver ran another linker",
			in->output, o->name, l->name);
	else if (l->proof_comment && !has_comment(m, l->proof_comment))
		sb_addf(why, "no .comment string of %s matches '%s'", in->output,
			regex_source(l->proof_comment));
	else if (l->proof_section && !has_section(m, l->proof_section))
		sb_addf(why, "%s has no %s section", in->output, l->proof_section);
	else
		return true;
	return false;
}

/* The line of the link's output where another linker's banner stands, and
 * that linker: the one the driver ran instead. */
static const struct linker *banner_of_another(const struct linker *l, const struct linker_set *all,
					       const char *text, size_t len, const char **line,
					       size_t *line_len)
{
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		for (size_t i = 0; i < all->n; i++) {
			const struct linker *o = &all->v[i];
			if (o != l && o->proof_banner && regex_match(o->proof_banner, p, n, NULL)) {
				*line = p, *line_len = n;
				return o;
			}
		}
		p += n + 1;
	}
	return NULL;
}

void proof_rustc_text(const char *s, size_t n, struct strbuf *out)
{
	static const char *const heads[] = { "warning: linker stdout: ", "warning: linker stderr: " };
	static const char indent[] = "         ";   /* under the head's text */
	bool in = false;
	for (const char *end = s + n, *line = s; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = (size_t)((nl ? nl : end) - line);
		const char *text = NULL;
		for (size_t i = 0; i < ARRAY_LEN(heads) && !text; i++)
			if (len >= strlen(heads[i]) && !memcmp(line, heads[i], strlen(heads[i])))
				text = line + strlen(heads[i]);
		if (!text && in && len >= sizeof indent - 1 && !memcmp(line, indent, sizeof indent - 1))
			text = line + sizeof indent - 1;
		in = text != NULL;
		if (text) {
			sb_add(out, text, len - (size_t)(text - line));
			sb_addc(out, '\n');
		}
		line += len + 1;
	}
}

void proof_strip_echo(const char *s, size_t n, struct strbuf *out)
{
	static const char echo[] = "collect2 version ";
	bool skip_next = false;
	for (const char *end = s + n, *line = s; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = (size_t)((nl ? nl + 1 : end) - line);
		bool is_echo = len >= sizeof echo - 1 && !memcmp(line, echo, sizeof echo - 1);
		if (!is_echo && !skip_next)
			sb_add(out, line, len);
		skip_next = is_echo;
		line += len;
	}
}

bool proof_check(const struct linker *l, const struct linker_set *all,
		 const struct proof_input *in, const struct elf_file *f, struct strbuf *why)
{
	bool banner = !l->proof_banner || regex_match(l->proof_banner, in->text, in->len, NULL);
	/* Partial links carry no linker mark with most linkers, and some
	 * linkers (mold) print no banner for them: either proof will do. */
	if (in->mode == MODE_RELOCATABLE && l->proof_banner)
		return banner || check_file(l, all, in, f, why);
	if (banner)
		return check_file(l, all, in, f, why);
	const char *line;
	size_t n;
	const struct linker *o = banner_of_another(l, all, in->text, in->len, &line, &n);
	if (o)
		sb_addf(why, "the link printed the banner of %s ('%.*s'), not that of %s: the "
			"driver ran %s", o->name, (int)(n > 120 ? 120 : n), line, l->name, o->name);
	else
		sb_addf(why, "the link did not print the banner of %s ('%s'): the driver may "
			"have run another linker", l->name, regex_source(l->proof_banner));
	return false;
}

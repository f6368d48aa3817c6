/* Two reports side by side: what newly fails, newly passes, changed, came
 * or went. Records are matched by name; both reports are in report order,
 * so one merge walk does it, a record of each at a time. */
#include "results/compare.h"

#include <stdlib.h>
#include <string.h>

/* Bad for a nightly reader: what makes a run fail. */
static bool bad(enum outcome o)
{
	return outcome_is_bad(o);
}

static const char *version_of(const struct report *r, const char *linker)
{
	const struct rep_linker *l = report_linker(r, linker);
	return l && l->found ? l->version : NULL;
}

/* The linker's versions in the two runs, when it is another build. */
struct versions {
	const char *then, *now;
};

static struct versions versions_of(const struct report *old, const struct report *new,
				   const char *linker)
{
	struct versions v = { version_of(old, linker), version_of(new, linker) };
	if (!v.then || !v.now || !strcmp(v.then, v.now))
		v.then = v.now = NULL;
	return v;
}

static void line(struct strbuf *sb, const struct record *r, const char *was, struct versions v)
{
	sb_addf(sb, "  %-7s %s", outcome_name(r->outcome), r->id);
	if (r->stage && bad(r->outcome))
		sb_addf(sb, " [%s]", stage_name(r->stage));
	if (was && v.then)
		sb_addf(sb, " (was %s with %s %s; now %s)", was, r->linker, v.then, v.now);
	else if (was)
		sb_addf(sb, " (was %s)", was);
	if (r->message && bad(r->outcome))
		sb_addf(sb, ": %s", r->message);
	sb_addc(sb, '\n');
}

enum kind { NEW_FAIL, NEW_PASS, CHANGED, ADDED, GONE, KINDS };

static const char *const titles[KINDS] = {
	"newly failing", "newly passing", "changed outcome", "new tests", "tests gone",
};

struct changes {
	struct strbuf part[KINDS];
	size_t count[KINDS];
};

static void note(struct changes *c, enum kind k, const struct record *r, const char *was,
		 struct versions v)
{
	line(&c->part[k], r, was, v);
	c->count[k]++;
}

/* The same test in both: a change when its outcome is another. */
static void compare_one(struct changes *c, const struct record *a, const struct record *b,
			struct versions v)
{
	if (a->outcome == b->outcome)
		return;
	enum kind k = bad(b->outcome) && !bad(a->outcome) ? NEW_FAIL
		    : !bad(b->outcome) && bad(a->outcome) ? NEW_PASS : CHANGED;
	note(c, k, b, outcome_name(a->outcome), v);
}

/* "lld 14.0.6 then, 16.0.6 now": which version changed it may be all a
 * change of outcome says. */
static void other_builds(struct strbuf *out, const struct report *old, const struct report *new)
{
	const char *sep = "linkers whose version changed: ";
	for (size_t i = 0; i < new->nlinkers; i++) {
		struct versions v = versions_of(old, new, new->linkers[i].name);
		if (!v.then)
			continue;
		sb_addf(out, "%s%s %s then, %s now", sep, new->linkers[i].name, v.then, v.now);
		sep = "; ";
	}
	if (*sep == ';')
		sb_addc(out, '\n');
}

/* Tests an incomplete run did not reach are "gone" (or "new") without
 * being so. */
static void incomplete_note(struct strbuf *out, const char *which, const struct report *r,
			    const char *unreached)
{
	if (r->complete)
		return;
	char *why = xvisible(r->incomplete ? r->incomplete : "the run did not finish", 4096);
	sb_addf(out, "note: the %s run is incomplete (%s): tests it did not reach are %s\n", which,
		why, unreached);
	free(why);
}

size_t report_compare(const struct report *old, const struct report *new, struct strbuf *out)
{
	struct changes c = { 0 };
	struct record_iter io, in;
	const struct record *a = report_first(&io, old), *b = report_first(&in, new);
	while (a || b) {
		int d = !a ? 1 : !b ? -1 : record_cmp(a, b);
		static const struct versions none;
		if (d < 0)
			note(&c, GONE, a, NULL, none);
		else if (d > 0)
			note(&c, ADDED, b, NULL, none);
		else
			compare_one(&c, a, b, versions_of(old, new, b->linker));
		if (d <= 0)
			a = report_next(&io);
		if (d >= 0)
			b = report_next(&in);
	}
	report_iter_end(&io);
	report_iter_end(&in);
	sb_addf(out, "compared with %s (%s): %zu newly failing, %zu newly passing, %zu changed, "
		"%zu new, %zu gone\n", old->run_id, old->started, c.count[NEW_FAIL],
		c.count[NEW_PASS], c.count[CHANGED], c.count[ADDED], c.count[GONE]);
	/* A change of outcome may be the options', not the linker's. */
	struct strbuf why = STRBUF_INIT;
	if (old->verdict.recorded && new->verdict.recorded &&
	    !verdict_opts_same(&old->verdict, &new->verdict, &why))
		sb_addf(out, "note: the runs decided outcomes with other options: %s\n", why.buf);
	sb_free(&why);
	incomplete_note(out, "old", old, "new");
	incomplete_note(out, "new", new, "gone");
	other_builds(out, old, new);
	for (int k = 0; k < KINDS; k++) {
		if (c.count[k])
			sb_addf(out, "%s (%zu):\n%s", titles[k], c.count[k], c.part[k].buf);
		sb_free(&c.part[k]);
	}
	return c.count[NEW_FAIL];
}

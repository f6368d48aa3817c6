/* Two reports side by side: what newly fails, newly passes, changed, came
 * or went. Records are matched by id; both reports are sorted by name, so
 * one merge walk does it. */
#include "results/compare.h"

#include <string.h>

static int cmp(const struct record *a, const struct record *b)
{
	int d = strcmp(a->case_name, b->case_name);
	if (!d)
		d = strcmp(a->variant, b->variant);
	if (!d)
		d = strcmp(a->target, b->target);
	if (!d)
		d = strcmp(a->linker, b->linker);
	return d;
}

/* Bad for a nightly reader: what makes a run fail. */
static bool bad(enum outcome o)
{
	return outcome_is_bad(o);
}

static void line(struct strbuf *sb, const struct record *r, const char *was)
{
	sb_addf(sb, "  %-7s %s", outcome_name(r->outcome), r->id);
	if (r->stage && bad(r->outcome))
		sb_addf(sb, " [%s]", stage_name(r->stage));
	if (was)
		sb_addf(sb, " (was %s)", was);
	if (r->message && bad(r->outcome))
		sb_addf(sb, ": %s", r->message);
	sb_addc(sb, '\n');
}

enum kind { NEW_FAIL, NEW_PASS, CHANGED, ADDED, GONE, KINDS };

static const char *const titles[KINDS] = {
	"newly failing", "newly passing", "changed outcome", "new tests", "tests gone",
};

size_t report_compare(const struct report *old, const struct report *new, struct strbuf *out)
{
	struct strbuf part[KINDS] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
				      STRBUF_INIT };
	size_t count[KINDS] = { 0 };
	size_t i = 0, j = 0;
	while (i < old->n || j < new->n) {
		int d = i == old->n ? 1 : j == new->n ? -1 : cmp(&old->v[i], &new->v[j]);
		if (d < 0) {
			line(&part[GONE], &old->v[i], NULL);
			count[GONE]++, i++;
			continue;
		}
		if (d > 0) {
			line(&part[ADDED], &new->v[j], NULL);
			count[ADDED]++, j++;
			continue;
		}
		const struct record *a = &old->v[i++], *b = &new->v[j++];
		if (a->outcome == b->outcome)
			continue;
		enum kind k = bad(b->outcome) && !bad(a->outcome) ? NEW_FAIL
			    : !bad(b->outcome) && bad(a->outcome) ? NEW_PASS : CHANGED;
		line(&part[k], b, outcome_name(a->outcome));
		count[k]++;
	}
	sb_addf(out, "compared with %s (%s): %zu newly failing, %zu newly passing, %zu changed, "
		"%zu new, %zu gone\n", old->run_id, old->started, count[NEW_FAIL], count[NEW_PASS],
		count[CHANGED], count[ADDED], count[GONE]);
	for (int k = 0; k < KINDS; k++) {
		if (count[k])
			sb_addf(out, "%s (%zu):\n%s", titles[k], count[k], part[k].buf);
		sb_free(&part[k]);
	}
	return count[NEW_FAIL];
}

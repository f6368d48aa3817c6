/* Where the versions of one linker disagree. A unit's records (one case,
 * variant and target) are next to each other in report order, so one walk
 * over the records, holding a unit's at a time, finds them all. */
#include "results/versions.h"

#include <stdlib.h>
#include <string.h>

/* A record of one version: what the unit came to with it. */
struct seen {
	const struct rep_linker *l;
	const char *label;
	bool passed;
	enum stage stage;
};

/* The linker's family, *n bytes of it: a file written before "family"
 * was has lld@16's family in its name. */
static const char *family_of(const struct rep_linker *l, size_t *n)
{
	if (l->family && *l->family) {
		*n = strlen(l->family);
		return l->family;
	}
	*n = strcspn(l->name, "@");
	return l->name;
}

static bool same_family(const struct rep_linker *a, const struct rep_linker *b)
{
	size_t na, nb;
	const char *fa = family_of(a, &na), *fb = family_of(b, &nb);
	return na == nb && !strncmp(fa, fb, na);
}

static int cmp_seen(const void *x, const void *y)
{
	const struct seen *a = x, *b = y;
	int c = version_cmp(a->l->version, b->l->version);
	return c ? c : strcmp(a->l->name, b->l->name);
}

/* Each version's label: its major, else its whole version, else (two
 * builds of one version) the linker's name. */
static void label(struct seen *s, size_t n, struct strvec *keep)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = s[i].l->version;
		size_t major = strcspn(v, "."), same_major = 0, same = 0;
		for (size_t k = 0; k < n; k++) {
			same_major += !strncmp(s[k].l->version, v, major) &&
				      strchr(".", s[k].l->version[major]);
			same += !strcmp(s[k].l->version, v);
		}
		if (same > 1)
			sv_push(keep, s[i].l->name);
		else
			sv_pushf(keep, "%.*s", (int)(same_major > 1 ? strlen(v) : major), v);
	}
	for (size_t i = 0; i < n; i++)
		s[i].label = keep->v[keep->n - n + i];
}

static void list(struct strbuf *sb, const struct seen *s, size_t n, bool passed)
{
	const char *sep = "";
	for (size_t i = 0; i < n; i++) {
		if (s[i].passed != passed)
			continue;
		sb_addf(sb, "%s%s", sep, s[i].label);
		sep = ", ";
	}
}

/* "passes with 13, 16; fails (at run) with 14, 15", or where it changes
 * once, "fails (at run) up to 15, passes from 16". */
static void say(struct strbuf *sb, const struct seen *s, size_t n)
{
	size_t changes = 0, at = 0;
	for (size_t i = 1; i < n; i++)
		if (s[i].passed != s[i - 1].passed) {
			changes++;
			at = i;
		}
	enum stage stage = STAGE_NONE;
	for (size_t i = 0; i < n && !stage; i++)
		stage = s[i].passed ? STAGE_NONE : s[i].stage;
	char how[40] = "";
	if (stage)
		snprintf(how, sizeof how, " (at %s)", stage_name(stage));
	if (changes == 1 && s[0].passed) {
		sb_addf(sb, "passes up to %s, fails%s from %s", s[at - 1].label, how, s[at].label);
	} else if (changes == 1) {
		sb_addf(sb, "fails%s up to %s, passes from %s", how, s[at - 1].label, s[at].label);
	} else {
		sb_adds(sb, "passes with ");
		list(sb, s, n, true);
		sb_addf(sb, "; fails%s with ", how);
		list(sb, s, n, false);
	}
}

/* The unit's lines: one per family whose versions disagree. */
static void unit_lines(struct seen *s, size_t n, const char *unit, struct strbuf *out)
{
	bool *done = xcalloc(n ? n : 1, sizeof *done);
	struct seen *fam = xmalloc((n ? n : 1) * sizeof *fam);
	struct strvec labels = STRVEC_INIT;
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		size_t nf = 0, passed = 0;
		for (size_t k = i; k < n; k++) {
			if (done[k] || !same_family(s[i].l, s[k].l))
				continue;
			done[k] = true;
			fam[nf++] = s[k];
			passed += s[k].passed;
		}
		if (nf < 2 || !passed || passed == nf)
			continue;
		qsort(fam, nf, sizeof *fam, cmp_seen);
		label(fam, nf, &labels);
		size_t nfam;
		const char *family = family_of(fam[0].l, &nfam);
		sb_addf(out, "%s: %.*s ", unit, (int)nfam, family);
		say(out, fam, nf);
		sb_addc(out, '\n');
	}
	sv_clear(&labels);
	free(fam);
	free(done);
}

static bool same_unit(const struct record *a, const char *c, const char *v, const char *t)
{
	return !strcmp(a->case_name, c) && !strcmp(a->variant, v) && !strcmp(a->target, t);
}

void report_version_changes(const struct report *r, struct strbuf *out)
{
	struct record_iter it;
	struct seen *s = NULL;
	size_t n = 0, cap = 0;
	char *unit = NULL, *c = NULL, *v = NULL, *t = NULL;
	const struct record *rec = report_first(&it, r);
	for (;; rec = report_next(&it)) {
		if (!rec || !c || !same_unit(rec, c, v, t)) {
			if (unit)
				unit_lines(s, n, unit, out);
			n = 0;
			free(unit);
			free(c);
			free(v);
			free(t);
			unit = c = v = t = NULL;
			if (!rec)
				break;
			c = xstrdup(rec->case_name);
			v = xstrdup(rec->variant);
			t = xstrdup(rec->target);
			unit = xasprintf("%s:%s %s", c, v, t);
		}
		const struct rep_linker *l = report_linker(r, rec->linker);
		if (!l || !l->found || !*rec->variant || rec->outcome == OUT_SKIP)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			s = xrealloc(s, cap * sizeof *s);
		}
		s[n++] = (struct seen){ l, NULL, rec->outcome == OUT_PASS || rec->outcome == OUT_XPASS,
					rec->stage };
	}
	report_iter_end(&it);
	free(s);
}

#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>

#include "util/match.h"

static struct test *new_test(struct unit *u, struct linker *l, const char *id)
{
	struct test *t = xcalloc(1, sizeof *t);
	t->u = u;
	t->l = l;
	t->id = xstrdup(id);
	t->res.failed_log = NO_LOG;
	return t;
}

static void skip(struct test *t, const char *why)
{
	result_set(&t->res, OUT_SKIP, STAGE_NONE, "%s", why);
	t->done = true;
}

static void push_test(struct plan *p, struct test *t)
{
	p->tests = xrealloc(p->tests, (p->ntests + 1) * sizeof *p->tests);
	p->tests[p->ntests++] = t;
}

static void unit_add_test(struct unit *u, struct test *t)
{
	u->tests = xrealloc(u->tests, (u->ntests + 1) * sizeof *u->tests);
	u->tests[u->ntests++] = t;
}

/* ---- what runs where ---------------------------------------------------- */

static char *unmet(const struct requires *r, const struct target *t)
{
	static const struct {
		const char *what;
		size_t list_off, value_off;
	} checks[] = {
		{ "arch", offsetof(struct requires, arch), offsetof(struct target, arch) },
		{ "os", offsetof(struct requires, os), offsetof(struct target, os) },
		{ "libc", offsetof(struct requires, libc), offsetof(struct target, libc) },
	};
	for (size_t i = 0; i < ARRAY_LEN(checks); i++) {
		const struct slist *l = (const void *)((const char *)r + checks[i].list_off);
		const char *v = *(const char *const *)((const char *)t + checks[i].value_off);
		if (l->n && !slist_has(l, v))
			return xasprintf("requires %s %s%s; target %s has %s", checks[i].what,
					 l->v[0], l->n > 1 ? " (or another listed)" : "", t->name, v);
	}
	if (r->cxx && !t->cxx_path)
		return xasprintf("requires a C++ compiler; target %s has none installed", t->name);
	return NULL;
}

static bool step_needs_cxx(const struct lcase *c)
{
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct build_step *s = &c->steps[i];
		if (s->driver == DRIVER_CXX)
			return true;
		for (size_t j = 0; j < s->inputs.n; j++)
			if (source_kind(s->inputs.v[j]) == 'x')
				return true;
	}
	return false;
}

static bool unit_compares(const struct lcase *c)
{
	for (size_t i = 0; i < c->nruns; i++)
		if (!c->runs[i].has_expect)
			return true;
	return false;
}

/* ---- steps and objects ------------------------------------------------- */

static const char *pic_flag(enum mode m)
{
	switch (m) {
	case MODE_EXE: case MODE_STATIC: return "-fno-pie";
	case MODE_PIE: case MODE_STATIC_PIE: return "-fPIE";
	case MODE_SHARED: return "-fPIC";
	default: return NULL;
	}
}

static bool same_list(const struct slist *a, const struct slist *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return false;
	return true;
}

static bool name_taken(const struct unit *u, const char *name)
{
	const struct lcase *c = u->c;
	for (size_t i = 0; i < c->nfiles; i++)
		if (!strcmp(c->files[i].name, name))
			return true;
	for (size_t i = 0; i < c->nsteps; i++)
		if (!strcmp(c->steps[i].output, name))
			return true;
	for (size_t i = 0; i < u->nobjs; i++)
		if (!strcmp(u->objs[i].obj, name))
			return true;
	return false;
}

/* The object for src compiled with these flags; made once per unit. */
static const char *object_for(struct unit *u, const char *src, const char *pic,
			      const struct slist *cflags)
{
	for (size_t i = 0; i < u->nobjs; i++) {
		struct compile_plan *o = &u->objs[i];
		if (!strcmp(o->src, src) && same_list(o->cflags, cflags) &&
		    (o->pic == pic || (o->pic && pic && !strcmp(o->pic, pic))))
			return o->obj;
	}
	char *stem = xstrdup(src);
	for (char *s = stem; *s; s++)
		if (*s == '/')
			*s = '_';
	*strrchr(stem, '.') = 0;
	char *obj = xasprintf("%s.o", stem);
	for (int n = 2; name_taken(u, obj); n++) {
		free(obj);
		obj = xasprintf("%s.%d.o", stem, n);
	}
	free(stem);
	u->objs = xrealloc(u->objs, (u->nobjs + 1) * sizeof *u->objs);
	u->objs[u->nobjs++] = (struct compile_plan){ src, source_kind(src), pic, cflags, obj };
	return obj;
}

static void plan_steps(struct unit *u)
{
	const struct lcase *c = u->c;
	u->steps = xcalloc(c->nsteps, sizeof *u->steps);
	u->clang = c->clang;   /* its compiles; its links as each step says */
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct build_step *s = &c->steps[i];
		struct step_plan *sp = &u->steps[i];
		sp->mode = step_mode(s, u->v);
		sp->shared = s->reference || mode_by_tool(s->mode);
		sp->cxx = s->driver == DRIVER_CXX;
		sp->rust = step_is_rust(s);
		sp->clang = s->tc == TC_CLANG || (s->tc == TC_CASE && c->clang);
		u->clang |= sp->clang;
		u->rust |= sp->rust;
		for (size_t j = 0; j < s->inputs.n; j++) {
			const char *in = s->inputs.v[j];
			size_t k = 0;
			while (k < i && strcmp(c->steps[k].output, in))
				k++;
			if (k < i) {   /* an earlier output */
				sp->shared &= u->steps[k].shared;
				if (s->driver == DRIVER_AUTO && u->steps[k].cxx &&
				    (mode_by_tool(u->steps[k].mode) ||
				     u->steps[k].mode == MODE_RELOCATABLE))
					sp->cxx = true;
				sv_push(&sp->inputs, in);
			} else if (s->mode == MODE_OBJECT) {   /* compiled by the step itself */
				sp->cxx = source_kind(in) == 'x';
				sv_push(&sp->inputs, in);
			} else if (source_kind(in)) {
				if (s->driver == DRIVER_AUTO && source_kind(in) == 'x')
					sp->cxx = true;
				sv_push(&sp->inputs, object_for(u, in, pic_flag(sp->mode), &s->cflags));
			} else {       /* a file passed as it is: a linker script, an object */
				sv_push(&sp->inputs, in);
			}
		}
	}
}

/* ---- selection ---------------------------------------------------------- */

/* "unknown linker 'lldd' (did you mean 'lld'? see 'linkmatrix linkers')". */
static void unknown_name(struct strbuf *err, const char *what, const char *name,
			 const char *near, const char *list)
{
	sb_addf(err, "unknown %s '%s' (%s%s%ssee 'linkmatrix %s')", what, name,
		near ? "did you mean '" : "", near ? near : "", near ? "'? " : "", list);
}

static void unknown_linker(struct strbuf *err, const char *name, const struct linker_set *ls)
{
	unknown_name(err, "linker", name, linker_near(ls, name), "linkers");
}

static void unknown_target(struct strbuf *err, const char *name, const struct target_set *ts)
{
	unknown_name(err, "target", name, target_near(ts, name, true), "targets");
}

static int select_targets(struct target_set *ts, const struct slist *names,
			  struct target ***out, size_t *n, struct strbuf *err)
{
	*out = xcalloc(ts->n ? ts->n : 1, sizeof **out);
	*n = 0;
	if (names->n == 1 && !strcmp(names->v[0], "all")) {
		for (size_t i = 0; i < ts->n; i++)
			(*out)[(*n)++] = &ts->v[i];
		return 0;
	}
	if (names->n) {
		for (size_t i = 0; i < names->n; i++) {
			struct target *t = target_by_name(ts, names->v[i]);
			if (!t) {
				unknown_target(err, names->v[i], ts);
				return -1;
			}
			(*out)[(*n)++] = t;
		}
		return 0;
	}
	for (size_t i = 0; i < ts->n; i++)
		if (ts->v[i].is_default && ts->v[i].usable)
			(*out)[(*n)++] = &ts->v[i];
	for (size_t i = 0; i < ts->n && !*n; i++)
		if (ts->v[i].usable && ts->v[i].runner == RUNNER_NATIVE)
			(*out)[(*n)++] = &ts->v[i];
	if (!*n) {
		sb_adds(err, "no usable target (see 'linkmatrix targets')");
		return -1;
	}
	return 0;
}

static int select_linkers(struct linker_set *ls, const struct slist *names,
			  struct linker ***out, size_t *n, struct strbuf *err)
{
	*out = xcalloc(ls->n ? ls->n : 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < names->n; i++) {
		if (linker_find(ls, names->v[i]))
			continue;
		const char *at = strchr(names->v[i], '@');
		if (at && linker_name_known(&ls->names, names->v[i]))
			sb_addf(err, "no installed %.*s is version %s (see 'linkmatrix linkers')",
				(int)(at - names->v[i]), names->v[i], at + 1);
		else
			unknown_linker(err, names->v[i], ls);
		return -1;
	}
	/* In the set's order, each once, however many selectors name it. */
	for (size_t i = 0; i < ls->n; i++) {
		bool in = !names->n;
		for (size_t k = 0; k < names->n && !in; k++)
			in = linker_selects(&ls->v[i], names->v[k]);
		if (in)
			(*out)[(*n)++] = &ls->v[i];
	}
	return 0;
}

/* Whether a case's list of linkers names l (linker_is). */
static bool names_linker(const struct slist *names, const struct linker *l)
{
	for (size_t i = 0; i < names->n; i++)
		if (linker_is(l, names->v[i]))
			return true;
	return false;
}

static bool in_shard(const struct plan_opts *o, size_t *counter)
{
	size_t k = (*counter)++;
	return !o->shard_count || k % o->shard_count == o->shard_index - 1;
}

static bool tagged(const struct plan_opts *o, const struct lcase *c)
{
	for (size_t i = 0; i < o->tags.n; i++)
		if (slist_has(&c->tags, o->tags.v[i]))
			return true;
	return !o->tags.n;
}

static bool name_selected(const struct plan_opts *o, const char *name)
{
	size_t n = strlen(name);
	if (o->filter && !regex_match(o->filter, name, n, NULL))
		return false;
	return !(o->filter_out && regex_match(o->filter_out, name, n, NULL));
}

/* Whether id (a test's, or a unit's "case:variant target") and a pick
 * agree in the words both have. */
static bool pick_agrees(const char *pick, const char *id)
{
	size_t n = strlen(pick), m = strlen(id), k = n < m ? n : m;
	return !strncmp(pick, id, k) && (!pick[k] || pick[k] == ' ') && (!id[k] || id[k] == ' ');
}

/* Whether the picks name id (or a test of unit id); a test's is counted. */
static bool picked(const struct plan_opts *o, const char *id, bool test)
{
	bool any = !o->picks;
	for (size_t i = 0; o->picks && i < o->picks->n; i++)
		if (pick_agrees(o->picks->v[i], id)) {
			any = true;
			o->picked[i] += test;
		}
	return any;
}

/* Each pick's target, where --target does not say, after tg's n. */
static void add_picked_targets(struct target_set *ts, const struct plan_opts *o,
			       struct target **tg, size_t *n)
{
	for (size_t i = 0; o->picks && !o->targets.n && i < o->picks->n; i++) {
		const char *sp = strchr(o->picks->v[i], ' ');
		char *name = sp ? xstrndup(sp + 1, strcspn(sp + 1, " ")) : NULL;
		struct target *t = name ? target_by_name(ts, name) : NULL;
		size_t k = 0;
		while (t && k < *n && tg[k] != t)
			k++;
		if (t && k == *n)
			tg[(*n)++] = t;
		free(name);
	}
}

/* ---- units -------------------------------------------------------------- */

/* A test of a linker the selection left out that another test of the unit
 * needs (a comparison's reference, a required diff's): run, not reported. */
static struct test *hidden_test(struct unit *u, struct linker *l)
{
	char *id = xasprintf("%s %s %s (reference)", u->name, u->t->name, l->name);
	struct test *t = new_test(u, l, id);
	free(id);
	t->hidden = true;
	unit_add_test(u, t);
	return t;
}

static struct test *test_of(const struct unit *u, const char *linker)
{
	for (size_t k = 0; k < u->ntests; k++)
		if (u->tests[k]->l && linker_selects(u->tests[k]->l, linker))
			return u->tests[k];
	return NULL;
}

static void add_diff_reference(struct unit *u, struct linker_set *ls, const struct plan_opts *o)
{
	const struct lcase *c = u->c;
	const char *name = c->diff.reference ? c->diff.reference
			 : o->diff_reference ? o->diff_reference : u->t->reference_linker;
	u->dref = test_of(u, name);
	struct linker *l = linker_find(ls, name);
	if (!u->dref && c->diff.require_empty && l && linker_for(l, u->t)->found)
		u->dref = hidden_test(u, l);
	if (!c->diff.require_empty || (u->dref && !u->dref->done))
		return;
	/* Nothing to diff against: a pass would be a diff never made. */
	char *why = xasprintf("the case requires an empty diff against %s's outputs, and %s %s",
			      name, name, !l ? "is no linker of this run"
			      : u->dref ? "does not run here" : linker_for(l, u->t)->why);
	for (size_t k = 0; k < u->ntests; k++)
		if (!u->tests[k]->done)
			skip(u->tests[k], why);
	free(why);
}

static void add_tests(struct plan *p, struct unit *u, struct linker **lk, size_t nl,
		      struct linker_set *ls, const char *skip_why, enum absent absent,
		      const struct plan_opts *o, const struct strvec *ids)
{
	const struct slist *only = &u->c->req.linkers, *vonly = &u->v->req.linkers;
	struct linker *ref = linker_by_name(ls, u->t->reference_linker);
	for (size_t i = 0; i < nl; i++) {
		char *id = xasprintf("%s %s %s", u->name, u->t->name, lk[i]->name);
		if ((ids && !sv_has_sorted(ids, id, false)) || !picked(o, id, true)) {
			free(id);
			continue;
		}
		struct test *t = new_test(u, lk[i], id);
		free(id);
		t->is_ref = lk[i] == ref;
		if (skip_why) {
			skip(t, skip_why);
			t->absent = absent;
		} else if ((only->n && !names_linker(only, lk[i])) ||
			 (vonly->n && !names_linker(vonly, lk[i])))
			skip(t, "the case runs only with the linkers it lists in requires");
		else if (!linker_for(lk[i], u->t)->found) {
			skip(t, linker_for(lk[i], u->t)->why);
			t->absent = ABSENT_LINKER;
		}
		unit_add_test(u, t);
		push_test(p, t);
		if (t->is_ref && !t->done)
			u->ref = t;
	}
	if (!skip_why && !u->ref && ref && linker_for(ref, u->t)->found && u->compares) {
		u->ref = hidden_test(u, ref);
		u->ref->is_ref = true;
	}
	if (!skip_why)
		add_diff_reference(u, ls, o);
}

static struct unit *new_unit(const struct plan_opts *o, struct lcase *c,
			     const struct variant *v, struct target *t)
{
	struct unit *u = xcalloc(1, sizeof *u);
	u->c = c;
	u->v = v;
	u->t = t;
	u->name = xasprintf("%s:%s", c->name, v->name);
	/* One directory, not one per level: on a file system where a new
	 * inode is dear (ext4 without a journal scans recently freed ones),
	 * mkdir was the harness's largest cost. '@' is in no name. */
	u->dir = xasprintf("%s/%s@%s@%s", o->workdir, c->name, v->name, t->name);
	u->compile.failed_log = NO_LOG;
	u->compares = unit_compares(c);
	plan_steps(u);
	return u;
}

/* A case built with clang, where the target names none that is here. */
static char *clang_missing(const struct unit *u)
{
	bool cxx = false;
	for (size_t i = 0; i < u->c->nsteps; i++)
		cxx |= u->steps[i].cxx && u->steps[i].clang;
	for (size_t i = 0; i < u->nobjs; i++)
		cxx |= u->c->clang && u->objs[i].kind == 'x';
	const struct target *t = u->t;
	if (u->clang && !t->clang_path)
		return xasprintf("the case is built with clang; target %s has no clang (%s)", t->name,
				 t->clang ? "not installed" : "its file names none");
	if (cxx && !t->clangxx_path)
		return xasprintf("the case is built with clang++; target %s has no clang++ (%s)",
				 t->name, t->clangxx ? "not installed" : "its file names none");
	return NULL;
}

static char *unit_skip_reason(const struct unit *u, enum absent *absent)
{
	if (u->c->skip)
		return xasprintf("the case says: %s", u->c->skip);
	if (!u->t->usable) {
		*absent = ABSENT_TARGET;
		return xasprintf("target %s is not usable: %s", u->t->name, u->t->why);
	}
	char *why = unmet(&u->c->req, u->t);
	if (!why)
		why = unmet(&u->v->req, u->t);
	if (!why && step_needs_cxx(u->c) && !u->t->cxx_path)
		why = xasprintf("the case has C++ code; target %s has no C++ compiler", u->t->name);
	if (!why)
		why = clang_missing(u);
	for (int i = 0; i < 2 && !why; i++) {
		const struct slist *flags = i ? &u->v->req.cflags : &u->c->req.cflags;
		const char *refused = flags->n ? target_flags_refused(u->t, u->c->clang, flags) : NULL;
		if (refused)
			why = xasprintf("requires cflags the compiler refuses on target %s: %s",
					u->t->name, refused);
	}
	if (!why && u->rust)
		target_detect_rust(u->t);
	if (!why && u->rust && !u->t->rustc_path)
		why = xasprintf("the case has Rust code; target %s cannot build it: %s", u->t->name,
				u->t->rust_why);
	for (size_t i = 0; !why && i < u->c->nsteps; i++)
		if (u->t->cannot[u->steps[i].mode])
			why = xasprintf("target %s cannot make a %s file: %s", u->t->name,
					mode_name(u->steps[i].mode), u->t->cannot[u->steps[i].mode]);
	return why;
}

static void add_unit(struct plan *p, struct unit *u, struct linker **lk, size_t nl,
		     struct linker_set *ls, const struct plan_opts *o, const struct strvec *ids)
{
	enum absent absent = ABSENT_NONE;
	char *why = unit_skip_reason(u, &absent);
	add_tests(p, u, lk, nl, ls, why, absent, o, ids);
	free(why);
	size_t runnable = 0;
	for (size_t i = 0; i < u->ntests; i++)
		runnable += !u->tests[i]->done;
	atomic_init(&u->pending, runnable);
	if (runnable)
		p->ncompiles++;
	p->units = xrealloc(p->units, (p->nunits + 1) * sizeof *p->units);
	p->units[p->nunits++] = u;
}

/* The message of a broken case: its first complaint, without the file
 * name the test is named by, and how many more the detail has. */
static void add_broken(struct plan *p, const struct loaded_case *lc)
{
	struct test *t = new_test(NULL, NULL, lc->path);
	t->root_len = lc->root_len;
	const char *first = lc->errors ? lc->errors : "";
	char *shown = diag_file_shown(lc->path);
	size_t n = strlen(shown), more = 0;
	if (!strncmp(first, shown, n) && first[n] == ':')
		first += n + 1 + (first[n + 1] == ' ');
	free(shown);
	int len = (int)strcspn(first, "\n");
	for (const char *q = first + len; *q; q++)
		more += *q == '\n' && q[1];
	result_set(&t->res, OUT_ERROR, STAGE_LOAD, "the case file is broken: %.*s%s", len, first,
		   more ? " (and more: see the detail)" : "");
	t->res.detail = xstrdup(lc->errors ? lc->errors : "");
	t->done = true;
	push_test(p, t);
}

int plan_make(struct plan *p, struct loaded_case *cases, size_t ncases,
	      struct linker_set *ls, struct target_set *ts,
	      const struct plan_opts *o, struct strbuf *err)
{
	memset(p, 0, sizeof *p);
	struct target **tg = NULL;
	struct linker **lk = NULL;
	size_t ntg, nlk, counter = 0, *shard = o->shard_counter ? o->shard_counter : &counter;
	int rc = -1;
	if (select_targets(ts, &o->targets, &tg, &ntg, err) < 0 ||
	    select_linkers(ls, &o->linkers, &lk, &nlk, err) < 0)
		goto out;
	add_picked_targets(ts, o, tg, &ntg);
	if (o->diff_reference && !linker_find(ls, o->diff_reference)) {
		sb_adds(err, "--diff-reference: ");
		unknown_linker(err, o->diff_reference, ls);
		goto out;
	}
	for (size_t i = 0; i < ncases; i++) {
		struct lcase *c = cases[i].c;
		if (!c) {
			if (in_shard(o, shard))
				add_broken(p, &cases[i]);
			continue;
		}
		if (!tagged(o, c))
			continue;
		const struct strvec *ids = o->only && !sv_has(o->whole, cases[i].path)
					   ? o->only : NULL;
		for (size_t v = 0; v < c->nvariants; v++) {
			char *name = xasprintf("%s:%s", c->name, c->variants[v].name);
			bool selected = name_selected(o, name);
			for (size_t t = 0; selected && t < ntg; t++) {
				char *unit = xasprintf("%s %s ", name, tg[t]->name);
				bool wanted = !ids || sv_has_sorted(ids, unit, true);
				unit[strlen(unit) - 1] = 0;
				wanted = wanted && picked(o, unit, false);
				free(unit);
				if (wanted && in_shard(o, shard))
					add_unit(p, new_unit(o, c, &c->variants[v], tg[t]), lk, nlk, ls, o, ids);
			}
			free(name);
		}
	}
	rc = 0;
out:
	free(tg);
	free(lk);
	return rc;
}

static void free_test(struct test *t)
{
	result_free(&t->res);
	free(t->id);
	free(t->dir);
	for (size_t i = 0; t->u && i < t->u->c->nruns; i++)
		free(t->obs ? t->obs[i].death : NULL);
	free(t->obs);
	free(t);
}

void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->ntests; i++)
		if (!p->tests[i]->u)
			free_test(p->tests[i]);
	for (size_t i = 0; i < p->nunits; i++) {
		struct unit *u = p->units[i];
		for (size_t j = 0; j < u->ntests; j++)
			free_test(u->tests[j]);
		for (size_t j = 0; j < u->nobjs; j++)
			free(u->objs[j].obj);
		for (size_t j = 0; j < u->c->nsteps; j++)
			sv_clear(&u->steps[j].inputs);
		result_free(&u->compile);
		sv_clear(&u->built);
		free(u->objs);
		free(u->steps);
		free(u->tests);
		free(u->name);
		free(u->dir);
		free(u);
	}
	free(p->units);
	free(p->tests);
	memset(p, 0, sizeof *p);
}

static bool covers(const struct slist *l, const char *name)
{
	return !l->n || slist_has(l, name);
}

const struct xfail *plan_xfail(const struct test *t)
{
	if (!t->u)
		return NULL;
	const struct lcase *c = t->u->c;
	for (size_t i = 0; i < c->nxfails; i++) {
		const struct xfail *x = &c->xfails[i];
		if (names_linker(&x->linkers, t->l) && covers(&x->targets, t->u->t->name) &&
		    covers(&x->variants, t->u->v->name))
			return x;
	}
	return NULL;
}

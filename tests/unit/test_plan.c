/* The planner: compile once per case x variant x target, objects shared
 * by steps with the same flags, shared steps, hidden references, shards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/setup.h"
#include "plan/plan.h"
#include "tap.h"

static char dir[] = "/tmp/lm-test-plan.XXXXXX";

static const char case_text[] =
	"name: p\n"
	"files: { lib.c: '', main.c: '', helper.c: '' }\n"
	"variants: { default: {}, static: { mode: static } }\n"
	"build:\n"
	"  - { output: libl.a, mode: archive, inputs: [lib.c] }\n"
	"  - { output: libl.so, mode: shared, inputs: [lib.c] }\n"
	"  - { output: helper, linker: reference, inputs: [helper.c, libl.a] }\n"
	"  - { output: main, inputs: [main.c, libl.a] }\n"
	"  - { output: main2, inputs: [main.c] }\n"
	"run: [{ args: [main] }]\n"
	"expect-failure: [{ linkers: [mold], variants: [static], reason: r }]\n";

static void fake_found(struct setup *s)
{
	for (size_t i = 0; i < s->ls.n; i++) {
		struct linker *l = &s->ls.v[i];
		l->host.found = strcmp(l->name, "wild") && strcmp(l->name, "illumos-ld");
		l->host.why = l->host.found ? NULL : xstrdup("not installed");
	}
	for (size_t i = 0; i < s->ts.n; i++)
		s->ts.v[i].usable = true;
}

static struct test *find(struct plan *p, const char *id)
{
	for (size_t i = 0; i < p->ntests; i++)
		if (!strcmp(p->tests[i]->id, id))
			return p->tests[i];
	return NULL;
}

int main(void)
{
	tap_start();
	const char *src = getenv("LM_SRCDIR");
	if (!mkdtemp(dir) || !src)
		return 1;
	setenv("LINKMATRIX_HOME", src, 1);
	struct setup s;
	if (!ok(setup_config(&s, "linkmatrix", NULL, NULL, NULL, NULL) == 0, "the bundled linkers.d and targets.d load"))
		return tap_done();
	fake_found(&s);
	char *path = path_join(dir, "p.yaml");
	write_file_atomic(path, case_text, strlen(case_text));
	struct strbuf err = STRBUF_INIT;
	char *args[] = { path };
	ok(setup_cases(&s, args, 1, &err) == 0 && s.cases[0].c, "the case loads");

	struct plan p;
	const char *tg[] = { "x86_64-linux-gnu" };
	struct plan_opts o = { .targets = { tg, 1 }, .workdir = dir };
	ok(plan_make(&p, s.cases, s.ncases, &s.ls, &s.ts, &o, &err) == 0, "plan");
	is_int(p.nunits, 2, "one unit per variant x target");
	is_int(p.ncompiles, 2, "each compiled once");
	is_int(p.ntests, 2 * s.ls.n, "one test per unit x linker");
	struct unit *u = p.units[0];
	/* lib.c twice: no flag (archive) and -fPIC (shared); main.c once with
	 * -fno-pie though two steps use it; helper.c once. */
	is_int(u->nobjs, 4, "objects shared between steps with the same flags");
	ok(u->steps[0].shared && !u->steps[1].shared && u->steps[2].shared && !u->steps[3].shared,
	   "archives and reference steps on shared inputs are made once");
	is_str(u->steps[3].inputs.v[0], u->steps[4].inputs.v[0], "main and main2 share main.o");
	ok(strcmp(u->steps[0].inputs.v[0], u->steps[1].inputs.v[0]) != 0,
	   "lib.c for the archive and for the shared object are two objects");
	is_int(p.units[1]->steps[3].mode, MODE_STATIC, "the static variant's mode");
	struct test *w = find(&p, "p:default x86_64-linux-gnu wild");
	ok(w && w->done && w->res.outcome == OUT_SKIP, "a missing linker is SKIP at plan time");
	struct test *m = find(&p, "p:static x86_64-linux-gnu mold");
	ok(m && plan_xfail(m), "expect-failure covers mold in the static variant");
	m = find(&p, "p:default x86_64-linux-gnu mold");
	ok(m && !plan_xfail(m), "but not in the default one");
	ok(u->ref && u->ref->l == linker_by_name(&s.ls, "bfd") && !u->ref->hidden, "bfd is the reference");
	plan_free(&p);

	const char *only[] = { "mold" };
	o.linkers = (struct slist){ only, 1 };
	plan_make(&p, s.cases, s.ncases, &s.ls, &s.ts, &o, &err);
	is_int(p.ntests, 2, "--linker mold: two visible tests");
	ok(p.units[0]->ref && p.units[0]->ref->hidden, "the reference runs hidden, to compare with");
	plan_free(&p);

	o.linkers = (struct slist){ NULL, 0 };
	o.shard_count = 2;
	o.shard_index = 2;
	plan_make(&p, s.cases, s.ncases, &s.ls, &s.ts, &o, &err);
	ok(p.nunits == 1 && !strcmp(p.units[0]->v->name, "static"), "shard 2/2 takes the second unit");
	plan_free(&p);

	/* What the machine lacks is said once per linker or target, so a
	 * SKIP carries which it is, not only a message. */
	o.shard_count = 0;
	plan_make(&p, s.cases, s.ncases, &s.ls, &s.ts, &o, &err);
	w = find(&p, "p:default x86_64-linux-gnu wild");
	m = find(&p, "p:default x86_64-linux-gnu mold");
	ok(w && w->absent == ABSENT_LINKER && m && m->absent == ABSENT_NONE,
	   "a missing linker's SKIP says so; a test that runs has nothing absent");
	plan_free(&p);
	struct target *host = target_by_name(&s.ts, "x86_64-linux-gnu");
	host->usable = false;
	host->why = xstrdup("no compiler");
	plan_make(&p, s.cases, s.ncases, &s.ls, &s.ts, &o, &err);
	w = find(&p, "p:default x86_64-linux-gnu wild");
	m = find(&p, "p:default x86_64-linux-gnu mold");
	ok(m && m->res.outcome == OUT_SKIP && m->absent == ABSENT_TARGET && w &&
	   w->absent == ABSENT_TARGET, "an unusable target's SKIPs say so, whatever the linker");
	plan_free(&p);
	host->usable = true;

	/* Test ids as run's operands: whole ids and their first words. */
	struct strvec picks = STRVEC_INIT;
	sv_push(&picks, "p:static");
	sv_push(&picks, "p:default x86_64-linux-gnu lld");
	sv_push(&picks, "p:default x86_64-linux-gnu ld");
	size_t picked[3] = { 0, 0, 0 };
	o.picks = &picks;
	o.picked = picked;
	plan_make(&p, s.cases, s.ncases, &s.ls, &s.ts, &o, &err);
	is_int(p.ntests, s.ls.n + 1, "case:variant: every linker; a whole id: its test alone");
	ok(find(&p, "p:default x86_64-linux-gnu lld") && !find(&p, "p:default x86_64-linux-gnu lld@16"),
	   "a linker's name is a whole word of the id");
	ok(picked[0] == s.ls.n && picked[1] == 1 && picked[2] == 0, "each pick's tests counted");
	plan_free(&p);
	const char *aarch[] = { "aarch64-linux-gnu" };
	o.targets = (struct slist){ aarch, 1 };
	plan_make(&p, s.cases, s.ncases, &s.ls, &s.ts, &o, &err);
	is_int(p.ntests, s.ls.n, "--target says which targets: a pick of another has no test");
	plan_free(&p);
	o.targets = (struct slist){ NULL, 0 };
	sv_clear(&picks);
	sv_push(&picks, "p:default aarch64-linux-gnu mold");
	plan_make(&p, s.cases, s.ncases, &s.ls, &s.ts, &o, &err);
	ok(p.ntests == 1 && find(&p, "p:default aarch64-linux-gnu mold"),
	   "without --target, a pick's target is the run's");
	plan_free(&p);
	sv_clear(&picks);
	o.picks = NULL;
	o.targets = (struct slist){ tg, 1 };

	const char *bad[] = { "nosuch" };
	o.shard_count = 0;
	o.targets = (struct slist){ bad, 1 };
	ok(plan_make(&p, s.cases, s.ncases, &s.ls, &s.ts, &o, &err) < 0 &&
	   strstr(sb_str(&err), "unknown target 'nosuch'"), "an unknown target is a configuration error");
	plan_free(&p);

	/* A run holds a window of cases at a time: a released case loads
	 * again as it was, and one changed meanwhile is broken, saying why. */
	setup_release(&s, 0);
	ok(!s.cases[0].c && !strcmp(s.cases[0].name, "p"), "a released case keeps its name");
	setup_reload(&s, 0);
	ok(s.cases[0].c && !strcmp(s.cases[0].c->name, "p"), "and loads again");
	setup_release(&s, 0);
	char *renamed = xasprintf("name: q\n%s", strchr(case_text, '\n') + 1);
	write_file_atomic(path, renamed, strlen(renamed));
	free(renamed);
	setup_reload(&s, 0);
	ok(!s.cases[0].c && s.cases[0].errors &&
	   strstr(s.cases[0].errors, "the case was renamed from 'p' during the run"),
	   "one renamed during the run is broken, saying so");

	/* A lazy setup keeps up to a window's cases loaded for the whole run
	 * (each load parses the YAML again); past that, none. */
	struct setup lazy[2];
	size_t n[2] = { SETUP_WINDOW, SETUP_WINDOW + 1 }, loaded[2] = { 0, 0 };
	char **many = xcalloc(SETUP_WINDOW + 1, sizeof *many);
	for (size_t i = 0; i <= SETUP_WINDOW; i++) {
		many[i] = xasprintf("%s/c%zu.yaml", dir, i);
		char *text = xasprintf("name: c%zu\n%s", i, strchr(case_text, '\n') + 1);
		write_file_atomic(many[i], text, strlen(text));
		free(text);
	}
	for (int k = 0; k < 2; k++) {
		setup_config(&lazy[k], "linkmatrix", NULL, NULL, NULL, NULL);
		lazy[k].lazy = true;
		setup_cases(&lazy[k], many, n[k], &err);
		for (size_t i = 0; i < lazy[k].ncases; i++)
			loaded[k] += lazy[k].cases[i].c != NULL;
		setup_free(&lazy[k]);
	}
	is_int(loaded[0], SETUP_WINDOW, "a lazy setup of a window's cases keeps them loaded");
	is_int(loaded[1], 0, "one of more keeps none");
	for (size_t i = 0; i <= SETUP_WINDOW; i++) {
		unlink(many[i]);
		free(many[i]);
	}
	free(many);

	sb_free(&err);
	setup_free(&s);
	unlink(path);
	free(path);
	rmdir(dir);
	return tap_done();
}

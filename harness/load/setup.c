#include "load/setup.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef LM_DATADIR
#define LM_DATADIR "/usr/local/share/linkmatrix"
#endif

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool has_config(const char *dir)
{
	char *p = path_join(dir, "linkers.d");
	bool r = is_dir(p);
	free(p);
	return r;
}

/* The source tree when run from its build directory, else the installed
 * data directory; LINKMATRIX_HOME overrides both. */
static char *find_home(const char *argv0)
{
	const char *env = getenv("LINKMATRIX_HOME");
	if (env && *env)
		return xstrdup(env);
	char *exe = which(argv0);
	char real[PATH_MAX];
	if (exe && realpath(exe, real)) {
		char *dir = path_dir(real);
		char *up = path_dir(dir);
		char *found = has_config(up) ? up : has_config(dir) ? dir : NULL;
		if (found) {
			char *home = xstrdup(found);
			free(dir);
			free(up);
			free(exe);
			return home;
		}
		free(dir);
		free(up);
	}
	free(exe);
	return xstrdup(LM_DATADIR);
}

static int check_references(struct setup *s, struct diags *d)
{
	int rc = 0;
	for (size_t i = 0; i < s->ts.n; i++) {
		const struct target *t = &s->ts.v[i];
		if (!linker_by_name(&s->ls, t->reference_linker)) {
			diag_add(d, t->file, 0, 0, "reference-linker '%s' is not defined in linkers.d",
				 t->reference_linker);
			rc = -1;
		}
	}
	return rc;
}

static int add_linkers(struct setup *s, const struct strvec *added, struct diags *d)
{
	int rc = 0;
	for (size_t i = 0; added && i < added->n; i++) {
		struct strbuf err = STRBUF_INIT;
		if (linkers_add(&s->ls, added->v[i], &err) < 0) {
			diag_add(d, "linkmatrix", 0, 0, "%s", err.buf);
			rc = -1;
		}
		sb_free(&err);
	}
	return rc;
}

int setup_config(struct setup *s, const char *argv0, const char *linkers_dir,
		 const char *targets_dir, runner_check_fn *detect, const struct strvec *added)
{
	memset(s, 0, sizeof *s);
	s->home = find_home(argv0);
	char *ld = linkers_dir ? xstrdup(linkers_dir) : path_join(s->home, "linkers.d");
	char *td = targets_dir ? xstrdup(targets_dir) : path_join(s->home, "targets.d");
	struct diags d = { 0 };
	int rc = 0;
	if (linkers_load(&s->ls, ld, &d) < 0)
		rc = -1;
	if (targets_load(&s->ts, td, &d) < 0)
		rc = -1;
	if (rc == 0)
		rc = check_references(s, &d);
	if (rc < 0)
		diag_print(&d, stderr);
	diag_free(&d);
	d = (struct diags){ 0 };
	free(ld);
	free(td);
	if (rc == 0 && detect) {
		linkers_detect(&s->ls);
		linkers_detect_versions(&s->ls);
		rc = add_linkers(s, added, &d);
		diag_print(&d, stderr);
		targets_detect(&s->ts, detect);
		linkers_detect_targets(&s->ls, &s->ts);
	}
	diag_free(&d);
	return rc;
}

static void set_errors(struct loaded_case *lc, struct diags *d)
{
	struct strbuf sb = STRBUF_INIT;
	diag_format(d, &sb);
	free(lc->errors);
	lc->errors = sb_detach(&sb);
}

static void load_one(struct setup *s, const char *path, size_t root_len)
{
	s->cases = xrealloc(s->cases, (s->ncases + 1) * sizeof *s->cases);
	struct loaded_case *lc = &s->cases[s->ncases++];
	struct diags d = { 0 };
	*lc = (struct loaded_case){ xstrdup(path), root_len, case_load(path, &s->ls.names, &d),
				    NULL, NULL };
	for (size_t i = 0; lc->c && i + 1 < s->ncases; i++) {
		const struct loaded_case *o = &s->cases[i];
		if (o->name && !strcmp(o->name, lc->c->name)) {
			diag_add(&d, path, 0, 0, "case name '%s' is also used by %s", o->name, o->path);
			case_free(lc->c);
			lc->c = NULL;
		}
	}
	if (lc->c) {
		lc->c->root_len = root_len;
		lc->name = xstrdup(lc->c->name);
	}
	if (d.n)
		set_errors(lc, &d);
	diag_free(&d);
	if (s->lazy && s->ncases > SETUP_WINDOW)
		setup_release(s, s->ncases - 1);
}

void setup_release(struct setup *s, size_t i)
{
	case_free(s->cases[i].c);
	s->cases[i].c = NULL;
}

void setup_reload(struct setup *s, size_t i)
{
	struct loaded_case *lc = &s->cases[i];
	if (lc->c || !lc->name)
		return;
	struct diags d = { 0 };
	lc->c = case_load(lc->path, &s->ls.names, &d);
	if (lc->c)
		lc->c->root_len = lc->root_len;
	if (lc->c && strcmp(lc->c->name, lc->name)) {
		diag_add(&d, lc->path, 0, 0, "the case was renamed from '%s' during the run", lc->name);
		case_free(lc->c);
		lc->c = NULL;
	}
	if (!lc->c) {
		set_errors(lc, &d);
		free(lc->name);
		lc->name = NULL;
	}
	diag_free(&d);
}

/* The case files setup_cases found, each with its root_len. */
struct found {
	struct strvec files;
	size_t *root_len;
};

static void found_add(struct found *f, const char *path, size_t root_len)
{
	sv_push(&f->files, path);
	f->root_len = xrealloc(f->root_len, f->files.n * sizeof *f->root_len);
	f->root_len[f->files.n - 1] = root_len;
}

/* The *.yaml files under dir, dir their case root. */
static int found_dir(struct found *f, const char *dir)
{
	struct strvec all = STRVEC_INIT;
	int rc = list_files(dir, ".yaml", true, &all);
	for (size_t i = 0; i < all.n; i++)
		found_add(f, all.v[i], path_join_prefix(dir));
	sv_clear(&all);
	return rc;
}

/* The bundled case named name into f; else false, with the names of
 * the bundled cases in known. */
static bool find_by_name(struct setup *s, const char *name, struct found *f,
			 struct strvec *known)
{
	char *dir = path_join(s->home, "cases");
	struct found all = { STRVEC_INIT, NULL };
	found_dir(&all, dir);
	free(dir);
	bool found = false;
	for (size_t i = 0; i < all.files.n && !found; i++) {
		struct diags d = { 0 };
		struct lcase *c = case_load(all.files.v[i], NULL, &d);
		if (c && !strcmp(c->name, name)) {
			found_add(f, all.files.v[i], all.root_len[i]);
			found = true;
		} else if (c) {
			sv_push(known, c->name);
		}
		case_free(c);
		diag_free(&d);
	}
	sv_clear(&all.files);
	free(all.root_len);
	return found;
}

static void unknown_case(const char *name, const struct strvec *known, struct strbuf *err)
{
	const char *near = did_you_mean(name, (const char *const *)known->v, known->n);
	sb_addf(err, "'%s' is neither a case file, a directory, nor the name of a bundled case", name);
	if (near)
		sb_addf(err, " (did you mean '%s'?)", near);
}

int setup_cases(struct setup *s, char *const *args, size_t nargs, struct strbuf *err)
{
	struct found f = { STRVEC_INIT, NULL };
	struct strvec known = STRVEC_INIT;
	int rc = 0;
	if (!nargs) {
		char *dir = path_join(s->home, "cases");
		if (found_dir(&f, dir) < 0) {
			sb_addf(err, "cannot read the bundled cases in %s", dir);
			rc = -1;
		}
		free(dir);
	}
	for (size_t i = 0; i < nargs && rc == 0; i++) {
		struct stat st;
		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode))
			found_dir(&f, args[i]);
		else if (stat(args[i], &st) == 0)
			found_add(&f, args[i], 0);
		else if (!find_by_name(s, args[i], &f, &known)) {
			unknown_case(args[i], &known, err);
			rc = -1;
		}
	}
	for (size_t i = 0; rc == 0 && i < f.files.n; i++)
		load_one(s, f.files.v[i], f.root_len[i]);
	/* Up to a window's cases are loaded once for the whole run. */
	for (size_t i = 0; s->lazy && s->ncases > SETUP_WINDOW && i < SETUP_WINDOW; i++)
		setup_release(s, i);
	sv_clear(&f.files);
	free(f.root_len);
	sv_clear(&known);
	return rc;
}

void setup_free(struct setup *s)
{
	for (size_t i = 0; i < s->ncases; i++) {
		free(s->cases[i].path);
		case_free(s->cases[i].c);
		free(s->cases[i].errors);
		free(s->cases[i].name);
	}
	free(s->cases);
	linkers_free(&s->ls);
	targets_free(&s->ts);
	free(s->home);
	memset(s, 0, sizeof *s);
}

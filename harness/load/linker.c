#include "load/linker.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/proc.h"
#include "util/match.h"

static bool dec_version(struct ydoc *y, yaml_node_t *v, void *obj);
static bool dec_drive(struct ydoc *y, yaml_node_t *v, void *obj);
static bool dec_proof(struct ydoc *y, yaml_node_t *v, void *obj);
static bool dec_os(struct ydoc *y, yaml_node_t *v, void *obj);

static const struct yfield linker_fields[] = {
	YFIELD_REQ(struct linker, "name", YF_STR, name),
	YFIELD(struct linker, "description", YF_STR, description),
	YFIELD_REQ(struct linker, "find", YF_STRLIST, find),
	YFIELD_FN_REQ("version", dec_version),
	YFIELD_FN_REQ("drive", dec_drive),
	YFIELD_FN_REQ("proof", dec_proof),
	YFIELD_FN("os", dec_os),
};

static const struct yfield version_fields[] = {
	YFIELD_REQ(struct linker, "args", YF_STRLIST, version_args),
	YFIELD_REQ(struct linker, "match", YF_REGEX, version_re),
};

static const struct yfield drive_fields[] = {
	YFIELD(struct linker, "gcc", YF_STRLIST, drive_gcc),
	YFIELD(struct linker, "clang", YF_STRLIST, drive_clang),
};

static const struct yfield proof_fields[] = {
	YFIELD(struct linker, "flag", YF_STRLIST, proof_flag),
	YFIELD(struct linker, "banner", YF_REGEX, proof_banner),
	YFIELD(struct linker, "comment", YF_REGEX, proof_comment),
	YFIELD(struct linker, "section", YF_STR, proof_section),
};

static const struct yfield os_fields[] = {
	YFIELD(struct linker_os, "ldflags", YF_STRLIST, ldflags),
};

static bool dec_version(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return y_fields(y, v, "version", version_fields, ARRAY_LEN(version_fields), obj);
}

static bool dec_drive(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return y_fields(y, v, "drive", drive_fields, ARRAY_LEN(drive_fields), obj);
}

static bool dec_proof(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct linker *l = obj;
	if (!y_fields(y, v, "proof", proof_fields, ARRAY_LEN(proof_fields), obj))
		return false;
	if (!l->proof_banner && !l->proof_comment && !l->proof_section) {
		yerr(y, v, "proof needs at least one of banner, comment, section");
		return false;
	}
	if (l->proof_banner && !l->proof_flag.n) {
		yerr(y, v, "a proof banner needs the flag that makes the linker print it");
		return false;
	}
	return true;
}

static bool dec_os(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct linker *l = obj;
	if (!y_map(y, v, "os"))
		return false;
	size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	l->os = arena_alloc(y->arena, n * sizeof *l->os);
	bool ok = true;
	Y_FOREACH_PAIR(y, v, p) {
		struct linker_os *o = &l->os[l->nos];
		if (!y_str(y, ydoc_node(y, p->key), "an OS name", &o->os) ||
		    !y_fields(y, ydoc_node(y, p->value), "os", os_fields, ARRAY_LEN(os_fields), o)) {
			ok = false;
			continue;
		}
		l->nos++;
	}
	return ok;
}

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
	return true;
}

static int load_one(struct linker_set *ls, struct ydoc *y, const char *file, struct diags *d)
{
	if (ydoc_load(y, file, &ls->arena, d) < 0)
		return -1;
	struct linker *l = &ls->v[ls->n];
	memset(l, 0, sizeof *l);
	l->file = y->file;
	yaml_node_t *root = ydoc_root(y);
	if (!y_fields(y, root, "a linker", linker_fields, ARRAY_LEN(linker_fields), l))
		return -1;
	l->family = l->name;
	if (!name_ok(l->name)) {
		yerr(y, root, "linker name '%s' may only use a-z, 0-9, '-' and '_'", l->name);
		return -1;
	}
	for (size_t i = 0; i < ls->n; i++) {
		if (!strcmp(ls->v[i].name, l->name)) {
			yerr(y, root, "linker '%s' is also defined in %s", l->name, ls->v[i].file);
			return -1;
		}
	}
	ls->n++;
	return 0;
}

int linkers_load(struct linker_set *ls, const char *dir, struct diags *d)
{
	memset(ls, 0, sizeof *ls);
	struct strvec files = STRVEC_INIT;
	if (list_files(dir, ".yaml", false, &files) < 0) {
		diag_add(d, dir, 0, 0, "cannot read the linkers directory: %s", strerror(errno));
		sv_clear(&files);
		return -1;
	}
	ls->v = xcalloc(files.n, sizeof *ls->v);
	ls->docs = xcalloc(files.n, sizeof *ls->docs);
	int rc = 0;
	for (size_t i = 0; i < files.n; i++) {
		ls->ndocs++;
		if (load_one(ls, &ls->docs[i], files.v[i], d) < 0)
			rc = -1;
	}
	sv_clear(&files);
	ls->names.v = arena_alloc(&ls->arena, (ls->n + 1) * sizeof *ls->names.v);
	for (size_t i = 0; i < ls->n; i++)
		ls->names.v[ls->names.n++] = ls->v[i].name;
	return rc;
}

static void at_free(struct linker_at *a)
{
	free(a->path);
	free(a->version);
	free(a->why);
	free(a->shimdir);
}

void linkers_free(struct linker_set *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		struct linker *l = &ls->v[i];
		at_free(&l->host);
		for (size_t k = 0; k < l->nat; k++)
			if (l->at[k].owned)
				at_free(&l->at[k]);
		free(l->at);
	}
	for (size_t i = 0; i < ls->ndocs; i++)
		ydoc_free(&ls->docs[i]);
	free(ls->docs);
	free(ls->v);
	arena_free(&ls->arena);
	memset(ls, 0, sizeof *ls);
}

char *linker_env_name(const char *name)
{
	char *s = xasprintf("LINKMATRIX_LINKER_%s", name);
	for (char *p = s; *p; p++)
		*p = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
	return s;
}

/* Runs the version command of a candidate; on a match fills in l. */
static bool try_candidate(const struct linker *l, struct linker_at *a, const char *path,
			  struct strbuf *why)
{
	struct strvec argv = STRVEC_INIT;
	sv_push(&argv, path);
	for (size_t i = 0; i < l->version_args.n; i++)
		sv_push(&argv, l->version_args.v[i]);
	struct proc p = { .argv = sv_argv(&argv), .timeout = 20, .out_cap = 65536 };
	bool ok = false;
	if (proc_run(&p) < 0) {
		sb_addf(why, "%s%s: could not run: %s", why->len ? "; " : "", path,
			strerror(p.exec_errno));
	} else {
		struct strbuf all = STRBUF_INIT;
		sb_add(&all, p.out.buf ? p.out.buf : "", p.out.len);
		sb_add(&all, p.err.buf ? p.err.buf : "", p.err.len);
		char *ver = NULL;
		if (regex_match(l->version_re, all.buf, all.len, &ver)) {
			ok = true;
			a->found = true;
			a->path = xstrdup(path);
			a->version = ver ? ver : xstrdup("unknown");
		} else {
			const char *nl = strchr(sb_str(&all), '\n');
			int n = nl ? (int)(nl - all.buf) : (int)all.len;
			sb_addf(why, "%s%s is not %s (its version output '%.*s' does not match '%s')",
				why->len ? "; " : "", path, l->name, n > 80 ? 80 : n, sb_str(&all),
				regex_source(l->version_re));
		}
		sb_free(&all);
	}
	proc_release(&p);
	sv_clear(&argv);
	return ok;
}

/* "{triple}-ld.bfd" with triple, "{cargo_bin}/wild" with cargo's place, or
 * the entry as it is; NULL when the entry is not for this kind of lookup
 * (a {triple} entry on the host, a plain one for a cross target). */
static char *find_entry(const char *e, const char *triple)
{
	const char *at = strstr(e, "{triple}");
	if (!strncmp(e, "{cargo_bin}", 11)) {
		char *dir = triple ? NULL : cargo_bin_dir();
		char *path = dir ? xasprintf("%s%s", dir, e + 11) : NULL;
		free(dir);
		return path;
	}
	if (!triple)
		return at ? NULL : xstrdup(e);
	if (!at)
		return NULL;
	return xasprintf("%.*s%s%s", (int)(at - e), e, triple, at + 8);
}

/* The paths a find entry names: a glob (ld.lld-*) every match on PATH,
 * else the one which() finds. */
static void entry_paths(const char *name, struct strvec *out)
{
	if (strpbrk(name, "*?[") && !strchr(name, '/')) {
		which_all(name, out);
		return;
	}
	char *path = which(name);
	if (path)
		sv_push(out, path);
	free(path);
}

/* Fills a for the host (triple NULL) or for a cross target's triple. */
static void detect(const struct linker *l, struct linker_at *a, const char *triple)
{
	struct strbuf why = STRBUF_INIT, names = STRBUF_INIT;
	char *env = linker_env_name(l->name);
	const char *override = getenv(env);
	if (override && *override) {
		char *path = which(override);
		if (!path)
			sb_addf(&why, "%s=%s: not an executable", env, override);
		else
			try_candidate(l, a, path, &why);
		free(path);
	} else {
		size_t tried = 0, missing = 0;
		for (size_t i = 0; i < l->find.n && !a->found; i++) {
			char *name = find_entry(l->find.v[i], triple);
			if (!name)
				continue;
			struct strvec paths = STRVEC_INIT;
			entry_paths(name, &paths);
			tried++;
			sb_addf(&names, " %s", name);
			missing += !paths.n;
			for (size_t k = 0; k < paths.n && !a->found; k++)
				try_candidate(l, a, paths.v[k], &why);
			sv_clear(&paths);
			free(name);
		}
		if (!a->found && missing == tried)
			sb_addf(&why, "not installed: found none of%s (set %s to point at it)",
				sb_str(&names), env);
		else if (!a->found)
			sb_addf(&why, " (set %s to point at it)", env);
	}
	free(env);
	if (!a->found)
		a->why = sb_detach(&why);
	sb_free(&why);
	sb_free(&names);
}

void linkers_detect(struct linker_set *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		detect(&ls->v[i], &ls->v[i].host, NULL);
}

static bool has_triple_entry(const struct linker *l)
{
	for (size_t i = 0; i < l->find.n; i++)
		if (strstr(l->find.v[i], "{triple}"))
			return true;
	return false;
}

/* ---- versions and linkers given by path ---------------------------------- */

/* Where a was found, as the shims name it: from any directory. */
static char *absolute(const struct linker_at *a)
{
	if (a->path[0] == '/')
		return xstrdup(a->path);
	char cwd[4096];
	return path_join(getcwd(cwd, sizeof cwd) ? cwd : ".", a->path);
}

/* A linker of l's family at a found on the host: its name, the rest of
 * its definition shared with l's. */
static struct linker clone_of(const struct linker *l, const char *name, struct linker_at *a)
{
	struct linker c = *l;
	c.name = name;
	c.host = *a;
	c.at = NULL;
	c.nat = 0;
	return c;
}

static int cmp_by_version(const void *x, const void *y)
{
	const struct linker *a = x, *b = y;
	return version_cmp(a->host.version, b->host.version);
}

/* Every binary l's find list names that is none already seen, by its real
 * path or its version: one per version, oldest first, in *out. */
static size_t find_versions(const struct linker *l, struct linker **out)
{
	struct strvec paths = STRVEC_INIT, seen = STRVEC_INIT, versions = STRVEC_INIT;
	char *real = realpath(l->host.path, NULL);
	sv_push(&seen, real ? real : l->host.path);
	free(real);
	sv_push(&versions, l->host.version);
	for (size_t i = 0; i < l->find.n; i++) {
		char *name = find_entry(l->find.v[i], NULL);
		if (name)
			entry_paths(name, &paths);
		free(name);
	}
	size_t n = 0;
	*out = NULL;
	for (size_t i = 0; i < paths.n; i++) {
		real = realpath(paths.v[i], NULL);
		bool again = !real || sv_has(&seen, real);
		if (real)
			sv_push(&seen, real);
		free(real);
		struct linker_at a = { 0 };
		struct strbuf why = STRBUF_INIT;
		if (!again && try_candidate(l, &a, paths.v[i], &why) && !sv_has(&versions, a.version)) {
			sv_push(&versions, a.version);
			*out = xrealloc(*out, (n + 1) * sizeof **out);
			(*out)[n++] = clone_of(l, NULL, &a);
		} else {
			at_free(&a);
		}
		sb_free(&why);
	}
	if (n)
		qsort(*out, n, sizeof **out, cmp_by_version);
	sv_clear(&paths);
	sv_clear(&seen);
	sv_clear(&versions);
	return n;
}

static bool same_major(const char *a, const char *b)
{
	size_t n = strcspn(a, ".");
	return !strncmp(a, b, n) && (b[n] == '.' || !b[n]);
}

/* lld@16, or lld@16.0.6 when another version, the default's included, has
 * major 16 (lld@16 then selects them all). */
static void name_versions(struct linker_set *ls, const struct linker *def, struct linker *v,
			  size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *ver = v[i].host.version;
		bool shared = same_major(ver, def->host.version);
		for (size_t k = 0; k < n; k++)
			shared |= k != i && same_major(ver, v[k].host.version);
		char *name = shared ? xasprintf("%s@%s", v[i].family, ver)
			   : xasprintf("%s@%.*s", v[i].family, (int)strcspn(ver, "."), ver);
		v[i].name = arena_strdup(&ls->arena, name);
		free(name);
	}
}

void linkers_detect_versions(struct linker_set *ls)
{
	struct linker *all = NULL;
	size_t n = 0;
	for (size_t i = 0; i < ls->n; i++) {
		struct linker *v = NULL;
		size_t nv = ls->v[i].host.found && !ls->v[i].added ? find_versions(&ls->v[i], &v) : 0;
		all = xrealloc(all, (n + 1 + nv) * sizeof *all);
		all[n++] = ls->v[i];
		name_versions(ls, &ls->v[i], v, nv);
		for (size_t k = 0; k < nv; k++)
			all[n++] = v[k];
		free(v);
	}
	free(ls->v);
	ls->v = all;
	ls->n = n;
}

static bool added_name_ok(const char *s)
{
	if (!isalnum((unsigned char)*s) || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr("-_.@+", *s))
			return false;
	return true;
}

/* The family whose version pattern the binary's version output matches:
 * exactly one, or -1 with why. */
static int family_of(struct linker_set *ls, const char *path, struct linker_at *a,
		     struct strbuf *err)
{
	int found = -1;
	size_t matched = 0;
	struct strbuf why = STRBUF_INIT, names = STRBUF_INIT;
	for (size_t i = 0; i < ls->n; i++) {
		const struct linker *l = &ls->v[i];
		struct linker_at t = { 0 };
		if (strcmp(l->name, l->family) || !try_candidate(l, &t, path, &why)) {
			at_free(&t);
			continue;
		}
		sb_addf(&names, "%s%s", matched++ ? " and " : "", l->name);
		if (found < 0) {
			*a = t;
			found = (int)i;
		} else {
			at_free(&t);
		}
	}
	if (matched > 1) {
		sb_addf(err, "%s is both %s by its version output: name it in LINKMATRIX_LINKER_* "
			"instead", path, names.buf);
		at_free(a);
		found = -1;
	} else if (found < 0) {
		sb_addf(err, "%s is none of the linkers linkers.d describes: its version output "
			"matches none of their version patterns (linkmatrix linkers)", path);
	}
	sb_free(&why);
	sb_free(&names);
	return found;
}

int linkers_add(struct linker_set *ls, const char *spec, struct strbuf *err)
{
	const char *eq = strchr(spec, '=');
	char *name = eq ? xstrndup(spec, (size_t)(eq - spec)) : xstrdup(spec);
	char *path = eq && eq[1] ? which(eq + 1) : NULL;
	int rc = -1;
	struct linker_at a = { 0 };
	if (!eq)
		sb_addf(err, "--linker %s: write NAME=PATH to add a linker", spec);
	else if (!added_name_ok(name))
		sb_addf(err, "--linker %s: a linker's name is 1 to 64 of a-z, 0-9 and -_.@+, "
			"not '-' first", spec);
	else if (linker_by_name(ls, name))
		sb_addf(err, "--linker %s: '%s' already names a linker (see 'linkmatrix linkers'); "
			"LINKMATRIX_LINKER_* sets where a known one is", spec, name);
	else if (!path)
		sb_addf(err, "--linker %s: '%s' is not an executable", spec, eq ? eq + 1 : "");
	if (err->len)
		goto out;
	struct linker_at host = { 0 };
	host.path = path;
	char *abs = absolute(&host);
	int f = family_of(ls, abs, &a, err);
	free(abs);
	if (f < 0)
		goto out;
	ls->v = xrealloc(ls->v, (ls->n + 1) * sizeof *ls->v);
	ls->v[ls->n] = clone_of(&ls->v[f], arena_strdup(&ls->arena, name), &a);
	ls->v[ls->n++].added = true;
	rc = 0;
out:
	free(name);
	free(path);
	return rc;
}

void linkers_detect_targets(struct linker_set *ls, const struct target_set *ts)
{
	for (size_t i = 0; i < ls->n; i++) {
		struct linker *l = &ls->v[i];
		l->at = xcalloc(ts->n ? ts->n : 1, sizeof *l->at);
		l->nat = ts->n;
		for (size_t k = 0; k < ts->n; k++) {
			const struct target *t = &ts->v[k];
			bool cross = strcmp(t->arch, host_arch()) != 0;
			if (cross && has_triple_entry(l) && strcmp(l->name, l->family)) {
				l->at[k] = (struct linker_at){ .t = t, .owned = true, .why =
					xasprintf("%s links for the host's arch; %s's cross binary for "
						  "%s is its default's, %s", l->name, l->family,
						  t->arch, l->family) };
			} else if (cross && has_triple_entry(l)) {
				l->at[k] = (struct linker_at){ .t = t, .owned = true };
				detect(l, &l->at[k], t->triple);
			} else {
				l->at[k] = l->host;
				l->at[k].t = t;
				l->at[k].owned = false;
			}
		}
	}
}

const struct linker_at *linker_for(const struct linker *l, const struct target *t)
{
	for (size_t k = 0; k < l->nat; k++)
		if (l->at[k].t == t)
			return &l->at[k];
	return &l->host;
}

static int make_shim(struct linker_at *a, const char *dir)
{
	a->shimdir = xstrdup(dir);
	char *ld = path_join(dir, "ld");
	char *target = absolute(a);
	int rc = mkdir_p(dir);
	if (rc == 0) {
		unlink(ld);
		rc = symlink(target, ld);
	}
	free(target);
	free(ld);
	return rc;
}

int linkers_make_shims(struct linker_set *ls, const char *shimroot)
{
	for (size_t i = 0; i < ls->n; i++) {
		struct linker *l = &ls->v[i];
		char *dir = path_join(shimroot, l->name);
		int rc = l->host.found ? make_shim(&l->host, dir) : 0;
		free(dir);
		for (size_t k = 0; rc == 0 && k < l->nat; k++) {
			struct linker_at *a = &l->at[k];
			if (!a->owned) {
				a->shimdir = l->host.shimdir;
			} else if (a->found) {
				/* Within the linker's own directory: no name of another
				 * linker (lld@16, or any NAME=) can be it. */
				char *d = xasprintf("%s/%s/for-%s", shimroot, l->name, a->t->name);
				rc = make_shim(a, d);
				free(d);
			}
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int linker_shim_alias(const struct linker_at *a, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char *target = absolute(a);
	sb_adds(&sb, "#!/bin/sh\nexec ");
	sb_add_shquoted(&sb, target);
	sb_adds(&sb, " \"$@\"\n");
	free(target);
	char *path = path_join(a->shimdir, name);
	int rc = proc_write_file(NULL, path, sb.buf, sb.len, 0755);
	free(path);
	sb_free(&sb);
	return rc;
}

struct linker *linker_by_name(struct linker_set *ls, const char *name)
{
	for (size_t i = 0; i < ls->n; i++)
		if (!strcmp(ls->v[i].name, name))
			return &ls->v[i];
	return NULL;
}

const char *linker_near(const struct linker_set *ls, const char *name)
{
	const char **names = xmalloc((ls->n + 1) * sizeof *names);
	for (size_t i = 0; i < ls->n; i++)
		names[i] = ls->v[i].name;
	const char *near = did_you_mean(name, names, ls->n);
	free(names);
	return near;
}

bool version_is(const char *version, const char *ver)
{
	size_t n = strlen(ver);
	return version && !strncmp(version, ver, n) && (!version[n] || version[n] == '.');
}

bool linker_selects(const struct linker *l, const char *sel)
{
	if (!strcmp(l->name, sel))
		return true;
	const char *at = strchr(sel, '@');
	if (!at || strncmp(l->family, sel, (size_t)(at - sel)) || l->family[at - sel])
		return false;
	return !strcmp(at + 1, "*") || (l->host.found && !l->added && version_is(l->host.version, at + 1));
}

struct linker *linker_find(struct linker_set *ls, const char *sel)
{
	for (size_t i = 0; i < ls->n; i++)
		if (linker_selects(&ls->v[i], sel))
			return &ls->v[i];
	return NULL;
}

bool linker_is(const struct linker *l, const char *name)
{
	return !strcmp(l->family, name) || linker_selects(l, name);
}

const struct slist *linker_os_ldflags(const struct linker *l, const char *os)
{
	for (size_t i = 0; i < l->nos; i++)
		if (!strcmp(l->os[i].os, os))
			return &l->os[i].ldflags;
	return NULL;
}

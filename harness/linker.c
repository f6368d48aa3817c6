#include "linker.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match.h"
#include "proc.h"

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

void linkers_free(struct linker_set *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		free(ls->v[i].path);
		free(ls->v[i].version);
		free(ls->v[i].why);
		free(ls->v[i].shimdir);
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
static bool try_candidate(struct linker *l, const char *path, struct strbuf *why)
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
			l->found = true;
			l->path = xstrdup(path);
			l->version = ver ? ver : xstrdup("unknown");
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

static void detect_one(struct linker *l)
{
	struct strbuf why = STRBUF_INIT;
	char *env = linker_env_name(l->name);
	const char *override = getenv(env);
	if (override && *override) {
		char *path = which(override);
		if (!path)
			sb_addf(&why, "%s=%s: not an executable", env, override);
		else
			try_candidate(l, path, &why);
		free(path);
	} else {
		size_t missing = 0;
		for (size_t i = 0; i < l->find.n && !l->found; i++) {
			char *path = which(l->find.v[i]);
			if (path)
				try_candidate(l, path, &why);
			else
				missing++;
			free(path);
		}
		if (!l->found && missing == l->find.n) {
			sb_adds(&why, "not installed: none of");
			for (size_t i = 0; i < l->find.n; i++)
				sb_addf(&why, " %s", l->find.v[i]);
			sb_addf(&why, " is in PATH (set %s to point at it)", env);
		}
	}
	free(env);
	if (!l->found)
		l->why = sb_detach(&why);
	sb_free(&why);
}

void linkers_detect(struct linker_set *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		detect_one(&ls->v[i]);
}

int linkers_make_shims(struct linker_set *ls, const char *shimroot)
{
	for (size_t i = 0; i < ls->n; i++) {
		struct linker *l = &ls->v[i];
		if (!l->found)
			continue;
		l->shimdir = path_join(shimroot, l->name);
		char *ld = path_join(l->shimdir, "ld");
		char *target = l->path[0] == '/' ? xstrdup(l->path) : NULL;
		if (!target) {
			char cwd[4096];
			target = path_join(getcwd(cwd, sizeof cwd) ? cwd : ".", l->path);
		}
		int rc = mkdir_p(l->shimdir);
		if (rc == 0) {
			unlink(ld);
			rc = symlink(target, ld);
		}
		free(target);
		free(ld);
		if (rc < 0)
			return -1;
	}
	return 0;
}

struct linker *linker_by_name(struct linker_set *ls, const char *name)
{
	for (size_t i = 0; i < ls->n; i++)
		if (!strcmp(ls->v[i].name, name))
			return &ls->v[i];
	return NULL;
}

const struct slist *linker_os_ldflags(const struct linker *l, const char *os)
{
	for (size_t i = 0; i < l->nos; i++)
		if (!strcmp(l->os[i].os, os))
			return &l->os[i].ldflags;
	return NULL;
}

#include "load/target.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "os/proc.h"
#include "util/match.h"

static bool dec_runner(struct ydoc *y, yaml_node_t *v, void *obj);
static bool dec_profile_version(struct ydoc *y, yaml_node_t *v, void *obj);

static const struct yfield target_fields[] = {
	YFIELD_REQ(struct target, "name", YF_STR, name),
	YFIELD(struct target, "description", YF_STR, description),
	YFIELD_REQ(struct target, "os", YF_STR, os),
	YFIELD_REQ(struct target, "arch", YF_STR, arch),
	YFIELD_REQ(struct target, "libc", YF_STR, libc),
	YFIELD(struct target, "triple", YF_STR, triple),
	YFIELD(struct target, "default", YF_BOOL, is_default),
	YFIELD_REQ(struct target, "cc", YF_STR, cc),
	YFIELD(struct target, "cxx", YF_STR, cxx),
	YFIELD(struct target, "ar", YF_STR, ar),
	YFIELD(struct target, "cflags", YF_STRLIST, cflags),
	YFIELD(struct target, "ldflags", YF_STRLIST, ldflags),
	YFIELD_REQ(struct target, "reference-linker", YF_STR, reference_linker),
	YFIELD_FN_REQ("runner", dec_runner),
	YFIELD(struct target, "profile", YF_STR, profile),
	YFIELD_FN("profile-version", dec_profile_version),
	YFIELD(struct target, "diagnose", YF_STRLIST, diagnose),
};

static const struct yfield profile_version_fields[] = {
	YFIELD_REQ(struct target, "command", YF_STRLIST, profile_cmd),
	YFIELD_REQ(struct target, "match", YF_REGEX, profile_re),
};

static bool dec_profile_version(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return y_fields(y, v, "profile-version", profile_version_fields,
			ARRAY_LEN(profile_version_fields), obj);
}

struct runner_spec {
	const char *kind;
	struct slist command;
	struct ssh_spec ssh;
};

static const struct yfield runner_fields[] = {
	YFIELD_REQ(struct runner_spec, "kind", YF_STR, kind),
	YFIELD(struct runner_spec, "command", YF_STRLIST, command),
	YFIELD(struct runner_spec, "host", YF_STR, ssh.host),
	YFIELD(struct runner_spec, "user", YF_STR, ssh.user),
	YFIELD(struct runner_spec, "port", YF_INT, ssh.port),
	YFIELD(struct runner_spec, "identity", YF_STR, ssh.identity),
	YFIELD(struct runner_spec, "dir", YF_STR, ssh.dir),
	YFIELD(struct runner_spec, "options", YF_STRLIST, ssh.options),
};

static bool dec_runner(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct target *t = obj;
	struct runner_spec r = { 0 };
	if (!y_fields(y, v, "runner", runner_fields, ARRAY_LEN(runner_fields), &r))
		return false;
	if (!strcmp(r.kind, "native")) {
		t->runner = RUNNER_NATIVE;
	} else if (!strcmp(r.kind, "qemu-user")) {
		t->runner = RUNNER_QEMU_USER;
		if (!r.command.n) {
			yerr(y, v, "a qemu-user runner needs a command");
			return false;
		}
	} else if (!strcmp(r.kind, "ssh")) {
		t->runner = RUNNER_SSH;
	} else {
		yerr(y, v, "unknown runner kind '%s' (known: native, qemu-user, ssh)", r.kind);
		return false;
	}
	if (r.kind && strcmp(r.kind, "ssh") && (r.ssh.host || r.ssh.user || r.ssh.port ||
						r.ssh.identity || r.ssh.dir || r.ssh.options.n)) {
		yerr(y, v, "host, user, port, identity, dir and options are for an ssh runner");
		return false;
	}
	t->runner_command = r.command;
	t->ssh = r.ssh;
	return true;
}

/* The loader profile a target has when its file names none. */
static const char *default_profile(const struct target *t)
{
	if (!strcmp(t->os, "linux"))
		return !strcmp(t->libc, "musl") ? "linux-musl" : !strcmp(t->libc, "bionic") ? "android"
											  : "linux-glibc";
	if (!strcmp(t->os, "illumos") || !strcmp(t->os, "freebsd"))
		return t->os;
	return "gabi";
}

static int load_one(struct target_set *ts, struct ydoc *y, const char *file, struct diags *d)
{
	if (ydoc_load(y, file, &ts->arena, d) < 0)
		return -1;
	struct target *t = &ts->v[ts->n];
	memset(t, 0, sizeof *t);
	t->file = y->file;
	t->ar = "ar";
	yaml_node_t *root = ydoc_root(y);
	if (!y_fields(y, root, "a target", target_fields, ARRAY_LEN(target_fields), t))
		return -1;
	if (!t->profile)
		t->profile = default_profile(t);
	if (!t->triple)
		t->triple = t->name;
	struct strbuf err = STRBUF_INIT;
	int bad = profile_parse(t->profile, &t->prof, &err);
	if (bad)
		yerr(y, root, "%s", err.buf);
	sb_free(&err);
	if (bad)
		return -1;
	for (size_t i = 0; i < ts->n; i++) {
		if (!strcmp(ts->v[i].name, t->name)) {
			yerr(y, root, "target '%s' is also defined in %s", t->name, ts->v[i].file);
			return -1;
		}
	}
	ts->n++;
	return 0;
}

int targets_load(struct target_set *ts, const char *dir, struct diags *d)
{
	memset(ts, 0, sizeof *ts);
	struct strvec files = STRVEC_INIT;
	if (list_files(dir, ".yaml", false, &files) < 0) {
		diag_add(d, dir, 0, 0, "cannot read the targets directory: %s", strerror(errno));
		sv_clear(&files);
		return -1;
	}
	ts->v = xcalloc(files.n, sizeof *ts->v);
	ts->docs = xcalloc(files.n, sizeof *ts->docs);
	int rc = 0;
	for (size_t i = 0; i < files.n; i++) {
		ts->ndocs++;
		if (load_one(ts, &ts->docs[i], files.v[i], d) < 0)
			rc = -1;
	}
	sv_clear(&files);
	return rc;
}

void targets_free(struct target_set *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		struct target *t = &ts->v[i];
		free(t->why);
		free(t->cc_path);
		free(t->no_static_pie);
		free(t->default_ld);
		free(t->cxx_path);
		free(t->ar_path);
		free(t->cc_version);
	}
	for (size_t i = 0; i < ts->ndocs; i++)
		ydoc_free(&ts->docs[i]);
	free(ts->docs);
	free(ts->v);
	arena_free(&ts->arena);
	memset(ts, 0, sizeof *ts);
}

static struct utsname *uts(void)
{
	static struct utsname u;
	static int done;
	if (!done) {
		if (uname(&u) < 0)
			memset(&u, 0, sizeof u);
		done = 1;
	}
	return &u;
}

const char *host_os(void)
{
	static const struct { const char *uname, *name; } map[] = {
		{ "Linux", "linux" }, { "FreeBSD", "freebsd" }, { "SunOS", "illumos" },
		{ "NetBSD", "netbsd" }, { "OpenBSD", "openbsd" }, { "Darwin", "macos" },
	};
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (!strcmp(uts()->sysname, map[i].uname))
			return map[i].name;
	return uts()->sysname;
}

const char *host_arch(void)
{
	static const struct { const char *uname, *name; } map[] = {
		{ "amd64", "x86_64" }, { "i86pc", "x86_64" }, { "arm64", "aarch64" },
	};
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (!strcmp(uts()->machine, map[i].uname))
			return map[i].name;
	return uts()->machine;
}

/* The first line of `cc --version`, and whether it is clang. */
static void probe_compiler(struct target *t)
{
	char *argv[] = { t->cc_path, "--version", NULL };
	struct proc p = { .argv = argv, .timeout = 20, .out_cap = 65536 };
	t->family = CC_GCC;
	if (proc_run(&p) == 0 && p.out.len) {
		size_t n = strcspn(p.out.buf, "\n");
		t->cc_version = xstrndup(p.out.buf, n);
		if (strstr(p.out.buf, "clang version"))
			t->family = CC_CLANG;
	}
	proc_release(&p);
}

/* "linux-glibc" becomes "linux-glibc-2.36" when the target says how to
 * ask its loader; a version written in the file is left alone. */
static void detect_profile_version(struct target *t)
{
	if (!t->profile_cmd.n || strcmp(t->prof.name, t->profile) ||
	    t->prof.ver[0] || t->prof.ver[1] || t->prof.ver[2])
		return;
	struct strvec argv = STRVEC_INIT;
	for (size_t i = 0; i < t->profile_cmd.n; i++)
		sv_push(&argv, t->profile_cmd.v[i]);
	struct proc p = { .argv = sv_argv(&argv), .timeout = 20, .out_cap = 65536 };
	proc_run(&p);
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	sb_add(&text, p.out.buf, p.out.len);
	sb_add(&text, p.err.buf, p.err.len);
	char *ver = NULL;
	struct profile prof;
	if (text.len && regex_match(t->profile_re, text.buf, text.len, &ver) && ver) {
		char *name = xasprintf("%s-%s", t->profile, ver);
		if (profile_parse(name, &prof, &err) == 0)
			t->prof = prof;
		free(name);
	}
	free(ver);
	sb_free(&text);
	sb_free(&err);
	proc_release(&p);
	sv_clear(&argv);
}

/* The host's OS, and its arch or one its CPU runs too (i686 on x86_64). */
static bool runs_here(const struct target *t)
{
	if (strcmp(t->os, host_os()))
		return false;
	return !strcmp(t->arch, host_arch()) ||
	       (!strcmp(host_arch(), "x86_64") && (!strcmp(t->arch, "i686") || !strcmp(t->arch, "i386")));
}

/* Links a trivial program for the target with one more flag (or none);
 * NULL when that works, else the compiler's first line of complaint. */
static char *try_link(const struct target *t, const char *flag)
{
	char tmpl[] = "/tmp/lm-target-XXXXXX";
	if (!mkdtemp(tmpl))
		return NULL;    /* cannot tell: let the tests say */
	char *src = path_join(tmpl, "t.c"), *out = path_join(tmpl, "t");
	write_file(src, "int main(void) { return 0; }\n", 29);
	struct strvec argv = STRVEC_INIT;
	sv_push(&argv, t->cc_path);
	for (size_t i = 0; i < t->cflags.n; i++)
		sv_push(&argv, t->cflags.v[i]);
	for (size_t i = 0; i < t->ldflags.n; i++)
		sv_push(&argv, t->ldflags.v[i]);
	if (flag)
		sv_push(&argv, flag);
	sv_push(&argv, "-o"), sv_push(&argv, out), sv_push(&argv, src);
	struct proc p = { .argv = sv_argv(&argv), .timeout = 60, .out_cap = 65536 };
	char *why = NULL;
	if (proc_run(&p) < 0 || !proc_ok(&p)) {
		const char *e = p.err.len ? p.err.buf : "";
		why = xasprintf("%.*s", (int)strcspn(e, "\n"), e);
	}
	proc_release(&p);
	sv_clear(&argv);
	free(src);
	free(out);
	rm_rf(tmpl);
	return why;
}

/* Whether the compiler links a program for the target at all: a missing
 * multilib or cross libc makes the target unusable, with the compiler's
 * own words, instead of every test failing at link. Static-pie is asked
 * apart: some sysroots lack rcrt1.o (Debian's riscv64 cross libc), and
 * that makes the static-pie variants SKIP, not FAIL for every linker. */
static bool links(struct target *t)
{
	char *why = try_link(t, NULL);
	if (why) {
		t->why = xasprintf("%s cannot link a program for it: %s", t->cc, why);
		free(why);
		return false;
	}
	t->no_static_pie = try_link(t, "-static-pie");
	return true;
}

static void detect_one(struct target *t, runner_check_fn *check)
{
	t->cc_path = which(t->cc);
	if (!t->cc_path) {
		t->why = xasprintf("compiler '%s' is not installed", t->cc);
		return;
	}
	if (t->cxx)
		t->cxx_path = which(t->cxx);
	t->ar_path = which(t->ar);
	char *ld = xasprintf("%s-ld", t->triple ? t->triple : t->name);
	t->default_ld = which(ld);
	free(ld);
	if (!t->default_ld)
		t->default_ld = which("ld");
	if (!t->ar_path) {
		t->why = xasprintf("archiver '%s' is not installed", t->ar);
		return;
	}
	if (t->runner == RUNNER_NATIVE && !runs_here(t)) {
		t->why = xasprintf("a native runner cannot run %s-%s programs on this %s-%s host",
				   t->arch, t->os, host_arch(), host_os());
		return;
	}
	if ((t->why = check(t)))
		return;
	probe_compiler(t);
	if (!links(t))
		return;
	detect_profile_version(t);
	t->usable = true;
}

void targets_detect(struct target_set *ts, runner_check_fn *check)
{
	for (size_t i = 0; i < ts->n; i++)
		detect_one(&ts->v[i], check);
}

struct target *target_by_name(struct target_set *ts, const char *name)
{
	for (size_t i = 0; i < ts->n; i++)
		if (!strcmp(ts->v[i].name, name))
			return &ts->v[i];
	return NULL;
}

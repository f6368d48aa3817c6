#include "load/target.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "elf/model.h"
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
	YFIELD(struct target, "clang", YF_STR, clang),
	YFIELD(struct target, "clang++", YF_STR, clangxx),
	YFIELD(struct target, "rust-target", YF_STR, rust_target),
	YFIELD(struct target, "rustc", YF_STR, rustc),
	YFIELD(struct target, "cflags", YF_STRLIST, cflags),
	YFIELD(struct target, "ldflags", YF_STRLIST, ldflags),
	YFIELD_REQ(struct target, "reference-linker", YF_STR, reference_linker),
	YFIELD_FN_REQ("runner", dec_runner),
	YFIELD(struct target, "profile", YF_STR, profile),
	YFIELD_FN("profile-version", dec_profile_version),
	YFIELD(struct target, "interpreters", YF_STRLIST, interpreters),
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

/* {dir} in a flag is the directory of the target's file: a driver spec
 * shipped beside it (x86_64-linux-musl.specs). */
static void expand_dir(struct arena *a, struct slist *flags, const char *file)
{
	const char *slash = strrchr(file, '/');
	char *dir = slash ? xstrndup(file, (size_t)(slash - file)) : xstrdup(".");
	static const char *const names[] = { "dir" };
	const char *const values[] = { dir };
	for (size_t i = 0; i < flags->n; i++) {
		if (!strstr(flags->v[i], "{dir}"))
			continue;
		char *x = expand_braces(flags->v[i], names, values, 1);
		flags->v[i] = arena_strdup(a, x);
		free(x);
	}
	free(dir);
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
	expand_dir(&ts->arena, &t->cflags, file);
	expand_dir(&ts->arena, &t->ldflags, file);
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
	for (size_t i = 0; i < t->interpreters.n; i++)
		if (t->interpreters.v[i][0] != '/') {
			yerr(y, root, "interpreters: '%s' is not an absolute path", t->interpreters.v[i]);
			return -1;
		}
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
		for (size_t m = 0; m < MODE_COUNT; m++)
			free(t->cannot[m]);
		free(t->default_ld);
		free(t->cxx_path);
		free(t->ar_path);
		free(t->cc_version);
		free(t->pie_interp);
		free(t->rustc_path);
		free(t->rust_why);
		free(t->clang_path);
		free(t->clangxx_path);
		sv_clear(&t->flag_probes);
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

/* Runs the target's compiler in dir with its flags (cflags to compile,
 * ldflags to link, as a run does) and more; NULL when it worked, else its
 * first line of complaint. */
static char *run_cc(const struct target *t, const char *cc, const char *dir, bool compile,
		    const char *const *more, size_t n)
{
	struct strvec argv = STRVEC_INIT;
	sv_push(&argv, cc);
	const struct slist *flags = compile ? &t->cflags : &t->ldflags;
	for (size_t i = 0; i < flags->n; i++)
		sv_push(&argv, flags->v[i]);
	for (size_t i = 0; i < n; i++)
		sv_push(&argv, more[i]);
	struct proc p = { .argv = sv_argv(&argv), .cwd = dir, .timeout = 60, .out_cap = 65536 };
	char *why = NULL;
	if (proc_run(&p) < 0 || !proc_ok(&p)) {
		const char *e = p.err.len ? p.err.buf : "";
		why = xasprintf("%.*s", (int)strcspn(e, "\n"), e);
	}
	proc_release(&p);
	sv_clear(&argv);
	return why;
}

/* Why the target's compiler cannot make a file of mode m from t.o in
 * dir, or NULL: the link fails, or it makes another kind of file than the
 * mode's (Debian's musl-gcc drops -static-pie and makes a dynamic PIE). */
static char *cannot_make(struct target *t, const char *dir, enum mode m)
{
	const char *flag = mode_ldflag(m), *out = mode_name(m);
	const char *argv[] = { flag, "-o", out, "t.o" };
	char *why = run_cc(t, t->cc_path, dir, false, argv, ARRAY_LEN(argv));
	if (why) {
		char *c = xasprintf("%s %s fails: %s", t->cc, flag, why);
		free(why);
		return c;
	}
	char *path = path_join(dir, out);
	struct strbuf made = STRBUF_INIT;
	struct elf_file f;
	if (elf_open(&f, path, &made) == 0) {
		sb_reset(&made);
		size_t len;
		const char *interp = elf_interp(&f, &len);
		if (!mode_made(&f, m, &made))
			why = xasprintf("%s %s makes %s", t->cc, flag, made.buf);
		else if (m == MODE_PIE && interp && memchr(interp, 0, len))
			t->pie_interp = xstrdup(interp);
		elf_close(&f);
	} else {
		why = xasprintf("%s %s makes no ELF file: %s", t->cc, flag, made.buf);
	}
	sb_free(&made);
	free(path);
	return why;
}

/* What the compiler makes for the target, mode by mode, from one object
 * compiled as PIC (which every mode links). A target whose compiler links
 * no program at all (a missing multilib or cross libc) is unusable, with
 * the compiler's own words, instead of every test failing at link; a mode
 * it cannot make (no rcrt1.o in Debian's riscv64 cross libc, a driver that
 * drops the flag) makes the tests that need it SKIP, with the reason. */
static bool probe_modes(struct target *t)
{
	static const enum mode modes[] = { MODE_PIE, MODE_EXE, MODE_STATIC, MODE_STATIC_PIE,
					   MODE_SHARED };
	char tmpl[] = "/tmp/lm-target-XXXXXX";
	if (!mkdtemp(tmpl))
		return true;    /* cannot tell: let the tests say */
	char *src = path_join(tmpl, "t.c");
	write_file(src, "int main(void) { return 0; }\n", 29);
	const char *cc[] = { "-fPIC", "-c", "t.c", "-o", "t.o" };
	char *why = run_cc(t, t->cc_path, tmpl, true, cc, ARRAY_LEN(cc));
	for (size_t i = 0; !why && i < ARRAY_LEN(modes); i++)
		t->cannot[modes[i]] = cannot_make(t, tmpl, modes[i]);
	if (why || (t->cannot[MODE_PIE] && t->cannot[MODE_EXE]))
		t->why = xasprintf("%s cannot link a program for it: %s", t->cc,
				   why ? why : t->cannot[MODE_PIE]);
	free(why);
	free(src);
	rm_rf(tmpl);
	return !t->why;
}

/* The loaders the interpreter rules accept for the target, and where
 * they can be looked for: a qemu-user runner looks under its -L first,
 * then on the host; an ssh runner's files are not here. */
static void profile_loaders(struct target *t)
{
	struct profile *p = &t->prof;
	p->loaders_only = t->interpreters.n > 0;
	if (p->loaders_only) {
		p->loaders = t->interpreters.v;
		p->nloaders = t->interpreters.n;
	} else if (t->pie_interp) {
		p->loaders = (const char *const *)&t->pie_interp;
		p->nloaders = 1;
	}
	if (t->runner == RUNNER_NATIVE)
		p->root = "/";
	if (t->runner != RUNNER_QEMU_USER)
		return;
	p->root = "/";
	p->root_then_host = true;
	for (size_t i = 1; i + 1 < t->runner_command.n; i++)
		if (!strcmp(t->runner_command.v[i], "-L"))
			p->root = t->runner_command.v[i + 1];
}

/* rustc where rustup or Debian puts it: on PATH, else in cargo's home. */
static char *find_rustc(const char *name)
{
	char *path = which(name), *bin = path || strchr(name, '/') ? NULL : cargo_home_bin();
	if (bin) {
		char *full = path_join(bin, name);
		path = which(full);
		free(full);
	}
	free(bin);
	return path;
}

/* Whether dir holds Rust's std (libstd-HASH.rlib). */
static bool has_std(const char *dir)
{
	struct strvec rlibs = STRVEC_INIT;
	bool found = false;
	if (list_files(dir, ".rlib", false, &rlibs) == 0)
		for (size_t i = 0; i < rlibs.n && !found; i++)
			found = !strncmp(path_base(rlibs.v[i]), "libstd-", 7);
	sv_clear(&rlibs);
	return found;
}

/* Why rustc at path cannot build for t, or NULL. A Rust step's link
 * runs in rustc, which shows what the linker printed (its banner, the
 * proof) only through its linker-messages lint (Rust 1.86). */
static char *rustc_cannot(const struct target *t, const char *path)
{
	char *argv[] = { (char *)path, "-W", "linker-messages", "--target", (char *)t->rust_target,
			 "--print", "target-libdir", NULL };
	struct proc p = { .argv = argv, .timeout = 20, .out_cap = 65536 };
	char *why = NULL;
	if (proc_run(&p) < 0 || !proc_ok(&p))
		why = xasprintf("%s does not know the target %s: %.*s", path, t->rust_target,
				(int)strcspn(sb_str(&p.err), "\n"), sb_str(&p.err));
	else if (strstr(sb_str(&p.err), "unknown lint"))
		why = xasprintf("%s has no linker-messages lint (Rust 1.86), so the linker's banner "
				"cannot be seen", path);
	if (!why) {
		char *dir = xstrndup(sb_str(&p.out), strcspn(sb_str(&p.out), "\n"));
		if (!has_std(dir))
			why = xasprintf("%s has no std for %s in %s (rustup target add %s)", path,
					t->rust_target, dir, t->rust_target);
		free(dir);
	}
	proc_release(&p);
	return why;
}

void target_detect_rust(struct target *t)
{
	if (t->rustc_path || t->rust_why)
		return;
	char *path = t->rust_target ? find_rustc(t->rustc ? t->rustc : "rustc") : NULL;
	if (!t->rust_target)
		t->rust_why = xasprintf("%s gives no rust-target", t->file);
	else if (!path)
		t->rust_why = xasprintf("'%s' is not installed (rustup, or Debian's rustc)",
					t->rustc ? t->rustc : "rustc");
	else if (!(t->rust_why = rustc_cannot(t, path)))
		t->rustc_path = path, path = NULL;
	free(path);
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
	t->clang_path = t->clang ? which(t->clang) : NULL;
	t->clangxx_path = t->clangxx ? which(t->clangxx) : NULL;
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
	if (!probe_modes(t))
		return;
	detect_profile_version(t);
	profile_loaders(t);
	t->usable = true;
}

void targets_detect(struct target_set *ts, runner_check_fn *check)
{
	for (size_t i = 0; i < ts->n; i++)
		detect_one(&ts->v[i], check);
}

const char *target_flags_refused(struct target *t, bool clang, const struct slist *flags)
{
	const char *cc = clang ? t->clang_path : t->cc_path;
	struct strbuf key = STRBUF_INIT;
	sb_adds(&key, cc ? cc : "");
	for (size_t i = 0; i < flags->n; i++)
		sb_addf(&key, "\n%s", flags->v[i]);
	const char *why = NULL;
	size_t i = 0;
	while (i < t->flag_probes.n && strcmp(t->flag_probes.v[i], key.buf))
		i += 2;
	if (i == t->flag_probes.n && cc) {
		static const char *const empty_c[] = { "-c", "-x", "c", "/dev/null", "-o", "/dev/null" };
		struct strvec argv = STRVEC_INIT;
		for (size_t k = 0; k < flags->n; k++)
			sv_push(&argv, flags->v[k]);
		for (size_t k = 0; k < ARRAY_LEN(empty_c); k++)
			sv_push(&argv, empty_c[k]);
		char *err = run_cc(t, cc, NULL, true, (const char *const *)argv.v, argv.n);
		sv_push(&t->flag_probes, key.buf);
		sv_pushf(&t->flag_probes, "%s%s%s", err ? path_base(cc) : "", err ? ": " : "",
			 err ? err : "");
		free(err);
		sv_clear(&argv);
	}
	if (i < t->flag_probes.n)
		why = *t->flag_probes.v[i + 1] ? t->flag_probes.v[i + 1] : NULL;
	sb_free(&key);
	return why;
}

struct target *target_by_name(struct target_set *ts, const char *name)
{
	for (size_t i = 0; i < ts->n; i++)
		if (!strcmp(ts->v[i].name, name))
			return &ts->v[i];
	return NULL;
}

const char *target_near(const struct target_set *ts, const char *name, bool all)
{
	const char **names = xmalloc((ts->n + 1) * sizeof *names);
	for (size_t i = 0; i < ts->n; i++)
		names[i] = ts->v[i].name;
	names[ts->n] = "all";
	const char *near = did_you_mean(name, names, ts->n + all);
	free(names);
	return near;
}

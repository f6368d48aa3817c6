#include "jobs/runner.h"

#include <ctype.h>
#include <dirent.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/case.h"

/* CPU time a little past the timeout, so a spinning program dies of
 * SIGXCPU even if the timeout is missed; a fork bomb stops at 4096
 * processes (RLIMIT_NPROC counts all of the user's processes, and root
 * is exempt). */
struct proc_limits program_limits(const struct run_request *rq)
{
	static const struct run_limits none;
	const struct run_limits *l = rq->limits ? rq->limits : &none;
	return (struct proc_limits){
		.cpu_seconds = (unsigned long)rq->timeout + 2,
		.fsize_bytes = l->file_size ? l->file_size : 256ull << 20,
		.as_bytes = l->memory ? l->memory : 8ull << 30,
		.nproc = l->processes ? (unsigned long)l->processes : 4096,
	};
}

/* Output beyond this makes a program a runaway: it is killed and the run
 * goes on. */
size_t program_output_limit(const struct run_request *rq)
{
	return rq->limits && rq->limits->output ? (size_t)rq->limits->output : PROC_RUNAWAY_OUTPUT;
}

/* ---- ssh settings --------------------------------------------------------- */

/* LINKMATRIX_SSH_<TARGET> for the target's name. */
static char *env_name(const struct target *t, const char *suffix)
{
	char *s = xasprintf("LINKMATRIX_SSH_%s%s", t->name, suffix);
	for (char *p = s + 15; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
	return s;
}

/* The destination, port and key: the target file's, or the environment's
 * ([user@]host[:port], and ..._IDENTITY). */
static void ssh_settings(struct runner_session *s)
{
	const struct ssh_spec *sp = &s->t->ssh;
	char *var = env_name(s->t, ""), *idvar = env_name(s->t, "_IDENTITY");
	const char *env = getenv(var), *id = getenv(idvar);
	if (env && *env) {
		const char *colon = strrchr(env, ':');
		s->dest = colon ? xstrndup(env, (size_t)(colon - env)) : xstrdup(env);
		s->port = colon ? xstrdup(colon + 1) : NULL;
	} else if (sp->host) {
		s->dest = sp->user ? xasprintf("%s@%s", sp->user, sp->host) : xstrdup(sp->host);
		s->port = sp->port ? xasprintf("%ld", sp->port) : NULL;
	}
	s->identity = id && *id ? xstrdup(id) : sp->identity ? xstrdup(sp->identity) : NULL;
	free(var);
	free(idvar);
}

/* Short, as a socket's path must be; %C is ssh's hash of the host, port
 * and user. */
static const char *control_path(void)
{
	static char control[64];
	if (!control[0]) {
		snprintf(control, sizeof control, "ControlPath=/tmp/lm-ssh-%ld-%%C", (long)getpid());
		/* The master outlives the ssh that started it, on purpose: its
		 * title names the socket. */
		char marker[48];
		snprintf(marker, sizeof marker, "/tmp/lm-ssh-%ld-", (long)getpid());
		proc_keep_daemons(marker);
	}
	return control;
}

/* ssh or scp with the session's options; port is -p for ssh, -P for scp. */
static void ssh_argv(const struct runner_session *s, struct strvec *v, bool scp)
{
	sv_push(v, scp ? "scp" : "ssh");
	if (scp)
		sv_push(v, "-q");
	sv_push(v, "-o"), sv_push(v, "BatchMode=yes");
	sv_push(v, "-o"), sv_push(v, "ConnectTimeout=10");
	/* One connection per host for the run, shared by every test's mkdir,
	 * copy, runs and cleanup: a new one costs a key exchange and a login,
	 * about 0.3 s each on loopback, four times a test. The master goes
	 * 30 s after its last use. */
	sv_push(v, "-o"), sv_push(v, "ControlMaster=auto");
	sv_push(v, "-o"), sv_push(v, control_path());
	sv_push(v, "-o"), sv_push(v, "ControlPersist=30");
	if (s->port)
		sv_push(v, scp ? "-P" : "-p"), sv_push(v, s->port);
	if (s->identity)
		sv_push(v, "-i"), sv_push(v, s->identity);
	for (size_t i = 0; i < s->t->ssh.options.n; i++)
		sv_push(v, "-o"), sv_push(v, s->t->ssh.options.v[i]);
}

/* Runs ssh with a remote shell command; 0 when it succeeded, else why. */
static int ssh_do(const struct runner_session *s, const char *remote_cmd, struct strbuf *why)
{
	struct strvec v = STRVEC_INIT;
	ssh_argv(s, &v, false);
	sv_push(&v, s->dest);
	sv_push(&v, remote_cmd);
	struct proc p = { .argv = sv_argv(&v), .timeout = 60 };
	proc_run(&p);
	int rc = proc_ok(&p) ? 0 : -1;
	if (rc < 0 && why) {
		sb_addf(why, "ssh %s '%s': ", s->dest, remote_cmd);
		proc_describe(&p, why);
		if (p.err.len)
			sb_addf(why, ": %.*s", (int)strcspn(p.err.buf, "\n"), p.err.buf);
	}
	proc_release(&p);
	sv_clear(&v);
	return rc;
}

/* Everything the program may need from the test's directory: its build
 * outputs, the shared objects, data files; not sources and objects. */
static void files_to_send(const char *dir, struct strvec *files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		const char *dot = strrchr(e->d_name, '.');
		if (e->d_name[0] == '.' || source_kind(e->d_name) ||
		    (dot && (!strcmp(dot, ".o") || !strcmp(dot, ".a") || !strcmp(dot, ".h"))))
			continue;
		char *f = path_join(dir, e->d_name);
		sv_push(files, f);
		free(f);
	}
	if (d)
		closedir(d);
}

static int ssh_prepare(struct runner_session *s, struct strbuf *why)
{
	if (s->remote)
		return 0;
	if (s->copy_failed)
		return -1;
	static atomic_uint seq;
	char host[64] = "";
	gethostname(host, sizeof host - 1);
	for (char *p = host; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			*p = '_';
	char *remote = xasprintf("%s/linkmatrix-%s-%ld-%u", s->t->ssh.dir ? s->t->ssh.dir : "/tmp",
				 host, (long)getpid(), atomic_fetch_add(&seq, 1));
	struct strbuf cmd = STRBUF_INIT;
	sb_adds(&cmd, "mkdir -p ");
	sb_add_shquoted(&cmd, remote);
	int rc = ssh_do(s, cmd.buf, why);
	struct strvec files = STRVEC_INIT;
	files_to_send(s->dir, &files);
	if (rc == 0 && files.n) {
		struct strvec v = STRVEC_INIT;
		ssh_argv(s, &v, true);
		for (size_t i = 0; i < files.n; i++)
			sv_push(&v, files.v[i]);
		char *to = xasprintf("%s:%s/", s->dest, remote);
		sv_push(&v, to);
		struct proc p = { .argv = sv_argv(&v), .timeout = 120 };
		proc_run(&p);
		if (!proc_ok(&p)) {
			sb_addf(why, "copying the test's files to %s failed: ", to);
			proc_describe(&p, why);
			if (p.err.len)
				sb_addf(why, ": %.*s", (int)strcspn(p.err.buf, "\n"), p.err.buf);
			rc = -1;
		}
		proc_release(&p);
		sv_clear(&v);
		free(to);
	}
	sv_clear(&files);
	sb_free(&cmd);
	if (rc == 0)
		s->remote = remote;
	else
		free(remote), s->copy_failed = true;
	return rc;
}

/* The remote shell marks where the program's output begins (runner.h),
 * runs the program and says how it ended on stderr's last line: ssh's own
 * exit status mixes the program's with ssh's. */
#define STATUS_MARK "@@linkmatrix-status "
#define START_LINE RUNNER_START_MARK "\n"

static void remote_command(const struct runner_session *s, const struct run_request *rq,
			   struct strbuf *sb)
{
	/* The same limits as here, as far as the remote shell has them:
	 * POSIX has only -f (in 512-byte blocks); -t and -v (KiB) are in
	 * the shells of illumos, the BSDs and Linux. */
	struct proc_limits lim = program_limits(rq);
	sb_addf(sb, "ulimit -t %lu 2>/dev/null; ulimit -f %llu 2>/dev/null; "
		"ulimit -v %llu 2>/dev/null; ulimit -u %lu 2>/dev/null; ", lim.cpu_seconds,
		lim.fsize_bytes / 512, lim.as_bytes / 1024, lim.nproc);
	sb_adds(sb, "cd ");
	sb_add_shquoted(sb, s->remote);
	sb_adds(sb, " && echo " RUNNER_START_MARK " && echo " RUNNER_START_MARK " >&2"
		" && env LD_LIBRARY_PATH=");
	sb_add_shquoted(sb, s->remote);
	for (size_t i = 0; rq->env && rq->env[i]; i++) {
		sb_addc(sb, ' ');
		sb_add_shquoted(sb, rq->env[i]);
	}
	/* A build output by its full path: a timeout finds it by the directory
	 * in its command line. */
	for (size_t i = 0; rq->argv[i]; i++) {
		sb_addc(sb, ' ');
		if (!i && !strncmp(rq->argv[0], "./", 2)) {
			char *full = path_join(s->remote, rq->argv[0] + 2);
			sb_add_shquoted(sb, full);
			free(full);
		} else {
			sb_add_shquoted(sb, rq->argv[i]);
		}
	}
	sb_adds(sb, "; echo \"" STATUS_MARK "$?\" >&2");
}

/* Where mark begins a line of s, the first or the last time; NULL if it
 * never does. */
static char *line_mark(char *s, const char *mark, bool last)
{
	char *found = NULL;
	for (char *m = strstr(s, mark); m && (last || !found); m = strstr(m + 1, mark))
		if (m == s || m[-1] == '\n')
			found = m;
	return found;
}

/* Drops what came before the program's output (through the first start
 * mark), if the mark is there. */
static void drop_preamble(struct strbuf *sb, size_t *total)
{
	char *m = sb->buf ? line_mark(sb->buf, START_LINE, false) : NULL;
	if (!m)
		return;
	size_t cut = (size_t)(m - sb->buf) + strlen(START_LINE);
	memmove(sb->buf, sb->buf + cut, sb->len - cut + 1);
	sb->len -= cut;
	*total -= cut;
}

/* Takes the status line off p's stderr and makes p's status the program's
 * (the usual encoding: exit code << 8, or the signal number). */
static bool take_status(struct proc *p)
{
	char *err = p->err.buf;
	if (!err)
		return false;
	char *mark = line_mark(err, STATUS_MARK, true);
	if (!mark)
		return false;
	int code = atoi(mark + strlen(STATUS_MARK));
	size_t cut = (size_t)(mark - err);
	p->err_total -= p->err.len - cut;
	p->err.len = cut;
	err[cut] = 0;
	/* A shell says 128+N for a program killed by signal N. */
	p->status = code > 128 && code < 128 + 65 ? code - 128 : (code & 0xff) << 8;
	return true;
}

static int ssh_run(struct runner_session *s, const struct run_request *rq, struct proc *p,
		   struct strvec *cmd, struct strvec *env, struct strbuf *why)
{
	(void)env;
	if (!s->dest) {
		sb_addf(why, "no host for the ssh runner of %s", s->t->name);
		return -1;
	}
	if (ssh_prepare(s, why) < 0)
		return -1;
	struct strbuf rc = STRBUF_INIT;
	remote_command(s, rq, &rc);
	ssh_argv(s, cmd, false);
	sv_push(cmd, s->dest);
	sv_push(cmd, rc.buf);
	sb_free(&rc);
	p->argv = sv_argv(cmd);
	p->timeout = rq->timeout;
	p->kill_after = program_output_limit(rq);
	p->in = rq->in, p->in_len = rq->in_len;
	proc_run(p);
	drop_preamble(&p->out, &p->out_total);
	drop_preamble(&p->err, &p->err_total);
	if (p->timed_out || p->flooded) {
		/* The remote program outlives its ssh: end it by its directory. */
		struct strbuf k = STRBUF_INIT;
		sb_adds(&k, "pkill -9 -f ");
		sb_add_shquoted(&k, s->remote);
		ssh_do(s, k.buf, NULL);
		sb_free(&k);
		return 0;
	}
	if (p->exec_errno || take_status(p))
		return 0;
	sb_addf(why, "ssh to %s failed (", s->dest);
	proc_describe(p, why);
	sb_addf(why, ")%s%.*s", p->err.len ? ": " : "", (int)strcspn(sb_str(&p->err), "\n"),
		sb_str(&p->err));
	return -1;
}

/* ---- here and under qemu ------------------------------------------------- */

static void local_env(const struct runner_session *s, const struct run_request *rq,
		      struct strvec *env)
{
	sv_pushf(env, "LD_LIBRARY_PATH=%s", s->dir);
	if (rq->env)
		sv_pushv(env, rq->env);
}

static int local_run(struct runner_session *s, const struct run_request *rq, struct proc *p,
		     struct strvec *cmd, struct strvec *env, struct strbuf *why)
{
	(void)why;
	bool qemu = s->t->runner == RUNNER_QEMU_USER;
	local_env(s, rq, env);
	/* qemu-user is given the program's environment with -E, so that
	 * LD_LIBRARY_PATH and the rest reach the program, not qemu. */
	for (size_t i = 0; qemu && i < s->t->runner_command.n; i++)
		sv_push(cmd, s->t->runner_command.v[i]);
	for (size_t i = 0; qemu && i < env->n; i++)
		sv_push(cmd, "-E"), sv_push(cmd, env->v[i]);
	if (qemu)
		sv_clear(env);
	sv_pushv(cmd, rq->argv);
	/* qemu reserves more address space than any program it runs. */
	struct proc_limits lim = program_limits(rq);
	if (qemu)
		lim.as_bytes = 0;
	p->argv = sv_argv(cmd);
	p->env = sv_argv(env);
	p->cwd = s->dir;
	p->timeout = rq->timeout;
	p->kill_after = program_output_limit(rq);
	p->in = rq->in, p->in_len = rq->in_len;
	p->limits = &lim;
	proc_run(p);
	p->limits = NULL;
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

static int (*const run_fn[])(struct runner_session *, const struct run_request *, struct proc *,
			     struct strvec *, struct strvec *, struct strbuf *) = {
	[RUNNER_NATIVE] = local_run, [RUNNER_QEMU_USER] = local_run, [RUNNER_SSH] = ssh_run,
};

void runner_begin(struct runner_session *s, const struct target *t, const char *dir)
{
	memset(s, 0, sizeof *s);
	s->t = t;
	s->dir = dir;
	if (t->runner == RUNNER_SSH)
		ssh_settings(s);
}

int runner_run(struct runner_session *s, const struct run_request *rq, struct proc *p,
	       struct strvec *cmd, struct strvec *env, struct strbuf *why)
{
	return run_fn[s->t->runner](s, rq, p, cmd, env, why);
}

bool runner_probe_death(struct runner_session *s, const struct run_request *rq,
			struct death *d)
{
	if (s->t->runner != RUNNER_NATIVE)
		return false;
	struct strvec env = STRVEC_INIT;
	local_env(s, rq, &env);
	struct proc_limits lim = program_limits(rq);
	struct probe_request pr = {
		.argv = rq->argv, .env = sv_argv(&env), .cwd = s->dir,
		.in = rq->in, .in_len = rq->in_len, .timeout = rq->timeout, .limits = &lim,
	};
	probe_death(&pr, d);
	sv_clear(&env);
	return true;
}

void runner_end(struct runner_session *s)
{
	if (s->remote) {
		struct strbuf k = STRBUF_INIT;
		sb_adds(&k, "rm -rf ");
		sb_add_shquoted(&k, s->remote);
		ssh_do(s, k.buf, NULL);
		sb_free(&k);
	}
	free(s->dest);
	free(s->port);
	free(s->identity);
	free(s->remote);
	memset(s, 0, sizeof *s);
}

void runner_close(const struct target *t)
{
	if (t->runner != RUNNER_SSH)
		return;
	struct runner_session s;
	runner_begin(&s, t, NULL);
	if (s.dest) {
		struct strvec v = STRVEC_INIT;
		ssh_argv(&s, &v, false);
		sv_push(&v, "-O"), sv_push(&v, "exit"), sv_push(&v, s.dest);
		struct proc p = { .argv = sv_argv(&v), .timeout = 10 };
		proc_run(&p);
		proc_release(&p);
		sv_clear(&v);
	}
	runner_end(&s);
}

char *runner_unusable(const struct target *t)
{
	if (t->runner == RUNNER_QEMU_USER) {
		char *q = which(t->runner_command.v[0]);
		free(q);
		return q ? NULL : xasprintf("emulator '%s' is not installed", t->runner_command.v[0]);
	}
	if (t->runner != RUNNER_SSH)
		return NULL;
	struct runner_session s;
	runner_begin(&s, t, NULL);
	char *why = NULL;
	char *ssh = which("ssh");
	if (!ssh) {
		why = xstrdup("ssh is not installed");
	} else if (!s.dest) {
		char *var = env_name(t, "");
		why = xasprintf("no host: give the runner a host, or set %s=[user@]host[:port]", var);
		free(var);
	} else {
		struct strbuf err = STRBUF_INIT;
		if (ssh_do(&s, "true", &err) < 0)
			why = xasprintf("cannot reach %s: %s", s.dest, err.buf);
		sb_free(&err);
	}
	free(ssh);
	runner_end(&s);
	return why;
}

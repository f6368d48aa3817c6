/* ptrace, pipe2 and the register sets are Linux's, outside the POSIX
 * level the rest of the harness asks for. */
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "jobs/startprobe.h"

#include <stdio.h>
#include <string.h>

static const char *const phase_names[] = {
	[DIED_EXEC] = "exec", [DIED_LOADER] = "loader", [DIED_ENTRY] = "entry",
	[DIED_STARTUP] = "startup",
	[DIED_AFTER_ENTRY] = "after-entry", [DIED_MAIN] = "main",
};

static const char *const phase_texts[] = {
	[DIED_EXEC] = "the kernel killed it during exec, before its first instruction",
	[DIED_LOADER] = "before the program's entry point, while the dynamic loader "
			"loaded, relocated and initialised it",
	[DIED_ENTRY] = "jumping to the entry point, which is not mapped or not executable",
	[DIED_STARTUP] = "after the entry point, before main (start-up code: IRELATIVE "
			 "relocations, TLS set-up, constructors)",
	[DIED_AFTER_ENTRY] = "after the entry point (the program has no symbol main to "
			     "tell start-up code from main)",
	[DIED_MAIN] = "in main or later",
};

const char *death_phase_name(enum death_phase ph)
{
	return ph > DIED_UNKNOWN && ph <= DIED_MAIN ? phase_names[ph] : NULL;
}

void death_describe(const struct death *d, struct strbuf *sb)
{
	if (d->phase == DIED_UNKNOWN) {
		sb_addf(sb, "where it died is not known: %s", d->why);
		return;
	}
	sb_adds(sb, phase_texts[d->phase]);
	if (d->first_insn)
		sb_adds(sb, ", at its first instruction");
	if (d->at[0])
		sb_addf(sb, " (at %s)", d->at);
	if (d->cause[0])
		sb_addf(sb, "; %s", d->cause);
	if (!d->sig)
		sb_addf(sb, "; run again under ptrace it exited %d instead", d->exit_code);
}

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "elf/model.h"

#ifdef __x86_64__
#define HOST_MACHINE EM_X86_64
#define REG_PC(r) ((r).rip)
#define REG_SP(r) ((r).rsp)
#define TRAP_INSN 0xccu          /* int3 */
#define TRAP_MASK 0xffu
#define TRAP_PC_AFTER 1          /* the trap leaves the pc past int3 */
#else
#define HOST_MACHINE EM_AARCH64
#define REG_PC(r) ((r).pc)
#define REG_SP(r) ((r).sp)
#define TRAP_INSN 0xd4200000u    /* brk #0 */
#define TRAP_MASK 0xffffffffu
#define TRAP_PC_AFTER 0
#endif

struct target_image {
	const char *path;
	uint64_t entry, main;        /* as linked; main 0: no symbol */
	bool has_interp;
};

static bool find_main(void *ctx, const struct elf_symbol *s)
{
	uint64_t *main = ctx;
	if (strcmp(s->name, "main") || GELF_ST_TYPE(s->sym.st_info) != STT_FUNC ||
	    s->sym.st_shndx == SHN_UNDEF)
		return true;
	*main = s->sym.st_value;
	return false;
}

static bool read_image(const char *path, struct target_image *im, struct death *d)
{
	struct elf_file f;
	struct strbuf err = STRBUF_INIT;
	int rc = elf_open(&f, path, &err);
	if (rc < 0)
		snprintf(d->why, sizeof d->why, "%s", sb_str(&err));
	sb_free(&err);
	if (rc < 0)
		return false;
	bool ok = f.cls == ELFCLASS64 && f.eh.e_machine == HOST_MACHINE;
	if (ok) {
		im->entry = f.eh.e_entry;
		im->has_interp = elf_interp(&f, &(size_t){ 0 }) != NULL;
		im->main = 0;
		elf_each_symbol(&f, false, find_main, &im->main);
		if (!im->main)
			elf_each_symbol(&f, true, find_main, &im->main);
	} else {
		snprintf(d->why, sizeof d->why, "the probe reads only programs of this host's machine");
	}
	elf_close(&f);
	return ok;
}

/* waitpid with a deadline; false when it passed. */
static bool wait_event(pid_t pid, int *st, double deadline)
{
	for (long nap = 20000;; nap = nap < 5000000 ? nap * 2 : nap) {
		pid_t r = waitpid(pid, st, WNOHANG | __WALL);
		if (r == pid)
			return true;
		if ((r < 0 && errno != EINTR) || now_seconds() >= deadline || proc_aborted())
			return false;
		nanosleep(&(struct timespec){ 0, nap }, NULL);
	}
}

static bool get_regs(pid_t pid, struct user_regs_struct *r)
{
	struct iovec io = { r, sizeof *r };
	return ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &io) == 0;
}

static bool get_pc(pid_t pid, uint64_t *pc)
{
	struct user_regs_struct r;
	if (!get_regs(pid, &r))
		return false;
	*pc = REG_PC(r);
	return true;
}

/* Where the call that faulted would have returned: the word a call
 * pushed (x86-64), the link register (AArch64). */
static bool return_address(pid_t pid, const struct user_regs_struct *r, uint64_t *ret)
{
#ifdef __x86_64__
	errno = 0;
	long w = ptrace(PTRACE_PEEKDATA, pid, (void *)r->rsp, NULL);
	*ret = (uint64_t)w;
	return errno == 0;
#else
	(void)pid;
	*ret = r->regs[30];
	return true;
#endif
}

static bool set_pc(pid_t pid, uint64_t pc)
{
	struct user_regs_struct r;
	if (!get_regs(pid, &r))
		return false;
	REG_PC(r) = pc;
	struct iovec io = { &r, sizeof r };
	return ptrace(PTRACE_SETREGSET, pid, (void *)NT_PRSTATUS, &io) == 0;
}

/* The runtime entry point and interpreter base, from the auxiliary vector. */
static bool read_auxv(pid_t pid, uint64_t *entry, uint64_t *base)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/auxv", (int)pid);
	char *data;
	size_t len;
	if (read_file(path, &data, &len) < 0)
		return false;
	*entry = *base = 0;
	for (size_t i = 0; i + 16 <= len; i += 16) {
		uint64_t kv[2];
		memcpy(kv, data + i, sizeof kv);
		if (kv[0] == AT_ENTRY)
			*entry = kv[1];
		else if (kv[0] == AT_BASE)
			*base = kv[1];
	}
	free(data);
	return *entry != 0;
}

struct sym_search {
	const struct elf_file *f;
	uint64_t addr;
	char name[64];
	uint64_t off;
	uint64_t unsized, fence;     /* the nearest function without a size before
				      * addr, and the start of the nearest sized one */
	bool exact;
};

/* Whether addr is inside the code section sym is defined in. */
static bool in_code_of(const struct elf_file *f, const GElf_Sym *sym, uint64_t addr)
{
	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= f->nsec)
		return false;
	const GElf_Shdr *sh = &f->sec[sym->st_shndx].sh;
	return (sh->sh_flags & SHF_EXECINSTR) && addr >= sh->sh_addr && addr - sh->sh_addr < sh->sh_size;
}

/* The function or object whose range holds addr; else, as gdb and
 * addr2line do, the nearest function before it that has no size (assembly
 * such as musl's memcpy) in the same code section, unless a sized one
 * stands between them. */
static bool covering_func(void *ctx, const struct elf_symbol *s)
{
	struct sym_search *q = ctx;
	uint64_t v = s->sym.st_value, size = s->sym.st_size;
	int type = GELF_ST_TYPE(s->sym.st_info);
	if ((type != STT_FUNC && type != STT_OBJECT) || s->sym.st_shndx == SHN_UNDEF || q->addr < v)
		return true;
	if (size && q->addr - v < size) {
		snprintf(q->name, sizeof q->name, "%s", s->name);
		q->off = q->addr - v;
		q->exact = true;
		return false;
	}
	if (type != STT_FUNC)
		return true;
	if (size && v >= q->fence)
		q->fence = v + 1;
	else if (!size && in_code_of(q->f, &s->sym, q->addr) && (!q->name[0] || v >= q->unsized)) {
		snprintf(q->name, sizeof q->name, "%s", s->name);
		q->unsized = v;
		q->off = q->addr - v;
	}
	return true;
}

/* "boom+0x4 in ": the function of file holding file offset off, if its
 * symbols say. */
static bool build_id(void *ctx, const struct elf_note *n)
{
	char *hex = ctx;
	if (strcmp(n->owner, "GNU") || n->type != NT_GNU_BUILD_ID || !n->descsz || n->descsz > 64)
		return true;
	for (size_t i = 0; i < n->descsz; i++)
		sprintf(hex + 2 * i, "%02x", n->desc[i]);
	return false;
}

/* The function at address q->addr by f's symbols. */
static void search(const struct elf_file *f, struct sym_search *q)
{
	q->f = f;
	elf_each_symbol(f, false, covering_func, q);
	if (!q->exact)
		elf_each_symbol(f, true, covering_func, q);
}

/* "boom+0x4 in ": the function of file holding file offset off, if its
 * symbols say; else its separate debug file's, found by its build id
 * (Debian's ld.so keeps no symbols of its own: libc6-dbg has them). */
static void symbolize(const char *file, uint64_t off, char *out, size_t size)
{
	struct elf_file f;
	if (elf_open_quiet(&f, file) < 0)
		return;
	struct sym_search q = { 0 };
	for (size_t i = 0; i < f.nph && !q.addr; i++) {
		const GElf_Phdr *ph = &f.ph[i];
		if (ph->p_type == PT_LOAD && off >= ph->p_offset && off - ph->p_offset < ph->p_filesz)
			q.addr = off - ph->p_offset + ph->p_vaddr;
	}
	search(&f, &q);
	char id[129] = "";
	if (!q.name[0])
		elf_each_note(&f, build_id, id);
	elf_close(&f);
	if (id[0]) {
		char path[192];
		snprintf(path, sizeof path, "/usr/lib/debug/.build-id/%.2s/%s.debug", id, id + 2);
		if (elf_open_quiet(&f, path) == 0) {
			search(&f, &q);
			elf_close(&f);
		}
	}
	if (q.name[0] && (q.exact || q.unsized >= q.fence))
		snprintf(out, size, "%s+0x%" PRIx64 " in ", q.name, q.off);
}

/* "boom+0x4 in libfoo.so, file offset 0x1139": the function, the file
 * mapped at pc and the offset of pc in it. */
static void locate(pid_t pid, uint64_t pc, char *at, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	char *data;
	size_t len;
	snprintf(at, size, "0x%" PRIx64, pc);
	if (read_file(path, &data, &len) < 0)
		return;
	for (char *line = data; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		unsigned long long lo, hi, off;
		int name = 0;
		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &lo, &hi, &off, &name) == 3 &&
		    pc >= lo && pc < hi) {
			const char *file = name ? line + name : "";
			uint64_t foff = pc - lo + off;
			char fn[96] = "";
			if (*file == '/')
				symbolize(file, foff, fn, sizeof fn);
			if (*file)
				snprintf(at, size, "%s%s, file offset 0x%" PRIx64, fn,
					 path_base(file), foff);
			else
				snprintf(at, size, "0x%" PRIx64 ", in anonymous memory", pc);
			break;
		}
		line = next;
	}
	free(data);
}

/* What of the program is at link-time address addr: a function or object,
 * else the start of a section; false when nothing is. */
static bool link_time_name(const char *path, uint64_t addr, char *out, size_t size)
{
	struct elf_file f;
	if (elf_open_quiet(&f, path) < 0)
		return false;
	const char *name = elf_symbol_at(&f, addr, true);
	bool found = name != NULL;
	if (found)
		snprintf(out, size, "%s", name);
	for (size_t i = 1; i < f.nsec && !found; i++)
		if ((f.sec[i].sh.sh_flags & SHF_ALLOC) && f.sec[i].sh.sh_size &&
		    f.sec[i].sh.sh_addr == addr) {
			snprintf(out, size, "section %s", f.sec[i].name);
			found = true;
		}
	elf_close(&f);
	return found;
}

/* What the faulting address says. An instruction fetch at the entry point
 * is control reaching an entry point that cannot run; in a program loaded
 * at a bias, an address that is a symbol's or a section's link-time
 * address is a pointer no relocation moved (musl 1.2.3 ignoring DT_RELR). */
static void explain_fault(pid_t pid, const struct target_image *im, uint64_t pc, uint64_t entry,
			  uint64_t bias, struct death *d)
{
	siginfo_t si;
	uint64_t addr = pc;
	if (ptrace(PTRACE_GETSIGINFO, pid, NULL, &si) == 0 &&
	    (si.si_signo == SIGSEGV || si.si_signo == SIGBUS))
		addr = (uint64_t)(uintptr_t)si.si_addr;
	d->cause[0] = 0;
	if (addr == pc && pc == entry) {
		d->phase = DIED_ENTRY;
		d->first_insn = false;
		return;
	}
	struct user_regs_struct r;
	bool regs = get_regs(pid, &r);
	/* A fault beside the stack pointer is the stack's end: what is there
	 * is mapped unless the stack has grown past its limit. */
	uint64_t sp = regs ? REG_SP(r) : 0;
	if (regs && addr != pc && addr < sp + 65536 && addr + 65536 > sp) {
		snprintf(d->cause, sizeof d->cause, "it read or wrote 0x%" PRIx64 ", beside its stack "
			 "pointer 0x%" PRIx64 ": the stack is exhausted (endless or deep recursion, "
			 "or a large frame past the stack limit)", addr, sp);
		return;
	}
	/* Nothing maps the first page (vm.mmap_min_addr): a null pointer. */
	if (addr < 4096) {
		char from[128] = "";   /* with the rest, within d->cause */
		uint64_t ret;
		if (addr == pc && regs && return_address(pid, &r, &ret) && ret >= 4096) {
			memcpy(from, " from a call returning to ", 27);
			locate(pid, ret, from + 26, sizeof from - 26);
		}
		if (addr == pc)
			snprintf(d->cause, sizeof d->cause, "it jumped to 0x%" PRIx64 "%s; nothing maps "
				 "the first page: a call through a null function pointer (an undefined "
				 "weak function, or a pointer never set)", pc, from);
		else
			snprintf(d->cause, sizeof d->cause, "it read or wrote 0x%" PRIx64 "; nothing "
				 "maps the first page: a null pointer", addr);
		return;
	}
	char what[96];
	if (bias && link_time_name(im->path, addr, what, sizeof what))
		snprintf(d->cause, sizeof d->cause, "0x%" PRIx64 ", the address it %s, is the "
			 "link-time address of %s: a relocation that should have added the load "
			 "bias 0x%" PRIx64 " was not applied", addr,
			 addr == pc ? "jumped to" : "read or wrote", what, bias);
}

struct bp {
	uint64_t addr;
	long word;                   /* what the trap replaced */
	enum death_phase reached;
	bool set;
};

static bool set_bp(pid_t pid, struct bp *b)
{
	errno = 0;
	b->word = ptrace(PTRACE_PEEKTEXT, pid, (void *)b->addr, NULL);
	if (errno)
		return false;
	long trap = (long)(((unsigned long)b->word & ~(unsigned long)TRAP_MASK) | TRAP_INSN);
	b->set = ptrace(PTRACE_POKETEXT, pid, (void *)b->addr, (void *)trap) == 0;
	return b->set;
}

/* A trap at one of ours: puts the instruction back and the pc on it. */
static struct bp *hit_bp(pid_t pid, struct bp *bps, size_t n, uint64_t pc)
{
	for (size_t i = 0; i < n; i++) {
		struct bp *b = &bps[i];
		if (!b->set || pc - TRAP_PC_AFTER != b->addr)
			continue;
		b->set = false;
		ptrace(PTRACE_POKETEXT, pid, (void *)b->addr, (void *)b->word);
		set_pc(pid, b->addr);
		return b;
	}
	return NULL;
}

/* Between fork and exec: async-signal-safe calls only. */
static void traced_child(const struct probe_request *rq, char **env, int in, int null, int rep)
{
	proc_child_reset();
	if ((rq->cwd && chdir(rq->cwd) < 0) || dup2(in, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(null, 2) < 0 || ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		goto fail;
	proc_close_past_stderr(rep);
	proc_apply_limits(rq->limits);
	execve(rq->argv[0], rq->argv, env);
fail:;
	int e = errno;
	(void)!write(rep, &e, sizeof e);
	_exit(127);
}

/* stdin from a pipe filled before the program starts; what does not fit
 * in the pipe is not given (a crash before main reads none of it). */
static int stdin_pipe(const struct probe_request *rq)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	if (rq->in) {
		fcntl(fds[1], F_SETFL, O_NONBLOCK);
		(void)!write(fds[1], rq->in, rq->in_len);
	}
	close(fds[1]);
	return fds[0];
}

/* Follows the traced child from its exec to its end. */
static void follow(pid_t pid, const struct target_image *im, double deadline, struct death *d)
{
	int st;
	if (!wait_event(pid, &st, deadline)) {
		snprintf(d->why, sizeof d->why, "it did not start within its timeout");
		return;
	}
	if (WIFSIGNALED(st)) {
		d->phase = DIED_EXEC;
		d->sig = WTERMSIG(st);
		return;
	}
	if (!WIFSTOPPED(st)) {
		snprintf(d->why, sizeof d->why, "it did not start under ptrace");
		return;
	}
	/* A signal before the exec stop: the kernel's, from a failed exec. */
	if (WSTOPSIG(st) != SIGTRAP) {
		d->phase = DIED_EXEC;
		d->sig = WSTOPSIG(st);
		return;
	}
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)PTRACE_O_EXITKILL);
	uint64_t entry, base, first = 0;
	if (!read_auxv(pid, &entry, &base) || !get_pc(pid, &first)) {
		snprintf(d->why, sizeof d->why, "cannot read its registers or auxiliary vector");
		return;
	}
	uint64_t bias = entry - im->entry;
	struct bp bps[2] = {
		{ .addr = entry, .reached = im->main ? DIED_STARTUP : DIED_AFTER_ENTRY },
		{ .addr = im->main + bias, .reached = DIED_MAIN },
	};
	/* Without an interpreter the first instruction is the entry point. */
	d->phase = base || im->has_interp ? DIED_LOADER : bps[0].reached;
	if (d->phase == DIED_LOADER)
		set_bp(pid, &bps[0]);
	if (im->main)
		set_bp(pid, &bps[1]);
	int deliver = 0, last_sig = 0;
	for (;;) {
		ptrace(PTRACE_CONT, pid, NULL, (void *)(long)deliver);
		if (!wait_event(pid, &st, deadline)) {
			d->phase = DIED_UNKNOWN;
			snprintf(d->why, sizeof d->why, "run again under ptrace, it did not end "
				 "within its timeout");
			return;
		}
		if (WIFEXITED(st)) {
			d->exit_code = WEXITSTATUS(st);
			return;
		}
		if (WIFSIGNALED(st)) {
			d->sig = WTERMSIG(st);
			if (d->sig != last_sig)
				d->at[0] = 0, d->cause[0] = 0, d->first_insn = false;
			return;
		}
		uint64_t pc = 0;
		get_pc(pid, &pc);
		struct bp *b = WSTOPSIG(st) == SIGTRAP ? hit_bp(pid, bps, 2, pc) : NULL;
		if (b) {
			d->phase = b->reached;
			deliver = 0;
			continue;
		}
		deliver = last_sig = WSTOPSIG(st);
		d->first_insn = pc == first;
		locate(pid, pc, d->at, sizeof d->at);
		explain_fault(pid, im, pc, entry, bias, d);
	}
}

void probe_death(const struct probe_request *rq, struct death *d)
{
	memset(d, 0, sizeof *d);
	char *path = path_join(rq->cwd ? rq->cwd : ".", rq->argv[0]);
	struct target_image im;
	im.path = path;
	bool ok = read_image(path, &im, d);
	if (!ok) {
		free(path);
		return;
	}
	char **env = proc_env(rq->env);
	int in = stdin_pipe(rq), rep[2] = { -1, -1 };
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	pid_t pid = -1;
	int slot = -1;
	if (in >= 0 && null >= 0 && pipe2(rep, O_CLOEXEC) == 0) {
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		pid = proc_fork(&slot);
		if (pid == 0)
			traced_child(rq, env, in, null, rep[1]);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	free(env);
	if (pid < 0) {
		snprintf(d->why, sizeof d->why, "cannot start it: %s", strerror(errno));
	} else {
		setpgid(pid, pid);
		close(rep[1]);
		rep[1] = -1;
		follow(pid, &im, now_seconds() + rq->timeout, d);
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &(int){ 0 }, __WALL) < 0 && errno == EINTR)
			;
		proc_unwatch_group(slot);
		proc_sweep_orphans();
		int e = 0;
		if (read(rep[0], &e, sizeof e) == (ssize_t)sizeof e) {
			d->phase = DIED_UNKNOWN;
			snprintf(d->why, sizeof d->why, "under ptrace it could not be started: %s",
				 strerror(e));
		}
	}
	free(path);
	for (int fd = 0; fd < 2; fd++)
		if (rep[fd] >= 0)
			close(rep[fd]);
	if (in >= 0)
		close(in);
	if (null >= 0)
		close(null);
}

#else

void probe_death(const struct probe_request *rq, struct death *d)
{
	(void)rq;
	memset(d, 0, sizeof *d);
	snprintf(d->why, sizeof d->why, "the probe needs ptrace on Linux (x86_64 or aarch64)");
}

#endif

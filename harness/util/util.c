#include "util/util.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static LM_NORETURN void oom(void)
{
	static const char msg[] = "linkmatrix: out of memory\n";
	(void)!write(2, msg, sizeof msg - 1);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	sb_vaddf(&sb, fmt, ap);
	return sb_detach(&sb);
}

const char *human_size(unsigned long long n, char buf[32])
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB" };
	int u = 0;
	while (u < 3 && n && n % 1024 == 0)
		n /= 1024, u++;
	snprintf(buf, 32, "%llu %s", n, unit[u]);
	return buf;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void sb_grow(struct strbuf *sb, size_t extra)
{
	if (extra >= SIZE_MAX - sb->len - 1)
		oom();
	if (sb->len + extra + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < sb->len + extra + 1)
		cap = cap < SIZE_MAX / 2 ? cap * 2 : SIZE_MAX;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void sb_add(struct strbuf *sb, const void *data, size_t n)
{
	sb_grow(sb, n);
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = 0;
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

/* Formats into the room there is, and again only when it was too small:
 * formatting twice every time was a tenth of the harness's instructions. */
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	sb_grow(sb, 64);
	size_t room = sb->cap - sb->len;
	int n = vsnprintf(sb->buf + sb->len, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		sb->buf[sb->len] = 0;
		return;
	}
	if ((size_t)n >= room) {
		sb_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

static bool shell_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-+=/.,:@%", *s))
			return false;
	return true;
}

/* memmem is not in POSIX 2008. */
static const char *find_bytes(const char *s, const char *end, const char *w, size_t wl)
{
	for (; (size_t)(end - s) >= wl; s++) {
		s = memchr(s, w[0], (size_t)(end - s) - wl + 1);
		if (!s || !memcmp(s, w, wl))
			return s;
	}
	return NULL;
}

void sb_add_replacing(struct strbuf *sb, const char *s, size_t len, const char *from,
		      const char *to)
{
	size_t fl = strlen(from), tl = strlen(to);
	const char *end = s + len, *at;
	while ((at = find_bytes(s, end, from, fl))) {
		sb_add(sb, s, (size_t)(at - s));
		sb_add(sb, to, tl);
		s = at + fl;
	}
	sb_add(sb, s, (size_t)(end - s));
}

void sb_add_shquoted(struct strbuf *sb, const char *s)
{
	if (shell_safe(s)) {
		sb_adds(sb, s);
		return;
	}
	sb_addc(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_adds(sb, "'\\''");
		else
			sb_addc(sb, *s);
	}
	sb_addc(sb, '\'');
}

static char *visible(const char *s, size_t max, bool ascii)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;
	for (; s[i] && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\\')
			sb_adds(&sb, "\\\\");
		else if (ch == '\n')
			sb_adds(&sb, "\\n");
		else if (ch == '\t')
			sb_adds(&sb, "\\t");
		else if (ch < 0x20 || ch == 0x7f || (ascii && ch > 0x7f))
			sb_addf(&sb, "\\x%02x", ch);
		else
			sb_addc(&sb, (char)ch);
	}
	if (s[i])
		sb_adds(&sb, "...");
	char *v = sb_detach(&sb);
	return v ? v : xstrdup("");
}

char *xvisible(const char *s, size_t max)
{
	return visible(s, max, false);
}

char *xvisible_ascii(const char *s, size_t max)
{
	return visible(s, max, true);
}

void sb_add_argv(struct strbuf *sb, char *const *argv)
{
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			sb_addc(sb, ' ');
		sb_add_shquoted(sb, argv[i]);
	}
}

char *sb_detach(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = 0;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void sv_push(struct strvec *sv, const char *s)
{
	if (sv->n + 2 > sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
	}
	sv->v[sv->n] = s ? xstrdup(s) : NULL;
	if (s)
		sv->n++;
	sv->v[sv->n] = NULL;
}

void sv_pushf(struct strvec *sv, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	sv_push(sv, s);
	free(s);
}

void sv_pushv(struct strvec *sv, char *const *v)
{
	for (; v && *v; v++)
		sv_push(sv, *v);
}

bool str_in(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

bool sv_has(const struct strvec *v, const char *s)
{
	return v && str_in((const char *const *)v->v, v->n, s);
}

void sv_push_once(struct strvec *v, const char *s)
{
	if (!sv_has(v, s))
		sv_push(v, s);
}

void sv_clear(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void sv_remove(struct strvec *sv, size_t i)
{
	free(sv->v[i]);
	memmove(&sv->v[i], &sv->v[i + 1], (sv->n - i) * sizeof *sv->v);   /* with the NULL */
	sv->n--;
}

char *path_join(const char *dir, const char *name)
{
	if (!dir || !*dir || name[0] == '/')
		return xstrdup(name);
	size_t n = strlen(dir), m = strlen(name);
	bool slash = dir[n - 1] != '/';
	char *p = xmalloc(n + slash + m + 1);
	memcpy(p, dir, n);
	p[n] = '/';
	memcpy(p + n + slash, name, m + 1);
	return p;
}

size_t path_join_prefix(const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	return n + (n && dir[n - 1] != '/');
}

const char *path_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

char *path_dir(const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return xstrdup(".");
	if (s == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(s - path));
}

/* The leaf first: run directories are made deep under existing ones, so
 * one call is the common case instead of one per component. */
int mkdir_p(const char *path)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	char *parent = path_dir(path);
	int rc = strcmp(parent, path) ? mkdir_p(parent) : -1;
	free(parent);
	if (rc == 0 && mkdir(path, 0777) < 0 && errno != EEXIST)
		rc = -1;
	return rc;
}

/* Recursive without nftw: nftw's FTW_DEPTH|FTW_PHYS needs _XOPEN_SOURCE
 * extensions that vary across the systems we build on, and work trees are
 * shallow. */
int rm_tree(const char *path, const struct keeper *k)
{
	if (k && k->file(k->arg, path) == 0)
		return 0;
	/* Most entries are files: try that first, a stat call saved each. */
	if (unlink(path) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *sub = path_join(path, e->d_name);
		if (rm_tree(sub, k) < 0)
			rc = -1;
		free(sub);
	}
	struct stat st;
	bool kept = rc == 0 && k && fstat(dirfd(d), &st) == 0 && k->dir(k->arg, path, &st) == 0;
	closedir(d);
	if (!kept && rmdir(path) < 0)
		rc = -1;
	return rc;
}

int rm_rf(const char *path)
{
	return rm_tree(path, NULL);
}

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
	       : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a plain file";
}

/* Straight into the buffer, sized by what fstat says (and a byte more, so
 * the read that finds the end has room): no copy, no regrowing. A file
 * that grows meanwhile is read to its new end, or to max. Opened without
 * blocking and refused unless regular: a FIFO would block the read for
 * ever, and /dev/zero (behind a symlink) never ends. */
int read_file_max(const char *path, size_t max, char **data, size_t *len, char *why, size_t whysz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		if (why)
			snprintf(why, whysz, "not a regular file: %s", file_kind(st.st_mode));
		close(fd);
		errno = EINVAL;
		return -1;
	}
	struct strbuf sb = STRBUF_INIT;
	size_t want = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	sb_grow(&sb, max && want > max + 1 ? max + 1 : want);
	for (;;) {
		if (max && sb.len > max) {
			if (why)
				snprintf(why, whysz, "too big: more than %zu MiB", max >> 20);
			close(fd);
			sb_free(&sb);
			errno = EFBIG;
			return -1;
		}
		if (sb.cap - sb.len < 2)
			sb_grow(&sb, 65536);
		ssize_t n = read(fd, sb.buf + sb.len, sb.cap - sb.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;
			close(fd);
			sb_free(&sb);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		sb.len += (size_t)n;
	}
	close(fd);
	sb.buf[sb.len] = 0;
	*len = sb.len;
	*data = sb_detach(&sb);
	return 0;
}

int read_file(const char *path, char **data, size_t *len)
{
	return read_file_max(path, 0, data, len, NULL, 0);
}

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

size_t read_at(int fd, void *buf, size_t n, off_t off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

int copy_all(int in, int out)
{
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && write_all(out, buf, (size_t)n) < 0)
			return -1;
	return n < 0 ? -1 : 0;
}

int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, data, len);
	int saved = errno;
	if (close(fd) < 0 && rc == 0)
		return -1;
	errno = saved;
	return rc;
}


char *atomic_tmp_name(const char *path)
{
	/* pid and a counter: concurrent writers, in one process or several,
	 * never share a temporary file. */
	static atomic_uint seq;
	return xasprintf("%s.tmp.%ld.%u", path, (long)getpid(), atomic_fetch_add(&seq, 1));
}

int atomic_open(const char *path, char **tmp)
{
	*tmp = atomic_tmp_name(path);
	int fd = open(*tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		int saved = errno;
		free(*tmp);
		*tmp = NULL;
		errno = saved;
	}
	return fd;
}

int atomic_commit(int fd, char *tmp, const char *path, bool ok, bool sync)
{
	int rc = ok ? 0 : -1;
	if (rc == 0 && sync)
		rc = fsync(fd);
	if (close(fd) < 0)
		rc = -1;
	if (rc == 0)
		rc = rename(tmp, path);
	int saved = errno;
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	errno = saved;
	return rc;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp;
	int fd = atomic_open(path, &tmp);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, data, len);
	return atomic_commit(fd, tmp, path, rc == 0, true);
}

bool is_executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *expand_braces(const char *s, const char *const *names, const char *const *values, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	while (*s) {
		size_t k = n;
		if (*s == '{')
			for (k = 0; k < n; k++) {
				size_t len = strlen(names[k]);
				if (!strncmp(s + 1, names[k], len) && s[len + 1] == '}')
					break;
			}
		if (k < n) {
			sb_adds(&sb, values[k]);
			s += strlen(names[k]) + 2;
		} else {
			sb_addc(&sb, *s++);
		}
	}
	return sb_detach(&sb);
}

char *which(const char *name)
{
	if (strchr(name, '/'))
		return is_executable(name) ? xstrdup(name) : NULL;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		char *dir = n ? xstrndup(path, n) : xstrdup(".");
		char *full = path_join(dir, name);
		free(dir);
		if (is_executable(full))
			return full;
		free(full);
		path += n;
		if (*path == ':')
			path++;
	}
	return NULL;
}

int version_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");
			int c = na != nb ? (na < nb ? -1 : 1) : strncmp(a, b, na);
			if (c)
				return c;
			a += na;
			b += nb;
		} else if (*a != *b) {
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		} else {
			a++;
			b++;
		}
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int cmp_newest(const void *x, const void *y)
{
	return version_cmp(*(char *const *)y, *(char *const *)x);
}

void which_all(const char *pattern, struct strvec *out)
{
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":"), first = out->n;
		char *dir = n ? xstrndup(path, n) : xstrdup(".");
		char *full = path_join(dir, pattern);
		glob_t g;
		if (glob(full, 0, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++)
				if (is_executable(g.gl_pathv[i]))
					sv_push(out, g.gl_pathv[i]);
			globfree(&g);
		}
		if (out->n > first)
			qsort(out->v + first, out->n - first, sizeof *out->v, cmp_newest);
		free(dir);
		free(full);
		path += n;
		if (*path == ':')
			path++;
	}
}

char *cargo_home_bin(void)
{
	const char *home = getenv("CARGO_HOME"), *user = getenv("HOME");
	if (home && *home)
		return path_join(home, "bin");
	return user && *user ? path_join(user, ".cargo/bin") : NULL;
}

char *cargo_bin_dir(void)
{
	const char *root = getenv("CARGO_INSTALL_ROOT");
	return root && *root ? path_join(root, "bin") : cargo_home_bin();
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sv_sort(struct strvec *v, size_t first)
{
	if (v->n > first)
		qsort(v->v + first, v->n - first, sizeof *v->v, cmp_str);
}

bool sv_has_sorted(const struct strvec *v, const char *s, bool prefix)
{
	size_t lo = 0, hi = v->n, n = strlen(s);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v->v[mid], s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->n && (prefix ? !strncmp(v->v[lo], s, n) : !strcmp(v->v[lo], s));
}

int list_names(const char *dir, struct strvec *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	size_t first = out->n;
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.')
			sv_push(out, e->d_name);
	closedir(d);
	sv_sort(out, first);
	return 0;
}

/* The directories a walk has entered, by device and inode: one reached
 * again (two symlinks to "..", a bind mount of a parent) is not walked
 * again, so a walk of any tree ends. */
struct walked {
	struct { dev_t dev; ino_t ino; } *v;
	size_t n;
};

static bool walk_once(struct walked *w, const struct stat *st)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].dev == st->st_dev && w->v[i].ino == st->st_ino)
			return false;
	w->v = xrealloc(w->v, (w->n + 1) * sizeof *w->v);
	w->v[w->n].dev = st->st_dev, w->v[w->n].ino = st->st_ino;
	w->n++;
	return true;
}

static int list_into(const char *dir, const char *suffix, bool recursive, struct strvec *out,
		     struct walked *w)
{
	struct strvec names = STRVEC_INIT;
	if (list_names(dir, &names) < 0)
		return -1;
	int rc = 0;
	size_t m = strlen(suffix);
	for (size_t i = 0; i < names.n; i++) {
		char *full = path_join(dir, names.v[i]);
		struct stat st;
		size_t n = strlen(names.v[i]);
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (recursive && walk_once(w, &st) && list_into(full, suffix, true, out, w) < 0)
				rc = -1;
		} else if (n >= m && !strcmp(names.v[i] + n - m, suffix)) {
			sv_push(out, full);
		}
		free(full);
	}
	sv_clear(&names);
	return rc;
}

int list_files(const char *dir, const char *suffix, bool recursive, struct strvec *out)
{
	size_t first = out->n;
	struct walked w = { 0 };
	struct stat st;
	if (stat(dir, &st) == 0)
		walk_once(&w, &st);
	int rc = list_into(dir, suffix, recursive, out, &w);
	free(w.v);
	sv_sort(out, first);
	return rc;
}

/* Optimal string alignment distance, case folded, bounded: past max it
 * returns max + 1 without finishing. Names are short; longer words than
 * DYM_MAX are no typos of them. */
enum { DYM_MAX = 64 };

static size_t typo_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > DYM_MAX || lb > DYM_MAX || (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	size_t d[DYM_MAX + 1][DYM_MAX + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t best = SIZE_MAX;
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			size_t v = d[i - 1][j - 1] + (ca != cb);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    cb == tolower((unsigned char)a[i - 2]) && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
			best = v < best ? v : best;
		}
		if (best > max)
			return max + 1;
	}
	return d[la][lb];
}

const char *did_you_mean(const char *word, const char *const *cands, size_t n)
{
	size_t len = strlen(word), max = len / 3 < 3 ? len / 3 : 3, best = max + 1;
	const char *pick = NULL, *prefixed = NULL;
	size_t nprefixed = 0;
	for (size_t i = 0; i < n; i++) {
		size_t d = typo_distance(word, cands[i], max);
		if (d < best)
			best = d, pick = cands[i];
		if (len && !strncasecmp(cands[i], word, len))
			nprefixed++, prefixed = cands[i];
	}
	if (!pick && nprefixed == 1)
		pick = prefixed;
	return pick && strcmp(pick, word) ? pick : NULL;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
		   : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (!len || len > n || (len == 2 && s[0] < 0xc2))
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (len == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
		return 0;
	if (len == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || s[0] > 0xf4 || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0;
	return len;
}

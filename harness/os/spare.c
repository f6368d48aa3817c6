#include "os/spare.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>   /* rename */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

/* Directories: more than a run holds at once at -j64. Files: a build
 * writes a few (its sources) and removes many. */
enum { DIRS_MAX = 512, FILES_MAX = 64, BUILDS_MAX = 64 };
#define FILE_SIZE_MAX (1 << 20)

int spares_open(struct spares *s, const char *workdir)
{
	memset(s, 0, sizeof *s);
	s->dir = path_join(workdir, ".spare");
	char *probe = path_join(s->dir, "mode");
	struct stat dst, fst;
	int fd = -1;
	bool ok = mkdir_p(s->dir) == 0 && stat(s->dir, &dst) == 0 &&
		  (fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) >= 0 &&
		  fstat(fd, &fst) == 0;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(probe);
	free(probe);
	if (!ok) {
		rm_rf(s->dir);
		free(s->dir);
		s->dir = NULL;
		errno = e;
		return -1;
	}
	/* Made as the run's directories and files are: their modes. */
	s->dir_mode = dst.st_mode & 07777;
	s->file_mode = fst.st_mode & 07777;
	s->dirs.max = DIRS_MAX;
	s->files.max = FILES_MAX;
	s->builds.max = BUILDS_MAX;
	pthread_mutex_init(&s->lock, NULL);
	return 0;
}

void spares_close(struct spares *s)
{
	rm_rf(s->dir);
	free(s->dir);
	free(s->dirs.names);
	free(s->files.names);
	free(s->builds.names);
	pthread_mutex_destroy(&s->lock);
	memset(s, 0, sizeof *s);
}

static char *spare_path(const struct spares *s, unsigned long name)
{
	return xasprintf("%s/%lu", s->dir, name);
}

/* A spare's name off the stack, or false. */
static bool take(struct spares *s, struct spare_stack *st, unsigned long *name)
{
	pthread_mutex_lock(&s->lock);
	bool some = st->n > 0;
	if (some)
		*name = st->names[--st->n];
	pthread_mutex_unlock(&s->lock);
	return some;
}

static void give_back(struct spares *s, struct spare_stack *st, unsigned long name)
{
	pthread_mutex_lock(&s->lock);
	if (st->n == st->cap)
		st->names = xrealloc(st->names, (st->cap = st->cap ? 2 * st->cap : 16) * sizeof *st->names);
	st->names[st->n++] = name;
	pthread_mutex_unlock(&s->lock);
}

/* Renames path into the pool, if it has room: 0, or -1 (then path is as
 * it was). */
static int put(struct spares *s, struct spare_stack *st, const char *path)
{
	pthread_mutex_lock(&s->lock);
	bool room = st->n < st->max;
	unsigned long name = s->next++;
	pthread_mutex_unlock(&s->lock);
	char *to = room ? spare_path(s, name) : NULL;
	int rc = room ? rename(path, to) : -1;
	free(to);
	if (rc < 0)
		return -1;
	give_back(s, st, name);
	return 0;
}

int spares_mkdir(struct spares *s, const char *path)
{
	unsigned long name;
	struct stat st;
	if (!s)
		return mkdir_p(path);
	/* There already when its build's directory was a spare. */
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (!take(s, &s->dirs, &name))
		return mkdir_p(path);
	char *from = spare_path(s, name);
	int rc = rename(from, path);
	if (rc < 0 && errno == ENOENT) {
		char *parent = path_dir(path);
		rc = strcmp(parent, path) && spares_mkdir(s, parent) == 0 ? rename(from, path) : -1;
		free(parent);
	}
	/* Something in the way (a file; a directory that is not empty, which
	 * mkdir -p takes as it is): the spare goes, and mkdir -p says. */
	if (rc < 0) {
		rmdir(from);
		rc = mkdir_p(path);
	}
	free(from);
	return rc;
}

int spares_mkbuild(struct spares *s, const char *path)
{
	unsigned long name;
	if (!s || !take(s, &s->builds, &name))
		return spares_mkdir(s, path);
	char *from = spare_path(s, name);
	int rc = rename(from, path);
	if (rc < 0)
		rm_rf(from);
	free(from);
	return rc < 0 ? spares_mkdir(s, path) : 0;
}

/* Path opened for writing, a spare (*spare set) or a new file, which
 * nobody can run before it is whole. */
static int open_file(struct spares *s, const char *path, int mode, bool *spare)
{
	unsigned long name;
	*spare = false;
	if (s && take(s, &s->files, &name)) {
		char *from = spare_path(s, name);
		int fd = -1;
		if (rename(from, path) == 0)
			fd = open(path, O_WRONLY | O_CLOEXEC);
		else if (errno == EXDEV)   /* the cache on another file system */
			give_back(s, &s->files, name);
		else
			unlink(from);
		free(from);
		if ((*spare = fd >= 0))
			return fd;
	}
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode < 0 ? 0666 : 0600);
}

/* A spare is written over, then cut where the writing ended: truncated to
 * nothing first, ext4 would flush it when it is closed (auto_da_alloc). */
static int close_file(const struct spares *s, int fd, int mode, bool spare, int rc)
{
	off_t end;
	if (rc == 0 && spare && ((end = lseek(fd, 0, SEEK_CUR)) < 0 || ftruncate(fd, end) < 0))
		rc = -1;
	if (rc == 0 && (mode >= 0 || spare) && fchmod(fd, (mode_t)(mode >= 0 ? mode : (int)s->file_mode)) < 0)
		rc = -1;
	int e = errno;
	if (close(fd) < 0 && rc == 0)
		return -1;
	errno = e;
	return rc;
}

static int write_with(struct spares *s, const char *path, int mode, spares_fill *fill,
		      void *arg)
{
	bool spare;
	int fd = open_file(s, path, mode, &spare);
	return fd < 0 ? -1 : close_file(s, fd, mode, spare, fill(fd, arg));
}

int spares_fill_bytes(int fd, void *arg)
{
	const struct spares_bytes *b = arg;
	return write_all(fd, b->data, b->len);
}

static int fill_copy(int fd, void *arg)
{
	return copy_all(*(const int *)arg, fd);
}

int spares_write(struct spares *s, const char *path, const void *data, size_t len, int mode)
{
	struct spares_bytes b = { data, len };
	return write_with(s, path, mode, spares_fill_bytes, &b);
}

int spares_copy(struct spares *s, const char *path, int in)
{
	return write_with(s, path, -1, fill_copy, &in);
}

int spares_replace(struct spares *s, const char *path, spares_fill *fill, void *arg)
{
	char *tmp = atomic_tmp_name(path);
	int rc = write_with(s, tmp, -1, fill, arg);
	if (rc < 0 || (rc = rename(tmp, path)) < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	free(tmp);
	return rc;
}

/* Looked at only while the pool has room: a run removes many more files
 * than it writes. */
static int keep_file(void *arg, const char *path)
{
	struct spares *s = arg;
	pthread_mutex_lock(&s->lock);
	bool room = s->files.n < s->files.max;
	pthread_mutex_unlock(&s->lock);
	struct stat st;
	if (!room || lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	bool as_made = st.st_uid == geteuid() && st.st_nlink == 1 && st.st_size <= FILE_SIZE_MAX;
	return as_made ? put(s, &s->files, path) : -1;
}

static int keep_dir(void *arg, const char *path, const struct stat *st)
{
	struct spares *s = arg;
	return (st->st_mode & 07777) == s->dir_mode ? put(s, &s->dirs, path) : -1;
}

int spares_remove(struct spares *s, const char *path)
{
	struct keeper k = { keep_file, keep_dir, s };
	return rm_tree(path, s ? &k : NULL);
}

/* What a build's directory is removed with: the pool, and the directory. */
struct build_keeper {
	struct spares *s;
	const char *root;
	size_t len;
};

static int keep_build_file(void *arg, const char *path)
{
	return keep_file(((struct build_keeper *)arg)->s, path);
}

/* The build's directory whole, its own in place. */
static int keep_build_dir(void *arg, const char *path, const struct stat *st)
{
	struct build_keeper *b = arg;
	if ((st->st_mode & 07777) != b->s->dir_mode)
		return -1;
	if (!strcmp(path, b->root))
		return put(b->s, &b->s->builds, path);
	bool own = !strncmp(path, b->root, b->len) && path[b->len] == '/' &&
		   !strchr(path + b->len + 1, '/');
	return own ? 0 : keep_dir(b->s, path, st);
}

int spares_remove_build(struct spares *s, const char *path)
{
	struct stat st;
	/* Not as the run made it: its own would stay in it. */
	if (!s || lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) || (st.st_mode & 07777) != s->dir_mode)
		return spares_remove(s, path);
	struct build_keeper b = { s, path, strlen(path) };
	struct keeper k = { keep_build_file, keep_build_dir, &b };
	if (rm_tree(path, &k) == 0)
		return 0;
	/* Kept in part (a full pool, a file that would not go): whatever is
	 * left goes now. */
	return spares_remove(s, path);
}

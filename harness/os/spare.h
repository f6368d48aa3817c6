/* The directories and files a run has emptied, kept to be made again.
 *
 * A run makes and removes half a dozen directories per build (the build's
 * own, build/, one per linker) and writes its sources. Where a new inode
 * is dear that was the harness's largest cost: ext4 without a journal,
 * for every inode it allocates, skips each one freed in the last minutes
 * (find_inode_bit -> recently_deleted), and a run frees thousands. There a
 * mkdir and rmdir pair took 100 to 320 us as a run went on, a file's
 * create, write and unlink 130 to 720 us; two renames 30 to 40 us. So an
 * emptied directory, and a removed file of the run's own making, are
 * renamed into the pool (WORK/.spare), and the next ones made are renamed
 * out of it: a run allocates as many inodes as it holds at once, not as
 * it makes. A build's directory goes whole, with its own (build/, one per
 * linker) emptied in it: one rename each way where there were six.
 *
 * What the pool takes is as the run made it: a directory whose
 * permissions were changed is removed, and so is a file with another
 * link, of another owner or of more than 1 MiB (a spare holds its blocks
 * until it is written again). A file taken is given the permissions
 * asked for.
 *
 * What it buys, measured again when harness/ was laid out by stage (one
 * binary, the pool off by a patched-in switch, bench/matrix.sh 200 2,
 * runs with and without interleaved): on this ext4 disk (CI's too) a cold
 * run's harness CPU is 0.81 to 1.04 s with it, 1.29 to 1.37 s without; a
 * warm run takes 1.17 to 1.38 s with it, 2.35 to 2.80 s without (harness
 * CPU 0.53 to 0.60 s against 1.86 to 2.30 s). On a tmpfs it changes
 * nothing either way (cold 0.71 to 0.86 s against 0.68 to 0.70 s, warm
 * 1.08 to 1.14 s against 1.07 to 1.08 s). Kept for that: warm runs are
 * what a developer repeats, and they are twice as fast. Its cost is these
 * 300 lines and a directory a later test may get, emptied (README, trust
 * model). */
#ifndef LM_SPARE_H
#define LM_SPARE_H

#include <pthread.h>
#include <stddef.h>

struct spare_stack {
	unsigned long *names;     /* in the pool's directory */
	size_t n, cap, max;
};

struct spares {
	char *dir;                /* WORK/.spare */
	pthread_mutex_t lock;
	struct spare_stack dirs, files, builds;
	unsigned long next;       /* the name of the next spare */
	unsigned dir_mode, file_mode;   /* a new one's permissions (the umask) */
};

/* Makes the pool in workdir (-1, errno: none made, and s is not used). */
int spares_open(struct spares *s, const char *workdir);
/* Removes the pool and whatever is in it. */
void spares_close(struct spares *s);
/* mkdir -p, each missing directory a spare if there is one. s NULL:
 * mkdir_p(). */
int spares_mkdir(struct spares *s, const char *path);
/* A build's directory: a spare one if there is one, with the empty
 * directories it had (which spares_mkdir() then finds there). */
int spares_mkbuild(struct spares *s, const char *path);
/* Writes path whole, with len bytes of data or what is left to read of
 * in, and mode's permissions (negative: a new file's): a spare if there
 * is one. -1 with errno. s NULL: a new file. */
int spares_write(struct spares *s, const char *path, const void *data, size_t len, int mode);
int spares_copy(struct spares *s, const char *path, int in);
/* Writes a file's bytes into fd: 0, or -1 with errno. */
typedef int spares_fill(int fd, void *arg);
/* The fill of bytes in memory. */
struct spares_bytes {
	const void *data;
	size_t len;
};
int spares_fill_bytes(int fd, void *arg);
/* Writes path whole with what fill writes, under a temporary name renamed
 * over path, so a reader sees the old file or the new one whole. -1 with
 * errno: path is as it was, and no temporary file is left. */
int spares_replace(struct spares *s, const char *path, spares_fill *fill, void *arg);
/* rm -rf, into the pool what it will take. s NULL: rm_rf(). */
int spares_remove(struct spares *s, const char *path);
/* The same for a build's directory, kept whole with its own, emptied. */
int spares_remove_build(struct spares *s, const char *path);

#endif

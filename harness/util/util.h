/* util/: the helpers every stage shares and none owns: allocation that
 * cannot fail silently, growable strings and arrays, paths and files
 * (util.h), arenas, SHA-256, a JSON writer, PCRE2 patterns, line diffs.
 * Nothing here knows of cases, linkers or tests.
 * May use: nothing.
 *
 * Small helpers shared by every module: allocation that cannot fail
 * silently, growable strings and arrays, paths and files. */
#ifndef LM_UTIL_H
#define LM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#if defined(__GNUC__)
#define LM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define LM_NORETURN __attribute__((noreturn))
#else
#define LM_PRINTF(a, b)
#define LM_NORETURN
#endif


#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Out of memory is the one error the harness does not try to survive. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) LM_PRINTF(1, 2);
/* n bytes in the largest binary unit that divides it ("64 MiB"), in buf. */
const char *human_size(unsigned long long n, char buf[32]);
char *xvasprintf(const char *fmt, va_list ap);

/* A growable, always NUL-terminated byte string. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
#define STRBUF_INIT { NULL, 0, 0 }
void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const void *data, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) LM_PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends s quoted for a POSIX shell where it needs quoting. */
void sb_add_shquoted(struct strbuf *sb, const char *s);
/* s as one line of text a person can read, whatever its bytes: control
 * bytes and DEL as \n, \t or \xNN, a backslash doubled, cut after max
 * bytes with "...". Malloc'd. */
char *xvisible(const char *s, size_t max);
/* The same with every byte past ASCII as \xNN too: for what must be ASCII,
 * where a zero-width space or a right-to-left mark would hide. */
char *xvisible_ascii(const char *s, size_t max);
/* len bytes of s, each occurrence of from (not empty) written as to. */
void sb_add_replacing(struct strbuf *sb, const char *s, size_t len, const char *from,
		      const char *to);
/* Appends an argv as one shell command line. */
void sb_add_argv(struct strbuf *sb, char *const *argv);
char *sb_detach(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
static inline const char *sb_str(const struct strbuf *sb) { return sb->buf ? sb->buf : ""; }

/* A growable NULL-terminated array of strings it owns (an argv). */
struct strvec {
	char **v;
	size_t n, cap;
};
#define STRVEC_INIT { NULL, 0, 0 }
void sv_push(struct strvec *sv, const char *s);
void sv_pushf(struct strvec *sv, const char *fmt, ...) LM_PRINTF(2, 3);
void sv_pushv(struct strvec *sv, char *const *v);
void sv_clear(struct strvec *sv);
/* Takes out item i (< n), keeping the order of the rest. */
void sv_remove(struct strvec *sv, size_t i);
/* Whether s is one of v[0..n). */
bool str_in(const char *const *v, size_t n, const char *s);
/* Whether s is in v (NULL: an empty list). */
bool sv_has(const struct strvec *v, const char *s);
/* Pushes s unless v has it already. */
void sv_push_once(struct strvec *v, const char *s);
/* Sorts v[first..n) by strcmp. */
void sv_sort(struct strvec *v, size_t first);
/* Whether sorted v holds s; with prefix, whether any of its strings starts
 * with s. */
bool sv_has_sorted(const struct strvec *v, const char *s, bool prefix);
static inline char **sv_argv(struct strvec *sv)
{
	if (!sv->v)
		sv_push(sv, NULL), sv->n = 0;
	return sv->v;
}

/* Paths and files. All return 0 on success and -1 with errno set. */
char *path_join(const char *dir, const char *name);
/* The bytes path_join(dir, name) puts before a relative name. */
size_t path_join_prefix(const char *dir);
const char *path_base(const char *path);
char *path_dir(const char *path);
int mkdir_p(const char *path);
int rm_rf(const char *path);
struct stat;
/* What rm -rf offers an entry to before it removes it: each file (or
 * anything not yet known to be a directory) by name, each directory once
 * emptied with its status. 0: the keeper took it away; -1: remove it. */
struct keeper {
	int (*file)(void *arg, const char *path);
	int (*dir)(void *arg, const char *path, const struct stat *st);
	void *arg;
};
int rm_tree(const char *path, const struct keeper *k);
/* The whole of a regular file, NUL-terminated: 0, or -1 with errno (EINVAL
 * for what is not a regular file, EFBIG past max bytes when max is not 0)
 * and, when why is given, the reason in words. */
int read_file_max(const char *path, size_t max, char **data, size_t *len, char *why, size_t whysz);
int read_file(const char *path, char **data, size_t *len);
/* write(2) until all is written; 0 or -1 with errno. */
int write_all(int fd, const void *data, size_t len);
/* pread(2) until n bytes are read or the file ends: how many were read
 * (fewer on an error too). */
size_t read_at(int fd, void *buf, size_t n, off_t off);
/* Creates or truncates path; for scratch files nobody else reads while
 * they are written. 0 or -1 with errno. */
int write_file(const char *path, const void *data, size_t len);
/* Copies in to out from where each is, a buffer at a time (a source of
 * any size). */
int copy_all(int in, int out);
/* Writes via a temporary file in the same directory and rename(2), so a
 * reader never sees a half-written file. */
int write_file_atomic(const char *path, const void *data, size_t len);
/* The same in parts: a temporary file beside path (its name in *tmp), then
 * the commit, which renames it over path when ok and every write went
 * well, and removes it otherwise; closes fd and frees tmp. -1 with errno. */
int atomic_open(const char *path, char **tmp);
char *atomic_tmp_name(const char *path);
int atomic_commit(int fd, char *tmp, const char *path, bool ok, bool sync);

/* s with each {names[i]} replaced by values[i]; other braces kept. */
char *expand_braces(const char *s, const char *const *names, const char *const *values, size_t n);

/* The absolute path of an executable named like execvp would find it. */
char *which(const char *name);
/* Every executable a glob pattern (ld.lld-*) matches in PATH's
 * directories, the first directory's first, each directory's in
 * version_cmp order, newest first. */
void which_all(const char *pattern, struct strvec *out);
/* Compares two versions (or names holding them) part by part, runs of
 * digits as numbers: 9 < 13, 14.0.6 < 14.0.10. */
int version_cmp(const char *a, const char *b);
/* Where rustup puts its programs (rustc): $CARGO_HOME/bin, else
 * ~/.cargo/bin; and where `cargo install` puts them (Wild):
 * $CARGO_INSTALL_ROOT/bin, else the same. NULL without any of them. */
char *cargo_home_bin(void);
char *cargo_bin_dir(void);
bool is_executable(const char *path);

/* Monotonic seconds. */
double now_seconds(void);



/* Appends to out the names in dir, sorted, but those that start with a
 * dot. */
int list_names(const char *dir, struct strvec *out);
/* Appends to out the paths of the regular files under dir whose names end
 * in suffix, descending into subdirectories when recursive, sorted. */
int list_files(const char *dir, const char *suffix, bool recursive, struct strvec *out);

/* The candidate nearest to word for a "did you mean" (optimal string
 * alignment distance, letters compared without case: a typo, a swap, a
 * letter left out or in), or NULL when none is near enough to be a typo
 * of it: within a third of word's length, at most 3, or word a prefix of
 * one candidate alone. Ties go to the first candidate. */
const char *did_you_mean(const char *word, const char *const *cands, size_t n);

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0
 * when the bytes there are not one. */
size_t utf8_seq_len(const unsigned char *s, size_t n);

#endif

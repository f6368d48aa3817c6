/* The compile and link cache: what a job's commands wrote and printed,
 * kept on disk under the SHA-256 of everything that decides it, and shared
 * by runs, concurrent ones included.
 *
 * A key covers the job's commands (run-specific paths made neutral), the
 * tools' identities (path, size, mtime and content hash of the linker
 * binary; the compiler driver's, and its version), the target, and the
 * bytes of every file in the job's directory. A rebuilt linker has a new
 * identity, so everything it links is linked again.
 *
 * An entry is one file, written to a temporary name and renamed into
 * place: a reader sees a whole entry or none. Each ends with a checksum
 * of what comes before it, so one cut short by a crash or damaged on disk
 * reads as a miss, not as a wrong object. */
#ifndef LM_CACHE_H
#define LM_CACHE_H

#include <stdbool.h>

#include "proc.h"
#include "sha256.h"

/* Parts of a key, each length-prefixed so no two sequences collide. */
void cache_key_begin(struct sha256 *k, const char *kind);
void cache_key_str(struct sha256 *k, const char *s);
/* What the run directory becomes in keys and in cached output, so that an
 * entry serves every run and says where the run that reads it is. */
#define RUNDIR_MARK "@RUN@"

/* argv with every occurrence of neutral replaced, so the run directory in
 * a shim's path does not make each run's key new. */
void cache_key_argv(struct sha256 *k, char *const *argv, const char *neutral);
/* Names and bytes of the regular files in dir, in name order; -1 when dir
 * cannot be read (then the job is not cached). */
int cache_key_dir(struct sha256 *k, const char *dir);
/* The identity of a tool: path, size, mtime, and its content's SHA-256,
 * hashed when the file changed since a run last did. NULL when it cannot
 * be read. */
const char *cache_tool_id(const char *cachedir, const char *path);

/* An entry is one job's commands (a unit's compiles, a test's links), in
 * the order they ran, and the files they wrote: one file for several
 * commands, as creating the file costs more than the rest of the cache. */
struct cache_cmd {
	int status;
	struct strbuf out, err;
	size_t out_total, err_total;
};

/* On a hit, writes the entry's files into dir and returns its n commands;
 * NULL on a miss (or a damaged entry). */
struct cache_cmd *cache_get(const char *cachedir, const char *key, const char *dir, size_t *n);
void cache_cmds_free(struct cache_cmd *c, size_t n);
/* Keeps the outcomes of a job's n commands and the files of outputs
 * (names in dir; a missing one is left out). */
void cache_put(const char *cachedir, const char *key, const char *dir,
	       char *const *outputs, size_t nout, const struct cache_cmd *cmds, size_t n);

#endif

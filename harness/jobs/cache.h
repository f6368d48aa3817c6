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
 * A unit's entries (its compiles', and each of its tests' links) are one
 * file, a bundle, named by the compiles' key: creating a file costs more
 * than writing its bytes, and a unit's tests look their entries up one
 * after another. A bundle is written to a temporary name and renamed into
 * place: a reader sees a whole one or none, and reads an entry from the
 * file it opened when the entry is restored (a bundle holds every linker's
 * outputs of a build: megabytes, not to be held whole). Each entry ends
 * with a checksum of what comes before it, so one cut short or damaged on
 * disk reads as a miss, not as a wrong object. */
#ifndef LM_CACHE_H
#define LM_CACHE_H

#include <stdbool.h>

#include "os/proc.h"
#include "util/sha256.h"

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
 * the order they ran, and the files they wrote. */
struct cache_cmd {
	int status;
	struct strbuf out, err;
	size_t out_total, err_total;
	double wall, cpu;         /* seconds it took when it ran (cpu < 0: unknown) */
};

/* A unit's bundle, opened (its entries' keys and places read, if there is
 * one) when its compiles are keyed, shared by its tests and by units that
 * compile alike, and written when the last of them is done if anything
 * was put into it. Safe to use from several threads. It holds a file
 * descriptor while open. */
struct cache_bundle;
struct cache_bundle *cache_bundle_open(const char *cachedir, const char *key, struct spares *sp);
/* On a hit, writes the entry's files into dir (spare files from sp, which
 * may be NULL) and returns its n commands; NULL on a miss (or a damaged
 * entry). */
struct cache_cmd *cache_bundle_get(struct cache_bundle *b, const char *key, const char *dir,
				   struct spares *sp, size_t *n);
void cache_cmds_free(struct cache_cmd *c, size_t n);
/* Keeps the outcomes of a job's n commands and the files of outputs
 * (names in dir; a missing one is left out, and one that cannot be read
 * keeps nothing). */
void cache_bundle_put(struct cache_bundle *b, const char *key, const char *dir,
		      char *const *outputs, size_t nout, const struct cache_cmd *cmds, size_t n);
/* The last close of a bundle writes it if anything was put into it, with
 * what another run wrote into it meanwhile, and frees it. NULL is
 * ignored. */
void cache_bundle_close(struct cache_bundle *b);

#endif

#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spare.h"

#define MAGIC "linkmatrix-cache 2\n"
#define BUNDLE_MAGIC "linkmatrix-cache-bundle 3\n"
enum { BUNDLE_MAX = 32 };
#define TRAILER 17   /* 16 hex digits and a newline */

/* ---- keys ----------------------------------------------------------------- */

/* "n:" then the bytes; the decimal by hand, as snprintf cost more than
 * hashing the short strings of a command line. */
static void add_len(struct sha256 *k, const void *p, size_t n)
{
	char len[24], *d = len + sizeof len;
	*--d = ':';
	size_t v = n;
	do
		*--d = (char)('0' + v % 10);
	while (v /= 10);
	sha256_add(k, d, (size_t)(len + sizeof len - d));
	sha256_add(k, p, n);
}

void cache_key_begin(struct sha256 *k, const char *kind)
{
	sha256_init(k);
	cache_key_str(k, MAGIC);
	cache_key_str(k, kind);
}

void cache_key_str(struct sha256 *k, const char *s)
{
	add_len(k, s ? s : "", s ? strlen(s) : 0);
}

void cache_key_argv(struct sha256 *k, char *const *argv, const char *neutral)
{
	for (size_t i = 0; argv[i]; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (neutral)
			sb_add_replacing(&sb, argv[i], strlen(argv[i]), neutral, RUNDIR_MARK);
		else
			sb_adds(&sb, argv[i]);
		add_len(k, sb_str(&sb), sb.len);
		sb_free(&sb);
	}
	cache_key_str(k, "end of argv");
}

/* Adds a file's bytes to k, read a block at a time: a linker binary is
 * tens of megabytes. */
static int add_file(struct sha256 *k, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			sha256_add(k, buf, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Digests of the files hashed in this run, by what stat says of them: a
 * unit's objects are hard links in every linker's directory, and each is
 * read once. A fixed table, a slot per inode hash, older entries written
 * over: memory does not grow with the run, and a file hashed again is
 * only slower. */
struct file_digest {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	char hex[65];
};

enum { DIGEST_SLOTS = 4096 };
static pthread_mutex_t digests_lock = PTHREAD_MUTEX_INITIALIZER;
static struct file_digest digests[DIGEST_SLOTS];

static bool same_file(const struct file_digest *d, const struct stat *st)
{
	return d->dev == st->st_dev && d->ino == st->st_ino && d->size == st->st_size &&
	       d->mtime.tv_sec == st->st_mtim.tv_sec && d->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static struct file_digest *slot(const struct stat *st)
{
	uint64_t h = ((uint64_t)st->st_ino * 0x9e3779b97f4a7c15ull) ^ (uint64_t)st->st_dev;
	return &digests[(h >> 20) % DIGEST_SLOTS];
}

/* 1: path is a directory, left out of keys. */
static int file_digest(const char *path, char hex[65])
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode))
		return 1;
	pthread_mutex_lock(&digests_lock);
	struct file_digest *d = slot(&st);
	bool found = d->hex[0] && same_file(d, &st);
	if (found)
		memcpy(hex, d->hex, 65);
	pthread_mutex_unlock(&digests_lock);
	if (found)
		return 0;
	struct sha256 k;
	sha256_init(&k);
	if (add_file(&k, path) < 0)
		return -1;
	sha256_hex(&k, hex);
	pthread_mutex_lock(&digests_lock);
	*d = (struct file_digest){ st.st_dev, st.st_ino, st.st_size, st.st_mtim, "" };
	memcpy(d->hex, hex, 65);
	pthread_mutex_unlock(&digests_lock);
	return 0;
}

/* One stat a file: the listing's names, the digest's stat. */
int cache_key_dir(struct sha256 *k, const char *dir)
{
	struct strvec names = STRVEC_INIT;
	if (list_names(dir, &names) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < names.n && rc >= 0; i++) {
		char *path = path_join(dir, names.v[i]);
		char hex[65];
		rc = file_digest(path, hex);
		if (rc == 0) {
			cache_key_str(k, names.v[i]);
			cache_key_str(k, hex);
		}
		free(path);
	}
	sv_clear(&names);
	return rc < 0 ? -1 : 0;
}

/* ---- where things are kept ---------------------------------------------- */

/* Sixteen directories, as ccache has: 256, as git has, meant a cold run
 * of 1,000 entries made a directory for every fourth, and a directory
 * costs more than the entry. */
static char *entry_path(const char *cachedir, const char *key)
{
	return xasprintf("%s/%.1s/%s", cachedir, key, key + 1);
}

/* A cache that cannot be written only makes the next run slower. Its
 * directories are made when a write finds one missing, not tried first
 * by every write. */
static void store(struct spares *sp, const char *path, const void *data, size_t len)
{
	if (spares_replace(sp, path, data, len) == 0 || errno != ENOENT)
		return;
	char *sub = path_dir(path);
	if (mkdir_p(sub) == 0)
		(void)spares_replace(sp, path, data, len);
	free(sub);
}

/* ---- tool identities ---------------------------------------------------- */

struct tool {
	char *path, *id;
	bool done;
	pthread_mutex_t lock;
};

static pthread_mutex_t tools_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tool **tools;
static size_t ntools;

static char *hex_of(struct sha256 *k)
{
	char *hex = xmalloc(65);
	sha256_hex(k, hex);
	return hex;
}

/* What stat says of a file: rebuilding or replacing it changes some of
 * this, touching it changes the mtime and ctime, and nothing in user space
 * sets a ctime back. */
static char *stat_line(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return NULL;
	return xasprintf("%s %jd %ju %ju %jd %jd.%09ld %jd.%09ld", path, (intmax_t)st.st_size,
			 (uintmax_t)st.st_dev, (uintmax_t)st.st_ino, (intmax_t)st.st_mode,
			 (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
			 (intmax_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

/* The tool's size, mtime and content hash. The content hash is kept in
 * the cache under what stat says of the file, so an unchanged linker is
 * not read again by every run (18 MB for mold), and a changed one always
 * is. */
static char *tool_id(const char *cachedir, const char *path)
{
	char *st = stat_line(path);
	if (!st)
		return NULL;
	struct sha256 k;
	cache_key_begin(&k, "tool stat");
	cache_key_str(&k, st);
	char *memo_key = hex_of(&k), *memo = entry_path(cachedir, memo_key), *id = NULL;
	size_t len;
	if (read_file(memo, &id, &len) == 0 && len == 64) {
		free(st), free(memo_key), free(memo);
		return id;
	}
	free(id);
	id = NULL;
	cache_key_begin(&k, "tool");
	cache_key_str(&k, st);
	if (add_file(&k, path) == 0) {
		id = hex_of(&k);
		store(NULL, memo, id, 64);
	}
	free(st), free(memo_key), free(memo);
	return id;
}

const char *cache_tool_id(const char *cachedir, const char *path)
{
	pthread_mutex_lock(&tools_lock);
	struct tool *t = NULL;
	for (size_t i = 0; i < ntools && !t; i++)
		if (!strcmp(tools[i]->path, path))
			t = tools[i];
	if (!t) {
		t = xcalloc(1, sizeof *t);
		t->path = xstrdup(path);
		pthread_mutex_init(&t->lock, NULL);
		tools = xrealloc(tools, (ntools + 1) * sizeof *tools);
		tools[ntools++] = t;
	}
	pthread_mutex_unlock(&tools_lock);
	/* Each tool is read once, and several at once by different workers. */
	pthread_mutex_lock(&t->lock);
	if (!t->done) {
		t->id = tool_id(cachedir, path);
		t->done = true;
	}
	pthread_mutex_unlock(&t->lock);
	return t->id;
}

/* ---- entries ------------------------------------------------------------ */

/* A reader of an entry's text: a header line, then bytes. */
struct cursor {
	const char *p, *end;
	bool bad;
};

static bool line(struct cursor *c, const char *fmt, ...)
{
	const char *nl = c->bad ? NULL : memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (!nl || nl - c->p > 4000) {
		c->bad = true;
		return false;
	}
	char buf[4096];
	memcpy(buf, c->p, (size_t)(nl - c->p));
	buf[nl - c->p] = 0;
	c->p = nl + 1;
	va_list ap;
	va_start(ap, fmt);
	int n = vsscanf(buf, fmt, ap);
	va_end(ap);
	if (n < 1)
		c->bad = true;
	return !c->bad;
}

static const char *bytes(struct cursor *c, size_t n)
{
	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = true;
		return NULL;
	}
	const char *b = c->p;
	c->p += n;
	return b;
}

static bool safe_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* An entry's trailer: against entries cut short or damaged, not against
 * forgery, so 64 bits a word at a time (SHA-256 of every output stored
 * cost more than the rest of the cache). */
static uint64_t check64(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; n; p++, n--)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	return h ^ h >> 32;
}

/* Checks the trailer and writes the files: all or, on a bad entry, none
 * that count (the commands are then run and the files written over). */
static struct cache_cmd *restore(const char *data, size_t len, const char *dir,
			         struct spares *sp, size_t *n)
{
	if (len < TRAILER + sizeof MAGIC - 1 || memcmp(data, MAGIC, sizeof MAGIC - 1))
		return NULL;
	char sum[TRAILER + 1];
	snprintf(sum, sizeof sum, "%016" PRIx64 "\n", check64(data, len - TRAILER));
	if (memcmp(sum, data + len - TRAILER, TRAILER))
		return NULL;
	struct cursor c = { data + sizeof MAGIC - 1, data + len - TRAILER, false };
	size_t nfiles = 0, ncmds = 0;
	line(&c, "files %zu", &nfiles);
	for (size_t i = 0; i < nfiles && !c.bad; i++) {
		char name[256];
		unsigned mode = 0;
		size_t fl = 0;
		line(&c, "file %255s %o %zu", name, &mode, &fl);
		const char *b = bytes(&c, fl);
		if (!b || !safe_name(name))
			return NULL;
		char *path = path_join(dir, name);
		int rc = proc_write_file(sp, path, b, fl, mode & 0777);
		free(path);
		if (rc < 0)
			return NULL;
	}
	line(&c, "commands %zu", &ncmds);
	if (c.bad || ncmds > 1000)
		return NULL;
	struct cache_cmd *cmds = xcalloc(ncmds ? ncmds : 1, sizeof *cmds);
	for (size_t i = 0; i < ncmds && !c.bad; i++) {
		struct cache_cmd *m = &cmds[i];
		size_t olen = 0, elen = 0;
		line(&c, "status %d", &m->status);
		line(&c, "stdout %zu %zu", &olen, &m->out_total);
		const char *o = bytes(&c, olen);
		line(&c, "stderr %zu %zu", &elen, &m->err_total);
		const char *e = bytes(&c, elen);
		if (!c.bad) {
			sb_add(&m->out, o, olen);
			sb_add(&m->err, e, elen);
		}
	}
	if (c.bad || c.p != c.end) {
		cache_cmds_free(cmds, ncmds);
		return NULL;
	}
	*n = ncmds;
	return cmds;
}

void cache_cmds_free(struct cache_cmd *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		sb_free(&c[i].out);
		sb_free(&c[i].err);
	}
	free(c);
}

/* One entry: the output files' names, modes and bytes, then each
 * command's status and output, then the checksum of all that. */
static void encode(struct strbuf *sb, const char *dir, char *const *outputs, size_t nout,
		   const struct cache_cmd *cmds, size_t n)
{
	struct strbuf files = STRBUF_INIT;
	size_t nfiles = 0;
	for (size_t i = 0; i < nout; i++) {
		char *path = path_join(dir, outputs[i]), *data;
		size_t len;
		struct stat st;
		if (safe_name(outputs[i]) && stat(path, &st) == 0 && read_file(path, &data, &len) == 0) {
			sb_addf(&files, "file %s %o %zu\n", outputs[i], (unsigned)(st.st_mode & 0777), len);
			sb_add(&files, data, len);
			free(data);
			nfiles++;
		}
		free(path);
	}
	sb_adds(sb, MAGIC);
	sb_addf(sb, "files %zu\n", nfiles);
	sb_add(sb, sb_str(&files), files.len);
	sb_addf(sb, "commands %zu\n", n);
	for (size_t i = 0; i < n; i++) {
		const struct cache_cmd *m = &cmds[i];
		sb_addf(sb, "status %d\nstdout %zu %zu\n", m->status, m->out.len, m->out_total);
		sb_add(sb, sb_str(&m->out), m->out.len);
		sb_addf(sb, "stderr %zu %zu\n", m->err.len, m->err_total);
		sb_add(sb, sb_str(&m->err), m->err.len);
	}
	sb_addf(sb, "%016" PRIx64 "\n", check64(sb->buf, sb->len));
	sb_free(&files);
}

/* ---- bundles ------------------------------------------------------------ */

/* In the file's order, newest first; then what this run put, oldest first. */
struct bentry {
	char key[65];
	char *data;       /* owned when put in this run, else in the bundle's file */
	size_t len;
	bool owned, used;
};

struct cache_bundle {
	pthread_mutex_t lock;
	struct cache_bundle *next;   /* in the open ones */
	size_t refs;
	char *path;
	char *file;       /* the bundle as it was read */
	struct bentry *v; /* what it held, then what was put */
	size_t n;
	bool dirty;
	struct spares *sp;   /* its file is written with */
};

/* Parses what can be parsed: a bundle damaged midway keeps the entries
 * before the damage, each of which restore() checks again. */
static void parse_bundle(const char *data, size_t len, struct bentry **v, size_t *n)
{
	struct cursor c = { data, data + len, false };
	const char *head = bytes(&c, sizeof BUNDLE_MAGIC - 1);
	if (!head || memcmp(head, BUNDLE_MAGIC, sizeof BUNDLE_MAGIC - 1))
		return;
	while (c.p < c.end && *n < BUNDLE_MAX * 2) {
		struct bentry e = { .len = 0 };
		if (!line(&c, "entry %64s %zu", e.key, &e.len) || strlen(e.key) != 64)
			return;
		const char *b = bytes(&c, e.len);
		if (!b)
			return;
		e.data = (char *)b;
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = e;
	}
}

/* The bundles open in this run, each once: units that compile alike (a
 * case's variants that differ in how they link) share theirs. */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_bundle *open_bundles;

struct cache_bundle *cache_bundle_open(const char *cachedir, const char *key, struct spares *sp)
{
	char *path = entry_path(cachedir, key);
	pthread_mutex_lock(&open_lock);
	struct cache_bundle *b = open_bundles;
	while (b && strcmp(b->path, path))
		b = b->next;
	if (b) {
		b->refs++;
		free(path);
	} else {
		b = xcalloc(1, sizeof *b);
		pthread_mutex_init(&b->lock, NULL);
		b->path = path;
		b->refs = 1;
		b->sp = sp;
		size_t len;
		if (read_file(b->path, &b->file, &len) == 0)
			parse_bundle(b->file, len, &b->v, &b->n);
		b->next = open_bundles;
		open_bundles = b;
	}
	pthread_mutex_unlock(&open_lock);
	return b;
}

static struct bentry *find(struct bentry *v, size_t n, const char *key)
{
	for (size_t i = n; i-- > 0;)
		if (!strcmp(v[i].key, key))
			return &v[i];
	return NULL;
}

struct cache_cmd *cache_bundle_get(struct cache_bundle *b, const char *key, const char *dir,
				   struct spares *sp, size_t *n)
{
	pthread_mutex_lock(&b->lock);
	struct bentry *e = find(b->v, b->n, key);
	const char *data = e ? e->data : NULL;
	size_t len = e ? e->len : 0;
	if (e)
		e->used = true;
	pthread_mutex_unlock(&b->lock);
	/* Entries are freed only with the bundle: restoring needs no lock. */
	return data ? restore(data, len, dir, sp, n) : NULL;
}

void cache_bundle_put(struct cache_bundle *b, const char *key, const char *dir,
		      char *const *outputs, size_t nout, const struct cache_cmd *cmds, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	encode(&sb, dir, outputs, nout, cmds, n);
	struct bentry e = { .len = sb.len, .owned = true, .used = true };
	snprintf(e.key, sizeof e.key, "%s", key);
	e.data = sb_detach(&sb);
	pthread_mutex_lock(&b->lock);
	b->v = xrealloc(b->v, (b->n + 1) * sizeof *b->v);
	b->v[b->n++] = e;
	b->dirty = true;
	pthread_mutex_unlock(&b->lock);
}

/* What the new file holds, newest first and each key once, at most
 * BUNDLE_MAX: what this run put, then what it used, then what the file
 * holds now (another run's new entries first), then the rest. A linker
 * rebuilt again and again leaves entries nobody will read; they are the
 * first to go. */
struct picker {
	struct strbuf sb;
	const char *keys[BUNDLE_MAX];
	size_t n;
};

static void pick(struct picker *pk, const struct bentry *e)
{
	for (size_t k = 0; k < pk->n; k++)
		if (!strcmp(pk->keys[k], e->key))
			return;
	if (pk->n == BUNDLE_MAX)
		return;
	pk->keys[pk->n++] = e->key;
	sb_addf(&pk->sb, "entry %s %zu\n", e->key, e->len);
	sb_add(&pk->sb, e->data, e->len);
}

/* The last to close it takes it out of the open ones. */
static bool last_close(struct cache_bundle *b)
{
	pthread_mutex_lock(&open_lock);
	bool last = --b->refs == 0;
	for (struct cache_bundle **pp = &open_bundles; last && *pp; pp = &(*pp)->next)
		if (*pp == b) {
			*pp = b->next;
			break;
		}
	pthread_mutex_unlock(&open_lock);
	return last;
}

void cache_bundle_close(struct cache_bundle *b)
{
	if (!b || !last_close(b))
		return;
	if (b->dirty) {
		/* Another run may have written the bundle since it was read:
		 * what it added is kept too (but a third, writing at the same
		 * moment, may lose its entries: they are made again next time). */
		char *now = NULL;
		size_t len;
		struct bentry *disk = NULL;
		size_t ndisk = 0;
		if (read_file(b->path, &now, &len) == 0)
			parse_bundle(now, len, &disk, &ndisk);
		struct picker pk = { STRBUF_INIT, { 0 }, 0 };
		sb_adds(&pk.sb, BUNDLE_MAGIC);
		for (size_t i = b->n; i-- > 0;)   /* puts are appended */
			if (b->v[i].owned)
				pick(&pk, &b->v[i]);
		for (size_t i = 0; i < b->n; i++)
			if (b->v[i].used)
				pick(&pk, &b->v[i]);
		for (size_t i = 0; i < ndisk; i++)
			pick(&pk, &disk[i]);
		for (size_t i = 0; i < b->n; i++)
			pick(&pk, &b->v[i]);
		store(b->sp, b->path, pk.sb.buf, pk.sb.len);
		sb_free(&pk.sb);
		free(disk);
		free(now);
	}
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].owned)
			free(b->v[i].data);
	free(b->v);
	free(b->file);
	free(b->path);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

#include "jobs/cache.h"

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

#include "os/spare.h"

#define MAGIC "linkmatrix-cache 3\n"
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
static void store(struct spares *sp, const char *path, spares_fill *fill, void *arg)
{
	if (spares_replace(sp, path, fill, arg) == 0 || errno != ENOENT)
		return;
	char *sub = path_dir(path);
	if (mkdir_p(sub) == 0)
		(void)spares_replace(sp, path, fill, arg);
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
		store(NULL, memo, spares_fill_bytes, &(struct spares_bytes){ id, 64 });
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
		line(&c, "time %lf %lf", &m->wall, &m->cpu);
		/* A damaged entry's NaN would make every sum of times NaN. */
		c.bad |= !(m->wall >= 0 && m->wall < 1e9 && m->cpu >= -1 && m->cpu < 1e9);
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
 * command's status and output, then the checksum of all that. The files
 * are opened first, as their count comes before them, and read straight
 * into sb. false: one could not be read (nothing is kept). */
struct output {
	int fd;
	struct stat st;
};

static bool encode(struct strbuf *sb, const char *dir, char *const *outputs, size_t nout,
		   const struct cache_cmd *cmds, size_t n)
{
	struct output *o = xcalloc(nout ? nout : 1, sizeof *o);
	size_t nfiles = 0;
	for (size_t i = 0; i < nout; i++) {
		char *path = path_join(dir, outputs[i]);
		o[i].fd = safe_name(outputs[i]) ? open(path, O_RDONLY | O_CLOEXEC) : -1;
		if (o[i].fd >= 0 && (fstat(o[i].fd, &o[i].st) < 0 || !S_ISREG(o[i].st.st_mode))) {
			close(o[i].fd);
			o[i].fd = -1;
		}
		nfiles += o[i].fd >= 0;
		free(path);
	}
	sb_adds(sb, MAGIC);
	sb_addf(sb, "files %zu\n", nfiles);
	bool ok = true;
	for (size_t i = 0; i < nout; i++) {
		if (o[i].fd < 0)
			continue;
		size_t len = (size_t)o[i].st.st_size;
		if (ok) {
			sb_addf(sb, "file %s %o %zu\n", outputs[i],
				(unsigned)(o[i].st.st_mode & 0777), len);
			sb_grow(sb, len);
			ok = read_at(o[i].fd, sb->buf + sb->len, len, 0) == len;
			sb->len += len;
		}
		close(o[i].fd);
	}
	free(o);
	if (!ok)
		return false;
	sb_addf(sb, "commands %zu\n", n);
	for (size_t i = 0; i < n; i++) {
		const struct cache_cmd *m = &cmds[i];
		sb_addf(sb, "status %d\ntime %.6f %.6f\nstdout %zu %zu\n", m->status, m->wall,
			m->cpu, m->out.len, m->out_total);
		sb_add(sb, sb_str(&m->out), m->out.len);
		sb_addf(sb, "stderr %zu %zu\n", m->err.len, m->err_total);
		sb_add(sb, sb_str(&m->err), m->err.len);
	}
	sb_addf(sb, "%016" PRIx64 "\n", check64(sb->buf, sb->len));
	return true;
}

/* ---- bundles ------------------------------------------------------------ */

/* In the file's order, newest first; then what this run put, oldest first.
 * Entries on disk stay there until restored, one at a time: a bundle holds
 * every linker's outputs of a build, megabytes for a static C++ program. */
struct bentry {
	char key[65];
	char *data;       /* what was put in this run; NULL: at off in the file */
	off_t off;
	size_t len;
	bool used;
};

struct cache_bundle {
	pthread_mutex_t lock;
	struct cache_bundle *next;   /* in the open ones */
	size_t refs;
	char *path;
	int fd;           /* the bundle as it was opened (renamed over, it stays) */
	struct bentry *v; /* what it held, then what was put */
	size_t n;
	bool dirty;
	struct spares *sp;   /* its file is written with */
};

/* The entries' keys and places: what can be parsed, as a bundle damaged
 * midway keeps the entries before the damage (each of which restore()
 * checks again). */
static void parse_bundle(int fd, struct bentry **v, size_t *n)
{
	struct stat st;
	char head[sizeof BUNDLE_MAGIC - 1];
	if (fd < 0 || fstat(fd, &st) < 0 || read_at(fd, head, sizeof head, 0) < sizeof head ||
	    memcmp(head, BUNDLE_MAGIC, sizeof head))
		return;
	off_t at = (off_t)sizeof head;
	while (at < st.st_size && *n < BUNDLE_MAX * 2) {
		/* "entry " 64 hex digits, a length of at most 20 digits. */
		char line[96], *nl;
		off_t left = st.st_size - at;
		size_t want = left < (off_t)sizeof line ? (size_t)left : sizeof line;
		struct bentry e = { .len = 0 };
		if (read_at(fd, line, want, at) < want)
			return;
		if (!(nl = memchr(line, '\n', want)))
			return;
		*nl = 0;
		if (sscanf(line, "entry %64s %zu", e.key, &e.len) != 2 || strlen(e.key) != 64)
			return;
		e.off = at + (nl + 1 - line);
		if (e.len > (size_t)(st.st_size - e.off))
			return;
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = e;
		at = e.off + (off_t)e.len;
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
		b->fd = open(path, O_RDONLY | O_CLOEXEC);
		parse_bundle(b->fd, &b->v, &b->n);
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
	struct bentry hit = e ? *e : (struct bentry){ .len = 0 };
	if (e)
		e->used = true;
	pthread_mutex_unlock(&b->lock);
	if (!e)
		return NULL;
	/* Entries and the file go only with the bundle: no lock from here. */
	if (hit.data)
		return restore(hit.data, hit.len, dir, sp, n);
	char *data = xmalloc(hit.len ? hit.len : 1);
	struct cache_cmd *c = read_at(b->fd, data, hit.len, hit.off) == hit.len
				      ? restore(data, hit.len, dir, sp, n) : NULL;
	free(data);
	return c;
}

void cache_bundle_put(struct cache_bundle *b, const char *key, const char *dir,
		      char *const *outputs, size_t nout, const struct cache_cmd *cmds, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	if (!encode(&sb, dir, outputs, nout, cmds, n)) {
		sb_free(&sb);
		return;
	}
	struct bentry e = { .len = sb.len, .used = true };
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
	const struct bentry *e[BUNDLE_MAX];
	int fd[BUNDLE_MAX];    /* where e's bytes are when not in memory */
	size_t n;
};

static void pick(struct picker *pk, const struct bentry *e, int fd)
{
	for (size_t k = 0; k < pk->n; k++)
		if (!strcmp(pk->e[k]->key, e->key))
			return;
	if (pk->n < BUNDLE_MAX)
		pk->e[pk->n] = e, pk->fd[pk->n++] = fd;
}

static int copy_range(int in, off_t off, size_t len, int out)
{
	char buf[65536];
	for (size_t done = 0; done < len;) {
		size_t n = len - done < sizeof buf ? len - done : sizeof buf;
		if (read_at(in, buf, n, off + (off_t)done) < n || write_all(out, buf, n) < 0)
			return -1;
		done += n;
	}
	return 0;
}

/* The picked entries, straight from memory or from the files they are in:
 * the new bundle is never whole in memory. */
static int write_bundle(int out, void *arg)
{
	const struct picker *pk = arg;
	if (write_all(out, BUNDLE_MAGIC, sizeof BUNDLE_MAGIC - 1) < 0)
		return -1;
	for (size_t k = 0; k < pk->n; k++) {
		const struct bentry *e = pk->e[k];
		char head[96];
		int m = snprintf(head, sizeof head, "entry %s %zu\n", e->key, e->len);
		int rc = write_all(out, head, (size_t)m);
		if (rc == 0)
			rc = e->data ? write_all(out, e->data, e->len)
				     : copy_range(pk->fd[k], e->off, e->len, out);
		if (rc < 0)
			return -1;
	}
	return 0;
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
		/* Another run may have written the bundle since it was opened:
		 * what it added is kept too (but a third, writing at the same
		 * moment, may lose its entries: they are made again next time). */
		int now = open(b->path, O_RDONLY | O_CLOEXEC);
		struct bentry *disk = NULL;
		size_t ndisk = 0;
		parse_bundle(now, &disk, &ndisk);
		struct picker pk = { .n = 0 };
		for (size_t i = b->n; i-- > 0;)   /* puts are appended */
			if (b->v[i].data)
				pick(&pk, &b->v[i], b->fd);
		for (size_t i = 0; i < b->n; i++)
			if (b->v[i].used)
				pick(&pk, &b->v[i], b->fd);
		for (size_t i = 0; i < ndisk; i++)
			pick(&pk, &disk[i], now);
		for (size_t i = 0; i < b->n; i++)
			pick(&pk, &b->v[i], b->fd);
		store(b->sp, b->path, write_bundle, &pk);
		free(disk);
		if (now >= 0)
			close(now);
	}
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].data);
	if (b->fd >= 0)
		close(b->fd);
	free(b->v);
	free(b->path);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

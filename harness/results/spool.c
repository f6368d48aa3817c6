/* A run's records kept in a file instead of memory, and read back a record
 * at a time. The file is the process's own (unlinked once open), written
 * and read by the same build, so numbers go as their bytes. One table per
 * struct says what a record is made of; writing and reading both walk it. */
#include "results/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind {
	K_RAW,     /* aux bytes as they are */
	K_STR,     /* const char *, NUL-terminated, or NULL */
	K_BYTES,   /* const char * of the length in the size_t at aux */
	K_ARRAY,   /* elements of elem, as many as the size_t at aux (a field before it) */
};

struct layout;

struct field {
	enum kind kind;
	size_t off, aux;
	const struct layout *elem;
};

struct layout {
	size_t size;
	const struct field *f;
	size_t n;
};

#define RAW(T, m) { K_RAW, offsetof(T, m), sizeof(((T *)0)->m), NULL }
#define STR(T, m) { K_STR, offsetof(T, m), 0, NULL }
#define BYTES(T, m, len) { K_BYTES, offsetof(T, m), offsetof(T, len), NULL }
#define ARRAY(T, m, count, layout) { K_ARRAY, offsetof(T, m), offsetof(T, count), &layout }

static const struct field tag_fields[] = { { K_STR, 0, 0, NULL } };
static const struct layout tag_layout = { sizeof(const char *), tag_fields, 1 };

static const struct field cmd_fields[] = {
	STR(struct rep_cmd, cmd), STR(struct rep_cmd, cwd), STR(struct rep_cmd, status),
	RAW(struct rep_cmd, out_len), RAW(struct rep_cmd, err_len),
	BYTES(struct rep_cmd, out, out_len), BYTES(struct rep_cmd, err, err_len),
	RAW(struct rep_cmd, out_total), RAW(struct rep_cmd, err_total), RAW(struct rep_cmd, secs),
};
static const struct layout cmd_layout = { sizeof(struct rep_cmd), cmd_fields,
					  ARRAY_LEN(cmd_fields) };

static const struct field finding_fields[] = {
	STR(struct rep_finding, file), STR(struct rep_finding, rule),
	STR(struct rep_finding, profile), STR(struct rep_finding, where),
	STR(struct rep_finding, consequence), RAW(struct rep_finding, expected),
};
static const struct layout finding_layout = { sizeof(struct rep_finding), finding_fields,
					      ARRAY_LEN(finding_fields) };

static const struct field record_fields[] = {
	STR(struct record, id), STR(struct record, case_name), STR(struct record, variant),
	STR(struct record, target), STR(struct record, linker), STR(struct record, case_file),
	STR(struct record, case_in_root),
	RAW(struct record, ntags), ARRAY(struct record, tags, ntags, tag_layout),
	RAW(struct record, outcome), RAW(struct record, stage),
	STR(struct record, message), STR(struct record, detail), STR(struct record, xfail),
	STR(struct record, diff), STR(struct record, died), RAW(struct record, secs),
	RAW(struct record, link),
	RAW(struct record, nwarnings), ARRAY(struct record, warnings, nwarnings, tag_layout),
	RAW(struct record, ncmds), ARRAY(struct record, cmds, ncmds, cmd_layout),
	RAW(struct record, failed_cmd),
	RAW(struct record, nfindings), ARRAY(struct record, findings, nfindings, finding_layout),
};
static const struct layout record_layout = { sizeof(struct record), record_fields,
					     ARRAY_LEN(record_fields) };

#define NO_STRING UINT32_MAX

static void put_bytes(FILE *f, const char *s, size_t n)
{
	uint32_t len = s ? (uint32_t)n : NO_STRING;
	fwrite(&len, sizeof len, 1, f);
	if (s && n)
		fwrite(s, 1, n, f);
}

static const char *pointer_at(const char *o, size_t off)
{
	return *(const char *const *)(const void *)(o + off);
}

static size_t size_at(const char *o, size_t off)
{
	return *(const size_t *)(const void *)(o + off);
}

static void put(FILE *f, const struct layout *l, const void *obj)
{
	const char *o = obj;
	for (size_t i = 0; i < l->n; i++) {
		const struct field *fd = &l->f[i];
		const char *s;
		switch (fd->kind) {
		case K_RAW:
			fwrite(o + fd->off, fd->aux, 1, f);
			break;
		case K_STR:
			s = pointer_at(o, fd->off);
			put_bytes(f, s, s ? strlen(s) : 0);
			break;
		case K_BYTES:
			put_bytes(f, pointer_at(o, fd->off), size_at(o, fd->aux));
			break;
		case K_ARRAY:
			s = pointer_at(o, fd->off);
			for (size_t k = 0; k < size_at(o, fd->aux); k++)
				put(f, fd->elem, s + k * fd->elem->size);
			break;
		}
	}
}

static bool get_bytes(FILE *f, struct arena *a, const char **out)
{
	uint32_t len;
	if (fread(&len, sizeof len, 1, f) != 1)
		return false;
	if (len == NO_STRING) {
		*out = NULL;
		return true;
	}
	char *s = arena_alloc(a, (size_t)len + 1);
	*out = s;
	return !len || fread(s, 1, len, f) == len;
}

static bool get(FILE *f, struct arena *a, const struct layout *l, void *obj)
{
	char *o = obj;
	for (size_t i = 0; i < l->n; i++) {
		const struct field *fd = &l->f[i];
		void *at = o + fd->off;
		bool ok = true;
		switch (fd->kind) {
		case K_RAW:
			ok = fread(at, fd->aux, 1, f) == 1;
			break;
		case K_STR:
		case K_BYTES:
			ok = get_bytes(f, a, at);
			break;
		case K_ARRAY: {
			size_t n = size_at(o, fd->aux);
			char *arr = n ? arena_alloc(a, n * fd->elem->size) : NULL;
			*(void **)at = arr;
			for (size_t k = 0; ok && k < n; k++)
				ok = get(f, a, fd->elem, arr + k * fd->elem->size);
			break;
		}
		}
		if (!ok)
			return false;
	}
	return true;
}

int report_spool(struct report *r, const char *dir)
{
	char *path = path_join(dir, ".records.XXXXXX");
	int fd = mkstemp(path);
	/* Made while one thread runs, so close-on-exec before any child
	 * starts: none is to inherit it and write into the report. */
	if (fd >= 0) {
		unlink(path);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	free(path);
	r->spool = fd >= 0 ? fdopen(fd, "w+") : NULL;
	if (!r->spool && fd >= 0)
		close(fd);
	return r->spool ? 0 : -1;
}

void report_spool_record(struct report *r, const struct record *rec)
{
	put(r->spool, &record_layout, rec);
	if (ferror(r->spool) && !r->spool_err)
		r->spool_err = errno ? errno : EIO;
	r->n++;
	r->counts[rec->outcome]++;
}

const struct record *report_first(struct record_iter *it, const struct report *r)
{
	*it = (struct record_iter){ .r = r };
	if (r->reader)
		return r->reader->read(r->reader, true);
	if (r->spool && (fflush(r->spool) != 0 || fseek(r->spool, 0, SEEK_SET) != 0))
		return NULL;
	return report_next(it);
}

const struct record *report_next(struct record_iter *it)
{
	const struct report *r = it->r;
	if (r->reader)
		return r->reader->read(r->reader, false);
	if (it->i >= r->n)
		return NULL;
	if (!r->spool)
		return &r->v[it->i++];
	arena_free(&it->arena);
	it->cur = (struct record){ 0 };
	if (!get(r->spool, &it->arena, &record_layout, &it->cur))
		return NULL;
	it->i++;
	return &it->cur;
}

void report_iter_end(struct record_iter *it)
{
	arena_free(&it->arena);
}

/* JSON read a token at a time, strictly (RFC 8259), through a small
 * buffer: results.json is read as it comes, never whole, so a file of any
 * size costs the same memory. The first error ends the reading and is
 * kept as "file:line:column: what" (the column counts bytes). */
#ifndef LM_JSONREAD_H
#define LM_JSONREAD_H

#include <stdbool.h>

#include "util/util.h"

/* Deeper than results.json nests (5), shallow enough that no file can
 * make the reader recurse far. */
#define JR_MAX_DEPTH 16

struct jpos {
	unsigned long line;
	unsigned long long col;
};

struct jread {
	int fd;
	char *file;
	unsigned char *buf;
	size_t pos, len;
	unsigned long long base;          /* the file offset of buf[0] */
	unsigned long long limit;         /* no byte at or past it is read... */
	const char *too_long;             /* ...this is the error instead */
	unsigned long long line_start;    /* the file offset where the line begins */
	unsigned long line;
	struct jpos at;                   /* where the last token began */
	int depth;
	bool first[JR_MAX_DEPTH + 1];     /* nothing read yet at that depth */
	struct strbuf s;                  /* the last key or string, decoded (it may hold NULs) */
	struct strbuf err;                /* the first error */
};

/* 0, or -1 with the reason in j->err; jr_close either way. A pipe or a
 * FIFO does as well as a file. */
int jr_open(struct jread *j, const char *path);
void jr_close(struct jread *j);
/* From here on at most `bytes` more are read; past them the error is
 * `what`. */
void jr_limit(struct jread *j, unsigned long long bytes, const char *what);
static inline bool jr_failed(const struct jread *j) { return j->err.len != 0; }
/* The error, at the last token (or at `at`; line 0: the file as a whole),
 * unless there is one already. */
void jr_fail(struct jread *j, const char *fmt, ...) LM_PRINTF(2, 3);
void jr_fail_at(struct jread *j, struct jpos at, const char *fmt, ...) LM_PRINTF(3, 4);
/* The next token's first byte, white space passed over; -1 at the end of
 * the file or after an error. */
int jr_peek(struct jread *j);

/* Each reads one value and names it `what` in its errors. */
bool jr_obj(struct jread *j, const char *what);
bool jr_arr(struct jread *j, const char *what);
/* In an object: 1 with the next key in j->s (and its place in j->at),
 * 0 at the object's end, -1 on an error. */
int jr_key(struct jread *j);
/* In a list: 1 when a value follows, 0 at the list's end, -1. */
int jr_item(struct jread *j);
bool jr_str(struct jread *j, const char *what);   /* into j->s */
bool jr_int(struct jread *j, const char *what, long long min, long long max, long long *out);
bool jr_num(struct jread *j, const char *what, double *out);   /* finite */
bool jr_bool(struct jread *j, const char *what, bool *out);
/* Any value, checked and not kept. */
bool jr_skip(struct jread *j);
/* Nothing but white space is left. */
bool jr_end(struct jread *j);

#endif

#include "results/jsonread.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Per open file: merge holds one per input. */
enum { BUF = 16384 };

int jr_open(struct jread *j, const char *path)
{
	memset(j, 0, sizeof *j);
	/* Only for messages: a name can hold a newline, a message is a line. */
	j->file = xvisible(path, 4096);
	j->line = 1;
	j->limit = ULLONG_MAX;
	j->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (j->fd < 0) {
		sb_addf(&j->err, "%s: cannot read: %s", j->file, strerror(errno));
		return -1;
	}
	j->buf = xmalloc(BUF);
	return 0;
}

void jr_close(struct jread *j)
{
	if (j->fd >= 0)
		close(j->fd);
	free(j->buf);
	free(j->file);
	sb_free(&j->s);
	sb_free(&j->err);
	memset(j, 0, sizeof *j);
	j->fd = -1;
}

void jr_limit(struct jread *j, unsigned long long bytes, const char *what)
{
	unsigned long long here = j->base + j->pos;
	j->limit = bytes > ULLONG_MAX - here ? ULLONG_MAX : here + bytes;
	j->too_long = what;
}

static void vfail(struct jread *j, struct jpos at, const char *fmt, va_list ap)
{
	if (jr_failed(j))
		return;
	if (at.line)
		sb_addf(&j->err, "%s:%lu:%llu: ", j->file, at.line, at.col);
	else
		sb_addf(&j->err, "%s: ", j->file);
	sb_vaddf(&j->err, fmt, ap);
}

void jr_fail_at(struct jread *j, struct jpos at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(j, at, fmt, ap);
	va_end(ap);
}

void jr_fail(struct jread *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(j, j->at, fmt, ap);
	va_end(ap);
}

static void mark(struct jread *j)
{
	j->at = (struct jpos){ j->line, j->base + j->pos - j->line_start + 1 };
}

/* At least `want` bytes from pos in the buffer; false when the file ends
 * first, or on an error (then in j->err). */
static bool fill(struct jread *j, size_t want)
{
	if (j->len - j->pos >= want)
		return true;
	if (jr_failed(j))
		return false;
	memmove(j->buf, j->buf + j->pos, j->len - j->pos);
	j->base += j->pos;
	j->len -= j->pos;
	j->pos = 0;
	while (j->len < want) {
		unsigned long long end = j->base + j->len;
		if (end >= j->limit) {
			jr_fail(j, "%s", j->too_long);
			return false;
		}
		size_t room = BUF - j->len;
		if (room > j->limit - end)
			room = (size_t)(j->limit - end);
		ssize_t got = read(j->fd, j->buf + j->len, room);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			jr_fail(j, "cannot read: %s", strerror(errno));
		if (got <= 0)
			return false;
		j->len += (size_t)got;
	}
	return true;
}

int jr_peek(struct jread *j)
{
	for (;;) {
		if (j->pos == j->len && !fill(j, 1)) {
			mark(j);
			return -1;
		}
		unsigned char c = j->buf[j->pos];
		if (c == '\n') {
			j->line++;
			j->line_start = j->base + j->pos + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			mark(j);
			return c;
		}
		j->pos++;
	}
}

static const char *kind_of(int c)
{
	switch (c) {
	case '{': return "an object";
	case '[': return "a list";
	case '"': return "a string";
	case 't': case 'f': return "true or false";
	case 'n': return "null";
	case '}': case ']': return "the end of the object or list";
	case -1: return "the end of the file";
	}
	return c == '-' || (c >= '0' && c <= '9') ? "a number" : "something that is not JSON";
}

static bool mismatch(struct jread *j, const char *what, const char *want, int c)
{
	jr_fail(j, "%s must be %s, not %s", what, want, kind_of(c));
	return false;
}

static bool nest(struct jread *j, int open, const char *what, const char *want)
{
	int c = jr_peek(j);
	if (c != open)
		return mismatch(j, what, want, c);
	if (j->depth == JR_MAX_DEPTH) {
		jr_fail(j, "nested more than %d levels deep", JR_MAX_DEPTH);
		return false;
	}
	j->pos++;
	j->first[++j->depth] = true;
	return true;
}

bool jr_obj(struct jread *j, const char *what) { return nest(j, '{', what, "an object"); }
bool jr_arr(struct jread *j, const char *what) { return nest(j, '[', what, "a list"); }

/* Past the ',' before the next member of what is open, if one follows. */
static int next_member(struct jread *j, int close)
{
	int c = jr_peek(j);
	if (c < 0 && jr_failed(j))
		return -1;
	if (c == close) {
		j->pos++;
		j->depth--;
		return 0;
	}
	if (!j->first[j->depth]) {
		if (c != ',') {
			jr_fail(j, "expected ',' or '%c', not %s", close, kind_of(c));
			return -1;
		}
		j->pos++;
		if (jr_peek(j) == close) {
			jr_fail(j, "expected a value after ',', not %s", kind_of(close));
			return -1;
		}
	}
	j->first[j->depth] = false;
	return 1;
}

/* The UTF-8 of code point u. */
static void put_utf8(struct strbuf *sb, unsigned long u)
{
	if (u < 0x80) {
		sb_addc(sb, (char)u);
	} else if (u < 0x800) {
		sb_addc(sb, (char)(0xc0 | u >> 6));
		sb_addc(sb, (char)(0x80 | (u & 0x3f)));
	} else if (u < 0x10000) {
		sb_addc(sb, (char)(0xe0 | u >> 12));
		sb_addc(sb, (char)(0x80 | (u >> 6 & 0x3f)));
		sb_addc(sb, (char)(0x80 | (u & 0x3f)));
	} else {
		sb_addc(sb, (char)(0xf0 | u >> 18));
		sb_addc(sb, (char)(0x80 | (u >> 12 & 0x3f)));
		sb_addc(sb, (char)(0x80 | (u >> 6 & 0x3f)));
		sb_addc(sb, (char)(0x80 | (u & 0x3f)));
	}
}

/* The four hex digits of a \u escape at p, or -1. */
static long hex4(const unsigned char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int c = p[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
				: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static long escaped_unit(struct jread *j)
{
	return fill(j, 6) && j->buf[j->pos] == '\\' && j->buf[j->pos + 1] == 'u'
		? hex4(j->buf + j->pos + 2) : -1;
}

/* \uXXXX, or two of them for a code point past U+FFFF. */
static bool unicode(struct jread *j)
{
	long u = escaped_unit(j), lo = -1;
	if (u < 0) {
		jr_fail(j, "\\u needs four hex digits");
		return false;
	}
	j->pos += 6;
	if (u >= 0xd800 && u < 0xdc00 && (lo = escaped_unit(j)) >= 0xdc00 && lo < 0xe000) {
		u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
		j->pos += 6;
	} else if (u >= 0xd800 && u < 0xe000) {
		jr_fail(j, "\\u%04lx is half of a surrogate pair, without the other half", u);
		return false;
	}
	put_utf8(&j->s, (unsigned long)u);
	return true;
}

static bool escape(struct jread *j)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	mark(j);
	if (!fill(j, 2)) {
		jr_fail(j, "the file ends inside a string");
		return false;
	}
	int c = j->buf[j->pos + 1];
	if (c == 'u')
		return unicode(j);
	const char *at = c ? strchr(from, c) : NULL;
	if (!at) {
		jr_fail(j, "unknown escape '\\%c' in a string", c >= 0x20 && c < 0x7f ? c : '?');
		return false;
	}
	sb_addc(&j->s, to[at - from]);
	j->pos += 2;
	return true;
}

/* One character that is not ASCII: whole UTF-8 only. */
static bool utf8(struct jread *j)
{
	mark(j);
	fill(j, 4);
	size_t n = utf8_seq_len(j->buf + j->pos, j->len - j->pos);
	if (!n) {
		jr_fail(j, "a byte that is not UTF-8 (0x%02x) in a string", j->buf[j->pos]);
		return false;
	}
	sb_add(&j->s, j->buf + j->pos, n);
	j->pos += n;
	return true;
}

/* The string at pos (its '"' peeked) into j->s; the plain bytes between
 * escapes go a run at a time. j->at stays at its start. */
static bool read_string(struct jread *j)
{
	struct jpos start = j->at;
	sb_reset(&j->s);
	j->pos++;
	for (;;) {
		if (j->pos == j->len && !fill(j, 1)) {
			jr_fail(j, "the file ends inside a string");
			return false;
		}
		const unsigned char *p = j->buf + j->pos, *e = j->buf + j->len, *q = p;
		while (q < e && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
			q++;
		sb_add(&j->s, p, (size_t)(q - p));
		j->pos += (size_t)(q - p);
		if (q == e)
			continue;
		bool ok = true;
		if (*q == '"') {
			j->pos++;
			j->at = start;
			return true;
		} else if (*q == '\\') {
			ok = escape(j);
		} else if (*q >= 0x80) {
			ok = utf8(j);
		} else {
			mark(j);
			jr_fail(j, "a control character (0x%02x) in a string, where JSON has \\u%04x",
				*q, *q);
			ok = false;
		}
		if (!ok)
			return false;
	}
}

bool jr_str(struct jread *j, const char *what)
{
	int c = jr_peek(j);
	return c == '"' ? read_string(j) : mismatch(j, what, "a string", c);
}

int jr_key(struct jread *j)
{
	int k = next_member(j, '}');
	if (k <= 0)
		return k;
	int c = jr_peek(j);
	if (c != '"') {
		jr_fail(j, "expected a key in quotes, not %s", kind_of(c));
		return -1;
	}
	struct jpos key = j->at;
	if (!read_string(j))
		return -1;
	c = jr_peek(j);
	if (c != ':') {
		jr_fail(j, "expected ':' after a key, not %s", kind_of(c));
		return -1;
	}
	j->pos++;
	j->at = key;
	return 1;
}

int jr_item(struct jread *j)
{
	return next_member(j, ']');
}

/* JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_number(const char *s, bool *integral)
{
	s += *s == '-';
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s += strspn(s, "0123456789");
	else
		return false;
	*integral = *s != '.' && *s != 'e' && *s != 'E';
	if (*s == '.') {
		size_t n = strspn(++s, "0123456789");
		if (!n)
			return false;
		s += n;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		s += *s == '+' || *s == '-';
		size_t n = strspn(s, "0123456789");
		if (!n)
			return false;
		s += n;
	}
	return !*s;
}

/* A number's text into j->s. */
static bool number(struct jread *j, const char *what, bool *integral)
{
	enum { LONGEST = 40 };
	int c = jr_peek(j);
	if (c != '-' && (c < '0' || c > '9'))
		return mismatch(j, what, "a number", c);
	sb_reset(&j->s);
	while ((j->pos < j->len || fill(j, 1)) && j->buf[j->pos] &&
	       strchr("0123456789+-.eE", j->buf[j->pos]) && j->s.len <= LONGEST)
		sb_addc(&j->s, (char)j->buf[j->pos++]);
	if (j->s.len > LONGEST || !json_number(j->s.buf, integral)) {
		jr_fail(j, "%s: '%.*s' is not a JSON number", what, LONGEST, j->s.buf);
		return false;
	}
	return true;
}

bool jr_int(struct jread *j, const char *what, long long min, long long max, long long *out)
{
	bool integral;
	if (!number(j, what, &integral))
		return false;
	errno = 0;
	long long v = strtoll(j->s.buf, NULL, 10);
	if (!integral || errno || v < min || v > max) {
		jr_fail(j, "%s must be a whole number from %lld to %lld, not %s", what, min, max,
			j->s.buf);
		return false;
	}
	*out = v;
	return true;
}

bool jr_num(struct jread *j, const char *what, double *out)
{
	bool integral;
	if (!number(j, what, &integral))
		return false;
	double v = strtod(j->s.buf, NULL);
	if (!isfinite(v)) {
		jr_fail(j, "%s must be a finite number, not %s", what, j->s.buf);
		return false;
	}
	*out = v;
	return true;
}

static bool keyword(struct jread *j, const char *word)
{
	size_t n = strlen(word);
	if (!fill(j, n) || memcmp(j->buf + j->pos, word, n)) {
		jr_fail(j, "not JSON here (not '%s')", word);
		return false;
	}
	j->pos += n;
	return true;
}

bool jr_bool(struct jread *j, const char *what, bool *out)
{
	int c = jr_peek(j);
	if (c != 't' && c != 'f')
		return mismatch(j, what, "true or false", c);
	*out = c == 't';
	return keyword(j, *out ? "true" : "false");
}

bool jr_skip(struct jread *j)
{
	int c = jr_peek(j), k;
	bool integral;
	switch (c) {
	case '{':
		if (!jr_obj(j, "a value"))
			return false;
		while ((k = jr_key(j)) > 0)
			if (!jr_skip(j))
				return false;
		return k == 0;
	case '[':
		if (!jr_arr(j, "a value"))
			return false;
		while ((k = jr_item(j)) > 0)
			if (!jr_skip(j))
				return false;
		return k == 0;
	case '"':
		return read_string(j);
	case 't':
		return keyword(j, "true");
	case 'f':
		return keyword(j, "false");
	case 'n':
		return keyword(j, "null");
	}
	return number(j, "a value", &integral);
}

bool jr_end(struct jread *j)
{
	int c = jr_peek(j);
	if (c >= 0)
		jr_fail(j, "more after the end of the JSON value: %s", kind_of(c));
	return !jr_failed(j);
}

#include "results/causes.h"

#include "os/proc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of a cause at most: a group's heading is one line. */
enum { CAUSE_MAX = 200 };

static bool word_byte(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* A byte of a file's or symbol's name (main.o, __libc_start_main). */
static bool name_byte(unsigned char c)
{
	return word_byte(c) || c == '.' || c == '-';
}

/* The rules rec's outputs break that its case does not expect, sorted,
 * each once, as "breaks R1, R2". */
static void add_rules(struct strbuf *sb, const struct record *rec)
{
	struct strvec rules = STRVEC_INIT;
	for (size_t i = 0; i < rec->nfindings; i++)
		if (!rec->findings[i].expected)
			sv_push_once(&rules, rec->findings[i].rule);
	sv_sort(&rules, 0);
	for (size_t i = 0; i < rules.n; i++)
		sb_addf(sb, "%s%s", i ? ", " : "breaks ", rules.v[i]);
	sv_clear(&rules);
}

/* The length of a quoted name at s (`x', 'x', "x", `x`), 0 where s opens
 * none on this line; an apostrophe in a word ("linker's") opens none. */
static size_t quoted_len(const char *s, const char *start)
{
	if (s > start && word_byte((unsigned char)s[-1]))
		return 0;
	char close = *s == '`' ? '\'' : *s;
	if (close != '\'' && close != '"')
		return 0;
	const char *end = strchr(s + 1, close);
	if (*s == '`' && !end)
		end = strchr(s + 1, '`');
	return end && !memchr(s, '\n', (size_t)(end - s)) ? (size_t)(end - s) + 1 : 0;
}

/* A path: a word of the message holding a slash. */
static size_t path_len(const char *s)
{
	size_t n = strcspn(s, " \t\n:;,()'\"`");
	return memchr(s, '/', n) ? n : 0;
}

/* A number standing alone: 42, 0x401000, 2.40, 16.0.6. */
static size_t number_len(const char *s, const char *start)
{
	if (!isdigit((unsigned char)*s) || (s > start && word_byte((unsigned char)s[-1])))
		return 0;
	size_t n = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 2 : 0;
	while (isxdigit((unsigned char)s[n]) || (s[n] == '.' && isdigit((unsigned char)s[n + 1])))
		n++;
	return word_byte((unsigned char)s[n]) ? 0 : n;
}

/* A place in code, symbol+0x1c: the symbol differs from case to case. */
static size_t code_place_len(const char *s, const char *start)
{
	if (s > start && name_byte((unsigned char)s[-1]))
		return 0;
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$@");
	if (!n || isdigit((unsigned char)*s) || strncmp(s + n, "+0x", 3))
		return 0;
	size_t k = number_len(s + n + 1, s);
	return k ? n + 1 + k : 0;
}

/* The file a message names its step by, as jobs say a step ("linking
 * OUT: exit 1: ..."): each case names its own, and "hello was not
 * written" is the bug "libanswer.so was not written" is. Allocated, or
 * NULL. */
static char *step_file(const char *msg)
{
	static const char *const verbs[] = { "linking ", "compiling ", "archiving " };
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		size_t n = strlen(verbs[i]);
		if (!strncmp(msg, verbs[i], n))
			return xstrndup(msg + n, strcspn(msg + n, ": \n"));
	}
	return NULL;
}

/* file as a whole name at s. */
static size_t file_len(const char *file, const char *s, const char *start)
{
	size_t n = file ? strlen(file) : 0;
	if (!n || (s > start && name_byte((unsigned char)s[-1])) || strncmp(s, file, n) ||
	    name_byte((unsigned char)s[n]))
		return 0;
	return n;
}

/* The first line of msg with what varies taken out (file: its step's),
 * cut at CAUSE_MAX. */
static void add_normalised(struct strbuf *sb, const char *file, const char *msg)
{
	size_t end = strcspn(msg, "\n"), start = sb->len;
	for (const char *s = msg; s < msg + end && sb->len - start <= CAUSE_MAX;) {
		size_t n;
		if ((n = file_len(file, s, msg)) != 0)
			sb_adds(sb, "{file}");
		else if ((n = code_place_len(s, msg)) != 0)
			sb_adds(sb, "{symbol}+N");
		else if (!strncmp(s, PROC_FROM_CACHE, strlen(PROC_FROM_CACHE)))
			n = strlen(PROC_FROM_CACHE);
		else if ((n = quoted_len(s, msg)) != 0)
			sb_adds(sb, "'...'");
		else if ((n = path_len(s)) != 0)
			sb_adds(sb, "{path}");
		else if ((n = number_len(s, msg)) != 0)
			sb_adds(sb, "N");
		else
			sb_addc(sb, *s), n = 1;
		s += n;
	}
	/* Cut at a character's first byte. */
	size_t cut = start + CAUSE_MAX;
	if (sb->len > cut) {
		while (cut > start && ((unsigned char)sb->buf[cut] & 0xc0) == 0x80)
			cut--;
		sb->buf[sb->len = cut] = 0;
	}
}

char *record_cause(const struct record *rec)
{
	if (!outcome_is_bad(rec->outcome))
		return NULL;
	if (rec->outcome == OUT_XPASS)
		return xstrdup("passed, but a known failure says it fails (XPASS)");
	struct strbuf sb = STRBUF_INIT;
	/* A FAIL and an ERROR (the harness could not judge the test) with one
	 * message are two causes: a group is of one outcome. */
	if (rec->stage)
		sb_addf(&sb, "%s%s: ", rec->outcome == OUT_TIMEOUT ? "timeout at "
				       : rec->outcome == OUT_ERROR ? "error at " : "",
			stage_name(rec->stage));
	else
		sb_addf(&sb, "%s: ", outcome_name(rec->outcome));
	size_t before = sb.len;
	add_rules(&sb, rec);
	const char *msg = rec->message ? rec->message : "";
	char *file = step_file(msg);
	if (sb.len == before)
		add_normalised(&sb, file, msg);
	free(file);
	if (sb.len == before)
		sb_adds(&sb, "(no message)");
	return sb_detach(&sb);
}

void causes_add(struct causes *c, const struct record *rec)
{
	char *cause = record_cause(rec);
	if (!cause)
		return;
	size_t k = 0;
	while (k < c->n && strcmp(c->v[k].cause, cause))
		k++;
	if (k == c->n) {
		c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
		c->v[c->n++] = (struct cause_group){ cause, rec->outcome, STRVEC_INIT };
	} else {
		free(cause);
	}
	sv_push(&c->v[k].ids, rec->id);
	c->tests++;
}

static int by_size(const void *a, const void *b)
{
	const struct cause_group *x = a, *y = b;
	if (x->ids.n != y->ids.n)
		return x->ids.n > y->ids.n ? -1 : 1;
	return strcmp(x->cause, y->cause);
}

void causes_sort(struct causes *c)
{
	if (c->n)
		qsort(c->v, c->n, sizeof *c->v, by_size);
}

void causes_free(struct causes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].cause);
		sv_clear(&c->v[i].ids);
	}
	free(c->v);
	*c = (struct causes){ 0 };
}

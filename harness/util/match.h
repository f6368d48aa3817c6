/* PCRE2 patterns, as cases, linkers and targets write them. Compiled once
 * at load time (so a bad pattern is a load error with its position);
 * matching is thread-safe. */
#ifndef LM_MATCH_H
#define LM_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

struct regex;

/* Multiline mode: ^ and $ match at line boundaries. On error returns NULL
 * and appends the message (with the offset into the pattern) to err. */
struct regex *regex_compile(const char *pattern, struct strbuf *err);
void regex_free(struct regex *re);
const char *regex_source(const struct regex *re);

/* True when re matches somewhere in subject. When cap1 is not NULL and the
 * pattern has a capture group 1 that matched, *cap1 receives a copy of it
 * (else NULL). */
bool regex_match(const struct regex *re, const char *subject, size_t len, char **cap1);

#endif

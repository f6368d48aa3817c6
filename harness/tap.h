/* TAP version 14: one test point per test, a YAML block for the ones
 * that did not pass, the plan at the end (tests finish in any order). */
#ifndef LM_TAP_H
#define LM_TAP_H

#include <stdio.h>

#include "plan.h"

void tap_header(FILE *f);
void tap_point(FILE *f, size_t n, const struct test *t);
void tap_plan(FILE *f, size_t n);

/* Appends s to sb as a YAML block scalar indented by `indent` spaces,
 * with bytes that YAML cannot carry replaced, cut after max bytes. */
void yaml_block(struct strbuf *sb, const char *s, size_t len, int indent, size_t max);

#endif

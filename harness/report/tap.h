/* TAP: one test point per test, a YAML block for the ones that did not
 * pass, the plan at the end (tests finish in any order). The stream uses
 * nothing beyond TAP 13 (no subtests), so it declares 13: TAP 14 readers
 * take it, and prove 3.44 (Debian 12) refuses a "TAP version 14" header. */
#ifndef LM_TAP_H
#define LM_TAP_H

#include "results/report.h"

#define TAP_HEADER "TAP version 13\n"

/* Appends test point n for r. */
void tap_point(struct strbuf *sb, size_t n, const struct record *r, const struct verdict_opts *v);
/* A whole TAP document from a report (merged reports, sorted order). */
void report_stream_tap(const struct report *r, struct report_sink *out);

/* Appends s to sb as a YAML block scalar indented by `indent` spaces,
 * with bytes that YAML cannot carry replaced, cut after max bytes. */
void yaml_block(struct strbuf *sb, const char *s, size_t len, int indent, size_t max);

#endif

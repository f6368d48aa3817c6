/* Which version changed it: the tests whose outcome differs across the
 * versions of one linker family in a report (lld, lld@13, lld@16, and a
 * build added as NAME=PATH), one line each, for the run's summary and the
 * page. */
#ifndef LM_VERSIONS_H
#define LM_VERSIONS_H

#include "results/report.h"

/* Appends "CASE:VARIANT TARGET: lld fails (at run) up to 15, passes from
 * 16\n" for each such test and family (SKIPs left out; a PASS or XPASS
 * passes, anything else fails), in report order. */
void report_version_changes(const struct report *r, struct strbuf *out);

#endif

/* Every report file of a run, from its report: results.json, junit.xml
 * and index.html, each written to a temporary file and renamed, so a
 * reader (or a full disk) never leaves a half-written one. */
#ifndef LM_REPORT_WRITE_H
#define LM_REPORT_WRITE_H

#include "report/report.h"

/* 0, or -1 with the first failure in err (the others are still tried). */
int reports_write(const char *dir, const struct report *r, struct strbuf *err);

#endif

/* report/: the last stage: what people and CI read, made from results
 * only: TAP, JUnit XML, the HTML page, results.json written with the
 * others (this file), and the console's progress and summary.
 * May use: util, yaml, os, elf, load, plan, jobs, results.
 *
 * Every report file of a run, from its report: results.json, junit.xml,
 * junit-ant.xml, results.tap and index.html, each streamed a record at a
 * time to a temporary file and renamed, so a reader (or a full disk) never
 * leaves a half-written one, and a big run needs no copy of a whole file. */
#ifndef LM_REPORT_WRITE_H
#define LM_REPORT_WRITE_H

#include "results/report.h"

/* 0, or -1 with the first failure in err (the others are still tried). */
int reports_write(const char *dir, const struct report *r, struct strbuf *err);

#endif

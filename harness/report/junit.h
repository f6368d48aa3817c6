/* The JUnit XML reports from a report: junit.xml for CI readers,
 * junit-ant.xml in Ant's format (junit.c says how they differ). */
#ifndef LM_REPORT_JUNIT_H
#define LM_REPORT_JUNIT_H

#include "results/report.h"

void report_stream_junit(const struct report *r, struct report_sink *out);
void report_stream_junit_ant(const struct report *r, struct report_sink *out);

#endif

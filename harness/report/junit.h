/* junit.xml from a report. */
#ifndef LM_REPORT_JUNIT_H
#define LM_REPORT_JUNIT_H

#include "results/report.h"

void report_stream_junit(const struct report *r, struct report_sink *out);

#endif

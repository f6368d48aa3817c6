/* The results.json reader of report merge, report compare and run
 * --failed: JSON bytes in, a report or a one-line reason out. */
#include "fuzz.h"
#include "results/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct report r;
	struct strbuf err = STRBUF_INIT;
	if (report_read_json(&r, fuzz_file(0, data, n), &err) == 0)
		report_free(&r);
	sb_free(&err);
	return 0;
}

/* The results.json reader of report merge, report compare and run
 * --failed: JSON bytes in, the run's fields and each record as it is
 * read, or a one-line reason, out. */
#include "fuzz.h"
#include "results/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct report r;
	struct strbuf err = STRBUF_INIT;
	if (report_open_json(&r, fuzz_file(0, data, n), &err) == 0) {
		struct record_iter it;
		for (const struct record *rec = report_first(&it, &r); rec; rec = report_next(&it))
			;
		report_iter_end(&it);
		report_json_done(&r, &err);
		report_free(&r);
	}
	sb_free(&err);
	return 0;
}

/* The case loader: YAML bytes in, a case or diagnostics out, never a
 * crash, a leak or undefined behaviour. */
#include "fuzz.h"
#include "load/case.h"
#include "yaml/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const char *const names[] = { "bfd", "gold", "lld", "mold", "wild" };
	static const struct slist linkers = { (const char **)names, 5 };
	struct diags d = { 0 };
	struct lcase *c = case_load(fuzz_file(0, data, n), &linkers, &d);
	case_free(c);
	diag_free(&d);
	return 0;
}

/* The case loader: YAML bytes in, a case or diagnostics out, never a
 * crash, a leak or undefined behaviour; and no case loads with a name
 * outside the grammar of load/case.h (a name that could leave the run's
 * directory or be read as anything but data). */
#include <stdlib.h>

#include "fuzz.h"
#include "load/case.h"
#include "yaml/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

static void names_hold(const struct lcase *c)
{
	bool ok = name_is_word(c->name);
	for (size_t i = 0; i < c->nvariants; i++)
		ok &= name_is_word(c->variants[i].name);
	for (size_t i = 0; i < c->tags.n; i++)
		ok &= name_is_word(c->tags.v[i]);
	for (size_t i = 0; i < c->nfiles; i++)
		ok &= name_is_file(c->files[i].name, false);
	for (size_t i = 0; i < c->nsteps; i++)
		ok &= name_is_file(c->steps[i].output, true);
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const char *const names[] = { "bfd", "gold", "lld", "mold", "wild" };
	static const struct slist linkers = { (const char **)names, 5 };
	struct diags d = { 0 };
	struct lcase *c = case_load(fuzz_file(0, data, n), &linkers, &d);
	if (c)
		names_hold(c);
	case_free(c);
	diag_free(&d);
	return 0;
}

/* The ELF diff: two files in (the first two bytes give the first one's
 * length, the rest is the second), a diff or a one-line reason out. */
#include "elf/diff.h"
#include "fuzz.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	if (n < 2)
		return 0;
	size_t a = ((size_t)data[0] | (size_t)data[1] << 8) % (n - 1);
	char *paths[2] = { (char *)fuzz_file(0, data + 2, a),
			   (char *)fuzz_file(1, data + 2 + a, n - 2 - a) };
	struct elf_diff d;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	if (elf_diff_files(paths, 2, NULL, false, &d, &err) == 0) {
		elf_diff_text(&d, 0, &out);
		struct json j;
		json_init(&j, &out, false);
		elf_diff_json(&d, &j);
		elf_diff_free(&d);
	}
	sb_free(&out);
	sb_free(&err);
	return 0;
}

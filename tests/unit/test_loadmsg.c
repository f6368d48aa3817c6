/* The loader refusals a failed run is explained by, as each loader
 * words them (glibc and musl seen here; the others from their sources). */
#include <stdlib.h>
#include <string.h>

#include "jobs/loadmsg.h"
#include "tap.h"

static void found(const char *err, const char *line, const char *who)
{
	const char *w = NULL;
	char *m = loader_message(err, strlen(err), &w);
	is_str(m, line, line);
	is_str(w, who, "  by its loader");
	free(m);
}

int main(void)
{
	tap_start();
	found("./d-mold: error while loading shared libraries: ./d-mold: DT_RELR without "
	      "GLIBC_ABI_DT_RELR dependency\n",
	      "./d-mold: error while loading shared libraries: ./d-mold: DT_RELR without "
	      "GLIBC_ABI_DT_RELR dependency", "glibc ld.so");
	found("some output\n./nl: error while loading shared libraries: libnf.so: cannot open "
	      "shared object file: No such file or directory\n",
	      "./nl: error while loading shared libraries: libnf.so: cannot open shared object "
	      "file: No such file or directory", "glibc ld.so");
	found("./main: symbol lookup error: ./main: undefined symbol: f\n",
	      "./main: symbol lookup error: ./main: undefined symbol: f", "glibc ld.so");
	found("Error relocating ./main: f: symbol not found", "Error relocating ./main: f: symbol not found",
	      "musl ld.so");
	found("ld.so.1: main: fatal: libfoo.so: open failed: No such file or directory\n",
	      "ld.so.1: main: fatal: libfoo.so: open failed: No such file or directory",
	      "illumos ld.so.1");
	found("/libexec/ld-elf.so.1: Shared object \"libfoo.so\" not found, required by \"main\"\n",
	      "/libexec/ld-elf.so.1: Shared object \"libfoo.so\" not found, required by \"main\"",
	      "FreeBSD rtld");
	found("qemu-aarch64: Could not open '/lib/ld-nowhere.so.1': No such file or directory\n",
	      "qemu-aarch64: Could not open '/lib/ld-nowhere.so.1': No such file or directory",
	      "qemu-user, loading the interpreter");
	const char *w = NULL;
	ok(!loader_message("assertion failed: x == 1\n", 25, &w), "a program's own error is no refusal");
	ok(!loader_message("", 0, &w), "nor is silence");
	return tap_done();
}

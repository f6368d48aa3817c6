/* What a porter looks at first when a program will not start, from our
 * own ELF model, so no readelf or elfdump is needed on either side: the
 * header, the interpreter, the program headers and the dynamic section,
 * each value read as its tag says (strings, sizes, flags, addresses). */
#ifndef LM_ELF_SHOW_H
#define LM_ELF_SHOW_H

#include "elf/model.h"

void elf_show(const struct elf_file *f, struct strbuf *sb);
/* 0, or -1 with "path: reason" in sb. */
int elf_show_file(const char *path, struct strbuf *sb);

#endif

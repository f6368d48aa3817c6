/* What the fuzz targets share: the input as a file the harness's readers
 * open by name (they read files, as they do in runs), in memory. */
#ifndef LM_FUZZ_H
#define LM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* A name for data[0..n), valid until the next call from this thread
 * (slot 0 or 1: the diff target needs two at once). */
const char *fuzz_file(int slot, const uint8_t *data, size_t n);

#endif

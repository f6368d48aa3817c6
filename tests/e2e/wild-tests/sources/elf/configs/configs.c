//#AbstractConfig:base
//#Object:runtime.c
//#CompArgs:-DOFFSET=40

//#Config:one:base
//#Variant:2

//#Config:two:base
//#CompArgs:-DOFFSET=38
//#Variant:4

#include "../common/runtime.h"

// Each config passes only with its own OFFSET and VARIANT, and with the
// runtime it inherits from base.
void _start(void) {
  runtime_init();
  exit_syscall(OFFSET + VARIANT);
}

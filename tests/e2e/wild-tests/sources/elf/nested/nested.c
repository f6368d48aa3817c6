//#Mode:dynamic
//#Object:runtime.c
//#Shared:nested-1.c
//#Shared:nested-2.c

#include "../common/runtime.h"

int one(void);

void _start(void) {
  runtime_init();
  exit_syscall(one() + 40);
}

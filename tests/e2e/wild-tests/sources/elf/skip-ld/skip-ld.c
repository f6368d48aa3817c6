//#Object:runtime.c
//#SkipLinker:ld

#include "../common/runtime.h"

void _start(void) {
  runtime_init();
  exit_syscall(42);
}

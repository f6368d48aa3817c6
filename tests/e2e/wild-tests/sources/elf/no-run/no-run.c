//#Object:runtime.c
//#RunEnabled:false

#include "../common/runtime.h"

// Not 42: the test passes only because it is not run.
void _start(void) {
  runtime_init();
  exit_syscall(7);
}

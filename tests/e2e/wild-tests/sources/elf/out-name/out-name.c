//#AbstractConfig:base
//#Object:runtime.c

//#Config:named:base
//#LinkArgs:-o out-name.custom -z now

//#Config:dev_null:base
//#LinkArgs:-o /dev/null
//#RunEnabled:false

#include "../common/runtime.h"

void _start(void) {
  runtime_init();
  exit_syscall(42);
}

//#Mode:dynamic
//#Object:runtime.c
//#Shared:late-archive-so.c
//#Archive:late-archive-ar.c
//#ExpectSym:ar_fn binding=global

#include "../common/runtime.h"

int ar_fn(void);
int so_fn(void);

void _start(void) {
  runtime_init();
  exit_syscall(ar_fn() + so_fn());
}

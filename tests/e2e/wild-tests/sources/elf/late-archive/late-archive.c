//#Mode:dynamic
//#Object:runtime.c
//#Shared:late-archive-so.c
//#Archive:late-archive-ar.c
//#Object:late-archive-obj.c:-DOBJ_VALUE=0
//#ExpectSym:ar_fn binding=global

#include "../common/runtime.h"

int ar_fn(void);
int so_fn(void);
int obj_fn(void);

void _start(void) {
  runtime_init();
  exit_syscall(ar_fn() + so_fn() + obj_fn());
}

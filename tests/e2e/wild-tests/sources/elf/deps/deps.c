//#Object:runtime.c
//#Object:deps-obj.c
//#Archive:deps-archive.c
//#Shared:deps-shared.c
//#Mode:dynamic
//#ExpectDynamic:DT_NEEDED
//#NoDynamic:DT_TEXTREL
//#ExpectDynSym:shared_fn

#include "../common/runtime.h"

int obj_fn(void);
int archive_fn(void);
int shared_fn(void);

void _start(void) {
  runtime_init();
  exit_syscall(obj_fn() + archive_fn() + shared_fn());
}

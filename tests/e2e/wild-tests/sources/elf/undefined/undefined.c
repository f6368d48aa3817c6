//#Object:runtime.c
//#ExpectError:undefined (reference to|symbol).*missing_fn

#include "../common/runtime.h"

int missing_fn(void);

void _start(void) {
  runtime_init();
  exit_syscall(missing_fn());
}

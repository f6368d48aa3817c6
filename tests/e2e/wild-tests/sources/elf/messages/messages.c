//#Object:runtime.c
//#LinkArgs:-z now --trace
//#ExpectMessage:messages\.o
//#ExpectWarning:^$
//#EnableLinker:lld
//#ExpectSectionBytes:.data=0x2a000000

#include "../common/runtime.h"

int answer = 42;

void _start(void) {
  runtime_init();
  exit_syscall(answer);
}

//#Object:runtime.c
// answer is data: this expectation fails with every linker.
//#ExpectSym:answer section=".text"

#include "../common/runtime.h"

int answer = 42;

void _start(void) {
  runtime_init();
  exit_syscall(answer);
}

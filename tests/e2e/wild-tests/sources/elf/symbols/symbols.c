//#Object:runtime.c
//#CompArgs:-ffunction-sections -fdata-sections
//#LinkArgs:-z now -z max-page-size=0x4000
//#ExpectSym:_start section=".text"
//#ExpectSym:answer section=".data",binding=global
//#NoSym:unused_function
//#ExpectComment:GCC: (*
//#ExpectLoadAlignment:0x4000

#include "../common/runtime.h"

int answer = 42;

// Nothing calls it: --gc-sections drops it, and its symbol with it.
int unused_function(void) { return 1; }

void _start(void) {
  runtime_init();
  exit_syscall(answer);
}

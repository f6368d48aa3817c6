//#Object:runtime.c
//#EnableLinker:lld
//#DiffIgnore:section.got
//#WildExtraLinkArgs:--no-fork
//#Contains:reported
//#ExpectSym:answer section=".data",size=4
//#DiffMatchAny:true

#include "../common/runtime.h"

int answer = 42;

void _start(void) {
  runtime_init();
  exit_syscall(answer);
}

//#AbstractConfig:base
//#Object:runtime.c

//#Config:thin:base
//#ThinArchive:prebuilt-member.c
//#Archive:empty.a

//#Config:whole:base
//#LinkArgs:--whole-archive
//#Archive:prebuilt-member.c

//#Config:missing:base
//#Object:/does/not/exist.o
//#ExpectError:exist

#include "../common/runtime.h"

int member_fn(void);

void _start(void) {
  runtime_init();
  exit_syscall(member_fn());
}

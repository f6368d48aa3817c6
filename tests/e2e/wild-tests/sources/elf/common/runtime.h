// The runtime of the tests: no libc, so the tests define _start and end
// with an exit system call, as Wild's tests do.
#ifndef RUNTIME_H
#define RUNTIME_H

void runtime_init(void);
void exit_syscall(int exit_code);

#endif

/* A dynamic loader's refusal in a program's stderr: the program never ran
 * its own code, and the loader's words are the reason to show. */
#ifndef LM_LOADMSG_H
#define LM_LOADMSG_H

#include <stddef.h>

/* The first line of err (len bytes) a loader wrote, copied, or NULL;
 * *who names the loader ("glibc ld.so"). */
char *loader_message(const char *err, size_t len, const char **who);

#endif

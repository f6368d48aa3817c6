/* What outlives a child: its descendants that leave its process group
 * (setsid, a daemon's double fork) and run on after it.
 *
 * On Linux the harness is a subreaper (PR_SET_CHILD_SUBREAPER): an orphan
 * among its descendants becomes its child, which reaper_children() lists,
 * so proc_run() can kill and reap every child it did not start; and each
 * child it starts is killed with the harness (PR_SET_PDEATHSIG), so a
 * SIGKILLed or OOM-killed harness leaves no test program running without
 * its timeout. Elsewhere neither exists: a child's process group is
 * killed when it ends and on an interrupt, and a descendant that left the
 * group, or a child of a harness that was SIGKILLed, runs on. */
#ifndef LM_REAPER_H
#define LM_REAPER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Once, at start: whether orphans will be the harness's (false: not here). */
bool reaper_init(void);
/* In a child before exec: die with the harness. Async-signal-safe. */
void reaper_child(pid_t harness);
/* Up to max of the harness's children that orphans are given to (zombies
 * too); 0 where they cannot be listed. */
size_t reaper_children(pid_t *out, size_t max);
/* Whether the child pid is a daemon the harness keeps: its command line
 * or its environment holds one of the n markers. (An environment variable
 * alone would not do: ssh's ControlPersist master writes its title over
 * both; the title names its control socket.) */
bool reaper_kept(pid_t pid, char *const *markers, size_t n);

#endif

/* The `linkmatrix elf` commands. */
#ifndef LM_ELFCMD_H
#define LM_ELFCMD_H

int cmd_elf(int argc, char **argv);

#endif

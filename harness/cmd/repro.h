/* linkmatrix repro CASE[:VARIANT] --linker L [--target T] [-o DIR]: a
 * directory with the case's files and repro.sh, which replays the test's
 * compile, link, run and checks without linkmatrix. */
#ifndef LM_REPRO_H
#define LM_REPRO_H

int cmd_repro(int argc, char **argv);

#endif

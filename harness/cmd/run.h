/* `linkmatrix run`: load, plan, run the jobs, report. */
#ifndef LM_RUN_H
#define LM_RUN_H

int cmd_run(int argc, char **argv);

#endif

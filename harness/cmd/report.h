/* The `linkmatrix report` commands. */
#ifndef LM_REPORT_CMD_H
#define LM_REPORT_CMD_H

int cmd_report(int argc, char **argv);

#endif

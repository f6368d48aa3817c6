/* linkmatrix import wild DIR -o OUTDIR: the tests of the Wild linker (its
 * NAME/NAME.c sources with //#Directive:args lines) as case files, one per
 * config; what linkmatrix cannot express is reported (docs/import-wild.md). */
#ifndef LM_IMPORT_H
#define LM_IMPORT_H

int cmd_import(int argc, char **argv);

#endif

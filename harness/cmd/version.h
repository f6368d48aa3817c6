/* The harness's version, in reports and `linkmatrix version`. */
#ifndef LM_VERSION_H
#define LM_VERSION_H

#ifndef LM_VERSION
#define LM_VERSION "0.1.0"
#endif

#endif

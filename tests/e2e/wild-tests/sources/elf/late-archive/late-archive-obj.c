// Compiled with its own flags, linked after the shared object.
#ifndef OBJ_VALUE
#error Object:late-archive-obj.c's own flags were not given
#endif
int obj_fn(void) { return OBJ_VALUE; }

//#Shared:nested-2.c

// A shared object that links another: its source's Shared: directive.
int two(void);
int one(void) { return two(); }

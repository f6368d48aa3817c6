//#LinkArgs:-shared -z now
//#RunDynSym:call_me
//#ExpectDynSym:call_me

// The output is a shared object, loaded and called as Wild's runner
// does: it must return 42.
int call_me(void) { return 42; }

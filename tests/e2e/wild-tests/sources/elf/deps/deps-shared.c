//#CompArgs:-O1
int shared_fn(void) { return 12; }

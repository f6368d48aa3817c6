int ar_fn(void) { return 40; }

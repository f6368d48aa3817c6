int so_fn(void) { return 2; }

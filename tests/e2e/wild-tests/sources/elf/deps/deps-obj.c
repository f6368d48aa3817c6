int obj_fn(void) { return 10; }

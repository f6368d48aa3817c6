int member_fn(void) { return 42; }

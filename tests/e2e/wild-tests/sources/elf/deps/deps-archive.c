int archive_fn(void) { return 20; }

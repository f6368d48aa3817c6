//#LinkerDriver:gcc

int main(void) { return 42; }

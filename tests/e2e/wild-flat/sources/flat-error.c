//#LinkerDriver:gcc
//#ExpectError:(.text+0x

int missing_fn(void);

int main(void) { return missing_fn(); }

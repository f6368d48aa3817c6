//#LinkerDriver:gcc
//#Archive:flat-deps1.c
//#ExpectSym:dep_fn section=".text"

int dep_fn(void);

int main(void) { return dep_fn(); }

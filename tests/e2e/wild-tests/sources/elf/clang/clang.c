//#AbstractConfig:base
//#RequiresGlibc:true

//#Config:cc:base
//#Compiler:clang
//#LinkerDriver:gcc
//#CompArgs:-DWANT_CLANG

//#Config:driver:base
//#LinkerDriver:clang

//#Config:refused:base
//#LinkerDriver:gcc
//#RequiresCompilerFlags:-mlinkmatrix-no-such-flag

// Compiled by clang where the config says so, and linked by the driver it
// names.
int main(void) {
#if defined(WANT_CLANG) && !defined(__clang__)
  return 1;
#endif
  return 42;
}

//#LinkerDriver:gcc
//#LinkArgs:-Wl,-z,now -Wl,--version-script=./driver-gcc.map
//#RequiresGlibc:true

int main(void) { return 42; }

//#Config:a
//#Config:b:nosuch

void _start(void) {}

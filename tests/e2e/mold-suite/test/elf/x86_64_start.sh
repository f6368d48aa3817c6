#!/bin/bash
# The host's own when it is x86-64: ./mold links a static program.
. $(dirname $0)/common.inc

[ $MACHINE = x86_64 ] || skip

cat <<EOF | $CC -c -o $t/a.o -xassembler -
.globl _start
_start:
  mov \$60, %eax
  mov \$42, %edi
  syscall
EOF
./mold -static -o $t/exe $t/a.o
$t/exe || [ $? = 42 ]

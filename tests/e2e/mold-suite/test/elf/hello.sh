#!/bin/bash
# Passes with every linker: each name a script may call runs the linker
# under test, -B. links with it, and stdin is empty.
. $(dirname $0)/common.inc

./ld --version | head -n 1 > $t/ld
for name in mold ld.mold ld.lld ld.bfd ld.gold; do
  ./$name --version | head -n 1 | cmp - $t/ld
done
grep -E -q 'GNU ld|GNU gold|LLD|mold|Wild' $t/ld

cat <<EOF | $CC -c -o $t/a.o -xc -
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
EOF
$CC -B. -o $t/exe $t/a.o
$t/exe | grep -q '^hello$'
! read -r line

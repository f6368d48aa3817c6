#!/bin/bash
# Fails at line 9 with every linker but mold, after a trace longer than
# what results.json keeps of a command's output.
. $(dirname $0)/common.inc

for i in $(seq 3000); do :; done
./mold --version > $t/version
cat $t/version
grep -q '^mold ' $t/version

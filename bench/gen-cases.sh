#!/bin/sh
# N generated cases in DIR, for the benchmarks: case i has a static library
# member, a shared library that uses it and prints, and a program linked
# against the shared library; its output is checked.
#
#   bench/gen-cases.sh N DIR
set -eu
N=$1
D=$2
mkdir -p "$D"
i=0
while [ "$i" -lt "$N" ]; do
	cat >"$D/gen$i.yaml" <<Y
name: gen$i
files:
  util.c: |
    int util$i(int x) { return x * $((i % 7 + 2)); }
  lib.c: |
    #include <stdio.h>
    int util$i(int x);
    void greet$i(void) { printf("ok %d\\n", util$i($i)); }
  main.c: |
    void greet$i(void);
    int main(void) { greet$i(); return 0; }
build:
  - output: libutil.a
    mode: archive
    inputs: [util.c]
  - output: libgreet.so
    mode: shared
    inputs: [lib.c, libutil.a]
  - output: main
    inputs: [main.c, libgreet.so]
run:
  - args: [main]
    expect: { exit: 0, stdout: '^ok $((i * (i % 7 + 2)))\$' }
Y
	i=$((i + 1))
done


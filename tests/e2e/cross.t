#!/bin/sh
# A target of another arch: Debian's cross GCC, each linker as that arch
# needs it (GNU ld and gold: their cross binaries; lld and mold: the same
# ones), programs run under qemu-user.
. "$(dirname "$0")/lib/tap.sh"

"$LINKMATRIX" targets >"$TMP/t" 2>&1
check "a target the compiler cannot link for says why (i686 without multilib) or is usable" \
	sh -c "grep -A1 '^i686-linux-gnu ' '$TMP/t' | grep -Eq 'usable  linux|not usable: gcc cannot link a program for it: .+'"

if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
	for n in 1 2 3 4 5 6 7; do ok 0 "# SKIP aarch64-linux-gnu-gcc or qemu-aarch64 is not installed"; done
	done_testing
	exit
fi
"$LINKMATRIX" linkers >"$TMP/out" 2>&1
check "GNU ld for aarch64 is the cross binary" has "$TMP/out" '^ +[0-9.]+ +/usr/bin/aarch64-linux-gnu-ld\.bfd \(for aarch64-linux-gnu\)$'
"$LINKMATRIX" targets >"$TMP/out" 2>&1
check "the aarch64 target is usable, its glibc version read from the sysroot" \
	has "$TMP/out" '^aarch64-linux-gnu +usable .*runner qemu-user.*profile linux-glibc-[0-9]+\.[0-9]+'

R=$TMP/reports
"$LINKMATRIX" run -j2 --keep --report "$R" --target aarch64-linux-gnu "$E2E/cases/good/hello.yaml" \
	"$E2E/cases/good/shared-lib.yaml" >"$TMP/out" 2>&1
ok $? "hello and a shared library for aarch64 with every linker: exit 0"
check "GNU ld (cross) passes under qemu" has "$TMP/out" '^PASS +hello:default aarch64-linux-gnu bfd'
check "lld passes" has "$TMP/out" '^PASS +hello:static aarch64-linux-gnu lld'
check "the links ran the aarch64 binaries" has "$R/latest/results.json" 'shims/bfd/for-aarch64-linux-gnu/'
check "the program's environment goes to qemu with -E, not to qemu itself" \
	has "$R/latest/results.json" '"command": "qemu-aarch64 -L /usr/aarch64-linux-gnu -E LD_LIBRARY_PATH=[^ ]+ ./main"'

done_testing

#!/bin/sh
# Wild, the fifth linker, as configure --install-deps installs it (cargo):
# found where cargo puts it, proven by its .comment mark, and the bundled
# matrix with it green: each failure of Wild's recorded as expect-failure
# with what was observed, nothing of Wild's a fake pass.
. "$(dirname "$0")/lib/tap.sh"

if [ -z "$WILD" ]; then
	ok 0 "# SKIP Wild is not installed (./configure --install-deps installs it with cargo, given rustc 1.94 or later)"
	done_testing
	exit
fi
# lib/tap.sh hid it; the variable names it, as a user's own build would be.
LINKMATRIX_LINKER_WILD=$WILD "$LINKMATRIX" linkers >"$TMP/linkers" 2>&1
check "Wild found, with its version" has "$TMP/linkers" "^wild +0\.[0-9]+\.[0-9]+ +$WILD"

R=$TMP/reports
LINKMATRIX_LINKER_WILD=$WILD "$LINKMATRIX" run -j2 --report "$R" --linker wild "$LM_SRCDIR/cases" >"$TMP/out" 2>&1
ok $? "the bundled matrix with Wild: exit 0, every failure recorded"
check "  tests ran and passed" sh -c "grep -Eq '^linkmatrix: [0-9]+ tests: [1-9][0-9]* PASS, 0 FAIL, [1-9][0-9]* XFAIL, 0 XPASS' '$TMP/out'"
check "  each pass proven by Wild's .comment mark (nothing failed at proof)" \
	sh -c "! grep -q '\[proof\]' '$TMP/out'"
check "  Wild's static TLS named by the loader rule" \
	has "$R/latest/results.tap" "message: .*main breaks glibc-static-tls-aligned"
done_testing

#!/bin/sh
# run --failed: exactly what failed, errored or passed unexpectedly in the
# latest run (or a given results.json) runs again, nothing else; a fixed
# failure drops out; "nothing failed" ends it.
. "$(dirname "$0")/lib/tap.sh"

C=$TMP/cases
mkdir -p "$C"
cp "$E2E/cases/good/hello.yaml" "$E2E/cases/good/shared-lib.yaml" "$E2E/cases/link-fail/undefined.yaml" "$C/"
cat >"$C/typo.yaml" <<'Y'
name: typo
build:
  - output: main
    inputs: [main.c]
    ldflag: []
files:
  main.c: 'int main(void) { return 0; }'
Y
R=$TMP/reports
# The linkers Debian packages, by name: the lld of each other version too
# would be a test of its own.
"$LINKMATRIX" run -j2 --report "$R" --linker bfd,gold,lld,mold "$C" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a run with failures and a broken file: exit 1"
cp "$R/latest/results.json" "$TMP/first.json"

"$LINKMATRIX" run -j2 --report "$R" --failed >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "--failed: exit 1, they still fail"
check "the failed links run again, with every linker that failed" \
	sh -c "[ \$(grep -Ec '^FAIL +undefined:default x86_64-linux-gnu' '$TMP/out') -eq 4 ]"
check "the broken file is loaded again" has "$TMP/out" '^ERROR +.*typo.yaml \[load\]'
check "nothing that passed runs again, not even as SKIP" sh -c "! grep -Eq '^(PASS|SKIP)' '$TMP/out'"
check "one build, compiled once" has "$TMP/out" '^linkmatrix: 1 builds .* 1 compiler runs'

# Fix both: the failure and the broken file drop out, the fix is run.
sed -i 's/^    int missing(void);/    int missing(void) { return 0; }/' "$C/undefined.yaml"
sed -i 's/^    ldflag: \[\]/    ldflags: []/' "$C/typo.yaml"
"$LINKMATRIX" run -j2 --report "$R" --failed >"$TMP/out" 2>&1
ok $? "after the fixes, --failed: exit 0"
check "the fixed link passes with every linker" \
	sh -c "[ \$(grep -Ec '^PASS +undefined:default x86_64-linux-gnu' '$TMP/out') -eq 4 ]"
check "the fixed case file runs whole" has "$TMP/out" '^PASS +typo:default x86_64-linux-gnu mold'
"$LINKMATRIX" run -j2 --report "$R" --failed >"$TMP/out" 2>&1
ok $? "--failed when nothing failed: exit 0"
check "and it says so" has "$TMP/out" '^linkmatrix: nothing failed in .*/latest/results.json$'

# From a given results.json, limited by --linker.
"$LINKMATRIX" run -j2 --report "$R" --failed-from "$TMP/first.json" --linker lld >"$TMP/out" 2>&1
ok $? "--failed-from an older run's results with --linker lld: exit 0"
check "only lld's test of what failed then" \
	sh -c "grep -Eq '^PASS +undefined:default x86_64-linux-gnu lld' '$TMP/out' && ! grep -q '^PASS .* hello:' '$TMP/out' && [ \$(grep -c '^PASS' '$TMP/out') -eq 2 ]"
"$LINKMATRIX" run -j2 --report "$R" --failed-from "$TMP/no-such.json" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "--failed-from a missing file: exit 2"
check "naming it" has "$TMP/out" 'no-such.json'

done_testing

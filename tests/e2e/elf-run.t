#!/bin/sh
# Loader rules and ELF expectations in runs: the target's own profile,
# --check-profile for another OS, `elf:` expectations, expected findings.
. "$(dirname "$0")/lib/tap.sh"

R=$TMP/reports
C=$E2E/cases/elf
"$LINKMATRIX" run -j2 --report "$R" "$C/static.yaml" >"$TMP/out" 2>&1
ok $? "without --check-profile (linux-glibc here): static programs pass"
check "the structural expectations hold for GNU ld" has "$TMP/out" '^PASS +elf-static:default x86_64-linux-gnu bfd'
check "and for lld" has "$TMP/out" '^PASS +elf-static:default x86_64-linux-gnu lld'
"$LINKMATRIX" run -j2 --report "$R" "$C/finding.yaml" >"$TMP/out" 2>&1
check "an expected finding the profile does not check is missing: elf-expect" \
	has "$TMP/out" '^FAIL +elf-finding:default x86_64-linux-gnu lld \[elf-expect\]: main: finding illumos-needs-dt-hash: the file does not break that rule'

"$LINKMATRIX" run -j2 --report "$R" --check-profile illumos "$C" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "--check-profile illumos: exit 1"
check "lld's static program breaks illumos-phdr-needs-interp, said at once" \
	has "$TMP/out" '^FAIL +elf-static:default x86_64-linux-gnu lld \[elf-rule\]: main breaks illumos-phdr-needs-interp \[illumos\]: PT_PHDR \(program header 0\) without PT_INTERP; the illumos kernel sends SIGKILL during exec'
check "and how it ran here" has "$TMP/out" 'elf-static:default x86_64-linux-gnu mold \[elf-rule\].*; on this host, main: exit 0$'
check "GNU ld's static program has no PT_PHDR: PASS" has "$TMP/out" '^PASS +elf-static:default x86_64-linux-gnu bfd'
check "an expected finding is no failure" has "$TMP/out" '^PASS +elf-finding:default x86_64-linux-gnu mold'
check "a Linux program checked as if on illumos is not faulted for its Linux interpreter" \
	sh -c "! grep -q 'illumos-interp-path' '$TMP/out' '$R/latest/results.json'"
check "a failed expectation names what it expected and found" \
	has "$TMP/out" '^FAIL +elf-expectations:default x86_64-linux-gnu gold \[elf-expect\]: main: section .no-such-section: absent \(and more\)'
check "the findings are in the TAP diagnostics" has "$R/latest/results.tap" '^      consequence: "the illumos kernel sends SIGKILL'
check "every failed expectation is in the detail" has "$R/latest/results.tap" '^    finding illumos-needs-dt-hash: the file does not break that rule$'
prove --exec cat "$R/latest/results.tap" >"$TMP/prove" 2>&1
check "prove reads the diagnostics of failures without a parse error" \
	sh -c "grep -q 'Tests=18' '$TMP/prove' && ! grep -Eq 'uninitialized|Parse errors' '$TMP/prove'"

"$LINKMATRIX" run -j2 --report "$R" --check-profile solaris "$C" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "an unknown profile is a usage error (exit 2)"
check "naming the profiles there are" has "$TMP/out" "unknown loader profile 'solaris'"

"$LINKMATRIX" targets >"$TMP/out" 2>&1
check "the native target's profile carries the detected glibc version" \
	has "$TMP/out" '^x86_64-linux-gnu .* profile linux-glibc-[0-9]+\.[0-9]+'

done_testing

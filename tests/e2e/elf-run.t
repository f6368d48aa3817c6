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
	sh -c "grep -Eq 'Tests=[1-9]' '$TMP/prove' && ! grep -Eq 'uninitialized|Parse errors' '$TMP/prove'"

"$LINKMATRIX" run -j2 --report "$R" --check-profile solaris "$C" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "an unknown profile is a usage error (exit 2)"
check "naming the profiles there are" has "$TMP/out" "unknown loader profile 'solaris'"

# Values, sizes, offsets in a section, a section's bytes, strings held.
V=$E2E/cases/values
"$LINKMATRIX" run -j2 --linker bfd,lld --report "$R" "$V" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "symbol values, section bytes, strings held: exit 1 for the wrong ones"
check "the right ones hold for GNU ld" has "$TMP/out" '^PASS +elf-values:default x86_64-linux-gnu bfd'
check "and for lld" has "$TMP/out" '^PASS +elf-values:default x86_64-linux-gnu lld'
for want in "symbol first \\(symtab\\): value 0x[0-9a-f]+, expected 0x1" \
	"symbol second \\(symtab\\): size 4, expected 2" \
	"symbol second \\(symtab\\): at offset 0x4 of .lm_data, expected 0x8" \
	"section .lm_data: bytes 2a0000002b000000 \(8\), expected 2a000000 \(4\)" \
	"bytes: the file does not contain 'lm-never-written'" \
	"bytes: the file contains 'lm-kept-marker', expected not"; do
	check "the wrong one fails: $want" has "$R/latest/results.tap" "^    $want$"
done
printf 'name: x\nfiles: { a.c: "int main(void){return 0;}" }\nbuild: [{ output: a, inputs: [a.c] }]\nelf: [{ file: a, expect: [{ section: { name: .data, bytes: 2a0 } }] }]\n' >"$TMP/odd.yaml"
"$LINKMATRIX" validate "$TMP/odd.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "an odd number of hex digits is refused"
check "where it stands" has "$TMP/out" "odd.yaml:4:38: .*a section's bytes are pairs of hex digits, not '2a0'"

# loaded: false, a test of the link alone: its findings are kept, not failed.
"$LINKMATRIX" run -j2 --linker lld --report "$TMP/u" "$E2E/cases/unloaded" >"$TMP/out" 2>&1
check "a loaded program that breaks illumos' rule fails" has "$TMP/out" \
	'^FAIL +elf-loaded:default x86_64-linux-gnu lld \[elf-rule\]: main breaks illumos-phdr-needs-interp'
check "loaded: false, the same program passes" has "$TMP/out" '^PASS +elf-unloaded:default x86_64-linux-gnu lld'
check "with its finding kept" python3 -c '
import json, sys
r = [t for t in json.load(open(sys.argv[1]))["results"] if t["case"] == "elf-unloaded"]
sys.exit(0 if any(f["rule"] == "illumos-phdr-needs-interp" for f in r[0]["findings"]) else 1)
' "$TMP/u/latest/results.json"

"$LINKMATRIX" targets >"$TMP/out" 2>&1
check "the native target's profile carries the detected glibc version" \
	has "$TMP/out" '^x86_64-linux-gnu .* profile linux-glibc-[0-9]+\.[0-9]+'

done_testing

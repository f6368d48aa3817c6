#!/bin/sh
# run --known-failures FILE: failures expected outside the cases.
. "$(dirname "$0")/lib/tap.sh"

R=$TMP/reports
C=$E2E/cases/elf/static.yaml
cat >"$TMP/known.yaml" <<'YAML'
# the illumos port today
- case: elf-static
  linkers: [lld, mold]
  reason: lld and mold emit PT_PHDR without PT_INTERP in static programs
- case: 'elf-*'
  variants: [default]
  linkers: [bfd]
  reason: GNU ld is fine, this entry is wrong
- case: no-such-case
  linkers: [gold]
  reason: stale
YAML
"$LINKMATRIX" run -j2 --report "$R" --check-profile illumos --known-failures "$TMP/known.yaml" "$C" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a known failure that passes is an XPASS: exit 1"
check "a matching FAIL is XFAIL, with the file's reason" \
	has "$TMP/out" '^XFAIL +elf-static:default x86_64-linux-gnu lld \[known failure: lld and mold emit PT_PHDR'
check "a glob matches case names" has "$TMP/out" '^XPASS +elf-static:default x86_64-linux-gnu bfd'
check "an entry that matched nothing is named" \
	has "$TMP/out" "known.yaml:9: this known failure matched no test of this run"
check "the reason is in junit.xml" has "$R/latest/junit.xml" '<skipped message="known failure: lld and mold emit'

printf -- '- case: x\n  linkers: [lld]\n  reson: typo\n' >"$TMP/bad.yaml"
"$LINKMATRIX" run -j2 --report "$R" --known-failures "$TMP/bad.yaml" "$C" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a broken known-failures file: exit 2, before running"
check "naming file:line:column" has "$TMP/out" "bad.yaml:3:3: unknown key 'reson'"

done_testing

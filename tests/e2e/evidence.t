#!/bin/sh
# Messages that carry their evidence on their one line: what a program
# printed where its expectation wanted other, the first line where its
# output differs from the reference linker's, the type, symbol and section
# of a text relocation.
. "$(dirname "$0")/lib/tap.sh"

R=$TMP/reports
"$LINKMATRIX" run -j2 --report "$R" --linker bfd,lld "$E2E/cases/evidence" "$LM_SRCDIR/cases/real/eh-frame-textrel.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "the run fails for the failures it holds"
check "a stdout expectation: what it printed instead, its first line and the count of the rest" has "$TMP/out" \
	"^FAIL +stdout-mismatch:default x86_64-linux-gnu bfd \\[expect\\]: main: stdout does not match '\\^42\\$': it printed 'forty-one' and 2 more lines$"
check "a comparison with the reference: the first line that differs, on both sides" has "$TMP/out" \
	"^FAIL +differs:default x86_64-linux-gnu lld \\[compare\\]: main printed a different stdout than with the reference linker bfd: line 2 is 'lld' where bfd's is 'not lld'$"
check "the reference itself passes" has "$TMP/out" '^PASS +differs:default x86_64-linux-gnu bfd'
check "a text relocation: its type, its symbol and the section it writes" has "$R/latest/results.json" \
	'plugin.so breaks gabi-textrel \[gabi\]: 1 dynamic relocation into non-writable PT_LOAD, the first R_X86_64_64 against plugin_answer, at 0x[0-9a-f]+ \(\.eh_frame\)'

done_testing

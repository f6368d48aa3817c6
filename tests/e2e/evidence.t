#!/bin/sh
# Messages that carry their evidence on their one line: what a program
# printed where its expectation wanted other, the first line where its
# output differs from the reference linker's, the type, symbol and section
# of a text relocation; and a pass that differs from the reference's
# output where the loader or the unwinder reads carries a warning.
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

# A pass that hides a difference: gold keeps the plugin's absolute FDE
# pointer and relocates it, GNU ld (the reference) makes it PC-relative.
"$LINKMATRIX" run -j2 --report "$R" --linker bfd,gold "$LM_SRCDIR/cases/real/eh-frame-textrel.yaml" >"$TMP/out" 2>&1
ok $? "a pass with a warning is a pass: exit 0"
W='plugin.so: 1 dynamic relocation into .eh_frame, 0 in bfd'
# warned FILE: the gold test of FILE (results.json) has warning W.
warned() {
	python3 - "$1" "$W" <<'PY'
import json, sys
r = [t for t in json.load(open(sys.argv[1]))["results"] if t["linker"] == "gold"]
sys.exit(not (r and any(w.startswith(sys.argv[2]) for w in r[0]["warnings"])))
PY
}
check "the console says it under the PASS line" has "$TMP/out" "^    warning: $W"
check "results.json keeps it with the result" warned "$R/latest/results.json"
check "TAP carries it as a comment after the point" \
	sh -c "grep -A1 '^ok [0-9]* - eh-frame-textrel:default x86_64-linux-gnu gold\$' '$R/latest/results.tap' | grep -q '^# warning: $W'"
check "the page has it for the cell and the details" has "$R/latest/index.html" "\"w\":\\[\"$W"
"$LINKMATRIX" report merge "$R/latest/results.json" -o "$TMP/merged" >"$TMP/merge.out" 2>&1
check "a report read back and merged keeps it" warned "$TMP/merged/results.json"

# .got: a slot whose address nothing relocates warns (a fault linker drops
# the relocation of a slot the run does not read); a .got that differs
# from GNU ld's for good reasons (lld and mold relax GOT loads, GNU ld
# keeps a relocated slot for _DYNAMIC in a static-pie) does not.
L=$TMP/linkers
mkdir -p "$L"
cp "$LM_SRCDIR"/linkers.d/*.yaml "$E2E"/fault-linkers/*.yaml "$L"/
PATH=$E2E/fault-linkers:$PATH "$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" \
	--linker bfd,fault-got-bare --target x86_64-linux-gnu "$E2E/cases/got" >"$TMP/out" 2>&1
ok $? "a pass whose .got slot is not relocated is a pass: exit 0"
check "  with a warning naming the slot and the reference's relocations" has "$TMP/out" \
	"^    warning: main: 1 \\.got slot holds an address of the file that no dynamic relocation fixes, the first at 0x[0-9a-f]+, where bfd's has [0-9]+ dynamic relocations into \\.got"
if "$LINKMATRIX" targets 2>/dev/null | grep -q '^x86_64-linux-musl  *usable'; then
	"$LINKMATRIX" run -j2 --report "$R" --linker bfd,lld --target x86_64-linux-musl \
		"$LM_SRCDIR/cases/tls/static.yaml" >"$TMP/out" 2>&1
	check "lld's musl static-pie, whose .got holds no address, is not warned about" \
		sh -c "! grep -q 'warning: .*\\.got' '$TMP/out'"
else
	ok 0 "lld's musl static-pie .got # SKIP the musl target is not usable here"
fi

done_testing

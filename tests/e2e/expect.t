#!/bin/sh
# The wider ELF vocabulary of `elf:` end to end: a case using it passes for
# GNU ld, lld and mold; expectations that do not hold say what the file
# has; a link's warning fails `warnings: none`; a misspelt ELF name is
# refused by `validate` at its file:line:column.
. "$(dirname "$0")/lib/tap.sh"

C=$E2E/cases/expect
R=$TMP/reports
G=x86_64-linux-gnu
# gold has no -z shstk: the case is for the linkers that have it.
linkers=bfd,lld
command -v mold >/dev/null 2>&1 && linkers=$linkers,mold
"$LINKMATRIX" run -j2 --linker "$linkers" --report "$R" "$C/wide.yaml" >"$TMP/out" 2>&1
ok $? "header, segment order and alignment, DT_FLAGS(_1), RUNPATH, SHSTK, versions, UND: $linkers"
for l in $(echo "$linkers" | tr , ' '); do
	check "they hold for $l" has "$TMP/out" "^PASS +expect-wide:default $G $l "
done

"$LINKMATRIX" run -j2 --linker bfd --report "$R" "$C/wrong-lib.yaml" "$C/wrong-main.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "expectations that do not hold: exit 1"
check "the first is the message, with what was found" has "$TMP/out" \
	"^FAIL +expect-wrong-lib:default $G bfd \\[elf-expect\\]: libv.so: versions: defined \\[V1, V2\\], expected \\[V2, V1\\] \\(and more\\)$"
for want in \
	"dynamic: no DT_FLAGS_1 \\(DF_1_NODELETE expected\\)" \
	"symbol g \\(dynsym\\): binding STB_GLOBAL, expected STB_WEAK" \
	"header: e_type ET_DYN, expected ET_EXEC" \
	"segment PT_GNU_RELRO: flags R, expected RW" \
	"segment-order: PT_LOAD \\(program header [0-9]+\\) comes after PT_INTERP \\([0-9]+\\), expected before it; the program headers are PT_PHDR, PT_INTERP, .*" \
	"dynamic: DT_RUNPATH is '\\\$ORIGIN', expected '/nope'" \
	"dynamic: no DT_RPATH, expected '\\\$ORIGIN'" \
	"property: no GNU_PROPERTY_X86_FEATURE_1_AND \\(IBT expected\\)" \
	"symbol f \\(dynsym\\): in section UND, expected .text"; do
	check "the detail says: $want" has "$R/latest/results.tap" "^    $want$"
done

"$LINKMATRIX" run -j2 --linker bfd --report "$R" "$C/warns.yaml" >"$TMP/out" 2>&1
check "warnings: none fails a link that warned, with the warning" has "$TMP/out" \
	"^FAIL +expect-warns:default $G bfd \\[link\\]: the link printed a warning \\(expected none\\) on its stderr: .*warning: old is deprecated, do not call it$"

printf 'name: bogus\nfiles: { a.c: "int main(void){return 0;}" }\nbuild: [{ output: a, inputs: [a.c] }]\nelf:\n  - file: a\n    expect:\n      - segment: { type: PT_BOGUS }\n      - segment: { type: PT_GNU_RELR }\n' >"$TMP/bogus.yaml"
"$LINKMATRIX" validate "$TMP/bogus.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "validate refuses a case naming PT_BOGUS (it passed validate and failed every linker)"
check "at its file:line:column" has "$TMP/out" "bogus.yaml:7:26: .*unknown segment type 'PT_BOGUS' \\(PT_ names such as PT_LOAD, or a number\\)"
check "a near name is offered" has "$TMP/out" "bogus.yaml:8:26: .*unknown segment type 'PT_GNU_RELR' \\(did you mean PT_GNU_RELRO\\?\\)"

done_testing

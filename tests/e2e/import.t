#!/bin/sh
# linkmatrix import wild: Wild-format tests (tests/e2e/wild) as case files.
# What cannot be translated is reported; the cases load with the case
# loader; run with GNU ld and lld they pass where Wild's would, with
# their checks really made (a wrong ExpectSym fails at elf-expect, an
# ExpectError passes when the link fails, SkipLinker skips).
. "$(dirname "$0")/lib/tap.sh"

W=$E2E/wild
O=$TMP/cases
"$LINKMATRIX" import wild "$W" -o "$O" >"$TMP/out" 2>"$TMP/err"
ok $? "import of the samples: exit 0, untranslated directives are no error"
check "the summary counts files, cases and skipped files" has "$TMP/out" \
	"^linkmatrix import wild: 12 test files read, 13 cases written to $O, 1 files skipped, 0 failed$"
check "and the directives, translated or not" has "$TMP/out" \
	'^46 directives: 40 translated, 6 not translated:$'
for d in DiffIgnore WildExtraLinkArgs Contains ExpectSym DiffMatchAny CompArgs; do
	check "$d counted once among those not translated" has "$TMP/out" "^  $d +1$"
done
check "each is reported as FILE:LINE: Directive: not translated: why" has "$TMP/err" \
	"^$W/reported/reported.c:3: DiffIgnore: not translated: Wild's linker-diff"
check "WildExtraLinkArgs too" has "$TMP/err" \
	"^$W/reported/reported.c:4: WildExtraLinkArgs: not translated: linkmatrix passes the same flags"
check "a symbol property without an equivalent" has "$TMP/err" \
	"^$W/reported/reported.c:6: ExpectSym: not translated: size=4: "
check "a directive the importer does not know" has "$TMP/err" \
	"^$W/reported/reported.c:7: DiffMatchAny: not translated: "
check "a directive of a shared object's source, at its own line" has "$TMP/err" \
	"^$W/deps/deps-shared.c:1: CompArgs: not translated: in a shared object's source"
check "the Rust test is skipped, and said so" has "$TMP/err" "^$W/rust/rust.rs: skipped: a Rust test"
check "the case lists what it lost at its top" has "$O/reported.yaml" \
	"^#   reported/reported.c:4: WildExtraLinkArgs: not translated: "
check "a fully translated case lists nothing" sh -c "! grep -q 'not translated' '$O/trivial.yaml'"

check "one case per config that is not abstract" \
	sh -c "test -f '$O/configs-one.yaml' && test -f '$O/configs-two.yaml' && ! test -e '$O/configs-base.yaml'"
check "no Rust case" sh -c "! ls '$O' | grep -q rust"
check "sources keep their names under DIR, headers embedded" \
	sh -c "grep -q '^  trivial/trivial.c: |2$' '$O/trivial.yaml' && grep -q '^  common/runtime.h: |2$' '$O/trivial.yaml'"
check "tab-indented assembly becomes a double-quoted string" \
	has "$O/asm-tabs.yaml" '^  asm-tabs/asm-tabs.s: "/\* Wild reads .*\\n\\$'
check "its tabs escaped" has "$O/asm-tabs.yaml" '^    \\tmovl\\t\$42, %edi\\n\\$'
check "Variant is a variant with -DVARIANT" has "$O/configs-two.yaml" '^  variant-4: \{ cflags: \[-DVARIANT=4\] \}$'
check "the inherited CompArgs replaced, as in Wild" has "$O/configs-two.yaml" '^    cflags: \[-DOFFSET=38\]$'
check "LinkerDriver none: no libc, the linker's args passed as they are" has "$O/trivial.yaml" \
	'^    ldflags: \[-nostdlib, -Xlinker, --gc-sections, -Xlinker, --no-as-needed, -Xlinker, -z, -Xlinker, now\]$'
check "Mode:dynamic: exe, the shared object linked after the inputs" has "$O/deps.yaml" \
	'^    inputs: \[deps/deps.c, common/runtime.c, deps/deps-obj.c, libdeps-archive.a\]$'
check "ExpectSym with section=" has "$O/symbols.yaml" '^      - symbol: \{ name: answer, table: symtab, section: \.data \}$'
check "NoSym: in neither table" has "$O/symbols.yaml" '^      - symbol: \{ name: unused_function, present: false \}$'
check "ExpectComment with '*': a prefix" has "$O/symbols.yaml" "^      - comment: '\\^GCC: \\\\\\('$"
check "ExpectLoadAlignment" has "$O/symbols.yaml" '^      - segment: \{ type: PT_LOAD, align: 16384 \}$'
check "ExpectDynamic, NoDynamic" sh -c "grep -q '^      - dynamic: { has: \[DT_NEEDED\] }$' '$O/deps.yaml' &&
	grep -q '^      - dynamic: { lacks: \[DT_TEXTREL\] }$' '$O/deps.yaml'"
check "ExpectError: the link must fail" has "$O/undefined.yaml" \
	"^    expect: \{ link: error, stderr: 'undefined \(reference to\|symbol\)\.\*missing_fn' \}$"
check "SkipLinker:ld: every linkers.d linker but bfd" has "$O/skip-ld.yaml" \
	'^  linkers: \[gold, illumos-ld, lld, mold, wild\]$'
check "LinkerDriver:gcc: a PIE, RequiresGlibc, LinkArgs' ./FILE embedded" sh -c "
	grep -q '^    mode: pie$' '$O/driver-gcc.yaml' && grep -q '^  libc: \[glibc\]$' '$O/driver-gcc.yaml' &&
	grep -q \"ldflags: \\['-Wl,-z,now', '-Wl,--version-script=driver-gcc/driver-gcc.map'\\]\" '$O/driver-gcc.yaml' &&
	grep -q '^  driver-gcc/driver-gcc.map: ' '$O/driver-gcc.yaml'"
check "RunEnabled:false: no run step" sh -c "! grep -q '^run:' '$O/no-run.yaml'"

"$LINKMATRIX" validate "$O"/*.yaml >"$TMP/out" 2>&1
ok $? "linkmatrix validate: the cases load"
check "all of them" has "$TMP/out" '^13 case files are valid$'

R=$TMP/r
"$LINKMATRIX" run -j2 --linker bfd,lld --report "$R" "$O" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "run with GNU ld and lld: exit 1, for the failing ExpectSym"
# One line a test: "CASE:VARIANT TARGET LINKER OUTCOME STAGE: MESSAGE".
python3 -c '
import json, sys
for t in json.load(open(sys.argv[1]))["results"]:
    print("%s:%s %s %s %s %s: %s" % (t["case"], t["variant"], t["target"], t["linker"],
                                     t["outcome"], t["stage"], t["message"]))
' "$R/latest/results.json" >"$TMP/results"
G=x86_64-linux-gnu
for c in trivial symbols deps configs-one:variant-2 configs-two:variant-4 arch asm-tabs reported \
	driver-gcc; do
	case $c in *:*) id=$c ;; *) id=$c:default ;; esac
	check "wild-$id exits 42 with GNU ld" has "$TMP/results" "^wild-$id $G bfd PASS "
done
check "the program that must not run passes without running" has "$TMP/results" "^wild-no-run:default $G bfd PASS "
check "ExpectError: the failing link passes, GNU ld" has "$TMP/results" "^wild-undefined:default $G bfd PASS "
check "and lld" has "$TMP/results" "^wild-undefined:default $G lld PASS "
check "SkipLinker:ld: SKIP for GNU ld" has "$TMP/results" "^wild-skip-ld:default $G bfd SKIP .*runs only with the linkers"
check "not for lld" has "$TMP/results" "^wild-skip-ld:default $G lld PASS "
check "ExpectSym is checked: a wrong section fails at elf-expect" has "$TMP/results" \
	"^wild-expect-sym-wrong:default $G bfd FAIL elf-expect: .*symbol answer \\(symtab\\): in section \\.data, expected \\.text$"
check "the shared object of Mode:dynamic is found by lld's program too" has "$TMP/results" "^wild-deps:default $G lld PASS "

"$LINKMATRIX" import wild "$W/bad" -o "$TMP/bad" >"$TMP/out" 2>"$TMP/err"
ok $(($? == 1 ? 0 : 1)) "a bad Config inheritance: exit 1"
check "naming the file, line and config" has "$TMP/err" \
	"^$W/bad/bad-inherit/bad-inherit.c:2: Config: config 'b' inherits from unknown config 'nosuch' \(no case written for this test\)$"
check "and counted as failed" has "$TMP/out" ' 0 cases written to .* 1 failed$'
check "no case written for it" sh -c "! ls '$TMP/bad'/*.yaml 2>/dev/null"

"$LINKMATRIX" import wild "$W" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "no -o: a usage error, exit 2"
"$LINKMATRIX" import elf "$W" -o "$TMP/x" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a format other than wild: exit 2"

done_testing

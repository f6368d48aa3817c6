#!/bin/sh
# linkmatrix import wild: Wild-format tests as case files. Wild's two
# layouts (tests/sources/elf/NAME/NAME.c since 0.9, and 0.8's flat
# sources listed by ../integration_tests.rs) are found from tests/sources;
# Wild's linker set (ld and wild, EnableLinker, SkipLinker) is kept; what
# cannot be translated is tallied (weakened: the case checks less; lost:
# the case is SKIP); the cases load with the case loader; run with GNU ld
# and lld they pass where Wild's would, with their checks really made (a
# wrong ExpectSym fails at elf-expect, an ExpectError passes when the link
# fails, a shared object is loaded and its function called for RunDynSym).
. "$(dirname "$0")/lib/tap.sh"

W=$E2E/wild-tests/sources
O=$TMP/cases
"$LINKMATRIX" import wild "$W" -o "$O" >"$TMP/out" 2>"$TMP/err"
ok $(($? == 1 ? 0 : 1)) "import of the samples: exit 1, as not everything was translated"
check "nothing on stderr: no test failed" sh -c "! test -s '$TMP/err'"
check "the layout found under tests/sources" has "$TMP/out" \
	"^linkmatrix import wild: $W/elf \(Wild's elf/NAME/NAME.EXT\)$"
check "the summary counts tests read, Rust ones too" has "$TMP/out" '^  tests read +21$'
check "no test failed" has "$TMP/out" '^  tests failed, no case written +0$'
check "cases written" has "$TMP/out" "^  cases written +28, to $O$"
check "translated whole" has "$TMP/out" '^    translated whole +24$'
check "lost: written as SKIP" has "$TMP/out" '^    lost: written as SKIP +4$'
check "weakened and lost, by directive" has "$TMP/out" '^    DiffIgnore +1 +0$'
for d in DiffMatchAny CompArgs LinkArgs RequiresNightlyRustc; do
	check "$d lost once" has "$TMP/out" "^    $d +0 +1$"
done
check "the summary names the details file" has "$TMP/out" "^  details: $O/import-wild.txt$"
D=$O/import-wild.txt
check "details: each case, and how it was translated" has "$D" '^trivial.yaml: translated whole$'
check "a lost one" has "$D" '^reported.yaml: SKIP, what Wild checks was lost$'
check "with each directive: FILE:LINE: Directive: weakened|lost: why" has "$D" \
	"^    reported/reported.c:3: DiffIgnore: weakened: Wild's linker-diff"
check "WildExtraLinkArgs is weakened" has "$D" \
	"^    reported/reported.c:4: WildExtraLinkArgs: weakened: flags for Wild alone"
check "ExpectSym's size=: a symbol expectation's size" has "$O/reported.yaml" \
	'^      - symbol: \{ name: answer, table: symtab, section: \.data, size: 4 \}$'
check "Contains: the output's bytes hold the string" has "$O/reported.yaml" \
	'^      - bytes: \{ contains: \[reported\] \}$'
check "ExpectSectionBytes: the section's contents" has "$O/messages.yaml" \
	'^      - section: \{ name: \.data, bytes: 2a000000 \}$'
check "a directive the importer does not know is lost (Wild refuses it)" has "$D" \
	"^    reported/reported.c:7: DiffMatchAny: lost: not a directive this importer knows"
check "a directive of a shared object's source, at its own line" has "$D" \
	"^    deps/deps-shared.c:1: CompArgs: lost: in a shared object's source"
check "a nightly-only Rust config is lost" has "$D" \
	"^    rust-musl/rust-musl.rs:9: RequiresNightlyRustc: lost: "
check "a lost case is written as SKIP" has "$O/reported.yaml" "^skip: 'the import lost what Wild checks"
check "the case lists what it lost at its top" has "$O/reported.yaml" \
	"^#   reported/reported.c:4: WildExtraLinkArgs: weakened: "
check "a fully translated case lists nothing, and runs" \
	sh -c "! grep -q 'lost\|weakened\|^skip:' '$O/trivial.yaml'"

check "one case per config that is not abstract" \
	sh -c "test -f '$O/configs-one.yaml' && test -f '$O/configs-two.yaml' && ! test -e '$O/configs-base.yaml'"
check "a Rust test: its crate built by rustc, CompArgs its flags" sh -c "
	grep -q '^    inputs: \[rust/rust.rs, rust-lib.so\]$' '$O/rust.yaml' &&
	grep -q '^    cflags: \[-C, debuginfo=1\]$' '$O/rust.yaml'"
check "Shared: of a Rust source: a cdylib" sh -c "
	grep -q '^  - output: rust-lib.so$' '$O/rust.yaml' && grep -q '^    inputs: \[rust/rust-lib.rs\]$' '$O/rust.yaml'"
check "Compiler:clang: compiler: clang; LinkerDriver:gcc under it: driver: gcc" sh -c "
	grep -q '^compiler: clang$' '$O/clang-cc.yaml' && grep -q '^    driver: gcc$' '$O/clang-cc.yaml'"
check "LinkerDriver:clang: driver: clang" has "$O/clang-driver.yaml" '^    driver: clang$'
check "RequiresCompilerFlags: requires cflags" has "$O/clang-refused.yaml" '^  cflags: \[-mlinkmatrix-no-such-flag\]$'
check "ThinArchive: a thin archive step; Archive of an .a: the file as it is" sh -c "
	grep -q '^    thin: true$' '$O/prebuilt-thin.yaml' &&
	grep -q '^    inputs: \[prebuilt/prebuilt.c, common/runtime.c, prebuilt-member.a, prebuilt/empty.a\]$' '$O/prebuilt-thin.yaml'"
check "Shared: in a shared object's source: linked into it, and one object of one source" sh -c "
	test \$(grep -c '^  - output: nested-2.so$' '$O/nested.yaml') = 1 &&
	grep -q '^    ldflags: \[.*, -Xlinker, nested-2.so, -Xlinker, -shared\]$' '$O/nested.yaml' &&
	grep -q '^    ldflags: \[.*, -Xlinker, nested-1.so, -Xlinker, nested-2.so\]$' '$O/nested.yaml'"
check "--whole-archive in LinkArgs: the archives after it, as in Wild" has "$O/prebuilt-whole.yaml" \
	'^    ldflags: \[.*, -Xlinker, --whole-archive, -Xlinker, prebuilt-member.a\]$'
check "Object:/PATH: passed as it is" has "$O/prebuilt-missing.yaml" '^    ldflags: \[.*, -Xlinker, /does/not/exist.o\]$'
check "CompArgs for musl, static: the musl target, the static mode, no flags left" sh -c "
	grep -q '^  libc: \[musl\]$' '$O/rust-musl-static.yaml' && grep -q '^    mode: static$' '$O/rust-musl-static.yaml' &&
	! grep -q '^    cflags:' '$O/rust-musl-static.yaml'"
check "sources keep their names under DIR, headers embedded" \
	sh -c "grep -q '^  trivial/trivial.c: |2$' '$O/trivial.yaml' && grep -q '^  common/runtime.h: |2$' '$O/trivial.yaml'"
check "tab-indented assembly becomes a double-quoted string" \
	has "$O/asm-tabs.yaml" '^  asm-tabs/asm-tabs.s: "/\* Wild reads .*\\n\\$'
check "its tabs escaped" has "$O/asm-tabs.yaml" '^    \\tmovl\\t\$42, %edi\\n\\$'
check "Variant is a variant with -DVARIANT" has "$O/configs-two.yaml" '^  variant-4: \{ cflags: \[-DVARIANT=4\] \}$'
check "the inherited CompArgs replaced, as in Wild" has "$O/configs-two.yaml" '^    cflags: \[-DOFFSET=38\]$'
check "LinkerDriver none: no libc, the linker's args passed as they are" has "$O/trivial.yaml" \
	'^    ldflags: \[-nostdlib, -Xlinker, --gc-sections, -Xlinker, --build-id=none, -Xlinker, --no-as-needed, -Xlinker, -z, -Xlinker, now\]$'
check "Mode:dynamic: exe, the archive named as Wild names it (STEM.a)" has "$O/deps.yaml" \
	'^    inputs: \[deps/deps.c, common/runtime.c, deps/deps-obj.c, deps-archive.a\]$'
check "an Object with flags of its own: a step that compiles it with them" sh -c "
	grep -q '^  - output: late-archive-obj.c.o$' '$O/late-archive.yaml' &&
	grep -q '^    mode: object$' '$O/late-archive.yaml' && grep -q '^    cflags: \[-DOBJ_VALUE=0\]$' '$O/late-archive.yaml'"
check "an archive after a shared object stays after it, in ldflags" has "$O/late-archive.yaml" \
	'^    ldflags: \[.*, -Xlinker, late-archive-so.so, -Xlinker, late-archive-ar.a, -Xlinker, late-archive-obj.c.o\]$'
check "a shared object of a direct link gets -shared last, as Wild gives it" has "$O/late-archive.yaml" \
	'^    ldflags: \[-nostdlib, .*, now, -Xlinker, -shared\]$'
check "ExpectSym with section= and binding=" has "$O/symbols.yaml" \
	'^      - symbol: \{ name: answer, table: symtab, section: \.data, binding: global \}$'
check "NoSym: in neither table" has "$O/symbols.yaml" '^      - symbol: \{ name: unused_function, present: false \}$'
check "ExpectComment with '*': a prefix" has "$O/symbols.yaml" "^      - comment: '\\^GCC: \\\\\\('$"
check "ExpectLoadAlignment" has "$O/symbols.yaml" '^      - segment: \{ type: PT_LOAD, align: 16384 \}$'
check "ExpectDynamic, NoDynamic" sh -c "grep -q '^      - dynamic: { has: \[DT_NEEDED\] }$' '$O/deps.yaml' &&
	grep -q '^      - dynamic: { lacks: \[DT_TEXTREL\] }$' '$O/deps.yaml'"
check "ExpectError: the link must fail" has "$O/undefined.yaml" \
	"^    expect: \{ link: error, stderr: 'undefined \(reference to\|symbol\)\.\*missing_fn' \}$"
check "Wild's linker set: ld and wild" has "$O/trivial.yaml" '^  linkers: \[bfd, wild\]$'
check "SkipLinker:ld takes ld out of it" has "$O/skip-ld.yaml" '^  linkers: \[wild\]$'
check "EnableLinker:lld adds lld" has "$O/messages.yaml" '^  linkers: \[bfd, lld, wild\]$'
check "ExpectMessage: the link's stdout, ExpectWarning: its stderr" has "$O/messages.yaml" \
	"^    expect: \{ stderr: '\(\?-m\)\^\\$', stdout: 'messages\\\\.o' \}$"
check "LinkArgs' -shared: a shared object, named .so" sh -c "
	grep -q '^  - output: shared-dyn.so$' '$O/shared-dyn.yaml' && grep -q '^    mode: shared$' '$O/shared-dyn.yaml'"
check "RunDynSym: a loader linked by the reference linker calls the function" sh -c "
	grep -q '^    linker: reference$' '$O/shared-dyn.yaml' &&
	grep -q '^  - args: \[run-dyn-sym, ./shared-dyn.so, call_me\]$' '$O/shared-dyn.yaml'"
check "LinkArgs' -o NAME names the output" has "$O/out-name-named.yaml" '^  - output: out-name.custom$'
check "-o /dev/null: lost, the case is SKIP" sh -c "
	grep -q '^skip: ' '$O/out-name-dev_null.yaml' &&
	grep -q '^#   out-name/out-name.c:8: LinkArgs: lost: -o /dev/null' '$O/out-name-dev_null.yaml'"
check "LinkerDriver:gcc: a PIE, RequiresGlibc, LinkArgs' ./FILE embedded" sh -c "
	grep -q '^    mode: pie$' '$O/driver-gcc.yaml' && grep -q '^  libc: \[glibc\]$' '$O/driver-gcc.yaml' &&
	grep -q \"ldflags: \\['-Wl,-z,now', '-Wl,--version-script=driver-gcc/driver-gcc.map'\\]\" '$O/driver-gcc.yaml' &&
	grep -q '^  driver-gcc/driver-gcc.map: ' '$O/driver-gcc.yaml'"
check "RunEnabled:false: no run step" sh -c "! grep -q '^run:' '$O/no-run.yaml'"

"$LINKMATRIX" validate "$O"/*.yaml >"$TMP/out" 2>&1
ok $? "linkmatrix validate: the cases load"
check "all of them" has "$TMP/out" '^28 case files are valid$'

# The run: every linker of linkers.d, so that lld's results show.
O=$TMP/all
"$LINKMATRIX" import wild --all-linkers "$W" -o "$O" >"$TMP/out" 2>&1
check "--all-linkers: a case for every linker" sh -c "! grep -q '^  linkers:' '$O/trivial.yaml'"
check "but what SkipLinker takes out" has "$O/skip-ld.yaml" '^  linkers: \[gold, illumos-ld, lld, mold, wild\]$'
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
for c in trivial symbols late-archive configs-one:variant-2 configs-two:variant-4 arch asm-tabs \
	driver-gcc shared-dyn out-name-named messages prebuilt-thin prebuilt-whole nested; do
	case $c in *:*) id=$c ;; *) id=$c:default ;; esac
	check "wild-$id exits 42 with GNU ld, its checks held" has "$TMP/results" "^wild-$id $G bfd PASS "
done
if "$LINKMATRIX" targets 2>&1 | grep -q '^    Rust: .*x86_64-unknown-linux-gnu$'; then
	check "wild-rust:default exits 42 with GNU ld: rustc linked it and its cdylib" has "$TMP/results" \
		"^wild-rust:default $G bfd PASS "
else
	check "wild-rust:default: SKIP without rustc, saying so" has "$TMP/results" \
		"^wild-rust:default $G bfd SKIP : the case has Rust code"
fi
if command -v clang >/dev/null; then
	check "compiled by clang, linked by GNU ld through gcc" has "$TMP/results" "^wild-clang-cc:default $G bfd PASS "
	check "linked through clang" has "$TMP/results" "^wild-clang-driver:default $G bfd PASS "
fi
check "flags the compiler refuses: SKIP, as Wild skips" has "$TMP/results" \
	"^wild-clang-refused:default $G bfd SKIP : requires cflags the compiler refuses on target $G: gcc: .*mlinkmatrix-no-such-flag"
check "the program that must not run passes without running" has "$TMP/results" "^wild-no-run:default $G bfd PASS "
check "ExpectError: the failing link passes, GNU ld" has "$TMP/results" "^wild-undefined:default $G bfd PASS "
check "and lld" has "$TMP/results" "^wild-undefined:default $G lld PASS "
check "an input that is not there: the link fails, as Wild expects" has "$TMP/results" \
	"^wild-prebuilt-missing:default $G bfd PASS "
check "SkipLinker:ld: SKIP for GNU ld" has "$TMP/results" "^wild-skip-ld:default $G bfd SKIP .*runs only with the linkers"
check "not for lld" has "$TMP/results" "^wild-skip-ld:default $G lld PASS "
check "ExpectSym is checked: a wrong section fails at elf-expect" has "$TMP/results" \
	"^wild-expect-sym-wrong:default $G bfd FAIL elf-expect: .*symbol answer \\(symtab\\): in section \\.data, expected \\.text$"
check "the shared object of Mode:dynamic is found by lld's program too" has "$TMP/results" \
	"^wild-late-archive:default $G lld PASS "
check "lld's shared object is loaded and called" has "$TMP/results" "^wild-shared-dyn:default $G lld PASS "
check "a lost case is SKIP, saying why" has "$TMP/results" \
	"^wild-reported:default $G bfd SKIP : the case says: the import lost what Wild checks"

B=$E2E/wild-bad
"$LINKMATRIX" import wild "$B" -o "$TMP/bad" >"$TMP/out" 2>"$TMP/err"
ok $(($? == 1 ? 0 : 1)) "a bad Config inheritance, a test directory without its source: exit 1"
check "naming the file, line and config" has "$TMP/err" \
	"^$B/bad-inherit/bad-inherit.c:2: Config: config 'b' inherits from unknown config 'nosuch' \(no case written for this test\)$"
check "a directory without NAME.rs, .c, .cc or .s is refused, as Wild refuses it" has "$TMP/err" \
	"^$B/no-primary: no no-primary.rs, .c, .cc or .s: Wild's runner refuses the directory"
check "both counted as failed" has "$TMP/out" '^  tests failed, no case written +2$'
check "no case written for them" sh -c "! ls '$TMP/bad'/*.yaml 2>/dev/null"

# Wild 0.8's layout: the sources side by side, the tests listed by the
# runner beside them, whose ExpectError was a string, not a regex. The
# runner is written here, just the lines of it the importer reads: no file
# of Wild's harness is part of linkmatrix.
mkdir "$TMP/wild-flat"
cp -R "$E2E/wild-flat/sources" "$TMP/wild-flat/"
F=$TMP/wild-flat/sources
printf '%s\n' 'fn integration_test(' '#[values("flat-trivial.c", "flat-deps.c",' \
	'"flat-error.c", "flat-rust.rs")]' >"$TMP/wild-flat/integration_tests.rs"
"$LINKMATRIX" import wild "$F" -o "$TMP/flat" >"$TMP/out" 2>"$TMP/err"
ok $? "Wild 0.8's layout: exit 0, every test translated whole"
check "the layout said" has "$TMP/out" "^linkmatrix import wild: $F \(Wild 0.8's sources, the tests ../integration_tests.rs lists\)$"
check "the listed tests read, the others used" has "$TMP/out" '^  tests read +4$'
check "one case a listed test" sh -c "ls '$TMP/flat' | grep -c yaml | grep -qx 4"
check "dependencies found beside the test" has "$TMP/flat/flat-deps.yaml" '^    inputs: \[flat-deps.c, flat-deps1.a\]$'
check "ExpectError of Wild 0.8: a string stderr holds, escaped (not a regex, which this is not)" \
	grep -qF "stderr: '\\(\\.text\\+0x'" "$TMP/flat/flat-error.yaml"
"$LINKMATRIX" run -j2 --linker bfd --report "$TMP/fr" "$TMP/flat" >"$TMP/out" 2>&1
ok $? "Wild 0.8's tests run with GNU ld"

"$LINKMATRIX" import wild "$TMP" -o "$TMP/none" >"$TMP/out" 2>"$TMP/err"
ok $(($? == 2 ? 0 : 1)) "a directory with no Wild tests: exit 2"
check "saying what was looked for" has "$TMP/err" "holds no Wild tests: neither elf/NAME/NAME.EXT"

"$LINKMATRIX" import wild "$W" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "no -o: a usage error, exit 2"
"$LINKMATRIX" import elf "$W" -o "$TMP/x" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a format other than wild: exit 2"

done_testing

#!/bin/sh
# linkmatrix repro: a directory with the case's files and repro.sh, a POSIX
# shell script that replays compile, link, run and checks without
# linkmatrix, printing each command; the linker is set from the
# environment; the repro command of a failed test reproduces its failure.
. "$(dirname "$0")/lib/tap.sh"

D=$TMP/r
"$LINKMATRIX" repro "$E2E/cases/good/shared-lib.yaml" --linker lld -o "$D/lib" >"$TMP/out" 2>&1
ok $? "repro of a case with expectations: exit 0"
check "it names the script and the test" has "$TMP/out" "^$D/lib/repro.sh: shared-lib:default x86_64-linux-gnu lld$"
check "the case's files are in src/" test -f "$D/lib/src/lib.c"
(cd / && env -i PATH=/usr/bin:/bin LINKMATRIX= sh "$D/lib/repro.sh") >"$TMP/out" 2>&1
ok $? "the script runs without linkmatrix (LINKMATRIX= empty): exit 0"
check "  saying what it leaves unchecked" has "$TMP/out" \
	'^not checked: libanswer.so against the mode, the loader rules and the elf: expectations \(they need linkmatrix: set LINKMATRIX\)$'
check "it runs its commands in the C locale, as the harness does" has "$D/lib/repro.sh" '^LC_ALL=C '
(cd / && env -i PATH=/usr/bin:/bin sh "$D/lib/repro.sh") >"$TMP/out" 2>&1
ok $? "repro.sh passes, run from elsewhere with a bare environment"
check "printing each command before it runs" has "$TMP/out" '^\+ .*gcc -no-pie .*-o main main.o libanswer.so -L\.$'
check "and the verdict" has "$TMP/out" '^PASS$'

LINKER=$E2E/fault-linkers/lm-fault-crash sh "$D/lib/repro.sh" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "LINKER= from the environment: a crashing linker makes it exit 1"
check "saying which link failed" has "$TMP/out" "^FAIL: linking libanswer.so with lld$"

"$LINKMATRIX" repro "$E2E/cases/good/hello.yaml:static" --linker mold -o "$D/hello" >"$TMP/out" 2>&1
ok $? "repro of a compared case (static variant): exit 0"
check "the reference linker is in it, overridable" has "$D/hello/repro.sh" '^REFERENCE=\$\{REFERENCE:-/'
check "its build of the variant" has "$D/hello/repro.sh" '"\$CC" -static .*shims/bfd/'
sh "$D/hello/repro.sh" >"$TMP/out" 2>&1
ok $? "repro.sh compares mold's run with GNU ld's: exit 0"

# A run step whose program is not a build output runs by its name, as in
# a run (it once became ./sh).
cat >"$TMP/via-sh.yaml" <<'Y'
name: via-sh
files:
  main.c: 'int main(void) { return 7; }'
build:
  - output: main
    inputs: [main.c]
run:
  - args: [sh, -c, './main; echo "main said $?"']
    expect: { exit: 0, stdout: '^main said 7$' }
Y
"$LINKMATRIX" repro "$TMP/via-sh.yaml" --linker lld -o "$D/sh" >"$TMP/out" 2>&1
sh "$D/sh/repro.sh" >"$TMP/out" 2>&1
ok $? "a run step of sh -c: repro.sh runs sh, not ./sh: exit 0"

# A failed test's repro command, as results.json gives it, reproduces it.
"$LINKMATRIX" run -j2 --report "$TMP/rep" --linker gold "$E2E/cases/death/crash-in-main.yaml" >"$TMP/out" 2>&1
cmd=$(python3 -c "
import json
r = json.load(open('$TMP/rep/latest/results.json'))['results']
print([x for x in r if x['outcome'] == 'FAIL'][0]['repro'])")
check "the repro command is linkmatrix repro ... && .../repro.sh" \
	sh -c "echo \"\$0\" | grep -q '^linkmatrix repro .*crash-in-main.yaml:default.\\{0,1\\} --linker gold --target x86_64-linux-gnu -o .* && .*/repro.sh$'" "$cmd"
(cd "$TMP" && PATH=$(dirname "$LINKMATRIX"):$PATH sh -c "$cmd") >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "run as given, it fails as the test did: exit 1"
check "with the crash in its words" has "$TMP/out" '^FAIL: main: exit status 139, expected 0$'

# The checks of the outputs replay as the run made them: the mode, the
# loader rules of the target and of --check-profile, the findings and
# expectations of the case's elf: (a repro of an elf-rule failure once
# ended in PASS).
verdicts() {  # verdicts NAME CASE LINKER [REPRO OPTIONS]: the run's and the repro's
	v_name=$1 v_case=$2 v_linker=$3
	shift 3
	"$LINKMATRIX" run -j2 -q --report "$TMP/rep" --linker "$v_linker" "$@" "$v_case" >"$TMP/run.$v_name" 2>&1
	"$LINKMATRIX" repro "$v_case" --linker "$v_linker" -o "$D/$v_name" "$@" >/dev/null 2>&1
	sh "$D/$v_name/repro.sh" >"$TMP/repro.$v_name" 2>/dev/null
}
verdicts rule "$E2E/cases/death/missing-interp.yaml" bfd
check "an elf-rule failure: the run fails at elf-rule" has "$TMP/run.rule" '^FAIL .*\[elf-rule\]: main breaks glibc-interp-path'
check "  and repro.sh names the same rule" has "$TMP/repro.rule" '^main: FAIL \[elf-rule\]: main breaks glibc-interp-path \[linux-glibc[-0-9.]*\]: PT_INTERP /lib/ld-nowhere.so.1'
check "  and ends in FAIL" sh -c "tail -n 1 '$TMP/repro.rule' | grep -qx FAIL"
check "  printing the failed program's stderr, not only its status" has "$TMP/repro.rule" \
	"^  | .*main.*No such file or directory"
verdicts mode "$E2E/cases/mode/interp-in-static.yaml" lld
check "a mode failure: repro.sh says what the link made" has "$TMP/repro.mode" \
	'^main: FAIL \[mode\]: main: asked for static \(-static\), the link made a dynamic executable \(ET_EXEC, PT_INTERP '
verdicts prof "$E2E/cases/good/hello.yaml" lld --check-profile illumos
check "--check-profile replays: the run's finding" has "$TMP/run.prof" '^FAIL .*hello:default .*illumos-needs-dt-hash \[illumos\]'
check "  is repro.sh's" has "$TMP/repro.prof" '^hello: FAIL \[elf-rule\]: hello breaks illumos-needs-dt-hash \[illumos\]'
verdicts found "$E2E/cases/elf/finding.yaml" lld --check-profile illumos
check "a finding the case expects: the run passes" has "$TMP/run.found" ' 1 tests: 1 PASS, 0 FAIL'
check "  and repro.sh too" sh -c "tail -n 1 '$TMP/repro.found' | grep -qx PASS"

"$LINKMATRIX" elf check --case "$E2E/cases/elf/finding.yaml" "$D/found/work/lld/main" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "elf check --case without --output: exit 2"
check "  saying what goes with what" has "$TMP/out" 'elf check: --case and --output go together'
"$LINKMATRIX" elf check --case "$E2E/cases/elf/finding.yaml" --output nope "$D/found/work/lld/main" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "an output the case does not build: exit 2, named"
check "  named" has "$TMP/out" "finding.yaml builds no output 'nope'"

# A program's name is the case's data: in repro.sh's messages it is
# quoted, never run (it once ran a command substitution in a fail line).
cat >"$TMP/inj.yaml" <<Y
name: inj
files:
  main.c: 'int main(void) { return 3; }'
build:
  - { output: main, inputs: [main.c] }
run:
  - args: ['\$(touch $TMP/pwned)']
    expect: { exit: 0 }
Y
"$LINKMATRIX" repro "$TMP/inj.yaml" --linker lld -o "$D/inj" >/dev/null 2>&1
sh "$D/inj/repro.sh" >"$TMP/out" 2>/dev/null
check "a command substitution as a program's name is not run by repro.sh" test ! -e "$TMP/pwned"
check "  and is named as it is" has "$TMP/out" '^FAIL: \$\(touch .*/pwned\): exit status 127, expected 0$'

"$LINKMATRIX" repro "$E2E/cases/good/hello.yaml:nope" --linker lld -o "$D/x" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "an unknown variant: exit 2"
check "naming it" has "$TMP/out" "hello has no variant 'nope'"
"$LINKMATRIX" repro "$E2E/cases/good/hello.yaml" --linker wild -o "$D/x" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a linker that is not installed: exit 2, with the reason"
check "the reason" has "$TMP/out" 'SKIP: not installed'

done_testing

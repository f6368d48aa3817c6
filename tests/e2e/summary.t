#!/bin/sh
# The end of a run, read at a glance: failures grouped by cause with their
# ids (as run takes them back), the one command that reruns them, a line
# per linker or target that is not there instead of a SKIP per test,
# --max-failures's stop in the summary and the reports, colour.
. "$(dirname "$0")/lib/tap.sh"

fault_linkers

# Twelve cases, each failing with two fault-injection linkers for two
# reasons: two causes of twelve tests each.
C=$TMP/cases
mkdir -p "$C"
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
	cat >"$C/many-$i.yaml" <<EOF
name: many-$i
files:
  p$i.c: 'int main(void) { return 0; }'
build:
  - output: p$i
    inputs: [p$i.c]
EOF
done
R=$TMP/reports
LINKERS=bfd,fault-silent,fault-crash,wild
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker $LINKERS "$C" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "failures: exit 1"
check "after the counts, the failed tests by cause" \
	sh -c "grep -A1 '^linkmatrix: 48 tests: 12 PASS, 24 FAIL' '$TMP/out' | grep -q '^linkmatrix: failed tests by cause (24 tests, 2 causes):$'"
check "a group per cause, with its count: the file each case links taken out" \
	has "$TMP/out" '^  link: linking \{file\}: exit N, but \{file\} was not written \(12\):$'
check "the other cause" \
	has "$TMP/out" '^  link: linking \{file\}: exit N: collect2: fatal error: ld terminated with signal N \[Segmentation fault\] \(12\):$'
check "its ids as the per-test lines print them, a line each" \
	has "$TMP/out" '^    many-01:default x86_64-linux-gnu fault-silent$'
check "ten ids of a group shown, then how many more" \
	sh -c "[ \$(grep -c '^    many-[0-9]*:default x86_64-linux-gnu fault-silent$' '$TMP/out') -eq 10 ] && \
		grep -q '^    \.\.\. and 2 more$' '$TMP/out'"
check "then the one command that reruns them" \
	has "$TMP/out" "^linkmatrix: rerun them: linkmatrix run --failed --report $R\$"
check "Wild, not installed: one line before the tests, not one per test" \
	sh -c "sed '/^PASS/q' '$TMP/out' | grep -q '^linkmatrix: wild: 12 tests skipped: not installed: .*LINKMATRIX_LINKER_WILD' && \
		! grep -q '^SKIP' '$TMP/out'"
check "the reports keep each of its SKIPs" \
	sh -c "[ \$(grep -c '^ok .* wild # SKIP not installed' '$R/latest/results.tap') -eq 12 ]"

cp "$R/latest/results.json" "$TMP/first.json"

# The command as printed reruns them all, the ones not shown too.
"$LINKMATRIX" run -j2 --failed --report "$R" >"$TMP/rerun" 2>&1
ok $(($? == 1 ? 0 : 1)) "the rerun: exit 1"
check "it reruns the 24, the linkers directory as the run had it" \
	has "$TMP/rerun" '^linkmatrix: 24 tests: 0 PASS, 24 FAIL'

# -q: the summary and the command still; TAP: they go to stderr.
"$LINKMATRIX" run -q -j2 --report "$R" --linkers-dir "$L" --linker bfd,fault-silent \
	--filter '^many-0[12]:' "$C" >"$TMP/q" 2>&1
check "-q: the causes and the command" \
	sh -c "grep -q '^  link: linking {file}: exit N, but {file} was not written (2):' '$TMP/q' && grep -q '^linkmatrix: rerun them' '$TMP/q'"
"$LINKMATRIX" run --tap -j2 --report "$R" --linkers-dir "$L" --linker bfd,fault-silent \
	--filter '^many-0[12]:' "$C" >"$TMP/tap" 2>"$TMP/tap.err"
check "--tap: no summary line in the TAP on stdout" \
	sh -c "grep -q '^not ok ' '$TMP/tap' && ! grep -q '^linkmatrix' '$TMP/tap'"
check "--tap: the summary on stderr" has "$TMP/tap.err" '^linkmatrix: failed tests by cause \(2 tests, 1 cause\):$'

# --max-failures: says where it stopped, and the reports say it is
# incomplete; latest moves to it, so run --failed reruns its failures.
"$LINKMATRIX" run -j1 --max-failures 3 --report "$R" --linkers-dir "$L" --linker bfd,fault-silent \
	"$C" >"$TMP/max" 2>&1
ok $(($? == 1 ? 0 : 1)) "--max-failures 3: exit 1"
check "it says how many failed and how many did not run" \
	has "$TMP/max" '^linkmatrix: stopped after 3 failures \(--max-failures 3\); 18 tests not run$'
check "results.json: incomplete, and why" \
	sh -c "grep -q '\"complete\": false' '$R/latest/results.json' && \
		grep -q '\"incomplete\": \"stopped after 3 failures (--max-failures 3); 18 tests not run\"' '$R/latest/results.json'"
check "results.tap says why too" has "$R/latest/results.tap" '^# incomplete: stopped after 3 failures'
check "the reports line says incomplete" has "$TMP/max" '^linkmatrix: reports in .* \(incomplete\)$'
"$LINKMATRIX" report merge "$R/latest/results.json" -o "$TMP/merged" >"$TMP/merge" 2>&1
check "a merge of it says why it is incomplete" \
	has "$TMP/merge" 'tests \(incomplete: .*results.json: stopped after 3 failures .*\), into'
check "and so does the merged results.json" \
	has "$TMP/merged/results.json" '"incomplete": ".*results.json: stopped after 3 failures'
"$LINKMATRIX" report compare "$TMP/first.json" "$R/latest/results.json" >"$TMP/cmp" 2>&1
check "report compare says the new run is incomplete, and why: its gone tests were not reached" \
	has "$TMP/cmp" '^note: the new run is incomplete \(stopped after 3 failures .*\): tests it did not reach are gone$'
nl='
'
cp "$R/latest/results.json" "$TMP/a${nl}# not ok.json"
"$LINKMATRIX" report merge "$TMP/a${nl}# not ok.json" -o "$TMP/merged2" >"$TMP/merge" 2>&1
check "an input's name in the merge's reason breaks no line of its TAP" \
	sh -c "grep -q '^# incomplete: .*a\\\\n# not ok.json: stopped after' '$TMP/merged2/results.tap' && \
		[ \$(grep -c '^# not ok' '$TMP/merged2/results.tap') -eq 0 ]"
"$LINKMATRIX" run -j2 --failed --report "$R" >"$TMP/rerun" 2>&1
check "run --failed reruns the stopped run's three" has "$TMP/rerun" '^linkmatrix: 3 tests: 0 PASS, 3 FAIL'

# Test ids as printed are operands.
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker bfd,fault-silent "$C" \
	'many-03:default x86_64-linux-gnu fault-silent' >"$TMP/id" 2>&1
check "an id as one operand: that test alone" has "$TMP/id" '^linkmatrix: 1 tests: 0 PASS, 1 FAIL'
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" "$C" \
	many-03:default x86_64-linux-gnu fault-silent >"$TMP/id" 2>&1
check "and as three operands, pasted" has "$TMP/id" '^linkmatrix: 1 tests: 0 PASS, 1 FAIL'
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker bfd,fault-silent "$C" \
	many-03:default many-04:default >"$TMP/id" 2>&1
check "case:variant: its tests with every linker of the run" \
	has "$TMP/id" '^linkmatrix: 4 tests: 2 PASS, 2 FAIL'
"$LINKMATRIX" run -j2 --report "$R" tls-models:exe x86_64-linux-gnu lld >"$TMP/id" 2>&1
check "the case of an id, without a file given: the bundled one" \
	has "$TMP/id" '^PASS +tls-models:exe x86_64-linux-gnu lld '
"$LINKMATRIX" run --report "$R" "$C" many-03:defualt >"$TMP/id" 2>&1
ok $(($? == 2 ? 0 : 1)) "a variant that is not there: exit 2"
check "saying so, with the likely one" \
	has "$TMP/id" "test id 'many-03:defualt': case many-03 has no variant 'defualt' \(did you mean 'default'\?\)"
"$LINKMATRIX" run --report "$R" "$C" 'many-03:default x86_64-linux-gnu mlod' >"$TMP/id" 2>&1
check "a linker that is not there, with the likely one" \
	has "$TMP/id" "test id 'many-03:default x86_64-linux-gnu mlod': no linker 'mlod' \(did you mean 'mold'\?\)"
"$LINKMATRIX" run --report "$R" "$C" many-03:default x86_64-linux-gn >"$TMP/id" 2>&1
check "a target's name mistyped is no target: not taken for one" \
	has "$TMP/id" "'x86_64-linux-gn' is neither a case file"
"$LINKMATRIX" run --report "$R" --linker bfd "$C" 'many-03:default x86_64-linux-gnu mold' >"$TMP/id" 2>&1
ok $(($? == 2 ? 0 : 1)) "an id --linker leaves out: exit 2"
check "saying it names no test of the run" has "$TMP/id" "test id '.*' names no test of this run"
(cd "$TMP" && touch many-03:default mold &&
	"$LINKMATRIX" run --report "$R" "$C" many-03:default >"$TMP/id" 2>&1
	echo $? >"$TMP/id.rc"
	rm many-03:default
	"$LINKMATRIX" run --report "$R" "$C" 'many-03:default' x86_64-linux-gnu mold >"$TMP/id2" 2>&1)
check "an id that is also a file: refused, exit 2" test "$(cat "$TMP/id.rc")" = 2
check "saying how to name the file" has "$TMP/id" "is a test's id and a file: write ./many-03:default"
check "a linker's word that is also a file: refused" has "$TMP/id2" "'mold' after 'many-03:default' names a linker and a file"

# A linker whose candidate is another names the variable, as a missing one does.
"$LINKMATRIX" linkers >"$TMP/linkers" 2>&1
if grep -q '^illumos-ld .* is not illumos-ld' "$TMP/linkers"; then
	check "a linker whose candidate is another says which variable points at it" \
		has "$TMP/linkers" '^illumos-ld .* is not illumos-ld .*\(set LINKMATRIX_LINKER_ILLUMOS_LD to point at it\)$'
else
	ok 0 "# SKIP no ld here that is not illumos-ld"
fi

# A target that is not usable: one line for its tests too.
T=$TMP/targets.d
mkdir -p "$T"
cp "$LM_SRCDIR"/targets.d/* "$T"/
sed -e 's/^name: .*/name: x86_64-nocc/' -e 's/^cc: .*/cc: lm-no-such-cc/' -e '/^default:/d' \
	"$LM_SRCDIR/targets.d/x86_64-linux-gnu.yaml" >"$T/x86_64-nocc.yaml"
"$LINKMATRIX" run -j2 --report "$R" --targets-dir "$T" --target x86_64-linux-gnu,x86_64-nocc \
	--linker bfd,lld --filter '^many-0[12]:' "$C" >"$TMP/tg" 2>&1
ok $? "an unusable target beside a usable one: exit 0"
check "one line for the target's tests, saying why" \
	has "$TMP/tg" "^linkmatrix: target x86_64-nocc: 4 tests skipped: not usable: .*lm-no-such-cc"
check "no line per test" sh -c "! grep -q '^SKIP' '$TMP/tg'"

# Colour: only where asked or on a terminal without NO_COLOR.
ESC=$(printf '\033')
"$LINKMATRIX" run -j2 --color=always --report "$R" --linkers-dir "$L" --linker bfd,fault-silent \
	"$C" many-03:default >"$TMP/col" 2>&1
check "--color=always: FAIL in red" has "$TMP/col" "^${ESC}\\[31mFAIL${ESC}\\[0m +many-03:default x86_64-linux-gnu fault-silent"
check "--color=always: PASS in green" has "$TMP/col" "^${ESC}\\[32mPASS${ESC}\\[0m +many-03:default x86_64-linux-gnu bfd"
NO_COLOR=1 "$LINKMATRIX" run -j2 --color=always --report "$R" --linkers-dir "$L" \
	--linker fault-silent "$C" many-03:default >"$TMP/col" 2>&1
check "--color=always wins over NO_COLOR" has "$TMP/col" "^${ESC}\\[31mFAIL"
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker fault-silent "$C" many-03:default >"$TMP/col" 2>&1
check "no terminal: no colour" sh -c "! grep -q '$ESC' '$TMP/col'"
if command -v script >/dev/null 2>&1; then
	for env in NO_COLOR=1 TERM=dumb; do
		env $env script -qc "'$LINKMATRIX' run -j2 --report '$R' --linkers-dir '$L' --linker fault-silent '$C' many-03:default" \
			/dev/null >"$TMP/tty" 2>&1
		check "a terminal with $env: no colour" sh -c "grep -q 'FAIL ' '$TMP/tty' && ! grep -q '${ESC}\\[3' '$TMP/tty'"
	done
	TERM=xterm script -qc "'$LINKMATRIX' run -j2 --report '$R' --linkers-dir '$L' --linker fault-silent '$C' many-03:default" \
		/dev/null >"$TMP/tty" 2>&1
	check "a terminal: FAIL in red" has "$TMP/tty" "${ESC}\\[31mFAIL"
else
	for t in 1 2 3; do ok 0 "# SKIP script (util-linux) is not installed"; done
fi
"$LINKMATRIX" run --color=sometimes >"$TMP/col" 2>&1
ok $(($? == 2 ? 0 : 1)) "--color=sometimes: exit 2"
check "naming the choices" has "$TMP/col" '--color needs auto, always or never'

done_testing

#!/bin/sh
# linkmatrix suite mold DIR: a suite in mold's shape (tests/e2e/mold-suite,
# with a common.inc of ours under mold's contract) run with the Debian
# linkers: the scripts mold's CMakeLists would select, each in a directory
# whose linker names run the linker under test, read as mold's CMake reads
# them; run's selection, known failures and reports; the suite's identity
# in results.json, and merge refusing another version of the suite.
. "$(dirname "$0")/lib/tap.sh"

S=$E2E/mold-suite
T=x86_64-linux-gnu
L=bfd,gold,lld,mold
O=$TMP/all
"$LINKMATRIX" suite mold "$S" -j4 --timeout 3 -o "$O" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "failures and timeouts: exit 1"
for l in bfd gold lld mold; do
	check "$l: the script that passes with every linker passes (ld, mold, ld.lld... run $l)" \
		has "$TMP/out" "^PASS +mold-hello:default $T $l "
	check "$l: a script that says skipped is SKIP" \
		has "$TMP/out" "^SKIP +mold-needs-tool:default $T $l: the script skipped itself$"
	check "$l: a script that hangs is TIMEOUT" \
		has "$TMP/out" "^TIMEOUT +mold-hang:default $T $l \[suite-script\]: the script timed out after 3 s$"
	check "$l: exit 0 without OK or skipped is no pass" \
		has "$TMP/out" "^FAIL +mold-silent-exit:default $T $l \[suite-script\]: the script ended with exit 0 but printed neither OK nor skipped last$"
done
for l in bfd gold lld; do
	check "$l: a failing script is FAIL with common.inc's line" \
		has "$TMP/out" "^FAIL +mold-mold-only:default $T $l \[suite-script\]: command failed: 9: grep -q '\^mold ' \\\$t/version$"
done
check "mold passes the script only mold passes" has "$TMP/out" "^PASS +mold-mold-only:default $T mold "
check "a linker that is not installed: one line for its tests, as in run" \
	has "$TMP/out" "^linkmatrix: illumos-ld: [0-9]+ tests skipped: "
check "and no line per test" sh -c "! grep -q '^SKIP .* illumos-ld: ' '$TMP/out'"
check "the report keeps each test's SKIP" has "$O/results.tap" "^ok [0-9]+ - mold-hello:default $T illumos-ld # SKIP"
check "the timed-out scripts' process groups were killed (no sleep 3171 left)" \
	sh -c "! pgrep -f 'sleep 317[12]'"
case $(uname -m) in
x86_64)
	check "the host's own script (x86_64_*.sh) runs" has "$TMP/out" "^PASS +mold-x86_64_start:default $T mold "
	check "another arch's (aarch64_*.sh) does not" sh -c "! grep -q aarch64_start '$TMP/out'" ;;
aarch64)
	check "the host's own script (aarch64_*.sh) is selected" grep -q "mold-aarch64_start:default" "$TMP/out"
	check "another arch's (x86_64_*.sh) is not" sh -c "! grep -q x86_64_start '$TMP/out'" ;;
esac
check "the summary says the suite and its version" \
	has "$TMP/out" "^linkmatrix: mold suite 9.9.9: 6 scripts of $S/test/elf \(the generic ones and $(uname -m)_\*.sh\)$"
check "the failure's directory is kept; a pass's is not" \
	sh -c "test -d '$O/work/mold-mold-only@default@$T/lld/out' && ! test -e '$O/work/mold-hello@default@$T'"
check "which holds the linker's names" sh -c "test -x '$O/work/mold-mold-only@default@$T/lld/ld.lld'"

# The reports, and the suite's identity in results.json.
for f in results.json results.tap junit.xml junit-ant.xml index.html; do
	check "$f written" test -s "$O/$f"
done
check "junit.xml: a script's file is from the scripts' directory" has "$O/junit.xml" ' file="hello.sh">$'
check "junit-ant.xml is valid against Ant's schema" \
	xmllint --noout --schema "$E2E/junit-schemas/ant-junit.xsd" "$O/junit-ant.xml"
J=$O/results.json
check "results.json: the suite's kind" has "$J" '^    "kind": "mold",$'
check "results.json: its version, from CMakeLists.txt (the tree it is in is no checkout of it)" \
	has "$J" '^    "version": "9.9.9",$'
check "results.json: its scripts' digest" has "$J" '^    "scripts_digest": "fnv1a64:[0-9a-f]{16}:7",$'
check "results.json: the FAIL's message and stage" \
	has "$J" "\"message\": \"command failed: 9: grep -q '\\^mold ' \\\$t/version\","
check "results.json: its output is the end of the script's trace" \
	has "$J" '"stderr": ".*\+\+ echo .command failed: 9:'
check "which was longer than what is kept" has "$J" '"stderr_bytes": [0-9]{5,}'
check "results.json: its repro reruns the script where it ran" \
	has "$J" "\"repro\": \"cd '?$O/work/mold-mold-only@default@$T/bfd'? && bash -x $S/test/elf/mold-only.sh\","
check "TAP: the failure" has "$O/results.tap" "^not ok [0-9]+ - mold-mold-only:default $T gold$"
check "JUnit: the failure" has "$O/junit.xml" "command failed: 9: grep -q"
check "HTML: the suite in the header" has "$O/index.html" '"suite":"mold 9.9.9 '

# test/elf named itself; --filter and the linkers; results.json read back.
"$LINKMATRIX" suite mold "$S/test/elf" -j2 --linker "$L" --filter '^mold-(hello|mold-only):' -o "$TMP/f" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "test/elf named itself; --filter takes the tests' names: exit 1"
check "--filter: 8 tests (2 scripts, 4 linkers)" has "$TMP/out" "^linkmatrix: 8 tests: 5 PASS, 3 FAIL,"
check "--linker: no other linker" sh -c "! grep -q illumos-ld '$TMP/out'"

# --shard: two halves that merge into the whole.
for k in 1 2; do
	"$LINKMATRIX" suite mold "$S" -j2 --linker "$L" --filter-out hang --shard $k/2 -o "$TMP/s$k" >"$TMP/s$k.out" 2>&1
done
n1=$(sed -n 's/^linkmatrix: \([0-9]*\) tests:.*/\1/p' "$TMP/s1.out")
n2=$(sed -n 's/^linkmatrix: \([0-9]*\) tests:.*/\1/p' "$TMP/s2.out")
ok $((n1 > 0 && n2 > 0 && n1 + n2 == 20 ? 0 : 1)) "--shard 1/2 and 2/2: $n1 + $n2 tests of 20"
"$LINKMATRIX" report merge "$TMP/s1/results.json" "$TMP/s2/results.json" -o "$TMP/merged" >"$TMP/out" 2>&1
ok $? "report merge of the two shards: exit 0"
check "the merge is whole" has "$TMP/out" "^linkmatrix: merged 2 reports, 20 tests, into $TMP/merged/$"
check "and keeps the suite" has "$TMP/merged/results.json" '^    "version": "9.9.9",$'
"$LINKMATRIX" report compare "$TMP/s1/results.json" "$TMP/merged/results.json" >"$TMP/out" 2>&1
ok $? "report compare of a shard and the whole: exit 0, nothing that ran in both fails anew"
check "the other half's tests are new" has "$TMP/out" ": 0 newly failing, 0 newly passing, 0 changed, $n2 new, 0 gone$"

# --known-failures, by the tests' names.
cat >"$TMP/known.yaml" <<'YAML'
- case: mold-mold-only
  linkers: [bfd, gold, lld]
  reason: only mold prints mold's banner
- case: 'mold-hel*'
  linkers: [mold]
  reason: this entry is wrong
YAML
"$LINKMATRIX" suite mold "$S" -j2 --linker "$L" --filter 'mold-(hello|mold-only):' --known-failures "$TMP/known.yaml" -o "$TMP/k" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a known failure that passes is XPASS: exit 1"
check "a known FAIL is XFAIL, with the file's reason" \
	has "$TMP/out" "^XFAIL +mold-mold-only:default $T lld \[known failure: only mold prints mold's banner\]$"
check "a glob matches the tests' names" has "$TMP/out" "^XPASS +mold-hello:default $T mold "
printf -- '- case: mold-mold-only\n  linkers: [bfd, gold, lld]\n  reason: mold only\n' >"$TMP/known2.yaml"
"$LINKMATRIX" suite mold "$S" -j2 --linker "$L" --filter 'mold-mold-only:' --known-failures "$TMP/known2.yaml" -o "$TMP/k2" >"$TMP/out" 2>&1
ok $? "only known failures: exit 0"

# The version: a git checkout's commit; merge refuses another version.
cp -R "$S" "$TMP/mold"
sed -i 's/9\.9\.9/9.9.10/' "$TMP/mold/CMakeLists.txt"
"$LINKMATRIX" suite mold "$TMP/mold" -j2 --linker "$L" --filter-out hang --shard 2/2 -o "$TMP/v10" >"$TMP/out" 2>&1
check "another release is another version" has "$TMP/v10/results.json" '^    "version": "9.9.10",$'
"$LINKMATRIX" report merge "$TMP/s1/results.json" "$TMP/v10/results.json" -o "$TMP/bad" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "report merge of two versions of the suite: exit 2"
check "saying so" has "$TMP/out" \
	"^linkmatrix report merge: $TMP/s1/results.json ran mold suite version 9.9.9 and $TMP/v10/results.json version 9.9.10: merge the shards of one version of the suite$"
check "and writing nothing" sh -c "! test -e '$TMP/bad'"
if command -v git >/dev/null; then
	(cd "$TMP/mold" && git init -q && git add . &&
	 git -c user.name=t -c user.email=t@t commit -q -m suite) >/dev/null 2>&1
	head=$(git -C "$TMP/mold" rev-parse HEAD)
	"$LINKMATRIX" suite mold "$TMP/mold" -j2 --linker mold --filter hello -o "$TMP/g" >"$TMP/out" 2>&1
	check "a git checkout's version is its commit" has "$TMP/g/results.json" "^    \"version\": \"$head\",$"
else
	ok 0 "# SKIP git is not installed"
fi
"$LINKMATRIX" run -j2 --linker mold --report "$TMP/r" "$E2E/cases/good/hello.yaml" >"$TMP/out" 2>&1
"$LINKMATRIX" report merge "$TMP/r/latest/results.json" "$TMP/g/results.json" -o "$TMP/bad" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "report merge of a run and a suite: exit 2"
check "saying so" has "$TMP/out" "is of no suite \(a run of cases\) and .* of mold: merge the reports of one suite$"
check "a run's results.json has no suite" sh -c "! grep -q '\"suite\"' '$TMP/r/latest/results.json'"

# mold 2's layout (test/*.sh, its arch's scripts arch-MACHINE-*.sh, the
# generic ones free to have '_'): made here of the suite's own scripts.
M2=$TMP/mold2
mkdir -p "$M2/test"
echo 'project(mold VERSION 2.0.0)' >"$M2/CMakeLists.txt"
cp "$S/test/elf/common.inc" "$S/test/elf/hello.sh" "$M2/test/"
cp "$S/test/elf/hello.sh" "$M2/test/with_underscore.sh"
cp "$S/test/elf/x86_64_start.sh" "$M2/test/arch-$(uname -m)-start.sh"
cp "$S/test/elf/x86_64_start.sh" "$M2/test/arch-nosucharch-start.sh"
"$LINKMATRIX" suite mold "$M2" -j2 --linker bfd -o "$TMP/m2" >"$TMP/out" 2>&1
ok $? "mold 2's layout: exit 0"
check "found under test/, its version read" has "$TMP/out" \
	"^linkmatrix: mold suite 2\.0\.0: 3 scripts of $M2/test \(the generic ones and arch-$(uname -m)-\*\.sh\)$"
check "a generic script with '_' in its name runs (mold 2 marks arches by arch-)" \
	has "$TMP/out" "^PASS +mold-with_underscore:default $T bfd "
check "the host's arch-MACHINE- script is selected" grep -q "mold-arch-$(uname -m)-start:default" "$TMP/out"
check "another arch's is not" sh -c "! grep -q nosucharch '$TMP/out'"
"$LINKMATRIX" suite mold "$M2/test" -j2 --linker bfd --filter hello -o "$TMP/m2t" >"$TMP/out" 2>&1
check "mold 2's test directory given itself" has "$TMP/out" "^PASS +mold-hello:default $T bfd "

# Usage and configuration errors: exit 2, before anything runs.
"$LINKMATRIX" suite mold >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "no DIR: exit 2"
check "saying what to name" has "$TMP/out" "name one directory, a mold checkout or its test/elf"
"$LINKMATRIX" suite gnu "$S" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a suite that is not mold: exit 2"
"$LINKMATRIX" suite mold "$E2E/cases" -o "$TMP/x" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a directory that is no mold checkout: exit 2"
check "saying why" has "$TMP/out" "is neither a mold checkout \(it has no test/elf or test/common.inc\) nor mold's test directory"
"$LINKMATRIX" suite mold "$S" --linker nosuch -o "$TMP/x" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "an unknown linker: exit 2"
"$LINKMATRIX" suite mold "$S" --shard 3/2 >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a bad --shard: exit 2, as run says it"
check "in run's words" has "$TMP/out" "^linkmatrix suite mold: --shard needs I/N with 1 <= I <= N"

done_testing

#!/bin/sh
# The reports of a run: results.json, junit.xml, results.tap; shards merged
# into what one run writes; comparison with a baseline; an interrupted run.
. "$(dirname "$0")/lib/tap.sh"

R=$TMP/reports
G=$E2E/cases/good
"$LINKMATRIX" run -j2 --report "$R/full" "$G" >"$TMP/out" 2>&1
ok $? "a run of good cases"
F=$R/full/latest
check "results.json is valid JSON" python3 -m json.tool "$F/results.json"
check "with its schema and version" has "$F/results.json" '^  "schema": "linkmatrix-results",$'
check "junit.xml is well-formed XML" xmllint --noout "$F/junit.xml"
nlinkers=$("$LINKMATRIX" linkers | grep -c '^[^ ]')
check "one testsuite per target x linker" \
	sh -c "test \$(grep -c '<testsuite ' '$F/junit.xml') -eq $nlinkers"
check "SKIP is a skipped element with the reason" has "$F/junit.xml" '<skipped message="not installed'
check "results.tap is read by prove" prove --exec cat "$F/results.tap"

# JUnit against the schemas (tests/e2e/junit-schemas): a run with every
# outcome and a case file whose name is hostile (markup, quotes, a control
# byte, a byte that is not UTF-8).
X=$E2E/junit-schemas
J=$TMP/junit-cases
mkdir -p "$J"
cp "$G/hello.yaml" "$E2E/cases/link-fail/undefined.yaml" "$E2E/cases/hang.yaml" "$J/"
printf 'name: bad\nbuild: [\n' >"$J/$(printf 'a<b>&"q'"'"'\001\377.yaml')"
printf -- '- case: undefined\n  linkers: [lld]\n  reason: a known <failure> & more\n' >"$TMP/known.yaml"
# Wild is hidden from the tests (lib/tap.sh): SKIP, not installed.
"$LINKMATRIX" run -j2 --report "$R/junit" --linker bfd,lld,wild \
	--known-failures "$TMP/known.yaml" "$J" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a run with PASS, FAIL, XFAIL, SKIP, TIMEOUT and ERROR: exit 1"
K=$R/junit/latest
for o in '^PASS ' '^FAIL ' '^XFAIL ' '^TIMEOUT ' '^ERROR '; do
	check "  with ${o#^}" has "$TMP/out" "$o"
done
check "  with SKIP (of Wild, said in one line)" has "$TMP/out" '^linkmatrix: wild: [0-9]+ tests? skipped: '

check "junit-ant.xml is valid against Ant's schema" xmllint --noout --schema "$X/ant-junit.xsd" "$K/junit-ant.xml"
check "  and the Jenkins xunit plugin's" xmllint --noout --schema "$X/jenkins-junit-10.xsd" "$K/junit-ant.xml"
# junit.xml: the xunit schema's but for testcase/@file, which it lacks.
xmllint --noout --schema "$X/jenkins-junit-10.xsd" "$K/junit.xml" 2>"$TMP/err"
check "junit.xml: the xunit schema complains of testcase file attributes only" \
	sh -c "grep -q 'validity error' '$TMP/err' && ! grep 'validity error' '$TMP/err' | grep -v \"Element 'testcase', attribute 'file': The attribute 'file' is not allowed\""
sed 's/ file="[^"]*"//' "$K/junit.xml" >"$TMP/nofile.xml"
check "  and without them it is valid" xmllint --noout --schema "$X/jenkins-junit-10.xsd" "$TMP/nofile.xml"
check "each outcome as the readers want it: FAIL a failure of its stage" has "$K/junit.xml" '<failure type="link" message="linking main: '
check "  TIMEOUT a failure of type timeout" has "$K/junit.xml" '<failure type="timeout" message="'
check "  XFAIL skipped with the reason, escaped" has "$K/junit.xml" '<skipped message="known failure: a known &lt;failure&gt; &amp; more"/>'
check "  SKIP skipped" has "$K/junit.xml" '<skipped message="not installed'
check "  ERROR an error, its file name escaped" has "$K/junit.xml" "<error type=\"load\" message=\"the case file is broken: "
check "  in a testcase whose name is the file's, escaped, the bad bytes replaced" \
	has "$K/junit.xml" "name=\"[^\"]*/a&lt;b&gt;&amp;&quot;q&apos;$(printf '\357\277\275\357\277\275')\\.yaml\""
check "a failure's stderr is its testcase's system-err" has "$K/junit.xml" "^$(printf '\t')*main.c:\\(\\.text\\+0x[0-9a-f]+\\): undefined reference to \`missing&apos;" 
check "  in a system-err element" sh -c "grep -q '<system-err>' '$K/junit.xml' && grep -q '</system-err>' '$K/junit.xml'"
check "each suite has the run's start, without a zone" \
	has "$K/junit.xml" '<testsuite name="x86_64-linux-gnu.bfd" .* timestamp="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}">$'
check "a case's file is from the directory given (its case root)" has "$K/junit.xml" ' file="hello.yaml">$'
check "  a broken one's too" has "$K/junit.xml" " file=\"a&lt;b&gt;&amp;&quot;q&apos;$(printf '\357\277\275\357\277\275')\\.yaml\">\$"
"$LINKMATRIX" run --report "$R/bundled" --linker bfd modes "$E2E/cases/elf/static.yaml" >/dev/null 2>&1
check "  a bundled case's from cases/" has "$R/bundled/latest/junit.xml" ' file="basic/modes.yaml">$'
check "  a case file given itself keeps its path" has "$R/bundled/latest/junit.xml" " file=\"$E2E/cases/elf/static.yaml\">\$"
host=$(sed -n 's/^  "host": "\(.*\)",$/\1/p' "$K/results.json")
check "  and the host ($host)" has "$K/junit.xml" "<testsuite name=\"x86_64-linux-gnu.lld\" .* hostname=\"$host\""

# Shards: the same tests, merged, make the reports one run makes.
for i in 1 2 3; do
	"$LINKMATRIX" run -j2 --report "$R/s$i" --shard $i/3 "$G" >/dev/null 2>&1
done
"$LINKMATRIX" report merge "$R"/s1/latest/results.json "$R"/s2/latest/results.json \
	"$R"/s3/latest/results.json -o "$R/merged" >"$TMP/out" 2>&1
ok $? "report merge of three shards: exit 0"
check "merged TAP is the unsharded run's, byte for byte" cmp "$F/results.tap" "$R/merged/results.tap"
# Apart from timings and the run's own names and paths, so is the JSON.
norm() {
	sed -E -e '/"(seconds|cpu_seconds|run_id|started|ended|index|count|stdout_bytes|stderr_bytes)"/d' \
		-e 's#/reports/[a-z0-9]+/[0-9-]+#/RUN#g' -e 's#/tmp/cc[A-Za-z0-9]+#/tmp/ccX#g' \
		-e '/"argv"/,/\]/d' "$1"
}
norm "$F/results.json" >"$TMP/a.json"
norm "$R/merged/results.json" >"$TMP/b.json"
check "merged results.json equals the unsharded run's but for timings" cmp "$TMP/a.json" "$TMP/b.json"
check "merged junit.xml is well-formed" xmllint --noout "$R/merged/junit.xml"
check "  its files from their case root" has "$R/merged/junit.xml" ' file="hello.yaml">$'
check "merged junit-ant.xml is valid against both schemas" sh -c \
	"xmllint --noout --schema '$E2E/junit-schemas/ant-junit.xsd' '$R/merged/junit-ant.xml' &&
	 xmllint --noout --schema '$E2E/junit-schemas/jenkins-junit-10.xsd' '$R/merged/junit-ant.xml'"
check "  its suites started when the earliest shard did" \
	has "$R/merged/junit-ant.xml" "timestamp=\"$(sed -n 's/^  "started": "\(.*\)Z",$/\1/p' "$R/merged/results.json")\""

"$LINKMATRIX" report merge "$R"/s1/latest/results.json "$R"/s1/latest/results.json -o "$R/m2" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a shard given twice: refused, exit 2"
check "saying so" has "$TMP/out" 'is shard 1/3, which an earlier input is too'
"$LINKMATRIX" run -j2 --report "$R/other" "$E2E/cases/elf/static.yaml" >/dev/null 2>&1
"$LINKMATRIX" report merge "$F/results.json" "$R/other/latest/results.json" -o "$R/m3" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "runs of different case sets: refused, exit 2"
check "naming both" has "$TMP/out" 'ran different case sets'
printf '{"schema": "something-else", "version": 1}\n' >"$TMP/x.json"
"$LINKMATRIX" report merge "$TMP/x.json" -o "$R/m4" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a file of another schema: exit 2"
check "said as such" has "$TMP/out" "not a linkmatrix results file \\(schema 'something-else'\\)"

# A baseline: the same cases passing before, failing now.
C=$E2E/cases/elf/static.yaml
L=bfd,gold,lld,mold
"$LINKMATRIX" run -j2 --report "$R/base" --linker $L "$C" >/dev/null 2>&1
"$LINKMATRIX" run -j2 --report "$R/now" --linker $L --check-profile illumos "$C" >/dev/null 2>&1
"$LINKMATRIX" report compare "$R/base/latest/results.json" "$R/now/latest/results.json" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "report compare: something newly fails, exit 1"
check "newly failing comes first, with the stage and the old outcome" \
	has "$TMP/out" '^  FAIL +elf-static:default x86_64-linux-gnu lld \[elf-rule\] \(was PASS\): main breaks illumos-phdr-needs-interp'
"$LINKMATRIX" report compare "$R/now/latest/results.json" "$R/base/latest/results.json" >"$TMP/out" 2>&1
ok $? "the other way round nothing newly fails: exit 0"
check "and two newly pass" has "$TMP/out" '^newly passing \(2\):$'
"$LINKMATRIX" run -j2 --report "$R/again" --linker $L --check-profile illumos --baseline "$R/base/latest/results.json" "$C" >"$TMP/out" 2>&1
check "run --baseline prints the comparison" has "$TMP/out" '^compared with .*: 2 newly failing'
check "and writes it beside the reports" has "$R/again/latest/compare.txt" '^newly failing \(2\):$'
check "and index.html shows it" has "$R/again/latest/index.html" '"compare":"compared with [^"]*: 2 newly failing'
check "results.json names the host system" has "$R/again/latest/results.json" '"host_system": "[a-z]+-[a-z0-9_]+"'
"$LINKMATRIX" run -j2 --report "$R/again" --baseline "$TMP/x.json" "$C" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "an unreadable baseline fails before the run: exit 2"

# Interrupted: the report of what finished, marked incomplete; latest kept.
# Interrupted once its run directory is made, however long detecting the
# linkers took on a loaded machine (a fixed sleep was too short there).
runs_before=$(ls -d "$R"/full/2* | wc -l)
"$LINKMATRIX" run -j1 --report "$R/full" --timeout 60 "$E2E/cases/hang.yaml" "$G" >"$TMP/out" 2>&1 &
pid=$!
for i in $(seq 600); do
	[ "$(ls -d "$R"/full/2* | wc -l)" -gt "$runs_before" ] && break
	sleep 0.1
done
sleep 1
kill -INT $pid
wait $pid
ok $(($? == 130 ? 0 : 1)) "SIGINT: exit 130"
run=$(ls -td "$R"/full/2* | head -n 1)
check "the interrupted run's results.json is valid" python3 -m json.tool "$run/results.json"
check "and says it is incomplete" has "$run/results.json" '"complete": false'
check "its TAP says so too" has "$run/results.tap" '^# incomplete'
check "reports/latest still names the last complete run" sh -c "test \"\$(readlink '$R/full/latest')\" != \"\$(basename '$run')\""

done_testing

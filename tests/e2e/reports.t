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
"$LINKMATRIX" run -j1 --report "$R/full" --timeout 60 "$E2E/cases/hang.yaml" "$G" >"$TMP/out" 2>&1 &
pid=$!
sleep 3
kill -INT $pid
wait $pid
ok $(($? == 130 ? 0 : 1)) "SIGINT: exit 130"
run=$(ls -td "$R"/full/2* | head -n 1)
check "the interrupted run's results.json is valid" python3 -m json.tool "$run/results.json"
check "and says it is incomplete" has "$run/results.json" '"complete": false'
check "its TAP says so too" has "$run/results.tap" '^# incomplete'
check "reports/latest still names the last complete run" sh -c "test \"\$(readlink '$R/full/latest')\" != \"\$(basename '$run')\""

done_testing

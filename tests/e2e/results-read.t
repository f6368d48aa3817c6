#!/bin/sh
# results.json read back at any size a run can write, a record at a time:
# shards of a run bigger than 64 MiB (once the most a read took) merged
# into the run's file byte for byte, in little memory; compared; read from
# a pipe; read with more inputs than open files allowed; refused when
# wrong (a shard count of 4294967295 overflowed merge's heap), whole or
# not at all, leaving no temporary file.
. "$(dirname "$0")/lib/tap.sh"

GEN=$LM_SRCDIR/bench/gen-results.sh
# bench/gen-results.sh writes byte for byte what linkmatrix writes: 20,000
# results of the shape of a big nightly run are 84 MB. Under valgrind,
# fewer: the same paths, in minutes less.
N=20000
[ -n "${LM_VALGRIND_PROGRAM:-}" ] && N=1000
mkdir -p "$TMP/tmp"
TMPDIR=$TMP/tmp
export TMPDIR
D=$TMP/d
mkdir -p "$D"
"$GEN" $N >"$D/full.json"
"$GEN" $N 0/0 10 >"$D/later.json"
for i in 1 2 3 4; do "$GEN" $N $i/4 >"$D/s$i.json"; done
size=$(wc -c <"$D/full.json")
if [ "$N" -eq 20000 ]; then
	ok $((size > 67108864 ? 0 : 1)) "$N results are more than 64 MiB ($size bytes)"
else
	ok 0 "$N results # SKIP under valgrind, fewer results than 64 MiB"
fi

# The merge's peak RSS where GNU time is there to say it, and the program
# is not under a sanitizer or valgrind, which add their own.
rss_file=$TMP/rss
timed() {
	if [ -x /usr/bin/time ] && [ -z "${ASAN_OPTIONS:-}${LM_VALGRIND_PROGRAM:-}" ]; then
		/usr/bin/time -f %M -o "$rss_file" "$@"
	else
		rm -f "$rss_file"
		"$@"
	fi
}
timed "$LINKMATRIX" report merge "$D"/s1.json "$D"/s2.json "$D"/s3.json "$D"/s4.json \
	-o "$TMP/merged" >"$TMP/out" 2>&1
ok $? "report merge of four shards: exit 0"
check "of all $N tests" has "$TMP/out" "^linkmatrix: merged 4 reports, $N tests, into "
check "into the unsharded run's results.json, byte for byte" cmp "$D/full.json" "$TMP/merged/results.json"
check "and the other formats" test -s "$TMP/merged/index.html" -a -s "$TMP/merged/junit.xml" \
	-a -s "$TMP/merged/results.tap"
if [ -f "$rss_file" ]; then
	kb=$(tail -n 1 "$rss_file")
	ok $((kb < 32768 ? 0 : 1)) "in a peak RSS under 32 MiB, whatever the size: $kb KiB for $size bytes"
else
	ok 0 "in little memory # SKIP no GNU time, or a sanitizer or valgrind counts its own"
fi

"$LINKMATRIX" report compare "$D/full.json" "$D/later.json" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "report compare of two such runs, something newly failing: exit 1"
check "saying what changed" has "$TMP/out" '^compared with synthetic \(.*\): [1-9][0-9]* newly failing, [1-9][0-9]* newly passing'
check "each test by name" has "$TMP/out" '^  FAIL +case-000002:default x86_64-linux-gnu bfd \[run\] \(was PASS\)'
mkfifo "$TMP/pipe"
cat "$D/s1.json" >"$TMP/pipe" &
"$LINKMATRIX" report compare "$TMP/pipe" "$D/s1.json" >"$TMP/out" 2>&1
ok $? "a pipe is read as it comes: exit 0"
wait
check "the same tests" has "$TMP/out" ': 0 newly failing, 0 newly passing, 0 changed, 0 new, 0 gone$'

# More inputs than the soft limit on open files: merge raises it.
# valgrind keeps the limit it started with (setrlimit of RLIMIT_NOFILE is
# not passed on), so there the merge gets a limit it can keep.
for i in $(seq 1 48); do "$GEN" 480 "$i/48" 0 0 >"$D/t$i.json"; done
limit=32
[ -n "${LM_VALGRIND_PROGRAM:-}" ] && limit=$(ulimit -n)
(ulimit -S -n "$limit" && "$LINKMATRIX" report merge "$D"/t*.json -o "$TMP/m48") >"$TMP/out" 2>&1
ok $? "48 shards merge where only $limit files could be open"
check "all 480 tests" has "$TMP/out" '^linkmatrix: merged 48 reports, 480 tests'

# Refused, at once, with the place and the reason.
sed 's/"count": 4$/"count": 4294967295/' "$D/s1.json" >"$D/huge-count.json"
"$LINKMATRIX" report merge "$D/huge-count.json" -o "$TMP/m1" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a shard count of 4294967295: refused, exit 2"
check "saying where and why" has "$TMP/out" \
	"huge-count.json:15:14: shard: 'count' must be a whole number from 0 to 100000, not 4294967295$"
head -c $((size / 8)) "$D/s2.json" >"$D/cut.json"
"$LINKMATRIX" report compare "$D/s2.json" "$D/cut.json" >"$TMP/out" 2>"$TMP/err"
ok $(($? == 2 ? 0 : 1)) "compare with a file cut short: exit 2"
check "nothing compared is printed" test ! -s "$TMP/out"
check "the error names the file, line and column" has "$TMP/err" \
	'^linkmatrix report compare: .*/cut.json:[0-9]+:[0-9]+: '
"$LINKMATRIX" report merge "$D/s1.json" "$D/cut.json" -o "$TMP/m2" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "merge with it: exit 2"
check "naming it" has "$TMP/out" '/cut.json:[0-9]+:[0-9]+: '
check "and no report is written" test ! -e "$TMP/m2/results.json"
"$LINKMATRIX" run --failed-from "$D/cut.json" --report "$TMP/r" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "run --failed-from it: exit 2"
"$LINKMATRIX" run --baseline "$D/cut.json" --report "$TMP/r" "$E2E/cases/good" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "run --baseline it: exit 2, before anything runs"
check "naming it" has "$TMP/out" '/cut.json:[0-9]+:[0-9]+: '
check "no temporary file is left behind" sh -c "test -z \"\$(ls -A '$TMP/tmp')\""

done_testing

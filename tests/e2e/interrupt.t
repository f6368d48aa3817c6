#!/bin/sh
# Interruptions and a shared tree: SIGINT, SIGTERM and SIGHUP end a run
# with the report of what finished, marked incomplete, exit 130, 143 or
# 129, and no test process left running; two runs at once in one report directory each
# write their own reports; a full disk leaves reports/latest as it was.
. "$(dirname "$0")/lib/tap.sh"

G=$E2E/cases/good
SPIN=$E2E/cases/interrupt/spin.yaml

# Running processes named lm-spin, zombies (killed, not yet reaped by init)
# left out.
spinning() {
	ps -e -o stat=,comm= | grep -v '^Z' | grep -q 'lm-spin'
}

# Waits up to 20 s for the spinning test program to start.
wait_spin() {
	i=0
	while ! spinning && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

for sig_want in INT:130 TERM:143 HUP:129; do
	sig=${sig_want%:*}
	want=${sig_want#*:}
	R=$TMP/$sig
	"$LINKMATRIX" run -j2 --report "$R" --linker bfd "$G/hello.yaml" >/dev/null 2>&1
	"$LINKMATRIX" run -j2 --report "$R" --linker bfd,lld "$SPIN" "$G" >"$TMP/out" 2>&1 &
	pid=$!
	wait_spin
	kill -$sig $pid
	wait $pid
	st=$?
	ok $((st == want ? 0 : 1)) "SIG$sig: exit $want (got $st)"
	run=$(ls -td "$R"/2* | head -n 1)
	check "SIG$sig: the run's results.json is valid JSON" python3 -m json.tool "$run/results.json"
	check "SIG$sig: and marked incomplete" has "$run/results.json" '"complete": false'
	check "SIG$sig: junit.xml and index.html are written too" \
		test -s "$run/junit.xml" -a -s "$run/index.html"
	check "SIG$sig: the summary says it" has "$TMP/out" 'reports in .* \(interrupted: incomplete\)$'
	check "SIG$sig: reports/latest still names the complete run before it" \
		sh -c "test \"\$(readlink '$R/latest')\" != \"\$(basename '$run')\" &&
			grep -q '\"complete\": true' '$R/latest/results.json'"
	if spinning; then st=1; else st=0; fi
	ok $st "SIG$sig: no test program (nor its child) is left running"
done

# SIGKILL (or the OOM killer) gives the harness no chance to clean up: on
# Linux the test programs it started die with it (PR_SET_PDEATHSIG) rather
# than run on without their timeout.
sleeping() {
	ps -e -o stat=,comm= | grep -v '^Z' | grep -q 'lm-sleeper'
}
if [ "$(uname -s)" = Linux ]; then
	"$LINKMATRIX" run -j2 --report "$TMP/KILL" --linker bfd "$E2E/cases/interrupt/sleeper.yaml" >"$TMP/out" 2>&1 &
	pid=$!
	i=0
	while ! sleeping && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL $pid
	wait $pid
	i=0
	while sleeping && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if sleeping; then st=1; else st=0; fi
	ok $st "SIGKILL of the harness: the test program it ran dies with it"
	pkill -KILL -x lm-sleeper 2>/dev/null
else
	ok 0 "SIGKILL of the harness # SKIP PR_SET_PDEATHSIG is Linux's"
fi

# A signal while linkers and targets are detected (a compiler that is slow
# to answer its probe): exit 128+N with a word, nothing written (it once
# exited 143 without one).
mkdir -p "$TMP/slowt" "$TMP/slowbin"
printf '#!/bin/sh\nsleep 30\nexec gcc "$@"\n' >"$TMP/slowbin/lm-slow-cc"
chmod +x "$TMP/slowbin/lm-slow-cc"
sed 's/^cc: .*/cc: lm-slow-cc/' "$LM_SRCDIR/targets.d/x86_64-linux-gnu.yaml" >"$TMP/slowt/x86_64-linux-gnu.yaml"
PATH=$TMP/slowbin:$PATH "$LINKMATRIX" run --targets-dir "$TMP/slowt" --report "$TMP/STARTUP" \
	"$G/hello.yaml" >"$TMP/out" 2>&1 &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
st=$?
ok $((st == 143 ? 0 : 1)) "SIGTERM during start-up: exit 143 (got $st)"
check "  saying so" has "$TMP/out" '^linkmatrix: interrupted by SIGTERM while it detected linkers and targets: no test ran, no report written$'
check "  no report directory made" test ! -e "$TMP/STARTUP"
check "  and the slow compiler's probe is not left running" sh -c "! pgrep -f '[l]m-slow-cc' >/dev/null"

# Two runs at once in one tree, sharing the cache too.
R=$TMP/both
C=$TMP/cache
LINKMATRIX_CACHE=$C "$LINKMATRIX" run -j1 --report "$R" "$G" >"$TMP/a" 2>&1 &
a=$!
LINKMATRIX_CACHE=$C "$LINKMATRIX" run -j1 --report "$R" "$G" >"$TMP/b" 2>&1 &
b=$!
wait $a
ra=$?
wait $b
rb=$?
ok $((ra + rb)) "two runs at once in one report directory: both exit 0"
check "each has its own run directory" test "$(ls -d "$R"/2* | wc -l)" -eq 2
total=$(sed -n 's/^linkmatrix: \([0-9]*\) tests:.*/\1/p' "$TMP/a")
for d in "$R"/2*; do
	check "$(basename "$d"): complete, valid results.json with all $total tests" sh -c "python3 -c \"
import json, sys
r = json.load(open('$d/results.json'))
sys.exit(not (r['complete'] and len(r['results']) == $total))\""
done
check "reports/latest names one of them" test -f "$R/latest/results.json"
check "no temporary file is left behind" sh -c "! find '$R' '$C' -name '*.tmp.*' | grep -q ."

# A full disk: a small tmpfs, where root may mount one.
M=$TMP/full
mkdir -p "$M"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=2m tmpfs "$M" 2>/dev/null; then
	R=$M/reports
	"$LINKMATRIX" run --report "$R" --linker bfd "$G/hello.yaml" >/dev/null 2>&1
	before=$(readlink "$R/latest")
	dd if=/dev/zero of="$M/fill" bs=64k 2>/dev/null
	"$LINKMATRIX" run --report "$R" --linker bfd "$G/hello.yaml" >"$TMP/out" 2>&1
	ok $(($? == 2 ? 0 : 1)) "a full disk: exit 2"
	check "it says why, and that reports/latest is kept" \
		has "$TMP/out" "^linkmatrix: cannot write .*: No space left on device; .*/latest still names the last run whose reports were written$"
	check "reports/latest still names the run before, whole" \
		sh -c "test \"\$(readlink '$R/latest')\" = '$before' && python3 -m json.tool '$R/latest/results.json'"
	check "no half-written report or temporary file" \
		sh -c "! find '$R' -name '*.tmp.*' | grep -q ."
	umount "$M"
else
	for p in "exit 2" "why" "latest kept" "no half-written report"; do
		ok 0 "a full disk: $p # SKIP not root, or no tmpfs to mount"
	done
fi

# An interrupted report merge leaves nothing half-made: not the output
# directory, not a file in it, not its scratch directory. A FIFO input
# that gets all of a file but its end holds the merge in mid-read.
R=$TMP/merge
"$LINKMATRIX" run -j2 --report "$R" --linker bfd "$G/hello.yaml" >/dev/null 2>&1
half=$(($(wc -c <"$R/latest/results.json") - 20))
for sig_want in TERM:143 INT:130; do
	sig=${sig_want%:*}
	want=${sig_want#*:}
	rm -f "$TMP/slow.json"
	mkfifo "$TMP/slow.json"
	(head -c "$half" "$R/latest/results.json"; sleep 30) >"$TMP/slow.json" &
	feeder=$!
	# TERM to the merge alone; INT, as a terminal sends it, to its group.
	if [ "$sig" = TERM ]; then
		"$LINKMATRIX" report merge "$TMP/slow.json" -o "$TMP/merged/$sig" >"$TMP/out" 2>&1 &
		pid=$!
		sleep 1
		kill -TERM $pid
	else
		setsid "$LINKMATRIX" report merge "$TMP/slow.json" -o "$TMP/merged/$sig" >"$TMP/out" 2>&1 &
		pid=$!
		sleep 1
		kill -INT -$pid
	fi
	wait $pid
	st=$?
	kill $feeder 2>/dev/null
	ok $((st == want ? 0 : 1)) "report merge, SIG$sig in mid-read: exit $want (got $st)" || sed "s/^/#   /" "$TMP/out" >&2
	check "  no output directory" test ! -e "$TMP/merged/$sig"
	check "  no scratch directory or temporary file left" \
		sh -c "[ -z \"\$(ls -A '$TMP/merged')\" ]"
	check "  it says so" has "$TMP/out" "^linkmatrix report merge: interrupted by SIG$sig: nothing written to $TMP/merged/$sig\$"
done
# The merging child killed from outside (the OOM killer): said, exit 2,
# nothing left (it once exited 2 without a word).
rm -f "$TMP/slow.json"
mkfifo "$TMP/slow.json"
(head -c "$half" "$R/latest/results.json"; sleep 30) >"$TMP/slow.json" &
feeder=$!
"$LINKMATRIX" report merge "$TMP/slow.json" -o "$TMP/merged/KILL" >"$TMP/out" 2>&1 &
pid=$!
sleep 1
pkill -KILL -P $pid
wait $pid
st=$?
kill $feeder 2>/dev/null
ok $((st == 2 ? 0 : 1)) "report merge whose merging child is SIGKILLed: exit 2 (got $st)"
check "  it says so" has "$TMP/out" "^linkmatrix report merge: the merge was killed by SIGKILL: nothing written to $TMP/merged/KILL\$"
check "  nothing left" sh -c "[ -z \"\$(ls -A '$TMP/merged')\" ]"
"$LINKMATRIX" run -j2 --report "$R" --linker lld "$G/hello.yaml" >/dev/null 2>&1
mkdir -p "$TMP/merged/old"
echo stale >"$TMP/merged/old/results.json"
echo mine >"$TMP/merged/old/notes.txt"
"$LINKMATRIX" report merge "$R/latest/results.json" -o "$TMP/merged/old" >"$TMP/out" 2>&1
ok $? "a merge into a directory that has files: exit 0"
check "  its reports replace the old ones" has "$TMP/merged/old/results.json" '"schema": "linkmatrix-results"'
check "  other files stay" has "$TMP/merged/old/notes.txt" '^mine$'
check "  nothing else is left beside it" sh -c "[ \"\$(ls -A '$TMP/merged')\" = old ]"

done_testing
